"""The edition's content as flowables: title block, summary, body, poll, read-online panel."""

from __future__ import annotations

from reportlab.platypus import Flowable, HRFlowable

from exporter.edition import TitleRole as Role
from exporter.edition import notes_called, title_matter
from exporter.formats.pdf.blocks import BlockRenderer, panel
from exporter.formats.pdf.inlines import plain
from exporter.formats.pdf.notes import FootNotes
from exporter.formats.pdf.pages import Anchor, OutlineEntry
from exporter.formats.pdf.styles import PdfStyles, rl_color
from exporter.formats.pdf.tables import WidePlace
from exporter.formats.pdf.tagging import StructureTree, Tagged
from exporter.labels import label
from exporter.languages import Languages
from exporter.model import Article

# The paragraph style of each role of the title matter; the web line is the QR panel's.
_TITLE_STYLES = {
    Role.TITLE: "title", Role.SUBTITLE: "subtitle", Role.TITLE_TRANSLATION: "subtitle",
    Role.BYLINE: "byline", Role.AFFILIATION: "affiliation", Role.CONTRIBUTOR: "affiliation",
    Role.META: "meta", Role.RIGHTS: "meta", Role.CITE: "meta",
}  # fmt: skip


def title_block(
    article: Article, styles: PdfStyles, structure: StructureTree, cite: bool = True
) -> list[Flowable]:
    """The title matter as the edition layer orders it; without ``cite``, no "How to cite"
    line (the handout's footer is the citation). The title is the document's H1 and an
    outline entry; a line in another language is a paragraph in that language."""
    root = structure.root
    names = BlockRenderer(styles, 0.0, Languages.of(article), structure, key="title")
    out: list[Flowable] = []
    for line in title_matter(article):
        if line.role not in _TITLE_STYLES or (line.role == Role.CITE and not cite):
            continue
        style = styles.para(_TITLE_STYLES[line.role], line.lang)
        if line.role == Role.BYLINE:
            out.append(names.text(line.inlines, style))
            continue
        if line.role == Role.TITLE:
            out.append(OutlineEntry("title", line.text))
        lang = line.lang if line.lang != article.lang else None
        tag = root.add("H1" if line.role == Role.TITLE else "P", lang=lang)
        out.append(plain(line.text, style, tag))
    return out


def summary_panel(
    article: Article, styles: PdfStyles, width: float, structure: StructureTree
) -> list[Flowable]:
    """The summary once, in a shaded, ruled box (a section titled "Summary")."""
    if not article.summary:
        return []
    title = label("summary", article.lang)
    section = structure.root.add("Sect", title=title)
    renderer = BlockRenderer(styles, width, Languages.of(article), structure, section,
                             key="summary")
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
) -> list[Flowable]:
    """Every body block in order, behind an outline entry for the article's text; ``height``
    is the frame's, ``wide`` the place for a table too wide for it."""
    renderer = BlockRenderer(styles, width, Languages.of(article), structure, height=height,
                             wide=wide)
    out: list[Flowable] = [OutlineEntry("body", label("article", article.lang))]
    out += renderer.render(article.body)
    return out


def foot_notes(
    article: Article, styles: PdfStyles, width: float, structure: StructureTree
) -> FootNotes | None:
    """The article's notes, set to be placed at the foot of the page that calls them."""
    if not article.footnotes:
        return None
    renderer = BlockRenderer(styles, width, Languages.of(article), structure, key="note")
    notes = {note.number: renderer.note(note) for note in article.footnotes}
    role = styles.role("note-rule")
    rule = (rl_color(role.border_color), role.border_width.pt)  # type: ignore[arg-type]
    return FootNotes(notes, width, role.leading.pt, rule, notes_called(article))


def notes_section(
    article: Article, styles: PdfStyles, width: float, structure: StructureTree
) -> list[Flowable]:
    """The notes as a section of their own, "Notes", for an edition without page feet."""
    if not article.footnotes:
        return []
    renderer = BlockRenderer(styles, width, Languages.of(article), structure, key="notes")
    title = label("notes", article.lang)
    heading = plain(title, styles.para("heading-2"), structure.root.add("H2"))
    role = styles.role("note-rule")
    rule = HRFlowable(width="100%", thickness=role.border_width.pt,
                      color=rl_color(role.border_color),  # type: ignore[arg-type]
                      spaceBefore=heading.style.spaceBefore, spaceAfter=0)  # fmt: skip
    rule.keepWithNext = 1
    out: list[Flowable] = [Tagged(rule, None), OutlineEntry("notes", title, level=1, keep=True),
                           heading]  # fmt: skip
    for note in article.footnotes:
        structure.place_note(note.number, structure.root)
        out += [Anchor(f"note-{note.number}"), *renderer.note(note)]
    return out
