"""Writes a Crossref deposit (``doi_batch``, schema 5.3.1) for one article: a think tank's
article is a report (``report-paper``), with its title, contributors (ORCID, affiliations),
publication date, abstract, publisher, report number, licence, landing page, the PDF for
Crossref's similarity check when the house says where its files are published, and the
works it cites, each with its DOI where the bibliography gives one.

The depositor comes from the style's ``[publisher]`` settings, never from here. The
deposit's timestamp is the build time (SOURCE_DATE_EPOCH, else the publication date):
Crossref takes an update only with a later timestamp than the last deposit's, so a
corrected record is deposited with SOURCE_DATE_EPOCH set to the time of the correction."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

from lxml import etree

from exporter.edition import document_metadata
from exporter.errors import SourceError, StyleError
from exporter.formats import ExportOptions, load_format
from exporter.formats.cite.records import Name, name_of
from exporter.model import Article, Bibliography, Link, plain_text
from exporter.style import StyleSheet
from exporter.walk import blocks, inline_nodes

VERSION = "5.3.1"
CROSSREF = f"http://www.crossref.org/schema/{VERSION}"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
AI = "http://www.crossref.org/AccessIndicators.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{CROSSREF} https://www.crossref.org/schemas/crossref{VERSION}.xsd"
_DOI_LINK = re.compile(r"https?://(?:dx\.)?doi\.org/(10\.[0-9]{4,9}/.+)", re.IGNORECASE)
_NAME_PART = re.compile(r"[^\d?]*[^?\s]+[^\d]*")  # Crossref's given_name and surname
_NAME_LONGEST = 60


def render_deposit(article: Article, style: StyleSheet, options: ExportOptions) -> bytes:
    """The deposit's bytes: identical for identical input."""
    meta = document_metadata(article)
    house = style.publisher
    if not meta.doi:
        raise _source_error(article, "doi", "a Crossref deposit needs the article's DOI: "
                            "add doi: to the front matter")  # fmt: skip
    if not meta.web_url:
        raise _source_error(article, "web", "a Crossref deposit needs the article's web "
                            f"address (web: {meta.lang}: in the front matter), where its DOI "
                            "leads")
    if not (house.depositor and house.email):
        raise StyleError(f"style {style.name}: a Crossref deposit needs [publisher] depositor "
                         "and email (Crossref sends its report on the deposit there)")
    when = options.build_time(article)
    stamp = when.strftime("%Y%m%d%H%M%S")
    root = etree.Element(f"{{{CROSSREF}}}doi_batch", nsmap={
        None: CROSSREF, "jats": JATS, "ai": AI, "xsi": XSI}, version=VERSION)  # fmt: skip
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    head = _sub(root, "head")
    _sub(head, "doi_batch_id", f"{article.slug}-{stamp}"[-100:])
    _sub(head, "timestamp", stamp)
    depositor = _sub(head, "depositor")
    _sub(depositor, "depositor_name", house.depositor)
    _sub(depositor, "email_address", house.email)
    _sub(head, "registrant", (house.registrant or meta.publisher)[:255])
    report = _sub(_sub(_sub(root, "body"), "report-paper"), "report-paper_metadata",
                  language=_language(meta.lang))  # fmt: skip
    _contributors(report, article)
    titles = _sub(report, "titles")
    _sub(titles, "title", meta.title)
    if meta.subtitle:
        _sub(titles, "subtitle", meta.subtitle)
    if meta.summary:
        abstract = etree.SubElement(report, f"{{{JATS}}}abstract")
        abstract.set("{http://www.w3.org/XML/1998/namespace}lang", meta.lang)
        for paragraph in meta.summary:
            etree.SubElement(abstract, f"{{{JATS}}}p").text = paragraph
    date = _sub(report, "publication_date", media_type="online")
    _sub(date, "month", f"{meta.published.month:02d}")
    _sub(date, "day", f"{meta.published.day:02d}")
    _sub(date, "year", str(meta.published.year))
    publisher = _sub(report, "publisher")
    _sub(publisher, "publisher_name", meta.publisher[:255])
    if meta.series_number.strip():
        item = _sub(report, "publisher_item")
        _sub(item, "identifier", meta.series_number.strip()[:255], id_type="report-number")
    if meta.license_url:
        program = etree.SubElement(report, f"{{{AI}}}program", name="AccessIndicators")
        for version in ("vor", "tdm"):
            licence = etree.SubElement(program, f"{{{AI}}}license_ref", applies_to=version)
            licence.text = meta.license_url
    _doi_data(report, article, meta.doi, meta.web_url, style)
    _citations(report, article)
    text = etree.tostring(root, encoding="unicode", pretty_print=True)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}'.encode()


def _sub(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CROSSREF}}}{tag}", attrs)
    if text:
        element.text = text
    return element


def _language(lang: str) -> str:
    """The ISO 639-1 code Crossref's ``language`` attribute takes ("en" of "en-GB")."""
    return lang.split("-")[0].lower()


def _contributors(report: etree._Element, article: Article) -> None:
    people = [a for a in article.authors if a.role in ("author", "editor", "translator")]
    if not people:
        return
    group = _sub(report, "contributors")
    for number, author in enumerate(people):
        sequence = "first" if number == 0 else "additional"
        name = name_of(author, article.lang)
        if name.literal:
            _sub(group, "organization", name.literal[:511], sequence=sequence,
                 contributor_role=author.role)  # fmt: skip
            continue
        _check_name(article, author.name.in_lang(article.lang), name)
        person = _sub(group, "person_name", sequence=sequence, contributor_role=author.role)
        if name.given:
            _sub(person, "given_name", name.given)
        _sub(person, "surname", name.family)
        if author.affiliations:
            places = _sub(person, "affiliations")
            for place in author.affiliations:
                _sub(_sub(places, "institution"), "institution_name",
                     place.in_lang(article.lang)[:1024])  # fmt: skip
        if author.orcid:
            _sub(person, "ORCID", f"https://orcid.org/{author.orcid}")
        others = list(author.name.others(article.lang))
        if others:
            alternative = _sub(person, "alt-name")
            for _lang, shown in others:
                _sub(alternative, "string-name", shown)


def _check_name(article: Article, shown: str, name: Name) -> None:
    """Crossref takes a given name and surname of at most 60 characters, without digits
    or question marks: a name it would refuse is refused here, at its source line."""
    for part in (name.given, name.family):
        if part and (len(part) > _NAME_LONGEST or not _NAME_PART.fullmatch(part)):
            raise _source_error(article, shown, f"author {shown!r}: Crossref takes a given "
                                f"name and a surname of at most {_NAME_LONGEST} characters "
                                "without digits or question marks (write file-as: "
                                "\"Surname, Given\", or mark an organisation)")  # fmt: skip


def _doi_data(report: etree._Element, article: Article, doi: str, landing: str,
              style: StyleSheet) -> None:  # fmt: skip
    data = _sub(report, "doi_data")
    _sub(data, "doi", doi)
    _sub(data, "resource", landing)
    pdf = style.publisher.file_url(load_format("pdf").filename(article.slug))
    if not pdf:
        return
    # the similarity check's crawler and text miners fetch the full text here
    crawled = _sub(data, "collection", property="crawler-based")
    item = _sub(crawled, "item", crawler="iParadigms")
    _sub(item, "resource", pdf)
    mined = _sub(data, "collection", property="text-mining")
    _sub(_sub(mined, "item"), "resource", pdf, mime_type="application/pdf")


def _citations(report: etree._Element, article: Article) -> None:
    """Every work cited, as the citation style sets it, with the DOI its entry links to."""
    entries = [e for b in blocks(article.body) if isinstance(b, Bibliography) for e in b.entries]
    if not entries:
        return
    group = _sub(report, "citation_list")
    for entry in entries:
        citation = _sub(group, "citation", key=entry.ident[:128])
        doi = next((m.group(1) for node in inline_nodes(entry.children)
                    if isinstance(node, Link) and (m := _DOI_LINK.fullmatch(node.url))), "")
        if doi:
            _sub(citation, "doi", urllib.parse.unquote(doi)[:2048])
        _sub(citation, "unstructured_citation", plain_text(entry.children))


def _source_error(article: Article, needle: str, message: str) -> SourceError:
    """``message`` at the line of the article's source that first names ``needle`` (the
    front matter's first line when none does)."""
    line = 1
    if article.source_path:
        try:
            text = Path(article.source_path).read_text(encoding="utf-8")
        except OSError:
            text = ""
        line = next((n for n, row in enumerate(text.splitlines(), 1) if needle in row), 1)
    return SourceError.at(article.source_path or article.slug, line, 1, message)
