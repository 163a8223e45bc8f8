"""What parsed blocks become before an edition sees them, wherever they are nested: a table's
``Table:`` paragraph its caption, heading levels that never skip one, an id for every
heading, numbers for tables and figures; and the rules ids follow."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from exporter import model as m
from exporter import walk

ID = re.compile(r"^[^\W\d_][\w-]*$")  # a letter, then letters, digits, "_" and "-"
# ids the editions give their own parts
RESERVED_ID = re.compile(
    r"^(?:title|summary|summary-heading|article|article-heading|notes|notes-heading|toc|cover"
    r"|(?:note|noteref|heading|table|poll|callout)-.*)$"
)
CAPTION = "Table:"


def id_problem(ident: str) -> str | None:
    """Why ``ident`` cannot be an id a cross-reference names, or None."""
    if not ID.match(ident):
        return f"id {ident!r}: an id starts with a letter, then letters, digits, - and _"
    if RESERVED_ID.match(ident):
        return f"id {ident!r} is one the editions use for their own parts; choose another"
    return None


def arranged(
    blocks: tuple[m.Block, ...], notes: tuple[m.Note, ...] = ()
) -> tuple[tuple[m.Block, ...], tuple[m.Note, ...]]:
    """``blocks`` and ``notes`` as the editions take them: tables captioned, headings
    levelled and named, tables and figures numbered in document order."""
    blocks = heading_ids(outline_levels(table_captions(blocks)))
    notes = walk.map_notes(notes, table_captions)
    _, blocks, notes = walk.numbered_parts((), blocks, notes)
    return blocks, notes


def table_captions(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """Every table, wherever it stands, taking as its caption the paragraph right after it
    that starts with "Table:" (which then is not a paragraph of its own)."""

    def captioned(sequence: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
        out: list[m.Block] = []
        for block in sequence:
            if isinstance(block, m.Paragraph) and out and isinstance(out[-1], m.Table):
                caption = _caption(block.children)
                if caption is not None and not out[-1].caption:
                    out[-1] = replace(out[-1], caption=caption)
                    continue
            out.append(block)
        return tuple(out)

    return walk.map_block_lists(blocks, captioned)


def _caption(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...] | None:
    first = inlines[0] if inlines else None
    if not isinstance(first, m.Text) or not first.text.startswith(CAPTION):
        return None
    rest = first.text[len(CAPTION):].lstrip()
    return ((m.Text(rest),) if rest else ()) + inlines[1:]


def slug(text: str) -> str:
    """A heading's id as GitHub makes it: lower case, spaces as hyphens, punctuation gone."""
    spaced = re.sub(r"[\u00a0\u202f\u2007]", " ", text.strip().lower())  # no-break: a space
    return re.sub(r"[^\w\- ]", "", spaced).replace(" ", "-")


def heading_ids(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """Every heading with an id: its own ``{#id}``, else a slug of its text (``-1``, ``-2`` …
    added to repeats), so a cross-reference can name any heading."""
    taken = {ident for b in walk.blocks(blocks) if (ident := getattr(b, "ident", ""))}

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
    """``blocks`` with every heading, in reading order and wherever it is nested, replaced
    by what ``change`` makes of it."""
    return walk.map_blocks(blocks, lambda b: change(b) if isinstance(b, m.Heading) else b)


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


def calls_of(blocks: tuple[m.Block, ...]) -> set[int]:
    """The notes called anywhere in ``blocks``: paragraphs, headings, table cells, captions."""
    return set(m.block_note_calls(blocks))
