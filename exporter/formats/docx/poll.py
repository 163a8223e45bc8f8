"""The poll in Word: its question, the bar chart as a picture, the caption and the table."""

from __future__ import annotations

import io
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Length

from exporter.edition import PollView, poll_chart_image, poll_view
from exporter.formats.docx.figure import picture
from exporter.formats.docx.ooxml import element, text_runs
from exporter.formats.docx.styles import POLL_TABLE_STYLE, StyleIndex
from exporter.languages import Languages
from exporter.model import Poll
from exporter.style import StyleSheet

_NUMBER_SHARE = 0.14


def write_poll(doc: Any, styles: StyleIndex, poll: Poll, style: StyleSheet,
               languages: Languages, width: Length) -> None:
    """Question, chart picture, caption and answers table, as every edition orders them;
    ``languages`` (the article's) says what each run of text is in."""
    lang = languages.lang
    view = poll_view(poll, lang)
    question = _styled(doc, styles, "Poll Question")
    question._p.extend(text_runs(view.question, lang, languages))
    _chart(doc, styles, view, style, lang, width)
    caption = _styled(doc, styles, "Caption")
    caption.paragraph_format.keep_with_next = True
    caption._p.extend(text_runs(view.caption, lang, languages))
    _table(doc, styles, view, languages, width)


def _styled(doc: Any, styles: StyleIndex, name: str) -> Any:
    para = doc.add_paragraph()
    para._p.style = styles.id(name)
    return para


def _table(doc: Any, styles: StyleIndex, view: PollView, languages: Languages,
           width: Length) -> None:
    rows = [view.columns, *((r.label, r.votes, r.share) for r in view.rows), view.total]
    table = doc.add_table(rows=len(rows), cols=3)
    table._tbl.tblStyle_val = styles.id(POLL_TABLE_STYLE)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    number = Emu(round(width * _NUMBER_SHARE))
    widths = (Emu(width - 2 * number), number, number)
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    for index, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        para_style = "Poll Header" if index in (0, len(rows) - 1) else "Poll"
        for col, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = widths[col]
            para = cell.paragraphs[0]
            para._p.style = styles.id(para_style)
            if col:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            para.paragraph_format.keep_with_next = index < len(rows) - 1
            para._p.extend(text_runs(value, languages.lang, languages))
    mark_header(table)


def mark_header(table: Any) -> None:
    """Repeat the first row on each page and let the table style format it."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(element("w:tblHeader"))
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblLook")):
        tblpr.remove(old)
    tblpr.append(element("w:tblLook", val="0020", firstRow="1", lastRow="0", firstColumn="0",
                         lastColumn="0", noHBand="1", noVBand="1"))


def _chart(doc: Any, styles: StyleIndex, view: PollView, style: StyleSheet, lang: str,
           width: Length) -> None:
    """The edition layer's chart, drawn to PNG as an SVG figure is, as wide as the text."""
    png, _ = picture(poll_chart_image(view, style, width.pt, lang), style, width.pt)
    holder = _styled(doc, styles, "Poll")
    holder.paragraph_format.keep_with_next = True
    run = holder.add_run()
    run.add_picture(io.BytesIO(png), width=width)
    inline = run._r.find(f".//{qn('wp:inline')}")
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("name", view.name)
    doc_pr.set("descr", view.alt)
