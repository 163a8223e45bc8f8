"""Every edition through the CLI, read back by independent readers: complete, literal, in step."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from readers import edition_text

from conftest import (
    MADE,
    ROOT,
    SEED,
    SUFFIXES,
    callout_texts,
    expected_passages,
    find_in_order,
    normalize,
)
from exporter.cli import cli
from exporter.formats import edition_names, load_format
from exporter.style import load_style

SLUG = "tajikistan-choice-amid-sanctions"
FILES = [f"{SLUG}{suffix}" for suffix in MADE]  # every file `exporter all` makes
EDITIONS = [f"{SLUG}{suffix}" for suffix in SUFFIXES]  # those people read
SEED_TEXT = SEED.read_text("utf-8")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(cli, ["all", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def article_with_body(tmp_path: Path, body: str) -> Path:
    """The seed's front matter with another body (its callout and poll placed again)."""
    front = SEED_TEXT.split("\n---\n", 1)[0] + "\n---\n"
    path = tmp_path / "src" / "article.md"
    path.parent.mkdir(exist_ok=True)
    tail = "\n::: related turkey-central-asia\n:::\n\n::: poll us-long-term-goals\n:::\n"
    path.write_text(front + "\n" + body + "\n" + tail, encoding="utf-8")
    return path


def test_all_writes_every_edition_and_reports_each(dist):
    assert sorted(p.name for p in dist.iterdir() if not p.name.startswith(".")) == sorted(FILES)


@pytest.mark.parametrize("name", EDITIONS)
def test_edition_holds_every_passage_in_order_once(dist, name, assert_passages_in_order):
    style = load_style("handout" if "handout" in name else "default")
    margins = (style.page.margin_top.pt, style.page.margin_bottom.pt)
    assert_passages_in_order(edition_text(dist / name, margins))


@pytest.mark.parametrize("name", EDITIONS)
def test_edition_holds_the_poll_figures(dist, name, article):
    text = normalize(edition_text(dist / name))
    assert normalize(article.polls[0].question) in text
    for figure in ("33", "30", "24", "21", "31%", "28%", "22%", "19%"):
        assert re.search(rf"(?<![\d.]){re.escape(figure)}", text), figure


@pytest.mark.parametrize("name", EDITIONS)
def test_edition_holds_the_callout(dist, name, article):
    text = normalize(edition_text(dist / name))
    for line in callout_texts(article):
        assert normalize(line) in text


@pytest.mark.parametrize("name", EDITIONS)
def test_summary_appears_once(dist, name, article):
    text = normalize(edition_text(dist / name))
    first = normalize(expected_passages(article)[3])[:60]
    assert text.count(first) == 1


LITERAL = "R&D costs < 5% & rising; <b>not bold</b> &amp; &lt;tag&gt; AT&T"


@pytest.mark.parametrize("fmt", edition_names())
def test_ampersand_and_tags_render_literally(tmp_path, fmt):
    source = article_with_body(tmp_path, f"Before. {LITERAL} After.")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [fmt, str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    (edition,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    assert re.sub(r"\s+", "", LITERAL) in re.sub(r"\s+", "", edition_text(edition))


def test_character_no_font_can_draw_is_refused_with_its_place(tmp_path):
    source = article_with_body(tmp_path, "Snow \U00010000 man.")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(out)])
    assert result.exit_code == 2
    line = next(n for n, t in enumerate(source.read_text().split("\n"), 1) if "Snow" in t)
    assert result.output.strip() == (
        f"{source}:{line}:6: U+10000 LINEAR B SYLLABLE B008 A (\U00010000, Linear B script) is "
        "not in the fonts PT Sans / PT Serif or their fallbacks Noto Sans / IBM Plex Sans / "
        "Noto Emoji / Noto Serif / IBM Plex Serif; replace it, or add a font family that has "
        "it to the style's [fallback]"
    )
    assert not out.exists()


def test_one_style_token_reaches_every_edition(tmp_path):
    style = tmp_path / "house.toml"
    style.write_text('extends = "default"\n[colors]\naccent = "#123456"\n', encoding="utf-8")
    out = tmp_path / "out"
    for fmt in edition_names():
        result = CliRunner().invoke(cli, [fmt, str(SEED), "--style", str(style), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert _uses_the_colour(out / load_format(fmt).filename(SLUG)), fmt


def _uses_the_colour(path: Path) -> bool:
    """Whether an edition, read by its kind, sets something in #123456."""
    if path.suffix == ".pdf":
        return _pdf_uses_rgb(path, (0x12, 0x34, 0x56))
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as zf:
            return 'w:color w:val="123456"' in zf.read("word/styles.xml").decode()
    if path.suffix == ".epub":
        with zipfile.ZipFile(path) as zf:
            css = "".join(zf.read(n).decode() for n in zf.namelist() if n.endswith(".css"))
        return "#123456" in css.lower()
    return "#123456" in path.read_text("utf-8").lower()


def _pdf_uses_rgb(path: Path, rgb: tuple[int, int, int]) -> bool:
    from pypdf import PdfReader

    wanted = [round(c / 255, 3) for c in rgb]
    number = r"(\d*\.?\d+)"
    pattern = re.compile(rf"{number}\s+{number}\s+{number}\s+(?:rg|RG)")
    for page in PdfReader(path).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        for match in pattern.finditer(stream):
            if [round(float(g), 3) for g in match.groups()] == wanted:
                return True
    return False


def _build(out: Path, env: dict[str, str], cwd: Path) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, "-m", "exporter", "all", str(SEED), "-o", str(out)],
        cwd=cwd, env={**os.environ, **env}, check=True, capture_output=True,
    )  # fmt: skip
    return {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}


def test_same_bytes_whatever_the_time_zone_locale_and_folder(tmp_path):
    first = _build(tmp_path / "a", {"TZ": "UTC", "LC_ALL": "C.UTF-8"}, ROOT)
    other_cwd = tmp_path / "elsewhere"
    other_cwd.mkdir()
    env = {"TZ": "Pacific/Kiritimati", "LC_ALL": "C", "LANG": "ru_RU.UTF-8"}
    second = _build(tmp_path / "b", env, other_cwd)
    assert sorted(first) == sorted(FILES)
    for name in FILES:
        assert first[name] == second[name], name


def test_source_date_epoch_sets_the_recorded_time(tmp_path):
    plain = _build(tmp_path / "a", {}, ROOT)
    dated = _build(tmp_path / "b", {"SOURCE_DATE_EPOCH": "1700000000"}, ROOT)
    assert plain[f"{SLUG}.epub"] != dated[f"{SLUG}.epub"]
    with zipfile.ZipFile(tmp_path / "b" / f"{SLUG}.epub") as zf:
        opf = next(zf.read(n).decode() for n in zf.namelist() if n.endswith(".opf"))
    assert "2023-11-14T22:13:20Z" in opf


def test_two_runs_at_once_both_end_with_valid_editions(tmp_path):
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "exporter", "all", str(SEED), "-o", str(out)]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]  # fmt: skip
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == sorted(FILES)
    for name in EDITIONS:
        assert "Does Tajikistan Have a Choice" in normalize(edition_text(out / name))


def test_handout_over_its_page_budget_is_written_with_a_warning(tmp_path):
    body = "\n\n".join(SEED_TEXT.split("\n---\n", 1)[1].split("\n\n")[:15] * 3)
    source = article_with_body(tmp_path, body.replace("::: related turkey-central-asia\n:::", ""))
    result = CliRunner().invoke(cli, ["handout", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "pages, more than the 4 a handout should have" in result.stderr
    assert (tmp_path / "out" / f"{SLUG}-handout.pdf").exists()


def test_code_the_code_font_cannot_draw_is_refused_with_its_place(tmp_path):
    """Ѣ is in PT Serif and PT Sans but not in IBM Plex Mono: fine in text, refused in code."""
    source = article_with_body(tmp_path, "Old spelling: Ѣ.\n\nIn code: `вѢра`.")
    result = CliRunner().invoke(cli, ["check", str(source)])
    assert result.exit_code == 2
    line = next(n for n, t in enumerate(source.read_text().split("\n"), 1) if "In code" in t)
    assert result.output.strip() == (
        f"{source}:{line}:12: U+0462 CYRILLIC CAPITAL LETTER YAT (\u0462, Cyrillic script) is "
        "not in the code font IBM Plex Mono; replace it, or add a font family that has it to "
        "the style's [fallback]"
    )


@pytest.mark.parametrize("name", EDITIONS)
def test_the_poll_reads_the_same_in_every_edition(dist, name, article):
    """Question, caption line, then the table (header, answers, total), worded once for all
    editions by the edition layer."""
    from exporter.edition import poll_view

    view = poll_view(article.polls[0], article.lang)
    expected = [view.question, view.caption, " ".join(view.columns)]
    expected += [" ".join((r.label, r.votes, r.share)) for r in view.rows]
    expected.append(" ".join(view.total))
    assert find_in_order(edition_text(dist / name), expected, once=False) == []


@pytest.mark.parametrize("name", EDITIONS)
def test_title_block_and_web_editions_read_the_same_in_every_edition(dist, name, article):
    """The title matter top to bottom, then the web editions (heading, and for each its
    language and link words): one wording for all editions. Labels set in capitals by the
    style (READ ONLINE) compare without case."""
    from conftest import _loose
    from exporter.edition import title_block, web_panel
    from exporter.model import plain_text

    view, panel = title_block(article), web_panel(article)
    expected = [view.title, *(t for _, t in view.other_titles)]
    for byline in view.bylines:
        expected += [plain_text(byline.name), byline.affiliation]
    expected += [*view.affiliations, *view.contributors]
    expected += [view.meta, panel.heading]
    for edition in panel.editions:
        expected += [edition.language, edition.link_text]
    key = lambda text: _loose(text).casefold()  # noqa: E731
    assert find_in_order(edition_text(dist / name), expected, once=False, key=key) == []
