"""Shared fixtures: the seed article, its style sheets and the passages every edition must hold."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from exporter.formats import default_names, edition_names, load_format
from exporter.model import Article, Callout, block_texts
from exporter.source import load_article
from exporter.style import StyleSheet, load_style

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "tajikistan-choice-amid-sanctions" / "article.md"
SUFFIXES = tuple(load_format(name).suffix for name in edition_names())  # every edition's
MADE = tuple(load_format(name).suffix for name in default_names())  # every file `all` makes
FURNITURE = ("Share this article", "Rate this article", "For business", "For researchers")


@pytest.fixture(scope="session", autouse=True)
def _builds_manifests(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The manifests of incremental builds go to a folder of the test session's, not to the
    user's cache."""
    import exporter.builds

    folder = tmp_path_factory.mktemp("builds")
    exporter.builds._cache_dir = lambda: folder  # type: ignore[assignment]


@pytest.fixture(scope="session")
def article() -> Article:
    return load_article(SEED)


@pytest.fixture(scope="session")
def style() -> StyleSheet:
    return load_style("default")


@pytest.fixture(scope="session")
def handout_style() -> StyleSheet:
    return load_style("handout")


def expected_passages(article: Article) -> list[str]:
    """What a reader must find in every edition, in reading order."""
    passages = [article.title["en"], article.title["ru"], article.author_names()[0]]
    passages += list(block_texts(article.summary))
    passages += list(block_texts(article.body))
    return passages


def callout_texts(article: Article) -> list[str]:
    return [t for b in article.body if isinstance(b, Callout) for t in block_texts(b.blocks)]


def normalize(text: str) -> str:
    """Text as compared across editions: NFC, soft hyphens and line-end hyphens removed,
    whitespace collapsed, typographic ligatures unfolded."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # hyphenation at a line end
    return re.sub(r"\s+", " ", text).strip()


def _loose(text: str) -> str:
    # Hyphens at line ends cannot be told apart from real ones once whitespace is gone.
    return normalize(text).replace("- ", "-").replace("-", "").replace(" ", "")


def find_in_order(
    haystack: str, passages: list[str], once: bool = True, key: Callable[[str], str] = _loose
) -> list[str]:
    """The passages that are missing, out of order or (with ``once``) present more than once,
    comparing texts as ``key`` gives them."""
    hay = key(haystack)
    problems: list[str] = []
    pos = 0
    for passage in passages:
        needle = key(passage)
        found = hay.find(needle, pos)
        if found < 0:
            where = "out of order" if needle in hay else "missing"
            problems.append(f"{where}: {passage[:70]!r}{_nearest(hay, needle)}")
            continue
        if once and hay.count(needle) > 1 and len(needle) > 80:
            problems.append(f"more than once: {passage[:60]!r}")
        pos = found + len(needle)
    return problems


def _nearest(hay: str, needle: str) -> str:
    """Where the passage stops matching, to show what the edition has instead."""
    for size in range(min(len(needle), 400), 12, -1):
        at = hay.find(needle[:size])
        if at >= 0:
            return f"\n    source:  ...{needle[max(0, size - 30):size + 30]!r}" \
                   f"\n    edition: ...{hay[max(0, at + size - 30):at + size + 30]!r}"
    return ""


@pytest.fixture
def assert_passages_in_order(article: Article) -> Callable[[str], None]:
    """Assert that text read back from an edition holds every passage once, in order."""

    def check(text: str, passages: list[str] | None = None) -> None:
        problems = find_in_order(text, passages or expected_passages(article))
        assert not problems, "\n".join(problems)
        for junk in FURNITURE:
            assert junk not in text

    return check


def as_written(text: str) -> str:
    """Text as a fidelity check compares it: every character as written, hyphens included,
    but no white space (a line may end at a URL break with no space in the text) and no
    soft hyphen (the hyphen an edition adds where it breaks a word at a line end)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text).replace("\u00ad", ""))


def missing_as_written(haystack: str, passages: list[str]) -> list[str]:
    """The passages not found in ``haystack`` in order, every character as written."""
    return find_in_order(haystack, passages, once=False, key=as_written)


FRONT = """---
slug: {slug}
lang: en
title:
  en: "Notes everywhere"
  ru: "Сноски всюду"
authors:
  - name:
      en: "Ann Author"
publisher:
  name:
    en: "Test Press"
published: 2026-11-30
summary: "A summary."
---
"""


def small_article(folder: Path, body: str, slug: str = "notes-everywhere") -> Path:
    """An article with the least front matter and ``body``, written to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "article.md"
    path.write_text(FRONT.format(slug=slug) + body, encoding="utf-8")
    return path
