"""The ebooklib book: bilingual Dublin Core, accessibility metadata, manifest and spine."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ebooklib import epub

from exporter.edition import DocumentMetadata, document_metadata
from exporter.formats.epub.documents import Document, TocEntry
from exporter.labels import author_list, language_name
from exporter.model import Article, LocalizedText, figure_images_of

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FOLDER = "EPUB"  # the directory in the zip that holds the package document and its files
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:exporter:article-slug")
ACCESS_MODES = ("textual", "visual")
ACCESS_MODES_SUFFICIENT = ("textual",)
ACCESSIBILITY_FEATURES = (
    "alternativeText",
    "displayTransformability",
    "longDescription",
    "readingOrder",
    "structuralNavigation",
    "tableOfContents",
)
RELATORS = {"author": "aut", "editor": "edt", "translator": "trl"}  # MARC relator codes


def accessibility_summary(article: Article) -> str:
    """What this book offers a reader who uses assistive technology, and only that."""
    parts = [
        "This reflowable e-book has a navigable table of contents, headings and landmarks,"
        " and a logical reading order. The cover has a text alternative."
    ]
    if article.polls:
        parts.append(
            "Each poll is given as a data table with a caption and header cells and as a bar"
            " chart with a title and a full text description."
        )
    parts.append("Text can be resized and restyled.")
    if any(figure_images_of(article.body)):
        parts.append("Every figure has a text alternative; decorative images are marked so.")
    if article.other_langs:
        names = author_list([language_name(code, "en") for code in article.other_langs], "en")
        parts.append(f"Phrases in {names} are marked with their language.")
    parts.append("There are no known hazards.")
    return " ".join(parts)


@dataclass(frozen=True)
class Resource:
    """A non-document file of the book: stylesheet, image or font (a subset)."""

    id: str
    href: str
    media_type: str
    content: bytes


def book_identifier(slug: str) -> str:
    """A UUID URN that depends only on the article's slug."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, slug)}"


def _meta(book: epub.EpubBook, prop: str, value: str, **attrs: str) -> None:
    others = {"property": prop, **{k.replace("_", "-"): v for k, v in attrs.items()}}
    book.add_metadata(None, "meta", value, others)


def _alternates(book: epub.EpubBook, ref: str, text: LocalizedText, lang: str) -> None:
    for other, value in text.others(lang):
        book.add_metadata(None, "meta", value, {
            "refines": f"#{ref}", "property": "alternate-script", XML_LANG: other,
        })  # fmt: skip


def _dublin_core(book: epub.EpubBook, meta: DocumentMetadata) -> None:
    lang = meta.lang
    book.title = meta.title
    book.add_metadata("DC", "title", book.title, {"id": "title"})
    _meta(book, "title-type", "main", refines="#title")
    _alternates(book, "title", meta.titles, lang)
    if meta.subtitles is not None:
        book.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        _meta(book, "title-type", "subtitle", refines="#subtitle")
        _alternates(book, "subtitle", meta.subtitles, lang)
    for number, person in enumerate(meta.people, start=1):
        ref = f"creator{number}"
        kind = "creator" if person.creator else "contributor"
        book.add_metadata("DC", kind, person.name, {"id": ref})
        _meta(book, "role", RELATORS[person.role], refines=f"#{ref}", scheme="marc:relators")
        if person.file_as:
            _meta(book, "file-as", person.file_as, refines=f"#{ref}")
        _alternates(book, ref, person.names, lang)
    book.language = lang
    book.add_metadata("DC", "language", lang)
    book.add_metadata("DC", "publisher", meta.publisher, {"id": "publisher"})
    _alternates(book, "publisher", meta.publishers, lang)
    book.add_metadata("DC", "date", meta.published.isoformat())
    if meta.license:
        book.add_metadata("DC", "rights", meta.rights)
    if meta.doi:
        book.add_metadata("DC", "identifier", f"urn:doi:{meta.doi}", {"id": "doi"})
    if meta.series:
        book.add_metadata(None, "meta", meta.series,
                          {"property": "belongs-to-collection", "id": "series"})  # fmt: skip
        _meta(book, "collection-type", "series", refines="#series")
        if meta.series_number:
            _meta(book, "group-position", meta.series_number, refines="#series")
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", keyword)
    description = "\n\n".join(t for t in meta.summary if t.strip())
    if description:
        book.add_metadata("DC", "description", description)
    if meta.web_url:
        book.add_metadata("DC", "source", meta.web_url)


def _accessibility(book: epub.EpubBook, article: Article) -> None:
    for mode in ACCESS_MODES:
        _meta(book, "schema:accessMode", mode)
    for mode in ACCESS_MODES_SUFFICIENT:
        _meta(book, "schema:accessModeSufficient", mode)
    for feature in ACCESSIBILITY_FEATURES:
        _meta(book, "schema:accessibilityFeature", feature)
    _meta(book, "schema:accessibilityHazard", "none")
    _meta(book, "schema:accessibilitySummary", accessibility_summary(article))
    claim = article.certification
    if claim is None:  # conformance is claimed only when someone has evaluated the book
        return
    _meta(book, "dcterms:conformsTo", claim.conforms_to)
    _meta(book, "a11y:certifiedBy", claim.certified_by, id="certifier")
    if claim.report:
        report = {"rel": "a11y:certifierReport", "href": claim.report, "refines": "#certifier"}
        book.add_metadata(None, "link", "", report)


def build_book(
    article: Article,
    documents: list[Document],
    contents: list[TocEntry],
    resources: list[Resource],
    cover: Resource,
) -> epub.EpubBook:
    """The ebooklib book: metadata, every file in the manifest, the spine (``documents`` in
    reading order) and the NCX from ``contents``."""
    book = epub.EpubBook()
    book.metadata = {}
    book.FOLDER_NAME = FOLDER
    book.set_identifier(book_identifier(article.slug))
    _dublin_core(book, document_metadata(article))
    _accessibility(book, article)
    book.set_cover(cover.href, cover.content, create_page=False)
    for item in book.items:
        if isinstance(item, epub.EpubCover):
            item.media_type = cover.media_type
    spine = []
    for document in documents:
        item = epub.EpubItem(
            uid=document.id,
            file_name=document.href,
            media_type="application/xhtml+xml",
            content=document.content,
        )
        item.properties = list(document.properties)
        book.add_item(item)
        spine.append(item)
    for resource in resources:
        book.add_item(
            epub.EpubItem(
                uid=resource.id,
                file_name=resource.href,
                media_type=resource.media_type,
                content=resource.content,
            )
        )
    book.add_item(epub.EpubNcx())
    book.spine = spine
    book.toc = _ncx_entries(contents)
    return book


def _ncx_entries(entries: list[TocEntry] | tuple[TocEntry, ...]) -> list:
    """The table of contents the way ebooklib nests it: ``(link, [children])`` or a link."""
    nested: list = []
    for entry in entries:
        link = epub.Link(entry.href, entry.label, entry.id)
        nested.append((link, _ncx_entries(entry.children)) if entry.children else link)
    return nested
