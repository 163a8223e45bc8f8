"""Which sources to read and which files to write: discovery, loading once, atomic writes."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import multiprocessing
import os
import re
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from exporter.builds import (
    Manifest,
    edition_digest,
    edition_key,
    format_digest,
)
from exporter.errors import ExportError, FormatError, OutputError, SourceError, UsageError
from exporter.formats import ExportOptions, Format, load_format
from exporter.style import StyleSheet, load_style

if TYPE_CHECKING:  # the source layer loads only when an article is to be read
    from exporter.source import LoadedSource

SOURCE_DIR = Path("source")
ARTICLE_FILE = "article.md"
TEMP_SUFFIX = ".part"
MAX_WORKERS = 4
KEEP_LOADED = 8  # up to this many articles stay loaded from their check to their rendering
_UMASK = os.umask(0o022)
os.umask(_UMASK)


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
    jobs: int | None = None  # worker processes (None: one per core, at most MAX_WORKERS)
    _styles: dict[str, StyleSheet] = field(default_factory=dict)

    def style_for(self, fmt: type[Format]) -> StyleSheet:
        """The style ``fmt`` is rendered with, resolved once: named, loaded, paper applied."""
        name = self.style or fmt.default_style
        if name not in self._styles:
            self._styles[name] = load_style(name).with_paper(self.paper)
        return self._styles[name]


def select_shard(paths: list[Path], shard: tuple[int, int] | None) -> list[Path]:
    """The articles of shard ``K/N``: a stable share of them, chosen by a digest of each
    article's slug, so N machines given K = 1 … N build every article exactly once."""
    if shard is None:
        return paths
    part, parts = shard
    return [p for p in paths if _shard_of(_slug_of(p), parts) == part]


def _shard_of(slug: str, parts: int) -> int:
    return int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big") % parts + 1


def _slug_of(path: Path) -> str:
    """The slug in the front matter, read without parsing the article (the folder's name
    where there is none: the source layer will refuse it anyway)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle):
                if number and line.rstrip() == "---":
                    break
                match = re.match(r"slug:\s*[\"']?([^\s\"'#]+)", line)
                if match:
                    return match.group(1)
    except OSError:
        pass
    return path.parent.name


def find_sources(given: tuple[str, ...] | list[str]) -> list[Path]:
    """Article files named on the command line, or every ``source/*/article.md``."""
    if not given:
        found = sorted(SOURCE_DIR.glob(f"*/{ARTICLE_FILE}"))
        if not found:
            raise UsageError(f"no articles found: expected {SOURCE_DIR}/<slug>/{ARTICLE_FILE}")
        return found
    paths: list[Path] = []
    for item in given:
        path = Path(item)
        if path.is_dir():
            inner = path / ARTICLE_FILE
            found = [inner] if inner.is_file() else sorted(path.glob(f"*/{ARTICLE_FILE}"))
            if not found:
                raise UsageError(f"{item}: no {ARTICLE_FILE} in this folder")
            paths.extend(found)
        elif path.exists():
            paths.append(path)
        else:
            raise UsageError(f"{item}: no such file or folder")
    return list(dict.fromkeys(paths))


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
class _Checked:
    """A source that passed every check: its slug, its warnings and, for a few articles,
    the article itself (an archive's articles are read again where they are rendered, so
    they never all sit in memory at once)."""

    path: Path
    shown: str
    slug: str
    warnings: tuple[object, ...]
    loaded: LoadedSource | None


def check_all(paths: list[Path], faces: Faces, keep: bool) -> list[_Checked]:
    """Load and check every source (``keep``: and hold on to them); the problems of all of
    them are raised together."""
    checked: list[_Checked] = []
    problems = []
    for path in paths:
        try:
            loaded = load_checked(path, faces)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        checked.append(_Checked(path, loaded.path, loaded.article.slug, loaded.warnings,
                                loaded if keep else None))  # fmt: skip
    if problems:
        raise SourceError(problems)
    return checked


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
    key: str = ""  # the edition's entry in the manifest, and its inputs' fingerprint
    inputs: str = ""


@dataclass(frozen=True)
class _Task:
    """One edition to make: its source, its format, its entry in the manifest."""

    path: Path
    fmt: str
    key: str
    inputs: str


def run(job: Job) -> Iterator[Written | Failed | Warned | UpToDate]:
    """Render every edition whose inputs changed (all of them with ``job.force``) and write
    each atomically as soon as it is ready; the others are left as they are.

    Every source that needs work is loaded and checked before anything is written: a
    broken source leaves the output folder as it was.
    """
    manifest = Manifest.of(job.out_dir)
    try:
        for outcome in _editions(job, _output_folder, manifest):
            if not isinstance(outcome, _Rendering):
                yield outcome
                continue
            written = _write(job.out_dir, outcome)
            if isinstance(written, Written):
                manifest.record(outcome.key, outcome.inputs, written.path)
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
        if isinstance(outcome, _Rendering):
            yield Checked(outcome.source, outcome.filename, outcome.pages, outcome.warnings)
        else:
            yield outcome


def _editions(
    job: Job,
    around: Callable[[Job], contextlib.AbstractContextManager[None]],
    manifest: Manifest | None,
) -> Iterator[_Rendering | Failed | Warned | UpToDate]:
    """Load and check every source that has an edition to make, then render those editions
    inside ``around(job)``. With a ``manifest``, an edition whose inputs it records as
    unchanged is left alone (unless ``job.force``)."""
    formats = [load_format(name) for name in job.formats]
    styles = {fmt.name: job.style_for(fmt) for fmt in formats}
    tasks = _tasks(job, styles, manifest)
    fresh = 0
    if manifest is not None and not job.force:
        stale = [t for t in tasks if not manifest.fresh(t.key, t.inputs, job.out_dir)]
        fresh, tasks = len(tasks) - len(stale), stale
    if fresh:
        yield UpToDate(fresh)
    if not tasks:
        return
    paths = list(dict.fromkeys(t.path for t in tasks))
    with _workers(len(tasks), job.formats, job.jobs) as pool:
        checked = check_all(paths, Faces.of(list(styles.values())), len(paths) <= KEEP_LOADED)
        _check_unique_slugs(checked)
        yield from (Warned(str(w)) for source in checked for w in source.warnings)
        by_path = {source.path: source.loaded or source.path for source in checked}
        with around(job):
            workers = _worker_count(len(tasks), job.jobs) if pool else 1
            yield from _render_everything(pool, workers, by_path, tasks, styles, job.options)


def _tasks(job: Job, styles: dict[str, StyleSheet], manifest: Manifest | None) -> list[_Task]:
    """Every edition the job asks for, in article order and then format order, each with
    the fingerprint of its inputs (the manifest spares reading unchanged articles)."""
    if manifest is None:  # a check: nothing is compared
        return [_Task(path, name, "", "") for path in job.sources for name in job.formats]
    shared = {name: format_digest(name, styles[name], job.options) for name in job.formats}
    tasks = []
    for path in job.sources:
        place = Path(os.path.abspath(path))  # as named: resolving links costs a call a part
        try:
            article = manifest.article_digest(place)
        except OSError:
            article = ""  # unreadable: the source layer reports it when it loads it
        for name in job.formats:
            inputs = edition_digest(article, shared[name]) if article else ""
            tasks.append(_Task(path, name, edition_key(place, name), inputs))
    return tasks


@contextlib.contextmanager
def _output_folder(job: Job) -> Iterator[None]:
    """The output folder, created, locked and swept of what an interrupted run left."""
    prepare_output(job.out_dir)
    with output_lock(job.out_dir):
        sweep_stale(job.out_dir)
        yield


def _write(out_dir: Path, rendering: _Rendering) -> Written | Failed:
    target = out_dir / rendering.filename
    try:
        write_atomic(target, rendering.data)
    except OutputError as exc:
        return Failed(exc)
    size = len(rendering.data)
    return Written(target, size, rendering.pages, rendering.seconds, rendering.warnings)


@contextlib.contextmanager
def _workers(
    tasks: int, names: list[str], jobs: int | None = None
) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for the editions (``jobs`` of them, else one per core up to
    ``MAX_WORKERS``), started at once so that they import the formats' libraries while this
    process reads the sources; none for a single edition or worker."""
    count = _worker_count(tasks, jobs)
    if count < 2:
        yield None
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    pool = ProcessPoolExecutor(count, context, initializer=_prepare_formats, initargs=(names,))
    for _ in range(count):
        pool.submit(int)  # starts every worker now
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_count(tasks: int, jobs: int | None) -> int:
    cores = jobs if jobs is not None else min(os.cpu_count() or 1, MAX_WORKERS)
    return min(tasks, cores)


def _prepare_formats(names: list[str]) -> None:
    for name in names:
        load_format(name).prepare()


def _render_everything(
    pool: ProcessPoolExecutor | None,
    workers: int,
    sources: dict[Path, LoadedSource | Path],
    tasks: list[_Task],
    styles: dict[str, StyleSheet],
    options: ExportOptions,
) -> Iterator[_Rendering | Failed]:
    """Every edition of ``tasks``, in their order. With worker processes, each edition is
    a task of its own while there are few articles (one article's editions render side by
    side); with many, each article is one task (read once, all its editions made where it
    is read). At most a few tasks per worker are in flight, so an archive's editions never
    wait in memory."""
    groups: list[list[_Task]] = [[t] for t in tasks]
    if pool is not None and len(sources) >= 2 * workers:
        by_path: dict[Path, list[_Task]] = {}
        for task in tasks:
            by_path.setdefault(task.path, []).append(task)
        groups = list(by_path.values())
    calls = ((sources[g[0].path], [t.fmt for t in g], styles, options) for g in groups)
    if pool is None:
        results: Iterator[list[_Rendering | Failed]] = (render_article(*c) for c in calls)
    else:
        results = _in_order(pool, calls, window=4 * workers)
    for group, outcomes in zip(groups, results, strict=True):
        keys = {task.fmt: task for task in group}
        for outcome in outcomes:
            if isinstance(outcome, _Rendering):
                task = keys[outcome.fmt]
                outcome = replace(outcome, key=task.key, inputs=task.inputs)
            yield outcome


def _in_order(pool: ProcessPoolExecutor, calls: Iterator[tuple], window: int) -> Iterator:
    """The results of ``render_article(*call)`` for each call, in order, with at most
    ``window`` of them submitted and not yet taken."""
    pending: deque = deque()
    for call in calls:
        pending.append(pool.submit(render_article, *call))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def render_article(
    source: LoadedSource | Path,
    names: list[str],
    styles: dict[str, StyleSheet],
    options: ExportOptions,
) -> list[_Rendering | Failed]:
    """Every requested edition of one article (read from its path, if given that: it has
    been checked), rendered in memory and verified."""
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


def _check_unique_slugs(checked: list[_Checked]) -> None:
    seen: dict[str, str] = {}
    for source in checked:
        if source.slug in seen:
            raise UsageError(f"{source.shown}: slug {source.slug!r} is also used by "
                             f"{seen[source.slug]}")  # fmt: skip
        seen[source.slug] = source.shown


def prepare_output(out_dir: Path) -> None:
    """Create the output folder if needed and make sure it can be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder: {exc.strerror}") from None
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    if not writable(out_dir):
        raise OutputError(f"{out_dir}: the output folder is not writable")


def writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder itself (no lock file is left in it, so
    it holds only editions) so concurrent runs take turns."""
    try:
        handle = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot lock the output folder: {exc.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


def sweep_stale(out_dir: Path) -> None:
    """Remove temporary files an interrupted run left behind, and the lock file earlier
    versions kept in the folder (call with the lock held)."""
    for stale in [*out_dir.glob(f".*{TEMP_SUFFIX}"), out_dir / ".exporter.lock"]:
        with contextlib.suppress(OSError):
            stale.unlink()


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over ``target``.

    On any failure the previous ``target`` is left as it was and the temporary file removed.
    """
    tmp: Path | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
        )
        tmp = Path(tmp_name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if tmp.stat().st_size != len(data):
            raise OSError(errno.EIO, "short write")
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
        _sync_folder(target.parent)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        reason = _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
        raise OutputError(f"{target}: not written ({reason}); the previous file is kept") from None


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EACCES: "the output folder is not writable",
    errno.EPERM: "the output folder is not writable",
    errno.EROFS: "the output folder is on a read-only disk",
}


def _sync_folder(folder: Path) -> None:
    """Make a rename durable: flush the folder entry to disk where the platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
