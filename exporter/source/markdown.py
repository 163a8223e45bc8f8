"""Turns Markdown into model blocks: CommonMark with GFM tables, notes (``[^id]``),
``:::`` containers, ``[text]{lang=xx}`` spans, figures (an image alone in its paragraph)
and ``{#id}`` marks that cross-references (``[text](#id)``) point to.

What it does not carry is never dropped in silence: raw HTML is printed as the text it is
(HTML is not interpreted), and any other construct it meets is refused with its line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from urllib.parse import unquote

from exporter import model as m

ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
_ROW_PREFIX = re.compile(r"[ \t>]*")  # a table row's indent and block-quote marks
_UNCALLED = re.compile(r"\[\^([^\]\s]+)\]")
ID = re.compile(r"^[^\W\d_][\w-]*$")  # a letter, then letters, digits, "_" and "-"
# ids the editions give their own parts
RESERVED_ID = re.compile(
    r"^(?:title|summary|summary-heading|article|article-heading|notes|notes-heading|toc|cover"
    r"|(?:note|noteref|heading|table|poll|callout)-.*)$"
)


def id_problem(ident: str) -> str | None:
    """Why ``ident`` cannot be an id a cross-reference names, or None."""
    if not ID.match(ident):
        return f"id {ident!r}: an id starts with a letter, then letters, digits, - and _"
    if RESERVED_ID.match(ident):
        return f"id {ident!r} is one the editions use for their own parts; choose another"
    return None


@dataclass(frozen=True)
class ImageRef:
    """An image written ``![alt](src "title"){#id width=50% .decorative}`` alone in its
    paragraph, resolved into a figure by the loader."""

    src: str
    alt: str
    title: str
    ident: str
    width: str
    decorative: bool


@dataclass
class Placement:
    """A ``::: kind id`` container in the body, resolved later against the front matter."""

    kind: str
    ident: str
    line: int


@dataclass
class MarkdownResult:
    blocks: tuple[m.Block, ...]
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # 0-based line/col in text
    notes: tuple[m.Note, ...] = ()
    warnings: list[tuple[int, int, str]] = field(default_factory=list)  # as problems


ImageResolver = Callable[[ImageRef], "m.Figure | str"]


def _no_images(ref: ImageRef) -> str:
    return "a figure cannot stand here; place it in the body"


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
    from mdit_py_plugins.container import container_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.disable(["entity", "html_inline", "html_block"])
    md.validateLink = lambda url: True  # every link is checked here, with its position
    container_plugin(md, name="div", validate=lambda params, markup: bool(params.strip()))
    footnote_plugin(md)
    attrs_block_plugin(md)
    attrs_plugin(
        md, spans=True, after=("span_close", "image"), allowed=["lang", "id", "width", "class"]
    )
    return md


def parse_markdown(
    text: str,
    resolve: Callable[[Placement], m.Block | str],
    image: ImageResolver = _no_images,
    notes: bool = True,
) -> MarkdownResult:
    """Parse ``text``; ``resolve`` turns a placement into a block or a problem message,
    ``image`` an image reference into a figure or a problem message. Without ``notes``,
    a note is refused (the summary has none)."""
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    builder = _Builder(text.split("\n"), resolve, image, notes)
    blocks = builder.blocks(tokens, 0, len(tokens))
    builder.check_notes(env)
    blocks = numbered_figures(numbered_tables(outline_levels(tuple(blocks))))
    blocks = heading_ids(blocks)
    builder.check_references(blocks)
    return MarkdownResult(blocks, builder.problems, tuple(builder.notes), builder.warnings)


def stand_in(src: str, ident: str, line: int) -> m.Figure:
    """What stands for a figure whose image is refused, so that the problem is reported once
    (not again by a cross-reference to it); the article is refused in any case."""
    return m.Figure(m.Image(src, "image/png", 1, 1, b""), "", line=line, ident=ident)


def numbered_figures(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """Figures numbered in order (1, 2, …); a decorative image has no number."""
    count = 0
    out: list[m.Block] = []
    for block in blocks:
        if isinstance(block, m.Figure) and not block.decorative:
            count += 1
            block = replace(block, number=count)
        out.append(block)
    return tuple(out)


def slug(text: str) -> str:
    """A heading's id as GitHub makes it: lower case, spaces as hyphens, punctuation gone."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def heading_ids(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """Every heading with an id: its own ``{#id}``, else a slug of its text (``-1``, ``-2`` …
    added to repeats), so a cross-reference can name any heading."""
    taken = {b.ident for b in m.walk_blocks(blocks) if getattr(b, "ident", "")}

    def named(heading: m.Heading) -> m.Heading:
        if heading.ident:
            return heading
        base = slug(m.plain_text(heading.children)) or "section"
        if id_problem(base):
            base = f"section-{base}"
        ident, n = base, 0
        while ident in taken:
            n += 1
            ident = f"{base}-{n}"
        taken.add(ident)
        return replace(heading, ident=ident)

    return map_headings(blocks, named)


def map_headings(
    blocks: tuple[m.Block, ...], change: Callable[[m.Heading], m.Heading]
) -> tuple[m.Block, ...]:
    """``blocks`` with every heading, in reading order and inside quotes, boxes and lists
    too, replaced by what ``change`` makes of it."""
    out: list[m.Block] = []
    for block in blocks:
        if isinstance(block, m.Heading):
            block = change(block)
        elif isinstance(block, m.BlockQuote | m.Callout):
            block = replace(block, blocks=map_headings(block.blocks, change))
        elif isinstance(block, m.ListBlock):
            block = replace(block, items=tuple(map_headings(i, change) for i in block.items))
        out.append(block)
    return tuple(out)


CAPTION = "Table:"


def numbered_tables(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """Tables numbered in order (1, 2, …), each taking as its caption the paragraph right
    after it that starts with "Table:" (which then is not a paragraph of its own)."""
    out: list[m.Block] = []
    count = 0
    for block in blocks:
        if isinstance(block, m.Paragraph) and out and isinstance(out[-1], m.Table):
            caption = _caption(block.children)
            if caption is not None and not out[-1].caption:
                out[-1] = replace(out[-1], caption=caption)
                continue
        if isinstance(block, m.Table):
            count += 1
            block = replace(block, number=count)
        out.append(block)
    return tuple(out)


def _caption(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...] | None:
    first = inlines[0] if inlines else None
    if not isinstance(first, m.Text) or not first.text.startswith(CAPTION):
        return None
    rest = first.text[len(CAPTION):].lstrip()
    return ((m.Text(rest),) if rest else ()) + inlines[1:]


def outline_levels(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """``blocks`` with heading levels that never skip one: a heading is one level below the
    nearest heading before it written with a smaller level, or level 1 (``##`` ``####``
    ``##`` become levels 1, 2 and 1), so every edition's outline and heading order is well
    formed whatever level the source starts at."""
    open_: list[tuple[int, int]] = []  # (level as written, level given) of enclosing headings

    def levelled(heading: m.Heading) -> m.Heading:
        while open_ and open_[-1][0] >= heading.level:
            open_.pop()
        level = open_[-1][1] + 1 if open_ else 1
        open_.append((heading.level, level))
        return replace(heading, level=level)

    return map_headings(blocks, levelled)


class _Builder:
    def __init__(
        self,
        lines: list[str],
        resolve: Callable[[Placement], m.Block | str],
        image: ImageResolver,
        notes: bool,
    ) -> None:
        self.lines = lines
        self.resolve = resolve
        self.image = image
        self.allow_notes = notes
        self.problems: list[tuple[int, int, str]] = []
        self.warnings: list[tuple[int, int, str]] = []
        self.notes: list[m.Note] = []
        self.references: list[tuple[str, int, int]] = []  # "#id" links and where they are

    def check_notes(self, env: dict[str, Any]) -> None:
        """Every note written is called: a note nobody calls would be lost from the editions."""
        data = env.get("footnotes", {})
        called = {item.get("label") for item in data.get("list", {}).values()}
        for key in data.get("refs", {}):
            label = key[1:]
            if label not in called:
                line, col = self._locate(0, f"[^{label}]:", len(self.lines))
                self.problems.append(
                    (line, col, f"note [^{label}] is written but never called; call it with "
                     f"[^{label}] in the text or delete it")
                )  # fmt: skip

    def check_references(self, blocks: tuple[m.Block, ...]) -> None:
        """Every ``#id`` link names a heading, table or figure; no id is given twice."""
        known: dict[str, int] = {}
        for block in m.walk_blocks(blocks):
            ident = getattr(block, "ident", "")
            if not ident:
                continue
            if ident in known:
                self.problems.append((block.line, 0, f"id {ident!r} is already given on "
                                      f"line {known[ident] + 1}"))  # fmt: skip
            known.setdefault(ident, block.line)
        for url, line, col in self.references:
            if url[1:] not in known:
                names = ", ".join(sorted(known)[:8]) or "none"
                self.problems.append(
                    (line, col, f"link {url!r}: no heading, table or figure has the id "
                     f"{url[1:]!r} (ids: {names})")
                )  # fmt: skip

    def blocks(self, tokens: list[Any], start: int, stop: int) -> list[m.Block]:
        out: list[m.Block] = []
        i = start
        while i < stop:
            tok = tokens[i]
            end = _closing(tokens, i) if tok.nesting == 1 else i
            block = self.block(tokens, i, end)
            if block is not None:
                out.append(block)
            i = end + 1
        return out

    def block(self, tokens: list[Any], i: int, end: int) -> m.Block | None:
        tok = tokens[i]
        line = tok.map[0] if tok.map else 0
        kind = tok.type
        ident = str(tok.attrs.get("id", ""))
        if ident and kind not in ("heading_open", "table_open"):
            self.problems.append((line, 0, f"{{#{ident}}} names a heading or a table: put it "
                                  "on the line before one"))  # fmt: skip
        elif ident and id_problem(ident):
            self.problems.append((line, 0, id_problem(ident) or ""))
            ident = ""
        if kind == "paragraph_open":
            figure = self.figure(tokens[i + 1], line)
            if figure is not None:
                return figure
            return m.Paragraph(self.inlines(tokens[i + 1], line), line)
        if kind == "heading_open":
            heading = m.Heading(int(tok.tag[1]), self.inlines(tokens[i + 1], line), line)
            return replace(heading, ident=ident)
        if kind == "footnote_block_open":
            self.note_block(tokens, i, end)
            return None
        if kind == "footnote_anchor":
            return None
        if kind == "blockquote_open":
            return m.BlockQuote(tuple(self.blocks(tokens, i + 1, end)), line)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(tokens, i, end, line)
        if kind in ("fence", "code_block"):
            return m.CodeBlock(tok.content.rstrip("\n"), line)
        if kind == "hr":
            return m.ThematicBreak(line)
        if kind == "container_div_open":
            return self.container(tokens, i, end, line)
        if kind == "table_open":
            return replace(self.table(tokens, i, end, line), ident=ident)
        self.problems.append((line, 0, f"unsupported Markdown element ({kind})"))
        return None

    def note_block(self, tokens: list[Any], i: int, end: int) -> None:
        """The notes, in the order they are first called (mdit numbers them so)."""
        j = i + 1
        while j < end:
            close = _closing(tokens, j)
            meta = tokens[j].meta or {}
            label = meta.get("label")
            line = self._locate(0, f"[^{label}]:", len(self.lines))[0] if label else 0
            blocks = tuple(self.blocks(tokens, j + 1, close))
            inside = m.walk_blocks(blocks)
            if any(isinstance(b, m.Figure | m.PollBlock | m.Callout) for b in inside):
                self.problems.append((line, 0, "a note holds text (paragraphs, lists, quotes, "
                                      "code); place figures and boxes in the body"))  # fmt: skip
            number = int(meta.get("id", 0)) + 1
            if number in _calls_of(blocks):
                self.problems.append((*self._self_call(line, str(label)), f"note [^{label}] "
                                      "calls itself; a note may call other notes, not itself"))
            if self.allow_notes:  # else its call is refused
                self.notes.append(m.Note(number, blocks, line))
            j = close + 1

    def figure(self, inline_tok: Any, line: int) -> m.Figure | None:
        """The figure a paragraph is when it holds one image and nothing else."""
        children = [
            t for t in inline_tok.children or []
            if not (t.type in ("text", "softbreak") and not t.content.strip())
        ]  # fmt: skip
        if len(children) != 1 or children[0].type != "image":
            return None
        tok = children[0]
        src = unquote(str(tok.attrs.get("src", "")))  # the parser %-encodes "рисунок.png"
        where = self._locate(line, src)
        problem = id_problem(str(tok.attrs["id"])) if tok.attrs.get("id") else None
        if problem:
            self.problems.append((*where, problem))
            return stand_in(src, "", line)
        classes = str(tok.attrs.get("class", "")).split()
        ref = ImageRef(
            src=src,
            alt=m.plain_text(tuple(self.inlines(tok, line))).strip(),
            title=str(tok.attrs.get("title", "")),
            ident=str(tok.attrs.get("id", "")),
            width=str(tok.attrs.get("width", "")),
            decorative="decorative" in classes,
        )
        resolved = self.image(ref)
        if isinstance(resolved, str):
            self.problems.append((*where, resolved))
            return stand_in(src, ref.ident, line)
        return replace(resolved, line=line)

    def list_block(self, tokens: list[Any], i: int, end: int, line: int) -> m.ListBlock:
        items: list[tuple[m.Block, ...]] = []
        j = i + 1
        while j < end:
            close = _closing(tokens, j)
            items.append(tuple(self.blocks(tokens, j + 1, close)))
            j = close + 1
        ordered = tokens[i].type == "ordered_list_open"
        start = int(tokens[i].attrs.get("start", 1)) if ordered else 1
        return m.ListBlock(ordered, tuple(items), start, line)

    def table(self, tokens: list[Any], i: int, end: int, line: int) -> m.Table:
        rows: list[tuple[m.Cell, ...]] = []
        align: list[str] = []
        row: list[m.Cell] = []
        for j in range(i, end):
            tok = tokens[j]
            if tok.type in ("th_open", "td_open"):
                if not rows:
                    style = str(tok.attrs.get("style", ""))
                    align.append(style.removeprefix("text-align:") if style else "")
                row.append(self.inlines(tokens[j + 1], line))
            elif tok.type == "tr_close":
                rows.append(tuple(row))
                row = []
        body = [t.map[0] for t in tokens[i:end] if t.type == "tr_open" and t.map]
        self.check_rows(body[1:], len(rows[0]))
        return m.Table(rows[0], tuple(rows[1:]), tuple(align), line=line)

    def check_rows(self, numbers: list[int], columns: int) -> None:
        """A row with more cells than the header is refused at its first extra cell (the
        parser would drop it); a shorter one is padded with empty cells, and said."""
        from markdown_it.rules_block.table import escapedSplit

        for number in numbers:
            text = self.lines[number]
            prefix = len(_ROW_PREFIX.match(text).group())  # type: ignore[union-attr]
            cells = escapedSplit(text[prefix:].rstrip())
            lead = 1 if cells and cells[0] == "" else 0
            cells = cells[lead:-1] if len(cells) > lead and cells[-1] == "" else cells[lead:]
            if len(cells) > columns:
                column = prefix + _after_pipe(text[prefix:], columns + lead)
                column += len(text[column:]) - len(text[column:].lstrip())
                self.problems.append((number, column, f"this row has {len(cells)} cells and "
                                      f"the header {columns}: the cells from here on would be "
                                      "lost; add a column to the header or join the cells"))
            elif len(cells) < columns:
                self.warnings.append((number, prefix, f"this row has {len(cells)} of the "
                                      f"table's {columns} cells; the rest are left empty"))

    def container(self, tokens: list[Any], i: int, end: int, line: int) -> m.Block | None:
        words = tokens[i].info.split()
        if len(words) != 2 or end > i + 1:
            self.problems.append(
                (line, 0, "a container is written `::: poll <id>` or `::: related <id>`, "
                 "with nothing inside")
            )  # fmt: skip
            return None
        resolved = self.resolve(Placement(words[0], words[1], line))
        if isinstance(resolved, str):
            self.problems.append((line, 4, resolved))
            return None
        return resolved

    def inlines(self, inline_tok: Any, line: int) -> tuple[m.Inline, ...]:
        children = inline_tok.children or []
        nodes, _ = self._inline_run(children, 0, line, closer=None)
        return tuple(nodes)

    def _inline_run(
        self, toks: list[Any], i: int, line: int, closer: str | None
    ) -> tuple[list[m.Inline], int]:
        out: list[m.Inline] = []
        while i < len(toks):
            tok = toks[i]
            if closer and tok.type == closer:
                return out, i + 1
            i += 1
            node = self._simple_inline(tok, line)
            if node is not None:
                out.append(node)
                continue
            opener = tok.type
            if not opener.endswith("_open"):
                self.problems.append((line, 0, f"unsupported Markdown element ({tok.type})"))
                continue
            inner, i = self._inline_run(toks, i, line, opener[:-5] + "_close")
            wrapped = self._wrap(opener, tok, tuple(inner), line)
            if wrapped is not None:
                out.append(wrapped)
        return out, i

    def _simple_inline(self, tok: Any, line: int) -> m.Inline | None:
        if tok.type == "text":
            uncalled = _UNCALLED.search(tok.content)
            if uncalled:
                self.problems.append(
                    (*self._locate(line, uncalled.group()), f"note {uncalled.group()} is "
                     f"called but never written; add `{uncalled.group()}: the note` below")
                )  # fmt: skip
            return m.Text(tok.content)
        if tok.type == "softbreak":
            return m.Text(" ")
        if tok.type == "hardbreak":
            return m.LineBreak()
        if tok.type == "code_inline":
            return m.Code(tok.content)
        if tok.type == "image":
            self.problems.append(
                (*self._locate(line, tok.attrs.get("src", "")), "an image is a figure and "
                 "stands alone in its paragraph, with blank lines around it")
            )  # fmt: skip
            return m.Text("")
        if tok.type == "footnote_ref":
            if not self.allow_notes:
                self.problems.append((line, 0, "a note cannot be called from here; call it "
                                      "from the body"))  # fmt: skip
            return m.NoteRef(int(tok.meta.get("id", 0)) + 1)
        return None

    def _wrap(self, opener: str, tok: Any, inner: tuple[m.Inline, ...], line: int) -> m.Inline:
        if opener == "em_open":
            return m.Emph(inner)
        if opener == "strong_open":
            return m.Strong(inner)
        if opener == "span_open":
            lang = str(tok.attrs.get("lang", ""))
            return m.Span(lang, inner) if lang else m.Emph(inner)
        if opener == "link_open":
            url = str(tok.attrs.get("href", ""))
            if m.is_internal(url) and len(url) > 1:
                self.references.append((url, *self._locate(line, f"({url}")))
                return m.Link(url, inner)
            if not url.lower().startswith(ALLOWED_SCHEMES):
                self.problems.append(
                    (*self._locate(line, url), f"link {url!r}: only http, https and mailto "
                     "addresses are allowed (and #id, for a place in the article)")
                )  # fmt: skip
                return m.Text(m.plain_text(inner))
            return m.Link(url, inner)
        self.problems.append((line, 0, f"unsupported Markdown element ({opener})"))
        return m.Text(m.plain_text(inner))

    def _self_call(self, line: int, label: str) -> tuple[int, int]:
        """Where note ``label``, written on ``line``, calls itself: the first call after
        its own ``[^label]:``."""
        call = f"[^{label}]"
        for n in range(line, len(self.lines)):
            start = self.lines[n].find(call) + len(call) if n == line else 0
            col = self.lines[n].find(call, max(start, 0))
            if col >= 0:
                return n, col
        return line, 0

    def _locate(self, line: int, needle: str, span: int = 200) -> tuple[int, int]:
        for n in range(line, min(line + span, len(self.lines))):
            col = self.lines[n].find(needle) if needle else -1
            if col >= 0:
                return n, col
        return line, 0


def _after_pipe(text: str, count: int) -> int:
    """The index just after the ``count``-th unescaped ``|`` of ``text`` (as the table
    parser splits cells)."""
    escaped = False
    for at, char in enumerate(text):
        if char == "|" and not escaped:
            count -= 1
            if count == 0:
                return at + 1
        escaped = char == "\\"
    return len(text)


def _calls_of(blocks: tuple[m.Block, ...]) -> set[int]:
    """The notes called anywhere in ``blocks``: paragraphs, headings, table cells, captions."""
    calls: set[int] = set()
    for block in m.walk_blocks(blocks):
        if isinstance(block, m.Paragraph | m.Heading):
            calls.update(m.note_calls(block.children))
        elif isinstance(block, m.Table):
            for row in (block.header, *block.rows, (block.caption,)):
                for cell in row:
                    calls.update(m.note_calls(cell))
    return calls


def _closing(tokens: list[Any], i: int) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1
