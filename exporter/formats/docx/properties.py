"""Document properties: core (docProps/core.xml), extended (app.xml) and custom (custom.xml)."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from exporter.formats.docx.ooxml import word_lang
from exporter.model import Article, block_texts

CORE_LIMIT = 255  # characters a core property may hold (python-docx refuses more)
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_TEMPLATE_LEFTOVERS = (RT.THUMBNAIL, RT.CUSTOM_XML, RT.EXTENDED_PROPERTIES,
                       "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects")


def set_properties(doc: Document, article: Article, when: dt.datetime) -> None:
    """Replace the template's properties with the article's own."""
    _drop_template_parts(doc)
    _core(doc, article, when)
    package = doc.part.package
    app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES,
               _app_xml(article).encode("utf-8"), package)
    package.relate_to(app, RT.EXTENDED_PROPERTIES)
    custom = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES,
                  _custom_xml(custom_properties(article)).encode("utf-8"), package)
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)


def custom_properties(article: Article) -> list[tuple[str, str]]:
    """Name–value pairs for docProps/custom.xml: other-language metadata, slug, web addresses."""
    props = [("Slug", article.slug)]
    for lang, title in article.title.others(article.lang):
        props.append((f"Title ({lang})", title))
    for lang in article.other_langs:
        names = [a.name.get(lang) for a in article.authors]
        if all(names):
            props.append((f"Author ({lang})", "; ".join(n for n in names if n)))
        places = [x.get(lang) for a in article.authors for x in a.affiliations]
        if places and all(places):
            unique = dict.fromkeys(p for p in places if p)
            props.append((f"Affiliation ({lang})", "; ".join(unique)))
        publisher = article.publisher.name.get(lang)
        if publisher:
            props.append((f"Publisher ({lang})", publisher))
    for lang, url in (article.web.items if article.web else ()):
        props.append((f"Web edition ({lang})", url))
    props.append(("Published", article.published.isoformat()))
    if article.license:
        props.append(("License", article.license))
        if article.license_url:
            props.append(("License URL", article.license_url))
    if article.doi:
        props.append(("DOI", article.doi))
    if article.series is not None:
        props.append(("Series", article.series.in_lang(article.lang)))
        if article.series_number:
            props.append(("Series number", article.series_number))
    return props


def _drop_template_parts(doc: Document) -> None:
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in _TEMPLATE_LEFTOVERS]:
            del rels[rid]


def _core(doc: Document, article: Article, when: dt.datetime) -> None:
    core = doc.core_properties
    element = core._element  # the template's values must go, not just be overwritten
    for child in list(element):
        element.remove(child)
    stamp = when.astimezone(dt.UTC).replace(tzinfo=None)
    core.title = fitting(article.title.in_lang(article.lang))
    core.author = fitting("; ".join(article.author_names()))
    summary = next(iter(block_texts(article.summary)), "")
    core.subject = fitting(" ".join(summary.split()))
    core.keywords = fitting(", ".join(article.keywords))
    core.language = word_lang(article.lang)
    identifier = article.web.in_lang(article.lang) if article.web else article.slug
    core.identifier = identifier if len(identifier) <= CORE_LIMIT else article.slug
    core.comments = fitting(article.date_note)
    core.created = stamp
    core.modified = stamp
    core.revision = 1


def fitting(text: str, limit: int = CORE_LIMIT) -> str:
    """``text`` as a core property can hold it: whole, or cut at the last word boundary
    that leaves room for an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "\u2026"


def _app_xml(article: Article) -> str:
    company = escape(article.publisher.name.in_lang(article.lang))
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties">'
        "<Application>exporter</Application><DocSecurity>0</DocSecurity>"
        f"<ScaleCrop>false</ScaleCrop><Company>{company}</Company>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )


def _custom_xml(props: list[tuple[str, str]]) -> str:
    entries = "".join(
        f'<property fmtid="{_CUSTOM_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props, start=2)
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes">{entries}</Properties>'
    )
