"""An SVG figure's size: its ``width`` and ``height`` in any CSS unit, or its ``viewBox``,
turned into CSS pixels and written back as such, with a ``viewBox`` added when it has none,
so that svglib, resvg (which refuses ``432pt``) and browsers agree on it."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from exporter.source.images import MAX_PIXELS, ImageProblem

if TYPE_CHECKING:
    from lxml import etree

MAX_SIDE = 20_000  # CSS pixels, each of width and height
MAX_AREA = MAX_PIXELS  # CSS pixels, width × height; also a picture embedded in the SVG
UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
         "in": 96.0, "em": 16.0, "ex": 8.0}  # fmt: skip
_LENGTH = re.compile(r"\s*([+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z]*|%)\s*")


def svg_size(ref: str, root: etree._Element) -> tuple[float, float]:
    """The drawing's size in CSS pixels, written back as px with a viewBox."""
    box = None
    if root.get("viewBox") is not None:
        numbers = re.split(r"[\s,]+", root.get("viewBox", "").strip())
        try:
            box = tuple(float(n) for n in numbers)
        except ValueError:
            box = ()
        if len(box) != 4 or not all(map(math.isfinite, box)) or box[2] <= 0 or box[3] <= 0:
            raise ImageProblem(
                f"image {ref!r}: the SVG's viewBox {root.get('viewBox')!r} "
                "is not four numbers with a positive width and height"
            )
        box = box[2:]
    width = _length(root.get("width"), box[0] if box else None)
    height = _length(root.get("height"), box[1] if box else None)
    if box and width is None:
        width = box[0] if height is None else height * box[0] / box[1]
    if box and height is None:
        height = width * box[1] / box[0] if width is not None else box[1]
    if width is None or height is None or not width > 0 or not height > 0:
        raise ImageProblem(f"image {ref!r}: the SVG has no size (give width and height or "
                           "a viewBox)")  # fmt: skip
    if max(width, height) > MAX_SIDE or width * height > MAX_AREA:
        raise ImageProblem(
            f"image {ref!r}: the SVG is {_num(width)} × {_num(height)} pixels, more than the "
            f"{MAX_SIDE:,} pixels a side and {MAX_AREA // 1_000_000} megapixels an edition "
            "can draw; make its width and height smaller"
        )
    root.set("width", _num(width))
    root.set("height", _num(height))
    if box is None:
        root.set("viewBox", f"0 0 {_num(width)} {_num(height)}")
    return width, height


def _length(value: str | None, percent_base: float | None) -> float | None:
    """A width or height in CSS pixels; None when missing, ``auto`` or not a length."""
    match = _LENGTH.fullmatch(value or "")
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2).lower()
    if unit == "%":
        return percent_base
    factor = UNITS.get(unit)
    result = number * factor if factor is not None else None
    return result if result is not None and math.isfinite(result) else None


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")
