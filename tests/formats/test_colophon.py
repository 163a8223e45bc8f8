"""The colophon: attribution, licence, DOI and how to cite leave the title block for the
end of the article (or, by style, the back of the title page), in both PDFs."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from readers import pdf_raw_text

from conftest import small_article
from exporter.errors import StyleError
from exporter.formats import ExportOptions, load_format
from exporter.source import load_article
from exporter.style import load_style

BODY = "".join(f"Paragraph {n} of the text, long enough to be a paragraph.\n\n" for n in range(8))
RIGHTS = """license: "CC-BY-4.0"
attribution: "Adapted from a report of the Example Institute."
doi: "10.1234/example.5"
summary:"""


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    path = small_article(tmp_path_factory.mktemp("colophon"), BODY)
    path.write_text(path.read_text("utf-8").replace("summary:", RIGHTS, 1), "utf-8")
    return load_article(path)


def pages(article, style, fmt: str = "pdf") -> list[str]:  # noqa: ANN001
    out = io.BytesIO()
    load_format(fmt)().write(article, style, ExportOptions(), out)
    data = out.getvalue()
    count = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    return [" ".join(pdf_raw_text(_page(data, n)).split()) for n in range(count)]


def _page(data: bytes, index: int) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(io.BytesIO(data)).pages[index])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


COLOPHON = ("Adapted from a report of the Example Institute.", "CC-BY-4.0",
            "https://creativecommons.org/licenses/by/4.0/", "DOI: https://doi.org/10.1234/example.5")


@pytest.mark.parametrize("fmt", ["pdf", "handout"])
def test_the_colophon_follows_the_text_not_the_title(article, fmt):
    text = pages(article, load_style("handout" if fmt == "handout" else "default"), fmt)
    whole = " ".join(text)
    last = whole.index("Paragraph 7 of the text")
    after = "".join(whole[last:].split())  # an address may break at a line end
    for part in COLOPHON:  # after the text (the handout's footer cites the DOI as well)
        assert "".join(part.split()) in after, part
    assert "".join(whole[:last].split()).count("licenses/by") == 0
    assert ("How to cite:" in whole) == (fmt == "pdf")  # the handout's footer is the citation
    if fmt == "pdf":
        assert "How to cite:" not in text[0] or len(text) == 1
        assert whole.index("How to cite:") > last


def test_by_style_the_colophon_stands_on_the_back_of_the_title_page(article, tmp_path: Path):
    path = tmp_path / "verso.toml"
    path.write_text('extends = "default"\n[colophon]\nplace = "title-verso"\n')
    text = pages(article, load_style(str(path)))
    assert "Notes everywhere" in text[0] and "Paragraph 0" not in text[0]
    verso = "".join(text[1].split())
    assert all("".join(part.split()) in verso for part in COLOPHON)
    assert "How to cite:" in text[1]
    assert "Paragraph" not in text[1] and "Paragraph 0" in text[2]


def test_a_colophon_place_the_style_does_not_know_is_refused(tmp_path: Path):
    path = tmp_path / "odd.toml"
    path.write_text('extends = "default"\n[colophon]\nplace = "front"\n')
    with pytest.raises(StyleError, match=r'colophon.place: "end" or "title-verso"'):
        load_style(str(path))
