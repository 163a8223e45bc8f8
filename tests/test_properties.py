"""Property tests: random Latin and Cyrillic text, compounds, URLs, emphasis and links in random
Markdown structure go through every format without a crash, and the text read back from each
edition is the source text, every character and every hyphen as written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from readers import edition_text, pdf_raw_text, text_area

from conftest import missing_as_written
from exporter.cli import cli
from exporter.edition import link_notes, printed_texts
from exporter.formats import edition_names, load_format
from exporter.model import block_texts
from exporter.source import load_article
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
LETTERS = st.text(alphabet=LATIN + CYRILLIC, min_size=1, max_size=12)
compound = st.lists(LETTERS, min_size=2, max_size=5).map("-".join)  # state-of-the-art
url = st.builds(
    lambda host, parts, query: f"https://{host}.org/{'/'.join(parts)}?{query}",
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10),
    st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1,
                     max_size=24), min_size=1, max_size=6),
    st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
             min_size=1, max_size=4).map(lambda keys: "&".join(f"{k}={k}" for k in keys)),
)  # fmt: skip
words = st.lists(st.one_of(word, word, compound, url), min_size=1, max_size=14).map(" ".join)
plain_words = st.lists(st.one_of(word, compound), min_size=1, max_size=6).map(" ".join)


@st.composite
def marked(draw: st.DrawFn) -> tuple[str, str]:
    """One stretch of inline Markdown (plain, emphasis, strong or a link) and its text."""
    kind = draw(st.sampled_from(["", "*", "**", "link"]))
    if kind == "link":
        text, target = draw(plain_words), draw(url)
        return f"[{text}]({target})", text
    text = draw(words)
    return f"{kind}{text}{kind}", text


@st.composite
def inline_text(draw: st.DrawFn) -> tuple[str, str]:
    """Markdown for one line of inline text, and the text a reader sees."""
    parts = draw(st.lists(marked(), min_size=1, max_size=3))
    return " ".join(md for md, _ in parts), " ".join(text for _, text in parts)


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
        data = edition.read_bytes()
        if edition.suffix == ".pdf":
            page = load_style(load_format(fmt).default_style).page
            text = pdf_raw_text(data, text_area(page))
        else:
            text = edition_text(edition)
        # what the Markdown means (``a=_b ... c_`` is emphasis, not underscores); on paper
        # a link whose words are not its address is followed by its link note's mark
        article = load_article(source)
        expected = list(block_texts(article.body))
        if edition.suffix == ".pdf":
            expected = printed_texts(article.body, link_notes(article))
    assert missing_as_written(text, expected) == []


SETTINGS = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: CI time stays bounded
)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", edition_names())
def test_random_articles_read_back_as_written(fmt):
    @SETTINGS
    @given(articles)
    def run(blocks: list[tuple[str, list[str]]]) -> None:
        check_format(fmt, blocks)

    run()
