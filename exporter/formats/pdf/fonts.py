"""Registers the style's font families with reportlab as embedded, subset TrueType fonts."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from exporter.errors import FormatError
from exporter.fonts import coverage, family_coverage, font_family
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


_FILES: dict[str, Path] = {}  # registered face → its file
_BACKUP: dict[str, tuple[str, ...]] = {}  # registered face → the families for what it lacks


def register_fonts(style: StyleSheet) -> FontSet:
    """Register every family the style uses (all four faces) and map <b>/<i> onto them; a
    family's fallback is registered when a text first needs it (see ``with_fallback``)."""
    families = style.font_families
    for family in families:
        _register(family)
        backup = style.fallback(family)
        for bold, italic in _FACE_SUFFIX:
            name = face_name(family, bold, italic)
            if backup:
                _BACKUP[name] = backup
            else:
                _BACKUP.pop(name, None)
    return FontSet(families)


class SubsetTaggedFont(TTFont):
    """A TrueType font whose subsets in a PDF are named after what they hold: the six-letter
    tag before "+" (``ABCDEF+PTSerif-Regular``) comes from the face and the characters of
    the subset, not from its number (reportlab names every first subset ``AAAAAA``), so two
    different subsets never share a name, in one file or across files, and the same input
    still gives the same name."""

    def addObjects(self, doc: object) -> None:  # noqa: N802 (reportlab's name)
        state = self.state.get(doc)
        subsets = [bytes(str(list(s)), "ascii") for s in state.subsets] if state else []
        tags = [_tag(self.face.name + b"/" + codes) for codes in subsets]
        numbered, cmap = ttfonts.SUBSETN, ttfonts.makeToUnicodeCMap
        ttfonts.SUBSETN = lambda n: tags[n]  # read by the base method as it names them
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        try:
            super().addObjects(doc)
        finally:
            ttfonts.SUBSETN, ttfonts.makeToUnicodeCMap = numbered, cmap

    def splitString(self, text: str, doc: object, encoding: str = "utf-8") -> list:  # noqa: N802
        """reportlab's split of ``text`` into (subset, codes), the same, in one step where
        every character already has its code in the first subset (most lines of most
        articles): looked up in a table of those codes, kept with the document's state."""
        state = self.state.get(doc)
        codes = getattr(state, "first_codes", None)
        if codes is not None and text and isinstance(text, str):
            try:
                return [(0, text.translate(codes).encode("latin-1"))]
            except _NotInTable:
                pass
        split = super().splitString(text, doc, encoding)
        state = self.state[doc]
        if codes is None:
            codes = state.first_codes = _FirstCodes()
        if len(codes.seen) != len(state.assignments):  # codes given since: add them
            for code, n in state.assignments.items():
                if code not in codes.seen:
                    codes.seen.add(code)
                    if n < 256:
                        codes[code] = chr(n)
            if 32 in codes:  # reportlab sets a no-break space with the space's code
                codes[0xA0] = codes[32]
        return split


class _NotInTable(Exception):
    """A character with no code in the first subset yet (not a LookupError, which
    ``str.translate`` would take for "leave it as it is")."""


class _FirstCodes(dict):
    """Characters and their codes in a font's first subset, as ``str.translate`` reads a
    table; a character not in it stops the translation."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[int] = set()  # every character given a code, in any subset

    def __missing__(self, key: int) -> str:
        raise _NotInTable(key)


_MAKE_CMAP = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map of a subset, with each character past U+FFFF (an emoji)
    written as UTF-16, as PDF asks: reportlab writes its five hex digits, which readers
    take for the four-digit character they begin with (U+1F499 read as U+1F49)."""
    text = _MAKE_CMAP(fontname, subset)
    for code, char in enumerate(subset):
        if char > 0xFFFF:
            utf16 = chr(char).encode("utf-16-be").hex().upper()
            text = text.replace(f"<{code:02X}> <{char:04X}>", f"<{code:02X}> <{utf16}>", 1)
    return text


def _tag(data: bytes) -> bytes:
    """Six capital letters from a digest of ``data``."""
    digest = hashlib.sha256(data).digest()
    return bytes(65 + b % 26 for b in digest[:6])


def _register(family: str) -> None:
    for bold, italic in _FACE_SUFFIX:
        _register_face(family, bold, italic)
        addMapping(face_name(family, False, False), int(bold), int(italic),
                   face_name(family, bold, italic))  # fmt: skip


def _register_face(family: str, bold: bool, italic: bool) -> str:
    name = face_name(family, bold, italic)
    if name not in pdfmetrics.getRegisteredFontNames():
        path = font_family(family).static_face(bold, italic)
        try:
            pdfmetrics.registerFont(SubsetTaggedFont(name, str(path)))
        except Exception as exc:
            raise FormatError(f"cannot embed font {name}: {exc}") from exc
        _FILES[name] = path
    return name


def with_fallback(
    runs: list[tuple[str, Any]], face: Callable[[Any], str] = lambda look: look.font
) -> list[tuple[str, Any]]:
    """``runs`` with every stretch of characters its face lacks set in the same face of
    the first fallback family that has them (registered the first time it is needed).
    A run's look is anything ``face`` reads a font name from (or a font name itself)."""
    out: list[tuple[str, Any]] = []
    for text, look in runs:
        font = face(look)
        chain = _BACKUP.get(font)
        if not chain or text.isascii() or _covers(font, text):
            out.append((text, look))
            continue
        for used, group in groupby(text, key=lambda c: _face_for(c, font, chain)):
            if used == font:
                out.append(("".join(group), look))
            else:
                out.append(("".join(group), used if isinstance(look, str)
                            else replace(look, font=used)))  # fmt: skip
    return out


def _covers(font: str, text: str) -> bool:
    """Whether ``font`` has every character of ``text`` (each distinct one looked up once)."""
    have = coverage(_FILES[font])
    return all(char <= " " or ord(char) in have for char in set(text))


def _face_for(char: str, font: str, chain: tuple[str, ...]) -> str:
    """The face that draws ``char``: ``font`` itself, else the same face of the first
    family of ``chain`` that has it (``font`` when none has: the source check refuses)."""
    if char <= " " or ord(char) in coverage(_FILES[font]):
        return font
    bold, italic = next(k for k, v in _FACE_SUFFIX.items() if font.endswith(f"-{v}"))
    for family in chain:
        if ord(char) in family_coverage((family,)):
            return _register_face(family, bold, italic)
    return font
