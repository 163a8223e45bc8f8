"""A figure's picture for Word: a raster image as it is, an SVG drawn to PNG (resvg, in the
style's fonts) at print resolution, kept in the cache folder for the next run; with its
size on the page and its description."""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import version

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml.etree import _Element

from exporter.fonts import cached, font_family
from exporter.model import Image
from exporter.style import StyleSheet

MIN_PPI = 150  # as in the PDF: a raster image is never set larger than this allows
SVG_PPI = 220  # an SVG is drawn at this resolution for the width it takes
CACHED_PICTURES = 256  # drawn SVGs kept between runs (a rebuild after a correction reuses them)
PNG_FORMAT = "1"  # of those entries
MAX_RASTER = 40_000_000  # pixels: an SVG is never drawn to a larger PNG, however tall it is
MAX_RASTER_SIDE = 20_000  # pixels, each of width and height
DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Office 2016's SVG picture, PNG fallback
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def picture(image: Image, style: StyleSheet, room_pt: float) -> tuple[bytes, float]:
    """The picture's bytes (PNG or JPEG) and its width on the page in points: the room given,
    or less for a raster image too small to fill it at ``MIN_PPI``."""
    if not image.is_vector:
        return image.data, min(room_pt, image.width * 72 / MIN_PPI)
    import resvg_py

    families = style.text_families
    files = [str(path) for family in families for path in font_family(family).files.values()]
    sans = style.families.get("sans", families[0])
    serif = style.families.get("serif", families[0])
    mono = style.families.get("mono", sans)
    if mono not in families:
        mono = sans
    width, height = raster_size(image, room_pt)

    def draw() -> bytes:
        return bytes(resvg_py.svg_to_bytes(
            svg_string=image.data.decode("utf-8", "replace"),
            width=width,
            height=height,  # resvg fits the drawing in width × height, keeping its proportions
            skip_system_fonts=True,
            font_files=files,
            font_family=sans,
            sans_serif_family=sans,
            serif_family=serif,
            monospace_family=mono,
        ))  # fmt: skip

    fonts = [f"{path}:{info.st_size}:{info.st_mtime_ns}" for path in files
             for info in (os.stat(path),)]  # fmt: skip
    key = hashlib.sha256("\n".join([PNG_FORMAT, version("resvg_py"), f"{width}x{height}",
                                     sans, serif, mono, *fonts, ""]).encode()  # fmt: skip
                         + image.data).hexdigest()
    return cached("pictures", f"{key}.png", draw, "drawn picture", CACHED_PICTURES), room_pt


def raster_size(image: Image, room_pt: float) -> tuple[int, int]:
    """The PNG an SVG is drawn to: ``SVG_PPI`` for the width it takes, less when that would
    make more than ``MAX_RASTER`` pixels or a side longer than ``MAX_RASTER_SIDE`` (a tall,
    narrow drawing), so resvg is never asked for a canvas it cannot allocate."""
    width = max(1.0, room_pt / 72 * SVG_PPI)
    height = max(1.0, width * image.height / max(1, image.width))
    scale = min(1.0, (MAX_RASTER / (width * height)) ** 0.5, MAX_RASTER_SIDE / width,
                MAX_RASTER_SIDE / height)  # fmt: skip
    return max(1, round(width * scale)), max(1, round(height * scale))


def describe(doc_pr: _Element, alt: str) -> None:
    """The picture's description (what a screen reader says); an empty one marked
    decorative, as Word's "Mark as decorative" does."""
    doc_pr.set("descr", alt)
    if alt:
        return
    doc_pr.append(parse_xml(
        f'<a:extLst {nsdecls("a")}><a:ext uri="{DECORATIVE_EXT}">'
        '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/'
        'decorative" val="1"/></a:ext></a:extLst>'
    ))  # fmt: skip


def embed_svg(part: Part, inline: _Element, svg: bytes) -> None:
    """The drawing itself beside its PNG, as Word stores an inserted SVG: Word 2016 and later
    show the vector, older readers the PNG; importing the Word file gives the SVG back."""
    blip = inline.find(f".//{qn('a:blip')}")
    if blip is None:
        return
    names = {str(p.partname) for p in part.package.iter_parts()}
    number = 1
    while f"/word/media/drawing{number}.svg" in names:
        number += 1
    svg_part = Part(PackURI(f"/word/media/drawing{number}.svg"), "image/svg+xml", svg,
                    part.package)  # fmt: skip
    rid = part.relate_to(svg_part, RT.IMAGE)
    blip.append(parse_xml(
        f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_EXT}">'
        f'<asvg:svgBlip xmlns:asvg="{SVG_NS}" r:embed="{rid}"/></a:ext></a:extLst>'
    ))  # fmt: skip
