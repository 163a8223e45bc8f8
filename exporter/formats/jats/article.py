"""Writes an article as JATS XML (Journal Archiving and Interchange tag set 1.3): the front
matter from the shared metadata view (titles in every language, contributors with their
affiliations and ORCID, DOI, licence, date, abstract, keywords), the body in nested
sections, the notes and the works cited in the back. Figures name their files by the
source's paths, as a JATS package ships its images beside the XML."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from exporter.edition import document_metadata, poll_view
from exporter.formats import ExportOptions
from exporter.labels import label
from exporter.model import (
    Article,
    Bibliography,
    Block,
    BlockQuote,
    Callout,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    NoteRef,
    Paragraph,
    PollBlock,
    Span,
    Strong,
    Table,
    Text,
    ThematicBreak,
)
from exporter.style import StyleSheet
from exporter.walk import element_id, visitor

XLINK = "http://www.w3.org/1999/xlink"
ALI = "http://www.niso.org/schemas/ali/1.0/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = ('<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and '
           'Interchange DTD v1.3 20210610//EN" "JATS-archivearticle1-3.dtd">')  # fmt: skip
_ALIGN = {"left": "left", "right": "right", "center": "center"}


def render_jats(article: Article, style: StyleSheet, options: ExportOptions) -> bytes:
    """The article as a JATS ``<article>``: identical bytes for identical input."""
    root = etree.Element("article", nsmap={"xlink": XLINK, "ali": ALI})
    root.set("article-type", "research-article")
    root.set("dtd-version", "1.3")
    root.set(XML_LANG, article.lang)
    _front(etree.SubElement(root, "front"), article)
    body = _Body(article, style)
    body.render(etree.SubElement(root, "body"))
    back = body.back()
    if len(back):
        root.append(back)
    text = etree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n{text}\n'.encode()


def _sub(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text:
        element.text = text
    return element


# -- the front matter


def _front(front: etree._Element, article: Article) -> None:
    meta = document_metadata(article)
    lang = meta.lang
    journal = _sub(front, "journal-meta")
    publisher = _sub(journal, "publisher")
    _sub(publisher, "publisher-name", meta.publisher)
    head = _sub(front, "article-meta")
    if meta.doi:
        _sub(head, "article-id", meta.doi, pub_id_type="doi")
    if meta.series_number.strip():
        _sub(head, "article-id", meta.series_number.strip(), pub_id_type="publisher-id")
    titles = _sub(head, "title-group")
    _sub(titles, "article-title", meta.title)
    if meta.subtitle:
        _sub(titles, "subtitle", meta.subtitle)
    for other, title in meta.titles.others(lang):
        group = _sub(titles, "trans-title-group")
        group.set(XML_LANG, other)
        _sub(group, "trans-title", title)
        if meta.subtitles is not None and meta.subtitles.get(other, ""):
            _sub(group, "trans-subtitle", meta.subtitles.get(other, ""))
    if article.short_title is not None:
        _sub(titles, "alt-title", article.short_title.in_lang(lang), alt_title_type="running")
    _contributors(head, article)
    _pub_date(head, meta.published)
    if meta.series:
        _sub(head, "issue-title", meta.series)
    if meta.license or meta.license_url:
        permissions = _sub(head, "permissions")
        licence = _sub(permissions, "license")
        if meta.license_url:
            licence.set(f"{{{XLINK}}}href", meta.license_url)
            _sub(licence, f"{{{ALI}}}license_ref", meta.license_url)
        _sub(licence, "license-p", meta.rights)
    if meta.web is not None:
        for web_lang, url in meta.web.items:
            link = _sub(head, "self-uri", url)
            link.set(f"{{{XLINK}}}href", url)
            link.set(XML_LANG, web_lang)
    if meta.summary:
        abstract = _sub(head, "abstract")
        for paragraph in meta.summary:
            _sub(abstract, "p", paragraph)
    if meta.keywords:
        group = _sub(head, "kwd-group", kwd_group_type="author")
        group.set(XML_LANG, lang)
        for keyword in meta.keywords:
            _sub(group, "kwd", keyword)


def _contributors(head: etree._Element, article: Article) -> None:
    from exporter.formats.cite.records import name_of

    lang = article.lang
    places: dict[str, str] = {}  # affiliation → its id, in order of first mention
    for author in article.authors:
        for place in author.affiliations:
            places.setdefault(place.in_lang(lang), f"aff{len(places) + 1}")
    group = _sub(head, "contrib-group")
    for author in article.authors:
        contrib = _sub(group, "contrib", contrib_type=author.role)
        if author.orcid:
            _sub(contrib, "contrib-id", f"https://orcid.org/{author.orcid}",
                 contrib_id_type="orcid")  # fmt: skip
        name = name_of(author, lang)
        if name.literal:
            _sub(contrib, "collab", name.literal)
        else:
            parts = _sub(contrib, "name", name_style="western")
            _sub(parts, "surname", name.family)
            if name.given:
                _sub(parts, "given-names", name.given)
        for other, shown in author.name.others(lang):
            alternative = _sub(contrib, "string-name", shown)
            alternative.set(XML_LANG, other)
        if author.url and not author.orcid:
            link = _sub(contrib, "uri", author.url)
            link.set(f"{{{XLINK}}}href", author.url)
        for place in author.affiliations:
            _sub(contrib, "xref", ref_type="aff", rid=places[place.in_lang(lang)])
    for place, ident in places.items():
        _sub(head, "aff", place, id=ident)


def _pub_date(head: etree._Element, date: dt.date) -> None:
    when = _sub(head, "pub-date", publication_format="electronic", date_type="pub",
                iso_8601_date=date.isoformat())  # fmt: skip
    _sub(when, "day", f"{date.day:02d}")
    _sub(when, "month", f"{date.month:02d}")
    _sub(when, "year", str(date.year))


# -- the body


class _Body:
    """The body's blocks as JATS, headings opening nested ``sec`` elements; the notes and
    the works cited gathered for the back."""

    def __init__(self, article: Article, style: StyleSheet) -> None:
        self.article = article
        self.lang = article.lang
        self.numbered = style.numbered_captions
        self.notes = {note.number: note for note in article.footnotes}
        self.references: list[Bibliography] = []
        self._sections = 0
        self.targets = _targets(article)

    def render(self, body: etree._Element) -> None:
        stack: list[tuple[int, etree._Element]] = [(0, body)]
        for block in self.article.body:
            if isinstance(block, Heading):
                while stack[-1][0] >= block.level:
                    stack.pop()
                self._sections += 1
                sec = _sub(stack[-1][1], "sec", id=block.ident or f"sec-{self._sections}")
                self.inlines(_sub(sec, "title"), block.children)
                stack.append((block.level, sec))
            else:
                self.block(stack[-1][1], block)

    def back(self) -> etree._Element:
        back = etree.Element("back")
        for bibliography in self.references:
            self.visit_bibliography_list(back, bibliography)
        if self.notes:
            group = _sub(back, "fn-group")
            for number in sorted(self.notes):
                fn = _sub(group, "fn", id=f"fn{number}")
                _sub(fn, "label", str(number))
                self.blocks(fn, self.notes[number].blocks)
        return back

    def blocks(self, parent: etree._Element, blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            self.block(parent, block)

    def block(self, parent: etree._Element, block: Block) -> None:
        visitor(self, block, "jats: ")(parent, block)

    def visit_paragraph(self, parent: etree._Element, block: Paragraph) -> None:
        self.inlines(_sub(parent, "p"), block.children)

    def visit_heading(self, parent: etree._Element, block: Heading) -> None:
        """A heading inside a box or a quote: a titled paragraph (no section there)."""
        self.inlines(_sub(parent, "p", content_type=f"heading-{block.level}"), block.children)

    def visit_block_quote(self, parent: etree._Element, block: BlockQuote) -> None:
        self.blocks(_sub(parent, "disp-quote"), block.blocks)

    def visit_list_block(self, parent: etree._Element, block: ListBlock) -> None:
        kind = "order" if block.ordered else "bullet"
        listing = _sub(parent, "list", list_type=kind)
        for i, item in enumerate(block.items, block.start):
            entry = _sub(listing, "list-item")
            if block.ordered:
                _sub(entry, "label", f"{i}.")
            self.blocks(entry, item)
            if not len(entry) or entry[-1].tag == "label":
                _sub(entry, "p")

    def visit_code_block(self, parent: etree._Element, block: CodeBlock) -> None:
        _sub(parent, "preformat", block.text, preformat_type="code")

    def visit_thematic_break(self, parent: etree._Element, block: ThematicBreak) -> None:
        _sub(parent, "hr")

    def visit_callout(self, parent: etree._Element, block: Callout) -> None:
        box = _sub(parent, "boxed-text", content_type=block.role)
        if block.label:
            _sub(_sub(box, "caption"), "title", block.label)
        self.blocks(box, block.blocks)

    def visit_table(self, parent: etree._Element, block: Table) -> None:
        wrap = _sub(parent, "table-wrap", id=element_id(block))
        if self.numbered and block.number:
            _sub(wrap, "label", label("table", self.lang, n=block.number))
        if block.caption:
            self.inlines(_sub(_sub(wrap, "caption"), "p"), block.caption)
        table = _sub(wrap, "table")
        if block.header:
            row = _sub(_sub(table, "thead"), "tr")
            for cell, align in zip(block.header, block.align, strict=False):
                self.inlines(_sub(row, "th", **_aligned(align)), cell)
        body = _sub(table, "tbody")
        for cells in block.rows:
            row = _sub(body, "tr")
            for cell, align in zip(cells, block.align, strict=False):
                self.inlines(_sub(row, "td", **_aligned(align)), cell)

    def visit_figure(self, parent: etree._Element, block: Figure) -> None:
        ident = block.ident or (f"figure-{block.number}" if block.number else "")
        fig = _sub(parent, "fig", **({"id": ident} if ident else {}))
        if self.numbered and block.number:
            _sub(fig, "label", label("figure", self.lang, n=block.number))
        if block.caption:
            self.inlines(_sub(_sub(fig, "caption"), "p"), block.caption)
        major, _, minor = block.image.media_type.partition("/")
        graphic = _sub(fig, "graphic", mimetype=major, mime_subtype=minor)
        graphic.set(f"{{{XLINK}}}href", block.image.path)
        if block.alt:
            _sub(graphic, "alt-text", block.alt)
        if block.credit:
            self.inlines(_sub(fig, "attrib"), block.credit)

    def visit_poll_block(self, parent: etree._Element, block: PollBlock) -> None:
        """The poll as a table: the question as its caption, answers, votes and shares,
        the total; the caption line ("Poll conducted · 108 votes") as its footer."""
        view = poll_view(block.poll, self.lang)
        wrap = _sub(parent, "table-wrap", id=f"poll-{view.id}", content_type="poll")
        _sub(wrap, "label", view.name)
        _sub(_sub(wrap, "caption"), "p", view.question)
        table = _sub(wrap, "table")
        head = _sub(_sub(table, "thead"), "tr")
        for column in view.columns:
            _sub(head, "th", column)
        body = _sub(table, "tbody")
        for row in view.rows:
            cells = _sub(body, "tr")
            _sub(cells, "td", row.label)
            _sub(cells, "td", row.votes, align="right")
            _sub(cells, "td", row.share, align="right")
        total = _sub(body, "tr")
        for i, cell in enumerate(view.total):
            _sub(total, "td", cell, **({"align": "right"} if i else {}))
        _sub(_sub(wrap, "table-wrap-foot"), "p", view.caption)

    def visit_bibliography(self, parent: etree._Element, block: Bibliography) -> None:
        self.references.append(block)  # the works cited stand in the back

    def visit_bibliography_list(self, back: etree._Element, block: Bibliography) -> None:
        refs = _sub(back, "ref-list")
        _sub(refs, "title", label("references", self.lang))
        for entry in block.entries:
            ref = _sub(refs, "ref", id=entry.ident)
            if entry.label:
                _sub(ref, "label", entry.label)
            citation = _sub(ref, "mixed-citation")
            if entry.lang:
                citation.set(XML_LANG, entry.lang)
            self.inlines(citation, entry.children)

    # -- inlines

    def inlines(self, parent: etree._Element, inlines: tuple[Inline, ...]) -> None:
        for node in inlines:
            visitor(self, node, "jats: ")(parent, node)

    def visit_text(self, parent: etree._Element, node: Text) -> None:
        _append(parent, node.text)

    def visit_line_break(self, parent: etree._Element, node: LineBreak) -> None:
        _append(parent, "\n")

    def visit_code(self, parent: etree._Element, node: Code) -> None:
        _sub(parent, "monospace", node.text)

    def visit_emph(self, parent: etree._Element, node: Emph) -> None:
        self.inlines(_sub(parent, "italic"), node.children)

    def visit_strong(self, parent: etree._Element, node: Strong) -> None:
        self.inlines(_sub(parent, "bold"), node.children)

    def visit_span(self, parent: etree._Element, node: Span) -> None:
        span = _sub(parent, "styled-content")
        span.set(XML_LANG, node.lang)
        self.inlines(span, node.children)

    def visit_link(self, parent: etree._Element, node: Link) -> None:
        target = node.url[1:] if node.url.startswith("#") else ""
        if target in self.targets:
            link = _sub(parent, "xref", ref_type=self.targets[target], rid=target)
        else:
            link = _sub(parent, "ext-link", ext_link_type="uri")
            link.set(f"{{{XLINK}}}href", node.url)
        self.inlines(link, node.children)

    def visit_note_ref(self, parent: etree._Element, node: NoteRef) -> None:
        _sub(_sub(parent, "xref", ref_type="fn", rid=f"fn{node.number}"), "sup", str(node.number))


def _targets(article: Article) -> dict[str, str]:
    """Every id a link inside the article may name, with the JATS kind of what it names."""
    from exporter.walk import blocks

    kinds: dict[str, str] = {}
    sections = 0
    for block in article.body:
        if isinstance(block, Heading):
            sections += 1
            kinds[block.ident or f"sec-{sections}"] = "sec"
    for block in blocks((*article.summary, *article.body,
                         *(b for note in article.footnotes for b in note.blocks))):  # fmt: skip
        if isinstance(block, Table):
            kinds[element_id(block)] = "table"
        elif isinstance(block, Figure):
            kinds[block.ident or f"figure-{block.number}"] = "fig"
        elif isinstance(block, Bibliography):
            kinds.update((entry.ident, "bibr") for entry in block.entries)
    return kinds


def _aligned(align: str) -> dict[str, str]:
    return {"align": _ALIGN[align]} if align in _ALIGN else {}


def _append(parent: etree._Element, text: str) -> None:
    """``text`` after whatever ``parent`` holds so far."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
