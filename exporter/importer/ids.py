"""Bookmarks as the ids cross-references name: a bookmark on a heading, table or figure that
a link points to (or that the Word edition set, ``_Ref3_paper_sizes``) becomes its id, and
each link to it ``#id``; a link to any other place is kept as its text, and said."""

from __future__ import annotations

import re
from dataclasses import replace

from exporter import model as m
from exporter import walk
from exporter.formats.docx.ooxml import bookmark_name
from exporter.importer.arrange import RAW_IDENT
from exporter.importer.context import INTERNAL
from exporter.importer.report import Report
from exporter.source.outline import heading_ids, id_problem, slug

_TOOLKIT = re.compile(r"^_Ref\d+_(.+)$")


def named(
    blocks: tuple[m.Block, ...], notes: tuple[m.Note, ...], report: Report,
    stored: list[str] | None = None,
) -> tuple[tuple[m.Block, ...], tuple[m.Note, ...], set[str]]:
    """``blocks`` and ``notes`` with their ids and internal links resolved, and the ids a
    heading must be given explicitly (``{#id}``; the others are its text's slug).
    ``stored``: the ids the Word edition listed, its n-th for its bookmark ``_Ref<n>_…``
    (a bookmark name holds only 40 letters and digits of it)."""
    everything = (*blocks, *(b for note in notes for b in note.blocks))
    targets = {n.url[1:] for n in walk.inlines(everything)
               if isinstance(n, m.Link) and n.url.startswith(INTERNAL)}  # fmt: skip
    taken: set[str] = set()
    explicit: set[str] = set()
    names: dict[str, m.Block] = {}

    def ident_of(block: m.Block) -> m.Block:
        raw = getattr(block, "ident", "")
        if not raw.startswith(RAW_IDENT):
            return block
        marks = [n for n in raw[1:].split("\x01")
                 if n in targets or _TOOLKIT.match(n) or not n.startswith("_")]  # fmt: skip
        if not marks:
            return replace(block, ident="")  # type: ignore[arg-type]
        ident = _stored(marks[0], stored or []) or _derived(marks[0])
        if isinstance(block, m.Heading):
            text = slug(m.plain_text(block.children))
            if not ident or ident == text:
                ident = ""
        elif not ident:
            ident = "figure" if isinstance(block, m.Figure) else "table"
        if ident:
            base, n = ident, 1
            while ident in taken:
                n += 1
                ident = f"{base}-{n}"
            taken.add(ident)
            if isinstance(block, m.Heading):
                explicit.add(ident)
        changed = replace(block, ident=ident)  # type: ignore[arg-type]
        for mark in marks:
            names[mark] = changed
        return changed

    blocks = walk.map_blocks(blocks, ident_of)
    notes = walk.map_notes(notes, lambda bs: walk.map_blocks(bs, ident_of))
    blocks = heading_ids(blocks)  # as the loader names them
    final = _final_ids(blocks, names)

    def link(node: m.Inline) -> m.Inline:
        if not isinstance(node, m.Link) or not node.url.startswith(INTERNAL):
            return node
        target = node.url[1:]
        if target in final:
            return m.Link(f"#{final[target]}", node.children)
        report.add(0, "", f"a link to the bookmark {target!r}, which is not on a heading, "
                   f"table or figure, is kept as its text ({m.plain_text(node.children)!r})")
        return m.Span("", node.children)

    blocks = _unwrap(walk.map_inlines(blocks, link))
    notes = walk.map_notes(notes, lambda bs: _unwrap(walk.map_inlines(bs, link)))
    return blocks, notes, explicit


def _stored(name: str, stored: list[str]) -> str:
    """The full id the Word edition named the bookmark ``name`` after ("" if it lists none,
    or one its name does not match)."""
    match = re.match(r"^_Ref(\d{1,6})(?:_|$)", name)
    if not match or not 0 < int(match.group(1)) <= len(stored):
        return ""
    index = int(match.group(1))
    ident = stored[index - 1]
    return ident if bookmark_name(index, ident) == name and not id_problem(ident) else ""


def _derived(name: str) -> str:
    """An id from a bookmark's name: the toolkit's ``_Ref3_paper_sizes`` → ``paper-sizes``,
    Word's ``_Ref123456`` → ``ref123456``, a name of the author's in lower case."""
    match = _TOOLKIT.match(name)
    text = match.group(1) if match else name.lstrip("_")
    ident = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if ident and (ident[0].isdecimal() or id_problem(ident)):
        ident = f"ref-{ident}"
    return ident if ident and not id_problem(ident) else ""


def _final_ids(blocks: tuple[m.Block, ...], names: dict[str, m.Block]) -> dict[str, str]:
    """Each bookmark name to the id its block has in ``blocks`` (a heading's slug found
    by the heading's position)."""
    found: dict[str, str] = {}
    flat = list(walk.blocks(blocks))
    for name, block in names.items():
        ident = getattr(block, "ident", "")
        if ident:
            found[name] = ident
            continue
        for candidate in flat:
            if isinstance(candidate, m.Heading) and candidate.children == block.children:
                found[name] = candidate.ident
                break
    return found


def _unwrap(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """``blocks`` with each language-less span (a link kept as its text) replaced by what
    it holds."""

    def flat(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        out: list[m.Inline] = []
        for node in inlines:
            if isinstance(node, m.Span) and not node.lang:
                out += flat(node.children)
            elif isinstance(node, m.Emph | m.Strong | m.Link | m.Span):
                out.append(replace(node, children=flat(node.children)))
            else:
                out.append(node)
        return tuple(out)

    return walk.map_blocks(blocks, lambda b: walk.with_inlines(b, flat))
