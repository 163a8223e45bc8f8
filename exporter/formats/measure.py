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
