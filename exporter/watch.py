"""``exporter watch``: one long-running process that keeps the libraries and fonts loaded,
watches the articles, their figures and the style files, and rebuilds what a save affects.

Each round is an incremental build (see ``exporter.builds``) of the articles whose folders
changed (of every article when a style file or anything else changed): an edition whose
inputs are the same is left alone, a broken save is reported and leaves the last good
editions, and a new article in a watched folder is picked up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from exporter.errors import ExportError
from exporter.pipeline import Failed, Job, UpToDate, Warned, Written, find_sources, run

Outcome = Written | Failed | Warned | UpToDate
STEP_MS = 50  # a burst of changes (an editor's save) is one round once this long passes quietly


def watched_paths(given: tuple[str, ...], job: Job) -> list[Path]:
    """The folders to watch: each article's folder (or the folders named), the source
    folder when none is named, and the style folder or file."""
    paths = [Path(item) for item in given] if given else [Path("source")]
    paths = [p.parent if p.is_file() else p for p in paths]
    paths += [source.parent for source in job.sources]
    if job.style and Path(job.style).suffix == ".toml":
        paths.append(Path(job.style).parent)
    elif Path("styles").is_dir():
        paths.append(Path("styles"))
    folders = sorted({p.resolve() for p in paths if p.exists()})
    return [p for p in folders if not any(p != q and q in p.parents for q in folders)]


def affected(job: Job, changed: Iterable[Path]) -> list[Path]:
    """The articles a change touches: those whose folder holds a changed file; every one
    when something else changed (a style file)."""
    folders = {source.parent.resolve(): source for source in job.sources}
    hit: dict[Path, None] = {}
    for path in changed:
        path = path.resolve()
        owner = next((folders[f] for f in (path, *path.parents) if f in folders), None)
        if owner is None:
            return job.sources
        hit[owner] = None
    return [s for s in job.sources if s in hit]


def build(job: Job, report: Callable[[Outcome], None]) -> None:
    """One incremental round; a broken source is reported, and nothing is written."""
    try:
        for outcome in run(job):
            report(outcome)
    except ExportError as exc:
        report(Failed(exc))


def watch(
    given: tuple[str, ...],
    job: Job,
    report: Callable[[Outcome], None],
    rounds: Callable[[list[Path]], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Build ``job`` once, then again for every change until ``stop`` is set (or the
    process is interrupted). The first build renders in this process, which then holds
    the libraries imported, the fonts registered and the patterns read; each later round
    renders in workers forked from it (with the job's ``jobs``), which start with all of
    that. ``rounds`` hears each round's changed paths before it starts (for the
    benchmark)."""
    from watchfiles import watch as changes

    build(replace(job, jobs=1), report)
    for batch in changes(*watched_paths(given, job), step=STEP_MS, stop_event=stop,
                         raise_interrupt=False):  # fmt: skip
        out_dir = job.out_dir.resolve()
        paths = [Path(name) for _, name in batch]
        paths = [p for p in paths if out_dir != p and out_dir not in p.parents]
        if not paths:  # the editions just written, where the output is inside a watched folder
            continue
        if rounds is not None:
            rounds(paths)
        try:
            sources = find_sources(given)
        except ExportError as exc:
            report(Failed(exc))
            continue
        fresh = replace(job, sources=sources, _styles={}, _keys={})  # a style file may have changed
        build(replace(fresh, sources=affected(fresh, paths)), report)
