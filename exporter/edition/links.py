"""The addresses paper must print: every link to the web whose words are not its own
address gets a numbered link note, so a printed copy keeps the evidence a click would give.

Numbers follow reading order: the summary, then the body, a note's links read right after
the text that first calls the note (where a page sets it, at that page's foot); an address
linked again keeps its first number. A related-article box prints its address in the box
itself (``with_printed_addresses``), so its link takes no note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from exporter import walk
from exporter.model import (
    Article,
    Block,
    Callout,
    Code,
    CodeBlock,
    Emph,
    Inline,
    LineBreak,
    Link,
    NoteRef,
    Paragraph,
    Span,
    Strong,
    Text,
    is_internal,
    plain_text,
)

RELATED = "related"  # the role of a related-article box
_SCHEMES = ("https://", "http://", "mailto:")


def shown_address(url: str) -> str:
    """An address as a reader types it: a mail address without its ``mailto:``."""
    return url[len("mailto:") :] if url.startswith("mailto:") else url


def _bare(address: str) -> str:
    address = "".join(address.split()).replace("\u00ad", "").lower()
    for scheme in _SCHEMES:
        if address.startswith(scheme):
            address = address[len(scheme) :]
            break
    return address.removeprefix("www.").rstrip("/")


def needs_address(link: Link) -> bool:
    """Whether paper must print the link's address: it leads out of the article and its
    words are not the address (a scheme, ``www.`` or a closing slash aside)."""
    if is_internal(link.url):
        return False
    return _bare(plain_text(link.children)) != _bare(link.url)


@dataclass(frozen=True)
class LinkNotes:
    """The link notes of an article: ``addresses[n - 1]`` is the address of note ``n``."""

    addresses: tuple[str, ...]

    def number(self, link: Link) -> int | None:
        """The number of the note printing ``link``'s address (None: it needs none)."""
        if not needs_address(link):
            return None
        try:
            return self.addresses.index(link.url) + 1
        except ValueError:
            return None

    def entries(self) -> tuple[tuple[int, str], ...]:
        """Each note's number and the address it prints, in order."""
        return tuple((n, shown_address(url)) for n, url in enumerate(self.addresses, start=1))

    def __len__(self) -> int:
        return len(self.addresses)


def link_notes(article: Article) -> LinkNotes:
    """The link notes of ``article``, numbered in reading order (see the module)."""
    notes = {note.number: note.blocks for note in article.footnotes}
    order: dict[str, None] = {}
    read: set[int] = set()

    def blocks(sequence: Iterable[Block]) -> None:
        for block in sequence:
            if isinstance(block, Callout) and block.role == RELATED:
                continue
            for part in walk.child_inlines(block):
                called: list[int] = []
                for node in walk.inline_nodes(part):
                    if isinstance(node, Link) and needs_address(node):
                        order.setdefault(node.url)
                    elif isinstance(node, NoteRef):
                        called.append(node.number)
                for number in called:
                    if number in notes and number not in read:
                        read.add(number)
                        blocks(notes[number])
            for inner in walk.child_blocks(block):
                blocks(inner)

    blocks(article.summary)
    blocks(article.body)
    for number in notes:  # a note no text calls (the loader refuses one): after the rest
        if number not in read:
            read.add(number)
            blocks(notes[number])
    return LinkNotes(tuple(order))


def with_printed_addresses(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """``blocks`` with the address of each related-article box printed as its last line."""

    def addressed(block: Block) -> Block:
        if not (isinstance(block, Callout) and block.role == RELATED):
            return block
        urls = [node.url for node in walk.inlines(block.blocks)
                if isinstance(node, Link) and needs_address(node)]  # fmt: skip
        lines = tuple(Paragraph((Link(url, (Text(shown_address(url)),)),), block.line)
                      for url in dict.fromkeys(urls))  # fmt: skip
        return replace(block, blocks=(*block.blocks, *lines)) if lines else block

    return walk.map_blocks(blocks, addressed)


def mark(number: int) -> str:
    """A link note's mark as printed after the link's words: "[12]"."""
    return f"[{number}]"


def printed_text(inlines: tuple[Inline, ...], links: LinkNotes) -> str:
    """The text of ``inlines`` as paper prints it: each note's call as its number, each
    link needing an address followed by its link note's mark (a no-break space before it)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, NoteRef):
            out.append(str(node.number))
        elif isinstance(node, Link):
            out.append(printed_text(node.children, links))
            number = links.number(node)
            if number is not None:
                out.append(f"\u00a0{mark(number)}")
        elif isinstance(node, Emph | Strong | Span):
            out.append(printed_text(node.children, links))
    return "".join(out)


def printed_texts(blocks: tuple[Block, ...], links: LinkNotes) -> list[str]:
    """Every paragraph-level text of ``blocks`` as paper prints it (see ``printed_text``)."""
    out: list[str] = []
    for block in walk.blocks(with_printed_addresses(blocks)):
        if isinstance(block, CodeBlock):
            out.append(block.text)
        out += [printed_text(part, links) for part in walk.child_inlines(block)]
    return out
