"""Real Word footnotes: the footnotes part with its separators, the settings that name them,
and a container the block writer fills as it fills the body, so a note may hold everything
a paragraph may (links, emphasis, code, lists)."""

from __future__ import annotations

from typing import Any

from docx.blkcntnr import BlockItemContainer
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml, register_element_cls
from docx.oxml.ns import nsdecls, qn
from docx.oxml.section import CT_HdrFtr
from docx.parts.story import StoryPart
from docx.shared import Pt
from lxml.etree import _Element

from exporter.formats.docx.ooxml import element

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# a footnote holds block-level content, as a header does
register_element_cls("w:footnote", CT_HdrFtr)

_SEPARATORS = f"""<w:footnotes {nsdecls("w", "r")}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
 w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"
 w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>"""
# settings.xml elements that come after w:footnotePr, in schema order
_AFTER_FOOTNOTE_PR = (
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
    "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
    "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


class FootnotesPart(StoryPart):
    """``word/footnotes.xml``: links and pictures in a note are related from here."""

    @property
    def numbering_part(self) -> Any:
        return self.package.main_document_part.numbering_part


def footnotes_part(doc: Any) -> FootnotesPart:
    """The document's footnotes part (with Word's two separators), made on first use."""
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            return rel.target_part
    part = FootnotesPart(
        PackURI("/word/footnotes.xml"), CONTENT_TYPE, parse_xml(_SEPARATORS), doc.part.package
    )
    doc.part.relate_to(part, RT.FOOTNOTES)
    settings = doc.settings.element
    pr = element("w:footnotePr")
    pr.extend([element("w:footnote", id="-1"), element("w:footnote", id="0")])
    settings.insert_element_before(pr, *_AFTER_FOOTNOTE_PR)
    return part


class NoteBody:
    """One footnote as the block writer sees a document: paragraphs and tables are added to
    it, and links and pictures are related from the footnotes part."""

    def __init__(self, part: FootnotesPart, number: int, width_pt: float) -> None:
        self.part = part
        self.width_pt = width_pt
        self.note = parse_xml(f'<w:footnote {nsdecls("w")} w:id="{number}"/>')
        part.element.append(self.note)
        self._container = BlockItemContainer(self.note, self)  # type: ignore[arg-type]
        self.element = _Body(self.note)

    def add_paragraph(self) -> Any:
        return self._container.add_paragraph()

    def add_table(self, rows: int, cols: int) -> Any:
        return self._container.add_table(rows, cols, Pt(self.width_pt))


class _Body:
    def __init__(self, note: _Element) -> None:
        self.body = note


def reference_run(number: int, style_id: str) -> _Element:
    """The call of footnote ``number`` in the text: Word numbers and links it."""
    run = element("w:r")
    rpr = element("w:rPr")
    rpr.append(element("w:rStyle", val=style_id))
    run.append(rpr)
    run.append(element("w:footnoteReference", id=str(number)))
    return run


def note_mark_runs(style_id: str) -> list[_Element]:
    """The note's own number at the start of its text (Word fills it in), and a space."""
    mark = element("w:r")
    rpr = element("w:rPr")
    rpr.append(element("w:rStyle", val=style_id))
    mark.append(rpr)
    mark.append(element("w:footnoteRef"))
    space = element("w:r")
    text = element("w:t")
    text.text = " "
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    space.append(text)
    return [mark, space]


def first_paragraph(note: _Element) -> _Element:
    """The note's first paragraph, where its number goes (added when it has none)."""
    found = note.find(qn("w:p"))
    if found is None:
        found = element("w:p")
        note.insert(0, found)
    return found
