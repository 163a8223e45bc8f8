"""Document properties: core (docProps/core.xml), extended (app.xml) and custom (custom.xml)."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from exporter.edition import DocumentMetadata, document_metadata
from exporter.formats.docx.ooxml import word_lang
from exporter.model import Article

CORE_LIMIT = 255  # characters a core property may hold (python-docx refuses more)
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_TEMPLATE_LEFTOVERS = (RT.THUMBNAIL, RT.CUSTOM_XML, RT.EXTENDED_PROPERTIES,
                       "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects")


def set_properties(doc: Document, article: Article, when: dt.datetime) -> None:
    """Replace the template's properties with the article's own (the edition layer's
    document metadata)."""
    meta = document_metadata(article)
    _drop_template_parts(doc)
    _core(doc, meta, when)
    package = doc.part.package
    app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES,
               _app_xml(meta).encode("utf-8"), package)
    package.relate_to(app, RT.EXTENDED_PROPERTIES)
    custom = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES,
                  _custom_xml(custom_properties(meta)).encode("utf-8"), package)
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)


def custom_properties(meta: DocumentMetadata) -> list[tuple[str, str]]:
    """Name–value pairs for docProps/custom.xml: other-language metadata, slug, web addresses."""
    props = [("Slug", meta.slug)]
    props += [(f"Title ({lang})", title) for lang, title in meta.titles.others(meta.lang)]
    for lang in meta.other_langs:
        names, places = meta.names_in(lang), meta.affiliations_in(lang)
        if names:
            props.append((f"Author ({lang})", "; ".join(names)))
        if places:
            props.append((f"Affiliation ({lang})", "; ".join(places)))
        publisher = meta.publishers.get(lang)
        if publisher:
            props.append((f"Publisher ({lang})", publisher))
    for lang, url in (meta.web.items if meta.web else ()):
        props.append((f"Web edition ({lang})", url))
    props.append(("Published", meta.published.isoformat()))
    if meta.license:
        props.append(("License", meta.license))
        if meta.license_url:
            props.append(("License URL", meta.license_url))
    if meta.doi:
        props.append(("DOI", meta.doi))
    if meta.series:
        props.append(("Series", meta.series))
        if meta.series_number:
            props.append(("Series number", meta.series_number))
    return props


def _drop_template_parts(doc: Document) -> None:
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in _TEMPLATE_LEFTOVERS]:
            del rels[rid]


def _core(doc: Document, meta: DocumentMetadata, when: dt.datetime) -> None:
    core = doc.core_properties
    element = core._element  # the template's values must go, not just be overwritten
    for child in list(element):
        element.remove(child)
    stamp = when.astimezone(dt.UTC).replace(tzinfo=None)
    core.title = fitting(meta.title)
    core.author = fitting("; ".join(meta.creators))
    core.subject = fitting(" ".join(meta.abstract.split()))
    core.keywords = fitting(", ".join(meta.keywords))
    core.language = word_lang(meta.lang)
    identifier = meta.web_url or meta.slug
    core.identifier = identifier if len(identifier) <= CORE_LIMIT else meta.slug
    core.comments = fitting(meta.date_note)
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


def _app_xml(meta: DocumentMetadata) -> str:
    company = escape(meta.publisher)
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
