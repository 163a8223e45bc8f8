"""Lays the shared sections out as one HTML5 page with its fonts subset and inlined."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from lxml import etree

from exporter.fonts import FACES, fallbacks_needed, font_family
from exporter.formats import ExportOptions
from exporter.model import Article
from exporter.style import StyleSheet
from exporter.xhtml.css import FontFile, stylesheet
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
    lang = article.lang
    html, body = new_document(article.title.in_lang(lang), lang, None)
    head = html.find("{*}head")
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    main = etree.SubElement(body, "main")
    title_section(main, article, style)
    summary_section(main, article, style)
    article_section(main, article, style, data_url, heading=2)
    text = "".join(main.itertext()) + "".join(head.itertext())
    families = style.families_for(article.has_code)
    families += fallbacks_needed(text, style.text_families, style.fallbacks)
    fonts = _fonts(families, text) if options.embed_fonts else []
    css = etree.SubElement(head, "style")
    css.text = "\n" + stylesheet(style, fonts) + SCREEN_CSS
    return _serialize(html)


def _fonts(families: tuple[str, ...], text: str) -> list[FontFile]:
    """Every face of the families the page uses, cut down to the characters of ``text`` (and
    the basic Latin a reader's search or a browser's ellipsis may need), as WOFF2 data URLs."""
    from fontTools import subset

    chars = set(text) | {chr(c) for c in range(0x20, 0x7F)} | {"\u2026", "\u00ad"}
    unicodes = sorted(ord(c) for c in chars)
    faces = []
    made: dict[Path, str] = {}  # a variable font's one file serves every weight
    for family in families:
        files = font_family(family).files
        for face in FACES:
            if files[face] in made:
                faces.append(FontFile(family, face, made[files[face]]))
                continue
            options = subset.Options()
            options.flavor = "woff2"
            options.drop_tables += ["meta"]  # IBM Plex Mono's; a subset has no use for it
            font = subset.load_font(str(files[face]), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=unicodes)
            subsetter.subset(font)
            buffer = io.BytesIO()
            subset.save_font(font, buffer, options)
            data = base64.b64encode(buffer.getvalue()).decode("ascii")
            made[files[face]] = f"data:font/woff2;base64,{data}"
            faces.append(FontFile(family, face, made[files[face]]))
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
