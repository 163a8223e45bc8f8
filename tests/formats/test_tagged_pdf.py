"""Tagged PDF (PDF/UA-1) in both PDF editions, read back by tools that are not the writer:
the ``pdfua`` checker, poppler's structure tree (``pdfinfo -struct-text``: the reading
order a screen reader follows) and pikepdf walking every page's content and the tree."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from readers import content_problems, tree_text

from conftest import ROOT, missing_as_written
from exporter.cli import cli
from exporter.formats import edition_names, load_format
from exporter.model import Article, PollBlock, block_texts, note_texts
from exporter.source import load_article

SEED = ROOT / "source" / "tajikistan-choice-amid-sanctions" / "article.md"
SAMPLE = ROOT / "source" / "a4-and-letter" / "article.md"  # figures, a table, notes, links
# every registered format that makes a PDF
SUFFIXES = {name: load_format(name).suffix for name in edition_names()
            if load_format(name).media_type == "application/pdf"}  # fmt: skip

# The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4): no RoleMap is needed.
_TYPES = """Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note
Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form"""
STANDARD = set(_TYPES.split())


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tagged")
    for fmt in SUFFIXES:
        result = CliRunner().invoke(cli, [fmt, str(SEED), str(SAMPLE), "-o", str(out)])
        assert result.exit_code == 0, result.output
    return out


CASES = [(slug, fmt) for slug in ("tajikistan-choice-amid-sanctions", "a4-and-letter")
         for fmt in SUFFIXES]  # fmt: skip


def path_of(editions: Path, slug: str, fmt: str) -> Path:
    return editions / f"{slug}{SUFFIXES[fmt]}"


def article_of(slug: str) -> Article:
    return load_article(SEED if slug.startswith("tajikistan") else SAMPLE)


# -- the checkers


@pytest.mark.parametrize(("slug", "fmt"), CASES)
def test_pdfinfo_says_tagged_and_pdfua_finds_nothing(editions, slug, fmt):
    import pdfua

    path = path_of(editions, slug, fmt)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    report = pdfua.validate(str(path))
    assert not report.findings, [(f.rule_id, f.message) for f in report.findings]
    assert not report.skipped, [(o.rule_id, o.skipped_reason) for o in report.skipped]


@pytest.mark.parametrize(("slug", "fmt"), CASES)
def test_the_structure_tree_holds_every_passage_in_order(editions, slug, fmt):
    """Read from the tree, as a screen reader reads: the title, every paragraph of the
    summary and body (note calls included) in source order, every note in order, and none
    of the running heads and page numbers (they are artifacts)."""
    article = article_of(slug)
    text = tree_text(path_of(editions, slug, fmt))
    head = [article.title.in_lang(article.lang), *article.author_names()]
    passages = [*head, *block_texts(article.summary), *block_texts(article.body, calls=True)]
    problems = missing_as_written(text, passages)
    problems += missing_as_written(text, list(note_texts(article.footnotes)))
    assert not problems, "\n".join(problems[:5])
    assert not re.search(r"Page \d+ of \d+", text), "a page number is read as content"
    if fmt == "pdf":
        assert article.running_title() not in text.replace(article.title.in_lang(article.lang),
                                                           "")  # fmt: skip


@pytest.mark.parametrize("slug", ["tajikistan-choice-amid-sanctions", "a4-and-letter"])
def test_the_handout_is_read_column_after_column(editions, slug):
    """Title, summary, the read-online panel (under the summary), body, notes: as the
    columns are read one after the other."""
    article = article_of(slug)
    text = tree_text(path_of(editions, slug, "handout"))
    flat = re.sub(r"\s+", " ", text)
    order = [article.title.in_lang("en"), next(block_texts(article.summary))[:60]]
    if article.web:
        order.append("Read online")
    order.append(next(block_texts(article.body))[:60])
    if article.footnotes:
        order += ["Notes", next(note_texts(article.footnotes))[:40]]
    positions = [flat.lower().find(re.sub(r"\s+", " ", part).lower()) for part in order]
    assert -1 not in positions, list(zip(order, positions, strict=True))
    assert positions == sorted(positions)


# -- pikepdf: every page's content, and the tree itself


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, depth first in reading order; each element's /P checked."""
    out: list[pikepdf.Dictionary] = []

    def visit(element: pikepdf.Dictionary, parent: pikepdf.Object) -> None:
        assert element.P.objgen == parent.objgen, f"{element.S}: /P is not its parent"
        out.append(element)
        kids = element.get("/K")
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                visit(kid, element)

    root = pdf.Root.StructTreeRoot
    visit(root.K, root)
    return out


def _text_kids(element: pikepdf.Dictionary) -> bool:
    kids = element.get("/K")
    for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            return True
        if isinstance(kid, pikepdf.Dictionary) and (kid.get("/Type") == "/MCR" or _text_kids(kid)):
            return True
    return False


@pytest.mark.parametrize(("slug", "fmt"), CASES)
def test_every_mark_on_every_page_is_content_or_artifact(editions, slug, fmt):
    with pikepdf.open(path_of(editions, slug, fmt)) as pdf:
        problems = content_problems(pdf)
    assert not problems, "\n".join(problems[:10])


@pytest.mark.parametrize(("slug", "fmt"), CASES)
def test_the_tree_uses_standard_types_headings_in_order_and_figures_with_alt(
    editions, slug, fmt
):
    article = article_of(slug)
    with pikepdf.open(path_of(editions, slug, fmt)) as pdf:
        catalog = pdf.Root
        assert catalog.MarkInfo.Marked is True
        assert str(catalog.Lang) == article.lang
        assert catalog.ViewerPreferences.DisplayDocTitle is True
        assert "/RoleMap" not in catalog.StructTreeRoot  # only standard types are used
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"
        elements = _elements(pdf)
        roles = [str(e.S)[1:] for e in elements]
        assert roles[0] == "Document" and set(roles) <= STANDARD, set(roles) - STANDARD
        headings = [int(r[1]) for r in roles if re.fullmatch(r"H[1-6]", r)]
        assert headings[0] == 1 and headings.count(1) == 1, "the title is the one H1"
        for before, after in zip(headings, headings[1:], strict=False):
            assert after <= before + 1, f"a heading level is skipped: H{before} → H{after}"
        for element in elements:
            if re.fullmatch(r"/H[1-6]", str(element.S)):
                assert _text_kids(element), "an empty heading"
            if element.S == "/Figure":
                assert str(element.get("/Alt", "")).strip(), "a figure without alt text"
        polls = [b.poll for b in article.body if isinstance(b, PollBlock)]
        alts = [str(e.Alt) for e in elements if e.S == "/Figure"]
        for poll in polls:
            chart = [a for a in alts if poll.question in a]
            assert chart and all(f"{a.share}%" in chart[0] for a in poll.answers)
        sections = [str(e.get("/T", "")) for e in elements if e.S == "/Sect"]
        assert ("Summary" in sections) == bool(article.summary)


@pytest.mark.parametrize(("slug", "fmt"), CASES)
def test_every_link_is_a_link_element_holding_its_described_annotation(editions, slug, fmt):
    with pikepdf.open(path_of(editions, slug, fmt)) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        links = 0
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.Subtype != "/Link":
                    continue
                links += 1
                assert str(annot.get("/Contents", "")).strip(), "a link without a description"
                element = tree[int(annot.StructParent)]
                assert element.S == "/Link"
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                objects = [k.Obj.objgen for k in kids
                           if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
                assert annot.objgen in objects, "the Link element does not hold its annotation"
                assert _text_kids(element), "a link with no text (or figure) in it"
        assert links, "the edition has links"


def test_tables_have_header_cells_with_scope_and_notes_have_ids(editions):
    with pikepdf.open(path_of(editions, "a4-and-letter", "pdf")) as pdf:
        elements = _elements(pdf)
        tables = [e for e in elements if e.S == "/Table"]
        assert tables
        for table in tables:
            kinds = [str(k.S) for k in table.K]
            assert "/THead" in kinds and "/TBody" in kinds
        heads = [e for e in elements if e.S == "/TH"]
        assert heads and all(str(h.A.Scope) in ("/Column", "/Row") for h in heads)
        notes = [e for e in elements if e.S == "/Note"]
        ids = [str(n.ID) for n in notes]
        assert ids == [f"note-{i}" for i in range(1, len(notes) + 1)] and ids
        names = list(pdf.Root.StructTreeRoot.IDTree.Names)
        assert [str(n) for n in names[::2]] == sorted(ids)


def _variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The sample article (with its figures and bibliography) with ``old`` replaced by
    ``new``."""
    source = tmp_path / name / "article.md"
    (source.parent / "figures").mkdir(parents=True)
    text = SAMPLE.read_text("utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), "utf-8")
    for figure in (SAMPLE.parent / "figures").iterdir():
        (source.parent / "figures" / figure.name).write_bytes(figure.read_bytes())
    (source.parent / "references.bib").write_bytes((SAMPLE.parent / "references.bib").read_bytes())
    return source


def test_a_table_header_repeated_on_a_new_page_is_read_once(tmp_path):
    """The header row drawn again over the rest of a long table is an artifact: the tree
    has it once, with every row after it."""
    count = 130  # rows enough to run onto a third page of either edition
    rows = "".join(f"| X{n} | Test | {n} | {n * 2} | 2.000 |\n" for n in range(1, count + 1))
    source = _variant(tmp_path, "long-table", "| A5 | ISO 216 |", rows + "| A5 | ISO 216 |")
    for fmt in SUFFIXES:
        result = CliRunner().invoke(cli, [fmt, str(source), "-o", str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
        path = tmp_path / "out" / f"a4-and-letter{SUFFIXES[fmt]}"
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
            assert not content_problems(pdf)
        text = tree_text(path)
        assert pages >= 3 and text.count("Height ÷ width") == 1, (fmt, pages)
        positions = [text.find(f"X{n}\n") for n in range(1, count + 1)]
        assert -1 not in positions and positions == sorted(positions)


def test_text_in_another_language_is_marked_with_it(tmp_path):
    """The Russian title of an English article, and Cyrillic words in its text, are
    elements with /Lang ru."""
    source = _variant(tmp_path, "mixed", "prints on US Letter [@asme-y14-1, 2].",
                      "prints on US Letter (по-русски «письмо») [@asme-y14-1, 2].")  # fmt: skip
    result = CliRunner().invoke(cli, ["pdf", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    with pikepdf.open(next((tmp_path / "out").glob("*.pdf"))) as pdf:
        marked = [e for e in _elements(pdf) if str(e.get("/Lang", "")) == "ru"]
    assert {str(e.S) for e in marked} >= {"/P", "/Span"}


def test_an_untagged_render_for_the_benchmark_differs_only_by_its_tags(article, style):
    """``tagged=False`` (what the benchmark compares against) draws the same text."""
    from exporter.formats import ExportOptions
    from exporter.formats.pdf.render import render_pdf

    outs = []
    for tagged in (True, False):
        out = io.BytesIO()
        render_pdf(article, style, ExportOptions(), out, layout="article", tagged=tagged)
        outs.append(out.getvalue())
    with pikepdf.open(io.BytesIO(outs[1])) as plain:
        assert "/StructTreeRoot" not in plain.Root and "/MarkInfo" not in plain.Root
    texts = []
    for data in outs:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            texts.append(len(pdf.pages))
    assert texts[0] == texts[1]
