"""The poll chart in both PDFs: the edition layer's SVG drawn as vectors, its labels and values
read back as text, set in the style's embedded faces (a character they lack in a fallback's),
and no font the file names left unembedded."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from test_pdf import chars_by_font, font_problems, pdf_text, render, run, text_lines_with_boxes

from conftest import normalize
from exporter.edition import poll_view
from exporter.formats.pdf import HandoutFormat, PdfFormat
from exporter.model import Answer, Article, PollBlock

RUSSIAN = (
    Answer("США хотят партнёрства с Россией", 33, 31),
    Answer("США хотят сдержать Россию", 30, 28),
    Answer("Ни то, ни другое", 24, 22),
    Answer("Ελλάδα: в другом алфавите", 21, 19),  # Greek: PT Sans lacks it, Noto Sans has it
)


@pytest.fixture(scope="module")
def russian_poll(article) -> Article:
    """The seed with its poll's answers in Russian (one beginning in Greek)."""
    poll = dataclasses.replace(article.polls[0], answers=RUSSIAN)
    body = tuple(
        dataclasses.replace(b, poll=poll) if isinstance(b, PollBlock) else b for b in article.body
    )
    return dataclasses.replace(article, body=body, polls=(poll,))


@pytest.fixture(scope="module", params=["pdf", "handout"])
def edition(request, russian_poll, style, handout_style) -> bytes:
    if request.param == "pdf":
        return render(PdfFormat(), russian_poll, style)
    return render(HandoutFormat(), russian_poll, handout_style)


def _chart_lines(data: bytes, article: Article) -> list[str]:
    """The text lines of the page the poll is on, as pdfminer reads them."""
    for _, lines, _ in text_lines_with_boxes(data):
        texts = [normalize(line.get_text()) for line in lines]
        if any(article.polls[0].question in t for t in texts):
            return texts
    pytest.fail("the poll's page is not found")


def test_chart_labels_and_values_read_back(edition, russian_poll, tmp_path):
    view = poll_view(russian_poll.polls[0], russian_poll.lang)
    lines = _chart_lines(edition, russian_poll)
    for row in view.rows:
        assert row.value in lines, row.value  # the value is drawn by the chart only
    raw = normalize(pdf_text(edition, tmp_path, "-raw"))
    for row in view.rows:
        # once in the chart, once in the table
        assert raw.count(row.label) == 2, (row.label, raw.count(row.label))
    assert re.search(r"31% · 33 votes.*28% · 30 votes.*22% · 24 votes.*19% · 21 votes", raw)


def test_chart_text_is_set_in_the_styles_faces_and_its_fallback(edition):
    faces = set(chars_by_font(edition))
    assert "PTSans-Regular" in faces, faces
    greek = _greek_faces(edition)  # the chart's and the table's
    assert len(greek) == 2 * len("Ελλάδα"), greek
    assert set(greek) == {"NotoSans-Regular"}, greek


def _greek_faces(data: bytes) -> list[str]:
    """The face of every Greek character drawn, in any page."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    faces: list[str] = []
    for page in extract_pages(io.BytesIO(data)):
        stack = list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTChar) and "\u0370" <= item.get_text() <= "\u03ff":
                faces.append(item.fontname.split("+")[-1])
            elif hasattr(item, "__iter__"):
                stack.extend(item)
    return faces


def test_every_font_is_embedded_and_no_helvetica_is_named(edition, tmp_path):
    assert font_problems(edition) == []
    rows = run("pdffonts", data=edition, tmp_path=tmp_path).splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub = row.split()[-5], row.split()[-4]
        assert (emb, sub) == ("yes", "yes"), row
    assert b"Helvetica" not in edition
