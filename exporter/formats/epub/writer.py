"""Assembles the EPUB through ebooklib, then re-packs it as a reproducible zip."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from ebooklib import epub

from exporter.errors import FormatError
from exporter.fonts import FACES, font_family
from exporter.formats import ExportOptions
from exporter.formats.epub.cover import cover_png
from exporter.formats.epub.css import FontFile, stylesheet
from exporter.formats.epub.documents import COVER_IMAGE, CSS_HREF, all_documents
from exporter.formats.epub.package import Resource, build_book
from exporter.model import Article
from exporter.style import StyleSheet

MIMETYPE = b"application/epub+zip"
FIRST_ENTRIES = ("mimetype", "META-INF/container.xml")


def font_resources(style: StyleSheet) -> tuple[list[FontFile], list[Resource]]:
    """The PT font files every role of ``style`` uses, as CSS faces and book resources."""
    faces: list[FontFile] = []
    resources: list[Resource] = []
    for family in style.font_families:
        files = font_family(family).files
        for face in FACES:
            path = files[face]
            href = f"fonts/{path.name}"
            faces.append(FontFile(family, face, href))
            ident = "font-" + path.stem.lower().replace("_", "-")
            resources.append(Resource(ident, href, "font/ttf", path.read_bytes()))
    return faces, resources


def render_epub(article: Article, style: StyleSheet, options: ExportOptions) -> bytes:
    """The whole edition as bytes."""
    build_time = options.build_time(article)
    faces, fonts = font_resources(style) if options.embed_fonts else ([], [])
    css = Resource("css", CSS_HREF, "text/css", stylesheet(style, faces).encode("utf-8"))
    cover = Resource("cover-image", COVER_IMAGE, "image/png", cover_png(article, style))
    book = build_book(article, all_documents(article, style), [css, *fonts], cover)
    raw = io.BytesIO()
    writer_options = {
        "mtime": build_time.astimezone(dt.UTC),
        "epub2_guide": False,
        "epub3_landmark": False,
        "epub3_pages": False,
        "play_order": {"enabled": True, "start_from": 1},
        "raise_exceptions": True,
    }
    try:
        written = epub.write_epub(raw, book, writer_options)
    except Exception as exc:
        raise FormatError(f"epub: ebooklib could not write the book: {exc}") from exc
    if not written:
        raise FormatError("epub: ebooklib reported that it could not write the book")
    return repack(raw.getvalue(), build_time)


def repack(data: bytes, build_time: dt.datetime) -> bytes:
    """The same entries in a reproducible zip: mimetype first and stored, fixed times and order."""
    stamp = build_time.astimezone(dt.UTC)
    date_time = (
        max(stamp.year, 1980),
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second,
    )
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    if entries.get("mimetype") != MIMETYPE:
        raise FormatError("epub: the written book has no valid mimetype entry")
    order = [n for n in FIRST_ENTRIES if n in entries]
    order += [n for n in entries if n not in FIRST_ENTRIES]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            target.writestr(info, entries[name], compresslevel=None if stored else 9)
    return out.getvalue()
