"""The caption lines of tables and figures, numbered as the edition's language words it."""

from __future__ import annotations

from exporter.labels import label
from exporter.model import Figure, Inline, Table, Text


def table_caption(table: Table, lang: str, numbered: bool = True) -> tuple[Inline, ...]:
    """The caption line of a table: "Table 1. " and its caption ("Table 1" alone without);
    without ``numbered`` the caption alone."""
    return _numbered("table", table.number if numbered else 0, table.caption, lang)


def figure_caption(figure: Figure, lang: str, numbered: bool = True) -> tuple[Inline, ...]:
    """The caption line under a figure: "Figure 1. " and its caption, as for a table; a
    decorative image has none."""
    return _numbered("figure", figure.number if numbered else 0, figure.caption, lang)


def _numbered(kind: str, number: int, caption: tuple[Inline, ...], lang: str) -> tuple[Inline, ...]:
    if not number:
        return caption
    name = label(kind, lang, n=number)
    return (Text(f"{name}. "), *caption) if caption else (Text(name),)
