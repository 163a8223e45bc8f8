"""The article's text as a tree: inlines and blocks (paragraphs, headings, quotes, lists,
code, boxes, tables, figures, polls) and notes, typed and immutable."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

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
    ident: str = ""  # an id of its own, where something links back to it (a citation)


@dataclass(frozen=True)
class Span:
    """Inline text in a language other than its surroundings."""

    lang: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class NoteRef:
    """The call of a note: its number in the article (from 1)."""

    number: int


@dataclass(frozen=True)
class CiteItem:
    """One work a citation cites: its key in the bibliography, the words around it
    (``prefix``: "see"; ``suffix``: what follows the locator), the ``locator`` (12, 33–35)
    and its CSL ``label`` ("page", "chapter" …), and whether the author is left out (the
    text names them)."""

    key: str
    prefix: str = ""
    suffix: str = ""
    locator: str = ""
    label: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class Cite:
    """A citation as written (``[see @a, p. 2; @b]``, or ``@a`` in the text): resolved by
    the source layer against the bibliography into text, links and notes, so no edition
    meets one. ``line`` and ``col`` (from 0) say where it is written."""

    items: tuple[CiteItem, ...]
    in_text: bool = False
    line: int = 0
    col: int = 0


Inline = Union[Text, Code, LineBreak, Emph, Strong, Link, Span, NoteRef, Cite]  # noqa: UP007


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
    related_id: str = ""  # a related-article box's: the id of the article it names


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


@dataclass(frozen=True)
class Reference:
    """One entry of a bibliography: ``ident`` the id citations link to (``ref-<key>``),
    ``label`` its number where the style numbers entries ("1"; "" where it does not),
    its text as the citation style sets it, and its language when it is not the article's
    (a Russian work in an English article)."""

    ident: str
    label: str
    children: tuple[Inline, ...]
    lang: str = ""
    cited: tuple[str, ...] = ()  # the ids of the citations that link to it, in order


@dataclass(frozen=True)
class Bibliography:
    """The works the article cites, in the citation style's order."""

    entries: tuple[Reference, ...]
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
    Bibliography,
]
