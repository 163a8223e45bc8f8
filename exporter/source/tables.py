"""Reads a GFM pipe table's tokens into a model table, checking each row against the
header (a row the parser would cut short is refused, a short one padded and said)."""

from __future__ import annotations

import re
from typing import Any

from exporter import model as m

_ROW_PREFIX = re.compile(r"[ \t>]*")  # a table row's indent and block-quote marks


class TableReader:
    """The table part of the Markdown reader: it needs the source ``lines``, ``problems``
    and ``warnings`` lists of (line, column, message), and ``inlines`` for a cell."""

    lines: list[str]
    problems: list[tuple[int, int, str]]
    warnings: list[tuple[int, int, str]]

    def inlines(self, inline_tok: Any, line: int) -> tuple[m.Inline, ...]:
        raise NotImplementedError

    def table(self, tokens: list[Any], i: int, end: int, line: int) -> m.Table:
        rows: list[tuple[m.Cell, ...]] = []
        align: list[str] = []
        row: list[m.Cell] = []
        for j in range(i, end):
            tok = tokens[j]
            if tok.type in ("th_open", "td_open"):
                if not rows:
                    style = str(tok.attrs.get("style", ""))
                    align.append(style.removeprefix("text-align:") if style else "")
                row.append(self.inlines(tokens[j + 1], line))
            elif tok.type == "tr_close":
                rows.append(tuple(row))
                row = []
        body = [t.map[0] for t in tokens[i:end] if t.type == "tr_open" and t.map]
        self.check_rows(body[1:], len(rows[0]))
        return m.Table(rows[0], tuple(rows[1:]), tuple(align), line=line)

    def check_rows(self, numbers: list[int], columns: int) -> None:
        """A row with more cells than the header is refused at its first extra cell (the
        parser would drop it); a shorter one is padded with empty cells, and said."""
        from markdown_it.rules_block.table import escapedSplit

        for number in numbers:
            text = self.lines[number]
            prefix = len(_ROW_PREFIX.match(text).group())  # type: ignore[union-attr]
            cells = escapedSplit(text[prefix:].rstrip())
            lead = 1 if cells and cells[0] == "" else 0
            cells = cells[lead:-1] if len(cells) > lead and cells[-1] == "" else cells[lead:]
            if len(cells) > columns:
                column = prefix + _after_pipe(text[prefix:], columns + lead)
                column += len(text[column:]) - len(text[column:].lstrip())
                self.problems.append((number, column, f"this row has {len(cells)} cells and "
                                      f"the header {columns}: the cells from here on would be "
                                      "lost; add a column to the header or join the cells"))
            elif len(cells) < columns:
                self.warnings.append((number, prefix, f"this row has {len(cells)} of the "
                                      f"table's {columns} cells; the rest are left empty"))


def _after_pipe(text: str, count: int) -> int:
    """The index just after the ``count``-th unescaped ``|`` of ``text`` (as the table
    parser splits cells)."""
    escaped = False
    for at, char in enumerate(text):
        if char == "|" and not escaped:
            count -= 1
            if count == 0:
                return at + 1
        escaped = char == "\\"
    return len(text)
