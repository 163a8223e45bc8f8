"""A run: which editions to make (the sources come from ``discovery``), rendered in worker
processes (``workers``) and written together (``output``)."""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from exporter.builds import Manifest, StyleKey, format_digest, kept_style_key, style_key
from exporter.discovery import Faces, check_all
from exporter.discovery import find_sources as find_sources  # for the CLI and watch
from exporter.discovery import select_shard as select_shard
from exporter.errors import ExportError, FormatError, OutputError
from exporter.formats import ExportOptions, Format, load_format
from exporter.output import output_lock, prepare_output, sweep_stale, write_together

if TYPE_CHECKING:  # the source and style layers load only when an article is to be made
    from concurrent.futures import ProcessPoolExecutor

    from exporter.source import LoadedSource
    from exporter.style import StyleSheet, Trace

KEEP_LOADED = 8  # up to this many articles stay loaded from their check to their rendering


@dataclass(frozen=True)
class Written:
    """One edition written: where, how big, how many pages, how long it took."""

    path: Path
    size: int
    pages: int | None
    seconds: float
    warnings: tuple[str, ...] = ()


@dataclass
class Job:
    """One run: articles × formats into one folder."""

    sources: list[Path]
    formats: list[str]
    out_dir: Path
    style: str | None = None
    options: ExportOptions = field(default_factory=ExportOptions)
    paper: str | None = None  # a4 or letter: replaces the style's paper for every edition
    force: bool = False  # rebuild every edition, even those whose inputs have not changed
    jobs: int | None = None  # worker processes (None: one per core, at most four)
    _styles: dict[str, StyleSheet] = field(default_factory=dict)

    def style_for(self, fmt: type[Format]) -> StyleSheet:
        """The style ``fmt`` is rendered with, resolved once: named, loaded, paper applied."""
        name = self.style or fmt.default_style
        if name not in self._styles:
            self._load_style(name, None)
        return self._styles[name]

    def style_key(self, fmt: type[Format]) -> StyleKey:
        """What the build record compares of the style ``fmt`` is rendered with: kept
        between runs while its files are unchanged (``kept_style_key``), so that a run
        with nothing to rebuild does not read it."""
        name = self.style or fmt.default_style
        if name in self._styles:
            return style_key(self._styles[name])
        return kept_style_key(name, self.paper, lambda trace: self._load_style(name, trace))

    def _load_style(self, name: str, trace: Trace | None) -> StyleSheet:
        from exporter.style import load_style

        self._styles[name] = load_style(name, trace).with_paper(self.paper)
        return self._styles[name]


@dataclass(frozen=True)
class Warned:
    """Something a source says that an editor should check; the editions are still made."""

    message: str


@dataclass(frozen=True)
class Failed:
    """An edition that could not be made; the others still are."""

    error: ExportError


@dataclass(frozen=True)
class UpToDate:
    """Editions left as they were: nothing they are made from changed since they were
    written (``Job.force`` rebuilds them)."""

    count: int


@dataclass(frozen=True)
class _Rendering:
    source: str
    filename: str
    data: bytes
    pages: int | None
    seconds: float
    warnings: tuple[str, ...] = ()
    fmt: str = ""
    key: str = ""  # the article's entry in the manifest, and the edition's inputs' fingerprint
    inputs: str = ""


class _Task(NamedTuple):
    """One edition to make: its source, its format, its article's entry in the manifest
    and the fingerprint of its inputs (a tuple: an archive has thousands)."""

    path: Path
    fmt: str
    key: str
    inputs: str


def run(job: Job) -> Iterator[Written | Failed | Warned | UpToDate]:
    """Render every edition whose inputs changed (all of them with ``job.force``) and write
    the editions of each article together, as soon as they are ready: all of them, or,
    when one fails, none (the previous set stays as it was). The others are left as they are.

    Every source that needs work is loaded and checked before anything is written: a
    broken source leaves the output folder as it was.
    """
    manifest = Manifest.of(job.out_dir)
    try:
        for outcome in _editions(job, _output_folder, manifest):
            if not isinstance(outcome, _Article):
                yield outcome
                continue
            for written, made in _write(job.out_dir, outcome):
                if isinstance(written, Written) and made is not None:
                    manifest.record(made.key, made.fmt, made.inputs, written.path)
                yield written
    finally:
        manifest.save()


@dataclass(frozen=True)
class Checked:
    """An edition that was rendered in memory, verified and thrown away."""

    source: str
    filename: str
    pages: int | None
    warnings: tuple[str, ...] = ()


def check(job: Job) -> Iterator[Checked | Failed | Warned]:
    """Everything :func:`run` does but writing: every edition is rendered in memory and
    verified, so a source that passes here exports cleanly with the same options."""
    for outcome in _editions(job, lambda _job: contextlib.nullcontext(), None):
        if isinstance(outcome, UpToDate):
            continue
        if not isinstance(outcome, _Article):
            yield outcome
            continue
        for edition in outcome.editions:
            if isinstance(edition, _Rendering):
                yield Checked(edition.source, edition.filename, edition.pages, edition.warnings)
            else:
                yield edition


def _editions(
    job: Job,
    around: Callable[[Job], contextlib.AbstractContextManager[None]],
    manifest: Manifest | None,
) -> Iterator[_Article | Failed | Warned | UpToDate]:
    """Load and check every source that has an edition to make, then render those editions
    inside ``around(job)``. With a ``manifest``, an edition whose inputs it records as
    unchanged is left alone (unless ``job.force``)."""
    formats = [load_format(name) for name in job.formats]
    tasks, fresh = _tasks(job, formats, manifest)
    if fresh:
        yield UpToDate(fresh)
    if not tasks:
        return
    styles = {fmt.name: job.style_for(fmt) for fmt in formats}
    from exporter.workers import (  # not for a run with none
        aside,
        capped,
        forks,
        worker_count,
        worker_pool,
    )

    paths = list(dict.fromkeys(t.path for t in tasks))
    if capped(len(tasks), job.jobs):
        yield Warned(capped(len(tasks), job.jobs))
    workers = worker_count(len(tasks), job.jobs)
    reading = (paths, Faces.of(list(styles.values())), len(paths) <= KEEP_LOADED)
    # the sources are read and checked in a process of their own while this one imports
    # what the formats need; the workers are forked after, and start with all of it. With
    # all of it imported already (a round of ``watch``), they are read here: a process
    # aside would only add its start and the articles' way back
    beside = 1 if _PREPARED.issuperset(job.formats) else job.jobs
    with aside(check_all, reading, beside, "reading the sources") as checked_sources:
        _prepare_formats(job.formats)
        checked = checked_sources()
    yield from (Warned(str(w)) for source in checked for w in source.warnings)
    by_path: dict[Path, LoadedSource | Path | _InMemory] = {}
    for source in checked:
        by_path[source.path] = source.loaded or source.path
        if source.loaded is not None and workers >= 2 and forks():  # forked with it
            _HANDED_DOWN[source.path] = source.loaded
            by_path[source.path] = _InMemory(source.path)
    try:
        with worker_pool(workers, _prepare_formats, (job.formats,)) as pool, around(job):
            yield from _render_everything(pool, workers, by_path, tasks, styles, job.options)
    finally:
        _HANDED_DOWN.clear()


def _tasks(
    job: Job, formats: list[type[Format]], manifest: Manifest | None
) -> tuple[list[_Task], int]:
    """Every edition the job asks for that has to be made, in article order and then
    format order, each with the fingerprint of its inputs, and how many are left as they
    are: with a ``manifest``, those it records as made from the same inputs (unless
    ``job.force``; the manifest spares reading unchanged articles)."""
    if manifest is None:  # a check: nothing is compared
        return [_Task(path, name, "", "") for path in job.sources for name in job.formats], 0
    shared = {fmt.name: format_digest(fmt.name, job.style_key(fmt), job.options) for fmt in formats}
    tasks = []
    with manifest.looking_in(job.out_dir) as folder:
        for path in job.sources:
            place = os.path.abspath(path)  # as named: resolving links costs a call a part
            try:
                article = manifest.article_digest(place)
            except OSError:
                article = ""  # unreadable: the source layer reports it when it loads it
            made = manifest.stale(place, article, shared, None if job.force else folder)
            tasks.extend(_Task(path, name, place, inputs) for name, inputs in made)
    return tasks, len(job.sources) * len(job.formats) - len(tasks)


@contextlib.contextmanager
def _output_folder(job: Job) -> Iterator[None]:
    """The output folder, created, locked and swept of what an interrupted run left."""
    prepare_output(job.out_dir)
    with output_lock(job.out_dir):
        sweep_stale(job.out_dir)
        yield


def _write(out_dir: Path, article: _Article) -> list[tuple[Written | Failed, _Rendering | None]]:
    """The editions of one article, written together; none when one of them failed or
    cannot be written (the message names which, and that the previous ones are kept)."""
    failed = [e for e in article.editions if isinstance(e, Failed)]
    made = [e for e in article.editions if isinstance(e, _Rendering)]
    if failed:
        if not made:
            return [(f, None) for f in failed]
        names = ", ".join(r.filename for r in made)
        kept = FormatError(f"{article.shown}: not written: {names} (made, but an article's "
                           "editions are replaced together, and one of them failed; the "
                           "previous ones are kept)")  # fmt: skip
        return [(f, None) for f in (*failed, Failed(kept))]
    try:
        write_together([(out_dir / r.filename, r.data) for r in made])
    except OutputError as exc:
        return [(Failed(exc), None)]
    return [(Written(out_dir / r.filename, len(r.data), r.pages, r.seconds, r.warnings), r)
            for r in made]  # fmt: skip


def _prepare_formats(names: list[str]) -> None:
    """Import what each format needs to render. A format that fails here fails again, and
    is reported, when its editions are rendered; the others are made."""
    for name in names:
        with contextlib.suppress(Exception):
            load_format(name).prepare()
            _PREPARED.add(name)


_PREPARED: set[str] = set()  # the formats whose libraries this process has imported


@dataclass(frozen=True)
class _InMemory:
    """An article a worker finds in its memory: read and checked before the worker was
    forked (not copied to it with each edition to make)."""

    path: Path


_HANDED_DOWN: dict[Path, LoadedSource] = {}  # the articles of the run's workers, by path


def _render_everything(
    pool: ProcessPoolExecutor | None,
    workers: int,
    sources: dict[Path, LoadedSource | Path | _InMemory],
    tasks: list[_Task],
    styles: dict[str, StyleSheet],
    options: ExportOptions,
) -> Iterator[_Article]:
    """Every edition of ``tasks``, article by article in their order. With worker
    processes, each edition is a task of its own while there are few articles (one
    article's editions render side by side); with many, each article is one task (read
    once, all its editions made where it is read). At most a few tasks per worker are in
    flight, so an archive's editions never wait in memory."""
    groups: list[list[_Task]] = [[t] for t in tasks]
    if pool is not None and len(sources) >= 2 * workers:
        by_path: dict[Path, list[_Task]] = {}
        for task in tasks:
            by_path.setdefault(task.path, []).append(task)
        groups = list(by_path.values())
    calls = ((sources[g[0].path], [t.fmt for t in g], styles, options) for g in groups)
    if pool is None:
        results: Iterator[Any] = (render_article(*c) for c in calls)
    else:
        from exporter.workers import in_order

        results = in_order(pool, render_article, calls, window=4 * workers)
    current: _Article | None = None
    for group, outcomes in zip(groups, results, strict=True):
        if isinstance(outcomes, BaseException):  # its worker died (out of memory, killed)
            shown = _shown(sources[group[0].path])
            outcomes = [Failed(FormatError(f"{t.fmt}: {shown}: rendering failed: its worker "
                                           f"process ended ({outcomes})")) for t in group]
        keys = {task.fmt: task for task in group}
        made = [replace(o, key=keys[o.fmt].key, inputs=keys[o.fmt].inputs)
                if isinstance(o, _Rendering) else o for o in outcomes]  # fmt: skip
        if current is not None and current.path != group[0].path:
            yield current
            current = None
        if current is None:
            current = _Article(group[0].path, _shown(sources[group[0].path]), [])
        current.editions.extend(made)
    if current is not None:
        yield current


def _shown(source: LoadedSource | Path | _InMemory) -> str:
    if isinstance(source, _InMemory):
        source = _HANDED_DOWN.get(source.path, source.path)
    return str(source) if isinstance(source, Path) else source.path


@dataclass
class _Article:
    """The editions of one article made in a run (and those that failed)."""

    path: Path
    shown: str
    editions: list[_Rendering | Failed]


def render_article(
    source: LoadedSource | Path | _InMemory,
    names: list[str],
    styles: dict[str, StyleSheet],
    options: ExportOptions,
) -> list[_Rendering | Failed]:
    """Every requested edition of one article (read from its path, if given that: it has
    been checked), rendered in memory and verified."""
    if isinstance(source, _InMemory):
        source = _HANDED_DOWN.get(source.path, source.path)
    if isinstance(source, Path):
        from exporter.source import load_source

        try:
            source = load_source(source)
        except ExportError as exc:  # changed since it was checked
            return [Failed(exc)]
    results: list[_Rendering | Failed] = []
    for name in names:
        fmt = load_format(name)()
        started = time.perf_counter()
        buffer = io.BytesIO()
        try:
            rendered = fmt.write(source.article, styles[name], options, buffer)
            data = buffer.getvalue()
            fmt.verify(data)
        except ExportError as exc:
            results.append(Failed(exc))
            continue
        except Exception as exc:  # a format's bug must not cost the other editions
            error = FormatError(f"{name}: {source.path}: rendering failed: {exc}")
            results.append(Failed(error))
            continue
        seconds = time.perf_counter() - started
        filename = fmt.filename(source.article.slug)
        results.append(_Rendering(source.path, filename, data, rendered.pages, seconds,
                                  rendered.warnings, fmt=name))  # fmt: skip
    return results
