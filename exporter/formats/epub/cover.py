"""The cover image: both titles, author and publisher, drawn with Pillow from the style."""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from exporter.fonts import font_family
from exporter.measure import pil_font, wrap_words
from exporter.model import Article
from exporter.style import RoleStyle, StyleSheet

COVER_SIZE = (1600, 2400)
COVER_MEDIA_TYPE = "image/png"
MAGNIFY = 2.5  # the cover shows the title page's type this many times larger
INK_ROLES = ("title", "subtitle", "byline", "affiliation", "meta")
PALETTE_SIZE = 256


@dataclass(frozen=True)
class _Line:
    text: str
    font: ImageFont.FreeTypeFont
    color: tuple[int, int, int]
    leading: float


def _font(role: RoleStyle, scale: float) -> ImageFont.FreeTypeFont:
    path = font_family(role.family).face(role.bold, role.italic)
    return pil_font(path, max(8, round(role.size.pt * scale)))


def _block(text: str, role: RoleStyle, scale: float, width: float) -> list[_Line]:
    font = _font(role, scale)
    color = (role.color.r, role.color.g, role.color.b)
    shown = text.upper() if role.uppercase else text
    lines = wrap_words(shown, font.getlength, width)
    return [_Line(t, font, color, role.leading.pt * scale) for t in lines]


def _height(lines: list[_Line]) -> float:
    return sum(line.leading for line in lines)


def _draw(draw: ImageDraw.ImageDraw, lines: list[_Line], x: float, y: float) -> float:
    for line in lines:
        draw.text(
            (x, y + line.leading * 0.8), line.text, font=line.font, fill=line.color, anchor="ls"
        )
        y += line.leading
    return y


def _rgb(role: RoleStyle, attr: str) -> tuple[int, int, int]:
    color = getattr(role, attr) or role.color
    return (color.r, color.g, color.b)


def _palette(background: tuple[int, int, int], inks: list[tuple[int, int, int]]) -> Image.Image:
    """A palette: the background, then for each ink a ramp of tones from the background to the
    ink, so the anti-aliased edges of the type keep their shades."""
    inks = [ink for ink in dict.fromkeys(inks) if ink != background]
    steps = (PALETTE_SIZE - 1) // max(1, len(inks))
    values = list(background)
    for ink in inks:
        for step in range(1, steps + 1):
            share = step / steps
            values += [round(b + (i - b) * share) for b, i in zip(background, ink, strict=True)]
    palette = Image.new("P", (1, 1))
    palette.putpalette(values)
    return palette


def _encode(image: Image.Image, style: StyleSheet) -> bytes:
    """The cover as an 8-bit palette PNG: a third of the pixels of RGB to filter and deflate.
    Run-length deflate suits the flat background and the runs of type."""
    panel = style.role("summary")
    inks = [_rgb(panel, "border_color")] + [_rgb(style.role(r), "color") for r in INK_ROLES]
    palette = _palette(_rgb(panel, "background"), inks)
    indexed = image.quantize(palette=palette, dither=Image.Dither.NONE)
    out = io.BytesIO()
    indexed.save(out, format="PNG", compress_level=1, compress_type=zlib.Z_RLE)
    return out.getvalue()


def cover_png(article: Article, style: StyleSheet) -> bytes:
    """The cover as PNG bytes; the same article and style always give the same bytes."""
    width, height = COVER_SIZE
    px_per_pt = width / style.page.width.pt
    scale = px_per_pt * MAGNIFY
    margin = style.page.margin_left.pt * px_per_pt
    measure = width - 2 * margin
    panel = style.role("summary")
    image = Image.new("RGB", COVER_SIZE, _rgb(panel, "background"))
    draw = ImageDraw.Draw(image)
    accent = _rgb(panel, "border_color")
    draw.rectangle((0, 0, width, round(height * 0.035)), fill=accent)

    lang = article.lang
    other = article.title.others(lang)
    while True:
        title = _block(article.title.in_lang(lang), style.role("title"), scale, measure)
        alt_title = [
            ln for _, t in other for ln in _block(t, style.role("subtitle"), scale, measure)
        ]
        if _height(title) + _height(alt_title) < height * 0.45 or scale < px_per_pt:
            break
        scale *= 0.92
    y = _draw(draw, title, margin, height * 0.14)
    y = _draw(draw, alt_title, margin, y + style.role("title").space_after.pt * scale)
    rule_y = y + style.role("subtitle").space_after.pt * scale
    rule_w = max(2, round(panel.border_width.pt * scale))
    draw.rectangle((margin, rule_y, margin + measure * 0.25, rule_y + rule_w), fill=accent)
    y = rule_y + rule_w + style.role("byline").size.pt * scale
    for author in article.authors:
        names = [author.name.in_lang(lang)] + [t for _, t in author.name.others(lang)]
        y = _draw(draw, _block(names[0], style.role("byline"), scale, measure), margin, y)
        for name in names[1:]:
            y = _draw(draw, _block(name, style.role("affiliation"), scale, measure), margin, y)
    _draw_publisher(draw, article, style, scale, margin, measure)
    return _encode(image, style)


def _draw_publisher(
    draw: ImageDraw.ImageDraw,
    article: Article,
    style: StyleSheet,
    scale: float,
    margin: float,
    measure: float,
) -> None:
    lang = article.lang
    names = [article.publisher.name.in_lang(lang)]
    names += [t for _, t in article.publisher.name.others(lang)]
    lines = _block(names[0], style.role("byline"), scale * 0.8, measure)
    for name in names[1:]:
        lines += _block(name, style.role("meta"), scale * 0.8, measure)
    year = _block(str(article.published.year), style.role("meta"), scale * 0.8, measure)
    lines += year
    bottom = COVER_SIZE[1] - style.page.margin_bottom.pt * COVER_SIZE[0] / style.page.width.pt
    _draw(draw, lines, margin, bottom - _height(lines))
