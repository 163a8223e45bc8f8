"""Assembles the EPUB through ebooklib, then packs its files once into a reproducible zip."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from ebooklib import epub
from lxml import etree

from exporter.errors import FormatError
from exporter.formats import ExportOptions
from exporter.formats.epub import MIMETYPE
from exporter.formats.epub.cover import COVER_MEDIA_TYPE, cover_png
from exporter.formats.epub.documents import (
    COVER_IMAGE,
    CSS_HREF,
    Document,
    all_documents,
    figure_images,
    image_href,
)
from exporter.formats.epub.package import FOLDER, Resource, build_book
from exporter.formats.zipped import Entry, entry, pack
from exporter.model import Article
from exporter.style import StyleSheet
from exporter.subset import cut_faces
from exporter.xhtml.css import FontFile, stylesheet
from exporter.xhtml.faces import xhtml_uses

FIRST_ENTRIES = ("mimetype", "META-INF/container.xml")


def font_resources(
    style: StyleSheet, families: tuple[str, ...], documents: list[Document]
) -> tuple[list[FontFile], list[Resource]]:
    """The faces the book's text is set in (as its own stylesheet says), each cut down to
    the characters set in it (see ``exporter.subset``), as CSS faces and book resources; a
    variable font's one file serves each weight it is used in."""
    roots = [etree.fromstring(document.content) for document in documents]
    uses = xhtml_uses(roots, stylesheet(style, []), families)
    faces: list[FontFile] = []
    resources: dict[str, Resource] = {}
    for family, face, path, data in cut_faces(uses, families, text=style.text_families):
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-")
        href = f"fonts/{stem}{path.suffix}"
        faces.append(FontFile(family, face, href))
        ident = "font-" + stem.lower().replace("_", "-")
        resources.setdefault(href, Resource(ident, href, "font/ttf", data))
    return faces, list(resources.values())


def render_epub(article: Article, style: StyleSheet, options: ExportOptions) -> bytes:
    """The whole edition as bytes."""
    build_time = options.build_time(article)
    documents, contents = all_documents(article, style)
    faces, fonts = ([], [])
    if options.embed_fonts:
        faces, fonts = font_resources(style, style.families_with_fallbacks(), documents)
    css = Resource("css", CSS_HREF, "text/css", stylesheet(style, faces).encode("utf-8"))
    cover = Resource("cover-image", COVER_IMAGE, COVER_MEDIA_TYPE, cover_png(article, style))
    images = [
        Resource(f"figure-{i}", image_href(image), image.media_type, image.data)
        for i, image in enumerate(figure_images(article), start=1)
    ]
    book = build_book(article, documents, contents, [css, *images, *fonts], cover)
    files = with_package_language(ebooklib_files(book, build_time), article.lang)
    return pack_book(files, [cover, *images, *fonts], build_time)


def with_package_language(files: dict[str, bytes], lang: str) -> dict[str, bytes]:
    """The files with ``xml:lang`` on the package document's root, so the language of its
    metadata is stated (Ace's epub-lang rule); ebooklib does not write it."""
    name = f"{FOLDER}/content.opf"
    root = etree.fromstring(files[name])
    root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return {**files, name: data}


def ebooklib_files(book: epub.EpubBook, build_time: dt.datetime) -> dict[str, bytes]:
    """Every file ebooklib writes for ``book`` (package document, NCX, container, items),
    written without compression since the final pack compresses each file once."""
    raw = io.BytesIO()
    writer_options = {
        "mtime": build_time.astimezone(dt.UTC),
        "epub2_guide": False,
        "epub3_landmark": False,
        "epub3_pages": False,
        "play_order": {"enabled": True, "start_from": 1},
        "raise_exceptions": True,
        "compresslevel": 0,
    }
    try:
        written = epub.write_epub(raw, book, writer_options)
    except Exception as exc:
        raise FormatError(f"epub: ebooklib could not write the book: {exc}") from exc
    if not written:
        raise FormatError("epub: ebooklib reported that it could not write the book")
    with zipfile.ZipFile(raw) as source:
        return {info.filename: source.read(info) for info in source.infolist()}


def pack_book(files: dict[str, bytes], resources: list[Resource], build_time: dt.datetime) -> bytes:
    """The reproducible zip: mimetype first and stored, then the container and every other
    file in ebooklib's order; images stored (already compressed), fonts (subsets),
    markup and CSS deflated."""
    if files.get("mimetype") != MIMETYPE:
        raise FormatError("epub: the written book has no valid mimetype entry")
    by_name = {f"{FOLDER}/{r.href}": r for r in resources}
    order = [n for n in FIRST_ENTRIES if n in files]
    order += [n for n in files if n not in FIRST_ENTRIES]
    entries: list[tuple[str, Entry]] = []
    for name in order:
        resource = by_name.get(name)
        if name == "mimetype":
            entries.append((name, entry(files[name], level=None)))
        elif resource is not None and resource.media_type.startswith("image/"):
            entries.append((name, entry(resource.content, level=None)))
        else:
            entries.append((name, entry(files[name])))
    return pack(entries, build_time)
