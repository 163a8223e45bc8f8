"""Making a run's editions: the sources that need work read and checked (every character
drawable in the style's fonts; in a process aside while the formats' libraries are imported),
the editions rendered in worker processes (``workers``), article by article, and an
article's editions written together (``output``). ``pipeline`` decides which editions to
make, and loads this only when there are some."""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exporter.errors import ExportError, FormatError, OutputError, SourceError, UsageError
from exporter.formats import ExportOptions, load_format
from exporter.output import write_together
from exporter.pipeline import Failed, Warned, Written
from exporter.workers import aside, capped, forks, worker_count, worker_pool

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from exporter.pipeline import Job, _Task
    from exporter.source import LoadedSource
    from exporter.style import StyleSheet

KEEP_LOADED = 8  # up to this many articles stay loaded from their check to their rendering


@dataclass(frozen=True)
class Rendering:
    """One edition made in memory and verified, to be written with its article's others."""

    source: str
    filename: str
    data: bytes
    pages: int | None
    seconds: float
    warnings: tuple[str, ...] = ()
    fmt: str = ""
    key: str = ""  # the article's entry in the manifest, and the edition's inputs' fingerprint
    inputs: str = ""


@dataclass(frozen=True)
class Faces:
    """The font families that will set an article: for its text, and for its code."""

    text: tuple[str, ...]
    code: tuple[str, ...] = ()
    fallbacks: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (family, the families backing it)

    @classmethod
    def of(cls, styles: list[StyleSheet]) -> Faces:
        text = {f for s in styles for f in s.text_families}
        code = {f for s in styles for f in s.code_families}
        backups = {(f, b) for s in styles for f, b in s.fallbacks.items()}
        return cls(tuple(sorted(text)), tuple(sorted(code)), tuple(sorted(backups)))


def load_checked(path: Path, faces: Faces) -> LoadedSource:
    """Load a source and refuse characters the style's fonts cannot draw."""
    from exporter.fonts import missing_code_glyphs, missing_glyphs
    from exporter.model import code_texts
    from exporter.source import load_source

    loaded = load_source(path)
    missing = missing_glyphs(loaded.path, loaded.text, faces.text, dict(faces.fallbacks))
    if faces.code:
        article = loaded.article
        notes = tuple(block for note in article.footnotes for block in note.blocks)
        code = [*code_texts(article.summary), *code_texts(article.body), *code_texts(notes)]
        missing += missing_code_glyphs(loaded.path, loaded.text, code, faces.code,
                                       dict(faces.fallbacks))  # fmt: skip
    if missing:
        raise SourceError(sorted(missing, key=lambda p: (p.line, p.column))[:50])
    return loaded


@dataclass(frozen=True)
class CheckedSource:
    """A source that passed every check: its slug, its warnings and, for a few articles,
    the article itself (an archive's articles are read again where they are rendered, so
    they never all sit in memory at once)."""

    path: Path
    shown: str
    slug: str
    warnings: tuple[object, ...]
    loaded: LoadedSource | None


def check_all(paths: list[Path], faces: Faces, keep: bool) -> list[CheckedSource]:
    """Load and check every source (``keep``: and hold on to them); the problems of all of
    them are raised together, and two sources with one slug are refused."""
    checked: list[CheckedSource] = []
    problems = []
    for path in paths:
        try:
            loaded = load_checked(path, faces)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        checked.append(CheckedSource(path, loaded.path, loaded.article.slug, loaded.warnings,
                                     loaded if keep else None))  # fmt: skip
    if problems:
        raise SourceError(problems)
    _check_unique_slugs(checked)
    return checked


def _check_unique_slugs(checked: list[CheckedSource]) -> None:
    seen: dict[str, str] = {}
    for source in checked:
        if source.slug in seen:
            raise UsageError(f"{source.shown}: slug {source.slug!r} is also used by "
                             f"{seen[source.slug]}")  # fmt: skip
        seen[source.slug] = source.shown


def render(
    job: Job,
    tasks: list[_Task],
    styles: dict[str, StyleSheet],
    around: Callable[[Job], contextlib.AbstractContextManager[None]],
) -> Iterator[Article | Warned]:
    """Read and check the sources of ``tasks``, then render their editions inside
    ``around(job)``, article by article."""
    paths = list(dict.fromkeys(t.path for t in tasks))
    if capped(len(tasks), job.jobs):
        yield Warned(capped(len(tasks), job.jobs))
    workers = worker_count(len(tasks), job.jobs)
    reading = (paths, Faces.of(list(styles.values())), len(paths) <= KEEP_LOADED)
    # the sources are read and checked in a process of their own while this one imports
    # what the formats need; the workers are forked after, and start with all of it. With
    # all of it imported already (a round of ``watch``), they are read here: a process
    # aside would only add its start and the articles' way back
    beside = 1 if PREPARED.issuperset(job.formats) else job.jobs
    with aside(check_all, reading, beside, "reading the sources") as checked_sources:
        prepare_formats(job.formats)
        checked = checked_sources()
    yield from (Warned(str(w)) for source in checked for w in source.warnings)
    by_path: dict[Path, LoadedSource | Path | InMemory] = {}
    for source in checked:
        by_path[source.path] = source.loaded or source.path
        if source.loaded is not None and workers >= 2 and forks():  # forked with it
            HANDED_DOWN[source.path] = source.loaded
            by_path[source.path] = InMemory(source.path)
    try:
        with worker_pool(workers, prepare_formats, (job.formats,)) as pool, around(job):
            yield from _render_everything(pool, workers, by_path, tasks, styles, job.options)
    finally:
        HANDED_DOWN.clear()


def write(out_dir: Path, article: Article) -> list[tuple[Written | Failed, Rendering | None]]:
    """The editions of one article, written together; none when one of them failed or
    cannot be written (the message names which, and that the previous ones are kept)."""
    failed = [e for e in article.editions if isinstance(e, Failed)]
    made = [e for e in article.editions if isinstance(e, Rendering)]
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


def prepare_formats(names: list[str]) -> None:
    """Import what each format needs to render. A format that fails here fails again, and
    is reported, when its editions are rendered; the others are made."""
    for name in names:
        with contextlib.suppress(Exception):
            load_format(name).prepare()
            PREPARED.add(name)


PREPARED: set[str] = set()  # the formats whose libraries this process has imported


@dataclass(frozen=True)
class InMemory:
    """An article a worker finds in its memory: read and checked before the worker was
    forked (not copied to it with each edition to make)."""

    path: Path


HANDED_DOWN: dict[Path, LoadedSource] = {}  # the articles of the run's workers, by path


def _render_everything(
    pool: ProcessPoolExecutor | None,
    workers: int,
    sources: dict[Path, LoadedSource | Path | InMemory],
    tasks: list[_Task],
    styles: dict[str, StyleSheet],
    options: ExportOptions,
) -> Iterator[Article]:
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
    current: Article | None = None
    for group, outcomes in zip(groups, results, strict=True):
        if isinstance(outcomes, BaseException):  # its worker died (out of memory, killed)
            shown = _shown(sources[group[0].path])
            outcomes = [Failed(FormatError(f"{t.fmt}: {shown}: rendering failed: its worker "
                                           f"process ended ({outcomes})")) for t in group]
        keys = {task.fmt: task for task in group}
        made = [replace(o, key=keys[o.fmt].key, inputs=keys[o.fmt].inputs)
                if isinstance(o, Rendering) else o for o in outcomes]  # fmt: skip
        if current is not None and current.path != group[0].path:
            yield current
            current = None
        if current is None:
            current = Article(group[0].path, _shown(sources[group[0].path]), [])
        current.editions.extend(made)
    if current is not None:
        yield current


def _shown(source: LoadedSource | Path | InMemory) -> str:
    if isinstance(source, InMemory):
        source = HANDED_DOWN.get(source.path, source.path)
    return str(source) if isinstance(source, Path) else source.path


@dataclass
class Article:
    """The editions of one article made in a run (and those that failed)."""

    path: Path
    shown: str
    editions: list[Rendering | Failed]


def render_article(
    source: LoadedSource | Path | InMemory,
    names: list[str],
    styles: dict[str, StyleSheet],
    options: ExportOptions,
) -> list[Rendering | Failed]:
    """Every requested edition of one article (read from its path, if given that: it has
    been checked), rendered in memory and verified."""
    if isinstance(source, InMemory):
        source = HANDED_DOWN.get(source.path, source.path)
    if isinstance(source, Path):
        from exporter.source import load_source

        try:
            source = load_source(source)
        except ExportError as exc:  # changed since it was checked
            return [Failed(exc)]
    results: list[Rendering | Failed] = []
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
        results.append(Rendering(source.path, filename, data, rendered.pages, seconds,
                                  rendered.warnings, fmt=name))  # fmt: skip
    return results
