"""The article as one reference, written as BibTeX, RIS and CSL-JSON: the same facts as
the other editions (the shared metadata view), as a reference manager files them."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from exporter.edition import document_metadata
from exporter.formats import ExportOptions
from exporter.model import Article, Author
from exporter.style import StyleSheet


@dataclass(frozen=True)
class Name:
    """A person's name as a catalogue sorts it, or an organisation's (``literal``)."""

    family: str = ""
    given: str = ""
    literal: str = ""


@dataclass(frozen=True)
class Reference:
    """What a citation file says of the article. A think tank's article is grey literature:
    a report issued by its publisher, numbered when it is in a series."""

    key: str
    title: str
    other_titles: tuple[tuple[str, str], ...]  # (language, title) in the other languages
    authors: tuple[Name, ...]
    editors: tuple[Name, ...]
    translators: tuple[Name, ...]
    issued: dt.date
    publisher: str
    series: str
    number: str
    doi: str
    url: str
    lang: str
    abstract: str
    keywords: tuple[str, ...]


def reference(article: Article) -> Reference:
    """The article as a reference, in its own language."""
    meta = document_metadata(article)
    lang = meta.lang

    def names(role: str) -> tuple[Name, ...]:
        return tuple(name_of(a, lang) for a in article.authors if a.role == role)

    return Reference(
        key=article.slug,
        title=meta.title,
        other_titles=tuple(meta.titles.others(lang)),
        authors=names("author"),
        editors=names("editor"),
        translators=names("translator"),
        issued=meta.published,
        publisher=meta.publisher,
        series=meta.series,
        number=meta.series_number.strip(),
        doi=meta.doi,
        url=meta.web_url,
        lang=lang,
        abstract=" ".join(meta.summary),
        keywords=meta.keywords,
    )


def name_of(author: Author, lang: str) -> Name:
    """An author's name split as catalogues sort it: as the source's ``file-as`` says
    ("Family, Given"), else the last word as the family name; an organisation whole."""
    shown = author.name.in_lang(lang)
    if author.organisation:
        return Name(literal=shown)
    if author.file_as and "," in author.file_as:
        family, given = (part.strip() for part in author.file_as.split(",", 1))
        return Name(family=family, given=given)
    # the last word, wherever the space before it is a no-break one ("D.\u00a0Gaboardi")
    given, _, family = re.sub(r"\s(?=\S+$)", " ", shown.strip()).rpartition(" ")
    return Name(family=family, given=given)


# -- BibTeX

_TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                 "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                 "^": r"\textasciicircum{}"}  # fmt: skip
_TEX = re.compile("|".join(re.escape(c) for c in _TEX_SPECIALS))
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def tex(text: str) -> str:
    """``text`` as BibTeX field text: LaTeX's special characters escaped, the rest as
    written (a UTF-8 file: biber and BibTeX with UTF-8 input read Cyrillic as it is)."""
    return _TEX.sub(lambda m: _TEX_SPECIALS[m.group()], text)


def _verbatim(text: str) -> str:
    """A URL or DOI as biblatex reads it (verbatim): only braces would end the field."""
    return text.replace("{", "%7B").replace("}", "%7D")


def _bib_name(name: Name) -> str:
    if name.literal:
        return "{" + tex(name.literal) + "}"  # braced: never split into given and family
    return f"{tex(name.family)}, {tex(name.given)}" if name.given else tex(name.family)


def render_bibtex(article: Article, style: StyleSheet, options: ExportOptions) -> bytes:
    """A ``@techreport`` entry that BibTeX and biblatex both read: biblatex takes ``date``,
    ``langid`` and ``series``; BibTeX ``year``, ``month`` and ``institution``."""
    ref = reference(article)
    fields: list[tuple[str, str]] = []
    for role, people in (("author", ref.authors), ("editor", ref.editors),
                         ("translator", ref.translators)):  # fmt: skip
        if people:
            fields.append((role, " and ".join(_bib_name(n) for n in people)))
    fields.append(("title", "{" + tex(ref.title) + "}"))  # kept as written, capitals too
    fields += [("institution", tex(ref.publisher)), ("date", ref.issued.isoformat()),
               ("year", str(ref.issued.year))]  # fmt: skip
    if ref.series:
        fields.append(("series", tex(ref.series)))
    if ref.number:
        fields.append(("number", tex(ref.number)))
    if ref.doi:
        fields.append(("doi", _verbatim(ref.doi)))
    if ref.url:
        fields.append(("url", _verbatim(ref.url)))
    fields += [("langid", _language_name(ref.lang)), ("language", ref.lang)]
    if ref.abstract:
        fields.append(("abstract", tex(ref.abstract)))
    if ref.keywords:
        fields.append(("keywords", tex(", ".join(ref.keywords))))
    lines = [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append(f"  month = {_MONTHS[ref.issued.month - 1]},")  # a BibTeX macro: no braces
    text = f"@techreport{{{ref.key},\n" + "\n".join(lines) + "\n}\n"
    return text.encode("utf-8")


def _language_name(lang: str) -> str:
    """The babel/polyglossia name biblatex's ``langid`` takes: "english", "russian"."""
    from babel import Locale

    return Locale.parse(lang.replace("-", "_")).get_language_name("en").lower()


# -- RIS

def render_ris(article: Article, style: StyleSheet, options: ExportOptions) -> bytes:
    """An RIS record of type RPRT, lines ending in CR LF as the format asks; the title in
    the other languages as translated titles (TT)."""
    ref = reference(article)
    lines: list[tuple[str, str]] = [("TY", "RPRT"), ("TI", ref.title)]
    lines += [("TT", title) for _lang, title in ref.other_titles]
    lines += [("AU", _ris_name(n)) for n in ref.authors]
    lines += [("A2", _ris_name(n)) for n in ref.editors]
    lines += [("A4", _ris_name(n)) for n in ref.translators]
    lines += [("PY", str(ref.issued.year)), ("DA", ref.issued.strftime("%Y/%m/%d")),
              ("PB", ref.publisher)]  # fmt: skip
    if ref.series:
        lines.append(("T3", ref.series))
    if ref.number:
        lines.append(("SN", ref.number))
    if ref.doi:
        lines.append(("DO", ref.doi))
    if ref.url:
        lines.append(("UR", ref.url))
    lines.append(("LA", ref.lang))
    if ref.abstract:
        lines.append(("AB", ref.abstract))
    lines += [("KW", keyword) for keyword in ref.keywords]
    lines.append(("ER", ""))
    text = "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)
    return text.encode("utf-8")


def _ris_name(name: Name) -> str:
    return name.literal or (f"{name.family}, {name.given}" if name.given else name.family)


# -- CSL-JSON

def csl_item(article: Article) -> dict[str, object]:
    """The article as one CSL-JSON item (CSL 1.0.2 variables)."""
    ref = reference(article)
    item: dict[str, object] = {
        "id": ref.key,
        "type": "report",
        "title": ref.title,
        "issued": {"date-parts": [[ref.issued.year, ref.issued.month, ref.issued.day]]},
        "publisher": ref.publisher,
        "language": ref.lang,
    }
    for role, people in (("author", ref.authors), ("editor", ref.editors),
                         ("translator", ref.translators)):  # fmt: skip
        if people:
            item[role] = [_csl_name(n) for n in people]
    for variable, value in (("collection-title", ref.series), ("number", ref.number),
                            ("DOI", ref.doi), ("URL", ref.url), ("abstract", ref.abstract),
                            ("keyword", ", ".join(ref.keywords))):  # fmt: skip
        if value:
            item[variable] = value
    return item


def _csl_name(name: Name) -> dict[str, str]:
    if name.literal:
        return {"literal": name.literal}
    return {"family": name.family, "given": name.given} if name.given else {
        "family": name.family}  # fmt: skip


def render_csl_json(article: Article, style: StyleSheet, options: ExportOptions) -> bytes:
    """A CSL-JSON file: an array of the one item, keys sorted (the same bytes each time)."""
    text = json.dumps([csl_item(article)], ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")
