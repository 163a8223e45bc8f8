"""A paragraph flowable set with our own line breaker: every character drawn exactly once.

reportlab's Paragraph drops real hyphens when it hyphenates across fragments and fails on
long paragraphs; this flowable breaks lines with ``linebreak`` and draws each line with
one text object. A hyphen added at a line end is drawn as U+00AD (SOFT HYPHEN): it looks
like a hyphen and a text extractor tells it apart from a hyphen of the text, as tagged
PDF asks (ISO 32000-1, 14.8.2.2.3).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from exporter.formats.pdf.fonts import with_fallback
from exporter.formats.pdf.linebreak import (
    SLACK,
    SOFT_HYPHEN,
    Line,
    Space,
    Token,
    fill,
    rest,
    tokens,
)


@dataclass(frozen=True)
class Look:
    """How a piece of text is set: face, size, colour and the link it belongs to."""

    font: str
    size: float
    color: Color
    link: str | None = None  # a web address, "#id" (a place in the article) or "note:N"
    rise: float = 0.0  # raised above the baseline (a note's call)


Run = tuple[str, Look]


@lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def measure(text: str, look: Look) -> float:
    """The advance width of ``text`` set in ``look``, in points."""
    return _width(text, look.font, look.size)


def look_of(style: ParagraphStyle) -> Look:
    """The look of plain text in ``style``."""
    return Look(style.fontName, style.fontSize, style.textColor)


class TextBlock(Flowable):
    """Runs of text set in lines as wide as the frame, aligned as ``style`` says.

    ``style`` gives leading, alignment, indents, spacing and keep-with-next; its
    ``hyphenationLang`` (a language code, or empty) turns hyphenation on. With
    ``keep_spaces`` (code) spaces are kept as written and lines break only where they must.
    """

    def __init__(
        self,
        runs: list[Run],
        style: ParagraphStyle,
        keep_spaces: bool = False,
        items: list[Token] | None = None,
        first_line: bool = True,
    ) -> None:
        super().__init__()
        self.style = style
        self.keep_spaces = keep_spaces
        self.first_line = first_line
        lang = style.hyphenationLang if isinstance(style.hyphenationLang, str) else ""
        self.items = items if items is not None else tokens(
            with_fallback(runs), measure, lang or "en", bool(lang), keep_spaces
        )
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self.keepWithNext = style.keepWithNext
        self._lines: list[Line] = []
        self._laid_width = -1.0
        self._frozen = False

    # -- notes

    def note_calls(self, avail_width: float | None = None, lines: int | None = None) -> list[int]:
        """The numbers of the notes called in the first ``lines`` lines at ``avail_width``;
        without them, in the whole block (as split, if it is the head of a split)."""
        if lines is not None and avail_width is not None:
            pieces = [p for line in self.lines(avail_width)[:lines] for p in _pieces(line.items)]
        elif self._frozen:
            pieces = [p for line in self._lines for p in _pieces(line.items)]
        else:
            pieces = list(_pieces(self.items))
        return [int(look.link[5:]) for _, look in pieces
                if look.link and look.link.startswith("note:")]  # fmt: skip

    # -- layout

    @property
    def _first_indent(self) -> float:
        """The first line's indent: none on the continuation of a split paragraph."""
        return self.style.firstLineIndent if self.first_line else 0.0

    def _line_width(self, avail: float) -> Any:
        left, right, first = self.style.leftIndent, self.style.rightIndent, self._first_indent

        def width(index: int) -> float:
            return max(avail - left - right - (first if index == 0 else 0.0), 1.0)

        return width

    def lines(self, avail_width: float) -> list[Line]:
        """The lines at ``avail_width``; the head of a split keeps the lines it was cut to."""
        if avail_width != self._laid_width and not self._frozen:
            width = self._line_width(avail_width)
            self._lines = fill(self.items, width, measure, indent=self.keep_spaces)
            self._laid_width = avail_width
        return self._lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = len(self.lines(avail_width)) * self.style.leading
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self.lines(avail_width)
        fits = int((avail_height + SLACK) // self.style.leading)
        room = getattr(getattr(self, "_frame", None), "note_room", None)
        if room is not None:  # the notes its lines call take room at the foot of the page
            while fits > 0 and not room(self.note_calls(avail_width, fits),
                                        avail_height - fits * self.style.leading):  # fmt: skip
                fits -= 1
        if fits >= len(lines):
            return [self]
        if len(lines) - fits < 2:  # no widow: at least two lines go on
            fits = len(lines) - 2
        if fits < 2:  # no orphan: at least two lines stay, else the whole moves on
            return []
        head = TextBlock([], self.style, self.keep_spaces, self.items, self.first_line)
        head._lines, head._laid_width, head._frozen = lines[:fits], avail_width, True
        head.spaceAfter = 0
        head.keepWithNext = 0  # its own rest follows it; keeping it with that would never end
        tail = TextBlock([], self.style, self.keep_spaces, rest(self.items, lines[fits]), False)
        tail.spaceBefore = 0
        tail.keepWithNext = self.keepWithNext  # as the template left it (it may clear it)
        return [head, tail]

    # -- drawing

    def draw(self) -> None:
        style = self.style
        room = self._line_width(self.width)
        y = self.height - style.fontSize
        for index, line in enumerate(self.lines(self.width)):
            indent = style.leftIndent + (self._first_indent if index == 0 else 0.0)
            self._draw_line(line, indent, room(index), y)
            y -= style.leading

    def _draw_line(self, line: Line, indent: float, room: float, y: float) -> None:
        hyphen = measure(SOFT_HYPHEN, line.hyphen) if line.hyphen is not None else 0.0
        slack = room - line.width - hyphen
        align, word_space = self.style.alignment, 0.0
        x = indent
        if align == TA_JUSTIFY and not line.last and line.spaces and not self.keep_spaces:
            word_space = max(slack, 0.0) / line.spaces
        elif align == TA_RIGHT:
            x += slack
        elif align == TA_CENTER:
            x += slack / 2
        canv = self.canv
        text = canv.beginText(x, y)
        text.setWordSpace(word_space)  # text state outlives the text object: always set it
        links: list[tuple[str, float, float]] = []
        cursor = x
        for chunk, look, spaces in _chunks(line):
            text.setFont(look.font, look.size)
            text.setFillColor(look.color)
            text.setRise(look.rise)
            text.textOut(chunk)
            advance = measure(chunk, look) + spaces * word_space
            if look.link:
                links.append((look.link, cursor, cursor + advance))
            cursor += advance
        text.setRise(0)
        if line.hyphen is not None:
            text.setFont(line.hyphen.font, line.hyphen.size)
            text.setFillColor(line.hyphen.color)
            text.textOut(SOFT_HYPHEN)
        canv.drawText(text)
        size = self.style.fontSize
        for url, left, right in _merged(links):
            area = (left, y - size * 0.25, right, y + size * 0.85)
            place = destination(url)
            if place is None:
                canv.linkURL(url, area, relative=1, thickness=0)
            else:
                canv.linkRect("", place, area, relative=1, thickness=0)


def destination(url: str) -> str | None:
    """The name of the place in the document a link goes to (None for a web address):
    ``#id`` to the heading, table or figure with that id, ``note:N`` to note N."""
    if url.startswith("#"):
        return anchor_name(url[1:])
    if url.startswith("note:"):
        return f"note-{url[5:]}"
    return None


def anchor_name(ident: str) -> str:
    """The destination name of the heading, table or figure with ``ident``."""
    return f"id-{ident}"


def _pieces(items: list) -> Iterator[tuple[str, Look]]:
    """The text of ``items`` (words and spaces) in pieces of one look each."""
    for item in items:
        if isinstance(item, Space):
            yield item.text, item.look
        elif hasattr(item, "pieces"):
            yield from ((p.text, p.look) for p in item.pieces)


def _chunks(line: Line) -> list[tuple[str, Look, int]]:
    """The line as strings in one look each, with the number of spaces in each."""
    out: list[tuple[str, Look, int]] = []
    for item in line.items:
        pieces = [(item.text, item.look)] if isinstance(item, Space) else [
            (p.text, p.look) for p in item.pieces
        ]
        for text, look in pieces:
            spaces = text.count(" ")
            if out and out[-1][1] == look:
                out[-1] = (out[-1][0] + text, look, out[-1][2] + spaces)
            else:
                out.append((text, look, spaces))
    return out


def _merged(links: list[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
    """Adjacent stretches of one link as one clickable area."""
    out: list[tuple[str, float, float]] = []
    for url, left, right in links:
        if out and out[-1][0] == url and abs(out[-1][2] - left) < 0.01:
            out[-1] = (url, out[-1][1], right)
        else:
            out.append((url, left, right))
    return out
