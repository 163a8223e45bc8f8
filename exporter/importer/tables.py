"""A Word table as the model's table: its header row (the repeated header row, else a first
row in bold), the cells' text, each column's alignment; merged cells, pictures and tables in
cells reported."""

from __future__ import annotations

from typing import Any

from exporter import model as m
from exporter.importer.context import Context
from exporter.importer.inlines import InlineReader
from exporter.importer.xml import qn, text_of, wval

_ALIGN = {"left": "left", "start": "left", "right": "right", "end": "right",
          "center": "center"}  # fmt: skip


def read_table(node: Any, ctx: Context) -> tuple[m.Table | None, str, list[str]]:
    """The table, the name of its table style, and the bookmarks in its first row."""
    style_node = node.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
    style = ctx.styles.info(wval(style_node)).name if style_node is not None else ""
    rows: list[list[tuple[m.Inline, ...]]] = []
    aligns: list[list[str]] = []
    bookmarks: list[str] = []
    bold_rows: list[bool] = []
    header_flag = False
    for index, tr in enumerate(_within(node, "w:tr")):
        trpr = tr.find(qn("w:trPr"))
        if index == 0 and trpr is not None and trpr.find(qn("w:tblHeader")) is not None:
            header_flag = wval(trpr.find(qn("w:tblHeader")), "1") not in ("0", "false")
        cells, align, bold = _row(tr, ctx, bookmarks if index == 0 else [])
        rows.append(cells)
        aligns.append(align)
        bold_rows.append(bold)
    if not rows:
        return None, style, bookmarks
    width = max(len(r) for r in rows)
    if any(len(r) < width for r in rows):
        ctx.warn("a table whose rows have different numbers of cells: the short rows are "
                 "padded with empty cells")  # fmt: skip
    rows = [r + [()] * (width - len(r)) for r in rows]
    header = rows[0]
    if header_flag or bold_rows[0]:
        header = [_unbold(cell) for cell in header]
    else:
        ctx.warn("a table without a header row (neither repeated on each page nor in bold): "
                 "its first row is taken as the header")  # fmt: skip
    align = (aligns[0] + [""] * width)[:width]
    table = m.Table(tuple(header), tuple(tuple(r) for r in rows[1:]), tuple(align))
    return table, style, bookmarks


def _row(tr: Any, ctx: Context, bookmarks: list[str]) -> tuple[list[tuple[m.Inline, ...]],
                                                               list[str], bool]:
    cells: list[tuple[m.Inline, ...]] = []
    align: list[str] = []
    all_bold = True
    for tc in _within(tr, "w:tc"):
        tcpr = tc.find(qn("w:tcPr"))
        span = wval(tcpr.find(qn("w:gridSpan"))) if tcpr is not None else None
        merged = tcpr is not None and tcpr.find(qn("w:vMerge")) is not None
        inlines, jc, bold = _cell(tc, ctx, bookmarks)
        if merged and (wval(tcpr.find(qn("w:vMerge"))) or "continue") == "continue":
            ctx.warn("cells merged across rows: the merged cell's text stands in its first row")
        cells.append(inlines)
        align.append(jc)
        all_bold = all_bold and (bold or not inlines)
        if span and span.isdecimal() and 1 < int(span) <= 64:
            ctx.warn("cells merged across columns: the text stands in the first, the others "
                     "are left empty")  # fmt: skip
            cells += [()] * (int(span) - 1)
            align += [jc] * (int(span) - 1)
    return cells, align, all_bold and any(cells)


def _cell(tc: Any, ctx: Context, bookmarks: list[str]) -> tuple[tuple[m.Inline, ...], str, bool]:
    parts: list[tuple[m.Inline, ...]] = []
    jc = ""
    bold = True
    for child in _within(tc, "w:p", "w:tbl"):
        if child.tag == qn("w:tbl"):
            ctx.warn(f"a table inside a table cell (not kept): {text_of(child)[:60]!r}")
            continue
        if child.tag != qn("w:p"):
            continue
        ctx.paragraph += 1
        ctx.words = text_of(child)
        ppr = child.find(qn("w:pPr"))
        style = ctx.styles.info(wval(ppr.find(qn("w:pStyle"))) if ppr is not None else None)
        content = InlineReader(ctx, style).read(child)
        bookmarks += content.bookmarks
        if content.pictures:
            ctx.warn("a picture in a table cell (not kept: a figure stands in the text)")
        if not jc and ppr is not None:
            jc = _ALIGN.get(wval(ppr.find(qn("w:jc"))) or "", "")
        if content.inlines:
            parts.append(_no_breaks(content.inlines, ctx))
            bold = bold and (content.all_bold or "header" in style.name)
    if len(parts) > 1:
        ctx.warn("a table cell of several paragraphs: they are joined into one (a cell of "
                 "the source holds one line)")  # fmt: skip
    joined: list[m.Inline] = []
    for index, part in enumerate(parts):
        if index:
            joined.append(m.Text(" "))
        joined += part
    return tuple(joined), jc, bold and bool(parts)


def _within(node: Any, *tags: str) -> list[Any]:
    """The children of ``node`` with one of ``tags``, those inside content controls
    (``w:sdt``) and custom XML wrappers included, in document order."""
    wanted = {qn(t) for t in tags}
    wrappers = {qn("w:sdt"), qn("w:customXml")}
    found: list[Any] = []
    for child in node:
        if child.tag in wanted:
            found.append(child)
        elif child.tag in wrappers:
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            if content is not None:
                found += _within(content, *tags)
    return found


def _no_breaks(inlines: tuple[m.Inline, ...], ctx: Context) -> tuple[m.Inline, ...]:
    from exporter import walk

    if not any(isinstance(n, m.LineBreak) for n in walk.inline_nodes(inlines)):
        return inlines
    ctx.warn("a line break in a table cell becomes a space (a cell holds one line)")

    def change(node: m.Inline) -> m.Inline:
        return m.Text(" ") if isinstance(node, m.LineBreak) else node

    return walk.map_inline_nodes(inlines, change)


def _unbold(cell: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """A header cell without the bold that made it one."""
    if len(cell) == 1 and isinstance(cell[0], m.Strong):
        return cell[0].children
    return cell
