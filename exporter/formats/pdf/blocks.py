"""Flowables for the model's blocks: paragraphs, headings, lists, quotes, code, callout boxes."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    ListItem,
    Spacer,
    Table,
    TableStyle,
)

from exporter.edition import figure_caption, table_caption
from exporter.edition.links import LinkNotes
from exporter.formats.pdf.figure import image_flowable
from exporter.formats.pdf.floats import Float, floating
from exporter.formats.pdf.inlines import plain, runs
from exporter.formats.pdf.pages import Anchor, OutlineEntry
from exporter.formats.pdf.poll import data_table_style, poll_flowables
from exporter.formats.pdf.styles import PdfStyles, rl_color
from exporter.formats.pdf.tables import BodyTable, WidePlace, fit_table, placed, scaled
from exporter.formats.pdf.tagging import (
    Element,
    StructureTree,
    Tagged,
    TaggedList,
    table_decoration,
)
from exporter.formats.pdf.textblock import TextBlock, anchor_name, look_of
from exporter.languages import Languages
from exporter.model import (
    Bibliography,
    Block,
    BlockQuote,
    Callout,
    CodeBlock,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Note,
    PollBlock,
    Span,
    Text,
    ThematicBreak,
    note_calls,
    plain_text,
)
from exporter.model import Paragraph as ParagraphBlock
from exporter.model import Table as TableBlock
from exporter.style import heading_rank
from exporter.walk import visitor

_ALIGNMENT = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}
TAB_SIZE = 4  # a tab in code indents to the next multiple of four columns


def panel(
    rows: list[list[Flowable]], styles: PdfStyles, role_name: str, width: float, gap: float
) -> Table:
    """A shaded box with a rule down its left side, one table row per item so it can split.

    ``gap`` is the space between rows; the role's padding surrounds the whole box.
    """
    role = styles.role(role_name)
    pad = role.padding.pt
    table = Table([[row] for row in rows], colWidths=[width], hAlign="LEFT", splitInRow=1,
                  renderCB=table_decoration)  # fmt: skip
    commands: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), styles.font(role_name)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad + role.border_width.pt),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), gap),
        ("TOPPADDING", (0, 0), (-1, 0), pad),
        ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
    ]
    if role.background:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), rl_color(role.background)))
    if role.border_color and role.border_width.pt:
        commands.append(
            ("LINEBEFORE", (0, 0), (0, -1), role.border_width.pt, rl_color(role.border_color))
        )
    table.setStyle(TableStyle(commands))
    table.spaceBefore, table.spaceAfter = role.space_before.pt, role.space_after.pt
    return table


class BlockRenderer:
    """Visits blocks and returns flowables; one ``visit_<kind>`` per block type.

    The blocks' elements of the tagged PDF are made under ``parent`` in ``structure``, in
    reading order; a paragraph that first calls a note is followed by the note's element
    where the tree keeps notes at their calls (see ``StructureTree.called``).
    """

    def __init__(
        self,
        styles: PdfStyles,
        width: float,
        languages: Languages,
        structure: StructureTree,
        parent: Element | None = None,
        key: str = "body",
        height: float = 10_000.0,
        wide: WidePlace | None = None,
        link_notes: LinkNotes | None = None,
    ) -> None:
        self.styles, self.width, self.lang, self.key = styles, width, languages.lang, key
        self.link_notes = link_notes  # the links whose addresses paper prints, numbered
        self.languages = languages  # the article's: what each run of text is in
        self.wide = wide  # a wider place for a table too wide for the column, if any
        self.structure = structure
        self.parent = parent if parent is not None else structure.root
        self.height = height  # of the frame: no figure is taller than most of it
        self.numbered = styles.sheet.numbered_captions
        self.code_font = styles.font("code")
        self.link_color = styles.color("link")
        self.marks = 0
        self.section_level = 0  # level of the heading the next block stands under

    def mark_key(self, kind: str) -> str:
        """A bookmark name unique in the document and the same on every build."""
        self.marks += 1
        return f"{self.key}-{kind}-{self.marks}"

    def text(
        self, inlines: tuple[Inline, ...], role: str | ParagraphStyle, tag: Element | str = "P"
    ) -> TextBlock:
        """A paragraph of ``inlines`` in the style of ``role`` (or in ``role``, a style), the
        content of ``tag`` (an element, or the type of a new one under the current parent)."""
        style = self.styles.para(role) if isinstance(role, str) else role
        element = self.parent.add(tag) if isinstance(tag, str) else tag
        self.structure.called(note_calls(inlines), element)
        words = runs(inlines, look_of(style), self.code_font, self.link_color, self.languages,
                     link_notes=self.link_notes)  # fmt: skip
        return TextBlock(words, style, tag=element)

    def within(self, parent: Element, blocks: tuple[Block, ...], role: str) -> list[Flowable]:
        """``blocks`` rendered as children of ``parent``."""
        outer, self.parent = self.parent, parent
        try:
            return self.render(blocks, role)
        finally:
            self.parent = outer

    def render(self, blocks: tuple[Block, ...], role: str = "body") -> list[Flowable]:
        out: list[Flowable] = []
        for block in blocks:
            out.extend(visitor(self, block, "pdf: ")(block, role))
        return out

    def visit_paragraph(self, block: ParagraphBlock, role: str) -> list[Flowable]:
        return [self.text(block.children, role)]

    def visit_heading(self, block: Heading, role: str) -> list[Flowable]:
        style = f"heading-{heading_rank(block.level)}"
        title = " ".join(plain_text(block.children).split())
        key = anchor_name(block.ident) if block.ident else self.mark_key("heading")
        self.section_level = min(block.level, self.section_level + 1)  # outlines skip no level
        rank = min(self.section_level + 1, 6)  # H1 is the article's title
        return [
            OutlineEntry(key, title, level=self.section_level, keep=True),
            self.text(block.children, style, f"H{rank}"),
        ]

    def visit_block_quote(self, block: BlockQuote, role: str) -> list[Flowable]:
        return self.within(self.parent.add("BlockQuote"), block.blocks, "quote")

    def visit_list_block(self, block: ListBlock, role: str) -> list[Flowable]:
        """A list (L), each item (LI) its label (Lbl) and its body (LBody)."""
        style = self.styles.para(role)
        whole = self.parent.add("L")
        items, labels = [], []
        for item in block.items:
            entry = whole.add("LI")
            label, body = entry.add("Lbl"), entry.add("LBody")
            flowables = self.within(body, item, role)
            if flowables:  # an empty item shows no label either
                items.append(ListItem(flowables))
                labels.append(label)
        kind = "1" if block.ordered else "bullet"
        return [
            TaggedList(
                items,
                labels,
                bulletType=kind,
                start=block.start if block.ordered else "\u2022",
                bulletFormat="%s." if block.ordered else None,
                bulletFontName=style.fontName,
                bulletFontSize=style.fontSize,
                bulletColor=style.textColor,
                leftIndent=style.fontSize * 1.8,
            )
        ]

    def visit_bibliography(self, block: Bibliography, role: str) -> list[Flowable]:
        """The works cited as a list (L), each entry an item (LI) with its number (Lbl)
        where the style numbers them and its text (LBody), the place its citations link to;
        an entry in another language than the article's is tagged with it."""
        style = self.styles.para("bibliography")
        whole = self.parent.add("L")
        numbered = all(entry.label for entry in block.entries)
        items, labels, flowables = [], [], []
        for entry in block.entries:
            item = whole.add("LI")
            label = item.add("Lbl") if numbered else None
            text = (Span(entry.lang, entry.children),) if entry.lang else entry.children
            body = self.within(item.add("LBody"), (ParagraphBlock(text),), "bibliography")
            body.insert(0, Anchor(anchor_name(entry.ident)))
            if label is None:
                flowables += body
            else:
                items.append(ListItem(body))
                labels.append(label)
        if not numbered:
            return flowables
        shape = block.entries[0].label.replace(block.entries[0].label.strip("[]().") or "1", "%s")
        return [TaggedList(items, labels, bulletType="1", start=1, bulletFormat=shape,
                           bulletFontName=style.fontName, bulletFontSize=style.fontSize,
                           bulletColor=style.textColor, leftIndent=style.fontSize * 2.4)]

    def visit_code_block(self, block: CodeBlock, role: str) -> list[Flowable]:
        style = self.styles.para("code")
        text = block.text.expandtabs(TAB_SIZE)
        code = self.parent.add("P").add("Code")
        return [TextBlock([(text, look_of(style))], style, keep_spaces=True, tag=code)]

    def visit_thematic_break(self, block: ThematicBreak, role: str) -> list[Flowable]:
        role = self.styles.role("thematic-break")
        ink = rl_color(role.border_color)  # type: ignore[arg-type]  # a rule role has one
        rule = HRFlowable(width="30%", thickness=role.border_width.pt, color=ink,
                          spaceBefore=role.space_before.pt,
                          spaceAfter=role.space_after.pt)  # fmt: skip
        return [Tagged(rule, None)]

    def visit_callout(self, block: Callout, role: str) -> list[Flowable]:
        box = self.parent.add("Div", title=block.label or block.role)
        rows: list[list[Flowable]] = []
        if block.label:
            rows.append([plain(block.label, self.styles.para("callout-label"), box.add("P"))])
        rows += [[child] for child in self.within(box, block.blocks, "callout")]
        gap = self.styles.role("callout").padding.pt / 2
        key = self.mark_key("callout")
        entry = OutlineEntry(key, block.label or block.role, level=self.section_level + 1)
        return [KeepTogether([entry, panel(rows, self.styles, "callout", self.width, gap)])]

    def visit_table(self, block: TableBlock, role: str) -> list[Flowable]:
        """A caption above a real table: header row repeated on each page, rows split
        between pages, cells wrapped to the column, aligned as the source says. Tagged as
        Table › Caption, THead › TR › TH (each heading its column), TBody › TR › TD. A
        table too wide for the column is fitted (see ``tables``)."""
        cell, head = self.styles.para("table"), self.styles.para("table-header")
        fit = fit_table(block, cell, head, self.lang, self.width, self.wide)
        cell, head = (scaled(s, fit.scale, self.lang, fit.hyphenate) for s in (cell, head))
        aligns = [_ALIGNMENT.get(a, cell.alignment) for a in block.align]
        whole = self.parent.add("Table")
        words = table_caption(block, self.lang, self.numbered)
        caption = self.text(words, "caption", whole.add("Caption")) if words else None
        header_row, body = whole.add("THead").add("TR"), whole.add("TBody")

        def row(cells: tuple, style, tr: Element, kind: str) -> list[Flowable]:  # noqa: ANN001
            out = []
            for inlines, align in zip(cells, aligns, strict=False):
                aligned = style.clone(f"{style.name}-{align}", alignment=align)
                element = tr.add(kind, scope="Column" if kind == "TH" else None)
                out.append(self.text(inlines, aligned, element))
            return out

        rows = [row(block.header, head, header_row, "TH")]
        rows += [row(cells, cell, body.add("TR"), "TD") for cells in block.rows]
        table = BodyTable(rows, colWidths=fit.widths, repeatRows=1, hAlign="LEFT",
                          renderCB=table_decoration)  # fmt: skip
        table.setStyle(data_table_style(self.styles, cell))
        table.spaceAfter = self.styles.role("caption").space_after.pt
        out: list[Flowable] = [Anchor(anchor_name(block.ident))] if block.ident else []
        if caption is not None:
            caption.keepWithNext = 1
            out.append(caption)
        return placed([*out, table], fit, self.wide)

    def visit_figure(self, block: Figure, role: str) -> list[Flowable]:
        """The image as wide as the column and the figure's share of it allow (and no taller
        than most of the frame), its caption and credit under it, all kept on one page: a
        float, which waits for the next frame while the text goes on if it does not fit.
        Tagged as a Div holding the Figure (with the alt text; a decorative image is an
        artifact), its Caption and the credit."""
        group = self.parent.add("Div")
        picture = None if block.decorative else group.add("Figure", alt=block.alt)
        words = figure_caption(block, self.lang, self.numbered)
        texts = [self.text(words, "caption", group.add("Caption"))] if words else []
        if block.credit:
            texts.append(self.text(block.credit, "credit", group.add("P")))
        room = self.height * 0.75 - sum(t.wrap(self.width, 10_000)[1] for t in texts)
        image = image_flowable(block.image, self.styles, self.width * block.width,
                               max(room, self.height * 0.3))  # fmt: skip
        caption = self.styles.role("caption")
        gap = caption.space_before.pt if texts else caption.space_after.pt
        anchor: list[Flowable] = [Anchor(anchor_name(block.ident))] if block.ident else []
        return [Float([*anchor, Spacer(0, caption.space_before.pt * 2),
                       Tagged(image, picture), Spacer(0, gap), *texts])]  # fmt: skip

    def note(self, note: Note) -> list[Flowable]:
        """A note's paragraphs in the note role, the first begun by its number, as the
        content of its Note element."""
        blocks = note.blocks
        mark = Text(f"{note.number}.\u00a0")
        if blocks and isinstance(blocks[0], ParagraphBlock):
            first = blocks[0]
            blocks = (ParagraphBlock((mark, *first.children), first.line), *blocks[1:])
        else:
            blocks = (ParagraphBlock((mark,), note.line), *blocks)
        return self.within(self.structure.note(note.number), blocks, "note")

    def visit_poll_block(self, block: PollBlock, role: str) -> list[Flowable]:
        """The poll (question, chart, caption, figures), kept together as a float."""
        level = self.section_level + 1
        return floating(poll_flowables(block.poll, self.styles, self.width, self.lang,
                                       self.parent, level))  # fmt: skip
