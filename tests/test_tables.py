"""GFM pipe tables in every edition: caption and number, header row, alignment, cells with
inline formatting; read back from each edition."""

from __future__ import annotations

import io
import zipfile

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree
from readers import READERS

from conftest import SEED, SUFFIXES, missing_as_written, small_article
from exporter.cli import cli
from exporter.model import Table, block_texts
from exporter.source import load_article
from exporter.source.markdown import parse_markdown

TABLE = """
| Country | Migrants, 2022 | Share of GDP |
|:--------|---------------:|:------------:|
| Tajikistan | 1 700 000 | 32% |
| *Kyrgyzstan* | 500 000 | [31%](https://example.org/kg?year=2022&source=world_bank) |
| Uzbekistan | `n/a` | 17% |

Table: Labour migrants in Russia and **remittances**
"""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("table")
    head, body = SEED.read_text("utf-8").split("\n---\n", 1)
    source = folder / "article.md"
    source.write_text(f"{head}\n---\n{TABLE}\n{body}", encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return {p.name.split("sanctions")[1]: p.read_bytes() for p in out.iterdir()
            if not p.name.startswith(".")}  # fmt: skip


@pytest.fixture(scope="module")
def table() -> Table:
    (block, *_) = parse_markdown(TABLE, lambda place: "").blocks
    return block


def test_the_source_reads_a_numbered_captioned_aligned_table(table):
    assert table.number == 1 and table.align == ("left", "right", "center")
    assert len(table.header) == 3 and len(table.rows) == 3
    assert [t for t in block_texts((table,))][:2] == [
        "Labour migrants in Russia and remittances", "Country"
    ]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_every_edition_shows_the_caption_and_every_cell_in_order(editions, table, suffix):
    text = READERS["." + suffix.rsplit(".", 1)[1]](editions[suffix])
    expected = ["Table 1. Labour migrants in Russia and remittances"]
    expected += [t for t in block_texts((table,))][1:]
    assert missing_as_written(text, expected) == []


def test_word_has_a_real_table_with_a_repeating_marked_header_row(editions):
    with zipfile.ZipFile(io.BytesIO(editions[".docx"])) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    tables = root.findall(f".//{W}tbl")
    data = [t for t in tables if "Country" in "".join(t.itertext())]
    assert len(data) == 1
    first = data[0].find(f"{W}tr")
    assert first.find(f"{W}trPr/{W}tblHeader") is not None
    rows = data[0].findall(f"{W}tr")
    right = rows[1].findall(f"{W}tc")[1].find(f".//{W}jc")
    assert right is not None and right.get(f"{W}val") == "right"


@pytest.mark.parametrize("suffix", [".epub", ".html"])
def test_html_tables_have_a_caption_and_header_cells_with_scope(editions, suffix):
    data = editions[suffix]
    if suffix == ".epub":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            data = book.read("EPUB/article.xhtml")
    find = lxml.html.fromstring(data).xpath
    (caption,) = find("//table[@class='data-table']/caption")
    assert "".join(caption.itertext()) == "Table 1. Labour migrants in Russia and remittances"
    assert [th.get("scope") for th in find("//table[@class='data-table']//th")] == ["col"] * 3
    assert len(find("//table[@class='data-table']//td[@class='align-right']")) == 3


def test_the_pdf_repeats_the_header_when_a_table_runs_onto_the_next_page(tmp_path):
    rows = "\n".join(f"| Row {n} | {n * 1000} |" for n in range(1, 140))
    head, body = SEED.read_text("utf-8").split("\n---\n", 1)
    source = tmp_path / "article.md"
    source.write_text(f"{head}\n---\n| Item | Value |\n|---|--:|\n{rows}\n\n{body}", "utf-8")
    result = CliRunner().invoke(cli, ["pdf", str(source), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    pages = PdfReader(next(tmp_path.glob("*.pdf"))).pages
    with_rows = [p.extract_text() for p in pages if "Row 1" in (p.extract_text() or "")]
    assert len(with_rows) >= 2
    assert all("Item" in text and "Value" in text for text in with_rows)
    assert load_article(source).body[0].number == 1


def test_columns_take_the_width_their_content_asks_for():
    from exporter.measure import column_widths

    def measure(text: str) -> float:
        return 5.0 * len(text)

    columns = [["Size", "US Letter"], ["Standard", "ANSI/ASME Y14.1 (size A) and more words"],
               ["mm", "215.9"]]  # fmt: skip
    widths = column_widths(columns, measure, 300.0, 10.0)
    assert abs(sum(widths) + 20.0 - 300.0) < 1e-6
    assert widths[1] > widths[0] > widths[2]
    assert all(w >= 5.0 * max(len(x) for cell in col for x in cell.split())
               for w, col in zip(widths, columns, strict=True))  # fmt: skip
    short = column_widths([["a"], ["bb"]], measure, 300.0, 0.0)
    assert short == [100.0, 200.0]  # a table that fits is widened in proportion


# -- tables too wide for their column

LONG_ROWS = [
    ["Methodology", "Respondents", "Geographically", "Participating"],
    ["The survey was conducted geographically", "participating organisations internationally",
     "characteristically", "telecommunications infrastructure"],
]  # fmt: skip
LONG_WORDS = "Text before the table.\n\n{}\n|---|---|---|---|\n{}\n\nText after.\n".format(
    *("| " + " | ".join(row) + " |" for row in LONG_ROWS)
)


def test_handout_cells_break_words_only_at_hyphenation_points(tmp_path):
    from readers import pdf_raw_text

    source = small_article(tmp_path / "a", LONG_WORDS)
    result = CliRunner().invoke(cli, ["handout", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    raw = pdf_raw_text((tmp_path / "out" / "notes-everywhere-handout.pdf")
                       .read_bytes())  # fmt: skip
    table = raw[raw.index("Methodology"):raw.index("Text after.")]
    words = " ".join(cell for row in LONG_ROWS for cell in row).split()
    assert table.replace("\u00ad\n", "").split() == words  # no word cut or changed


def _wide_table(columns: int) -> str:
    head = "| " + " | ".join(f"Col{i}" for i in range(columns)) + " |"
    rule = "|" + "|".join("---" for _ in range(columns)) + "|"
    rows = "\n".join("| " + " | ".join(str(100 + r * columns + i) for i in range(columns))
                     + " |" for r in range(4))  # fmt: skip
    return f"Text before.\n\n{head}\n{rule}\n{rows}\n\nText after the table.\n"


def test_a_table_too_wide_for_a_column_spans_the_handout_and_turns_the_article_page(tmp_path):
    from pypdf import PdfReader

    source = small_article(tmp_path / "a", _wide_table(24))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["pdf", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["handout", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    article = PdfReader(out / "notes-everywhere.pdf")
    turned = [p for p in article.pages if p.mediabox.width > p.mediabox.height]
    assert len(turned) == 1 and "Col23" in turned[0].extract_text()
    import re
    import subprocess

    handout = out / "notes-everywhere-handout.pdf"
    boxes = subprocess.run(["pdftotext", "-bbox", str(handout), "-"], capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    page = next(p for p in boxes.split("<page ")[1:] if ">Col23<" in p)
    width = float(re.search(r'width="([\d.]+)"', page).group(1))
    xs = {m[2]: float(m[1]) for m in re.finditer(r'xMin="([\d.]+)"[^>]*>([^<]+)<', page)}
    assert xs["Col0"] < width / 2 < xs["Col23"] < width  # across both columns, on the page


def test_a_table_no_place_can_hold_is_refused_with_what_fits(tmp_path):
    source = small_article(tmp_path / "a", _wide_table(40))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert "has 40 columns: set at 6 pt it needs" in result.output
    assert "such columns fit: split it into narrower tables" in result.output
    assert not out.exists() or list(out.iterdir()) == []
