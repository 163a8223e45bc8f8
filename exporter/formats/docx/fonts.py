"""Embeds the faces a document uses in its package: subset and obfuscated, as Word embeds
fonts when it is told to embed only the characters used."""

from __future__ import annotations

import uuid

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from exporter.formats.docx.ooxml import element
from exporter.subset import Uses, cut_faces

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_TABLE = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
_TAGS = {"regular": "embedRegular", "bold": "embedBold", "italic": "embedItalic",
         "bolditalic": "embedBoldItalic"}
_SETTINGS_AFTER_EMBED = (
    "w:embedSystemFonts", "w:saveSubsetFonts", "w:saveFormsData", "w:mirrorMargins",
    "w:alignBordersAndEdges", "w:bordersDoNotSurroundHeader", "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop", "w:hideSpellingErrors", "w:hideGrammaticalErrors", "w:activeWritingStyle",
    "w:proofState", "w:formsDesign", "w:attachedTemplate", "w:linkStyles",
    "w:stylePaneFormatFilter", "w:stylePaneSortMethod", "w:documentType", "w:mailMerge",
    "w:revisionView", "w:trackRevisions", "w:doNotTrackMoves", "w:doNotTrackFormatting",
    "w:documentProtection", "w:autoFormatOverride", "w:styleLockTheme", "w:styleLockQFSet",
    "w:defaultTabStop", "w:autoHyphenation",
)  # fmt: skip
_SETTINGS_AFTER_SUBSET = _SETTINGS_AFTER_EMBED[2:]


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 font obfuscation: the first 32 bytes XORed with the reversed GUID bytes."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def embed_fonts(
    doc: Document, uses: Uses, families: tuple[str, ...], text: tuple[str, ...]
) -> None:
    """Put each face of ``families`` the document's text is set in into the package, cut
    down to the characters set in it (and, in the ``text`` families, the usual alphabets an
    editor types a correction in; see ``exporter.subset``), named in the font table and
    marked as subsetted; Word is asked to keep subsetting when it saves."""
    old = doc.part.part_related_by(RT.FONT_TABLE)
    table = XmlPart(PackURI("/word/fontTable.xml"), FONT_TABLE, parse_xml(old.blob),
                    doc.part.package)
    for rid in [r for r, rel in doc.part.rels.items() if rel.reltype == RT.FONT_TABLE]:
        del doc.part.rels[rid]
    doc.part.relate_to(table, RT.FONT_TABLE)
    entries: dict[str, object] = {}
    faces = cut_faces(uses, families, "word", text, every=True)
    for count, (family, face, _, data) in enumerate(faces, 1):
        if family not in entries:
            entries[family] = _font_entry(table.element, family)
        entry = entries[family]
        key = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"font:{family}:{face}")).upper() + "}"
        part = Part(PackURI(f"/word/fonts/font{count}.odttf"), OBFUSCATED_FONT,
                    obfuscate(data, key), doc.part.package)
        embed = element(f"w:{_TAGS[face]}", fontKey=key, subsetted="1")
        embed.set(qn("r:id"), table.relate_to(part, RT.FONT))
        entry.append(embed)
    settings = doc.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is None:
        settings.insert_element_before(element("w:embedTrueTypeFonts"), *_SETTINGS_AFTER_EMBED)
    if settings.find(qn("w:saveSubsetFonts")) is None:
        settings.insert_element_before(element("w:saveSubsetFonts"), *_SETTINGS_AFTER_SUBSET)


def _font_entry(fonts: object, family: str) -> object:
    """A fresh ``w:font`` for ``family`` (replacing one the template had)."""
    for old in fonts.findall(qn("w:font")):  # type: ignore[attr-defined]
        if old.get(qn("w:name")) == family:
            fonts.remove(old)  # type: ignore[attr-defined]
    entry = element("w:font", name=family)
    entry.append(element("w:charset", val="00"))
    entry.append(element("w:family", val="roman" if "Serif" in family else "swiss"))
    entry.append(element("w:pitch", val="variable"))
    fonts.append(entry)  # type: ignore[attr-defined]
    return entry
