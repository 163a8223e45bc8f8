"""Text measured with the real font files (through Pillow): faces loaded once, words wrapped."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont


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
