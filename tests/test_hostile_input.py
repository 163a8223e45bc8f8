"""Hostile and broken sources through ``exporter all``: one line per problem with
file:line:column, exit 2, no traceback, and dist/ exactly as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED
from exporter.cli import cli

SEED_TEXT = SEED.read_text("utf-8")
ALIAS_BOMB = """x0: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
x1: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
x2: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
x3: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
"""

HOSTILE = {
    "invalid utf-8": lambda t: t.encode().replace(b"For a while", b"For a\xc3\x28while"),
    "control character": lambda t: t.replace("For a while", "For a\x1b[31m while"),
    "lone surrogate escape": lambda t: t.replace('en: "RIAC"', 'en: "RI\\udc00AC"'),
    "python tag": lambda t: t.replace("lang: en", "lang: !!python/name:os.system en"),
    "alias bomb": lambda t: t.replace("lang: en", "lang: en\n" + ALIAS_BOMB),
    "duplicate key": lambda t: t.replace("lang: en", "lang: en\nlang: ru"),
    "unknown field": lambda t: t.replace("lang: en", "lang: en\nlanguage: en"),
    "missing field": lambda t: t.replace("slug: tajikistan-choice-amid-sanctions\n", ""),
    "wrong type": lambda t: t.replace("votes: 33", "votes: [33]"),
    "impossible date": lambda t: t.replace("published: 2022-08-30", "published: 2022-08-32"),
    "negative votes": lambda t: t.replace("votes: 30", "votes: -30"),
    "javascript link": lambda t: t + "\n[x](javascript:alert(1))\n",
    "file link": lambda t: t + "\n[x](file:///etc/passwd)\n",
    "relative image": lambda t: t + "\n![x](../../etc/passwd)\n",
    "remote image": lambda t: t + "\n![x](https://example.org/x.png)\n",
    # Linear B: in none of the fonts that ship (emoji are: Noto Emoji is a fallback)
    "glyph no font has": lambda t: t.replace("For a while", "For a \U00010000 while"),
    "unclosed front matter": lambda t: t.replace("\n---\n", "\n", 1).replace("---\n", "", 1),
    "oversized": lambda t: t + "word " * 900_000,
}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "tajikistan-choice-amid-sanctions.pdf").write_bytes(b"%PDF- previous edition")
    return out


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_source_gives_one_line_errors_and_keeps_dist(tmp_path, dist, case):
    content = HOSTILE[case](SEED_TEXT)
    source = tmp_path / "article.md"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content, encoding="utf-8", errors="surrogatepass")
    before = {p.name: p.read_bytes() for p in dist.iterdir()}
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(dist)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines
    for line in lines:
        assert re.match(rf"^{re.escape(str(source))}:\d+:\d+: \S.+$", line), line
    assert {p.name: p.read_bytes() for p in dist.iterdir()} == before


def test_every_problem_is_reported_in_one_run(tmp_path, dist):
    text = SEED_TEXT.replace("votes: 30", "votes: -30").replace("lang: en", "lang: en\nx: 1")
    text = text.replace("For a while", "For a\x07 while").encode()
    text = text.replace(b"Bilateral Russia", b"Bilateral \xffRussia")
    source = tmp_path / "article.md"
    source.write_bytes(text)
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(dist)])
    assert result.exit_code == 2
    messages = [line.split(": ", 1)[1] for line in result.output.strip().splitlines()]
    assert messages == [
        "x: unknown field (known fields: accessibility, attribution, authors, bibliography, csl, "
        "date-note, dateline, "
        "doi, figures, keywords, lang, license, notes, polls, published, publisher, rating, "
        "related, series, "
        "short-title, slug, subtitle, summary, title, typography, web)",
        "polls[0].answers[1].votes: -30 is less than 0",
        "U+0007 (control character) cannot appear in an article; delete it",
        "invalid UTF-8 (byte 0xFF); save the file as UTF-8",
    ]
