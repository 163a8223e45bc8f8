"""The pipeline: source discovery, several articles over both cores, same output as one by one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SEED
from exporter import workers
from exporter.errors import SourceError, UsageError
from exporter.formats import ExportOptions, edition_names
from exporter.pipeline import Failed, Job, find_sources, run


def two_articles(root: Path) -> list[Path]:
    text = SEED.read_text("utf-8")
    paths = []
    for slug in ("first-article", "second-article"):
        path = root / "source" / slug / "article.md"
        path.parent.mkdir(parents=True)
        path.write_text(text.replace("slug: tajikistan-choice-amid-sanctions", f"slug: {slug}"))
        paths.append(path)
    return paths


def test_no_source_means_every_article_under_source(tmp_path, monkeypatch):
    expected = two_articles(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert [p.resolve() for p in find_sources(())] == expected


def test_a_folder_of_articles_is_expanded_in_name_order(tmp_path):
    expected = two_articles(tmp_path)
    assert find_sources([str(tmp_path / "source")]) == expected


def test_empty_source_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="no articles found"):
        find_sources(())


def test_problems_of_every_source_are_reported_together(tmp_path):
    first, second = two_articles(tmp_path)
    for path in (first, second):
        path.write_text(path.read_text().replace("votes: 24", "votes: -1"))
    job = Job([first, second], ["pdf"], tmp_path / "out")
    with pytest.raises(SourceError) as caught:
        list(run(job))
    assert [p.path.split("/")[-2] for p in caught.value.problems] == [
        "first-article",
        "second-article",
    ]


def test_same_slug_twice_is_refused(tmp_path):
    first, second = two_articles(tmp_path)
    second.write_text(first.read_text())
    with pytest.raises(UsageError, match="slug 'first-article' is also used by"):
        list(run(Job([first, second], ["pdf"], tmp_path / "out")))


def test_several_articles_in_parallel_match_one_by_one(tmp_path, monkeypatch):
    sources = two_articles(tmp_path)
    formats = edition_names()
    parallel = [w for w in run(Job(sources, formats, tmp_path / "parallel"))]
    assert not [w for w in parallel if isinstance(w, Failed)]
    monkeypatch.setattr(workers, "MAX_WORKERS", 1)
    serial_dir = tmp_path / "serial"
    for source in sources:
        list(run(Job([source], formats, serial_dir, options=ExportOptions())))
    names = sorted(p.name for p in (tmp_path / "parallel").iterdir() if p.name[0] != ".")
    assert len(names) == 2 * len(formats)
    for name in names:
        assert (tmp_path / "parallel" / name).read_bytes() == (serial_dir / name).read_bytes()


def test_paper_is_applied_once_by_the_pipeline_for_every_edition(tmp_path):
    from click.testing import CliRunner
    from pypdf import PdfReader

    from conftest import SEED
    from exporter.cli import cli

    result = CliRunner().invoke(cli, ["all", str(SEED), "--paper", "letter", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for suffix in (".pdf", "-handout.pdf"):
        name = f"tajikistan-choice-amid-sanctions{suffix}"
        box = PdfReader(tmp_path / name).pages[0].mediabox
        assert (round(box.width), round(box.height)) == (612, 792), name
    import docx

    section = docx.Document(tmp_path / "tajikistan-choice-amid-sanctions.docx").sections[0]
    assert (round(section.page_width.pt), round(section.page_height.pt)) == (612, 792)


@pytest.mark.skipif(not workers.forks() or (os.cpu_count() or 1) < 2,
                    reason="workers find the article in memory where they are forked")  # fmt: skip
def test_workers_find_the_article_in_memory_instead_of_a_copy_with_each_edition(
    tmp_path, monkeypatch
):
    """An article read and checked before the workers are forked is where they find it: it
    is never copied to them (at 100× its length, 2.8 MB pickled for every edition, and a
    copy of the model in every worker)."""
    from exporter import rendering
    from exporter.source import LoadedSource

    prepare = rendering.prepare_formats

    def then_never_copied(names):
        def copied(*_):
            raise AssertionError("an article was copied")  # not pytest's: it would stop the pool

        monkeypatch.setattr(LoadedSource, "__reduce_ex__", copied, raising=False)
        prepare(names)

    monkeypatch.setattr(rendering, "prepare_formats", then_never_copied)
    outcomes = list(run(Job([SEED], edition_names(), tmp_path / "out")))
    assert [o for o in outcomes if isinstance(o, Failed)] == []
    written = [p for p in (tmp_path / "out").iterdir() if p.name[0] != "."]
    assert len(written) == len(edition_names())
    assert rendering.HANDED_DOWN == {}
