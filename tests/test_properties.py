"""Property tests: random Latin and Cyrillic text in random Markdown structure goes through every
format without a crash, and the text read back from each edition is the source text."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from readers import edition_text

from conftest import find_in_order
from exporter.cli import cli
from exporter.style import load_style

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
OTHER = "0123456789.,;:?!&<>\"'()%/«»—–’"

FRONT_MATTER = """---
slug: property
lang: en
title:
  en: "Property Title"
  ru: "Заглавие свойства"
authors:
  - name: "Test Author"
publisher:
  name: "Test Publisher"
published: 2024-01-31
summary: "Short summary."
---

"""

word = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(LATIN + CYRILLIC),
    st.text(alphabet=LATIN + CYRILLIC + OTHER, max_size=11),
)
words = st.lists(word, min_size=1, max_size=14).map(" ".join)


@st.composite
def inline_text(draw: st.DrawFn) -> tuple[str, str]:
    """Markdown for one line of inline text, and the text a reader sees."""
    marked = st.tuples(st.sampled_from(["", "*", "**"]), words)
    parts = draw(st.lists(marked, min_size=1, max_size=3))
    markdown = " ".join(f"{mark}{text}{mark}" for mark, text in parts)
    return markdown, " ".join(text for _, text in parts)


@st.composite
def block(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Markdown for one block and the texts a reader sees in it, in order."""
    kind = draw(st.sampled_from(["paragraph", "heading", "list", "ordered", "quote"]))
    if kind in ("list", "ordered"):
        items = draw(st.lists(inline_text(), min_size=1, max_size=3))
        marks = ["-" if kind == "list" else f"{n}." for n in range(1, len(items) + 1)]
        lines = [f"{mark} {md}" for mark, (md, _) in zip(marks, items, strict=True)]
        return "\n".join(lines), [text for _, text in items]
    markdown, text = draw(inline_text())
    prefix = {"paragraph": "", "heading": "#" * draw(st.integers(1, 3)) + " ", "quote": "> "}
    return prefix[kind] + markdown, [text]


articles = st.lists(block(), min_size=1, max_size=5)


def check_format(fmt: str, blocks: list[tuple[str, list[str]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "article.md"
        body = "\n\n".join(markdown for markdown, _ in blocks)
        source.write_text(FRONT_MATTER + body + "\n", encoding="utf-8")
        out = Path(tmp) / "out"
        result = CliRunner().invoke(cli, [fmt, str(source), "-o", str(out)])
        assert result.exit_code == 0, result.output
        (edition,) = [p for p in out.iterdir() if not p.name.startswith(".")]
        page = load_style("handout" if fmt == "handout" else "default").page
        text = edition_text(edition, (page.margin_top.pt, page.margin_bottom.pt))
    expected = [t for _, texts in blocks for t in texts]
    assert find_in_order(text, expected, once=False) == []


SETTINGS = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: CI time stays bounded
)


@pytest.mark.parametrize("fmt", ["pdf", "handout", "docx", "epub"])
def test_random_articles_read_back_as_written(fmt):
    @SETTINGS
    @given(articles)
    def run(blocks: list[tuple[str, list[str]]]) -> None:
        check_format(fmt, blocks)

    run()
