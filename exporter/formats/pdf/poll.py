"""The poll: the edition layer's bar chart drawn as vectors (as an SVG figure is), plus the
table of figures."""

from __future__ import annotations

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from exporter.edition import PollView, poll_chart_image, poll_view
from exporter.formats.pdf.figure import image_flowable
from exporter.formats.pdf.inlines import plain
from exporter.formats.pdf.pages import OutlineEntry
from exporter.formats.pdf.styles import PdfStyles, rl_color
from exporter.formats.pdf.tagging import Element, Tagged, table_decoration
from exporter.model import Poll


def _row(
    texts: tuple[str, str, str],
    text_style: ParagraphStyle,
    number_style: ParagraphStyle,
    tr: Element,
    header: bool = False,
) -> list[Flowable]:
    """One table row: a text cell (the row's header), then right-aligned figures (column
    headers in the ``header`` row)."""
    first, *figures = texts
    kind, scope = ("TH", "Column") if header else ("TD", None)
    cells = [plain(first, text_style, tr.add("TH", scope="Column" if header else "Row"))]
    cells += [plain(f, number_style, tr.add(kind, scope=scope)) for f in figures]
    return cells


def poll_table(view: PollView, styles: PdfStyles, width: float, parent: Element) -> Table:
    """The figures: one row per answer with votes and share, then the total. Tagged as a
    Table: the column headers in THead, each answer's row headed by the answer, the total
    in TFoot."""
    cell, head = styles.para("poll"), styles.para("poll-header")
    number = cell.clone(f"{cell.name}-number", alignment=TA_RIGHT)
    head_number = head.clone(f"{head.name}-number", alignment=TA_RIGHT)
    table_element = parent.add("Table")
    rows = [_row(view.columns, head, head_number, table_element.add("THead").add("TR"), True)]
    body = table_element.add("TBody")
    rows += [_row((row.label, row.votes, row.share), cell, number, body.add("TR"))
             for row in view.rows]  # fmt: skip
    rows.append(_row(view.total, head, head_number, table_element.add("TFoot").add("TR")))
    figure_width = stringWidth("0000", styles.font("poll-header"), head.fontSize) * 2
    widths = [width - 2 * figure_width, figure_width, figure_width]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT",
                  renderCB=table_decoration)  # fmt: skip
    table.setStyle(data_table_style(styles, cell, total=True))
    return table


def data_table_style(styles: PdfStyles, cell: ParagraphStyle, total: bool = False) -> TableStyle:
    """Rules under the header and between rows; with a ``total`` row, a heavier rule over
    it. The rules are the style's table-rule and table-head-rule."""
    row, head = styles.role("table-rule"), styles.role("table-head-rule")
    row_rule = (row.border_width.pt, rl_color(row.border_color))  # type: ignore[arg-type]
    head_rule = (head.border_width.pt, rl_color(head.border_color))  # type: ignore[arg-type]
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), styles.font("poll")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), cell.fontSize),
        ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), cell.leading * 0.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), cell.leading * 0.3),
        ("LINEBELOW", (0, 0), (-1, 0), *head_rule),
    ]
    if total:
        commands += [("LINEBELOW", (0, 1), (-1, -3), *row_rule),
                     ("LINEABOVE", (0, -1), (-1, -1), *head_rule)]  # fmt: skip
    else:
        commands.append(("LINEBELOW", (0, 1), (-1, -1), *row_rule))
    return TableStyle(commands)


def poll_flowables(
    poll: Poll, styles: PdfStyles, width: float, lang: str, parent: Element, level: int = 1
) -> list[Flowable]:
    """Question, chart, caption and table (as every edition orders them), kept together;
    tagged as a section titled as the poll, the chart (the edition layer's SVG, drawn as
    vectors in the style's fonts) a Figure whose alternative text states every answer's share
    and votes."""
    view = poll_view(poll, lang)
    chart_gap = styles.role("poll-question").space_after.pt
    chart = image_flowable(poll_chart_image(view, styles.sheet, width, lang), styles, width,
                           float("inf"), figure=False)  # fmt: skip
    section = parent.add("Sect", title=view.name)
    parts: list[Flowable] = [
        OutlineEntry(view.id, view.name, level),
        plain(view.question, styles.para("poll-question"), section.add("P")),
        Tagged(chart, section.add("Figure", alt=view.alt)),
        Spacer(0, chart_gap),
        plain(view.caption, styles.para("caption"), section.add("Caption")),
        poll_table(view, styles, width, section),
    ]
    return [KeepTogether(parts)]
