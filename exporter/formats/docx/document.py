"""Builds the whole Word edition: styles, page, header and footer, front matter, body, package."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt

from exporter.edition import TitleRole as Role
from exporter.edition import title_matter
from exporter.formats import ExportOptions
from exporter.formats.docx.blocks import BlockWriter, bookmark_names
from exporter.formats.docx.faces import docx_uses
from exporter.formats.docx.fonts import embed_fonts
from exporter.formats.docx.ooxml import element, field_runs, text_runs, word_lang
from exporter.formats.docx.package import pack
from exporter.formats.docx.properties import set_properties
from exporter.formats.docx.styles import StyleIndex, apply_styles
from exporter.labels import label
from exporter.languages import Languages
from exporter.measure import measured
from exporter.model import Article, anchors
from exporter.style import PageStyle, StyleSheet

_SETTINGS_AFTER_HYPHENATION = (
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps",
    "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle",
    "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing", "w:characterSpacingControl",
    "w:savePreviewPicture", "w:compat", "w:rsids", "m:mathPr", "w:themeFontLang",
)  # fmt: skip


def render_docx(article: Article, style: StyleSheet, options: ExportOptions) -> bytes:
    """The complete .docx edition of ``article`` as bytes, identical for identical input."""
    when = options.build_time(article)
    style = measured(style, article)  # a measure in characters, for this article's text
    doc = docx.Document()
    styles = apply_styles(doc, style, article.lang)
    _settings(doc, style, article.lang)
    section = doc.sections[0]
    _page_setup(section, style.page)
    _header_footer(section, styles, article, style)
    width = style.page.column_width.pt
    writer = BlockWriter(doc, style, styles, Languages.of(article), width,
                         bookmark_names(anchors(article)))
    writer.notes = {note.number: note for note in article.footnotes}
    _front_matter(writer, article)
    writer.write(article.summary, "Summary")
    writer.write(article.body)
    writer.write_notes(width)
    set_properties(doc, article, when)
    if options.embed_fonts:
        parts = [doc.element.body, *writer.note_parts()]
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer):  # fmt: skip
            if not part.is_linked_to_previous:
                parts.append(part._element)
        uses = docx_uses(parts, doc.styles.element, style.families_with_fallbacks())
        met = tuple(dict.fromkeys(family for family, _ in uses))  # in the order the text meets them
        embed_fonts(doc, uses, met, style.text_families)
    return pack(doc.part.package, when)


def _settings(doc: docx.document.Document, style: StyleSheet, lang: str) -> None:
    settings = doc.settings.element
    for tag in ("w:proofState", "w:autoHyphenation"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    if style.role("body").hyphenate:
        settings.insert_element_before(element("w:autoHyphenation"), *_SETTINGS_AFTER_HYPHENATION)
    for node in settings.findall(qn("w:themeFontLang")):
        node.set(qn("w:val"), word_lang(lang))
    for node in settings.iter(qn("w:compatSetting")):
        if node.get(qn("w:name")) == "compatibilityMode":
            node.set(qn("w:val"), "15")


def _page_setup(section: Section, page: PageStyle) -> None:
    section.page_width = Pt(page.width.pt)
    section.page_height = Pt(page.height.pt)
    section.top_margin = Pt(page.margin_top.pt)
    section.bottom_margin = Pt(page.margin_bottom.pt)
    section.left_margin = Pt(page.margin_left.pt)
    section.right_margin = Pt(page.outer_margin.pt)
    section.header_distance = Pt(page.margin_top.pt / 2)
    section.footer_distance = Pt(page.margin_bottom.pt / 2)
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:cols")):
        sect_pr.remove(old)
    cols = element("w:cols", space=str(round(page.column_gap.pt * 20)))
    if page.columns > 1:
        cols.set(qn("w:num"), str(page.columns))
    sect_pr.insert_element_before(cols, "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                  "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                                  "w:printerSettings", "w:sectPrChange")


def _header_footer(section: Section, styles: StyleIndex, article: Article,
                   style: StyleSheet) -> None:
    """Running title in the header; "Page X of Y" with PAGE and NUMPAGES fields in the footer."""
    lang, languages = article.lang, Languages.of(article)
    first_blank = style.page.header_from_page > 1
    section.different_first_page_header_footer = first_blank
    header = section.header.paragraphs[0]
    header._p.style = styles.id("Header")
    header._p.extend(text_runs(article.running_title(), lang, languages))
    footer = section.footer.paragraphs[0]
    footer._p.style = styles.id("Footer")
    pattern = label("page_of", lang, page="\0PAGE\0", pages="\0NUMPAGES\0")
    for index, piece in enumerate(pattern.split("\0")):
        if index % 2:
            footer._p.extend(field_runs(piece, "1"))
        elif piece:
            footer._p.extend(text_runs(piece, lang, languages))
    if first_blank:  # the first page's are empty: in their styles, without their rules
        for part, name in ((section.first_page_header, "Header"),
                           (section.first_page_footer, "Footer")):
            para = part.paragraphs[0]._p
            para.style = styles.id(name)
            bdr = element("w:pBdr")
            bdr.extend(element(f"w:{side}", val="nil") for side in ("top", "bottom"))
            para.get_or_add_pPr().insert_element_before(
                bdr, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc")


# The paragraph style of each role of the title matter.
_TITLE_STYLES = {
    Role.TITLE: "Title", Role.SUBTITLE: "Subtitle", Role.TITLE_TRANSLATION: "Subtitle",
    Role.BYLINE: "Byline", Role.AFFILIATION: "Affiliation", Role.CONTRIBUTOR: "Affiliation",
    Role.META: "Meta", Role.RIGHTS: "Meta", Role.CITE: "Meta", Role.WEB: "Meta",
}  # fmt: skip


def _front_matter(writer: BlockWriter, article: Article) -> None:
    """The title matter as the edition layer orders it, the web editions last."""
    for line in title_matter(article):
        writer.paragraph(line.inlines, _TITLE_STYLES[line.role], lang=line.lang)
