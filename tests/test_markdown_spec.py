"""Nothing silent: every example of the CommonMark spec and of the GFM table and footnote
extensions is either refused with a one-line file:line:column error or carried into every
edition, and no edition shows Markdown syntax the source meant as structure.

What is "meant as structure" is decided by markdown-it's own HTML rendering of the example
(with tables and footnotes, raw HTML shown as text as the toolkit shows it): a ``![`` or
``[^`` that is text there may be text in an edition; one that it turned into an image or a
note may not.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path

import lxml.html
from readers import READERS

from exporter import model as m
from exporter.errors import SourceError
from exporter.formats import ExportOptions, edition_names, load_format
from exporter.source.loader import load_article
from exporter.style import load_style

SPEC = Path(__file__).parent / "fixtures" / "markdown-spec"
MARKERS = ("![", "[^", "|---", "---|", "|:--", "--:|")
FRONT = """---
slug: spec-example
lang: en
title: Spec example
authors: [{name: A. Writer}]
publisher: {name: Publisher}
published: 2024-01-02
summary: An example of the Markdown specification.
---

"""


def _examples(name: str) -> list[dict]:
    return json.loads((SPEC / name).read_text(encoding="utf-8"))


def _reference_text(markdown: str) -> str:
    """The text a reader sees in markdown-it's own rendering of ``markdown``."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable("table")  # raw HTML is text, as ours
    footnote_plugin(md)
    html = md.render(markdown)
    return lxml.html.fromstring(f"<div>{html}</div>").text_content() if html.strip() else ""


def _count(text: str) -> dict[str, int]:
    flat = re.sub(r"\s+", "", text)
    return {marker: flat.count(marker) for marker in MARKERS}


def _load(tmp_path: Path, number: int, markdown: str) -> m.Article | None:
    """The example as an article, or None when the toolkit refuses it (in one-line errors
    that name file:line:column); anything else fails the test."""
    folder = tmp_path / f"example-{number}"
    folder.mkdir()
    path = folder / "article.md"
    path.write_text(FRONT + markdown, encoding="utf-8")
    try:
        return load_article(path)
    except SourceError as exc:
        for line in exc.lines():
            assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: \S", line), line
            assert "\n" not in line
        return None


def _render_all(article: m.Article) -> dict[str, str]:
    """The text of every edition of ``article`` as its own reader reads it back."""
    texts = {}
    for name in edition_names():
        if name == "plaintext":
            continue
        fmt = load_format(name)
        out = io.BytesIO()
        fmt().write(article, load_style(fmt.default_style), ExportOptions(embed_fonts=False), out)
        reader = READERS["." + fmt.suffix.rsplit(".", 1)[1]]
        texts[name] = reader(out.getvalue())
    return texts


def _combined(articles: list[tuple[int, m.Article]]) -> m.Article:
    """One article holding the bodies of many examples, each under its own heading."""
    body: list[m.Block] = []
    for number, article in articles:
        body.append(m.Heading(1, (m.Text(f"Example {number}"),), 0, f"example-{number}"))
        body += article.body
    return dataclasses.replace(articles[0][1], body=tuple(body))


def _check(name: str, tmp_path: Path) -> tuple[int, int]:
    loaded: list[tuple[int, m.Article]] = []
    expected = dict.fromkeys(MARKERS, 0)
    refused = 0
    with_notes: list[tuple[int, m.Article, dict[str, int]]] = []
    for example in _examples(name):
        article = _load(tmp_path, example["example"], example["markdown"])
        if article is None:
            refused += 1
            continue
        counts = _count(_reference_text(example["markdown"]))
        if article.footnotes:
            with_notes.append((example["example"], article, counts))
            continue
        loaded.append((example["example"], article))
        for marker, n in counts.items():
            expected[marker] += n
    if loaded:
        for fmt, text in _render_all(_combined(loaded)).items():
            found = _count(text)
            shown = {k: v for k, v in found.items() if v > expected[k]}
            assert not shown, (fmt, shown, expected)
    for number, article, counts in with_notes:
        for fmt, text in _render_all(article).items():
            found = _count(text)
            shown = {k: v for k, v in found.items() if v > counts[k]}
            assert not shown, (number, fmt, shown)
    return len(loaded) + len(with_notes), refused


def test_commonmark_examples_are_carried_or_refused(tmp_path):
    carried, refused = _check("commonmark.json", tmp_path)
    assert carried + refused == 652
    assert carried > 400  # most of CommonMark is carried, not refused


def test_gfm_table_examples_are_carried_or_refused(tmp_path):
    carried, refused = _check("gfm-tables.json", tmp_path)
    assert carried + refused == 9 and carried >= 7


def test_footnote_examples_are_carried_or_refused(tmp_path):
    carried, refused = _check("footnotes.json", tmp_path)
    assert carried + refused == 18 and carried >= 10


def test_a_pipe_table_is_a_table_and_a_note_a_note_in_every_edition(tmp_path):
    markdown = "| A | B |\n|---|--:|\n| x | 1 |\n\nText[^n].\n\n[^n]: The note.\n"
    article = _load(tmp_path, 0, markdown)
    assert article is not None
    assert isinstance(article.body[0], m.Table) and article.footnotes
    for fmt, text in _render_all(article).items():
        flat = re.sub(r"\s+", "", text)
        assert "|" not in flat and "[^" not in flat, fmt
        assert "Thenote." in flat, fmt
