"""The title matter, as one ordered sequence of lines, each with its role and language,
and the web editions it ends with: every edition lays these lines out in this order."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from exporter.labels import (
    author_list,
    citation,
    label,
    language_name,
    long_date,
    plural,
    rights,
    rights_parts,
)
from exporter.model import Article, Author, Inline, LineBreak, Link, Text, plain_text

# ---------------------------------------------------------------------------
# The title block


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Byline:
    """A byline paragraph (one author's name, or every author's, with affiliation marks
    where they differ), and the affiliation printed under it, one a line ("" when the
    affiliations are numbered)."""

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
    """The bylines and the affiliations, never ambiguous: one author, with each affiliation
    under the name; authors who all share one affiliation, every name on one byline and the
    affiliation once under it; authors none of whom names an affiliation, a byline each.
    Otherwise, as journals set them: one byline of every name with numbered marks (A¹, B¹,²,
    C — an author without an affiliation has no mark), then each affiliation once, under its
    number, so no affiliation printed under the last name reads as everyone's."""
    named = [(a, [x.in_lang(lang) for x in a.affiliations]) for a in authors]
    places = list(dict.fromkeys(x for _, xs in named for x in xs))
    if len(named) == 1:
        author, xs = named[0]
        return (Byline(_name(author, lang), "\n".join(xs)),), ()
    if not places:
        return tuple(Byline(_name(a, lang)) for a, _ in named), ()
    line: list[Inline] = []
    for index, (author, _) in enumerate(named):
        if index:
            line.append(Text(", "))
        line += _name(author, lang)
    if len(places) == 1 and all(xs == places for _, xs in named):
        return (Byline(tuple(line), places[0]),), ()
    line = []
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
# The title matter as lines

class TitleRole(StrEnum):
    """The roles of the title matter's lines. Each format gives each role its look (a
    paragraph style, an element and class); none orders the lines itself."""

    TITLE = "title"
    SUBTITLE = "subtitle"
    TITLE_TRANSLATION = "title-translation"  # the title in another language
    BYLINE = "byline"
    AFFILIATION = "affiliation"  # under a byline, or numbered ("¹ Organisation")
    CONTRIBUTOR = "contributor"  # "Editors: A and B", "Translator: C"
    META = "meta"  # publisher, series, dateline, date
    RIGHTS = "rights"  # attribution, licence and DOI
    CITE = "cite"  # "How to cite: …"
    WEB = "web"  # the web editions: "Read online", then a line per edition with its link


@dataclass(frozen=True)
class TitleLine:
    """One line (a paragraph) of the title matter: its ``role``, its text as ``inlines``
    (bylines link names; the web line breaks and links), the language it is in; the web
    line has the ``editions`` its links go to, in the order of its links."""

    role: TitleRole
    inlines: tuple[Inline, ...]
    lang: str
    editions: tuple[WebEdition, ...] = ()

    @property
    def text(self) -> str:
        return plain_text(self.inlines)


def title_matter(article: Article) -> tuple[TitleLine, ...]:
    """The title matter top to bottom: title, subtitle, the title in other languages, the
    bylines (each with its affiliation, or numbered affiliations after them), editors and
    translators, the publisher and date line, rights, how to cite, then the web editions."""
    view = title_block(article)
    lang = view.lang

    def line(role: TitleRole, text: str, in_lang: str = lang) -> TitleLine:
        return TitleLine(role, (Text(text),), in_lang)

    lines = [line(TitleRole.TITLE, view.title)]
    if view.subtitle:
        lines.append(line(TitleRole.SUBTITLE, view.subtitle))
    lines += [line(TitleRole.TITLE_TRANSLATION, title, other)
              for other, title in view.other_titles]  # fmt: skip
    for byline in view.bylines:
        lines.append(TitleLine(TitleRole.BYLINE, byline.name, lang))
        lines += [line(TitleRole.AFFILIATION, x) for x in byline.affiliation.split("\n") if x]
    lines += [line(TitleRole.AFFILIATION, x) for x in view.affiliations]
    lines += [line(TitleRole.CONTRIBUTOR, x) for x in view.contributors]
    lines.append(line(TitleRole.META, view.meta))
    if view.credit:
        lines.append(line(TitleRole.RIGHTS, view.credit))
    lines.append(line(TitleRole.CITE, view.cite))
    panel = web_panel(article)
    if panel is not None:
        lines.append(_web_line(panel, lang))
    return tuple(lines)


def colophon(article: Article, cite: bool = True) -> tuple[TitleLine, ...]:
    """What paper prints in its colophon, out of the title block's way, one paragraph each:
    the attribution, the licence with its address, the DOI (``RIGHTS``), then how to cite
    (``CITE``; without ``cite``, not: the handout's footer is the citation)."""
    lang = article.lang
    parts = rights_parts(article.attribution, article.license, lang, article.license_url,
                         article.doi)  # fmt: skip
    lines = [TitleLine(TitleRole.RIGHTS, (Text(part),), lang) for part in parts]
    if cite:
        text = label("how_to_cite", lang, citation=full_citation(article))
        lines.append(TitleLine(TitleRole.CITE, (Text(text),), lang))
    return tuple(lines)


def _web_line(panel: WebPanel, lang: str) -> TitleLine:
    """"Read online", then for each edition: "English · Web edition: " and its address."""
    inlines: list[Inline] = [Text(panel.heading)]
    for edition in panel.editions:
        inlines += [LineBreak(), Text(f"{edition.language} \u00b7 {edition.link_text}: "),
                    Link(edition.url, (Text(edition.url),))]  # fmt: skip
    return TitleLine(TitleRole.WEB, tuple(inlines), lang, panel.editions)
