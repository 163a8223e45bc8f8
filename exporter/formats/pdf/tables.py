"""Data tables in the PDFs: a caption above a real table (header row repeated on each page,
rows split between pages, cells aligned as the source says), its columns sharing the room
their content asks for.

A table never runs past its column and never breaks a word where no break belongs. One
too wide for its column first lets its cells break words at their hyphenation points (with
a hyphen) and after their own hyphens and URL marks; then it is set smaller, down to
``MIN_SIZE``; then it takes a wider place the edition offers (both columns of the handout,
a landscape page in the article); only then is it refused, with what would fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Table
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from exporter.errors import FormatError
from exporter.formats.pdf.floats import floating
from exporter.formats.pdf.linebreak import HYPHENATE, break_points
from exporter.measure import column_widths
from exporter.model import Table as TableBlock
from exporter.model import plain_text

MIN_ROWS = 2  # body rows a table that breaks leaves on each side of the break
MIN_SIZE = 6.0  # pt: the smallest a table's text is set to make it fit
_SCALES = tuple(1 - step / 20 for step in range(11))  # 100 % down to 50 %, by 5 %


class TableTooWide(FormatError):
    """A table that no place of the edition can hold, even set at ``MIN_SIZE``."""


@dataclass(frozen=True)
class WidePlace:
    """A wider place an edition offers a table too wide for its column: the page template
    with the wider frame, the template to return to after it, and the frame's width."""

    template: str
    back: str
    width: float


@dataclass(frozen=True)
class TableFit:
    """How a table is set: its text scaled by ``scale``, its cells hyphenated or not, in
    its column or in the edition's wider place, and its columns' widths."""

    scale: float
    hyphenate: bool
    wide: bool
    widths: list[float]


def fit_table(
    block: TableBlock,
    cell: ParagraphStyle,
    head: ParagraphStyle,
    lang: str,
    width: float,
    wide: WidePlace | None,
) -> TableFit:
    """The first way of setting ``block`` that fits: as it is, with hyphenated cells, then
    smaller, each first in ``width`` and then in the ``wide`` place (see the module)."""
    count = len(block.align)
    texts = [[plain_text(r[i]) for r in (block.header, *block.rows) if i < len(r)]
             for i in range(count)]  # fmt: skip

    def measure(text: str) -> float:
        return max(stringWidth(text, cell.fontName, cell.fontSize),
                   stringWidth(text, head.fontName, head.fontSize))  # fmt: skip

    def narrowest(word: str) -> float:
        return _narrowest(word, lang, measure)

    whole = _least(texts, measure)
    parts = _least(texts, narrowest)
    places = [(width, False)] + ([(wide.width, True)] if wide is not None else [])
    gaps = cell.fontSize * (count - 1)  # the right padding of every column but the last
    for room, is_wide in places:
        if whole + gaps <= room:
            return TableFit(1.0, False, is_wide, _widths(texts, measure, room, cell.fontSize))
        for scale in _SCALES:
            if scale < 1.0 and cell.fontSize * scale < MIN_SIZE - 1e-9:
                break
            if (parts + gaps) * scale <= room:
                widths = _widths(texts, measure, room / scale, cell.fontSize, narrowest)
                return TableFit(scale, True, is_wide, [w * scale for w in widths])
    floor = max(MIN_SIZE / cell.fontSize, _SCALES[-1])
    need, have = (parts + gaps) * floor, max(room for room, _ in places)
    fits = _columns_that_fit(texts, narrowest, cell.fontSize, floor, have)
    raise TableTooWide(
        f"table {block.number or ''} (source line {block.line}) has {count} columns: set at "
        f"{cell.fontSize * floor:g} pt it needs {need / 72 * 25.4:.0f} mm, and the widest "
        f"place this edition gives a table is {have / 72 * 25.4:.0f} mm; at most {fits} "
        "such columns fit: split it into narrower tables".replace("table  (", "a table (")
    )


def _least(texts: list[list[str]], width_of: Callable[[str], float]) -> float:
    return sum(max((width_of(w) for cell in col for w in cell.split()), default=0.0)
               for col in texts)  # fmt: skip


def _widths(
    texts: list[list[str]],
    measure: Callable[[str], float],
    room: float,
    gap: float,
    narrowest: Callable[[str], float] | None = None,
) -> list[float]:
    """Each column as wide as its content asks, within ``room``; the last has no padding
    after it (see ``data_table_style``)."""
    widths = column_widths(texts, measure, room, gap, narrowest)
    return [w + (gap if i < len(widths) - 1 else 0.0) for i, w in enumerate(widths)]


def _narrowest(word: str, lang: str, measure: Callable[[str], float]) -> float:
    """The widest part of ``word`` between two places a line may end in it (with the hyphen
    drawn at a hyphenation point)."""
    widest, start = 0.0, 0
    for offset, kind in sorted(break_points(word, lang, True)):
        if offset <= start:
            continue
        widest = max(widest, measure(word[start:offset] + ("-" if kind == HYPHENATE else "")))
        start = offset
    return max(widest, measure(word[start:]))


def _columns_that_fit(
    texts: list[list[str]], narrowest: Callable[[str], float], size: float, scale: float,
    room: float,
) -> int:  # fmt: skip
    used, count = 0.0, 0
    for col in texts:
        used += (max((narrowest(w) for cell in col for w in cell.split()), default=0.0)
                 + size) * scale  # fmt: skip
        if used > room + size * scale:
            break
        count += 1
    return count


def scaled(style: ParagraphStyle, scale: float, lang: str, hyphenate: bool) -> ParagraphStyle:
    """``style`` with its size and leading scaled, hyphenating in ``lang`` if asked."""
    if scale == 1.0 and not hyphenate:
        return style
    return style.clone(f"{style.name}-{scale:g}{'-h' if hyphenate else ''}",
                       fontSize=style.fontSize * scale, leading=style.leading * scale,
                       hyphenationLang=lang if hyphenate else style.hyphenationLang)  # fmt: skip


class BodyTable(Table):
    """A data table (its header row repeated) that breaks only where at least ``MIN_ROWS``
    body rows stand on each side of the break; a shorter table moves on whole."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        if len(heights) - head < 2 * MIN_ROWS:
            return []
        fits = self._getFirstPossibleSplitRowPosition(availHeight)
        fits = min(fits, len(heights) - MIN_ROWS)
        if fits < head + MIN_ROWS:
            return []
        return super().split(availWidth, sum(heights[:fits]))


def placed(flowables: list[Flowable], fit: TableFit, wide: WidePlace | None) -> list[Flowable]:
    """A table's flowables where ``fit`` puts them: in the flow, as a float (it may wait
    for the next frame while the text goes on), or on a page of the wide place's template,
    after which the flow goes on on a page of its own template."""
    if not fit.wide or wide is None:
        return floating(flowables, splittable=True)
    return [NextPageTemplate(wide.template), PageBreakIfNotEmpty(), *flowables,
            NextPageTemplate(wide.back), PageBreak()]  # fmt: skip
