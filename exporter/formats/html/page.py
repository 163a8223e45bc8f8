"""Lays the shared sections out as one HTML5 page with its fonts subset and inlined."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from lxml import etree

from exporter.edition import document_metadata
from exporter.formats import ExportOptions, citation_names, load_format
from exporter.formats.html.head import scholarly_head
from exporter.labels import label
from exporter.model import Article
from exporter.style import StyleSheet
from exporter.subset import cut_faces
from exporter.xhtml.css import FontFile, stylesheet
from exporter.xhtml.faces import xhtml_uses
from exporter.xhtml.render import data_url, new_document
from exporter.xhtml.sections import article_section, summary_section, title_section

# What a page on a screen of any width needs beyond the style sheet's roles.
SCREEN_CSS = """
body { max-width: 40em; margin: 0 auto; padding: 1em; }
svg.poll-chart, img { max-width: 100%; height: auto; }
@media (max-width: 30em) { p { text-align: left; } }
"""


def render_html(article: Article, style: StyleSheet, options: ExportOptions) -> bytes:
    """The page as bytes: identical for identical input."""
    meta = document_metadata(article)
    html, body = new_document(meta.title, meta.lang, None)
    head = html.find("{*}head")
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    pdf = style.publisher.file_url(load_format("pdf").filename(article.slug))
    scholarly_head(head, meta, article, pdf)
    main = etree.SubElement(body, "main")
    title_section(main, article, style)
    citation_files(main, article, style, options)
    summary_section(main, article, style)
    article_section(main, article, style, data_url, heading=2)
    fonts = _fonts(style, html) if options.embed_fonts else []
    css = etree.SubElement(head, "style")
    css.text = "\n" + stylesheet(style, fonts) + SCREEN_CSS
    return _serialize(html)


def citation_files(
    main: etree._Element, article: Article, style: StyleSheet, options: ExportOptions
) -> None:
    """After "How to cite", the article's citation files to download (every registered
    format of kind "citation": BibTeX, RIS, CSL-JSON), each inside the page as a data URL,
    so the page offers them wherever it is copied; the same bytes stand beside it in dist/."""
    names = citation_names()
    cite = main.find(".//*[@class='meta cite']")
    if not names or cite is None:
        return
    paragraph = etree.Element("p", {"class": "meta cite-files"})
    paragraph.text = label("citation_files", article.lang) + " "
    for i, name in enumerate(names):
        fmt = load_format(name)
        buffer = io.BytesIO()
        fmt().write(article, style, options, buffer)
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        link = etree.SubElement(paragraph, "a", {
            "href": f"data:{fmt.media_type};charset=utf-8;base64,{data}",
            "download": fmt.filename(article.slug), "type": fmt.media_type})  # fmt: skip
        link.text = fmt.display_name or name
        link.tail = " \u00b7 " if i < len(names) - 1 else ""
    cite.addnext(paragraph)


def _fonts(style: StyleSheet, html: etree._Element) -> list[FontFile]:
    """The faces the page's text is set in (as its stylesheet says), each cut down to the
    characters set in it (see ``exporter.subset``), as WOFF2 data URLs; a variable font's
    one file serves each weight it is used in."""
    families = style.families_with_fallbacks()
    uses = xhtml_uses([html], stylesheet(style, []) + SCREEN_CSS, families)
    urls: dict[Path, str] = {}  # one URL a file, however many faces it serves
    faces = []
    for family, face, path, data in cut_faces(uses, families, "woff2", style.text_families):
        url = f"data:font/woff2;base64,{base64.b64encode(data).decode('ascii')}"
        faces.append(FontFile(family, face, urls.setdefault(path, url)))
    return faces


def _serialize(html: etree._Element) -> bytes:
    """The document in HTML syntax: no namespaces (the browser puts SVG in its own), no
    ``xml:lang`` (``lang`` says it), void elements as HTML writes them."""
    for element in html.iter():
        if not isinstance(element.tag, str):
            continue
        element.tag = etree.QName(element).localname
        for name in list(element.attrib):
            if name.startswith("{"):
                del element.attrib[name]
    etree.cleanup_namespaces(html)
    text = etree.tostring(html, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
    return (text + "\n").encode("utf-8")
