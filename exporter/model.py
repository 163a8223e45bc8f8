"""The format-neutral article: metadata, blocks, inlines and polls, typed and immutable."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Union

# ---------------------------------------------------------------------------
# Localized text


@dataclass(frozen=True)
class LocalizedText:
    """A text in one or more languages, e.g. ``{"en": "Title", "ru": "Заголовок"}``.

    The first language given is the primary one.
    """

    items: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, mapping: Mapping[str, str]) -> LocalizedText:
        return cls(tuple(mapping.items()))

    def get(self, lang: str, default: str | None = None) -> str | None:
        for key, value in self.items:
            if key == lang or key.split("-")[0] == lang.split("-")[0]:
                return value
        return default

    def __getitem__(self, lang: str) -> str:
        value = self.get(lang)
        if value is None:
            raise KeyError(lang)
        return value

    def __contains__(self, lang: object) -> bool:
        return isinstance(lang, str) and self.get(lang) is not None

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.items)

    def in_lang(self, lang: str) -> str:
        """The text in ``lang``, else in the primary language."""
        value = self.get(lang)
        return value if value is not None else self.items[0][1]

    def others(self, lang: str) -> tuple[tuple[str, str], ...]:
        """Every translation except the one in ``lang``."""
        return tuple((k, v) for k, v in self.items if k.split("-")[0] != lang.split("-")[0])


# ---------------------------------------------------------------------------
# Inlines


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Span:
    """Inline text in a language other than its surroundings."""

    lang: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class NoteRef:
    """The call of a note: its number in the article (from 1)."""

    number: int


Inline = Union[Text, Code, LineBreak, Emph, Strong, Link, Span, NoteRef]  # noqa: UP007


def is_internal(url: str) -> bool:
    """Whether a link's address points into the article (``#id``)."""
    return url.startswith("#")


# ---------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]
    line: int = 0


@dataclass(frozen=True)
class Heading:
    level: int
    children: tuple[Inline, ...]
    line: int = 0
    ident: str = ""  # the id a cross-reference names (``#ident``)


@dataclass(frozen=True)
class BlockQuote:
    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1
    line: int = 0


@dataclass(frozen=True)
class CodeBlock:
    text: str
    line: int = 0


@dataclass(frozen=True)
class ThematicBreak:
    line: int = 0


@dataclass(frozen=True)
class Callout:
    """A box set apart from the body: ``role`` names its kind (e.g. "related")."""

    role: str
    label: str
    blocks: tuple[Block, ...]
    line: int = 0


Cell = tuple["Inline", ...]


@dataclass(frozen=True)
class Table:
    """A table: a header row, body rows, each column's alignment ("left", "right", "center"
    or "" for the default), an optional caption and its number in the article (from 1)."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[str, ...]
    caption: tuple[Inline, ...] = ()
    number: int = 0
    line: int = 0
    ident: str = ""


@dataclass(frozen=True)
class Image:
    """An image file of the article, checked and made ready for the editions: ``data`` in
    ``media_type`` (PNG, JPEG or SVG), ``width`` × ``height`` in pixels (an SVG's in CSS
    pixels), ``path`` as the source names it, relative to the article's folder."""

    path: str
    media_type: str
    width: int
    height: int
    data: bytes = field(repr=False)

    @property
    def is_vector(self) -> bool:
        return self.media_type == "image/svg+xml"

    @property
    def suffix(self) -> str:
        return {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}[self.media_type]


@dataclass(frozen=True)
class Figure:
    """An image at its place in the text: ``alt`` describes it to a reader who cannot see it
    ("" marks it decorative), ``caption`` and ``credit`` are printed with it, ``width`` is
    the share of the text width it may take (1.0: all of it), ``number`` its number in the
    article (0: not numbered)."""

    image: Image
    alt: str
    caption: tuple[Inline, ...] = ()
    credit: tuple[Inline, ...] = ()
    width: float = 1.0
    number: int = 0
    line: int = 0
    ident: str = ""

    @property
    def decorative(self) -> bool:
        return not self.alt


@dataclass(frozen=True)
class Note:
    """A note the text calls by ``number``: its paragraphs."""

    number: int
    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class Answer:
    label: str
    votes: int
    share: int
    published_share: int | None = None


@dataclass(frozen=True)
class Poll:
    id: str
    question: str
    answers: tuple[Answer, ...]
    status: str = ""

    @property
    def total(self) -> int:
        return sum(a.votes for a in self.answers)


@dataclass(frozen=True)
class PollBlock:
    """The place in the body where a poll is shown."""

    poll: Poll
    line: int = 0


Block = Union[  # noqa: UP007
    Paragraph,
    Heading,
    BlockQuote,
    ListBlock,
    CodeBlock,
    ThematicBreak,
    Callout,
    PollBlock,
    Table,
    Figure,
]


# ---------------------------------------------------------------------------
# Metadata


@dataclass(frozen=True)
class Author:
    """A person or an organisation (``organisation``) credited as ``role``: "author",
    "editor" or "translator"; ``url`` is where readers find them (their ORCID record)."""

    name: LocalizedText
    affiliations: tuple[LocalizedText, ...] = ()
    file_as: str | None = None
    role: str = "author"
    organisation: bool = False
    orcid: str = ""
    url: str = ""

    @property
    def link(self) -> str:
        """The author's page: their ORCID record, else their web address, else ""."""
        return f"https://orcid.org/{self.orcid}" if self.orcid else self.url


@dataclass(frozen=True)
class Publisher:
    name: LocalizedText
    short: LocalizedText | None = None


@dataclass(frozen=True)
class Rating:
    votes: int
    score: float
    scale: int


@dataclass(frozen=True)
class RelatedArticle:
    id: str
    authors: tuple[str, ...]
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Certification:
    """Who evaluated the e-book's accessibility, against what, and where the report is."""

    certified_by: str
    conforms_to: str = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
    report: str = ""


@dataclass(frozen=True)
class Article:
    """One article, everything every edition needs and nothing format-specific."""

    slug: str
    lang: str
    title: LocalizedText
    authors: tuple[Author, ...]
    publisher: Publisher
    published: dt.date
    summary: tuple[Block, ...]
    body: tuple[Block, ...]
    subtitle: LocalizedText | None = None
    short_title: LocalizedText | None = None
    date_note: str = ""
    web: LocalizedText | None = None
    rating: Rating | None = None
    related: tuple[RelatedArticle, ...] = ()
    polls: tuple[Poll, ...] = ()
    keywords: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    license: str = ""
    attribution: str = ""
    footnotes: tuple[Note, ...] = ()
    doi: str = ""
    series: LocalizedText | None = None
    certification: Certification | None = None
    series_number: str = ""
    dateline: LocalizedText | None = None
    source_path: str = field(default="", compare=False)

    @property
    def other_langs(self) -> tuple[str, ...]:
        """Languages of the title other than the body's, in source order."""
        return tuple(k for k, _ in self.title.others(self.lang))

    @property
    def has_code(self) -> bool:
        """Whether any code (a block or inline) is set in the summary or the body."""
        notes = tuple(block for note in self.footnotes for block in note.blocks)
        return any(any(code_texts(blocks)) for blocks in (self.summary, self.body, notes))

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def license_url(self) -> str:
        """The licence's address: as given, or the Creative Commons deed of a CC licence
        named by its SPDX id ("CC-BY-SA-4.0") or its usual name ("CC BY-SA 4.0")."""
        text = self.license.strip()
        if text.lower().startswith(("http://", "https://")):
            return text
        match = _CC.match(text.replace(" ", "-").upper())
        if not match:
            return ""
        kind, version = match.group(1).lower(), match.group(2)
        if kind == "zero" or match.group(0).startswith("CC0"):
            return f"https://creativecommons.org/publicdomain/zero/{version}/"
        return f"https://creativecommons.org/licenses/{kind}/{version}/"

    def running_title(self) -> str:
        return (self.short_title or self.title).in_lang(self.lang)

    @property
    def creators(self) -> tuple[Author, ...]:
        """The authors proper (not the editors or translators), in order; everyone credited
        when no one is an author (a volume of editors)."""
        return tuple(a for a in self.authors if a.role == "author") or self.authors

    def author_names(self, lang: str | None = None) -> list[str]:
        """The names of the authors proper: bylines, running heads and citations list these."""
        return [a.name.in_lang(lang or self.lang) for a in self.creators]


# ---------------------------------------------------------------------------
# Helpers every renderer shares


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
    for node in inlines:
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, NoteRef):
            out.append(str(node.number) if calls else "")
        else:
            out.append(plain_text(node.children, calls))
    return "".join(out)


def note_calls(inlines: tuple[Inline, ...]) -> list[int]:
    """The numbers of the notes ``inlines`` call, in order."""
    out: list[int] = []
    for node in inlines:
        if isinstance(node, NoteRef):
            out.append(node.number)
        elif hasattr(node, "children"):
            out += note_calls(node.children)
    return out


def block_texts(blocks: tuple[Block, ...], calls: bool = False) -> Iterator[str]:
    """Every paragraph-level text of ``blocks`` in reading order (polls excluded); with
    ``calls``, notes' calls are their numbers (see ``plain_text``)."""
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            yield plain_text(block.children, calls)
        elif isinstance(block, CodeBlock):
            yield block.text
        elif isinstance(block, BlockQuote | Callout):
            yield from block_texts(block.blocks, calls)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from block_texts(item, calls)
        elif isinstance(block, Table):
            if block.caption:
                yield plain_text(block.caption, calls)
            for row in (block.header, *block.rows):
                yield from (plain_text(cell, calls) for cell in row)
        elif isinstance(block, Figure):
            for part in (block.caption, block.credit):
                if part:
                    yield plain_text(part, calls)


def walk_blocks(blocks: tuple[Block, ...]) -> list[Block]:
    """``blocks`` and every block inside them (in quotes, boxes and lists), in reading order."""
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, BlockQuote | Callout):
            out += walk_blocks(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                out += walk_blocks(item)
    return out


def anchors(article: Article) -> list[str]:
    """The id of every heading, table and figure of the body, in reading order: the places a
    cross-reference (``#id``) may lead to."""
    return [ident for b in walk_blocks(article.body) if (ident := getattr(b, "ident", ""))]


def figure_images_of(blocks: tuple[Block, ...]) -> Iterator[Image]:
    """The image of every figure in ``blocks``, in reading order."""
    return (block.image for block in walk_blocks(blocks) if isinstance(block, Figure))


def note_texts(notes: tuple[Note, ...]) -> Iterator[str]:
    """Every paragraph-level text of the notes, in note order."""
    for note in notes:
        yield from block_texts(note.blocks)


def code_texts(blocks: tuple[Block, ...], line: int = 0) -> Iterator[tuple[int, str]]:
    """Every piece of code in ``blocks`` (code blocks and inline code) with its source line."""
    for block in blocks:
        here = getattr(block, "line", 0) or line
        if isinstance(block, CodeBlock):
            yield here, block.text
        elif isinstance(block, Paragraph | Heading):
            yield from ((here, text) for text in _inline_code(block.children))
        elif isinstance(block, Figure):
            for part in (block.caption, block.credit):
                yield from ((here, text) for text in _inline_code(part))
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                yield from ((here, text) for cell in row for text in _inline_code(cell))
        elif isinstance(block, BlockQuote | Callout):
            yield from code_texts(block.blocks, here)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from code_texts(item, here)


def _inline_code(inlines: tuple[Inline, ...]) -> Iterator[str]:
    for node in inlines:
        if isinstance(node, Code):
            yield node.text
        elif isinstance(node, Emph | Strong | Link | Span):
            yield from _inline_code(node.children)


_CC = re.compile(r"^CC-?(BY(?:-NC)?(?:-SA|-ND)?|ZERO|0)-(\d\.\d)$")
