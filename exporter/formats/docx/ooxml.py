"""Raw WordprocessingML the python-docx API lacks: runs, fields, hyperlinks, language, borders."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import groupby

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml.etree import _Element

from exporter.languages import Languages, region_tag
from exporter.style import Color, Length


def word_lang(lang: str) -> str:
    """The Word language tag for a BCP 47 tag: the language with its CLDR likely region,
    "en" → "en-US", "ru" → "ru-RU", "kk" → "kk-KZ"; a tag with a region as given."""
    return region_tag(lang)


def element(tag: str, **attrs: str) -> _Element:
    """A new ``w:`` element with ``w:`` attributes given as keyword arguments."""
    node = OxmlElement(tag)
    for key, value in attrs.items():
        node.set(qn(f"w:{key}"), value)
    return node


def make_run(
    text: str,
    *,
    char_style: str | None = None,
    lang: str | None = None,
    bold: bool = False,
    italic: bool = False,
    font: str | None = None,
) -> _Element:
    """A ``w:r`` holding ``text`` with only a character style, a font (for characters its
    paragraph's font lacks), emphasis and language."""
    run = OxmlElement("w:r")
    props = [element("w:rStyle", val=char_style)] if char_style else []
    if font:
        props.append(element("w:rFonts", ascii=font, hAnsi=font, cs=font, eastAsia=font))
    if bold:
        props.append(element("w:b"))
    if italic:
        props.append(element("w:i"))
    if lang:
        props.append(element("w:lang", val=word_lang(lang)))
    if props:
        rpr = OxmlElement("w:rPr")
        rpr.extend(props)
        run.append(rpr)
    for index, chunk in enumerate(text.split("\t")):
        if index:
            run.append(OxmlElement("w:tab"))
        if chunk:
            node = OxmlElement("w:t")
            node.text = chunk
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(node)
    return run


def text_runs(
    text: str,
    lang: str,
    languages: Languages,
    *,
    char_style: str | None = None,
    bold: bool = False,
    italic: bool = False,
    fonts: Callable[[str], str | None] | None = None,
    face: str | None = None,
) -> list[_Element]:
    """Runs for ``text`` in ``lang``; runs in another language than the document's (the
    article's, ``languages``: a foreign span, a stretch in another script) carry it,
    and a stretch whose characters the paragraph's font lacks names the font ``fonts`` gives
    for them (None: the paragraph's own, or ``face`` when one is given)."""
    default = word_lang(languages.lang)
    runs = []
    for run_lang, chunk in languages.runs(text, lang):
        tagged = None if word_lang(run_lang) == default else run_lang
        pieces = groupby(chunk, key=fonts) if fonts and not chunk.isascii() else [(None, chunk)]
        for font, piece in pieces:
            runs.append(make_run("".join(piece), char_style=char_style, lang=tagged,
                                 bold=bold, italic=italic, font=font or face))  # fmt: skip
    return runs


def line_break_run() -> _Element:
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def field_runs(instruction: str, shown: str) -> list[_Element]:
    """The runs of a complex field such as ``PAGE``, showing ``shown`` until Word updates it."""
    begin, separate, end = (OxmlElement("w:r") for _ in range(3))
    begin.append(element("w:fldChar", fldCharType="begin"))
    separate.append(element("w:fldChar", fldCharType="separate"))
    end.append(element("w:fldChar", fldCharType="end"))
    code = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    code.append(instr)
    return [begin, code, separate, make_run(shown), end]


def bookmark_name(index: int, ident: str) -> str:
    """The Word bookmark name of the ``index``-th id (counted from 1): hidden (leading
    ``_``), letters, digits and ``_`` only, at most 40 characters, told apart by ``index``."""
    safe = re.sub(r"[^A-Za-z0-9]+", "_", ident).strip("_")[:28]
    return f"_Ref{index}_{safe}".rstrip("_")


def hyperlink(part: object, url: str) -> _Element:
    """An empty ``w:hyperlink`` to the external ``url``, related from ``part``."""
    rid = part.relate_to(url, RT.HYPERLINK, is_external=True)  # type: ignore[attr-defined]
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    link.set(qn("w:history"), "1")
    return link


def shading(fill: Color) -> _Element:
    return element("w:shd", val="clear", color="auto", fill=fill.hex[1:].upper())


def border(side: str, color: Color, width: Length, space: Length) -> _Element:
    """One ``w:pBdr``/``w:tblBorders`` side: width in eighths of a point, space in points."""
    return element(
        f"w:{side}",
        val="single",
        sz=str(max(2, min(96, round(width.pt * 8)))),
        space=str(max(0, min(31, round(space.pt)))),
        color=color.hex[1:].upper(),
    )


def twips(length: Length) -> str:
    return str(round(length.pt * 20))
