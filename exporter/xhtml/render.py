"""XHTML rendering of model blocks and inlines as lxml elements, every run of another
language than the document's tagged with it."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from exporter.edition import figure_caption, table_caption
from exporter.errors import RenderError
from exporter.labels import label
from exporter.languages import Languages
from exporter.model import (
    Bibliography,
    Block,
    BlockQuote,
    Callout,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Note,
    NoteRef,
    Paragraph,
    PollBlock,
    Span,
    Strong,
    Table,
    Text,
    ThematicBreak,
    plain_text,
)
from exporter.style import heading_rank
from exporter.walk import element_id, visitor

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: XHTML_NS, "epub": EPUB_NS}


def tag(name: str) -> str:
    return f"{{{XHTML_NS}}}{name}"


def sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> Any:
    """A child element; attribute names use ``_`` for ``-`` and ``epub_type`` for epub:type."""
    element = etree.SubElement(parent, tag(name))
    for key, value in attrs.items():
        element.set(_attr_name(key), value)
    if text:
        element.text = text
    return element


def _attr_name(key: str) -> str:
    if key == "epub_type":
        return f"{{{EPUB_NS}}}type"
    if key == "class_":
        return "class"
    return key.replace("_", "-")


def set_lang(element: etree._Element, lang: str) -> None:
    """Mark an element's language the way XHTML in EPUB wants it: both lang and xml:lang."""
    element.set("lang", lang)
    element.set(XML_LANG, lang)


def append_text(parent: etree._Element, text: str, lang: str, languages: Languages) -> None:
    """Add ``text`` (in ``lang``) at the end of ``parent``; runs in another script become
    spans tagged with the language the article's ``languages`` read them in."""
    for run_lang, run in languages.runs(text, lang):
        if run_lang == lang:
            _append_plain(parent, run)
        else:
            span = sub(parent, "span")
            set_lang(span, run_lang)
            span.text = run


def _append_plain(parent: etree._Element, text: str) -> None:
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def lang_text(
    parent: etree._Element, name: str, text: str, lang: str, languages: Languages, **attrs: str
) -> Any:
    """An element holding ``text`` in ``lang``, tagged when that is not the document's
    language (``languages.lang``)."""
    element = sub(parent, name, **attrs)
    if lang.split("-")[0] != languages.lang.split("-")[0]:
        set_lang(element, lang)
    append_text(element, text, lang, languages)
    return element


PollRenderer = Callable[[etree._Element, PollBlock, Languages], etree._Element]
ImageSource = Callable[[Image], str]  # where a document finds an image: a path or a data URL


def _no_images(image: Image) -> str:
    raise RenderError(f"cannot place image {image.path!r} here")


def image_name(image: Image) -> str:
    """A file name for ``image`` that is safe in any package and differs for different
    images: its own name's letters and digits, then a digest of its bytes."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", image.path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    digest = hashlib.sha256(image.data).hexdigest()[:10]
    return f"{stem.strip('-')[:40] or 'image'}-{digest}.{image.suffix}"


def data_url(image: Image) -> str:
    """``image`` as a data URL, for a document that carries everything inside itself."""
    return f"data:{image.media_type};base64," + base64.b64encode(image.data).decode("ascii")
POLL_LEVEL = 7  # a poll sits in the outline below every heading before it


@dataclass(frozen=True)
class OutlineItem:
    """A heading or poll among the top-level blocks: its model level, element id and label."""

    level: int
    id: str
    label: str


class BlockRenderer:
    """Renders model blocks into an XHTML parent; headings are shifted by ``heading_offset``.
    Every heading gets an id; top-level headings and polls are kept in ``outline``."""

    def __init__(
        self,
        languages: Languages,
        poll_renderer: PollRenderer,
        heading_offset: int = 0,
        image_source: ImageSource = _no_images,
        numbered: bool = True,
    ) -> None:
        self.languages = languages  # the article's: what each run of text is in
        self.lang = languages.lang
        self.poll_renderer = poll_renderer
        self.heading_offset = heading_offset
        self.image_source = image_source
        self.numbered = numbered
        self.calls: dict[int, int] = {}  # how often each note has been called so far
        self.outline: list[OutlineItem] = []
        self._ids = 0
        self._headings = 0
        self._depth = 0

    def new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}-{self._ids}"

    def blocks(self, parent: etree._Element, blocks: tuple[Block, ...]) -> None:
        self._depth += 1
        for block in blocks:
            visitor(self, block)(parent, block)
        self._depth -= 1

    def _mark(self, level: int, ident: str, text: str) -> None:
        if self._depth == 1 and text:
            self.outline.append(OutlineItem(level, ident, text))

    def visit_paragraph(self, parent: etree._Element, block: Paragraph) -> None:
        self.inlines(sub(parent, "p"), block.children, self.lang)

    def visit_heading(self, parent: etree._Element, block: Heading) -> None:
        level = min(block.level + self.heading_offset, 6)
        self._headings += 1
        ident = block.ident or f"heading-{self._headings}"
        heading = sub(parent, f"h{level}", class_=f"heading-{heading_rank(block.level)}", id=ident)
        self.inlines(heading, block.children, self.lang)
        self._mark(block.level, ident, " ".join(plain_text(block.children).split()))

    def visit_block_quote(self, parent: etree._Element, block: BlockQuote) -> None:
        self.blocks(sub(parent, "blockquote", class_="quote"), block.blocks)

    def visit_list_block(self, parent: etree._Element, block: ListBlock) -> None:
        attrs = {"start": str(block.start)} if block.ordered and block.start != 1 else {}
        element = sub(parent, "ol" if block.ordered else "ul", **attrs)
        for item in block.items:
            self.blocks(sub(element, "li"), item)

    def visit_code_block(self, parent: etree._Element, block: CodeBlock) -> None:
        pre = sub(parent, "pre", class_="code")
        append_text(sub(pre, "code"), block.text, self.lang, self.languages)

    def visit_thematic_break(self, parent: etree._Element, block: ThematicBreak) -> None:
        sub(parent, "hr")

    def visit_callout(self, parent: etree._Element, block: Callout) -> None:
        label_id = self.new_id(f"callout-{block.role}")
        aside = sub(parent, "aside", class_=f"callout callout-{block.role}")
        aside.set("aria-labelledby", label_id)
        label = sub(aside, "p", class_="callout-label", id=label_id)
        append_text(label, block.label, self.lang, self.languages)
        self.blocks(aside, block.blocks)

    def visit_table(self, parent: etree._Element, block: Table) -> None:
        """A data table: its caption ("Table 1. …"), header cells with ``scope``, and each
        column's alignment as a class."""
        table = sub(parent, "table", class_="data-table", id=element_id(block))
        caption = table_caption(block, self.lang, self.numbered)
        if caption:
            self.inlines(sub(table, "caption"), caption, self.lang)
        head = sub(sub(table, "thead"), "tr")
        for inlines, align in zip(block.header, block.align, strict=False):
            self.inlines(sub(head, "th", scope="col", **_aligned(align)), inlines, self.lang)
        body = sub(table, "tbody")
        for cells in block.rows:
            row = sub(body, "tr")
            for inlines, align in zip(cells, block.align, strict=False):
                self.inlines(sub(row, "td", **_aligned(align)), inlines, self.lang)

    def visit_figure(self, parent: etree._Element, block: Figure) -> None:
        """``<figure>`` with the image and its caption and credit; a decorative image is
        presentation only (empty alt), with no figure semantics unless it has a caption."""
        caption = figure_caption(block, self.lang, self.numbered)
        attrs = {"id": ident} if (ident := element_id(block)) else {}
        figure = sub(parent, "figure", class_="figure", **attrs)
        image = sub(figure, "img", src=self.image_source(block.image), alt=block.alt)
        if block.decorative:
            image.set("role", "presentation")
        if block.width < 1.0:
            image.set("style", f"width: {round(block.width * 100)}%;")
        if caption or block.credit:
            figcaption = sub(figure, "figcaption")
            self.inlines(figcaption, caption, self.lang)
            if block.credit:
                if caption:
                    _append_plain(figcaption, " ")
                self.inlines(sub(figcaption, "span", class_="credit"), block.credit, self.lang)
        elif block.decorative:
            figure.set("role", "presentation")

    def notes(self, parent: etree._Element, notes: tuple[Note, ...], heading: int) -> None:
        """The notes in a section of their own, each an EPUB footnote (a pop-up in readers)
        that links back to where it is first called."""
        if not notes:
            return
        self.outline.append(OutlineItem(1, "notes", label("notes", self.lang)))
        section = sub(parent, "section", class_="notes", id="notes", role="doc-endnotes")
        section.set(f"{{{EPUB_NS}}}type", "endnotes")
        section.set("aria-labelledby", "notes-heading")
        title = sub(section, f"h{min(heading, 6)}", class_="heading-2", id="notes-heading")
        append_text(title, label("notes", self.lang), self.lang, self.languages)
        for note in notes:
            aside = sub(section, "aside", class_="note", id=f"note-{note.number}",
                        role="doc-footnote", epub_type="footnote")  # fmt: skip
            before = len(aside)
            self.blocks(aside, note.blocks)
            first = aside[before] if len(aside) > before else sub(aside, "p")
            back = etree.Element(tag("a"), href=f"#noteref-{note.number}", role="doc-backlink")
            back.set("aria-label", label("note_back", self.lang, n=note.number))
            back.text = f"{note.number}."
            back.tail = " " + (first.text or "")
            first.text = None
            first.insert(0, back)

    def visit_bibliography(self, parent: etree._Element, block: Bibliography) -> None:
        """The works cited: a list (numbered where the style numbers them), each entry with
        its id and links back to where it is cited."""
        numbered = any(entry.label for entry in block.entries)
        element = sub(parent, "ol" if numbered else "ul", class_="references")
        for entry in block.entries:
            item = sub(element, "li", id=entry.ident, epub_type="biblioentry")
            if numbered and entry.label.isdigit():
                item.set("value", entry.label)
            lang = entry.lang or self.lang
            if entry.lang and entry.lang != self.lang:
                set_lang(item, entry.lang)
            self.inlines(item, entry.children, lang)
            for count, ident in enumerate(entry.cited, 1):
                _append_plain(item, " ")
                back = sub(item, "a", href=f"#{ident}", class_="backlink", role="doc-backlink")
                back.set("aria-label", label("cite_back", self.lang, n=count))
                back.text = "↩" if len(entry.cited) == 1 else f"↩{count}"

    def visit_poll_block(self, parent: etree._Element, block: PollBlock) -> None:
        section = self.poll_renderer(parent, block, self.languages)
        self._mark(POLL_LEVEL, section.get("id"), label("poll", self.lang))

    def inlines(self, parent: etree._Element, inlines: tuple[Inline, ...], lang: str) -> None:
        for node in inlines:
            self.inline(parent, node, lang)

    def inline(self, parent: etree._Element, node: Inline, lang: str) -> None:
        visitor(self, node)(parent, node, lang)

    def visit_text(self, parent: etree._Element, node: Text, lang: str) -> None:
        append_text(parent, node.text, lang, self.languages)

    def visit_code(self, parent: etree._Element, node: Code, lang: str) -> None:
        append_text(sub(parent, "code"), node.text, lang, self.languages)

    def visit_line_break(self, parent: etree._Element, node: LineBreak, lang: str) -> None:
        sub(parent, "br")

    def visit_emph(self, parent: etree._Element, node: Emph, lang: str) -> None:
        self.inlines(sub(parent, "em"), node.children, lang)

    def visit_strong(self, parent: etree._Element, node: Strong, lang: str) -> None:
        self.inlines(sub(parent, "strong"), node.children, lang)

    def visit_link(self, parent: etree._Element, node: Link, lang: str) -> None:
        attrs = {"id": node.ident} if node.ident else {}
        self.inlines(sub(parent, "a", href=node.url, **attrs), node.children, lang)

    def visit_span(self, parent: etree._Element, node: Span, lang: str) -> None:
        span = sub(parent, "span")
        set_lang(span, node.lang)
        self.inlines(span, node.children, node.lang)

    def visit_note_ref(self, parent: etree._Element, node: NoteRef, lang: str) -> None:
        self.note_call(parent, node.number)

    def note_call(self, parent: etree._Element, number: int) -> None:
        """The call of a note: a superscript number linking to it (its first call is where
        the note links back to)."""
        count = self.calls[number] = self.calls.get(number, 0) + 1
        ident = f"noteref-{number}" + (f"-{count}" if count > 1 else "")
        link = sub(parent, "a", href=f"#note-{number}", id=ident, class_="noteref",
                   role="doc-noteref", epub_type="noteref")  # fmt: skip
        link.set("aria-label", label("note_call", self.lang, n=number))
        sub(link, "sup", str(number))


def _aligned(align: str) -> dict[str, str]:
    return {"class_": f"align-{align}"} if align else {}


def new_document(title: str, lang: str, css_href: str | None) -> tuple[Any, Any]:
    """An empty XHTML content document: returns ``(html, body)``."""
    html = etree.Element(tag("html"), nsmap=NSMAP)
    set_lang(html, lang)
    head = sub(html, "head")
    sub(head, "meta", charset="utf-8")
    sub(head, "title", title)
    if css_href:
        sub(head, "link", rel="stylesheet", type="text/css", href=css_href)
    return html, sub(html, "body")


def serialize(html: etree._Element) -> bytes:
    """The document as XHTML5 bytes: XML declaration, HTML doctype, UTF-8."""
    return etree.tostring(html, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")
