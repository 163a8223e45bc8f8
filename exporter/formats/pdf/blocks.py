"""Flowables for the model's blocks: paragraphs, headings, lists, quotes, code, callout boxes."""

from __future__ import annotations

import re

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Spacer,
    Table,
    TableStyle,
)

from exporter.edition import figure_caption, table_caption
from exporter.errors import FormatError
from exporter.formats.measure import column_widths
from exporter.formats.pdf.figure import image_flowable
from exporter.formats.pdf.inlines import plain, runs
from exporter.formats.pdf.pages import Anchor, OutlineEntry
from exporter.formats.pdf.poll import data_table_style, poll_flowables
from exporter.formats.pdf.styles import PdfStyles, rl_color
from exporter.formats.pdf.textblock import TextBlock, anchor_name, look_of
from exporter.model import (
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
    Text,
    ThematicBreak,
    plain_text,
)
from exporter.model import Paragraph as ParagraphBlock
from exporter.model import Table as TableBlock
from exporter.style import heading_rank

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
    table = Table([[row] for row in rows], colWidths=[width], hAlign="LEFT", splitInRow=1)
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
    """Visits blocks and returns flowables; one ``visit_<kind>`` per block type."""

    def __init__(
        self,
        styles: PdfStyles,
        width: float,
        lang: str,
        key: str = "body",
        height: float = 10_000.0,
    ) -> None:
        self.styles, self.width, self.lang, self.key = styles, width, lang, key
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

    def text(self, inlines: tuple[Inline, ...], role: str) -> TextBlock:
        """A paragraph of ``inlines`` in the style of ``role``."""
        style = self.styles.para(role)
        return TextBlock(runs(inlines, look_of(style), self.code_font, self.link_color), style)

    def render(self, blocks: tuple[Block, ...], role: str = "body") -> list[Flowable]:
        out: list[Flowable] = []
        for block in blocks:
            name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(block).__name__).lower()
            visit = getattr(self, f"visit_{name}", None)
            if visit is None:
                line = getattr(block, "line", 0)
                raise FormatError(f"pdf: cannot render {type(block).__name__} (source line {line})")
            out.extend(visit(block, role))
        return out

    def visit_paragraph(self, block: ParagraphBlock, role: str) -> list[Flowable]:
        return [self.text(block.children, role)]

    def visit_heading(self, block: Heading, role: str) -> list[Flowable]:
        style = f"heading-{heading_rank(block.level)}"
        title = " ".join(plain_text(block.children).split())
        key = anchor_name(block.ident) if block.ident else self.mark_key("heading")
        self.section_level = min(block.level, self.section_level + 1)  # outlines skip no level
        return [
            OutlineEntry(key, title, level=self.section_level, keep=True),
            self.text(block.children, style),
        ]

    def visit_block_quote(self, block: BlockQuote, role: str) -> list[Flowable]:
        return self.render(block.blocks, "quote")

    def visit_list_block(self, block: ListBlock, role: str) -> list[Flowable]:
        style = self.styles.para(role)
        items = [ListItem(self.render(item, role)) for item in block.items]
        kind = "1" if block.ordered else "bullet"
        return [
            ListFlowable(
                items,
                bulletType=kind,
                start=block.start if block.ordered else "\u2022",
                bulletFormat="%s." if block.ordered else None,
                bulletFontName=style.fontName,
                bulletFontSize=style.fontSize,
                bulletColor=style.textColor,
                leftIndent=style.fontSize * 1.8,
            )
        ]

    def visit_code_block(self, block: CodeBlock, role: str) -> list[Flowable]:
        style = self.styles.para("code")
        text = block.text.expandtabs(TAB_SIZE)
        return [TextBlock([(text, look_of(style))], style, keep_spaces=True)]

    def visit_thematic_break(self, block: ThematicBreak, role: str) -> list[Flowable]:
        role = self.styles.role("thematic-break")
        ink = rl_color(role.border_color)  # type: ignore[arg-type]  # a rule role has one
        return [
            HRFlowable(width="30%", thickness=role.border_width.pt, color=ink,
                       spaceBefore=role.space_before.pt, spaceAfter=role.space_after.pt)
        ]  # fmt: skip

    def visit_callout(self, block: Callout, role: str) -> list[Flowable]:
        rows: list[list[Flowable]] = []
        if block.label:
            rows.append([plain(block.label, self.styles.para("callout-label"))])
        rows += [[child] for child in self.render(block.blocks, "callout")]
        gap = self.styles.role("callout").padding.pt / 2
        key = self.mark_key("callout")
        entry = OutlineEntry(key, block.label or block.role, level=self.section_level + 1)
        return [KeepTogether([entry, panel(rows, self.styles, "callout", self.width, gap)])]

    def visit_table(self, block: TableBlock, role: str) -> list[Flowable]:
        """A caption above a real table: header row repeated on each page, rows split
        between pages, cells wrapped to the column, aligned as the source says."""
        cell, head = self.styles.para("poll"), self.styles.para("table-header")
        aligns = [_ALIGNMENT.get(a, cell.alignment) for a in block.align]

        def row(cells: tuple, style) -> list[Flowable]:  # noqa: ANN001
            out = []
            for inlines, align in zip(cells, aligns, strict=False):
                aligned = style.clone(f"{style.name}-{align}", alignment=align)
                out.append(TextBlock(runs(inlines, look_of(aligned), self.code_font,
                                          self.link_color), aligned))  # fmt: skip
            return out

        rows = [row(block.header, head)] + [row(cells, cell) for cells in block.rows]
        table = Table(rows, colWidths=self._column_widths(block, cell, head), repeatRows=1,
                      hAlign="LEFT")  # fmt: skip
        table.setStyle(data_table_style(self.styles, cell))
        table.spaceAfter = self.styles.role("caption").space_after.pt
        out: list[Flowable] = [Anchor(anchor_name(block.ident))] if block.ident else []
        words = table_caption(block, self.lang, self.numbered)
        if words:
            caption = self.text(words, "caption")
            caption.keepWithNext = 1
            out.append(caption)
        return [*out, table]

    def _column_widths(self, block: TableBlock, cell, head) -> list[float]:  # noqa: ANN001
        """Each column as wide as its content asks, within the column of text; the last has
        no padding after it (see ``data_table_style``)."""
        count = len(block.align)
        gap = cell.fontSize  # the right padding of every cell but the last column's

        def measure(text: str) -> float:
            return max(stringWidth(text, cell.fontName, cell.fontSize),
                       stringWidth(text, head.fontName, head.fontSize))  # fmt: skip

        columns = [[plain_text(r[i]) for r in (block.header, *block.rows) if i < len(r)]
                   for i in range(count)]  # fmt: skip
        widths = column_widths(columns, measure, self.width, gap)
        return [w + (gap if i < count - 1 else 0.0) for i, w in enumerate(widths)]

    def visit_figure(self, block: Figure, role: str) -> list[Flowable]:
        """The image as wide as the column and the figure's share of it allow (and no taller
        than most of the frame), its caption and credit under it, all kept on one page."""
        words = figure_caption(block, self.lang, self.numbered)
        texts = [self.text(words, "caption")] if words else []
        if block.credit:
            texts.append(self.text(block.credit, "credit"))
        room = self.height * 0.75 - sum(t.wrap(self.width, 10_000)[1] for t in texts)
        image = image_flowable(block.image, self.styles, self.width * block.width,
                               max(room, self.height * 0.3))  # fmt: skip
        caption = self.styles.role("caption")
        gap = caption.space_before.pt if texts else caption.space_after.pt
        anchor: list[Flowable] = [Anchor(anchor_name(block.ident))] if block.ident else []
        return [KeepTogether([*anchor, Spacer(0, caption.space_before.pt * 2), image,
                              Spacer(0, gap), *texts])]  # fmt: skip

    def note(self, note: Note) -> list[Flowable]:
        """A note's paragraphs in the note role, the first begun by its number."""
        blocks = note.blocks
        mark = Text(f"{note.number}.\u00a0")
        if blocks and isinstance(blocks[0], ParagraphBlock):
            first = blocks[0]
            blocks = (ParagraphBlock((mark, *first.children), first.line), *blocks[1:])
        else:
            blocks = (ParagraphBlock((mark,), note.line), *blocks)
        return self.render(blocks, "note")

    def visit_poll_block(self, block: PollBlock, role: str) -> list[Flowable]:
        level = self.section_level + 1
        return poll_flowables(block.poll, self.styles, self.width, self.lang, level)
