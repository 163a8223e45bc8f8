"""What every edition shows beyond the body's own blocks, computed once for all formats.

Each format lays these views out; none words or orders them itself, so every edition says
the same thing in the same order. This module knows the model and the labels, never an
output library.
"""

from __future__ import annotations

from dataclasses import dataclass

from exporter.labels import (
    author_list,
    citation,
    label,
    language_name,
    long_date,
    plural,
    rights,
    votes_count,
)
from exporter.model import Article, Author, Figure, Inline, Link, Poll, Table, Text

# ---------------------------------------------------------------------------
# The poll


@dataclass(frozen=True)
class PollRow:
    """One answer: its label, its figures as printed, and its bar as a fraction of the track."""

    label: str
    votes: str  # "33"
    share: str  # "31%"
    value: str  # what the chart prints after the bar: "31% · 33 votes"
    fraction: float  # the bar's length, 0 to 1


@dataclass(frozen=True)
class PollView:
    """A poll as every edition shows it, in this order: the question, the chart (its rows,
    with ``alt`` for readers who cannot see it), the caption line, then the table
    (``columns``, the rows, then ``total``)."""

    id: str
    name: str  # "Poll": the entry in an outline or table of contents
    question: str
    rows: tuple[PollRow, ...]
    caption: str  # "Poll conducted · 108 votes in total"
    alt: str
    columns: tuple[str, str, str]  # "Answer", "Votes", "Share"
    total: tuple[str, str, str]  # "Total", "108", "100%"


def poll_view(poll: Poll, lang: str) -> PollView:
    """The words and figures of ``poll`` in the edition's language ``lang``."""
    rows = tuple(
        PollRow(
            label=a.label,
            votes=str(a.votes),
            share=f"{a.share}%",
            value=f"{a.share}% \u00b7 {votes_count(a.votes, lang)}",
            fraction=a.share / 100,
        )
        for a in poll.answers
    )
    total = label("total_votes", lang, n=poll.total)
    caption = f"{poll.status} \u00b7 {total}" if poll.status else total
    figures = "; ".join(f"{r.label}: {r.value}" for r in rows)
    return PollView(
        id=f"poll-{poll.id}",
        name=label("poll", lang),
        question=poll.question,
        rows=rows,
        caption=caption,
        alt=f"{label('poll_chart', lang)}. {poll.question} {figures}. {total}.",
        columns=(label("answer", lang), label("votes", lang), label("share", lang)),
        total=(label("total", lang), str(poll.total), f"{sum(a.share for a in poll.answers)}%"),
    )


# ---------------------------------------------------------------------------
# The title block


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Byline:
    """A byline paragraph (one author's name, or every author's with affiliation marks),
    and the affiliation printed under it ("" when the affiliations are numbered)."""

    name: tuple[Inline, ...]
    affiliation: str = ""


@dataclass(frozen=True)
class TitleBlock:
    """The title matter, top to bottom: title, subtitle, the title in other languages
    (with their language), the bylines, the numbered affiliations ("¹ Organisation"), the
    editors and translators, the publisher and date line, the credit line."""

    lang: str
    title: str
    subtitle: str
    other_titles: tuple[tuple[str, str], ...]
    bylines: tuple[Byline, ...]
    affiliations: tuple[str, ...]
    contributors: tuple[str, ...]  # "Editors: A and B", "Translator: C"
    author_list: str  # "A, B and C"
    meta: str  # "Publisher (SHORT) · Series, No. 3 · Almaty · Published 30 August 2022"
    credit: str  # attribution, licence and DOI, or ""
    cite: str  # "How to cite: A and B. “Title.” Publisher, 2022. https://doi.org/…"


def title_block(article: Article) -> TitleBlock:
    lang = article.lang
    publisher = article.publisher.name.in_lang(lang)
    if article.publisher.short:
        publisher = f"{publisher} ({article.publisher.short.in_lang(lang)})"
    published = label("published", lang, date=long_date(article.published, lang))
    series = series_line(article)
    where = article.dateline.in_lang(lang) if article.dateline else ""
    meta = " \u00b7 ".join(p for p in (publisher, series, where, published) if p)
    creators = article.creators
    bylines, affiliations = _bylines(creators, lang)
    contributors = []
    for role, key in (("editor", "edited_by"), ("translator", "translated_by")):
        names = [a.name.in_lang(lang) for a in article.authors
                 if a.role == role and a not in creators]  # fmt: skip
        if names:
            contributors.append(plural(key, len(names), lang, names=author_list(names, lang)))
    return TitleBlock(
        lang=lang,
        title=article.title.in_lang(lang),
        subtitle=article.subtitle.in_lang(lang) if article.subtitle else "",
        other_titles=article.title.others(lang),
        bylines=bylines,
        affiliations=affiliations,
        contributors=tuple(contributors),
        author_list=author_list([a.name.in_lang(lang) for a in creators], lang),
        meta=meta,
        credit=rights(article.attribution, article.license, lang, article.license_url,
                      article.doi),  # fmt: skip
        cite=label("how_to_cite", lang, citation=full_citation(article)),
    )


def series_line(article: Article) -> str:
    """"Series, No. 3" (or the series alone), in the edition's language; "" without one."""
    if article.series is None:
        return ""
    name = article.series.in_lang(article.lang)
    if not article.series_number:
        return name
    return label("series", article.lang, name=name, number=article.series_number)


def full_citation(
    article: Article, short: bool = False, series: bool = True, doi: bool = True
) -> str:
    """How to cite the article: every author (``short``: "A et al."), title, publisher with
    the series, year and DOI, punctuated for the edition's language."""
    lang, names = article.lang, article.author_names()
    publisher = (article.publisher.short or article.publisher.name).in_lang(lang)
    return citation(author_list(names, lang, short), article.title.in_lang(lang), publisher,
                    article.published.year, lang, series_line(article) if series else "",
                    article.doi if doi else "")  # fmt: skip


def _bylines(
    authors: tuple[Author, ...], lang: str
) -> tuple[tuple[Byline, ...], tuple[str, ...]]:
    """Each author with the affiliation under the name; or, where an affiliation is shared
    or an author has several, as journals set them: one byline of every name with numbered
    marks (A¹, B¹˒²), then each affiliation once under its number."""
    named = [(a, [x.in_lang(lang) for x in a.affiliations]) for a in authors]
    places = list(dict.fromkeys(x for _, xs in named for x in xs))
    shared = len(places) < sum(len(xs) for _, xs in named)
    if not shared and all(len(xs) <= 1 for _, xs in named):
        return tuple(Byline(_name(a, lang), xs[0] if xs else "") for a, xs in named), ()
    line: list[Inline] = []
    for index, (author, xs) in enumerate(named):
        if index:
            line.append(Text(", "))
        line += _name(author, lang)
        marks = ",".join(str(places.index(x) + 1) for x in xs)
        if marks:
            line.append(Text(marks.translate(SUPERSCRIPT)))
    numbered = tuple(f"{str(n).translate(SUPERSCRIPT)}\u00a0{x}" for n, x in
                     enumerate(places, start=1))  # fmt: skip
    return (Byline(tuple(line)),), numbered


def _name(author: Author, lang: str) -> tuple[Inline, ...]:
    """An author's name, linked to their ORCID record or page when they have one."""
    name = Text(author.name.in_lang(lang))
    return (Link(author.link, (name,)),) if author.link else (name,)


# ---------------------------------------------------------------------------
# The web editions


@dataclass(frozen=True)
class WebEdition:
    """One web edition: its language, its URL, the language's name and the link's words."""

    lang: str
    url: str
    language: str  # "English", "Russian" (in English, as the QR panel labels them)
    link_text: str  # "Web edition" in the edition's own language


@dataclass(frozen=True)
class WebPanel:
    heading: str  # "Read online"
    editions: tuple[WebEdition, ...]


def web_panel(article: Article) -> WebPanel | None:
    """The web editions an edition links to, or None when the article has none."""
    if article.web is None or not article.web.items:
        return None
    here = article.lang
    editions = tuple(
        WebEdition(lang, url, _capitalized(language_name(lang, here)), label("web_edition", here))
        for lang, url in article.web.items
    )
    return WebPanel(label("read_online", article.lang), editions)


def _capitalized(name: str) -> str:
    """A language name at the start of a line: "Английский" (CLDR writes "английский")."""
    return name[:1].upper() + name[1:]


# ---------------------------------------------------------------------------
# Tables


def table_caption(table: Table, lang: str, numbered: bool = True) -> tuple[Inline, ...]:
    """The caption line of a table: "Table 1. " and its caption ("Table 1" alone without);
    without ``numbered`` the caption alone."""
    return _numbered("table", table.number if numbered else 0, table.caption, lang)


def figure_caption(figure: Figure, lang: str, numbered: bool = True) -> tuple[Inline, ...]:
    """The caption line under a figure: "Figure 1. " and its caption, as for a table; a
    decorative image has none."""
    return _numbered("figure", figure.number if numbered else 0, figure.caption, lang)


def _numbered(kind: str, number: int, caption: tuple[Inline, ...], lang: str) -> tuple[Inline, ...]:
    if not number:
        return caption
    name = label(kind, lang, n=number)
    return (Text(f"{name}. "), *caption) if caption else (Text(name),)
