"""The sections every HTML-based edition is made of: title matter, summary and article body."""

from __future__ import annotations

from lxml import etree

from exporter.edition import title_block, web_panel
from exporter.labels import label
from exporter.model import Article
from exporter.style import StyleSheet
from exporter.xhtml.poll import PollRenderer
from exporter.xhtml.render import (
    BlockRenderer,
    ImageSource,
    OutlineItem,
    append_text,
    lang_text,
    sub,
)


def title_section(
    parent: etree._Element, article: Article, style: StyleSheet
) -> etree._Element:
    """The title matter as the edition layer gives it, then the web editions."""
    lang = article.lang
    view = title_block(article)
    section = sub(parent, "section", class_="titlepage")
    section.set("aria-labelledby", "title")
    append_text(sub(section, "h1", class_="title", id="title"), view.title, lang)
    if view.subtitle:
        lang_text(section, "p", view.subtitle, lang, lang, class_="subtitle")
    for other, value in view.other_titles:
        lang_text(section, "p", value, other, lang, class_="title-translation")
    names = BlockRenderer(lang, PollRenderer(style))
    for byline in view.bylines:
        names.inlines(sub(section, "p", class_="byline"), byline.name, lang)
        if byline.affiliation:
            lang_text(section, "p", byline.affiliation, lang, lang, class_="affiliation")
    for line in (*view.affiliations, *view.contributors):
        lang_text(section, "p", line, lang, lang, class_="affiliation")
    append_text(sub(section, "p", class_="meta"), view.meta, lang)
    if view.credit:
        append_text(sub(section, "p", class_="meta rights"), view.credit, lang)
    append_text(sub(section, "p", class_="meta cite"), view.cite, lang)
    _web_links(section, article)
    return section


def _web_links(parent: etree._Element, article: Article) -> None:
    """The web editions, as the edition layer words them: "English · Web edition: URL"."""
    panel = web_panel(article)
    if panel is None:
        return
    lang = article.lang
    para = sub(parent, "p", class_="meta web")
    append_text(para, panel.heading, lang)
    for edition in panel.editions:
        sub(para, "br")
        append_text(para, f"{edition.language} \u00b7 {edition.link_text}: ", lang)
        link = sub(para, "a", href=edition.url, hreflang=edition.lang)
        append_text(link, edition.url, lang)


def summary_section(
    parent: etree._Element, article: Article, style: StyleSheet
) -> etree._Element | None:
    """The summary, headed "Summary", its own headings two levels down."""
    if not article.summary:
        return None
    lang = article.lang
    summary = sub(parent, "section", class_="summary", id="summary", role="doc-abstract")
    summary.set("aria-labelledby", "summary-heading")
    append_text(sub(summary, "h2", id="summary-heading"), label("summary", lang), lang)
    renderer = BlockRenderer(lang, PollRenderer(style), 2, numbered=style.numbered_captions)
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
    append_text(sub(section, f"h{heading}", class_="heading-1", id="article-heading"), title,
                lang)  # fmt: skip
    renderer = BlockRenderer(lang, PollRenderer(style), heading, image_source,
                             style.numbered_captions)  # fmt: skip
    renderer.blocks(section, article.body)
    renderer.notes(section, article.footnotes, heading + 1)
    return section, renderer.outline
