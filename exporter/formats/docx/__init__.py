"""The Word edition plugin: declares the DOCX format; rendering lives in the sibling modules."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, ClassVar

from exporter.errors import FormatError
from exporter.formats import Format

if TYPE_CHECKING:
    from exporter.style import StyleSheet

_REQUIRED_ENTRIES = ("[Content_Types].xml", "_rels/.rels", "word/document.xml")


class DocxFormat(Format):
    """A Word document an editor can restyle: named styles, fields, properties, poll table."""

    name: ClassVar[str] = "docx"
    suffix: ClassVar[str] = ".docx"
    media_type: ClassVar[str] = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    description: ClassVar[str] = "Word document (DOCX) with named styles, for editors"
    default_style: ClassVar[str] = "default"
    renderer: ClassVar[str] = "exporter.formats.docx.document:render_docx"

    @classmethod
    def warm(cls, style: StyleSheet, langs: frozenset[str]) -> None:
        import xml.etree.ElementTree  # noqa: F401 (the check of what is written)

        import resvg_py  # noqa: F401 (figures drawn as pictures)

    def verify(self, data: bytes) -> None:
        """Raise :class:`FormatError` unless ``data`` is a zip holding a parseable document."""
        import zipfile
        from xml.etree import ElementTree

        super().verify(data)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
                missing = [n for n in _REQUIRED_ENTRIES if n not in names]
                if missing:
                    raise FormatError(f"docx: the package lacks {', '.join(missing)}")
                broken = package.testzip()
                if broken:
                    raise FormatError(f"docx: damaged entry {broken}")
                ElementTree.fromstring(package.read("word/document.xml"))
        except zipfile.BadZipFile as exc:
            raise FormatError(f"docx: not a zip package: {exc}") from None
        except ElementTree.ParseError as exc:
            raise FormatError(f"docx: word/document.xml is not well-formed: {exc}") from None
