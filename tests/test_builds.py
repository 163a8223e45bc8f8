"""Incremental builds and shards: an edition is rebuilt only when something it is made from
changed; N shards of an archive together build exactly what one machine builds."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MADE, ROOT
from exporter.cli import cli

SOURCES = ROOT / "source"


def export(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def stamps(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted(folder.iterdir())}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A copy of the repository's articles (with their figures) to change."""
    target = tmp_path / "source"
    shutil.copytree(SOURCES, target)
    return target


def test_an_unchanged_archive_writes_nothing_and_a_change_rebuilds_only_its_editions(
    archive, tmp_path
):
    out = tmp_path / "dist"
    code, first = export("all", str(archive), "-o", str(out))
    assert code == 0 and first.count("dist/") == 2 * len(MADE)
    before = stamps(out)
    code, again = export("all", str(archive), "-o", str(out))
    assert code == 0 and f"{2 * len(MADE)} editions are up to date" in again
    assert "dist/" not in again
    assert stamps(out) == before
    assert sorted(before) == sorted(p.name for p in out.iterdir())  # only editions
    figure = next((archive / "a4-and-letter" / "figures").glob("*.svg"))
    figure.write_text(figure.read_text("utf-8").replace("</svg>", "<!-- x --></svg>"), "utf-8")
    code, changed = export("all", str(archive), "-o", str(out))
    lines = [line for line in changed.splitlines() if "dist/" in line]
    rebuilt = {line.split()[0].rsplit("/", 1)[-1] for line in lines}
    assert rebuilt == {n for n in before if n.startswith("a4-and-letter")}
    assert f"{len(MADE)} editions are up to date" in changed
    after = stamps(out)
    assert all(after[n] == before[n] for n in before if n.startswith("tajikistan"))


def test_options_style_deleted_or_touched_editions_and_force_rebuild(archive, tmp_path):
    out = tmp_path / "dist"
    seed = str(archive / "tajikistan-choice-amid-sanctions")
    assert export("pdf", seed, "-o", str(out))[0] == 0
    pdf = out / "tajikistan-choice-amid-sanctions.pdf"
    assert "up to date" in export("pdf", seed, "-o", str(out))[1]
    assert "dist/" in export("pdf", seed, "-o", str(out), "--paper", "letter")[1]
    assert "dist/" in export("pdf", seed, "-o", str(out), "--style", "handout")[1]
    pdf.unlink()
    assert "dist/" in export("pdf", seed, "-o", str(out), "--style", "handout")[1]
    with pdf.open("ab") as handle:  # an edition changed by hand is made again
        handle.write(b"%")
    assert "dist/" in export("pdf", seed, "-o", str(out), "--style", "handout")[1]
    assert "up to date" in export("pdf", seed, "-o", str(out), "--style", "handout")[1]
    forced = export("pdf", seed, "-o", str(out), "--style", "handout", "--force")[1]
    assert "dist/" in forced and "up to date" not in forced


def test_a_broken_save_keeps_the_last_good_editions_and_is_rebuilt_once_mended(archive, tmp_path):
    out = tmp_path / "dist"
    seed = archive / "tajikistan-choice-amid-sanctions" / "article.md"
    assert export("html", str(seed), "-o", str(out))[0] == 0
    good = (out / "tajikistan-choice-amid-sanctions.html").read_bytes()
    text = seed.read_text("utf-8")
    seed.write_text(text.replace("votes: 30", "votes: -30"), "utf-8")
    code, output = export("html", str(seed), "-o", str(out))
    assert code == 2 and "votes: -30 is less than 0" in output
    assert (out / "tajikistan-choice-amid-sanctions.html").read_bytes() == good
    seed.write_text(text.replace("For a while", "For quite a while"), "utf-8")
    code, output = export("html", str(seed), "-o", str(out))
    assert code == 0 and "dist/" in output
    assert b"For quite a while" in (out / "tajikistan-choice-amid-sanctions.html").read_bytes()


def test_the_union_of_the_shards_is_the_single_build_byte_for_byte(tmp_path, monkeypatch):
    """Three machines given --shard 1/3, 2/3 and 3/3 build every article once, and the
    editions they make together are the editions one machine makes."""
    corpus = tmp_path / "corpus"
    for folder in sorted((ROOT / "tests" / "corpus").iterdir()):
        shutil.copytree(folder, corpus / folder.name)
    shutil.copytree(SOURCES / "tajikistan-choice-amid-sanctions", corpus / "seed")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")

    def build(out: Path, *shard: str) -> dict[str, bytes]:
        for fmt in ("pdf", "html"):
            code, output = export(fmt, str(corpus), "-o", str(out), *shard)
            assert code == 0, output
        return {p.name: p.read_bytes() for p in out.iterdir()} if out.exists() else {}

    union: dict[str, bytes] = {}
    counts = []
    for k in (1, 2, 3):
        files = build(tmp_path / f"shard-{k}", "--shard", f"{k}/3")
        assert not set(files) & set(union), "an article built by two shards"
        union.update(files)
        counts.append(len(files))
    assert union == build(tmp_path / "single")
    assert all(counts) and max(counts) < len(union)


def test_a_bad_shard_is_a_usage_error():
    code, output = export("all", "--shard", "4/3")
    assert code == 2 and "K/N" in output


def test_a_style_is_read_only_when_one_of_its_files_changed(archive, tmp_path, monkeypatch):
    """A run with nothing to rebuild reads no style; a style file edited, or one put before
    another of the same name, rebuilds the editions set in it."""
    import exporter.style

    loads: list[str] = []
    load = exporter.style.load_style
    monkeypatch.setattr(exporter.style, "load_style", lambda *a: loads.append(a[0]) or load(*a))
    monkeypatch.chdir(tmp_path)  # the project folder, with no styles/ of its own yet
    out = tmp_path / "dist"
    seed = str(archive / "tajikistan-choice-amid-sanctions")
    pdf = out / "tajikistan-choice-amid-sanctions.pdf"

    def build() -> str:
        loads.clear()
        code, output = export("pdf", seed, "-o", str(out), "--style", "handout")
        assert code == 0, output
        return output

    build()
    assert "1 edition is up to date" in build() and loads == []
    first = pdf.read_bytes()
    own = tmp_path / "styles" / "default.toml"  # found before the built-in "default"
    own.parent.mkdir()
    built_in = ROOT / "styles" / "default.toml"
    own.write_text(f'extends = "{built_in}"\n[colors]\naccent = "#224466"\n', encoding="utf-8")
    assert build().count("dist/") == 1 and loads == ["handout"]
    assert pdf.read_bytes() != first
    assert "1 edition is up to date" in build() and loads == []
    own.write_text(own.read_text("utf-8").replace("#224466", "#224467"), encoding="utf-8")
    assert build().count("dist/") == 1 and loads == ["handout"]
    own.unlink()
    assert build().count("dist/") == 1
    assert pdf.read_bytes() == first
    code, output = export("pdf", seed, "-o", str(out), "--style", "handout", "--paper", "letter")
    assert code == 0 and "dist/" in output


def test_watch_rebuilds_what_a_save_affects_and_keeps_the_last_good_editions(archive, tmp_path):
    """The watcher builds once, then rebuilds only the saved article's editions; a broken
    save is reported and leaves them as they were; mending it needs no rebuild when the
    text is back as it was."""
    import threading
    import time

    from exporter.pipeline import Failed, Job, UpToDate, Written, find_sources
    from exporter.watch import watch

    out = tmp_path / "dist"
    job = Job(find_sources([str(archive)]), ["html", "pdf"], out)
    seen: list = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=((str(archive),), job, seen.append, None, stop))
    thread.start()

    def until(condition, what: str, poke=None) -> None:
        """Wait for ``condition``; ``poke`` (a save) again every 3 s until it holds, in case
        the first came before the watcher was watching."""
        deadline, poked = time.monotonic() + 60, 0.0
        while not condition():
            assert time.monotonic() < deadline, f"no {what}: {seen}"
            if poke is not None and time.monotonic() - poked > 3:
                poke()
                poked = time.monotonic()
            time.sleep(0.1)

    def written() -> list[str]:
        return [o.path.name for o in seen if isinstance(o, Written)]

    seed = archive / "tajikistan-choice-amid-sanctions" / "article.md"
    text = seed.read_text("utf-8")
    try:
        until(lambda: len(written()) == 4, "first build")
        first = (out / "tajikistan-choice-amid-sanctions.html").read_bytes()
        words = iter(range(1000))
        until(lambda: len(written()) >= 6, "rebuild after a save",
              poke=lambda: seed.write_text(text.replace("For a while", f"For {next(words)} while"),
                                           "utf-8"))  # fmt: skip
        assert set(written()[4:]) == {"tajikistan-choice-amid-sanctions.html",
                                      "tajikistan-choice-amid-sanctions.pdf"}  # fmt: skip
        rebuilt = len(written())
        good = (out / "tajikistan-choice-amid-sanctions.html").read_bytes()
        assert good != first
        seed.write_text(seed.read_text("utf-8").replace("votes: 30", "votes: -30"), "utf-8")
        until(lambda: any(isinstance(o, Failed) for o in seen), "report of the broken save")
        failure = next(o for o in seen if isinstance(o, Failed))
        assert "votes: -30 is less than 0" in "\n".join(failure.error.lines())
        assert (out / "tajikistan-choice-amid-sanctions.html").read_bytes() == good
        seed.write_text(seed.read_text("utf-8").replace("votes: -30", "votes: 30"), "utf-8")
        until(lambda: isinstance(seen[-1], UpToDate), "mended save")
        assert len(written()) == rebuilt
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


PLUGIN_DIR = Path(__file__).parent / "fixtures" / "plugin"


def test_a_plugin_upgraded_or_edited_rebuilds_its_editions(tmp_path, monkeypatch):
    """The fingerprint of a format holds its distribution's name and version and its files:
    faking version 1.1 of the plugin (or editing it in place) makes its editions stale."""
    plugins = tmp_path / "plugins"
    shutil.copytree(PLUGIN_DIR, plugins)
    monkeypatch.syspath_prepend(str(plugins))
    # this copy, not the plugin another test of this process imported from elsewhere
    monkeypatch.delitem(sys.modules, "plaintext_format", raising=False)
    out, seed = tmp_path / "dist", str(SOURCES / "tajikistan-choice-amid-sanctions")
    assert export("plaintext", seed, "-o", str(out))[0] == 0
    code, again = export("plaintext", seed, "-o", str(out))
    assert code == 0 and "up to date" in again and ".txt" not in again
    old = plugins / "plaintext_format-1.0.dist-info"
    new = old.rename(plugins / "plaintext_format-1.1.dist-info")
    metadata = new / "METADATA"
    metadata.write_text(metadata.read_text().replace("Version: 1.0", "Version: 1.1"))
    from exporter.formats import format_origin

    assert format_origin("plaintext")[:2] == ("plaintext-format", "1.1")
    code, upgraded = export("plaintext", seed, "-o", str(out))
    assert code == 0 and "up to date" not in upgraded and ".txt" in upgraded
    assert "up to date" in export("plaintext", seed, "-o", str(out))[1]
    module = plugins / "plaintext_format" / "__init__.py"
    module.write_text(module.read_text() + "\n# edited in place\n")
    code, edited = export("plaintext", seed, "-o", str(out))
    assert code == 0 and "up to date" not in edited and ".txt" in edited


def test_the_builtin_formats_are_fingerprinted_with_the_toolkit():
    from exporter.builds import format_fingerprint
    from exporter.formats import edition_names, format_origin

    for name in edition_names():
        dist, version, module = format_origin(name)
        if module.startswith("exporter."):
            assert dist == "exporter" and version
            assert format_fingerprint(name) == f"{name}\n{dist}=={version}\n{module}"


def test_the_shard_of_an_article_is_read_from_its_front_matter(tmp_path):
    """The slug that chooses the shard is the front matter's, read as the loader reads it
    (quoted, after a comment, in a flow mapping...); a source whose front matter cannot be
    read is placed by its folder's name."""
    from exporter.discovery import _slug_of

    cases = {
        "plain": "---\nslug: one-slug\nlang: en\n---\nBody\n",
        "quoted": "---\n# a comment\ntitle: {en: 'slug: not-this'}\nslug: \"one-slug\"\n---\n",
        "flow": "---\n{lang: en, slug: one-slug}\n---\n",
        "after body fence": "---\nlang: en\n---\nslug: not-this\n",
        "broken yaml": "---\nslug: [one\n---\n",
        "no front matter": "slug: not-this\n",
    }
    found = {}
    for name, text in cases.items():
        folder = tmp_path / name.replace(" ", "-")
        folder.mkdir()
        (folder / "article.md").write_text(text, encoding="utf-8")
        found[name] = _slug_of(folder / "article.md")
    assert found == {"plain": "one-slug", "quoted": "one-slug", "flow": "one-slug",
                     "after body fence": "after-body-fence", "broken yaml": "broken-yaml",
                     "no front matter": "no-front-matter"}  # fmt: skip
