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
from exporter.model import Article, Callout, PollBlock, anchors
from exporter.walk import blocks as all_blocks

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
                  _custom_xml(custom_properties(meta) + source_properties(article, meta))
                  .encode("utf-8"), package)
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


def source_properties(article: Article, meta: DocumentMetadata) -> list[tuple[str, str]]:
    """What the source holds and the document does not show, so that importing the Word
    edition gives back the source: the short title and publisher's short name in the other
    languages, the date note when the core property cannot hold it all, the authors' sort
    forms, which authors are organisations, the ids of polls, related-article boxes and
    cross-reference targets (a bookmark name holds 40 characters, of letters and digits
    only), and published poll shares."""
    props: list[tuple[str, str]] = []
    if article.short_title is not None:
        props += [(f"Short title ({lang})", text)
                  for lang, text in article.short_title.others(article.lang)]  # fmt: skip
    if article.publisher.short is not None:
        props += [(f"Publisher short ({lang})", text)
                  for lang, text in article.publisher.short.others(article.lang)]  # fmt: skip
    if fitting(meta.date_note) != meta.date_note:
        props.append(("Date note", meta.date_note))
    if any(a.file_as for a in article.authors):
        props.append(("File as", "; ".join(a.file_as or "" for a in article.authors)))
    if any(a.organisation for a in article.authors):
        props.append(("Organisations", "; ".join(a.name.in_lang(article.lang)
                                                 for a in article.authors if a.organisation)))
    idents = anchors(article)
    if idents:
        props.append(("Anchor ids", " ".join(idents)))
    polls = [b.poll for b in all_blocks(article.body) if isinstance(b, PollBlock)]
    if polls:
        props.append(("Poll ids", " ".join(p.id for p in polls)))
    for poll in polls:
        if any(a.published_share is not None for a in poll.answers):
            props.append((f"Poll shares ({poll.id})", " ".join(
                "-" if a.published_share is None else str(a.published_share)
                for a in poll.answers)))
    boxes = [b.related_id for b in all_blocks(article.body)
             if isinstance(b, Callout) and b.role == "related"]  # fmt: skip
    if boxes and all(boxes):
        props.append(("Related ids", " ".join(boxes)))
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
