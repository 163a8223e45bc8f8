"""Real Word manuscripts (``tests/manuscripts``, where each comes from and its licence in
``SOURCES.md``) imported with ``exporter import`` and built into every edition: every
paragraph, heading, note, table cell and picture description of the manuscript, as an
independent reader (docx2python) sees it, reaches each edition with its characters as typed
(an imported article has ``typography: false``)."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner, Result
from lxml import etree
from readers import docx_text, epub_text, html_text, pdf_raw_text, text_area

from conftest import as_written, find_in_order
from exporter.cli import cli
from exporter.formats import edition_names, load_format
from exporter.style import load_style

MANUSCRIPTS = Path(__file__).resolve().parent / "manuscripts"
FILES = sorted(p.name for p in MANUSCRIPTS.glob("*.docx"))

# What a manuscript does not say and the import asks for (see SOURCES.md): the words are the
# manuscript's own where it has them.
OPTIONS: dict[str, list[str]] = {
    "fedramp-significant-change.docx": [
        "--summary", "This document provides guidance and requirements for making significant "
        "changes to a Cloud Service Offering (CSO) in support of maintaining a Federal Risk and "
        "Authorization Management Program (FedRAMP) Authorization to Operate (ATO) or "
        "Provisional Authorization to Operate (P-ATO).",
    ],
    "gc-ict-procurement-guide.docx": [
        "--publisher", "Shared Services Canada",
        "--summary", "This Guide has been prepared for Government of Canada (GC) departments, "
        "agencies and organizations.",
    ],
    "rosstat-tz-attestation.docx": [
        "--title", "Техническое задание на оказание услуг по аттестации государственной "
        "информационной системы «Информационно-вычислительная система Росстата» по "
        "требованиям безопасности информации (этап 1)",
        "--summary", "Настоящее техническое задание регламентирует требования к оказанию услуг "
        "по аттестации государственной информационной системы «Информационно-вычислительная "
        "система Росстата» по требованиям безопасности информации в 2020 году.",
    ],
}

FORMATS = {name: load_format(name) for name in edition_names()}
PAGES = {name: f.default_style for name, f in FORMATS.items() if f.suffix.endswith(".pdf")}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def test_every_manuscript_has_its_source_and_licence():
    assert len(FILES) >= 3
    sources = (MANUSCRIPTS / "SOURCES.md").read_text("utf-8")
    for name in FILES:
        assert f"`{name}`" in sources, f"{name} is not described in SOURCES.md"
        assert (MANUSCRIPTS / name).stat().st_size < 2_000_000
    assert set(OPTIONS) <= set(FILES)


# ---------------------------------------------------------------------------
# The manuscript as docx2python reads it


@dataclass
class Manuscript:
    """What a reader of the Word file sees, in document order: ``flow`` every passage of the
    body (paragraphs and headings, table cells where they stand), ``tables`` the cells of each
    table, ``captions`` the words of each numbered caption, ``notes`` the paragraphs of every
    note the body calls, ``alts`` the descriptions of its pictures. A paragraph is cut where a
    note is called and where a link ends: an edition sets its own call there (or, on paper,
    the link's note mark)."""

    flow: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)  # the flow without tables and captions
    tables: list[list[str]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    alts: list[str] = field(default_factory=list)


NUMBER = re.compile(r"^\t*(?:--|(?:[0-9]+|[a-zA-Z]+)\))\t")  # docx2python's list number or bullet
CALL = re.compile(r"----(foot|end)note(\d+)----")
ALT = re.compile(r"----Image alt text---->(.*?)<(?=----|$)", re.S)
MEDIA = re.compile(r"----media/[^-]*?----")
LINK_START = re.compile(r'<a href="[^"]*">')
NOTE_START = re.compile(r"^(foot|end)note(\d+)\)\t")
# A caption's label ("Figure 4-1", "Table 2.") is numbered by the editions themselves.
LABELS = "(?:Figure|Fig\\.|Table|Рисунок|Рис\\.|Таблица)"
LABEL = re.compile(rf"^\s*{LABELS}\s*\d[\w.\-\u2010-\u2015]*\s*[.:\u2013\u2014-]?\s*")


def _style_names(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        styles = etree.fromstring(zf.read("word/styles.xml"))
    return {s.get(f"{W}styleId"): (s.find(f"{W}name").get(f"{W}val") or "").lower()
            for s in styles.iter(f"{W}style") if s.find(f"{W}name") is not None}  # fmt: skip


def _pieces(text: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """A paragraph's text cut at note calls and link ends, its pictures' descriptions and the
    notes it calls."""
    alts = [a.strip() for a in ALT.findall(text) if a.strip()]
    text = MEDIA.sub("", ALT.sub("", text))
    calls = [(kind, number) for kind, number in CALL.findall(text)]
    text = LINK_START.sub("", CALL.sub("\x00", text)).replace("</a>", "\x00")
    return [p for p in text.split("\x00") if p.strip()], alts, calls


def _listing(style: str) -> bool:
    return bool(re.fullmatch(r"toc \d|table of figures", style))


@functools.cache
def read_manuscript(path: Path) -> Manuscript:
    from docx2python import docx2python
    from docx2python.iterators import iter_paragraphs

    names = _style_names(path)
    seen = Manuscript()
    calls: list[tuple[str, str]] = []
    with docx2python(path, duplicate_merged_cells=False) as doc:
        paragraphs = list(iter_paragraphs(doc.body_pars))
        notes = {"foot": _notes(doc.footnotes_pars, iter_paragraphs),
                 "end": _notes(doc.endnotes_pars, iter_paragraphs)}  # fmt: skip
    styles = [names.get(p.style or "", "") for p in paragraphs]
    table: list[str] | None = None
    for index, (par, style) in enumerate(zip(paragraphs, styles, strict=True)):
        if _listing(style):
            continue  # a table of contents (or of figures) Word fills in: not the text's
        if style == "toc heading" and any(_listing(s) for s in styles[index + 1:index + 3]):
            continue  # the heading of that table
        text = NUMBER.sub("", "".join(run.text for run in par.runs))
        pieces, alts, called = _pieces(text)
        seen.alts += alts
        calls += called
        caption = style == "caption" and bool(pieces) and bool(LABEL.match(pieces[0]))
        if caption:  # numbered by the editions themselves: its words are what must be kept
            pieces = [p for p in [LABEL.sub("", pieces[0]), *pieces[1:]] if p.strip()]
            seen.captions += pieces[:1]
        if "tc" in par.lineage:  # a table cell (a row may stand in a content control)
            if table is None:
                table = []
                seen.tables.append(table)
            table += pieces
        else:
            table = None
            if not caption:
                seen.body += pieces
        seen.flow += pieces
    for kind, number in calls:
        seen.notes += notes[kind].get(number, [])
    return seen


def _notes(pars, iter_paragraphs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current: list[str] = []
    for par in iter_paragraphs(pars):
        text = "".join(run.text for run in par.runs)
        start = NOTE_START.match(text)
        if start:
            current = out.setdefault(start.group(2), [])
            text = text[start.end():]
        pieces, _, _ = _pieces(NUMBER.sub("", text))
        current += pieces
    return out


# ---------------------------------------------------------------------------
# Import and build


def _import(name: str, out: Path) -> Result:
    return CliRunner().invoke(
        cli, ["import", str(MANUSCRIPTS / name), "-o", str(out), "--slug", Path(name).stem,
              *OPTIONS.get(name, [])])  # fmt: skip


@pytest.mark.parametrize("name", FILES)
def test_the_manuscript_imports(name, tmp_path):
    result = _import(name, tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / Path(name).stem / "article.md").is_file()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The folder of every edition of a manuscript, imported and built once."""
    done: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in done:
            folder = tmp_path_factory.mktemp(Path(name).stem)
            imported = _import(name, folder / "source")
            assert imported.exit_code == 0, imported.output
            source = folder / "source" / Path(name).stem / "article.md"
            result = CliRunner().invoke(cli, ["all", str(source), "-o", str(folder / "dist")])
            assert result.exit_code == 0, result.output
            done[name] = folder / "dist"
        return done[name]

    return build


def edition_text(data: bytes, fmt: str) -> str:
    if fmt in PAGES:
        return pdf_raw_text(data, text_area(load_style(PAGES[fmt]).page))
    return {"docx": docx_text, "epub": epub_text, "html": html_text}[fmt](data)


def edition_alts(data: bytes, fmt: str) -> list[str]:
    """The description of every picture of an edition: a tagged PDF's Figure /Alt, a Word
    picture's descr, an <img>'s alt."""
    if fmt in PAGES:
        import pikepdf

        alts: list[str] = []
        with pikepdf.open(io.BytesIO(data)) as pdf:
            stack = [pdf.Root.StructTreeRoot]
            while stack:
                node = stack.pop()
                if node.get("/S") == "/Figure" and "/Alt" in node:
                    alts.append(str(node.Alt))
                kids = node.get("/K")
                for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
                    if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                        stack.append(kid)
        return alts
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            document = etree.fromstring(zf.read("word/document.xml"))
        return [d.get("descr") or "" for d in document.iter(f"{WP}docPr")]
    if fmt == "html":
        return [img.get("alt") or "" for img in lxml.html.fromstring(data).iter("img")]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist() if n.endswith((".xhtml", ".html"))]
        return [img.get("alt") or "" for n in names
                for img in etree.fromstring(zf.read(n)).iter("{*}img")]  # fmt: skip


def _key(text: str) -> str:
    """Text as compared: every character as written (``as_written``) but for the non-breaking
    hyphen, which docx2python does not read (``w:noBreakHyphen``), left out on both sides."""
    return as_written(text).replace("\u2011", "")


def without(text: str, passages: list[str]) -> str:
    """``text`` with each of ``passages`` taken out once: a note printed at a page's foot
    stands between the two parts of a paragraph set over two pages."""
    text = _key(text)
    for passage in passages:
        text = re.sub(rf"(?:\d+\.)?{re.escape(_key(passage))}", "", text, count=1)
    return text


FLOAT = re.compile(rf"{LABELS}\d")  # how a table or figure starts on paper
FLOAT_MAX = 30_000


def _find(hay: str, needle: str, start: int, floats: bool) -> int:
    """Where ``needle`` ends in ``hay`` after ``start`` (-1: nowhere). With ``floats``, one
    table or figure (it starts with its label) may stand between two parts of it: on paper a
    float that does not fit waits for the next page while the text goes on."""
    at = hay.find(needle, start)
    if at >= 0 or not floats:
        return at + len(needle) if at >= 0 else -1
    head = needle[:12]
    at = hay.find(head, start)
    while at >= 0:
        same = len(head)
        while same < len(needle) and at + same < len(hay) and hay[at + same] == needle[same]:
            same += 1
        for cut in range(same, max(len(head), same - 8) - 1, -1):  # "…then Table 2…"
            after = hay[at + cut:at + cut + FLOAT_MAX]
            if FLOAT.match(after) and (rest := after.find(needle[cut:])) >= 0:
                return at + cut + rest + len(needle) - cut
        at = hay.find(head, at + 1)
    return -1


def _astray(hay: str, passages: list[str], index: int, at: int, end: int, floats: bool) -> bool:
    """Whether a passage was found only past where the ones after it are (a number, a date
    found much further on): then it is the one out of place, not all those after it."""

    def run(start: int) -> int:  # how many of the next passages follow in order
        found = 0
        for passage in passages[index + 1:index + 16]:
            if (end := _find(hay, _key(passage), start, floats)) >= 0:
                found, start = found + 1, end
        return found

    return run(at) > run(end)


def missing_in_order(text: str, passages: list[str], floats: bool = False) -> list[str]:
    """The passages not found in ``text`` in order (``conftest.find_in_order`` shows where a
    missing one stops matching)."""
    hay, at, problems = _key(text), 0, []
    for index, passage in enumerate(passages):
        needle = _key(passage)
        end = _find(hay, needle, at, floats) if needle else at
        if end >= 0 and _astray(hay, passages, index, at, end, floats):
            problems.append(f"out of order: {passage[:70]!r}")
        elif end >= 0:
            at = end
        elif _find(hay, needle, 0, floats) >= 0:
            problems.append(f"out of order: {passage[:70]!r}")
        else:
            problems += find_in_order(hay, [passage], once=False, key=_key) or [
                f"missing: {passage[:70]!r}"]
    return problems


def edition_problems(seen: Manuscript, data: bytes, fmt: str) -> list[str]:
    """What of the manuscript an edition (``data``, of format ``fmt``) does not hold."""
    text = edition_text(data, fmt)
    problems = [f"note {p}" for p in missing_in_order(text, seen.notes)]
    body = without(text, seen.notes)
    if fmt in PAGES:
        # on paper a table or figure (with its caption) may wait for the next page or
        # column while the text goes on: each table is read whole, the rest in order
        problems += missing_in_order(body, seen.body, floats=True)
        for cells in seen.tables:
            problems += [f"table {p}" for p in missing_in_order(body, cells)]
    else:
        problems += missing_in_order(body, seen.flow)
    # a numbered caption: the edition's own label ("Table 3.", «Таблица 3.»), then its words
    problems += [f"caption not after its label: {c[:60]!r}" for c in seen.captions
                 if not re.search(rf"{LABELS}\d+\.?{re.escape(_key(c))}", _key(text))]
    alts = {_key(a) for a in edition_alts(data, fmt)}
    problems += [f"picture description missing: {a[:70]!r}" for a in seen.alts
                 if _key(a) not in alts]  # fmt: skip
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", FILES)
def test_every_text_of_the_manuscript_reaches_every_edition(built, name, fmt):
    seen = read_manuscript(MANUSCRIPTS / name)
    assert seen.flow, "docx2python reads no text"
    data = (built(name) / FORMATS[fmt].filename(Path(name).stem)).read_bytes()
    problems = edition_problems(seen, data, fmt)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
