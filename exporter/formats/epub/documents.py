"""The book's XHTML documents: cover page, title page with summary, the article, and nav.xhtml."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from exporter.labels import author_list, label
from exporter.languages import Languages
from exporter.model import Article, Image, figure_images_of
from exporter.style import StyleSheet
from exporter.xhtml.poll import SVG_NS
from exporter.xhtml.render import (
    EPUB_NS,
    OutlineItem,
    append_text,
    image_name,
    new_document,
    serialize,
    sub,
)
from exporter.xhtml.sections import article_section, summary_section, title_section

CSS_HREF = "css/book.css"
IMAGES = "images"
COVER_IMAGE = f"{IMAGES}/cover.png"


@dataclass(frozen=True)
class Document:
    """One XHTML file of the book."""

    id: str
    href: str
    title: str
    content: bytes
    properties: tuple[str, ...] = ()


@dataclass(frozen=True)
class TocEntry:
    """An entry of the table of contents, with the entries nested under it."""

    id: str
    href: str
    label: str
    children: tuple[TocEntry, ...] = ()


def cover_alt(article: Article) -> str:
    lang = article.lang
    authors = author_list(article.author_names(lang), lang)
    publisher = article.publisher.name.in_lang(lang)
    return f"{article.title.in_lang(lang)} — {authors} — {publisher}, {article.published.year}"


def cover_page(article: Article) -> Document:
    title = label("cover", article.lang)
    html, body = new_document(title, article.lang, CSS_HREF)
    section = sub(body, "section", class_="cover", epub_type="cover")
    section.set("aria-label", title)
    sub(section, "img", src=COVER_IMAGE, alt=cover_alt(article), role="doc-cover")
    return Document("cover", "cover.xhtml", title, serialize(html))


def title_page(article: Article, style: StyleSheet) -> Document:
    lang = article.lang
    html, body = new_document(article.title.in_lang(lang), lang, CSS_HREF)
    body.set(f"{{{EPUB_NS}}}type", "frontmatter")
    title_section(body, article, style)
    summary = summary_section(body, article, style)
    if summary is not None:
        summary.set(f"{{{EPUB_NS}}}type", "abstract")
    return Document(
        "titlepage", "title.xhtml", label("title_page", lang), serialize(html), _properties(html)
    )


def article_page(article: Article, style: StyleSheet) -> tuple[Document, list[OutlineItem]]:
    """The article document and the outline of its top-level headings and polls."""
    lang = article.lang
    html, body = new_document(article.title.in_lang(lang), lang, CSS_HREF)
    body.set(f"{{{EPUB_NS}}}type", "bodymatter")
    section, outline = article_section(body, article, style, image_href)
    section.set(f"{{{EPUB_NS}}}type", "chapter")
    title = label("article", lang)
    document = Document("article", "article.xhtml", title, serialize(html), _properties(html))
    return document, outline


def image_href(image: Image) -> str:
    """Where the book keeps a figure's image, relative to its documents."""
    return f"{IMAGES}/{image_name(image)}"


def figure_images(article: Article) -> list[Image]:
    """Every image the article's figures show, once each, in reading order."""
    seen: dict[str, Image] = {}
    for image in figure_images_of(article.body):
        seen.setdefault(image_href(image), image)
    return list(seen.values())


def _properties(html: etree._Element) -> tuple[str, ...]:
    """Manifest properties a content document needs: ``svg`` when it holds inline SVG."""
    return ("svg",) if html.find(f".//{{{SVG_NS}}}svg") is not None else ()


def toc_entries(article: Article, outline: list[OutlineItem]) -> list[TocEntry]:
    """The table of contents in reading order: title page, summary, and the article with its
    headings and polls (``outline``) nested under it."""
    lang = article.lang
    entries = [TocEntry("toc-titlepage", "title.xhtml", label("title_page", lang))]
    if article.summary:
        entries.append(TocEntry("toc-summary", "title.xhtml#summary", label("summary", lang)))
    children = _nest(outline, "article.xhtml")
    entries.append(TocEntry("toc-article", "article.xhtml", label("article", lang), children))
    return entries


def _nest(items: list[OutlineItem], href: str) -> tuple[TocEntry, ...]:
    """Each item with the items after it of a deeper level nested under it."""
    entries: list[TocEntry] = []
    start = 0
    while start < len(items):
        item = items[start]
        end = start + 1
        while end < len(items) and items[end].level > item.level:
            end += 1
        children = _nest(items[start + 1 : end], href)
        entries.append(TocEntry(f"toc-{item.id}", f"{href}#{item.id}", item.label, children))
        start = end
    return tuple(entries)


def _toc_list(parent: etree._Element, entries: Sequence[TocEntry], languages: Languages) -> None:
    items = sub(parent, "ol")
    for entry in entries:
        item = sub(items, "li")
        append_text(sub(item, "a", href=entry.href), entry.label, languages.lang, languages)
        if entry.children:
            _toc_list(item, entry.children, languages)


def nav_document(article: Article, entries: list[TocEntry]) -> Document:
    lang, languages = article.lang, Languages.of(article)
    contents = label("contents", lang)
    html, body = new_document(contents, lang, CSS_HREF)
    toc = sub(body, "nav", id="toc", epub_type="toc", role="doc-toc")
    toc.set("aria-labelledby", "toc-heading")
    append_text(sub(toc, "h1", id="toc-heading"), contents, lang, languages)
    _toc_list(toc, entries, languages)
    landmarks = sub(body, "nav", epub_type="landmarks", hidden="hidden")
    marks = sub(landmarks, "ol")
    for kind, href, text in (
        ("cover", "cover.xhtml", label("cover", lang)),
        ("titlepage", "title.xhtml", label("title_page", lang)),
        ("toc", "nav.xhtml#toc", contents),
        ("bodymatter", "article.xhtml", label("article", lang)),
    ):
        append_text(sub(sub(marks, "li"), "a", href=href, epub_type=kind), text, lang, languages)
    return Document("nav", "nav.xhtml", contents, serialize(html), ("nav",))


def all_documents(article: Article, style: StyleSheet) -> tuple[list[Document], list[TocEntry]]:
    """Every XHTML document in reading order (cover, title page, contents, article) and the
    table of contents."""
    article_doc, outline = article_page(article, style)
    contents = toc_entries(article, outline)
    documents = [
        cover_page(article),
        title_page(article, style),
        nav_document(article, contents),
        article_doc,
    ]
    return documents, contents
