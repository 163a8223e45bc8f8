"""Opens a Word manuscript: refuses, in one line each, what is not a .docx it can read (a
legacy .doc, a macro-enabled .docm, a password-protected or damaged file), and applies or
refuses tracked changes."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from exporter.errors import SourceError
from exporter.importer.xml import W, qn

MAX_BYTES = 128 * 1024 * 1024  # the manuscript file
MAX_UNPACKED = 512 * 1024 * 1024  # every part, unpacked
MAX_RATIO = 200  # how much a part may grow when unpacked (a zip bomb grows thousands of times)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: .doc, or an encrypted .docx
_DOCUMENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
}
_MACRO_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# tracked changes: what was inserted (kept when accepted) and what was deleted (dropped)
_INSERTED = ("w:ins", "w:moveTo")
_DELETED = ("w:del", "w:moveFrom")
_CHANGE_MARKS = ("w:rPrChange", "w:pPrChange", "w:sectPrChange", "w:tblPrChange",
                 "w:trPrChange", "w:tcPrChange", "w:tblGridChange", "w:numberingChange",
                 "w:moveFromRangeStart", "w:moveFromRangeEnd", "w:moveToRangeStart",
                 "w:moveToRangeEnd", "w:cellIns", "w:cellDel", "w:cellMerge")  # fmt: skip
_STORY_PARTS = ("footnotes", "endnotes", "comments")


@dataclass(frozen=True)
class Manuscript:
    """A Word document opened with python-docx, the name it is reported under, and its
    footnotes, endnotes and comments parts parsed (None: the document has none)."""

    shown: str
    doc: Any  # docx.document.Document
    stories: dict[str, Any]

    def story(self, name: str) -> Any:
        return self.stories.get(name)

    def part_of(self, name: str) -> Any:
        """The part of the story ``name`` (its pictures and links are related from it)."""
        for rel in self.doc.part.rels.values():
            if not rel.is_external and rel.reltype.rsplit("/", 1)[-1] == name:
                return rel.target_part
        return None


def open_manuscript(path: Path, shown: str, accept_changes: bool = False) -> Manuscript:
    """The manuscript at ``path``; a :class:`SourceError` at ``shown:1:1`` for anything
    that is not a Word document it can read."""
    data = _read(path, shown)

    def refuse(message: str) -> SourceError:
        return SourceError.at(shown, 1, 1, message)

    if data.startswith(_OLE):
        if path.suffix.lower() in (".doc", ".dot"):
            raise refuse("a Word 97-2003 document (.doc): open it in Word and save it as "
                         "a Word document (.docx)")  # fmt: skip
        raise refuse("the file is password-protected (encrypted) or an old .doc: remove the "
                     "password in Word (File > Info > Protect Document) and save it as .docx")
    if not data.startswith(b"PK"):
        raise refuse("not a Word document: a .docx is a zip package, and this file is not one")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        main_type = _main_type(package, refuse)
    except zipfile.BadZipFile as exc:
        raise refuse(f"the Word file is damaged (not a readable zip package: {exc})") from None
    if main_type in _MACRO_TYPES:
        raise refuse("a macro-enabled document (.docm): save it in Word as a Word document "
                     "(.docx), without its macros")  # fmt: skip
    if main_type not in _DOCUMENT_TYPES:
        raise refuse(f"not a Word document: its main part is {main_type or 'missing'}")
    _check_sizes(package, refuse)
    bad = _damaged_entry(package)
    if bad:
        raise refuse(f"the Word file is damaged: its part {bad} cannot be unpacked")
    import docx

    try:
        doc = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile) as exc:
        raise refuse(f"the Word file is damaged ({_reason(exc)})") from None
    stories = {}
    for name in _STORY_PARTS:
        part = next((rel.target_part for rel in doc.part.rels.values()
                     if not rel.is_external and rel.reltype.rsplit("/", 1)[-1] == name), None)
        if part is None:
            continue
        try:
            stories[name] = part.element if hasattr(part, "element") else etree.fromstring(
                part.blob, etree.XMLParser(resolve_entities=False, huge_tree=False))
        except etree.XMLSyntaxError as exc:
            raise refuse(f"the Word file is damaged: its {name} part is not well-formed "
                         f"({_reason(exc)})") from None
    _tracked_changes([doc.element, *stories.values()], refuse, accept_changes)
    return Manuscript(shown, doc, stories)


def _read(path: Path, shown: str) -> bytes:
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise SourceError.at(shown, 1, 1, "is a folder, not a Word document")
        if not stat.S_ISREG(info.st_mode):
            raise SourceError.at(shown, 1, 1, "not a regular file; a manuscript is a .docx file")
        if info.st_size > MAX_BYTES:
            raise SourceError.at(shown, 1, 1, f"the file is larger than "
                                 f"{MAX_BYTES // 1024 // 1024} MiB")  # fmt: skip
        with open(path, "rb") as fh:
            return fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SourceError.at(shown, 1, 1, "no such file") from None
    except OSError as exc:
        raise SourceError.at(shown, 1, 1, f"cannot read: {exc.strerror}") from None


def _main_type(package: zipfile.ZipFile, refuse: Any) -> str:
    """The content type of the package's main document part ("" without one)."""
    try:
        types = etree.fromstring(package.read("[Content_Types].xml"))
    except KeyError:
        raise refuse("not a Word document: the zip package has no [Content_Types].xml") from None
    except etree.XMLSyntaxError:
        raise refuse("the Word file is damaged: [Content_Types].xml is not well-formed") from None
    for node in types.iter(f"{_CT}Override"):
        if node.get("PartName", "").lower() == "/word/document.xml":
            return node.get("ContentType", "")
    for node in types.iter(f"{_CT}Override"):
        content_type = node.get("ContentType", "")
        if content_type in _DOCUMENT_TYPES | _MACRO_TYPES:
            return content_type
    return ""


def _check_sizes(package: zipfile.ZipFile, refuse: Any) -> None:
    total = 0
    for info in package.infolist():
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise refuse(f"the Word file is refused: its part {info.filename} would unpack to "
                         f"{info.file_size // 1024 // 1024} MiB from "
                         f"{info.compress_size // 1024} KiB (a zip bomb?)")  # fmt: skip
    if total > MAX_UNPACKED:
        raise refuse(f"the Word file unpacks to more than {MAX_UNPACKED // 1024 // 1024} MiB")


def _damaged_entry(package: zipfile.ZipFile) -> str | None:
    try:
        return package.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        return _reason(exc)


def _tracked_changes(roots: list[Any], refuse: Any, accept: bool) -> None:
    """Refuse a document with tracked changes, or (``accept``) apply them all."""
    marks = [node for root in roots for tag in (*_INSERTED, *_DELETED, *_CHANGE_MARKS)
             for node in root.iter(qn(tag))]  # fmt: skip
    if not marks:
        return
    if not accept:
        raise refuse(f"the document has {len(marks)} tracked changes: accept or reject the "
                     "changes in Word first (Review > Accept All), or import with "
                     "--accept-changes to accept them all")  # fmt: skip
    for root in roots:
        accept_all(root)


def accept_all(root: Any) -> None:
    """Apply every tracked change under ``root``: insertions kept, deletions dropped, and
    the records of formatting changes removed (the new formatting stays)."""
    for tag in _DELETED:
        for node in list(root.iter(qn(tag))):
            parent = node.getparent()
            if parent is not None:  # deleted text, or a deleted paragraph mark (in w:rPr)
                parent.remove(node)
    for tag in _CHANGE_MARKS:
        for node in list(root.iter(qn(tag))):
            if node.getparent() is not None:
                node.getparent().remove(node)
    for tag in _INSERTED:
        for node in list(root.iter(qn(tag))):
            parent = node.getparent()
            if parent is None:
                continue
            if parent.tag == qn("w:rPr"):  # an inserted paragraph mark
                parent.remove(node)
                continue
            at = parent.index(node)
            for offset, child in enumerate(list(node)):
                parent.insert(at + offset, child)
            parent.remove(node)
    for text in root.iter(qn("w:delText")):  # left in an accepted insertion of a deletion
        text.tag = f"{{{W}}}t"



def _reason(exc: BaseException) -> str:
    text = str(exc).strip().rstrip(".") or type(exc).__name__
    return text.splitlines()[0][:160]
