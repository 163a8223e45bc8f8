"""Text measured with the real font files (through Pillow and fontTools): faces loaded once,
words wrapped, and a measure given in characters turned into a width."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from exporter.fonts import font_family
from exporter.style import Length, StyleSheet

if TYPE_CHECKING:
    from PIL import ImageFont

    from exporter.model import Article


SAMPLE = 20_000  # characters of the body read to find its average advance


def measured(style: StyleSheet, article: Article) -> StyleSheet:
    """``style`` with its page's measure in characters (``measure = 72`` in the style file)
    made a width: that many characters of ``article``'s running text, spaces included, at
    the average advance they have in the body's face and size. A Russian text, whose
    letters are wider, gets a wider block than an English one; both read about as many
    characters a line. A style with no such measure is returned as it is."""
    page = style.page
    if page.measure_chars <= 0:
        return style
    from exporter.model import block_texts

    text = " ".join(block_texts(article.body))[:SAMPLE] or "x"
    role = style.role("body")
    advance = average_advance(text, font_family(role.family).face(role.bold, role.italic))
    width = Length(page.measure_chars * advance * role.size.pt)
    return replace(style, page=replace(page, measure=width, measure_chars=0))


def average_advance(text: str, path: Path) -> float:
    """The mean advance of the characters of ``text`` in the font at ``path``, in ems (a
    character the face lacks counts as the average of those it has)."""
    widths, per_em = _advances(path)
    known = [widths[ord(ch)] for ch in text if ord(ch) in widths]
    return (sum(known) / len(known) if known else 0.5 * per_em) / per_em


@functools.lru_cache(maxsize=16)
def _advances(path: Path) -> tuple[dict[int, int], int]:
    """Each character's advance width in font units, and the units per em."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    metrics = font["hmtx"].metrics
    cmap = font.getBestCmap()
    return {code: metrics[glyph][0] for code, glyph in cmap.items()}, font["head"].unitsPerEm


@functools.lru_cache(maxsize=64)
def pil_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A face at a pixel size, loaded once a process: it does not depend on the article."""
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size=size)


def wrap_words(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """``text`` broken greedily at spaces into lines no wider than ``width`` (a word longer
    than the width stands alone on its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and measure(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def column_widths(
    columns: list[list[str]],
    measure: Callable[[str], float],
    total: float,
    gap: float,
    narrowest: Callable[[str], float] | None = None,
) -> list[float]:
    """Widths for table columns that share ``total`` (``gap`` of it goes between each column
    and the next), as a browser's automatic table layout gives them: each column at least as
    wide as its longest word, the room left shared in proportion to what each column's
    longest cell would take on one line; a table that fits on one line is widened in the
    same proportion. A column whose longest word is wider than its share breaks inside it.
    ``narrowest(word)`` is the least width a word can take (its widest part between two
    points where it may break); by default, its whole width."""
    count = len(columns)
    room = max(total - gap * (count - 1), 1.0)
    least_of = narrowest or measure
    least = [max((least_of(w) for cell in col for w in cell.split()), default=0.0)
             for col in columns]  # fmt: skip
    most = [max(max((measure(cell) for cell in col), default=0.0), low)
            for col, low in zip(columns, least, strict=True)]  # fmt: skip
    if sum(most) <= room or sum(least) >= room:
        basis = most if sum(most) <= room else least
        whole = sum(basis)
        if whole <= 0:
            return [room / count] * count
        return [room * b / whole for b in basis]
    spare = room - sum(least)
    wants = [hi - lo for hi, lo in zip(most, least, strict=True)]
    return [lo + spare * want / sum(wants) for lo, want in zip(least, wants, strict=True)]
