"""The edition's content as flowables: title block, summary, body, poll, read-online panel."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Table, TableStyle

from exporter import walk
from exporter.edition import LinkNotes, NotesCalled, colophon, notes_called, title_matter
from exporter.edition import TitleRole as Role
from exporter.edition.links import mark, with_printed_addresses
from exporter.formats.pdf.blocks import BlockRenderer, panel
from exporter.formats.pdf.inlines import LINK_NOTES, plain
from exporter.formats.pdf.notes import FootNotes
from exporter.formats.pdf.pages import Anchor, OutlineEntry
from exporter.formats.pdf.styles import PdfStyles, rl_color
from exporter.formats.pdf.tables import WidePlace
from exporter.formats.pdf.tagging import Element, InlineTag, StructureTree, Tagged
from exporter.formats.pdf.textblock import TextBlock, look_of
from exporter.labels import label
from exporter.languages import Languages
from exporter.model import Article, Block, Link

# The paragraph style of each role of the title matter; the web line is the QR panel's,
# the rights and how to cite are the colophon's.
_TITLE_STYLES = {
    Role.TITLE: "title", Role.SUBTITLE: "subtitle", Role.TITLE_TRANSLATION: "subtitle",
    Role.BYLINE: "byline", Role.AFFILIATION: "affiliation", Role.CONTRIBUTOR: "affiliation",
    Role.META: "meta",
}  # fmt: skip
# titles break only between words: not at a compound's own hyphen, never hyphenated
_WORDS_ONLY = (Role.TITLE, Role.SUBTITLE, Role.TITLE_TRANSLATION)


def words_only(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` breaking lines only at spaces: no hyphenation, and no break after the
    hyphen of a compound ("Anti-Russian" stays whole); ``breakAtHyphens`` tells the line
    breaker so."""
    style = style.clone(f"{style.name}-words", hyphenationLang="")
    style.breakAtHyphens = False
    return style


def title_block(article: Article, styles: PdfStyles, structure: StructureTree) -> list[Flowable]:
    """The title matter as the edition layer orders it, without the rights and how to cite
    (the colophon's). The title is the document's H1 and an outline entry; a line in another
    language is a paragraph in that language."""
    root = structure.root
    names = BlockRenderer(styles, 0.0, Languages.of(article), structure, key="title")
    out: list[Flowable] = []
    for line in title_matter(article):
        if line.role not in _TITLE_STYLES:
            continue
        style = styles.para(_TITLE_STYLES[line.role], line.lang)
        if line.role in _WORDS_ONLY:
            style = words_only(style)
        if line.role == Role.BYLINE:
            out.append(names.text(line.inlines, style))
            continue
        if line.role == Role.TITLE:
            out.append(OutlineEntry("title", line.text))
        lang = line.lang if line.lang != article.lang else None
        tag = root.add("H1" if line.role == Role.TITLE else "P", lang=lang)
        out.append(plain(line.text, style, tag))
    return out


def colophon_flowables(
    article: Article,
    styles: PdfStyles,
    structure: StructureTree,
    cite: bool = True,
    together: bool = True,
) -> list[Flowable]:
    """The colophon: under a hairline, the attribution, the licence with its address, the
    DOI and how to cite, each a paragraph in the meta role, kept together (or, without
    ``together``, as they are: a page of their own). Tagged as a section titled
    "Publication details" (nothing when the article names none of them)."""
    lines = colophon(article, cite)
    if not lines:
        return []
    title = label("colophon", article.lang)
    section = structure.root.add("Sect", title=title)
    meta = styles.para("meta")
    gap = styles.role("note").space_after.pt * 2
    role = styles.role("note-rule")
    rule = HRFlowable(width="100%", thickness=role.border_width.pt,
                      color=rl_color(role.border_color),  # type: ignore[arg-type]
                      spaceBefore=gap * 2, spaceAfter=gap)  # fmt: skip
    out: list[Flowable] = [Tagged(rule, None)]
    for line in lines:
        style = meta.clone(f"colophon-{line.role}", spaceAfter=gap)
        out.append(plain(line.text, style, section.add("P")))
    return [OutlineEntry("colophon", title), *([KeepTogether(out)] if together else out)]


def summary_panel(
    article: Article,
    styles: PdfStyles,
    width: float,
    structure: StructureTree,
    link_notes: LinkNotes | None = None,
) -> list[Flowable]:
    """The summary once, in a shaded, ruled box (a section titled "Summary")."""
    if not article.summary:
        return []
    title = label("summary", article.lang)
    section = structure.root.add("Sect", title=title)
    renderer = BlockRenderer(styles, width, Languages.of(article), structure, section,
                             key="summary", link_notes=link_notes)
    rows = [[f] for f in renderer.render(article.summary, "summary")]
    gap = styles.role("summary").space_after.pt
    return [
        OutlineEntry("summary", title),
        panel(rows, styles, "summary", width, gap),
    ]


def body_flowables(
    article: Article,
    styles: PdfStyles,
    width: float,
    height: float,
    structure: StructureTree,
    wide: WidePlace | None = None,
    link_notes: LinkNotes | None = None,
) -> list[Flowable]:
    """Every body block in order, behind an outline entry for the article's text; ``height``
    is the frame's, ``wide`` the place for a table too wide for it. A related-article box
    prints its address; other links are followed by the mark of their ``link_notes``."""
    renderer = BlockRenderer(styles, width, Languages.of(article), structure, height=height,
                             wide=wide, link_notes=link_notes)  # fmt: skip
    out: list[Flowable] = [OutlineEntry("body", label("article", article.lang))]
    out += renderer.render(with_printed_addresses(article.body))
    return out


def foot_notes(
    article: Article,
    styles: PdfStyles,
    width: float,
    structure: StructureTree,
    link_notes: LinkNotes | None = None,
    links_at_foot: bool = False,
) -> FootNotes | None:
    """The article's notes, set to be placed at the foot of the page that calls them; with
    ``links_at_foot``, the link notes too (after the notes, each brought by its mark, or by
    the note whose text holds the link)."""
    links = link_notes if links_at_foot and link_notes else None
    if not article.footnotes and links is None:
        return None
    renderer = BlockRenderer(styles, width, Languages.of(article), structure, key="note",
                             link_notes=link_notes)  # fmt: skip
    notes = {note.number: renderer.note(note) for note in article.footnotes}
    called = notes_called(article)
    if links is not None:
        entries = link_note_entries(links, styles, width, structure, None)
        notes.update(entries)
        within = dict(called.within)
        for note in article.footnotes:  # a note's links come to the page with the note
            inner = [LINK_NOTES + n for n in note_links(note.blocks, links)]
            within[note.number] = (*within[note.number], *inner)
        within.update({key: () for key in entries})
        called = NotesCalled((*called.order, *entries), within)
    role = styles.role("note-rule")
    rule = (rl_color(role.border_color), role.border_width.pt)  # type: ignore[arg-type]
    return FootNotes(notes, width, role.leading.pt, rule, called)


def note_links(blocks: tuple[Block, ...], links: LinkNotes) -> list[int]:
    """The numbers of the link notes of the links in ``blocks``, in order, each once."""
    numbers = (links.number(node) for node in walk.inlines(blocks) if isinstance(node, Link))
    return list(dict.fromkeys(n for n in numbers if n is not None))


def link_note_entries(
    links: LinkNotes,
    styles: PdfStyles,
    width: float,
    structure: StructureTree,
    parent: Element | None,
) -> dict[int, list[Flowable]]:
    """Each link note as the page's note ``LINK_NOTES + n``: its mark "[n]" ranged right in a
    narrow column, the address beside it as a live link (broken where an address may break).
    Tagged as a Note (read at the end of the document unless placed in ``parent``) holding
    the mark and the Link."""
    note = styles.para("note")
    look = look_of(note)
    link = replace(look, color=styles.color("link"))
    widest = stringWidth(mark(len(links)), note.fontName, note.fontSize)
    column = widest + note.fontSize * 0.6
    left = note.clone("link-note-mark", alignment=TA_RIGHT, hyphenationLang="", spaceAfter=0)
    right = note.clone("link-note", alignment=TA_LEFT, hyphenationLang="", spaceAfter=0)
    out: dict[int, list[Flowable]] = {}
    for number, address in links.entries():
        key = LINK_NOTES + number
        element = structure.note(key)
        if parent is not None:
            structure.place_note(key, parent)
        url = links.addresses[number - 1]
        target = replace(link, link=url, tag=InlineTag("Link", text=address))
        row = [TextBlock([(mark(number), look)], left, tag=element),
               TextBlock([(address, target)], right, tag=element)]
        table = Table([row], colWidths=[column, width - column], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), note.fontName), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LEFTPADDING", (1, 0), (1, 0), note.fontSize * 0.6),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))  # fmt: skip
        table.spaceAfter = note.spaceAfter
        out[key] = [table]
    return out


def links_section(
    article: Article, styles: PdfStyles, width: float, structure: StructureTree,
    links: LinkNotes,
) -> list[Flowable]:  # fmt: skip
    """The link notes as a section of their own at the end, "Links" ("Ссылки"): each
    address under its number, where the marks in the text lead."""
    if not len(links):
        return []
    title = label("links", article.lang)
    heading = plain(title, styles.para("heading-2"), structure.root.add("H2"))
    out: list[Flowable] = [*_section_rule(styles, heading),
                           OutlineEntry("links", title, level=1, keep=True), heading]  # fmt: skip
    for key, flowables in link_note_entries(links, styles, width, structure,
                                            structure.root).items():  # fmt: skip
        out += [Anchor(f"note-{key}"), *flowables]
    return out


def _section_rule(styles: PdfStyles, heading: TextBlock) -> list[Flowable]:
    """The short rule over a section of notes, kept with its heading."""
    role = styles.role("note-rule")
    rule = HRFlowable(width="100%", thickness=role.border_width.pt,
                      color=rl_color(role.border_color),  # type: ignore[arg-type]
                      spaceBefore=heading.style.spaceBefore, spaceAfter=0)  # fmt: skip
    rule.keepWithNext = 1
    return [Tagged(rule, None)]


def notes_section(
    article: Article,
    styles: PdfStyles,
    width: float,
    structure: StructureTree,
    link_notes: LinkNotes | None = None,
) -> list[Flowable]:
    """The notes as a section of their own, "Notes", for an edition without page feet."""
    if not article.footnotes:
        return []
    renderer = BlockRenderer(styles, width, Languages.of(article), structure, key="notes",
                             link_notes=link_notes)  # fmt: skip
    title = label("notes", article.lang)
    heading = plain(title, styles.para("heading-2"), structure.root.add("H2"))
    out: list[Flowable] = [*_section_rule(styles, heading),
                           OutlineEntry("notes", title, level=1, keep=True), heading]  # fmt: skip
    for note in article.footnotes:
        structure.place_note(note.number, structure.root)
        out += [Anchor(f"note-{note.number}"), *renderer.note(note)]
    return out
