"""Registers the style's font families with reportlab as embedded, subset TrueType fonts."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from exporter.errors import FormatError
from exporter.fonts import font_family
from exporter.style import RoleStyle, StyleSheet

_FACE_SUFFIX = {
    (False, False): "Regular",
    (True, False): "Bold",
    (False, True): "Italic",
    (True, True): "BoldItalic",
}


@dataclass(frozen=True)
class FontSet:
    """The reportlab names of every registered face, by family."""

    families: tuple[str, ...]

    def name(self, family: str, bold: bool = False, italic: bool = False) -> str:
        if family not in self.families:
            raise FormatError(f"font family {family!r} is not registered for this PDF")
        return face_name(family, bold, italic)

    def for_role(self, role: RoleStyle) -> str:
        return self.name(role.family, role.bold, role.italic)


def face_name(family: str, bold: bool, italic: bool) -> str:
    """The reportlab font name of one face, e.g. ``PTSerif-BoldItalic``."""
    return f"{family.replace(' ', '')}-{_FACE_SUFFIX[(bold, italic)]}"


def register_fonts(style: StyleSheet) -> FontSet:
    """Register every family the style uses (all four faces) and map <b>/<i> onto them."""
    families = style.font_families
    for family in families:
        files = font_family(family)
        for (bold, italic), _suffix in _FACE_SUFFIX.items():
            name = face_name(family, bold, italic)
            if name not in pdfmetrics.getRegisteredFontNames():
                try:
                    pdfmetrics.registerFont(TTFont(name, str(files.face(bold, italic))))
                except Exception as exc:
                    raise FormatError(f"cannot embed font {name}: {exc}") from exc
            addMapping(face_name(family, False, False), int(bold), int(italic), name)
    return FontSet(families)
