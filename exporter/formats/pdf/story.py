"""The edition's content as flowables: title block, summary, body, poll, read-online panel."""

from __future__ import annotations

from reportlab.platypus import Flowable, HRFlowable

from exporter.edition import title_block as edition_title_block
from exporter.formats.pdf.blocks import BlockRenderer, panel
from exporter.formats.pdf.inlines import plain
from exporter.formats.pdf.notes import FootNotes
from exporter.formats.pdf.pages import Anchor, OutlineEntry
from exporter.formats.pdf.styles import PdfStyles, rl_color
from exporter.formats.pdf.tables import WidePlace
from exporter.formats.pdf.tagging import StructureTree, Tagged
from exporter.labels import label
from exporter.model import Article


def title_block(
    article: Article, styles: PdfStyles, structure: StructureTree, cite: bool = True
) -> list[Flowable]:
    """The title matter as the edition layer gives it, top to bottom; without ``cite``, no
    "How to cite" line (the handout's footer is the citation). The title is the document's
    H1; a title in another language is a paragraph in that language."""
    view = edition_title_block(article)
    root = structure.root
    out: list[Flowable] = [
        OutlineEntry("title", view.title),
        plain(view.title, styles.para("title", view.lang), root.add("H1")),
    ]
    if view.subtitle:
        out.append(plain(view.subtitle, styles.para("subtitle", view.lang), root.add("P")))
    out += [plain(title, styles.para("subtitle", other), root.add("P", lang=other))
            for other, title in view.other_titles]  # fmt: skip
    names = BlockRenderer(styles, 0.0, view.lang, structure, key="title")
    for byline in view.bylines:
        out.append(names.text(byline.name, "byline"))
        if byline.affiliation:
            out.append(plain(byline.affiliation, styles.para("affiliation"), root.add("P")))
    for line in (*view.affiliations, *view.contributors):
        out.append(plain(line, styles.para("affiliation"), root.add("P")))
    out.append(plain(view.meta, styles.para("meta"), root.add("P")))
    if view.credit:
        out.append(plain(view.credit, styles.para("meta"), root.add("P")))
    if cite:
        out.append(plain(view.cite, styles.para("meta"), root.add("P")))
    return out


def summary_panel(
    article: Article, styles: PdfStyles, width: float, structure: StructureTree
) -> list[Flowable]:
    """The summary once, in a shaded, ruled box (a section titled "Summary")."""
    if not article.summary:
        return []
    title = label("summary", article.lang)
    section = structure.root.add("Sect", title=title)
    renderer = BlockRenderer(styles, width, article.lang, structure, section, key="summary")
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
    renderer = BlockRenderer(styles, width, article.lang, structure, height=height, wide=wide)
    out: list[Flowable] = [OutlineEntry("body", label("article", article.lang))]
    out += renderer.render(article.body)
    return out


def foot_notes(
    article: Article, styles: PdfStyles, width: float, structure: StructureTree
) -> FootNotes | None:
    """The article's notes, set to be placed at the foot of the page that calls them."""
    if not article.footnotes:
        return None
    renderer = BlockRenderer(styles, width, article.lang, structure, key="note")
    notes = {note.number: renderer.note(note) for note in article.footnotes}
    role = styles.role("note-rule")
    rule = (rl_color(role.border_color), role.border_width.pt)  # type: ignore[arg-type]
    return FootNotes(notes, width, role.leading.pt, rule)


def notes_section(
    article: Article, styles: PdfStyles, width: float, structure: StructureTree
) -> list[Flowable]:
    """The notes as a section of their own, "Notes", for an edition without page feet."""
    if not article.footnotes:
        return []
    renderer = BlockRenderer(styles, width, article.lang, structure, key="notes")
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
