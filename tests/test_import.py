"""`exporter import`: Word manuscripts (built here with python-docx, and the toolkit's own
Word editions) read back into article sources that load, with every paragraph, note, cell
and alt text a reader sees; what the source cannot carry reported; bad input refused."""

from __future__ import annotations

import dataclasses
import datetime
import io
import itertools
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor
from PIL import Image

from exporter import model as m
from exporter import walk
from exporter.cli import cli
from exporter.formats.docx.notes import footnotes_part, reference_run
from exporter.formats.docx.ooxml import hyperlink, make_run
from exporter.source import load_article

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ["a4-and-letter", "tajikistan-choice-amid-sanctions"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _import(runner: CliRunner, path: Path, out: Path, *args: str):
    return runner.invoke(cli, ["import", str(path), "-o", str(out), *args])


# ---------------------------------------------------------------------------
# A manuscript built with python-docx


def _png(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _footnote(doc, paragraph, number: int, text: str) -> None:
    """A real Word footnote (python-docx writes none): its part, its text, its call."""
    part = footnotes_part(doc)
    part.element.append(parse_xml(
        f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'))
    paragraph._p.append(reference_run(number, "FootnoteReference"))


def _set_lang(doc, tag: str) -> None:
    rpr = doc.styles.element.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docDefaults")
    if rpr is None:
        return
    for node in rpr.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang"):
        node.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", tag)


def manuscript(path: Path, *, title: bool = True, props: bool = True):
    """A manuscript with what authors use: headings that skip a level, emphasis, code, a
    link, nested and numbered lists, a quote, a table with a bold header, a picture with
    its description and caption, a footnote, a German phrase, a no-break space and a soft
    hyphen, and characters Markdown would take for markup."""
    doc = docx.Document()
    _set_lang(doc, "en-US")
    core = doc.core_properties
    core.author = "Ada Author" if props else ""
    core.title = ""
    if props:
        core.created = core.modified = datetime.datetime(2024, 5, 6, 7, 8)
    else:  # no date at all
        for node in list(core._element):
            if node.tag.endswith(("}created", "}modified")):
                core._element.remove(node)
    core.last_modified_by = ""
    core.comments = ""
    core.keywords = ""
    core.subject = ""
    if title:
        doc.add_paragraph("The Manuscript Title", style="Title")
    doc.add_paragraph("What the report finds, in one paragraph.", style="Quote").style = (
        doc.styles.add_style("Abstract", 1))
    doc.add_heading("Introduction", level=1)
    para = doc.add_paragraph("Plain text, ")
    para.add_run("italic").italic = True
    para.add_run(", ")
    para.add_run("bold").bold = True
    para.add_run(", ")
    code = para.add_run("run_code()")
    code.font.name = "Courier New"
    para.add_run(" and a ")
    link = hyperlink(doc.part, "https://example.org/page")
    link.append(make_run("link"))
    para._p.append(link)
    para.add_run(".")
    _footnote(doc, para, 1, "The first note, with its own text.")
    doc.add_heading("Deeper down", level=3)
    special = doc.add_paragraph("Stars *not emphasis*, [brackets], <angle>, a_b_c, 5\u00a0km, "
                                "hy\u00adphen and a German ")
    special._p.append(make_run("Schadenfreude", lang="de"))
    special.add_run(".")
    doc.add_paragraph("1. Not a list but a sentence that starts with a number.")
    doc.add_paragraph("First point", style="List Bullet")
    doc.add_paragraph("Inner point", style="List Bullet 2")
    doc.add_paragraph("Second point", style="List Bullet")
    doc.add_paragraph("Step one", style="List Number")
    doc.add_paragraph("Step two", style="List Number")
    doc.add_paragraph("A quotation from someone else.", style="Quote")
    table = doc.add_table(rows=3, cols=2)
    for index, (row, cells) in enumerate(zip(table.rows, [("Name", "Value"), ("alpha", "1"),
                                                          ("beta", "2")], strict=True)):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.paragraphs[0].add_run(text).bold = index == 0
    doc.add_paragraph("Table 1. Values of the letters.", style="Caption")
    holder = doc.add_paragraph()
    shape = holder.add_run().add_picture(io.BytesIO(_png()), width=Pt(30))
    shape._inline.docPr.set("descr", "A red rectangle.")
    doc.add_paragraph("Figure 1. A red picture.", style="Caption")
    doc.add_paragraph("The last paragraph.")
    doc.save(path)
    return path


READER_SEES = [
    "Introduction",
    "Plain text, italic, bold, run_code() and a link.",
    "Deeper down",
    "Stars *not emphasis*, [brackets], <angle>, a_b_c, 5\u00a0km, hy\u00adphen and a German "
    "Schadenfreude.",
    "1. Not a list but a sentence that starts with a number.",
    "First point", "Inner point", "Second point", "Step one", "Step two",
    "A quotation from someone else.",
    "Values of the letters.", "Name", "Value", "alpha", "1", "beta", "2",
    "A red picture.",
    "The last paragraph.",
]


def test_a_manuscript_becomes_a_source_with_every_text(runner, tmp_path):
    path = manuscript(tmp_path / "My Report.docx")
    result = _import(runner, path, tmp_path / "src", "--publisher", "A Think Tank")
    assert result.exit_code == 0, result.output
    article = load_article(tmp_path / "src" / "my-report" / "article.md")
    assert list(m.block_texts(article.body)) == READER_SEES
    assert list(m.note_texts(article.footnotes)) == ["The first note, with its own text."]
    assert article.title.in_lang("en") == "The Manuscript Title"
    assert [a.name.in_lang("en") for a in article.authors] == ["Ada Author"]
    assert str(article.published) == "2024-05-06"
    assert m.plain_text(article.summary[0].children) == "What the report finds, in one paragraph."
    assert article.lang == "en"


def test_a_manuscript_keeps_structure_emphasis_links_and_languages(runner, tmp_path):
    path = manuscript(tmp_path / "m.docx")
    assert _import(runner, path, tmp_path, "--publisher", "P").exit_code == 0
    article = load_article(tmp_path / "m" / "article.md")
    blocks = list(walk.blocks(article.body))
    headings = [(b.level, m.plain_text(b.children)) for b in blocks if isinstance(b, m.Heading)]
    assert headings == [(1, "Introduction"), (2, "Deeper down")]  # no level skipped
    first = next(b for b in blocks if isinstance(b, m.Paragraph))
    kinds = [type(n).__name__ for n in first.children]
    assert kinds == ["Text", "Emph", "Text", "Strong", "Text", "Code", "Text", "Link", "Text",
                     "NoteRef"]
    assert first.children[7].url == "https://example.org/page"
    spans = [n for n in walk.inlines(article.body) if isinstance(n, m.Span)]
    assert [(s.lang, m.plain_text(s.children)) for s in spans] == [("de", "Schadenfreude")]
    lists = [b for b in article.body if isinstance(b, m.ListBlock)]
    assert [b.ordered for b in lists] == [False, True]
    assert isinstance(lists[0].items[0][1], m.ListBlock)  # the inner point, nested
    table = next(b for b in blocks if isinstance(b, m.Table))
    assert [m.plain_text(c) for c in table.header] == ["Name", "Value"]
    figure = next(b for b in blocks if isinstance(b, m.Figure))
    assert figure.alt == "A red rectangle."
    assert figure.image.data == _png()
    assert (tmp_path / "m" / "figures" / "figure-1.png").read_bytes() == _png()
    assert any(isinstance(b, m.BlockQuote) for b in article.body)


@pytest.mark.slow
def test_an_imported_manuscript_passes_check(runner, tmp_path):
    path = manuscript(tmp_path / "m.docx")
    assert _import(runner, path, tmp_path, "--publisher", "P").exit_code == 0
    result = runner.invoke(cli, ["check", str(tmp_path / "m" / "article.md")])
    assert result.exit_code == 0, result.output


def test_missing_required_fields_are_named_with_their_options(runner, tmp_path):
    path = manuscript(tmp_path / "m.docx", title=False, props=False)
    doc = docx.Document(path)
    for para in list(doc.paragraphs):
        if para.style.name.startswith("Heading"):
            para.style = doc.styles["Normal"]
    doc.save(path)
    result = _import(runner, path, tmp_path / "out")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert any("--title" in line for line in lines)
    assert any("--author" in line for line in lines)
    assert any("--publisher" in line for line in lines)
    assert any("--date YYYY-MM-DD" in line for line in lines)
    assert all(line.startswith(f"{path}:1:1: ") or "m.docx:1:1: " in line for line in lines)
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    given = _import(runner, path, tmp_path / "out", "--title", "T", "--author", "A",
                    "--publisher", "P", "--date", "2024-01-02")
    assert given.exit_code == 0, given.output
    article = load_article(tmp_path / "out" / "m" / "article.md")
    assert (article.title.in_lang("en"), str(article.published)) == ("T", "2024-01-02")


# ---------------------------------------------------------------------------
# What the source cannot carry: reported, never dropped in silence


def test_comments_colours_and_equations_are_reported(runner, tmp_path):
    path = manuscript(tmp_path / "m.docx")
    doc = docx.Document(path)
    para = doc.add_paragraph("A paragraph in red with a remark.")
    para.runs[0].font.color.rgb = RGBColor(0xFF, 0, 0)
    doc.add_comment(para.runs, text="Check this figure", author="Editor")
    maths = doc.add_paragraph("Energy: ")
    maths._p.append(parse_xml(
        '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
        "<m:r><m:t>E=mc2</m:t></m:r></m:oMath>"))
    doc.save(path)
    result = _import(runner, path, tmp_path, "--publisher", "P")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert any("a comment (not kept): 'Check this figure'" in w and "'A paragraph in red" in w
               for w in warnings)
    assert any("a colour set by hand" in w for w in warnings)
    assert any("an equation (not kept): 'E=mc2'" in w for w in warnings)
    assert all("paragraph " in w for w in warnings)


def _tracked(path: Path) -> Path:
    doc = docx.Document(path)
    para = doc.add_paragraph()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    para._p.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve">Kept </w:t></w:r>'))
    para._p.append(parse_xml(f'<w:ins {w} w:id="91" w:author="E"><w:r><w:t>added</w:t></w:r>'
                             "</w:ins>"))
    para._p.append(parse_xml(f'<w:del {w} w:id="92" w:author="E"><w:r><w:delText> gone'
                             "</w:delText></w:r></w:del>"))
    doc.save(path)
    return path


def test_tracked_changes_are_refused_or_accepted(runner, tmp_path):
    path = _tracked(manuscript(tmp_path / "m.docx"))
    refused = _import(runner, path, tmp_path / "out", "--publisher", "P")
    assert refused.exit_code == 2
    assert "accept or reject the changes in Word first" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "m").exists()
    accepted = _import(runner, path, tmp_path / "out", "--publisher", "P", "--accept-changes")
    assert accepted.exit_code == 0, accepted.output
    texts = list(m.block_texts(load_article(tmp_path / "out" / "m" / "article.md").body))
    assert texts[-1] == "Kept added"


# ---------------------------------------------------------------------------
# Bad input: one line, exit 2, nothing written


def _docx_bytes(tmp_path: Path) -> bytes:
    return manuscript(tmp_path / "good.docx").read_bytes()


def _macro(tmp_path: Path) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes(tmp_path)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml",
                                    b"PLACEHOLDER").replace(
                    b"PLACEHOLDER", b"x").replace(
                    b"application/vnd.openxmlformats-officedocument.x",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
            target.writestr(info, data)
    return out.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
BAD = {
    "notes.docx": (lambda tmp: b"just some text\n", "not a Word document"),
    "legacy.doc": (lambda tmp: OLE, "Word 97-2003 document (.doc)"),
    "locked.docx": (lambda tmp: OLE, "password-protected"),
    "broken.docx": (lambda tmp: _docx_bytes(tmp)[:3000], "damaged"),
    "macros.docm": (_macro, "macro-enabled document (.docm)"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_line_and_exit_2(runner, tmp_path, name):
    make, words = BAD[name]
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    out = tmp_path / "out"
    result = _import(runner, path, out, "--publisher", "P")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:1:1: ") or (
        len(lines) == 1 and f"{name}:1:1: " in lines[0]), lines
    assert words in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_an_existing_article_is_replaced_only_with_force(runner, tmp_path):
    path = manuscript(tmp_path / "m.docx")
    assert _import(runner, path, tmp_path, "--publisher", "P").exit_code == 0
    again = _import(runner, path, tmp_path, "--publisher", "P")
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = _import(runner, path, tmp_path, "--publisher", "Q", "--force")
    assert forced.exit_code == 0, forced.output
    article = load_article(tmp_path / "m" / "article.md")
    assert article.publisher.name.in_lang("en") == "Q"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.docx", "m", "m.docx"] or sorted(
        p.name for p in tmp_path.iterdir()) == ["m", "m.docx"]


def test_a_picture_that_is_not_what_it_claims_is_reported(runner, tmp_path):
    path = manuscript(tmp_path / "m.docx")
    data = path.read_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename.startswith("word/media/"):
                blob = b"\x01\x00\x00\x00" + bytes(200)  # an EMF header, not a PNG
            target.writestr(info, blob)
    path.write_bytes(out.getvalue())
    result = _import(runner, path, tmp_path / "out", "--publisher", "P")
    assert result.exit_code == 0, result.output
    assert "EMF or WMF" in result.stderr
    assert not (tmp_path / "out" / "m" / "figures").exists()


def test_what_markdown_cannot_mark_up_is_kept_as_its_words(runner, tmp_path):
    """Italics that open on a comma after a digit, an italic full stop, a bold colon after
    a word, a link whose words are in a regional English, and a link to a mistyped address:
    the reader sees the same words, never an asterisk or a bracket of Markdown."""
    doc = docx.Document()
    _set_lang(doc, "en-US")
    doc.core_properties.author = "A. Author"
    doc.core_properties.created = datetime.datetime(2024, 5, 6)
    doc.add_paragraph("Marks", style="Title")
    para = doc.add_paragraph("See SP 800-37")
    para.add_run(", Revision 1, Guide for Applying the Framework").italic = True
    para.add_run(", Chapter 2; attestation")
    para.add_run(".").italic = True
    para.add_run(" Note")
    para.add_run(":").bold = True
    para.add_run(" the ")
    link = hyperlink(doc.part, "https://example.org/act")
    link.append(make_run("Financial Administration Act", lang="en-CA", italic=True))
    para._p.append(link)
    para.add_run(" and the ")
    broken = hyperlink(doc.part, "ttps://example.org/typo")
    broken.append(make_run("EN 301 549"))
    para._p.append(broken)
    para.add_run(" standard.")
    doc.save(tmp_path / "marks.docx")
    result = _import(runner, tmp_path / "marks.docx", tmp_path / "out", "--publisher", "P",
                     "--summary", "S.")
    assert result.exit_code == 0, result.output
    assert "'ttps://example.org/typo', not a web or mail address" in result.stderr
    article = load_article(tmp_path / "out" / "marks" / "article.md")
    (paragraph,) = article.body
    assert m.plain_text(paragraph.children) == (
        "See SP 800-37, Revision 1, Guide for Applying the Framework, Chapter 2; attestation. "
        "Note: the Financial Administration Act and the EN 301 549 standard.")
    links = [n for n in walk.inlines(article.body) if isinstance(n, m.Link)]
    assert [(n.url, m.plain_text(n.children)) for n in links] == [
        ("https://example.org/act", "Financial Administration Act")]
    spans = [n for n in walk.inlines(article.body) if isinstance(n, m.Span)]
    assert [s.lang for s in spans] == ["en-CA"]
    emphasis = [m.plain_text(n.children) for n in walk.inlines(article.body)
                if isinstance(n, m.Emph)]  # fmt: skip
    assert "Revision 1, Guide for Applying the Framework" in emphasis


# ---------------------------------------------------------------------------
# The round trip: source → Word edition → import → the same article


def _entries_as_paragraphs(sequence: tuple[m.Block, ...]) -> list[m.Block]:
    """The works cited as the paragraphs they are in Word: an import has no bibliography
    file to set them from again, so it keeps their text."""
    out: list[m.Block] = []
    for block in sequence:
        if isinstance(block, m.Bibliography):
            out += [m.Paragraph(((m.Text(f"{e.label}\u00a0"),) if e.label else ()) + e.children)
                    for e in block.entries]  # fmt: skip
        else:
            out.append(block)
    return out


def _normalised(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """Blocks as a reader sees them: without line numbers and the image's file, and each
    run of inlines as its characters with the marks each is set with (bold, italic, code,
    link, language), so that how the source nested them (an emphasis in a link or a link
    in an emphasis, bold in italics or italics in bold, a text in one piece or several) and
    whether a space between two italic words is itself italic do not count."""

    def marked(nodes: tuple[m.Inline, ...], marks: tuple[str, ...]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for node in nodes:
            if isinstance(node, m.Text | m.Code):
                kind = marks + (("code",) if isinstance(node, m.Code) else ())
                plain = tuple(k for k in kind if k not in ("b", "i"))
                out += [(c, " ".join(sorted(set(plain if c.isspace() else kind))))
                        for c in node.text]  # fmt: skip
            elif isinstance(node, m.Emph | m.Strong | m.Link | m.Span):
                mark = {m.Emph: "i", m.Strong: "b"}.get(type(node)) or (
                    f"link={node.url}" if isinstance(node, m.Link) else f"lang={node.lang}")
                out += marked(node.children, (*marks, mark))
            else:
                out.append((repr(node), " ".join(sorted(set(marks)))))
        return out

    def inlines(nodes: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        runs = [(marks, "".join(c for c, _ in group)) for marks, group in
                itertools.groupby(marked(nodes, ()), key=lambda cm: cm[1])]  # fmt: skip
        return tuple(m.Text(f"[{marks}]{text}") for marks, text in runs)

    def change(block: m.Block) -> m.Block:
        block = walk.with_inlines(block, inlines)
        if isinstance(block, m.Figure):
            block = dataclasses.replace(block, image=None)
        return dataclasses.replace(block, line=0) if hasattr(block, "line") else block

    def quotes(sequence: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
        """Adjacent quotes as one: Word has no quote to hold paragraphs, only a style."""
        out: list[m.Block] = []
        for block in sequence:
            if isinstance(block, m.BlockQuote) and out and isinstance(out[-1], m.BlockQuote):
                out[-1] = m.BlockQuote(out[-1].blocks + block.blocks)
            else:
                out.append(block)
        return tuple(out)

    return quotes(walk.map_blocks(tuple(_entries_as_paragraphs(blocks)), change))


def _any_order(value: object) -> object:
    """``value`` with the translations of each localized text in one order."""
    if isinstance(value, m.LocalizedText):
        return m.LocalizedText(tuple(sorted(value.items)))
    if isinstance(value, tuple):
        return tuple(_any_order(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _any_order(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


def _sources() -> list[Path]:
    """Every article of the corpus and of source/."""
    return sorted([*ROOT.glob("tests/corpus/*/article.md"), *ROOT.glob("source/*/article.md")])


@pytest.fixture(scope="module")
def round_trips(tmp_path_factory) -> dict[str, tuple[m.Article, m.Article]]:
    runner = CliRunner()
    folder = tmp_path_factory.mktemp("round-trip")
    done = {}
    for source in _sources():
        slug = source.parent.name
        result = runner.invoke(cli, ["docx", str(source), "-o", str(folder / "docx")])
        assert result.exit_code == 0, result.output
        imported = runner.invoke(cli, ["import", str(folder / "docx" / f"{slug}.docx"),
                                       "-o", str(folder / "src")])
        assert imported.exit_code == 0, imported.output
        assert "warning" not in imported.stderr, imported.stderr
        done[slug] = (load_article(source), load_article(folder / "src" / slug / "article.md"))
    return done


@pytest.mark.parametrize("slug", [p.parent.name for p in _sources()])
def test_the_word_edition_imports_back_to_the_same_model(round_trips, slug):
    before, after = round_trips[slug]
    assert _normalised(after.body) == _normalised(before.body)
    assert [dataclasses.replace(n, line=0, blocks=_normalised(n.blocks)) for n in after.footnotes] \
        == [dataclasses.replace(n, line=0, blocks=_normalised(n.blocks)) for n in before.footnotes]
    assert _normalised(after.summary) == _normalised(before.summary)
    for field in ("slug", "lang", "title", "subtitle", "short_title", "published", "date_note",
                  "web", "keywords", "license", "attribution", "doi", "series",
                  "series_number", "dateline", "related", "polls"):
        assert getattr(after, field) == getattr(before, field), field
    # names in every language (the order their languages are written in is not kept)
    assert _any_order(after.publisher) == _any_order(before.publisher)
    assert _any_order(after.authors) == _any_order(before.authors)
    figures = [[(f.alt, f.caption, f.credit, f.width, f.ident, f.image.media_type)
                for f in walk.blocks(a.body) if isinstance(f, m.Figure)]
               for a in (before, after)]  # fmt: skip
    assert figures[0] == figures[1]


def test_the_sample_imports_back_with_its_pictures_byte_for_byte(round_trips):
    before, after = round_trips["a4-and-letter"]
    pictures = [(f.image.media_type, f.image.data) for f in walk.blocks(after.body)
                if isinstance(f, m.Figure)]  # fmt: skip
    original = [f.image for f in walk.blocks(before.body) if isinstance(f, m.Figure)]
    assert pictures[1] == (original[1].media_type, original[1].data)  # a PNG, byte for byte
    assert pictures[0] == (original[0].media_type, original[0].data)  # the SVG Word keeps


def test_the_seed_imports_back_with_its_poll_and_related_box(round_trips):
    before, after = round_trips["tajikistan-choice-amid-sanctions"]
    assert after.polls == before.polls  # ids and published shares too
    assert after.related == before.related
    kinds = [type(b).__name__ for b in after.body]
    assert kinds == [type(b).__name__ for b in before.body]


@pytest.mark.slow
def test_a_correction_in_word_is_that_change_in_the_source(runner, tmp_path):
    """An editor sends the Word edition out, a word is corrected in Word, the file comes
    back: importing it again changes that word in article.md and nothing else."""
    source = ROOT / "source" / "tajikistan-choice-amid-sanctions" / "article.md"
    assert runner.invoke(cli, ["docx", str(source), "-o", str(tmp_path / "docx")]).exit_code == 0
    sent = tmp_path / "docx" / "tajikistan-choice-amid-sanctions.docx"
    first = _import(runner, sent, tmp_path / "first")
    assert first.exit_code == 0, first.output
    doc = docx.Document(str(sent))
    corrected = 0
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if "glossed over" in run.text and not corrected:
                run.text = run.text.replace("glossed over", "passed over")
                corrected += 1
    assert corrected == 1
    doc.save(str(tmp_path / "back.docx"))
    second = _import(runner, tmp_path / "back.docx", tmp_path / "second",
                     "--slug", "tajikistan-choice-amid-sanctions")
    assert second.exit_code == 0, second.output
    before = (tmp_path / "first" / "tajikistan-choice-amid-sanctions" / "article.md")
    after = (tmp_path / "second" / "tajikistan-choice-amid-sanctions" / "article.md")
    old = before.read_text(encoding="utf-8").splitlines()
    new = after.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert len(old) == len(new)
    header = [(a, b) for a, b in changed if a.startswith("# Imported from")]
    body = [(a, b) for a, b in changed if (a, b) not in header]
    assert len(body) == 1
    a, b = body[0]
    assert a.replace("glossed over", "passed over") == b


@pytest.mark.slow
def test_generated_articles_import_back_to_the_same_model(tmp_path):
    """Random Latin and Cyrillic text, compounds, addresses, emphasis, links, headings, lists
    and quotes: each article's Word edition imports back to the same body."""
    from hypothesis import given, settings
    from test_properties import FRONT_MATTER, SETTINGS, articles

    runner = CliRunner()
    counter = iter(range(1_000_000))

    @settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 40))
    @given(articles)
    def run(blocks: list[tuple[str, list[str]]]) -> None:
        folder = tmp_path / str(next(counter))
        source = folder / "property" / "article.md"
        source.parent.mkdir(parents=True)
        body = "\n\n".join(markdown for markdown, _ in blocks)
        source.write_text(FRONT_MATTER + body + "\n", encoding="utf-8")
        made = runner.invoke(cli, ["docx", str(source), "-o", str(folder / "docx")])
        assert made.exit_code == 0, made.output
        back = _import(runner, folder / "docx" / "property.docx", folder / "src")
        assert back.exit_code == 0, back.output
        before = load_article(source)
        after = load_article(folder / "src" / "property" / "article.md")
        assert _normalised(after.body) == _normalised(before.body), body

    run()
