"""A run: which editions to make (the sources come from ``discovery``; those whose inputs
have not changed since they were written are left alone, see ``builds``), made by
``rendering``, which is loaded only when there are some."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from exporter.builds import Manifest, StyleKey, format_digest, kept_style_key, style_key
from exporter.discovery import find_sources as find_sources  # for the CLI and watch
from exporter.discovery import select_shard as select_shard
from exporter.errors import ExportError
from exporter.formats import ExportOptions, Format, load_format

if TYPE_CHECKING:  # the rendering and style layers load only when an edition is to be made
    from exporter.rendering import Article
    from exporter.style import StyleSheet, Trace


# A run's outcomes are named tuples: cheap to make by the thousand, and to define in a run
# with nothing to do.


class Written(NamedTuple):
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
    _keys: dict[str, StyleKey] = field(default_factory=dict)

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
        if name not in self._keys:
            self._keys[name] = style_key(self._styles[name]) if name in self._styles else (
                kept_style_key(name, self.paper, lambda trace: self._load_style(name, trace)))
        return self._keys[name]

    def _load_style(self, name: str, trace: Trace | None) -> StyleSheet:
        from exporter.style import load_style

        self._styles[name] = load_style(name, trace).with_paper(self.paper)
        return self._styles[name]


class Warned(NamedTuple):
    """Something a source says that an editor should check; the editions are still made."""

    message: str


class Failed(NamedTuple):
    """An edition that could not be made; the others still are."""

    error: ExportError


class UpToDate(NamedTuple):
    """Editions left as they were: nothing they are made from changed since they were
    written (``Job.force`` rebuilds them)."""

    count: int


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
    with _uncollected():
        manifest = Manifest.of(job.out_dir)
    try:
        for outcome in _editions(job, _output_folder, manifest):
            if isinstance(outcome, Warned | Failed | UpToDate):
                yield outcome
                continue
            from exporter.rendering import write  # loaded already: it made the article

            for written, made in write(job.out_dir, outcome):
                if isinstance(written, Written) and made is not None:
                    manifest.record(made.key, made.fmt, made.inputs, written.path)
                yield written
    finally:
        manifest.save()


class Checked(NamedTuple):
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
        if isinstance(outcome, Warned | Failed):
            yield outcome
            continue
        for edition in outcome.editions:
            if isinstance(edition, Failed):
                yield edition
            else:
                yield Checked(edition.source, edition.filename, edition.pages, edition.warnings)


def _editions(
    job: Job,
    around: Callable[[Job], contextlib.AbstractContextManager[None]],
    manifest: Manifest | None,
) -> Iterator[Article | Failed | Warned | UpToDate]:
    """Load and check every source that has an edition to make, then render those editions
    inside ``around(job)``. With a ``manifest``, an edition whose inputs it records as
    unchanged is left alone (unless ``job.force``)."""
    formats = [load_format(name) for name in job.formats]
    with _uncollected():
        tasks, fresh = _tasks(job, formats, manifest)
    if fresh:
        yield UpToDate(fresh)
    if not tasks:
        return
    styles = {fmt.name: job.style_for(fmt) for fmt in formats}
    from exporter.rendering import render  # not for a run with none

    yield from render(job, tasks, styles, around)


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
def _uncollected() -> Iterator[None]:
    """Python's cycle collector paused: an archive's build record and its editions to look
    up are tens of thousands of objects with no cycle among them, which the collector
    would otherwise walk again and again as they are made (5 % of a run with nothing to
    do)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@contextlib.contextmanager
def _output_folder(job: Job) -> Iterator[None]:
    """The output folder, created, locked and swept of what an interrupted run left."""
    from exporter.output import output_lock, prepare_output, sweep_stale

    prepare_output(job.out_dir)
    with output_lock(job.out_dir):
        sweep_stale(job.out_dir)
        yield


