"""The EPUB 3 format plugin: declares the format; rendering lives in the sibling modules."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from exporter.errors import FormatError
from exporter.formats import Format

if TYPE_CHECKING:
    from exporter.style import StyleSheet

MIMETYPE = b"application/epub+zip"


class EpubFormat(Format):
    """A reflowable EPUB 3 e-book that EPUBCheck passes, with accessibility metadata."""

    name = "epub"
    suffix = ".epub"
    media_type = "application/epub+zip"
    description = "EPUB 3 e-book (reflowable, accessible, PT fonts embedded)"
    renderer = "exporter.formats.epub.writer:render_epub"

    @classmethod
    def warm(cls, style: StyleSheet, langs: frozenset[str]) -> None:
        from PIL import Image

        Image.init()  # the image plugins, which the cover and the figures are read with

    def verify(self, data: bytes) -> None:
        """The bytes are a zip whose first entry is an uncompressed ``mimetype`` for EPUB."""
        import zipfile

        super().verify(data)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                infos = book.infolist()
                if not infos or infos[0].filename != "mimetype":
                    raise FormatError("epub: the first entry of the zip is not 'mimetype'")
                if infos[0].compress_type != zipfile.ZIP_STORED:
                    raise FormatError("epub: the 'mimetype' entry is compressed")
                if book.read(infos[0]) != MIMETYPE:
                    raise FormatError("epub: 'mimetype' does not hold application/epub+zip")
                if "META-INF/container.xml" not in book.namelist():
                    raise FormatError("epub: META-INF/container.xml is missing")
        except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
            raise FormatError(f"epub: not a zip file: {exc}") from None
