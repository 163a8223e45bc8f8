"""A figure's image as a flowable: a raster image at no more than its resolution allows,
an SVG drawn as vectors (svglib) in the style's own fonts; both within the room given."""

from __future__ import annotations

import copy
import io
import logging
import warnings

from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Image as ImageFlowable

from exporter.formats.pdf.fonts import FontSet, with_fallback
from exporter.formats.pdf.styles import PdfStyles
from exporter.model import Image

MIN_PPI = 150  # a raster image is never printed larger than this resolution allows

logging.getLogger("svglib").setLevel(logging.ERROR)  # what it cannot draw, it skips quietly


MIN_TEXT = 6.0  # points: a figure's text printed smaller than this is said in a warning


def image_flowable(
    image: Image, styles: PdfStyles, width: float, height: float, figure: bool = True
) -> Flowable:
    """``image`` at most ``width`` × ``height`` points, at the left of its column (as tables
    are), and never larger than its own size: a raster at ``MIN_PPI``, a drawing at its own
    size (a 432 pt chart stays 432 pt wide; its 9 pt labels are not blown up to 18 pt). A
    ``figure`` (an author's drawing, not one the edition makes) whose text would print under
    ``MIN_TEXT`` is said in a warning."""
    if image.is_vector:
        return _drawing(image, styles, width, height, figure)
    natural = (image.width * 72 / MIN_PPI, image.height * 72 / MIN_PPI)
    scale = min(width / natural[0], height / natural[1], 1.0)
    flowable = ImageFlowable(io.BytesIO(image.data), natural[0] * scale, natural[1] * scale)
    flowable.hAlign = "LEFT"
    return flowable


def _drawing(image: Image, styles: PdfStyles, width: float, height: float, figure: bool) -> Drawing:
    from svglib.svglib import svg2rlg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        drawing = svg2rlg(io.BytesIO(image.data), font_map=_StyleFonts(styles.fonts))
    assert drawing is not None  # the source layer has drawn it once already
    _restyle_text(drawing, styles)
    # reportlab sets this font before the drawing's own (Helvetica unless told): one of ours,
    # so no font the file names is left unembedded
    drawing.initialFontName = styles.font("body")
    scale = min(width / drawing.width, height / drawing.height, 1.0)
    drawing.scale(scale, scale)
    sizes = [size * scale for size in _text_sizes(drawing)]
    if figure and sizes and min(sizes) < MIN_TEXT - 1e-6:
        styles.warnings.append(f"figure {image.path!r}: its smallest text prints at "
                               f"{min(sizes):.1f} pt, under {MIN_TEXT:g} pt; draw it with "
                               "larger text or give it more width")  # fmt: skip
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    drawing.hAlign = "LEFT"
    return drawing


def _text_sizes(node: Group) -> list[float]:
    """The size of every text of a drawing, as drawn (each group's scaling applied)."""
    sizes: list[float] = []
    for child in getattr(node, "contents", ()):
        if isinstance(child, String):
            sizes.append(child.fontSize)
        elif isinstance(child, Group):
            a, b, c, d = (child.transform or (1, 0, 0, 1, 0, 0))[:4]
            factor = max(abs(a * d - b * c), 1e-9) ** 0.5
            sizes += [size * factor for size in _text_sizes(child)]
    return sizes


class _StyleFonts:
    """How svglib finds a drawing's fonts: a family of the style as the face this edition
    registered (at once, with the text's own metrics); any other name as svglib finds it
    (its own map, then fontconfig). Without it, svglib asks fontconfig, in a subprocess,
    for a system font for every face the drawing names, and registers that font's file
    (about 35 ms a face, and another font on another machine), only for the text to be
    set in the style's faces afterwards (``_restyle_text``)."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.ours = {family.lower(): family for family in fonts.families}

    def find_font(
        self, name: str, weight: str = "normal", style: str = "normal"
    ) -> tuple[str, bool]:
        family = self.ours.get(name.strip().strip("'\"").lower())
        if family is None:
            from svglib.fonts import get_global_font_map

            return get_global_font_map().find_font(name, weight, style)
        bold = weight.lower() in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
        italic = style.lower() in ("italic", "oblique")
        return self.fonts.name(family, bold, italic), True


def _restyle_text(node: Group, styles: PdfStyles) -> None:
    """Set every text of the drawing in the style's families (serif, sans or mono, bold and
    italic as asked), so it is embedded like the rest of the edition, Cyrillic included."""
    families = styles.sheet.families
    for index, child in enumerate(getattr(node, "contents", ())):
        if isinstance(child, String):
            name = child.fontName.lower()
            kind = "sans"
            if "mono" in name or "courier" in name:
                kind = "mono"
            elif ("serif" in name and "sans" not in name) or "times" in name:
                kind = "serif"
            family = families.get(kind, "")
            if family not in styles.fonts.families:
                family = families.get("sans", styles.fonts.families[0])
            bold = "bold" in name
            italic = "italic" in name or "oblique" in name
            child.fontName = styles.fonts.name(family, bold, italic)
            node.contents[index] = _with_fallback(child)
        elif isinstance(child, Group):
            _restyle_text(child, styles)


def _with_fallback(text: String) -> String | Group:
    """``text`` as it is when its face has every character; else a group of strings, each
    stretch the face lacks set in the first fallback family that has it, as the body's runs
    are (anchored where the whole text was)."""
    runs = with_fallback([(text.text, text.fontName)], face=str)
    if len(runs) < 2:
        text.fontName = runs[0][1] if runs else text.fontName
        return text
    size = text.fontSize
    widths = [stringWidth(run, font, size) for run, font in runs]
    x = text.x - sum(widths) * {"middle": 0.5, "end": 1.0}.get(text.textAnchor, 0.0)
    group = Group()
    for (run, font), width in zip(runs, widths, strict=True):
        part = copy.copy(text)  # its ink, opacity and size as they were
        part.x, part.text, part.fontName, part.textAnchor = x, run, font, "start"
        group.add(part)
        x += width
    return group
