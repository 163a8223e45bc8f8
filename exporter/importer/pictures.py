"""A picture of the manuscript as a figure's image: its bytes in a format the editions take
(PNG, JPEG or SVG; GIF, BMP, TIFF and WebP converted to PNG), its description, and the share
of the text column it fills."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from exporter.importer.xml import NS, qn
from exporter.source.images import MAX_BYTES, MAX_PIXELS

EMU_PER_PT = 12700
MIN_PPI = 150  # the Word edition sets a small raster at this resolution
_CONVERTED = {"GIF", "BMP", "TIFF", "WEBP", "ICO"}
_DECORATIVE = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


@dataclass(frozen=True)
class Picture:
    """A picture as read: ``data`` in ``suffix`` format ("png", "jpg", "svg"), or
    ``problem`` saying why it cannot be kept."""

    data: bytes
    suffix: str
    alt: str
    decorative: bool
    width: float  # share of the text column, 0 to 1
    problem: str = ""


def read_picture(drawing: Any, part: Any, column_pt: float) -> Picture:
    doc_pr = drawing.find(f".//{qn('wp:docPr')}")
    alt = (doc_pr.get("descr") or doc_pr.get("title") or "").strip() if doc_pr is not None else ""
    decorative = doc_pr is not None and any(
        ext.get("uri") == _DECORATIVE for ext in doc_pr.iter(qn("a:ext")))
    extent = drawing.find(f".//{qn('wp:extent')}")
    width_pt = _number(extent.get("cx") if extent is not None else None) / EMU_PER_PT
    blip = drawing.find(f".//{qn('a:blip')}")
    if blip is None:
        return Picture(b"", "", alt, decorative, 1.0, "a picture without its image")
    svg = blip.find(f".//{{{NS['asvg']}}}svgBlip")
    rid = (svg.get(qn("r:embed")) if svg is not None else None) or blip.get(qn("r:embed"))
    if not rid:
        return Picture(b"", "", alt, decorative, 1.0, "a linked picture (not embedded in the "
                       "file): insert it in Word as a picture")  # fmt: skip
    try:
        data = part.related_parts[rid].blob
    except KeyError:
        return Picture(b"", "", alt, decorative, 1.0, "a picture whose image is missing from "
                       "the file")  # fmt: skip
    data, suffix, pixels, problem = _format(data)
    return Picture(data, suffix, alt, decorative, _share(width_pt, column_pt, pixels), problem)


def _number(value: str | None) -> float:
    """A whole number from an attribute; 0 for one missing or not a number."""
    return float(value) if value and value.strip().lstrip("-").isdecimal() else 0.0


def _format(data: bytes) -> tuple[bytes, str, int, str]:
    """The image's bytes and suffix, its pixel width (0: a drawing), or why it is refused."""
    if len(data) > MAX_BYTES:
        return b"", "", 0, f"a picture larger than {MAX_BYTES // 1024 // 1024} MiB"
    head = data[:1024].lstrip()
    if head.startswith(b"<") and b"<svg" in data[:4096]:
        return data, "svg", 0, ""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = (image.format or "").upper()
            width, height = image.size
            if width * height > MAX_PIXELS:
                return b"", "", 0, (f"a picture of {width} × {height} pixels, more than the "
                                    f"{MAX_PIXELS // 1_000_000} megapixels an edition carries")
            if kind == "PNG":
                return data, "png", width, ""
            if kind == "JPEG":
                return data, "jpg", width, ""
            if kind in _CONVERTED:
                out = io.BytesIO()
                image.seek(0)
                image.convert("RGBA" if "A" in image.getbands() or kind == "GIF" else "RGB").save(
                    out, format="PNG", optimize=True)
                return out.getvalue(), "png", width, ""
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        pass
    if data[:4] in (b"\x01\x00\x00\x00", b"\xd7\xcd\xc6\x9a") or data[:2] == b"\x01\x00":
        return b"", "", 0, ("a Windows vector picture (EMF or WMF), which the editions cannot "
                            "carry: save it as PNG or SVG and insert that")
    return b"", "", 0, "a picture in a format the editions cannot carry (use PNG, JPEG or SVG)"


def _share(width_pt: float, column_pt: float, pixels: int) -> float:
    """The share of the column the picture fills; a raster set at its natural size (the
    Word edition's smallest) counts as the whole column, as its source said."""
    if width_pt <= 0 or column_pt <= 0:
        return 1.0
    if pixels and abs(width_pt - pixels * 72 / MIN_PPI) < 1.0:
        return 1.0
    percent = round(width_pt / column_pt * 100)
    return 1.0 if percent >= 99 else max(1, percent) / 100


def column_width(doc: Any) -> float:
    """The width of the text column in points, from the last section's page setup."""
    sect = doc.element.body.find(qn("w:sectPr"))
    if sect is None:
        return 0.0
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    cols = sect.find(qn("w:cols"))

    def twips(node: Any, name: str) -> float:
        value = node.get(qn(f"w:{name}")) if node is not None else None
        return int(value) / 20 if value and value.lstrip("-").isdecimal() else 0.0

    width = twips(size, "w") - twips(margins, "left") - twips(margins, "right")
    count = max(1, min(16, int(_number(cols.get(qn("w:num")) if cols is not None else None) or 1)))
    gap = twips(cols, "space")
    return (width - gap * (count - 1)) / count
