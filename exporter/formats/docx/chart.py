"""The poll's bar chart as a PNG drawn with Pillow in the style's poll font and colours."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from exporter.edition import PollView
from exporter.fonts import font_family
from exporter.formats.measure import pil_font, wrap_words
from exporter.style import StyleSheet

DPI = 200


def draw_poll_chart(view: PollView, style: StyleSheet, width_pt: float) -> bytes:
    """One labelled horizontal bar per answer, its length the answer's share of the votes."""
    text_role, bar_role = style.role("poll"), style.role("poll-bar")
    scale = DPI / 72
    width = round(width_pt * scale)
    size = round(text_role.size.pt * scale)
    leading = round(text_role.leading.pt * scale)
    family = font_family(text_role.family)
    regular = pil_font(family.face(text_role.bold, text_role.italic), size)
    bold = pil_font(family.face(True, text_role.italic), size)
    figures = [row.value for row in view.rows]
    figure_width = max(round(bold.getlength(f)) for f in figures) + size
    bar_height = leading
    rows = [wrap_words(row.label, regular.getlength, width) for row in view.rows]
    height = sum(len(lines) * leading + bar_height + leading for lines in rows) - leading // 2
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    track = bar_role.background.rgb_float if bar_role.background else None
    y = 0
    for answer, lines, figure in zip(view.rows, rows, figures, strict=True):
        for line in lines:
            draw.text((0, y + leading - size // 3), line, font=regular, anchor="ls",
                      fill=_rgb(text_role.color.rgb_float))
            y += leading
        span = width - figure_width
        if track:
            draw.rectangle((0, y, span, y + bar_height - 1), fill=_rgb(track))
        filled = round(span * answer.fraction)
        if filled:
            draw.rectangle((0, y, filled - 1, y + bar_height - 1),
                           fill=_rgb(bar_role.color.rgb_float))
        draw.text((width - size // 6, y + bar_height // 2), figure, font=bold, anchor="rm",
                  fill=_rgb(text_role.color.rgb_float))
        y += bar_height + leading
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), compress_level=1)
    return out.getvalue()


def _rgb(color: tuple[float, float, float]) -> tuple[int, int, int]:
    r, g, b = color
    return round(r * 255), round(g * 255), round(b * 255)
