"""Which faces the text of a Word document is set in, read from the document itself: each
run's font, bold and italic from its direct formatting, its character style and its
paragraph's style (each style with the ones it is based on, then the document defaults).
A character style's bold and italic toggle those of the paragraph's style, as Word applies
them (ECMA-376, 17.7.3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from exporter.subset import Uses, add_text, face_name

_TEXT = (qn("w:t"), qn("w:delText"))


@dataclass(frozen=True)
class _Look:
    font: str | None
    bold: bool | None
    italic: bool | None


def _flag(props: etree._Element | None, tag: str) -> bool | None:
    node = props.find(qn(tag)) if props is not None else None
    if node is None:
        return None
    return node.get(qn("w:val"), "true").lower() not in ("0", "false", "off")


def _look(props: etree._Element | None) -> _Look:
    fonts = props.find(qn("w:rFonts")) if props is not None else None
    font = None
    if fonts is not None:
        font = fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:ascii"))
    return _Look(font, _flag(props, "w:b"), _flag(props, "w:i"))


class _Styles:
    def __init__(self, styles: etree._Element) -> None:
        self.looks: dict[str, _Look] = {}
        self.based: dict[str, str] = {}
        self.default_paragraph = ""
        for style in styles.iter(qn("w:style")):
            ident = style.get(qn("w:styleId"), "")
            self.looks[ident] = _look(style.find(qn("w:rPr")))
            based = style.find(qn("w:basedOn"))
            if based is not None:
                self.based[ident] = based.get(qn("w:val"), "")
            default = style.get(qn("w:default")) in ("1", "true")
            if default and style.get(qn("w:type")) == "paragraph":
                self.default_paragraph = ident
        defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.default = _look(defaults)

    def chain(self, ident: str | None) -> list[_Look]:
        out, seen = [], set()
        while ident and ident in self.looks and ident not in seen:
            seen.add(ident)
            out.append(self.looks[ident])
            ident = self.based.get(ident)
        return out


def _set_in(looks: Iterable[_Look], name: str) -> bool:
    """A property as a style chain gives it: the nearest style that states it decides."""
    return next((value for look in looks if (value := getattr(look, name)) is not None), False)


def docx_uses(parts: Iterable[etree._Element], styles: etree._Element,
              families: tuple[str, ...]) -> Uses:  # fmt: skip
    """The characters set in each (family, face) of ``families`` by the runs of ``parts``
    (the document, its headers, footers and footnotes)."""
    table = _Styles(styles)
    uses: Uses = {}
    for part in parts:
        for paragraph in part.iter(qn("w:p")):
            props = paragraph.find(qn("w:pPr"))
            style = props.find(qn("w:pStyle")) if props is not None else None
            para_chain = table.chain(style.get(qn("w:val")) if style is not None
                                     else table.default_paragraph)  # fmt: skip
            for run in paragraph.iter(qn("w:r")):
                text = "".join(node.text or "" for node in run if node.tag in _TEXT)
                if not text:
                    continue
                run_props = run.find(qn("w:rPr"))
                char = run_props.find(qn("w:rStyle")) if run_props is not None else None
                char_chain = table.chain(char.get(qn("w:val")) if char is not None else None)
                direct = _look(run_props)
                looks = [direct, *char_chain, *para_chain, table.default]
                font = next((look.font for look in looks if look.font), None)
                # a character style's bold or italic toggles its paragraph style's
                bold = direct.bold if direct.bold is not None else (
                    _set_in(char_chain, "bold") != _set_in(para_chain, "bold"))
                italic = direct.italic if direct.italic is not None else (
                    _set_in(char_chain, "italic") != _set_in(para_chain, "italic"))
                if font:
                    add_text(uses, text, (font,), face_name(bold, italic), families)
    return uses
