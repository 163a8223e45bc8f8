"""Data tables have roles of their own (``table``, ``table-header`` and the table rules): a
poll restyled leaves every other table as it was, in every edition."""

from __future__ import annotations

import dataclasses
import io

import pytest
from docx import Document

from conftest import ROOT
from exporter.formats import ExportOptions, load_format
from exporter.source import load_article
from exporter.style import Length, StyleSheet, load_style
from exporter.xhtml.css import stylesheet

SAMPLE = ROOT / "source" / "a4-and-letter" / "article.md"  # a table, and no poll
TABLE_ROLES = ("table", "table-header", "table-rule", "table-head-rule")


def _bigger_poll(path, tmp_path) -> StyleSheet:
    house = tmp_path / "house.toml"
    house.write_text(f'extends = "{path}"\n[roles.poll]\nsize = "12pt"\nleading = "15pt"\n'
                     'color = "accent"\n', encoding="utf-8")  # fmt: skip
    return load_style(str(house))


@pytest.mark.parametrize("name", ["default", "handout"])
def test_the_table_roles_are_the_poll_s_values_but_not_the_poll(name, tmp_path):
    style = load_style(name)
    poll, table = style.role("poll"), style.role("table")
    assert dataclasses.replace(table, name="poll") == poll  # as tables looked before
    restyled = _bigger_poll(ROOT / "styles" / f"{name}.toml", tmp_path)
    assert restyled.role("poll").size == Length(12)
    for role in TABLE_ROLES:
        assert restyled.role(role) == style.role(role), role


def test_a_poll_restyled_leaves_a_pdf_without_a_poll_as_it_was(tmp_path):
    article = load_article(SAMPLE)
    restyled = _bigger_poll(ROOT / "styles" / "default.toml", tmp_path)
    editions = []
    for style in (load_style("default"), restyled):
        out = io.BytesIO()
        load_format("pdf")().write(article, style, ExportOptions(embed_fonts=False), out)
        editions.append(out.getvalue())
    assert editions[0] == editions[1]


def test_the_css_writes_the_poll_s_table_rules_only_where_they_differ(tmp_path):
    same = stylesheet(load_style("default"), [])
    assert "table.poll-table" not in same
    restyled = stylesheet(_bigger_poll(ROOT / "styles" / "default.toml", tmp_path), [])
    assert "table.poll-table {" in restyled and "table.poll-table th {" in restyled

    def block(css: str, selector: str) -> str:
        start = css.index(f"\n{selector} {{")
        return css[start : css.index("}", start)]

    for selector in ("table.data-table", "table.data-table th", "table.data-table caption"):
        assert block(same, selector) == block(restyled, selector), selector


def test_word_sets_data_tables_in_table_styles_of_their_own():
    article = load_article(SAMPLE)
    out = io.BytesIO()
    load_format("docx")().write(article, load_style("default"), ExportOptions(embed_fonts=False),
                                out)  # fmt: skip
    document = Document(io.BytesIO(out.getvalue()))
    (table,) = document.tables
    assert table.style.name == "Data Table"
    header, *rows = table.rows
    assert {p.style.name for cell in header.cells for p in cell.paragraphs} == {"Table Header"}
    assert {p.style.name for row in rows for cell in row.cells for p in cell.paragraphs} == {
        "Table"
    }
    assert document.styles["Table Header"].base_style.name == "Table"
    assert "Poll Table" in [s.name for s in document.styles]  # the poll's, apart
