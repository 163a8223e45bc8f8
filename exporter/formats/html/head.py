"""What the web page tells the machines that find and cite it, in its head: the Highwire
Press ``citation_*`` tags (what Google Scholar and Zotero read), Dublin Core, Open Graph,
and a JSON-LD ``ScholarlyArticle``, each in the edition's language with the other languages'
titles beside it, all from the shared metadata view (the facts every edition states)."""

from __future__ import annotations

import json

from lxml import etree

from exporter.edition.metadata import DocumentMetadata
from exporter.labels import locale_of
from exporter.model import Article, Author

# The fields the page carries, by vocabulary: the README's list, and the tests' check.
HIGHWIRE = ("citation_title", "citation_author", "citation_author_institution",
            "citation_author_orcid", "citation_publication_date", "citation_date",
            "citation_publisher", "citation_language", "citation_doi", "citation_keywords",
            "citation_abstract", "citation_series_title", "citation_technical_report_number",
            "citation_public_url", "citation_pdf_url")  # fmt: skip
DUBLIN_CORE = ("DC.title", "DC.creator", "DC.date", "DC.publisher", "DC.language",
               "DC.identifier", "DC.rights", "DC.description", "DC.subject")  # fmt: skip
OPEN_GRAPH = ("og:type", "og:title", "og:description", "og:locale", "og:locale:alternate",
              "og:url", "og:site_name", "article:published_time", "article:author",
              "article:tag")  # fmt: skip


def scholarly_head(head: etree._Element, meta: DocumentMetadata, article: Article,
                   pdf_url: str = "") -> None:  # fmt: skip
    """Add the tags and the JSON-LD to ``head`` (the ``<head>`` of the page); ``pdf_url``
    the address the article's PDF is published at, where the house says."""
    lang = meta.lang
    url = meta.web.get(lang, "") if meta.web else ""
    abstract = " ".join(meta.summary)
    date = meta.published.strftime("%Y/%m/%d")

    def tag(attr: str, name: str, content: str, in_lang: str = "") -> None:
        if content:
            element = etree.SubElement(head, "meta", {attr: name, "content": content})
            if in_lang:
                element.set("lang", in_lang)

    tag("name", "citation_title", meta.title)
    for other, title in meta.titles.others(lang):
        tag("name", "DC.title.alternative", title, other)
    for author in article.creators:
        tag("name", "citation_author", author.name.in_lang(lang))
        for place in author.affiliations:
            tag("name", "citation_author_institution", place.in_lang(lang))
        tag("name", "citation_author_orcid", author.link if author.orcid else "")
    tag("name", "citation_publication_date", date)
    tag("name", "citation_date", date)
    tag("name", "citation_publisher", meta.publisher)
    tag("name", "citation_language", lang)
    tag("name", "citation_doi", meta.doi)
    tag("name", "citation_keywords", "; ".join(meta.keywords))
    tag("name", "citation_abstract", abstract)
    tag("name", "citation_series_title", meta.series)
    tag("name", "citation_technical_report_number", meta.series_number)
    tag("name", "citation_public_url", url)
    tag("name", "citation_pdf_url", pdf_url)

    etree.SubElement(head, "link", rel="schema.DC", href="http://purl.org/dc/elements/1.1/")
    tag("name", "DC.title", meta.title, lang)
    for person in meta.people:
        if person.creator:
            tag("name", "DC.creator", person.name)
    tag("name", "DC.date", meta.published.isoformat())
    tag("name", "DC.publisher", meta.publisher)
    tag("name", "DC.language", lang)
    tag("name", "DC.identifier", f"https://doi.org/{meta.doi}" if meta.doi else url)
    tag("name", "DC.rights", meta.license_url or meta.license)
    tag("name", "DC.description", abstract)
    for keyword in meta.keywords:
        tag("name", "DC.subject", keyword)

    tag("property", "og:type", "article")
    tag("property", "og:title", meta.title)
    tag("property", "og:description", abstract)
    tag("property", "og:locale", _og_locale(lang))
    for other in meta.languages[1:]:
        tag("property", "og:locale:alternate", _og_locale(other))
    tag("property", "og:url", url)
    tag("property", "og:site_name", meta.publisher)
    tag("property", "article:published_time", meta.published.isoformat())
    for person in meta.people:
        if person.creator:
            tag("property", "article:author", person.name)
    for keyword in meta.keywords:
        tag("property", "article:tag", keyword)

    script = etree.SubElement(head, "script", type="application/ld+json")
    script.text = json.dumps(linked_data(meta, article, pdf_url), ensure_ascii=False, indent=1,
                             sort_keys=True).replace("</", "<\\/")  # fmt: skip


def linked_data(meta: DocumentMetadata, article: Article, pdf_url: str = "") -> dict[str, object]:
    """The article as a schema.org ``ScholarlyArticle`` (a ``Report`` when it is numbered
    in a series), with its PDF where ``pdf_url`` says."""
    lang = meta.lang
    url = meta.web.get(lang, "") if meta.web else ""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Report" if meta.series_number else "ScholarlyArticle",
        "headline": meta.title,
        "name": meta.title,
        "inLanguage": lang,
        "datePublished": meta.published.isoformat(),
        "publisher": {"@type": "Organization", "name": meta.publisher},
        "author": [_person(author, lang) for author in article.creators],
    }
    others = [{"@language": other, "@value": title} for other, title in meta.titles.others(lang)]
    if others:
        data["alternateName"] = others
    if meta.subtitle:
        data["alternativeHeadline"] = meta.subtitle
    if meta.summary:
        data["abstract"] = " ".join(meta.summary)
    if meta.keywords:
        data["keywords"] = list(meta.keywords)
    if meta.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI",
                              "value": meta.doi}  # fmt: skip
        data["sameAs"] = f"https://doi.org/{meta.doi}"
    if url:
        data["url"] = url
    if pdf_url:
        data["encoding"] = {"@type": "MediaObject", "contentUrl": pdf_url,
                            "encodingFormat": "application/pdf"}  # fmt: skip
    if meta.license_url or meta.license:
        data["license"] = meta.license_url or meta.license
    if meta.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": meta.series}
    if meta.series_number and meta.series_number.strip():
        data["reportNumber"] = meta.series_number
    return data


def _person(author: Author, lang: str) -> dict[str, object]:
    out: dict[str, object] = {"@type": "Organization" if author.organisation else "Person",
                              "name": author.name.in_lang(lang)}  # fmt: skip
    if author.affiliations:
        out["affiliation"] = [{"@type": "Organization", "name": place.in_lang(lang)}
                              for place in author.affiliations]  # fmt: skip
    if author.link:
        out["sameAs"] = author.link
    return out


def _og_locale(lang: str) -> str:
    """Open Graph's form of a language: ``en_GB``, ``ru_RU``."""
    locale = locale_of(lang)
    return f"{locale.language}_{locale.territory or locale.language.upper()}"
