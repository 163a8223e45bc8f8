"""Links on paper: every link to the web whose words are not its address gets a numbered
link note, and both PDFs print the addresses (a "Links" section, or the page's foot)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from readers import pdf_raw_text, tree_text

from conftest import small_article
from exporter.edition import link_notes, printed_text
from exporter.errors import StyleError
from exporter.formats import ExportOptions, load_format
from exporter.source import load_article
from exporter.style import StyleSheet, load_style

BODY = """
The [ministry's report](https://gov.example/report-2024) and [its annex][annex] say so;
see also <https://plain.example/page>, [plain.example](https://plain.example/) and
[the method](#the-method).[^1]

Write to [the desk](mailto:desk@example.org). The [report again](https://gov.example/report-2024).

## The method

A [second source](https://second.example/data?x=1&y=2).

[annex]: https://gov.example/annex

[^1]: As [the registry](https://registry.example/entry/12) records.
"""


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    return load_article(small_article(tmp_path_factory.mktemp("links"), BODY))


def render(article, style: StyleSheet, fmt: str = "pdf") -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    load_format(fmt)().write(article, style, ExportOptions(), out)
    return out.getvalue()


def test_links_are_numbered_in_reading_order_one_number_per_address(article):
    links = link_notes(article)
    assert links.entries() == (
        (1, "https://gov.example/report-2024"),
        (2, "https://gov.example/annex"),
        (3, "https://registry.example/entry/12"),  # the note, read after the text calling it
        (4, "desk@example.org"),  # a mail address without its scheme
        (5, "https://second.example/data?x=1&y=2"),
    )
    first = article.body[0].children
    text = printed_text(first, links)
    assert "report\u00a0[1] and its annex\u00a0[2] say so" in text
    # a link showing its own address (with or without scheme and slash) and one inside
    # the article take no note; a note's call is its number
    assert "https://plain.example/page," in text and "plain.example and" in text
    assert text.endswith("the method.1")
    assert "report again\u00a0[1]." in printed_text(article.body[1].children, links)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "handout"])
def test_both_pdfs_print_marks_after_the_links_and_the_addresses_at_the_end(article, fmt):
    style = load_style("handout" if fmt == "handout" else "default")
    text = pdf_raw_text(render(article, style, fmt))
    flat = " ".join(text.split())
    assert "The ministry’s report [1] and its annex [2] say so" in flat
    assert "Write to the desk [4]. The report again [1]." in flat
    assert "A second source [5]." in flat
    assert "As the registry [3] records." in flat
    section = flat[flat.index(" Links ") :]
    for number, address in link_notes(article).entries():
        assert f"[{number}] {address}" in section
    assert flat.count("[1] https://gov.example/report-2024") == 1


@pytest.mark.slow
def test_the_marks_and_addresses_are_tagged_as_links_and_notes(article, tmp_path):
    path = tmp_path / "links.pdf"
    path.write_bytes(render(article, load_style("default")))
    read = " ".join(tree_text(path).split())
    assert "report [1] and its annex [2]" in read
    assert "[5] https://second.example/data?x=1&y=2" in read

    import pdfua

    report = pdfua.validate(str(path))
    assert not report.findings, [(f.rule_id, f.message) for f in report.findings]


@pytest.mark.slow
def test_at_the_foot_each_address_is_on_the_page_that_links_it(article, tmp_path):
    path = tmp_path / "foot.toml"
    path.write_text('extends = "default"\n[links]\nnotes = "foot"\n')
    data = render(article, load_style(str(path)))
    flat = " ".join(pdf_raw_text(data).split())
    assert " Links " not in flat
    assert "[1] https://gov.example/report-2024" in flat
    # the page's own notes first, then its link notes
    assert flat.index("1. As the registry [3] records.") < flat.index("[1] https://gov.example")


def test_a_link_note_place_the_style_does_not_know_is_refused(tmp_path: Path):
    path = tmp_path / "odd.toml"
    path.write_text('extends = "default"\n[links]\nnotes = "margin"\n')
    with pytest.raises(StyleError, match=r'links.notes: "end" or "foot"'):
        load_style(str(path))


@pytest.mark.slow
def test_a_russian_edition_heads_its_links_in_russian(tmp_path):
    source = small_article(tmp_path, "Текст [доклада](https://gov.example/doklad).\n")
    source.write_text(source.read_text("utf-8").replace("lang: en", "lang: ru"), "utf-8")
    text = " ".join(pdf_raw_text(render(load_article(source), load_style("default"))).split())
    assert "доклада [1]" in text and "Ссылки [1] https://gov.example/doklad" in text


@pytest.mark.slow
def test_a_related_article_box_prints_its_address(tmp_path):
    front = small_article(tmp_path, "Text.\n\n::: related next\n:::\n").read_text("utf-8")
    front = front.replace("summary:", 'related:\n  - id: next\n    authors: ["Ann Author"]\n'
                          '    title: "The next article"\n'
                          '    url: "https://press.example/next"\nsummary:')  # fmt: skip
    (tmp_path / "article.md").write_text(front, "utf-8")
    article = load_article(tmp_path / "article.md")
    assert len(link_notes(article)) == 0
    flat = " ".join(pdf_raw_text(render(article, load_style("default"))).split())
    assert "The next article https://press.example/next" in flat and " Links " not in flat
