"""Every word as written: real texts through every edition, read back by tools that are not the
writers (poppler's ``pdftotext -raw`` and ``-bbox-layout``, the DOCX and EPUB XML parsed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from archival import pdfa_problems
from click.testing import CliRunner
from lxml import etree
from readers import (
    content_problems,
    docx_text,
    epub_text,
    html_text,
    pdf_raw_text,
    text_area,
    tree_text,
)

from conftest import ROOT, as_written, missing_as_written
from exporter.cli import cli
from exporter.edition import colophon, link_notes, printed_texts
from exporter.formats import edition_names, load_format
from exporter.labels import label, long_date, rights
from exporter.model import Article, Figure, Table, block_texts, note_texts
from exporter.source import load_article
from exporter.style import PageStyle, load_style

pytestmark = pytest.mark.slow

CORPUS = ROOT / "tests" / "corpus"
FAITHFUL = ROOT / "tests" / "fixtures" / "faithful" / "article.md"
AS_TYPED = ROOT / "tests" / "fixtures" / "as-typed" / "article.md"  # typography: false
SAMPLE = ROOT / "source" / "a4-and-letter" / "article.md"  # figures, a table, notes
SOURCES = {p.parent.name: p for p in sorted(CORPUS.glob("*/article.md"))} | {
    "faithful": FAITHFUL, "a4-and-letter": SAMPLE, "as-typed": AS_TYPED,
}
FORMATS = {name: load_format(name).suffix for name in edition_names()}
PAGES = {name: load_format(name).default_style for name, suffix in FORMATS.items()
         if suffix.endswith(".pdf")}  # fmt: skip


def test_the_corpus_is_real_text_with_its_licence():
    assert len([p for p in SOURCES.values() if p.parent.parent == CORPUS]) >= 5
    langs = set()
    for slug, path in SOURCES.items():
        if path.parent.parent != CORPUS:
            continue
        article = load_article(path)
        assert article.slug == slug
        assert article.license and article.attribution, f"{slug}: licence and attribution"
        langs.add(article.lang)
    assert {"en", "ru"} <= langs


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of every corpus text and of the reproduction, built by one run."""
    out = tmp_path_factory.mktemp("corpus")
    result = CliRunner().invoke(cli, ["all", *map(str, SOURCES.values()), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "error" not in result.output
    return out


def passages(article: Article, fmt: str = "", floats: bool = True) -> list[str]:
    """What a reader must find in every edition, in order: the credit the text's licence
    asks for, every paragraph of the summary and of the body (list items, quotes, boxes and
    code included). On paper (``fmt`` a PDF) the credit is in the colophon at the end, and
    a link whose words are not its address is followed by its link note's mark ("[3]");
    without ``floats``, the body's tables and figures are left out (see ``float_groups``)."""
    credit = [article.attribution] if article.attribution else []
    body = article.body if floats else tuple(b for b in article.body if not isinstance(b, FLOATS))
    if fmt in PAGES:
        links = link_notes(article)
        return [*printed_texts(article.summary, links), *printed_texts(body, links),
                *credit]  # fmt: skip
    return [*credit, *block_texts(article.summary), *block_texts(body, calls=True)]


FLOATS = (Table, Figure)  # on paper, they may wait for the next page while the text goes on


def float_groups(article: Article, fmt: str) -> list[list[str]]:
    """The texts of each table and figure of the body (caption, cells, credit), in order."""
    links = link_notes(article)
    return [printed_texts((b,), links) for b in article.body if isinstance(b, FLOATS)]


def without_floats(text: str, groups: list[list[str]]) -> tuple[str, list[str]]:
    """``text`` as a fidelity check compares it, with each float taken out where it stands
    (its label, "Table 1.", with it; a table's header repeated over a page break within it),
    and the problems of the floats not found whole and in order."""
    text, problems = as_written(text), []
    for group in groups:
        parts = [re.escape(as_written(p)) for p in group if as_written(p)]
        pattern = r"(?:[A-ZА-ЯЁ][a-zа-яё]*\d+\.)?" + r".{0,200}?".join(parts)
        found = re.search(pattern, text, flags=re.S)
        if found is None:
            problems += [f"float not found whole: {group[0][:60]!r}"]
            continue
        text = text[: found.start()] + text[found.end() :]
    return text, problems


def note_passages(article: Article, fmt: str = "") -> list[str]:
    """Every paragraph of the notes, in note order (at the pages' feet, or in a section);
    on paper with their links' marks."""
    if fmt in PAGES:
        links = link_notes(article)
        return [text for note in article.footnotes for text in printed_texts(note.blocks, links)]
    return list(note_texts(article.footnotes))


def edition_text(path: Path, fmt: str) -> str:
    data = path.read_bytes()
    if fmt in PAGES:
        return pdf_raw_text(data, text_area(load_style(PAGES[fmt]).page))
    return {"docx": docx_text, "epub": epub_text, "html": html_text}[fmt](data)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("slug", SOURCES)
def test_every_paragraph_is_in_every_edition_as_written(editions, slug, fmt):
    article = load_article(SOURCES[slug])
    text = edition_text(editions / f"{slug}{FORMATS[fmt]}", fmt)
    notes = note_passages(article, fmt)
    problems = missing_as_written(text, notes)
    # a page's notes are drawn after its text: they may stand between the two parts of a
    # paragraph set over two pages, so the body is read with them taken out; on paper a
    # table or figure that does not fit waits for the next page (or column) while the text
    # goes on, so the text is read with them taken out too, each found whole
    body = without(text, notes)
    if fmt in PAGES:
        body, missed = without_floats(body, float_groups(article, fmt))
        problems += missed + missing_as_written(body, passages(article, fmt, floats=False))
    else:
        problems += missing_as_written(body, passages(article, fmt))
    assert not problems, "\n".join(problems[:5])


def without(text: str, passages: list[str]) -> str:
    """``text`` as a fidelity check compares it, with each of ``passages`` taken out once."""
    text = as_written(text)
    for passage in passages:
        # a note at a page's foot is printed after its number ("3."), taken out with it
        text = re.sub(rf"(?:\d+\.)?{re.escape(as_written(passage))}", "", text, count=1)
    return text


@pytest.mark.parametrize("fmt", FORMATS)
def test_with_typography_off_every_character_is_as_typed(editions, fmt):
    """The passages above come from the loaded model, which the loader sets typographically
    (``exporter.source.typography``), so they hold what every edition must print; with
    ``typography: false`` the model is the source itself: each paragraph of the body, as
    the file has it byte for byte, is in every edition."""
    article = load_article(AS_TYPED)
    body = AS_TYPED.read_text("utf-8").split("\n---\n", 1)[1]
    typed = [line for line in body.split("\n") if line and not line.startswith("#")]
    assert typed == [*block_texts(article.body)][1:]
    assert article.title["en"] == "Tajikistan's \"Choice\" - as Typed..."
    text = edition_text(editions / f"as-typed{FORMATS[fmt]}", fmt)
    assert not missing_as_written(text, typed)
    assert "'" in text and '"' in text and "..." in text


@pytest.mark.parametrize("fmt", PAGES)
@pytest.mark.parametrize("slug", SOURCES)
def test_the_structure_tree_reads_every_paragraph_in_order(editions, slug, fmt):
    """What a screen reader reads from the tagged PDF: every paragraph and note as written,
    in order; and every mark on every page is tagged content or an artifact."""
    import pikepdf

    article = load_article(SOURCES[slug])
    path = editions / f"{slug}{FORMATS[fmt]}"
    text = tree_text(path)
    problems = missing_as_written(text, passages(article, fmt))
    problems += missing_as_written(text, note_passages(article, fmt))
    with pikepdf.open(path) as pdf:
        problems += content_problems(pdf)
    assert not problems, "\n".join(problems[:5])


@pytest.mark.parametrize("fmt", PAGES)
@pytest.mark.parametrize("slug", SOURCES)
def test_the_pdfua_checker_finds_nothing(editions, slug, fmt):
    """No finding of any severity. pdfua 0.1.3 cannot evaluate its empty-heading rule on a
    heading whose /K is an array (a heading with a phrase in another language in it: its
    ``getattr`` on a pikepdf array raises); that skip alone is allowed, and the structure
    tree test above finds every heading's text."""
    import pdfua

    report = pdfua.validate(str(editions / f"{slug}{FORMATS[fmt]}"))
    assert not report.findings, [(f.rule_id, f.message) for f in report.findings]
    for outcome in report.skipped:
        assert outcome.rule_id == "UA-14-001" and "type array" in outcome.skipped_reason


@pytest.mark.parametrize("fmt", PAGES)
@pytest.mark.parametrize("slug", SOURCES)
def test_every_pdf_is_archival(editions, slug, fmt):
    """PDF/A-2a, clause by clause (``tests/archival.py``), beside PDF/UA-1 above."""
    problems = pdfa_problems(editions / f"{slug}{FORMATS[fmt]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fmt", PAGES)
@pytest.mark.parametrize("slug", SOURCES)
def test_hyphens_added_at_line_ends_are_soft_and_real_ones_stay(editions, slug, fmt):
    """A hyphen the edition adds is drawn as U+00AD; a line that ends in "-" ends in a
    hyphen of the text (a compound broken after its own hyphen)."""
    article = load_article(SOURCES[slug])
    text = edition_text(editions / f"{slug}{FORMATS[fmt]}", fmt)
    shown = [*passages(article, fmt), *note_passages(article, fmt),
             *(url for _, url in (article.web.items if article.web else ())),
             *(address for _, address in link_notes(article).entries()),
             *(line.text for line in colophon(article))]  # fmt: skip
    shown += [text for _, text in article.title.items] + article.author_names()
    source = " ".join(shown)
    for head, tail in re.findall(r"(\w+)-\n(\w+)", text):
        assert f"{head}-{tail}" in source, f"{head}-/{tail}: this hyphen is not in the text"
    for head, tail in re.findall(r"(\w+)\u00ad\n(\w+)", text):
        assert f"{head}{tail}" in source.replace("\u00ad", ""), f"{head}\u00ad/{tail}"


def word_boxes(data: bytes, tmp: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word of every page with its box (poppler's ``pdftotext -bbox``)."""
    pdf = tmp / "edition.pdf"
    pdf.write_bytes(data)
    html = subprocess.run([shutil.which("pdftotext") or "pdftotext", "-bbox", str(pdf), "-"],
                          capture_output=True, check=True).stdout  # fmt: skip
    root = etree.fromstring(html, etree.HTMLParser(encoding="utf-8"))
    pages = []
    for page in root.iter("page"):
        pages.append([
            (float(w.get("xmin")), float(w.get("ymin")), float(w.get("xmax")),
             float(w.get("ymax")), w.text or "")
            for w in page.iter("word")
        ])  # fmt: skip
    return pages


def _columns(page: PageStyle) -> list[tuple[float, float]]:
    count = max(page.columns, 1)
    inner = page.width.pt - page.margin_left.pt - page.margin_right.pt
    width = (inner - page.column_gap.pt * (count - 1)) / count
    lefts = [page.margin_left.pt + i * (width + page.column_gap.pt) for i in range(count)]
    return [(left, left + width) for left in lefts]


@pytest.mark.parametrize("fmt", PAGES)
@pytest.mark.parametrize("slug", SOURCES)
def test_no_text_lies_outside_its_column_or_the_page(editions, slug, fmt, tmp_path):
    """Every word inside the page's text width; in the body, inside one column. Only the
    title block (above the columns on the first page) and the running head and footer
    (in the margins) may span the whole width."""
    page = load_style(PAGES[fmt]).page
    columns = _columns(page)
    left, right = page.margin_left.pt - 0.5, page.width.pt - page.margin_right.pt + 0.5
    pages = word_boxes((editions / f"{slug}{FORMATS[fmt]}").read_bytes(), tmp_path)
    title_block = _title_block(load_article(SOURCES[slug]))
    for number, words in enumerate(pages, start=1):
        for x0, y0, x1, y1, word in words:
            where = f"page {number}: {word!r} at x {x0:.1f}–{x1:.1f}"
            assert left <= x0 and x1 <= right, f"{where} is outside {left:.1f}–{right:.1f}"
            assert y0 >= 0 and y1 <= page.height.pt, f"{where} is off the page"
            in_margin = y1 < page.margin_top.pt or y0 > page.height.pt - page.margin_bottom.pt
            if in_margin or (number == 1 and word in title_block):
                continue
            inside = any(a - 0.5 <= x0 and x1 <= b + 0.5 for a, b in columns)
            assert inside, f"{where}: between columns"


def _title_block(article: Article) -> str:
    """The text of the title block, which spans both columns of the handout's first page."""
    texts = [t for _, t in article.title.items] + article.author_names()
    texts += [t for field in (article.subtitle, article.publisher.name, article.publisher.short)
              if field for _, t in field.items]  # fmt: skip
    texts += [x.in_lang(article.lang) for a in article.authors for x in a.affiliations]
    texts.append(label("published", article.lang, date=long_date(article.published,
                                                                   article.lang)))
    texts.append(rights(article.attribution, article.license, article.lang,
                        article.license_url, article.doi))  # fmt: skip
    return "\n".join(texts)


def test_check_fails_exactly_when_all_would(tmp_path):
    runner = CliRunner()
    broken = tmp_path / "broken" / "article.md"
    broken.parent.mkdir()
    broken.write_text(FAITHFUL.read_text("utf-8").replace("slug: faithful", "slug: Not A Slug"))
    tiny = tmp_path / "tiny.toml"
    tiny.write_text('extends = "default"\n[page]\nmargin-top = "115mm"\nmargin-bottom = "114mm"\n')
    cases = [[str(FAITHFUL)], [str(broken)], [str(FAITHFUL), "--style", str(tiny)]]
    codes = []
    for args in cases:
        checked = runner.invoke(cli, ["check", *args])
        exported = runner.invoke(cli, ["all", *args, "-o", str(tmp_path / "out")])
        assert checked.exit_code == exported.exit_code, (args, checked.output, exported.output)
        assert "Traceback" not in checked.output
        codes.append(checked.exit_code)
    assert codes == [0, 2, 1]
