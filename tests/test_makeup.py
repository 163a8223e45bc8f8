"""Page make-up of the two PDF editions, read back with poppler (``pdftotext -bbox``):
floats go to the top of the next page or column and the text fills the room they leave,
a heading stands with the first lines of its text, a table breaks with two body rows on
each side, and the handout's last page has balanced columns."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from readers import tree_text
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from conftest import small_article
from exporter.cli import cli
from exporter.formats.pdf.tables import MIN_ROWS, BodyTable
from exporter.style import load_style

TEXT = ("page make-up sets text in columns and pages so that every page is full and every "
        "figure stands near its call while the reader never meets a gap")
WORDS = TEXT.split()
MOST_EMPTY = 0.15  # of the text area: the most any page but the last leaves empty at its foot


def paragraph(n: int, words: int) -> str:
    """Paragraph ``n``: ``words`` words, starting with its own mark ``Pn``."""
    return f"P{n} " + " ".join(WORDS[(n + i) % len(WORDS)] for i in range(words))


def tall_png(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (900, 1100), (90, 90, 160)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())


def build(tmp_path: Path, body: str, edition: str = "pdf", figure: bool = False) -> Path:
    source = small_article(tmp_path / "a", body)
    if figure:
        tall_png(source.parent / "figures" / "tall.png")
    result = CliRunner().invoke(cli, [edition, str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    suffix = "-handout.pdf" if edition == "handout" else ".pdf"
    return tmp_path / "out" / f"notes-everywhere{suffix}"


Line = tuple[int, float, float, float, str]  # page, left, top, bottom, text


def lines(path: Path) -> list[Line]:
    """Every line of text in the text area (no running head or footer), by page, with
    its box (points from the top), as poppler lays the words out."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    style = load_style("handout" if path.name.endswith("-handout.pdf") else "default").page
    top, bottom = style.margin_top.pt, style.height.pt - style.margin_bottom.pt
    out: list[Line] = []
    for number, page in enumerate(xml.split("<page ")[1:], start=1):
        for match in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" '
                                 r'yMax="([\d.]+)">(.*?)</line>', page, re.S):  # fmt: skip
            words = re.findall(r">([^<]*)</word>", match.group(4))
            y0, y1 = float(match.group(2)), float(match.group(3))
            if y0 >= top - 1 and y1 <= bottom + 1:
                out.append((number, float(match.group(1)), y0, y1, " ".join(words)))
    return out


def empty_feet(path: Path, columns: int = 1) -> list[float]:
    """For each page but the last, the largest share of the text area left empty under
    the lowest line of a column."""
    found = lines(path)
    style = load_style("handout" if columns > 1 else "default").page
    top, bottom = style.margin_top.pt, style.height.pt - style.margin_bottom.pt
    middle = style.margin_left.pt + style.column_width.pt + style.column_gap.pt / 2
    last = max(page for page, *_ in found)
    shares = []
    for number in range(1, last):
        on_page = [line for line in found if line[0] == number]
        for column in range(columns):
            bottoms = [y1 for _, x, _, y1, _ in on_page
                       if columns == 1 or (x < middle) == (column == 0)]  # fmt: skip
            shares.append((bottom - max(bottoms, default=top)) / (bottom - top))
    return shares


def test_a_figure_that_does_not_fit_floats_and_the_text_fills_the_page(tmp_path):
    paragraphs = [paragraph(n, 60 + 13 * (n % 4)) for n in range(1, 16)]
    figure = '![A tall block.](figures/tall.png "The tall figure.")'
    body = "\n\n".join([paragraphs[0], figure, *paragraphs[1:]]) + "\n"
    path = build(tmp_path, body, figure=True)
    assert max(empty_feet(path)) <= MOST_EMPTY
    found = lines(path)
    captions = [line for line in found if "The tall figure." in line[4]]
    assert len(captions) == 1  # never lost, never twice
    p2 = next(line for line in found if line[4].startswith("P2 "))
    assert p2[0] == 1 and captions[0][0] == 2  # the text after it filled the first page
    assert not any(line[0] == 2 and line[2] < captions[0][2] - 100 for line in found)
    order = tree_text(path)  # read in the order of the source all the same
    assert order.index("P1 ") < order.index("The tall figure.") < order.index("P2 ")


def test_floats_keep_their_order(tmp_path):
    paragraphs = [paragraph(n, 70) for n in range(1, 12)]
    first = '![First block.](figures/tall.png "Figure one.")'
    second = '![Second block.](figures/tall.png "Figure two.")'
    body = "\n\n".join([*paragraphs[:3], first, second, *paragraphs[3:]]) + "\n"
    path = build(tmp_path, body, figure=True)
    found = lines(path)
    one = [(p, y) for p, _, y, _, text in found if "Figure one." in text]
    two = [(p, y) for p, _, y, _, text in found if "Figure two." in text]
    assert len(one) == len(two) == 1 and one[0] < two[0]


def test_a_heading_stands_with_the_first_two_lines_of_its_text(tmp_path):
    sections = [f"## Section {n}\n\n{paragraph(n, 40 + 37 * (n % 5))}" for n in range(1, 31)]
    path = build(tmp_path, "\n\n".join(sections) + "\n")
    found = lines(path)
    for index, (page, _, _, _, text) in enumerate(found):
        if re.fullmatch(r"Section \d+", text):
            after = found[index + 1 : index + 3]
            assert len(after) == 2 and all(line[0] == page for line in after), text
    assert max(empty_feet(path)) <= MOST_EMPTY


def test_a_table_breaks_with_two_body_rows_on_each_side(tmp_path):
    rows = "".join(f"| R{n} | {n} |\n" for n in range(1, 41))
    intro = "\n\n".join(paragraph(n, 60) for n in range(1, 9))
    body = f"{intro}\n\n| Name | Value |\n|---|---|\n{rows}\nTable: Forty rows.\n\nThe end.\n"
    path = build(tmp_path, body)
    found = lines(path)
    pages = {}
    for page, _, _, _, text in found:
        if re.match(r"R\d+\b", text):
            pages.setdefault(page, []).append(text)
    assert sum(len(r) for r in pages.values()) == 40
    assert len(pages) >= 2 and all(len(r) >= MIN_ROWS for r in pages.values())
    heads = [page for page, *_, text in found if text.startswith("Name")]
    assert sorted(heads) == sorted(pages)  # the header row over each part


def test_a_body_table_never_leaves_one_row_alone():
    style = ParagraphStyle("cell", fontSize=10, leading=12)
    names = ["H0", *(f"R{i}" for i in range(1, 6))]
    data = [[Paragraph(name, style)] for name in names]
    table = BodyTable(data, repeatRows=1)
    _, whole = table.wrap(200, 1000)
    row = whole / 6
    assert table.split(200, row * 2.5) == []  # the header and one row: it moves on whole
    head, tail = table.split(200, row * 5.5)  # four of five rows fit: two stay, two... go on
    assert len(head._cellvalues) - 1 >= MIN_ROWS and len(tail._cellvalues) - 1 >= MIN_ROWS
    short = BodyTable(data[:4], repeatRows=1)  # three body rows: never broken
    short.wrap(200, 1000)
    assert short.split(200, row * 3.5) == []


@pytest.mark.slow
def test_the_handout_balances_the_columns_of_its_last_page(tmp_path):
    body = "\n\n".join(paragraph(n, 45 + 9 * (n % 3)) for n in range(1, 12)) + "\n"
    path = build(tmp_path, body, "handout")
    found = lines(path)
    style = load_style("handout")
    page = style.page
    middle = page.margin_left.pt + page.column_width.pt + page.column_gap.pt / 2
    last = max(line[0] for line in found)
    left = max(y1 for p, x, _, y1, _ in found if p == last and x < middle)
    right = max((y1 for p, x, _, y1, _ in found if p == last and x >= middle), default=0.0)
    leading = style.role("body").leading.pt
    assert right > 0 and abs(left - right) <= 3 * leading
    text = " ".join(line[4] for line in found)
    assert all(f"P{n} " in text for n in range(1, 12))
