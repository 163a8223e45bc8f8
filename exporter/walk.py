"""Visiting and rebuilding every block and inline of the model wherever it is nested, in the
manner of pandoc's ``Walk``: ``query``-style iterators and ``map``-style rebuilders of the
frozen dataclasses, over every container (quotes, boxes, list items, notes, table cells and
captions, figure captions and credits, emphasis, links and spans). Nothing else recurses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from exporter.errors import RenderError
from exporter.model.nodes import (
    Bibliography,
    Block,
    BlockQuote,
    Callout,
    Emph,
    Figure,
    Heading,
    Inline,
    Link,
    ListBlock,
    Note,
    Paragraph,
    Span,
    Strong,
    Table,
)

if TYPE_CHECKING:
    from exporter.model.article import Article

Blocks = tuple[Block, ...]
Inlines = tuple[Inline, ...]
_INLINE_CONTAINERS = (Emph, Strong, Link, Span)


# ---------------------------------------------------------------------------
# query


def child_blocks(block: Block) -> Iterator[Blocks]:
    """The block sequences ``block`` holds directly: a quote's or box's blocks, each list
    item; none for any other block."""
    if isinstance(block, BlockQuote | Callout):
        yield block.blocks
    elif isinstance(block, ListBlock):
        yield from block.items


def child_inlines(block: Block) -> Iterator[Inlines]:
    """The inline sequences ``block`` holds directly, in reading order: a paragraph's or a
    heading's text, a table's caption then every cell row by row, a figure's caption and
    credit (an empty sequence is skipped), a bibliography's entries."""
    if isinstance(block, Paragraph | Heading):
        yield block.children
    elif isinstance(block, Table):
        if block.caption:
            yield block.caption
        for row in (block.header, *block.rows):
            yield from row
    elif isinstance(block, Figure):
        yield from (part for part in (block.caption, block.credit) if part)
    elif isinstance(block, Bibliography):
        yield from (entry.children for entry in block.entries)


def blocks(sequence: Iterable[Block]) -> Iterator[Block]:
    """Every block of ``sequence`` and every block nested in it, in reading order (a
    container before what it holds)."""
    for block in sequence:
        yield block
        for inner in child_blocks(block):
            yield from blocks(inner)


def blocks_with_depth(sequence: Iterable[Block], depth: int = 0) -> Iterator[tuple[Block, int]]:
    """As ``blocks``, each with how deep it is nested (0: in ``sequence`` itself)."""
    for block in sequence:
        yield block, depth
        for inner in child_blocks(block):
            yield from blocks_with_depth(inner, depth + 1)


def inline_nodes(sequence: Iterable[Inline]) -> Iterator[Inline]:
    """Every inline of ``sequence`` and every inline nested in it (in emphasis, links and
    spans), in reading order."""
    for node in sequence:
        yield node
        if isinstance(node, _INLINE_CONTAINERS):
            yield from inline_nodes(node.children)


def inlines(sequence: Iterable[Block]) -> Iterator[Inline]:
    """Every inline of every block of ``sequence`` wherever it is nested, in reading order."""
    for block in blocks(sequence):
        for part in child_inlines(block):
            yield from inline_nodes(part)


def note_blocks(notes: Iterable[Note]) -> Iterator[Block]:
    """Every block of ``notes`` wherever it is nested, in note order."""
    for note in notes:
        yield from blocks(note.blocks)


def article_blocks(article: Article) -> Iterator[Block]:
    """Every block of the article in document order: the summary, the body, then the notes."""
    yield from blocks(article.summary)
    yield from blocks(article.body)
    yield from note_blocks(article.footnotes)


# ---------------------------------------------------------------------------
# map


def map_blocks(sequence: Blocks, change: Callable[[Block], Block]) -> Blocks:
    """``sequence`` with every block, wherever it is nested, replaced by what ``change``
    makes of it. ``change`` is called in reading order, on a container before what it holds
    (then on the blocks of what it returned)."""
    return tuple(_rebuilt(change(block), lambda s: map_blocks(s, change)) for block in sequence)


def map_block_lists(sequence: Blocks, change: Callable[[Blocks], Blocks]) -> Blocks:
    """``sequence`` with every block sequence (itself, each quote's, box's and list item's)
    replaced by what ``change`` makes of it; for rules about neighbouring blocks. The outer
    sequence is changed first, then the sequences its blocks hold."""
    return tuple(
        _rebuilt(block, lambda s: map_block_lists(s, change)) for block in change(sequence)
    )


def map_inlines(sequence: Blocks, change: Callable[[Inline], Inline]) -> Blocks:
    """``sequence`` with every inline, wherever it is nested, replaced by what ``change``
    makes of it (in reading order, a container before what it holds)."""

    def inside(block: Block) -> Block:
        return with_inlines(block, lambda part: map_inline_nodes(part, change))

    return map_blocks(sequence, inside)


def map_inline_nodes(sequence: Inlines, change: Callable[[Inline], Inline]) -> Inlines:
    """``sequence`` with every inline, nested ones too, replaced by what ``change`` makes."""
    out: list[Inline] = []
    for node in sequence:
        node = change(node)
        if isinstance(node, _INLINE_CONTAINERS):
            node = replace(node, children=map_inline_nodes(node.children, change))
        out.append(node)
    return tuple(out)


def map_notes(notes: tuple[Note, ...], change: Callable[[Blocks], Blocks]) -> tuple[Note, ...]:
    """Each note with its blocks replaced by what ``change`` makes of them."""
    return tuple(replace(note, blocks=change(note.blocks)) for note in notes)


def map_article(article: Article, change: Callable[[Block], Block]) -> Article:
    """The article with every block of its summary, body and notes replaced by what
    ``change`` makes of it, in document order (see ``article_blocks``)."""
    summary = map_blocks(article.summary, change)
    body = map_blocks(article.body, change)
    notes = map_notes(article.footnotes, lambda s: map_blocks(s, change))
    return replace(article, summary=summary, body=body, footnotes=notes)


def _rebuilt(block: Block, inner: Callable[[Blocks], Blocks]) -> Block:
    if isinstance(block, BlockQuote | Callout):
        return replace(block, blocks=inner(block.blocks))
    if isinstance(block, ListBlock):
        return replace(block, items=tuple(inner(item) for item in block.items))
    return block


def with_inlines(block: Block, change: Callable[[Inlines], Inlines]) -> Block:
    """``block`` with each inline sequence it holds directly (see ``child_inlines``)
    replaced by what ``change`` makes of it."""
    if isinstance(block, Paragraph | Heading):
        return replace(block, children=change(block.children))
    if isinstance(block, Table):
        caption = change(block.caption)  # in reading order, as child_inlines gives them
        return replace(
            block,
            caption=caption,
            header=tuple(change(cell) for cell in block.header),
            rows=tuple(tuple(change(cell) for cell in row) for row in block.rows),
        )
    if isinstance(block, Figure):
        return replace(block, caption=change(block.caption), credit=change(block.credit))
    if isinstance(block, Bibliography):
        entries = tuple(replace(e, children=change(e.children)) for e in block.entries)
        return replace(block, entries=entries)
    return block


# ---------------------------------------------------------------------------
# numbering and ids, once for the whole document


def numbered(article: Article) -> Article:
    """Tables and figures numbered 1, 2, … in document order wherever they stand (a
    decorative image has no number), and every id given once in the document: a heading of
    the summary or of a note named like one of the body (which cross-references lead to)
    takes ``-1``, ``-2`` … after it."""
    summary, body, notes = numbered_parts(article.summary, article.body, article.footnotes)
    taken = {ident for block in blocks(body) if (ident := element_id(block))}

    def unique(block: Block) -> Block:
        if not isinstance(block, Heading) or block.ident not in taken:
            return block
        n = 1
        while f"{block.ident}-{n}" in taken:
            n += 1
        taken.add(f"{block.ident}-{n}")
        return replace(block, ident=f"{block.ident}-{n}")

    summary = map_blocks(summary, unique)
    notes = map_notes(notes, lambda s: map_blocks(s, unique))
    return replace(article, summary=summary, body=body, footnotes=notes)


def numbered_parts(
    summary: Blocks, body: Blocks, notes: tuple[Note, ...]
) -> tuple[Blocks, Blocks, tuple[Note, ...]]:
    """The numbering of ``numbered`` over an article's parts, in document order: the
    summary, the body and the notes, each returned numbered."""
    counts = {Table: 0, Figure: 0}

    def number(block: Block) -> Block:
        if isinstance(block, Table) or (isinstance(block, Figure) and not block.decorative):
            counts[type(block)] += 1
            return replace(block, number=counts[type(block)])
        return block

    summary = map_blocks(summary, number)
    body = map_blocks(body, number)
    return summary, body, map_notes(notes, lambda s: map_blocks(s, number))


def element_id(block: Block) -> str:
    """The id every edition gives ``block``: the one the source gives it, else one made
    from its kind and number (``table-2``), unique in the document since numbers are (and
    the source may not use those); "" for a block without one."""
    ident = getattr(block, "ident", "")
    if ident or not isinstance(block, Table):
        return ident
    return f"table-{block.number}"


def visitor(renderer: object, node: Block | Inline, prefix: str = "") -> Callable[..., Any]:
    """The method of ``renderer`` that renders ``node``: ``visit_<kind>``, the kind being the
    node's type in snake case (``visit_block_quote``, ``visit_list_block``); a node no
    visitor takes is refused with its source line. Every format's renderers dispatch so."""
    kind = _SNAKE.sub("_", type(node).__name__).lower()
    method = getattr(renderer, f"visit_{kind}", None)
    if method is None:
        line = getattr(node, "line", 0)
        raise RenderError(f"{prefix}cannot render {type(node).__name__} (source line {line})")
    return method


_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")
