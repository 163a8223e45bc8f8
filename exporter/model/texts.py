"""What every renderer and check asks of the model: plain texts, code, note calls, images,
anchors and poll shares; every traversal goes through ``exporter.walk``."""

from __future__ import annotations

from collections.abc import Iterator

from exporter import walk
from exporter.model.article import Article
from exporter.model.nodes import (
    Bibliography,
    Block,
    Code,
    CodeBlock,
    Figure,
    Image,
    Inline,
    LineBreak,
    Note,
    NoteRef,
    Text,
)


def largest_remainder_shares(votes: list[int], total_percent: int = 100) -> list[int]:
    """Whole-number percentages that sum to ``total_percent`` (largest remainder method)."""
    total = sum(votes)
    if total == 0:
        return [0 for _ in votes]
    exact = [v * total_percent / total for v in votes]
    shares = [int(x) for x in exact]
    short = total_percent - sum(shares)
    order = sorted(range(len(votes)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:short]:
        shares[i] += 1
    return shares


def plain_text(inlines: tuple[Inline, ...], calls: bool = False) -> str:
    """The text of inlines without formatting; with ``calls``, each note's call as its
    number (as an edition shows it), else without them (a call is a mark beside the text)."""
    out: list[str] = []
    for node in walk.inline_nodes(inlines):
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, NoteRef) and calls:
            out.append(str(node.number))
    return "".join(out)


def note_calls(inlines: tuple[Inline, ...]) -> list[int]:
    """The numbers of the notes ``inlines`` call, in order."""
    return [node.number for node in walk.inline_nodes(inlines) if isinstance(node, NoteRef)]


def block_note_calls(blocks: tuple[Block, ...]) -> list[int]:
    """The numbers of the notes called anywhere in ``blocks`` (nested blocks, table cells
    and captions, figure captions included), in reading order, as often as each is called."""
    return [node.number for node in walk.inlines(blocks) if isinstance(node, NoteRef)]


def block_texts(blocks: tuple[Block, ...], calls: bool = False) -> Iterator[str]:
    """Every paragraph-level text of ``blocks`` in reading order (polls excluded): each
    paragraph, heading and code block, each table's caption and cells, each figure's caption
    and credit; with ``calls``, notes' calls are their numbers (see ``plain_text``)."""
    for block in walk.blocks(blocks):
        if isinstance(block, CodeBlock):
            yield block.text
        yield from (plain_text(part, calls) for part in walk.child_inlines(block))


def walk_blocks(blocks: tuple[Block, ...]) -> list[Block]:
    """``blocks`` and every block inside them (in quotes, boxes and lists), in reading order."""
    return list(walk.blocks(blocks))


def anchors(article: Article) -> list[str]:
    """The id of every heading, table, figure and bibliography entry of the body, in reading
    order: the places a cross-reference (``#id``) or a citation may lead to."""
    out = []
    for block in walk.blocks(article.body):
        if ident := getattr(block, "ident", ""):
            out.append(ident)
        if isinstance(block, Bibliography):
            out.extend(entry.ident for entry in block.entries)
    return out


def figure_images_of(blocks: tuple[Block, ...]) -> Iterator[Image]:
    """The image of every figure in ``blocks``, in reading order."""
    return (block.image for block in walk.blocks(blocks) if isinstance(block, Figure))


def note_texts(notes: tuple[Note, ...]) -> Iterator[str]:
    """Every paragraph-level text of the notes, in note order."""
    for note in notes:
        yield from block_texts(note.blocks)


def code_texts(blocks: tuple[Block, ...], line: int = 0) -> Iterator[tuple[int, str]]:
    """Every piece of code in ``blocks`` (code blocks and inline code) with its source line
    (a block without one has the line of the block it stands in)."""
    lines: list[int] = [line]  # of the enclosing blocks, by depth
    for block, depth in walk.blocks_with_depth(blocks):
        del lines[depth + 1:]
        here = getattr(block, "line", 0) or lines[depth]
        lines.append(here)
        if isinstance(block, CodeBlock):
            yield here, block.text
        for part in walk.child_inlines(block):
            yield from ((here, text) for text in _inline_code(part))


def _inline_code(inlines: tuple[Inline, ...]) -> Iterator[str]:
    return (node.text for node in walk.inline_nodes(inlines) if isinstance(node, Code))
