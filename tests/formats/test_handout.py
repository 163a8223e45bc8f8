"""The print handout, read back with poppler, pypdf, pdfminer and a QR decoder (zxing-cpp)."""

from __future__ import annotations

import dataclasses
import io
import itertools
import subprocess

import pypdf
import pytest
from test_pdf import (
    body_text,
    chars_by_font,
    font_problems,
    link_targets,
    outline_titles,
    pdf_text,
    poll_figures_in_order,
    render,
    run,
    text_lines_with_boxes,
    tool,
    xmp_tree,
)

from conftest import normalize
from exporter.formats import ExportOptions
from exporter.formats.pdf import HandoutFormat
from exporter.formats.pdf.render import render_pdf
from exporter.model import Paragraph
from exporter.style import Length

MAX_PAGES = 4


@pytest.fixture(scope="module")
def handout_bytes(article, handout_style) -> bytes:
    return render(HandoutFormat(), article, handout_style)


@pytest.fixture(scope="module")
def reader(handout_bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(handout_bytes))


@pytest.fixture(scope="module")
def decoded_qr_codes(handout_bytes, tmp_path_factory) -> list[str]:
    """The QR codes on page 1, decoded from a 200 dpi rendering."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    folder = tmp_path_factory.mktemp("qr")
    pdf = folder / "handout.pdf"
    pdf.write_bytes(handout_bytes)
    subprocess.run(
        [
            tool("pdftoppm"),
            "-png",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(folder / "page"),
        ],
        check=True,
    )
    image = Image.open(next(folder.glob("page*.png")))
    return sorted(r.text for r in zxingcpp.read_barcodes(image) if r.format.name == "QRCode")


def test_plugin_attributes():
    assert (HandoutFormat.name, HandoutFormat.suffix, HandoutFormat.default_style) == (
        "handout",
        "-handout.pdf",
        "handout",
    )
    assert HandoutFormat.filename("x") == "x-handout.pdf"
    assert HandoutFormat.media_type == "application/pdf"


def test_verify_accepts_the_handout(handout_bytes):
    HandoutFormat().verify(handout_bytes)


def test_at_most_four_a4_pages(reader):
    assert 1 <= len(reader.pages) <= MAX_PAGES
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (
            595.3,
            841.9,
        )


def test_body_is_not_shrunk_below_8_5_pt(handout_style, handout_bytes):
    assert handout_style.role("body").size.pt >= 8.5
    sizes = chars_by_font(handout_bytes)
    assert min(sizes["PTSerif-Regular"]) >= 8.5


def test_two_columns(handout_style, handout_bytes):
    page = handout_style.page
    _, lines, _ = text_lines_with_boxes(handout_bytes)[1]
    body_lines = [ln for ln in lines if ln.y0 > page.margin_bottom.pt]
    lefts = {round(ln.x0) for ln in body_lines}
    second = (
        page.margin_left.pt
        + (page.width.pt - page.margin_left.pt - page.margin_right.pt + page.column_gap.pt) / 2
    )
    assert round(page.margin_left.pt) in lefts
    assert any(abs(x - second) < 1.5 for x in lefts)
    full = page.width.pt - page.margin_left.pt - page.margin_right.pt
    assert all(ln.x1 - ln.x0 < full / 2 for ln in body_lines)


def test_text_holds_every_passage_in_order_once(
    handout_bytes, handout_style, tmp_path, assert_passages_in_order
):
    assert_passages_in_order(body_text(handout_bytes, handout_style.page, tmp_path))


def test_poll_figures(article, handout_bytes, tmp_path):
    text = normalize(pdf_text(handout_bytes, tmp_path))
    assert article.polls[0].question in text
    assert poll_figures_in_order(text)
    assert not any(p.images for p in pypdf.PdfReader(io.BytesIO(handout_bytes)).pages)


def test_first_page_has_titles_summary_and_read_online_panel(article, handout_bytes, tmp_path):
    first = normalize(pdf_text(handout_bytes, tmp_path, "-f", "1", "-l", "1"))
    assert normalize(article.title["en"]) in first and normalize(article.title["ru"]) in first
    assert normalize("Tajikistan’s overwhelming dependence on foreign subsidies") in first
    assert "READ ONLINE" in first
    assert "ENGLISH" in first and "RUSSIAN" in first


def test_qr_codes_decode_to_both_web_addresses(article, decoded_qr_codes):
    assert decoded_qr_codes == sorted([article.web["en"], article.web["ru"]])


def test_qr_codes_are_labelled_by_language_in_the_editions_language(handout_bytes):
    _, lines, _ = text_lines_with_boxes(handout_bytes)[0]
    labels = {ln.get_text().strip(): ln for ln in lines}
    assert labels["ENGLISH"].x0 < labels["RUSSIAN"].x0
    assert "Web edition" in labels and "Веб-версия" not in labels


def test_footer_on_every_page_with_citation_and_page_numbers(
    article, reader, handout_bytes, tmp_path
):
    pages = len(reader.pages)
    for number in range(1, pages + 1):
        text = normalize(pdf_text(handout_bytes, tmp_path, "-f", str(number), "-l", str(number)))
        assert "Evgeniya Makhmutova (Voyko). “Does Tajikistan Have a Choice" in text
        assert f"Page {number} of {pages}" in text


def test_fonts_embedded_and_never_base14(handout_bytes, tmp_path):
    assert font_problems(handout_bytes) == []
    out = run("pdffonts", data=handout_bytes, tmp_path=tmp_path)
    for row in out.splitlines()[2:]:
        assert row.split()[-5:-3] == ["yes", "yes"], row
        assert row.split()[0].split("+")[-1].startswith(("PTSerif", "PTSans")), row


def test_metadata_outline_links_and_qpdf(article, reader, handout_bytes, tmp_path):
    meta = run("pdfinfo", "-meta", data=handout_bytes, tmp_path=tmp_path)
    assert article.title["en"] in meta and article.title["ru"] in meta
    assert xmp_tree(meta) is not None
    assert reader.metadata["/Title"] == article.title["en"]
    assert "handout" in reader.metadata["/Creator"]
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert len(outline_titles(reader)) >= 4
    assert {article.web["en"], article.web["ru"]} <= link_targets(reader)
    assert "No syntax or stream encoding errors" in run(
        "qpdf", "--check", data=handout_bytes, tmp_path=tmp_path
    )


def test_two_builds_are_byte_identical(article, handout_style, handout_bytes):
    assert render(HandoutFormat(), article, handout_style) == handout_bytes


def test_letter_paper_keeps_the_content(article, handout_style, tmp_path, assert_passages_in_order):
    data = render(HandoutFormat(), article, handout_style.with_paper("letter"))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert {(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages} == {
        (612.0, 792.0)
    }
    assert_passages_in_order(body_text(data, handout_style.with_paper("letter").page, tmp_path))


def _longer(article, extra: int):
    paragraphs = [b for b in article.body if isinstance(b, Paragraph)]
    more = tuple(itertools.islice(itertools.cycle(paragraphs), extra))
    return dataclasses.replace(article, body=article.body + more)


def test_a_longer_article_is_fitted_into_four_pages_without_going_below_8_5_pt(
    article, handout_style
):
    longer = _longer(article, 14)
    unfitted = io.BytesIO()
    render_pdf(longer, handout_style, ExportOptions(), unfitted, "handout")
    assert len(pypdf.PdfReader(unfitted).pages) > MAX_PAGES
    data = render(HandoutFormat(), longer, handout_style)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) <= MAX_PAGES
    body_sizes = chars_by_font(data)["PTSerif-Regular"]
    assert 8.5 <= min(body_sizes) < handout_style.role("body").size.pt


def test_an_article_too_long_to_fit_stops_shrinking_at_8_5_pt(article, handout_style):
    data = render(HandoutFormat(), _longer(article, 45), handout_style)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) > MAX_PAGES
    assert min(chars_by_font(data)["PTSerif-Regular"]) == 8.5


def test_the_footer_is_a_citation_that_fits(article, handout_style):
    from test_pdf import FAITHFUL

    from exporter.source import load_article

    seed_footer = _footer_text(render(HandoutFormat(), article, handout_style), handout_style)
    assert seed_footer.startswith(
        "Evgeniya Makhmutova (Voyko). “Does Tajikistan Have a Choice Amid Anti-Russian "
        "Sanctions?” RIAC, 2022."
    )
    many = load_article(FAITHFUL)
    footer = _footer_text(render(HandoutFormat(), many, handout_style), handout_style)
    assert footer.startswith("Yelzhan Kabyshev et al. “Every Word as Written")
    assert "Ruslan" not in footer


def _footer_text(data: bytes, style) -> str:
    pages = text_lines_with_boxes(data)
    lines = [ln for ln in pages[0][1] if ln.y1 < style.page.margin_bottom.pt]
    return " ".join(ln.get_text().strip() for ln in sorted(lines, key=lambda ln: ln.x0))


def test_a_heading_taller_than_a_column_before_a_list_is_set(tmp_path):
    """A heading is kept with what follows; one taller than a column, before a list (which
    cannot join it), once made the layout regroup and split it without end."""
    import sys

    from conftest import SEED

    url = "https://example.org/a-very/long/path_with/parts?and=queries&more=of_them"
    source = SEED.read_text("utf-8").split("\n---\n")[0] + "\n---\n\n"
    source += "### " + " ".join([url] * 120) + "\n\n- one\n- two\n\n"
    source += "::: poll us-long-term-goals\n:::\n\n::: related turkey-central-asia\n:::\n"
    path = tmp_path / "article.md"
    path.write_text(source, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "exporter", "handout", str(path), "-o", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_page_budget_and_its_floor_come_from_the_style(article, handout_style):
    tight = dataclasses.replace(
        handout_style,
        page=dataclasses.replace(handout_style.page, max_pages=1, min_body_size=Length(8.75)),
    )
    out = io.BytesIO()
    rendered = HandoutFormat().write(article, tight, ExportOptions(), out)
    assert rendered.pages and rendered.pages > 1
    (warning,) = rendered.warnings
    assert "more than the 1 a handout should have, even with the body at 8.75 pt" in warning
    sizes = chars_by_font(out.getvalue())
    assert min(sizes["PTSerif-Regular"]) >= 8.75
    assert handout_style.page.max_pages == 4 and handout_style.page.min_body_size.pt == 8.5
