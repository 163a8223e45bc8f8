"""The items read from a story as the model's blocks: quotes, code and list items gathered,
lists nested, captions and credits given to their figure or table, the toolkit's polls and
related-article boxes recognised; the title matter set aside for the front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from exporter import model as m
from exporter import walk
from exporter.importer.context import Context
from exporter.importer.read import Item
from exporter.labels import label
from exporter.source.outline import id_problem

FRONT = ("title", "subtitle", "byline", "affiliation", "meta", "summary")
RAW_IDENT = "\x00"  # an ident of bookmark names, until ``ids`` names it
NO_ALT = "\x00"  # a picture's missing description, until its caption is known


@dataclass
class Arranged:
    blocks: list[m.Block] = field(default_factory=list)
    front: list[Item] = field(default_factory=list)
    polls: list[dict[str, Any]] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    pictures: list[tuple[m.Figure, str]] = field(default_factory=list)  # figure, suffix


def arrange(items: list[Item], ctx: Context, lang: str, out: Arranged | None = None) -> Arranged:
    out = out if out is not None else Arranged()
    blocks = out.blocks
    pending: tuple[m.Inline, ...] | None = None  # a caption waiting for the next figure/table
    i = 0
    while i < len(items):
        item = items[i]
        kind = item.kind
        nxt = items[i + 1] if i + 1 < len(items) else None
        if kind in FRONT:
            out.front.append(item)
        elif kind == "heading":
            blocks.append(m.Heading(item.level, _inlines(item), ident=_raw(item.bookmarks)))
        elif kind in ("quote", "code", "list"):
            end = i
            while end + 1 < len(items) and (items[end + 1].kind == kind or (
                    kind == "list" and items[end + 1].kind == "code"
                    and items[end + 1].level > 0)):  # an indented code block in an item
                end += 1
            blocks.extend(_group(items[i:end + 1], kind))
            i = end
        elif kind == "break":
            blocks.append(m.ThematicBreak())
        elif kind == "caption":
            caption = _inlines(item)
            last = blocks[-1] if blocks else None
            if nxt is not None and nxt.kind == "table" and nxt.table_style != "poll table":
                pending = caption
                nxt.bookmarks = item.bookmarks + nxt.bookmarks
            elif isinstance(last, m.Figure) and not last.caption:
                blocks[-1] = replace(last, caption=_unlabelled(caption, "figure", lang))
            elif isinstance(last, m.Table) and not last.caption:
                blocks[-1] = replace(last, caption=_unlabelled(caption, "table", lang))
            elif nxt is not None and nxt.kind == "figure":
                pending = caption
            else:
                blocks.append(m.Paragraph(caption))
        elif kind == "credit":
            last = blocks[-1] if blocks else None
            if isinstance(last, m.Figure) and not last.credit:
                blocks[-1] = replace(last, credit=_inlines(item))
            else:
                blocks.append(m.Paragraph(_inlines(item)))
        elif kind == "figure":
            figure = _figure(item, ctx, out)
            if figure is not None:
                if pending is not None:
                    figure = replace(figure, caption=_unlabelled(pending, "figure", lang))
                blocks.append(figure)
            elif pending is not None:
                blocks.append(m.Paragraph(pending))
            pending = None
        elif kind == "table" and item.table is not None:
            table = replace(item.table, ident=_raw(item.bookmarks))
            if pending is not None:
                table = replace(table, caption=_unlabelled(pending, "table", lang))
            pending = None
            blocks.append(table)
        elif kind == "poll-question":
            used = _poll(items, i, out, lang)
            if used:
                i += used
                continue
            blocks.append(m.Paragraph(_inlines(item)))
        elif kind == "callout-label":
            used = _callout(items, i, out, lang)
            if used:
                i += used
                continue
            blocks.append(m.Paragraph(_inlines(item)))
        elif kind in ("para", "poll", "callout"):
            blocks.append(m.Paragraph(_inlines(item)))
        i += 1
    return out


def _inlines(item: Item) -> tuple[m.Inline, ...]:
    return item.content.inlines if item.content is not None else ()


def _raw(bookmarks: list[str]) -> str:
    names = [b for b in bookmarks if b]
    return RAW_IDENT + "\x01".join(names) if names else ""


def _group(items: list[Item], kind: str) -> list[m.Block]:
    if kind == "quote":
        return [m.BlockQuote(tuple(m.Paragraph(_inlines(item)) for item in items))]
    if kind == "code":
        return [_code(items)]
    return list(_lists(items))


def _code(items: list[Item]) -> m.CodeBlock:
    lines = []
    for item in items:
        lines.append("".join("\n" if isinstance(n, m.LineBreak) else m.plain_text((n,))
                             for n in _inlines(item)))  # fmt: skip
    return m.CodeBlock("\n".join(lines))


def _lists(items: list[Item]) -> list[m.ListBlock]:
    """List items as nested lists: a deeper item opens a list inside the item before it; an
    item of another kind (bullets after numbers) or another numbered list starts a new list."""
    for item in items:
        if item.kind == "code":  # indented to the text of level ``level - 1``
            item.level, item.continued = max(0, item.level - 1), True
    base = min(item.level for item in items)

    def build(at: int, level: int) -> tuple[m.ListBlock, int]:
        first = items[at]
        entries: list[list[m.Block]] = []
        i = at
        while i < len(items):
            item = items[i]
            if item.level < level:
                break
            if item.continued and item.level == level and entries:
                end = i + 1
                if item.kind == "code":
                    while end < len(items) and items[end].kind == "code" and (
                            items[end].level == level):
                        end += 1
                    entries[-1].append(_code(items[i:end]))
                else:
                    entries[-1].append(m.Paragraph(_inlines(item)))
                i = end
                continue
            if item.level > level:
                inner, i = build(i, item.level)
                if entries:
                    entries[-1].append(inner)
                else:
                    entries.append([inner])
                continue
            if entries and (item.ordered != first.ordered or (
                    first.ordered and item.num_id != first.num_id)):
                break
            entries.append([m.Paragraph(_inlines(item))])
            i += 1
        block = m.ListBlock(first.ordered, tuple(tuple(e) for e in entries),
                            first.start if first.ordered else 1)  # fmt: skip
        return block, i

    lists = []
    at = 0
    while at < len(items):
        block, at = build(at, max(base, items[at].level) if lists else base)
        lists.append(block)
    return lists


def _figure(item: Item, ctx: Context, out: Arranged) -> m.Figure | None:
    picture = item.picture
    if picture is None:
        return None
    if picture.problem:
        ctx.report.add(item.paragraph, item.words, f"{picture.problem} (not kept)", ctx.story)
        return None
    alt = picture.alt
    if not alt and not picture.decorative:
        ctx.report.add(item.paragraph, item.words, "a picture without alt text: describe it "
                       "in article.md (its caption is used for now, or it is marked "
                       "decorative)", ctx.story)  # fmt: skip
    number = len(out.pictures) + 1
    media = {"png": "image/png", "jpg": "image/jpeg", "svg": "image/svg+xml"}[picture.suffix]
    image = m.Image(f"figures/figure-{number}.{picture.suffix}", media, 0, 0, picture.data)
    alt = "" if picture.decorative else (alt or NO_ALT)
    figure = m.Figure(image, alt, width=picture.width,
                      ident=_raw(item.bookmarks))  # fmt: skip
    out.pictures.append((figure, picture.suffix))
    return figure


def _label_pattern(kind: str, lang: str) -> re.Pattern[str]:
    words = label(kind, lang, n=987654321)  # a number no caption has, to find where n goes
    number = r"\d+(?:[.\u2010\u2011\u2013-]\d+)*"  # "3", or with its chapter: "4-1", "4.1"
    return re.compile("^" + re.escape(words).replace("987654321", number)
                      + r"\s*[.:\u2013\u2014-]?\s*")


def _unlabelled(inlines: tuple[m.Inline, ...], kind: str, lang: str) -> tuple[m.Inline, ...]:
    """A caption without the "Figure 1. " the editions number it with."""
    if not inlines or not isinstance(inlines[0], m.Text):
        return inlines
    first = inlines[0].text
    match = _label_pattern(kind, lang).match(first) or _label_pattern(kind, "en").match(first)
    if not match:
        return inlines
    rest = first[match.end():]
    return ((m.Text(rest),) if rest else ()) + inlines[1:]


def _poll(items: list[Item], at: int, out: Arranged, lang: str) -> int:
    """The toolkit's poll (question, chart, caption, table of answers) at ``items[at]``:
    its front-matter entry and its place; the number of items it took (0: not a poll)."""
    question = m.plain_text(_inlines(items[at]))
    status = ""
    j = at + 1
    while j < len(items) and items[j].kind in ("poll", "caption", "figure"):
        if items[j].kind == "caption":
            parts = m.plain_text(_inlines(items[j])).split(" \u00b7 ")
            status = parts[0] if len(parts) > 1 else ""
        j += 1
    if j >= len(items) or items[j].kind != "table" or items[j].table is None:
        return 0
    table = items[j].table
    answers = []
    for row in table.rows[:-1]:  # the last row is the total
        votes = m.plain_text(row[1]).strip() if len(row) > 1 else ""
        if not votes.isdecimal():
            return 0
        answers.append({"label": m.plain_text(row[0]).strip(), "votes": int(votes)})
    if not answers:
        return 0
    ident = f"poll-{len(out.polls) + 1}"
    entry: dict[str, Any] = {"id": ident}
    if status:
        entry["status"] = status
    entry.update(question=question, answers=answers)
    out.polls.append(entry)
    votes = [a["votes"] for a in answers]
    shares = m.largest_remainder_shares(votes)
    poll = m.Poll(ident, question, tuple(m.Answer(a["label"], a["votes"], s)
                                         for a, s in zip(answers, shares, strict=True)), status)
    out.blocks.append(m.PollBlock(poll))
    return j + 1 - at


def _callout(items: list[Item], at: int, out: Arranged, lang: str) -> int:
    """The toolkit's related-article box at ``items[at]`` (its label, the authors, the
    title): its front-matter entry and its place; the items it took (0: not one)."""
    if m.plain_text(_inlines(items[at])).strip() != label("related", lang):
        return 0
    j = at + 1
    paras = []
    while j < len(items) and items[j].kind == "callout":
        paras.append(_inlines(items[j]))
        j += 1
    if not paras or len(paras) > 2:
        return 0
    title_inlines = paras[-1]
    url = ""
    if len(title_inlines) == 1 and isinstance(title_inlines[0], m.Link):
        url = title_inlines[0].url
    authors: list[str] = []
    if len(paras) == 2:
        byline = m.plain_text(paras[0]).strip().removesuffix(":")
        authors = [a.strip() for a in byline.split(", ") if a.strip()]
    ident = f"related-{len(out.related) + 1}"
    entry: dict[str, Any] = {"id": ident, "authors": authors,
                             "title": m.plain_text(title_inlines).strip()}
    if url:
        entry["url"] = url
    out.related.append(entry)
    out.blocks.append(m.Callout("related", "", (), related_id=ident))  # placed by its id
    return j - at


def restore_ids(out: Arranged, custom: dict[str, str]) -> None:
    """The ids of the toolkit's polls and related-article boxes and its published poll
    shares, as its Word edition stored them in custom properties (the pages show none)."""
    renames: dict[str, str] = {}
    for key, entries in (("Poll ids", out.polls), ("Related ids", out.related)):
        stored = custom.get(key, "").split()
        if (len(stored) != len(entries) or len(set(stored)) != len(stored)
                or any(id_problem(ident) for ident in stored)):
            continue
        for entry, ident in zip(entries, stored, strict=True):
            renames[(key, entry["id"])] = ident
            entry["id"] = ident
    for entry in out.polls:
        shares = custom.get(f"Poll shares ({entry['id']})", "").split()
        if len(shares) == len(entry["answers"]) and all(
                s == "-" or (s.isdecimal() and len(s) < 4) for s in shares):
            for answer, share in zip(entry["answers"], shares, strict=True):
                if share != "-":
                    answer["published-share"] = int(share)
    if not renames:
        return

    def rename(block: m.Block) -> m.Block:
        if isinstance(block, m.PollBlock) and ("Poll ids", block.poll.id) in renames:
            return replace(block, poll=replace(block.poll, id=renames["Poll ids", block.poll.id]))
        if isinstance(block, m.Callout) and ("Related ids", block.related_id) in renames:
            return replace(block, related_id=renames["Related ids", block.related_id])
        return block

    out.blocks[:] = walk.map_blocks(tuple(out.blocks), rename)


def described(blocks: list[m.Block]) -> list[m.Block]:
    """``blocks`` with each picture that has no description described by its caption (as
    the report says), or, without one, marked decorative."""

    def change(block: m.Block) -> m.Block:
        if isinstance(block, m.Figure) and block.alt == NO_ALT:
            return replace(block, alt=m.plain_text(block.caption).strip())
        return block

    return list(walk.map_blocks(tuple(blocks), change))
