"""The sections every HTML-based edition is made of: title matter, summary and article body."""

from __future__ import annotations

from lxml import etree

from exporter.edition import TitleRole as Role
from exporter.edition import title_matter
from exporter.labels import label
from exporter.languages import Languages
from exporter.model import Article
from exporter.style import StyleSheet
from exporter.xhtml.poll import PollRenderer
from exporter.xhtml.render import (
    BlockRenderer,
    ImageSource,
    OutlineItem,
    append_text,
    set_lang,
    sub,
)

# The element and class of each role of the title matter.
_TITLE_ELEMENTS = {
    Role.TITLE: ("h1", "title"), Role.SUBTITLE: ("p", "subtitle"),
    Role.TITLE_TRANSLATION: ("p", "title-translation"), Role.BYLINE: ("p", "byline"),
    Role.AFFILIATION: ("p", "affiliation"), Role.CONTRIBUTOR: ("p", "affiliation"),
    Role.META: ("p", "meta"), Role.RIGHTS: ("p", "meta rights"), Role.CITE: ("p", "meta cite"),
    Role.WEB: ("p", "meta web"),
}  # fmt: skip


def title_section(
    parent: etree._Element, article: Article, style: StyleSheet
) -> etree._Element:
    """The title matter as the edition layer orders it, the web editions last, each line
    in its language; the title is the heading the section is labelled by."""
    lang = article.lang
    section = sub(parent, "section", class_="titlepage")
    section.set("aria-labelledby", "title")
    names = BlockRenderer(Languages.of(article), PollRenderer(style))
    for line in title_matter(article):
        name, css = _TITLE_ELEMENTS[line.role]
        ident = {"id": "title"} if line.role == Role.TITLE else {}
        element = sub(section, name, class_=css, **ident)
        if line.lang.split("-")[0] != lang.split("-")[0]:
            set_lang(element, line.lang)
        names.inlines(element, line.inlines, line.lang)
        if line.editions:  # the web line: each link in the language it leads to
            for link, edition in zip(element.iter("{*}a"), line.editions, strict=True):
                link.set("hreflang", edition.lang)
    return section


def summary_section(
    parent: etree._Element, article: Article, style: StyleSheet
) -> etree._Element | None:
    """The summary, headed "Summary", its own headings two levels down."""
    if not article.summary:
        return None
    lang = article.lang
    summary = sub(parent, "section", class_="summary", id="summary", role="doc-abstract")
    summary.set("aria-labelledby", "summary-heading")
    languages = Languages.of(article)
    append_text(sub(summary, "h2", id="summary-heading"), label("summary", lang), lang,
                languages)  # fmt: skip
    renderer = BlockRenderer(languages, PollRenderer(style), 2, numbered=style.numbered_captions)
    renderer.blocks(summary, article.summary)
    return summary


def article_section(
    parent: etree._Element,
    article: Article,
    style: StyleSheet,
    image_source: ImageSource,
    heading: int = 1,
) -> tuple[etree._Element, list[OutlineItem]]:
    """The body under a heading "Article" of level ``heading``, its own headings below it,
    then its notes; with the outline of its top-level headings and polls. ``image_source``
    says where the document finds each figure's image."""
    lang = article.lang
    section = sub(parent, "section", class_="article", id="article", role="doc-chapter")
    section.set("aria-labelledby", "article-heading")
    title = label("article", lang)
    languages = Languages.of(article)
    append_text(sub(section, f"h{heading}", class_="heading-1", id="article-heading"), title,
                lang, languages)  # fmt: skip
    renderer = BlockRenderer(languages, PollRenderer(style), heading, image_source,
                             style.numbered_captions)  # fmt: skip
    renderer.blocks(section, article.body)
    renderer.notes(section, article.footnotes, heading + 1)
    return section, renderer.outline
