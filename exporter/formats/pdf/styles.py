"""Adapts the shared style sheet's roles to reportlab paragraph styles and colours."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.colors import Color as RLColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from exporter.formats.pdf.fonts import FontSet
from exporter.style import Color, RoleStyle, StyleSheet

_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER, "justify": TA_JUSTIFY}


def rl_color(color: Color) -> RLColor:
    """A style colour as a reportlab colour."""
    return RLColor(*color.rgb_float)


def paragraph_style(role: RoleStyle, fonts: FontSet, lang: str, name: str = "") -> ParagraphStyle:
    """One role as a reportlab ParagraphStyle: font, size, colour, spacing, and the
    language to hyphenate in (empty: no hyphenation), as ``TextBlock`` sets them."""
    return ParagraphStyle(
        name or role.name,
        fontName=fonts.for_role(role),
        fontSize=role.size.pt,
        leading=role.leading.pt,
        textColor=rl_color(role.color),
        alignment=_ALIGN[role.align],
        spaceBefore=role.space_before.pt,
        spaceAfter=role.space_after.pt,
        firstLineIndent=role.first_indent.pt,
        leftIndent=role.left_indent.pt,
        keepWithNext=int(role.keep_with_next),
        textTransform="uppercase" if role.uppercase else None,
        hyphenationLang=lang if role.hyphenate else "",
    )


@dataclass
class PdfStyles:
    """Paragraph styles for every role of a sheet, made once per document."""

    sheet: StyleSheet
    fonts: FontSet
    lang: str
    _cache: dict[tuple[str, str], ParagraphStyle] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # what the editor should check

    def role(self, name: str) -> RoleStyle:
        return self.sheet.role(name)

    def para(self, name: str, lang: str | None = None) -> ParagraphStyle:
        """The paragraph style of role ``name`` for text in ``lang`` (default: the article's)."""
        key = (name, lang or self.lang)
        if key not in self._cache:
            role = self.role(name)
            self._cache[key] = paragraph_style(role, self.fonts, key[1], f"{name}-{key[1]}")
        return self._cache[key]

    def font(self, name: str) -> str:
        """The reportlab font name a role is set in."""
        return self.fonts.for_role(self.role(name))

    def color(self, name: str) -> RLColor:
        return rl_color(self.role(name).color)

    def palette(self, name: str) -> RLColor:
        """A named colour of the sheet's ``[colors]``."""
        return rl_color(self.sheet.color(name))
