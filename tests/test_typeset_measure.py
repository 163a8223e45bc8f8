"""The typesetting measurements of benchmarks/typeset.py: how it sorts the lines of a PDF
built from a tiny article (running heads and footers, code, body, full lines)."""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, small_article
from exporter.formats import ExportOptions
from exporter.formats.pdf import PdfFormat
from exporter.source import load_article

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftohtml", "pdftoppm")),
    reason="needs poppler's pdftotext, pdftohtml and pdftoppm",
)

WORDS = (
    "typesetting is measured rather than guessed the administrative responsibilities of "
    "international telecommunication organisations were reorganised extraordinarily "
    "thoroughly notwithstanding considerable counterarguments from representatives of "
    "neighbouring jurisdictions and incomprehensibility characterises institutionalisation"
)


def _paragraph(seed: int) -> str:
    """A paragraph of long words, different for every seed, ending "sets a label."."""
    vocabulary = WORDS.split(" ")
    words = [vocabulary[(seed * 7 + i * (seed % 5 + 3)) % len(vocabulary)]
             for i in range(45 + seed % 9)]  # fmt: skip
    return " ".join(words).capitalize() + ', and `kubectl "label"` sets a label.\n\n'


PARAGRAPHS = 20
BODY = ("## A heading\n\n" + "".join(_paragraph(i) for i in range(12))
        + "```\nprint(\"code line one\")\nprint('code line two')\n```\n\n"
        + "".join(_paragraph(i) for i in range(12, PARAGRAPHS)))  # fmt: skip


@pytest.fixture(scope="module")
def typeset():
    spec = importlib.util.spec_from_file_location("typeset", ROOT / "benchmarks" / "typeset.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["typeset"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pdf(tmp_path_factory, style) -> Path:
    folder = tmp_path_factory.mktemp("typeset")
    out = io.BytesIO()
    PdfFormat().write(load_article(small_article(folder / "src", BODY)), style,
                      ExportOptions(), out)  # fmt: skip
    path = folder / "tiny.pdf"
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture(scope="module")
def lines(typeset, pdf):
    pages = typeset.read_words(pdf)
    assert len(pages) >= 2  # the running head and footer start on page 2
    typeset.mark_mono(pdf, pages)
    everything = typeset.classify(pages, typeset.margins(pdf, "default"))
    return pages, everything


def test_running_heads_and_footers_are_furniture(lines):
    pages, ordered = lines
    furniture = [ln for page in pages for ln in page.lines if ln.kind == "furniture"]
    texts = " ".join(ln.text for ln in furniture)
    assert "Page 2 of" in texts and "Notes everywhere" in texts
    assert not [ln for ln in ordered if ln.kind == "furniture"]  # left out of the reading
    assert all("Page" not in ln.text or ln.kind != "body" for ln in ordered)


def test_code_lines_are_code_and_inline_code_is_mono(lines):
    _, ordered = lines
    code = [ln.text for ln in ordered if ln.kind == "code"]
    assert code == ['print("code line one")', "print('code line two')"]
    mono = {w.text for ln in ordered if ln.kind == "body" for w in ln.words if w.mono}
    assert {"kubectl", '"label"'} <= mono


def test_body_lines_and_full_lines(lines):
    _, ordered = lines
    assert "A heading" in [ln.text for ln in ordered if ln.kind == "other"]
    body = [ln for ln in ordered if ln.kind == "body"]
    assert len(body) > 40
    # a paragraph ends with a short last line (one may fill the measure, or end "la-bel.");
    # the other lines are justified to the edge
    last = [ln for ln in body if ln.text.endswith("label.")]
    assert len(last) >= PARAGRAPHS - 2 and sum(ln.full for ln in last) <= 2
    full = [ln for ln in body if ln.full]
    assert len(body) - PARAGRAPHS <= len(full) <= len(body) - PARAGRAPHS + 2
    edge = max(ln.x1 for ln in full)
    assert all(abs(ln.x1 - edge) <= 1.0 for ln in full)


def test_measure_agrees_with_pdftotext_raw(typeset, pdf, lines):
    row = typeset.measure(pdf, "default")
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                         check=True).stdout.decode()  # fmt: skip
    ends = [line for line in raw.splitlines() if line.endswith("\u00ad")]
    assert row.hyphenated == len(ends) and row.hyphenated > 0  # long words, a narrow measure
    assert 1 <= row.hyphen_run <= row.hyphenated
    # the natural space is PT Serif's at the body size (0.243 em of 10.5 pt)
    assert row.natural == pytest.approx(0.243 * 10.5, abs=0.3)
    assert 60 <= row.chars <= 110
    assert row.quotes == 0 and row.apostrophes == 0  # those of code do not count
    assert not row.russian and row.pages >= 2
    assert re.fullmatch(r"\d+\.\d %", typeset.cells(row)[3])
