"""A paragraph flowable set with our own line breaker: every character drawn exactly once.

reportlab's Paragraph drops real hyphens when it hyphenates across fragments and fails on
long paragraphs; this flowable breaks lines with ``linebreak`` and draws each line with
one text object. A hyphen added at a line end is drawn as U+00AD (SOFT HYPHEN): it looks
like a hyphen and a text extractor tells it apart from a hyphen of the text, as tagged
PDF asks (ISO 32000-1, 14.8.2.2.3).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable, Spacer

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
from exporter.formats.pdf.tagging import (
    Element,
    InlineTag,
    begin_artifact,
    begin_marked,
    end_marked,
    link_annotation,
    structure_of,
)
from exporter.formats.pdf.totalfit import NO_BREAK_SPACE, adjustment, total_fit


@dataclass(frozen=True)
class Look:
    """How a piece of text is set: face, size, colour and the link it belongs to."""

    font: str
    size: float
    color: Color
    link: str | None = None  # a web address, "#id" (a place in the article) or "note:N"
    rise: float = 0.0  # raised above the baseline (a note's call)
    tag: InlineTag | None = None  # the link or other-language span it is part of


Run = tuple[str, Look]
GAP_SIZE = 0.01  # points: the space a line broke at, kept in the text but taking no room


@lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def measure(text: str, look: Look) -> float:
    """The advance width of ``text`` set in ``look``, in points."""
    return _width(text, look.font, look.size)


def look_of(style: ParagraphStyle) -> Look:
    """The look of plain text in ``style``."""
    return Look(style.fontName, style.fontSize, style.textColor)


def _rebased(lines: list[Line]) -> list[Line]:
    """``lines``, the last of a paragraph's, as lines of the rest of it (``rest`` of the
    first): each line's start counted from the first line's."""
    index, carry = lines[0].start
    shift = index - (1 if carry is not None else 0)
    return [replace(line, start=(line.start[0] - shift, line.start[1])) for line in lines]


class TextBlock(Flowable):
    """Runs of text set in lines as wide as the frame, aligned as ``style`` says.

    ``style`` gives leading, alignment, indents, spacing and keep-with-next; its
    ``hyphenationLang`` (a language code, or empty) turns hyphenation on, and
    ``breakAtHyphens`` set false breaks lines only at spaces (a title's). With
    ``keep_spaces`` (code) spaces are kept as written and lines break only where they must.
    Its text is the content of ``tag`` (see ``tagging``): of the element's inline elements
    where its looks say so; drawn a second time (a table's header row repeated on a new
    page), it is an artifact.
    """

    def __init__(
        self,
        runs: list[Run],
        style: ParagraphStyle,
        keep_spaces: bool = False,
        items: list[Token] | None = None,
        first_line: bool = True,
        tag: Element | None = None,
    ) -> None:
        super().__init__()
        self.style, self.tag = style, tag
        self._drawn = False
        self.keep_spaces = keep_spaces
        self.first_line = first_line
        self._runs = runs
        self._items = items  # made from the runs when first asked for (a layout given up
        # early, as a handout's too long for its pages, never breaks the rest into words)
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self.keepWithNext = style.keepWithNext
        self._lines: list[Line] = []
        self._laid_width = -1.0
        self._frozen = False

    @property
    def items(self) -> list[Token]:
        """The block's words, spaces and forced breaks."""
        if self._items is None:
            style = self.style
            lang = style.hyphenationLang if isinstance(style.hyphenationLang, str) else ""
            self._items = tokens(
                with_fallback(self._runs), measure, lang or "en", bool(lang), self.keep_spaces,
                words_only=getattr(style, "breakAtHyphens", True) is False,
            )
            self._runs = []
        return self._items

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
        if abs(avail_width - self._laid_width) > 1e-6 and not self._frozen:  # float noise aside
            width = self._line_width(avail_width)
            if self.keep_spaces:  # code: lines break only where they must
                self._lines = fill(self.items, width, measure, indent=True)
            else:
                justify = self.style.alignment == TA_JUSTIFY
                self._lines = total_fit(self.items, width, measure, justify, self.style.fontSize)
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
        if fits >= len(lines):  # every line fits (the space around it did not): itself,
            return [self, Spacer(0, 0)]  # and a nothing after it (a table cell wants two parts)
        if len(lines) - fits < 2:  # no widow: at least two lines go on
            fits = len(lines) - 2
        if fits < 2:  # no orphan: at least two lines stay, else the whole moves on
            return []
        head = TextBlock([], self.style, self.keep_spaces, self.items, self.first_line, self.tag)
        head._lines, head._laid_width, head._frozen = lines[:fits], avail_width, True
        head.spaceAfter = 0
        head.keepWithNext = 0  # its own rest follows it; keeping it with that would never end
        tail = TextBlock([], self.style, self.keep_spaces, rest(self.items, lines[fits]), False,
                         self.tag)
        # at the same width the rest keeps the lines the whole paragraph was broken into
        # (a paragraph is broken once, as a whole, wherever the page ends)
        tail._lines, tail._laid_width = _rebased(lines[fits:]), avail_width
        tail.spaceBefore = 0
        tail.keepWithNext = self.keepWithNext  # as the template left it (it may clear it)
        return [head, tail]

    # -- drawing

    def draw(self) -> None:
        """All lines in one text object. In a tagged document each stretch of text is marked
        as content of its element (the block's, or that of a link or span in it), so a block
        with no links is one marked sequence; drawn a second time, the whole is an artifact."""
        style, canv = self.style, self.canv
        room = self._line_width(self.width)
        element = None if self._drawn else self.tag
        self._drawn = True
        tagged = structure_of(canv) is not None
        artifact = tagged and element is None and begin_artifact(canv, "Pagination")
        text = canv.beginText(0, 0)
        marks = _Marks(canv, text._code) if tagged and element is not None else None
        links: list[_Link] = []
        y = self.height - style.fontSize
        for index, line in enumerate(self.lines(self.width)):
            indent = style.leftIndent + (self._first_indent if index == 0 else 0.0)
            links += self._set_line(text, line, indent, room(index), y, element, marks)
            y -= style.leading
        if marks is not None:
            marks.close()
        canv.drawText(text)
        if artifact:
            end_marked(canv)
            return  # a repeat: its links are where it was first drawn
        size = style.fontSize
        for url, owner, words, left, right, base in _merged(links):
            area = (left, base - size * 0.25, right, base + size * 0.85)
            place = destination(url)
            description = words if place or words == url else f"{words}: {url}"
            link_annotation(canv, owner or Element("Link"), area, description,
                            url=None if place else url, destination=place)  # fmt: skip

    def _set_line(
        self,
        text: Any,
        line: Line,
        indent: float,
        room: float,
        y: float,
        element: Element | None,
        marks: _Marks | None,
    ) -> list[_Link]:
        """Set ``line`` in the text object from ``indent`` on the baseline ``y``; the links
        on it, as stretches of the line."""
        hyphen = measure(SOFT_HYPHEN, line.hyphen) if line.hyphen is not None else 0.0
        slack = room - line.width - hyphen
        align, word_space, scale = self.style.alignment, 0.0, 1.0
        x = indent
        justified = align == TA_JUSTIFY and not self.keep_spaces and (
            not (line.last or line.ragged) or slack < 0  # a last line set a little tight
        )
        if justified:  # spaces stretch or shrink, letters a little too (see ``totalfit``)
            word_space, scale = adjustment(line, room, measure)
        elif align == TA_RIGHT:
            x += slack
        elif align == TA_CENTER:
            x += slack / 2
        text.setTextOrigin(x, y)
        text.setWordSpace(word_space)  # text state outlives the line: always set it
        text.setHorizScale(scale * 100)
        links: list[_Link] = []
        cursor = x
        for chunk, look, spaces in _chunks(line):
            owner = element.inline(look.tag) if element and look.tag else element
            if marks is not None and owner is not None:
                marks.switch(owner)
            text.setFont(look.font, look.size)
            text.setFillColor(look.color)
            text.setRise(look.rise)
            width = measure(chunk, look)
            text_out(text, chunk, width)
            advance = (width + spaces * word_space) * scale
            if look.link:
                words = look.tag.text if look.tag else chunk
                links.append((look.link, owner, words, cursor, cursor + advance, y))
            cursor += advance
        text.setRise(0)
        if line.hyphen is not None:
            text.setFont(line.hyphen.font, line.hyphen.size)
            text.setFillColor(line.hyphen.color)
            text.textOut(SOFT_HYPHEN)
        elif line.gap is not None:  # the space it broke at, so the words stay apart in the
            # text read back (by a screen reader too); set too small to take room on the line
            owner = element.inline(line.gap.tag) if element and line.gap.tag else element
            if marks is not None and owner is not None:
                marks.switch(owner)
            text.setFont(line.gap.font, GAP_SIZE)
            text.textOut(" ")
        return links


def text_out(text: Any, chunk: str, width: float) -> None:
    """``text.textOut(chunk)``: the same operators, in fewer steps where the face is one
    of ours (TrueType, subset as it is used), and ``width`` (the chunk's, measured in the
    text object's face and size) not measured again. A test holds it to reportlab's own."""
    font = getFont(text._fontname)
    if not getattr(font, "_dynamicFont", False) or type(chunk) is not str:
        text.textOut(chunk)
        return
    canv = text._canvas
    doc = canv._doc
    parts = []
    for subset, codes in font.splitString(chunk, doc):
        if subset != text._curSubset:
            parts.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(text._fontsize)} "
                         f"Tf {fp_str(text._leading)} TL")  # fmt: skip
            text._curSubset = subset
        parts.append(f"({canv._escape(codes)}) Tj")
    text._x += width
    text._code.append(" ".join(parts))


_Link = tuple[str, Element | None, str, float, float, float]  # url, element, words, x0, x1, y


class _Marks:
    """The marked-content sequences of one text object: a new one each time the element
    whose text is being set changes."""

    def __init__(self, canv: Any, code: list[str]) -> None:
        self.canv, self.code = canv, code
        self.current: Element | None = None

    def switch(self, element: Element) -> None:
        if element is not self.current:
            self.close()
            begin_marked(self.canv, element, self.code)
            self.current = element

    def close(self) -> None:
        if self.current is not None:
            end_marked(self.canv, self.code)
            self.current = None


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
    texts: list[str] = []
    current: Look | None = None
    for item in line.items:
        for piece in (item,) if type(item) is Space else item.pieces:  # type: ignore[union-attr]
            look = piece.look
            if look is current or (texts and look == current):
                texts.append(piece.text)
                continue
            if texts:
                joined = "".join(texts)
                out.append((joined, current, joined.count(" ") + joined.count(NO_BREAK_SPACE)))
            texts, current = [piece.text], look
    if texts:
        joined = "".join(texts)  # spaces and no-break spaces widen alike
        out.append((joined, current, joined.count(" ") + joined.count(NO_BREAK_SPACE)))
    return out  # type: ignore[return-value]


def _merged(links: list[_Link]) -> list[_Link]:
    """Adjacent stretches of one link on one line as one clickable area."""
    out: list[_Link] = []
    for url, owner, words, left, right, y in links:
        last = out[-1] if out else None
        joins = last and last[0] == url and last[1] is owner and last[5] == y
        if joins and abs(last[4] - left) < 0.01:  # type: ignore[index]
            out[-1] = (url, owner, words, last[3], right, y)
        else:
            out.append((url, owner, words, left, right, y))
    return out
