"""The edition's content as flowables: title block, summary, body, poll, read-online panel."""

from __future__ import annotations

from reportlab.platypus import Flowable

from exporter.formats.pdf.blocks import BlockRenderer, panel
from exporter.formats.pdf.inlines import plain
from exporter.formats.pdf.pages import OutlineEntry
from exporter.formats.pdf.styles import PdfStyles
from exporter.labels import label, long_date, rights
from exporter.model import Article


def title_block(article: Article, styles: PdfStyles) -> list[Flowable]:
    """Title in the article's language, subtitle, the other titles, author, publisher and date."""
    lang = article.lang
    out: list[Flowable] = [
        OutlineEntry("title", article.title.in_lang(lang)),
        plain(article.title.in_lang(lang), styles.para("title", lang)),
    ]
    if article.subtitle:
        subtitle = article.subtitle.in_lang(lang)
        out.append(plain(subtitle, styles.para("subtitle", lang)))
    for other, title in article.title.others(lang):
        out.append(plain(title, styles.para("subtitle", other)))
    for author in article.authors:
        out.append(plain(author.name.in_lang(lang), styles.para("byline")))
        if author.affiliation:
            affiliation = author.affiliation.in_lang(lang)
            out.append(plain(affiliation, styles.para("affiliation")))
    out.append(plain(meta_line(article), styles.para("meta")))
    credit = rights(article.attribution, article.license, lang)
    if credit:
        out.append(plain(credit, styles.para("meta")))
    return out


def meta_line(article: Article) -> str:
    """The publisher and date line, e.g. "Publisher (SHORT) · Published 30 August 2022"."""
    lang = article.lang
    publisher = article.publisher.name.in_lang(lang)
    if article.publisher.short:
        publisher = f"{publisher} ({article.publisher.short.in_lang(lang)})"
    published = label("published", lang, date=long_date(article.published, lang))
    return f"{publisher} \u00b7 {published}"


def summary_panel(article: Article, styles: PdfStyles, width: float) -> list[Flowable]:
    """The summary once, in a shaded, ruled box."""
    if not article.summary:
        return []
    renderer = BlockRenderer(styles, width, article.lang, key="summary")
    rows = [[f] for f in renderer.render(article.summary, "summary")]
    gap = styles.role("summary").space_after.pt
    return [
        OutlineEntry("summary", label("summary", article.lang)),
        panel(rows, styles, "summary", width, gap),
    ]


def body_flowables(article: Article, styles: PdfStyles, width: float) -> list[Flowable]:
    """Every body block in order, behind an outline entry for the article's text."""
    renderer = BlockRenderer(styles, width, article.lang)
    out: list[Flowable] = [OutlineEntry("body", label("article", article.lang))]
    out += renderer.render(article.body)
    return out
