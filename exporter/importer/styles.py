"""The manuscript's styles and numbering as the reader asks for them: what a paragraph style
is (a heading of which level, a title, a quote, a list, code), what a character style sets,
the document's language, and whether a list level is numbered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docx.styles import BabelFish

from exporter.importer.xml import on, qn, wval
from exporter.languages import region_tag

_MONO = re.compile(r"mono|courier|consolas|menlo|monaco|code|console|fixed|typewriter", re.I)
_HEADING = re.compile(r"^heading ([1-9])$")


@dataclass(frozen=True)
class StyleInfo:
    """A style with what its base styles give it folded in."""

    name: str  # its UI name, lower case ("heading 1", "inline code")
    names: tuple[str, ...]  # its name and its base styles' names, nearest first
    outline: int | None  # 0-based outline level, None: body text
    num_id: str | None
    ilvl: int | None
    bold: bool
    italic: bool
    mono: bool
    lang: str | None


class Styles:
    """The styles, numbering and default language of one manuscript."""

    def __init__(self, doc: Any) -> None:
        root = doc.styles.element
        self._raw = {node.get(qn("w:styleId")): node for node in root.findall(qn("w:style"))}
        self._cache: dict[str, StyleInfo] = {}
        self.default_paragraph = next(
            (sid for sid, node in self._raw.items()
             if node.get(qn("w:type")) == "paragraph" and on_default(node)), None)  # fmt: skip
        lang = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/"
                         f"{qn('w:lang')}")  # fmt: skip
        self.word_lang = wval(lang) if lang is not None else None
        try:
            numbering = doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering = None
        self._numbering = numbering

    def info(self, style_id: str | None) -> StyleInfo:
        """What the style ``style_id`` (None: the default paragraph style) is."""
        sid = style_id if style_id in self._raw else self.default_paragraph
        if sid is None:
            return StyleInfo("normal", ("normal",), None, None, None, False, False, False, None)
        if sid not in self._cache:
            self._cache[sid] = self._build(sid, set())
        return self._cache[sid]

    def _build(self, sid: str, seen: set[str]) -> StyleInfo:
        node = self._raw[sid]
        seen.add(sid)
        name_node = node.find(qn("w:name"))
        name = BabelFish.internal2ui(wval(name_node) or sid).lower()
        base_id = wval(node.find(qn("w:basedOn")))
        base = (self._build(base_id, seen) if base_id in self._raw and base_id not in seen
                else None)  # fmt: skip
        ppr, rpr = node.find(qn("w:pPr")), node.find(qn("w:rPr"))
        outline = _outline(ppr)
        num = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = wval(num.find(qn("w:numId"))) if num is not None else None
        ilvl = wval(num.find(qn("w:ilvl"))) if num is not None else None
        heading = _HEADING.match(name)
        if outline is None and heading:
            outline = int(heading.group(1)) - 1
        return StyleInfo(
            name=name,
            names=(name, *(base.names if base else ())),
            outline=outline if outline is not None else (base.outline if base else None),
            num_id=num_id if num_id is not None else (base.num_id if base else None),
            ilvl=min(8, int(ilvl)) if ilvl and ilvl.isdecimal() else (base.ilvl if base else None),
            bold=_toggle(rpr, "w:b", base.bold if base else False),
            italic=_toggle(rpr, "w:i", base.italic if base else False),
            mono=is_mono(rpr) or (base.mono if base else False),
            lang=_lang(rpr) or (base.lang if base else None),
        )

    def list_level(self, num_id: str, ilvl: int) -> tuple[bool, int]:
        """Whether level ``ilvl`` of list ``num_id`` is numbered, and the number it starts
        at (a bullet list, when the numbering part does not say)."""
        if self._numbering is None:
            return False, 1
        num = next((n for n in self._numbering.findall(qn("w:num"))
                    if n.get(qn("w:numId")) == num_id), None)  # fmt: skip
        if num is None:
            return False, 1
        start = None
        for override in num.findall(qn("w:lvlOverride")):
            if override.get(qn("w:ilvl")) == str(ilvl):
                start = wval(override.find(qn("w:startOverride")))
        abstract_id = wval(num.find(qn("w:abstractNumId")))
        abstract = next((a for a in self._numbering.findall(qn("w:abstractNum"))
                         if a.get(qn("w:abstractNumId")) == abstract_id), None)  # fmt: skip
        if abstract is None:
            return False, 1
        for level in abstract.findall(qn("w:lvl")):
            if level.get(qn("w:ilvl")) == str(ilvl):
                fmt = wval(level.find(qn("w:numFmt"))) or "decimal"
                start = start or wval(level.find(qn("w:start"))) or "1"
                numbered = fmt not in ("bullet", "none")
                return numbered, int(start) if start.isdecimal() and len(start) < 7 else 1
        return False, 1


def on_default(node: Any) -> bool:
    return (node.get(qn("w:default")) or "").lower() in ("1", "true", "on")


def _outline(ppr: Any) -> int | None:
    if ppr is None:
        return None
    value = wval(ppr.find(qn("w:outlineLvl")))
    if value is None or not value.isdecimal() or int(value) > 8:
        return None
    return int(value)


def _toggle(rpr: Any, tag: str, inherited: bool) -> bool:
    node = rpr.find(qn(tag)) if rpr is not None else None
    return on(node) if node is not None else inherited


def is_mono(rpr: Any) -> bool:
    """Whether run properties name a monospaced font."""
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is None:
        return False
    name = fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi")) or ""
    return bool(_MONO.search(name))


def _lang(rpr: Any) -> str | None:
    node = rpr.find(qn("w:lang")) if rpr is not None else None
    return wval(node) if node is not None else None


def source_lang(word_lang: str) -> str:
    """A Word language tag as the source writes it: "en-US" → "en", "ru-RU" → "ru" (the
    region dropped where it is the language's likely one), "en-GB" as given."""
    base = word_lang.split("-")[0].lower()
    tag = word_lang.replace("_", "-")
    return base if region_tag(base).lower() == tag.lower() else tag
