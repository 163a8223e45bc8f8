"""Embeds the style's font families in the package (obfuscated, as Word embeds fonts)."""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from exporter.fonts import font_family
from exporter.formats.docx.ooxml import element
from exporter.formats.docx.package import StaticPart

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_TABLE = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
_FACES = (("regular", "embedRegular"), ("bold", "embedBold"), ("italic", "embedItalic"),
          ("bolditalic", "embedBoldItalic"))
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


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 font obfuscation: the first 32 bytes XORed with the reversed GUID bytes."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


@cache
def obfuscated_font(path: Path, key: str) -> bytes:
    """The font file at ``path`` obfuscated with ``key``, read and obfuscated once per process."""
    return obfuscate(path.read_bytes(), key)


def embed_fonts(doc: Document, families: tuple[str, ...]) -> None:
    """Put every face of ``families`` into the package and name them in the font table."""
    old = doc.part.part_related_by(RT.FONT_TABLE)
    table = XmlPart(PackURI("/word/fontTable.xml"), FONT_TABLE, parse_xml(old.blob),
                    doc.part.package)
    for rid in [r for r, rel in doc.part.rels.items() if rel.reltype == RT.FONT_TABLE]:
        del doc.part.rels[rid]
    doc.part.relate_to(table, RT.FONT_TABLE)
    count = 0
    for family in families:
        entry = _font_entry(table.element, family)
        for face, tag in _FACES:
            count += 1
            key = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"font:{family}:{face}")).upper() + "}"
            path = font_family(family).files[face]
            part = StaticPart(PackURI(f"/word/fonts/font{count}.odttf"), OBFUSCATED_FONT,
                              obfuscated_font(path, key), doc.part.package, (path, key))
            embed = element(f"w:{tag}", fontKey=key)
            embed.set(qn("r:id"), table.relate_to(part, RT.FONT))
            entry.append(embed)
    settings = doc.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is None:
        settings.insert_element_before(element("w:embedTrueTypeFonts"), *_SETTINGS_AFTER_EMBED)


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
