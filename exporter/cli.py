"""The ``exporter`` command: options, messages and exit codes (the only module that prints)."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import os
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from exporter import __version__
from exporter.errors import EXIT_BAD_INPUT, EXIT_EXPORT_FAILED, ExportError, UsageError
from exporter.formats import ExportOptions, default_names, format_names, load_format

BUILTIN_COMMANDS = ("all", "list", "check", "watch", "serve")
SOURCE_COMMANDS = ("import",)  # commands that make sources rather than editions


def _source_date() -> dt.datetime | None:
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH={raw!r} is not a whole number of seconds")
    if not 315_532_800 <= int(raw) <= 4_354_819_199:  # what a zip time stamp can hold
        raise UsageError(f"SOURCE_DATE_EPOCH={raw} is not between 1980 and 2107")
    return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)


def _report(error: ExportError) -> None:
    for line in error.lines():
        click.echo(line, err=True)


def _guarded(debug: bool, action: Callable[[], int]) -> None:
    """Run ``action``; turn every failure into one-line messages and an exit code."""
    try:
        code = action()
    except ExportError as exc:
        if debug:
            traceback.print_exc()
        _report(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted: no edition was left half-written", err=True)
        sys.exit(130)
    except BrokenPipeError:  # what reads the output has gone (`exporter list | head -1`)
        with contextlib.suppress(OSError):  # what is left to print goes nowhere, quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_EXPORT_FAILED)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if debug:
            traceback.print_exc()
        click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug)", err=True)
        sys.exit(EXIT_EXPORT_FAILED)
    sys.exit(code)


def _export(ctx: click.Context, formats: list[str], sources: tuple[str, ...], **opts: Any) -> None:
    from exporter.pipeline import Job, run

    debug = ctx.find_root().params.get("debug", False)

    def action() -> int:
        job = Job(_sources(sources, opts), formats, Path(opts["out_dir"]), opts.get("style"),
                  _options(opts), opts.get("paper"), force=opts.get("force", False),
                  jobs=opts.get("jobs"))  # fmt: skip
        code = 0
        for outcome in run(job):
            code = max(code, _show(outcome))
        return code

    _guarded(debug, action)


def _show(outcome: Any) -> int:
    """Print what became of an edition (one line); its exit code."""
    from exporter.pipeline import Failed, UpToDate, Warned

    if isinstance(outcome, Warned):
        click.echo(f"warning: {outcome.message}", err=True)
        return 0
    if isinstance(outcome, UpToDate):
        plural = "edition is" if outcome.count == 1 else "editions are"
        click.echo(f"{outcome.count} {plural} up to date (nothing they are made from has "
                   "changed; --force rebuilds them)")  # fmt: skip
        return 0
    if isinstance(outcome, Failed):
        _report(outcome.error)
        return outcome.error.exit_code
    extent = _size(outcome.size)
    if outcome.pages:
        extent = f"{outcome.pages} pages, {extent}"
    click.echo(f"{outcome.path}  {extent}  {outcome.seconds:.2f} s")
    for warning in outcome.warnings:
        click.echo(f"warning: {warning}", err=True)
    return 0


def _sources(given: tuple[str, ...], opts: dict[str, Any]) -> list[Path]:
    from exporter.pipeline import find_sources, select_shard

    return select_shard(find_sources(given), opts.get("shard"))


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    """``K/N`` as (K, N), 1 ≤ K ≤ N."""
    if value is None:
        return None
    match = re.fullmatch(r"(\d+)/(\d+)", value.strip())
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise click.BadParameter(f"{value!r} is not K/N with 1 ≤ K ≤ N (e.g. 2/8)")
    return int(match.group(1)), int(match.group(2))


def _options(opts: dict[str, Any]) -> ExportOptions:
    return ExportOptions(
        embed_fonts=opts.get("embed_fonts", True),
        timestamp=_source_date(),
    )


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} B"


def _export_options(
    func: Callable[..., Any], writes: bool = True, watching: bool = False
) -> Callable[..., Any]:
    """The options every export takes; ``writes``: and the output folder; ``watching``: not
    those of a one-off run over an archive."""
    out_dir = click.option(
        "-o", "--out-dir", default="dist", show_default=True, type=click.Path(file_okay=False),
        help="Folder the editions are written to (created if missing).",
    )  # fmt: skip
    decorators = [
        click.argument("sources", nargs=-1, metavar="[SOURCE]..."),
        *([out_dir] if writes else []),
        click.option("--style", metavar="NAME|PATH", help="Style from styles/ or a .toml file."),
        click.option(
            "--paper", type=click.Choice(["a4", "letter"], case_sensitive=False),
            help="Paper size for page-based editions (default: the style's).",
        ),
        click.option(
            "--embed-fonts/--no-embed-fonts", default=True, show_default=True,
            help="Embed the fonts in the e-book, the Word file and the web page.",
        ),
    ]  # fmt: skip
    if not watching:
        decorators += [
            click.option(
                "--shard", metavar="K/N", callback=_shard,
                help="Only the K-th of N stable shares of the articles (by slug), so N "
                     "machines build an archive together.",
            ),
            click.option(
                "--jobs", "-j", type=click.IntRange(min=1), metavar="N",
                help="Render in N worker processes (default: one per core, at most 4).",
            ),
        ]  # fmt: skip
    if writes and not watching:
        decorators.append(click.option(
            "--force", is_flag=True,
            help="Rebuild every edition, even those whose sources, style and options have "
                 "not changed since they were written.",
        ))  # fmt: skip
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


class ExporterGroup(click.Group):
    """Built-in commands plus one command per registered format."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            names = format_names()
        except ExportError:
            names = []
        return [*names, *BUILTIN_COMMANDS, *SOURCE_COMMANDS]

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command named first in ``args``; an unknown name is one line naming the
        formats and commands there are, and exit code 2."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            formats = ", ".join(n for n in self.list_commands(ctx)
                                if n not in (*BUILTIN_COMMANDS, *SOURCE_COMMANDS))
            click.echo(f"usage: unknown command {name!r} (formats: {formats or 'none'}; "
                       f"commands: {', '.join(BUILTIN_COMMANDS)})", err=True)  # fmt: skip
            ctx.exit(EXIT_BAD_INPUT)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if (command is not None or cmd_name not in self.list_commands(ctx)
                or cmd_name in SOURCE_COMMANDS):
            return command
        return _format_command(cmd_name)


def _format_command(name: str) -> click.Command:
    try:
        fmt = load_format(name)
        short, target = fmt.description, f"dist/<slug>{fmt.suffix}"
    except ExportError as exc:
        short, target = f"(unavailable: {exc})", "dist/"

    def callback(sources: tuple[str, ...], **opts: Any) -> None:
        _export(click.get_current_context(), [name], sources, **opts)

    help_text = f"{short}\n\nWrites {target} for every SOURCE (default: every article in source/)."
    return click.command(name, help=help_text, short_help=short)(_export_options(callback))


@click.group(cls=ExporterGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="exporter")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
def cli(debug: bool) -> None:
    """Export articles from source/ to Word, PDF, handout, EPUB and HTML editions in dist/.

    \b
    Exit codes: 0 done, 1 an export failed, 2 bad input or usage.
    """


@cli.command("all")
@_export_options
@click.pass_context
def all_command(ctx: click.Context, sources: tuple[str, ...], **opts: Any) -> None:
    """Every edition and record of every SOURCE (default: every article in source/); a
    deposit (a format of kind "deposit") only when asked for by name."""
    _export(ctx, default_names(), sources, **opts)


@cli.command("list")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """The formats that can be exported."""

    def action() -> int:
        for name in format_names():
            fmt = load_format(name)
            click.echo(f"{name:<10} {fmt.filename('<slug>'):<22} {fmt.description}")
        return 0

    _guarded(ctx.find_root().params.get("debug", False), action)


@cli.command("check")
@functools.partial(_export_options, writes=False)
@click.pass_context
def check_command(ctx: click.Context, sources: tuple[str, ...], **opts: Any) -> None:
    """Everything `exporter all` does to SOURCE but writing: the source is read and
    checked, and every edition rendered in memory and verified. Exits as `all` would."""
    from exporter.pipeline import Checked, Failed, Job, Warned, check

    def action() -> int:
        job = Job(_sources(sources, opts), default_names(), Path("."), opts.get("style"),
                  _options(opts), opts.get("paper"), jobs=opts.get("jobs"))  # fmt: skip
        code = 0
        editions: dict[str, list[str]] = {}
        for outcome in check(job):
            if isinstance(outcome, Warned):
                click.echo(f"warning: {outcome.message}", err=True)
            elif isinstance(outcome, Failed):
                _report(outcome.error)
                code = max(code, outcome.error.exit_code)
            elif isinstance(outcome, Checked):
                pages = f" ({outcome.pages} pages)" if outcome.pages else ""
                editions.setdefault(outcome.source, []).append(f"{outcome.filename}{pages}")
                for warning in outcome.warnings:
                    click.echo(f"warning: {warning}", err=True)
        verdict = "ok" if code == 0 else "rendered"  # a failed edition was reported above
        for source, names in editions.items():
            click.echo(f"{source}: {verdict}: {', '.join(names)}")
        return code

    _guarded(ctx.find_root().params.get("debug", False), action)


@cli.command("watch")
@functools.partial(_export_options, watching=True)
@click.option("--format", "-f", "formats", multiple=True, metavar="NAME",
              help="Only this format (repeat for more; default: every format).")
@click.pass_context
def watch_command(ctx: click.Context, sources: tuple[str, ...], formats: tuple[str, ...],
                  **opts: Any) -> None:  # fmt: skip
    """Build every edition of SOURCE, then keep watching the articles, their figures and
    the style files, and rebuild the editions a save affects (Ctrl-C stops). A broken save
    is reported and the last good editions stay."""
    from exporter.pipeline import Job
    from exporter.watch import watch

    def action() -> int:
        names = list(formats) or default_names()
        for name in names:
            load_format(name)
        job = Job(_sources(sources, opts), names, Path(opts["out_dir"]), opts.get("style"),
                  _options(opts), opts.get("paper"))  # fmt: skip
        click.echo(f"watching {len(job.sources)} article(s); Ctrl-C stops", err=True)
        watch(sources, job, _show)
        return 0

    _guarded(ctx.find_root().params.get("debug", False), action)


@cli.command("serve")
@click.option("--idle", default=60.0, show_default=True, metavar="MINUTES",
              type=click.FloatRange(min=0.1), help="Stop after this long with no command.")
@click.pass_context
def serve_command(ctx: click.Context, idle: float) -> None:
    """Keep the formats' libraries, fonts and hyphenation patterns loaded, so that every
    exporter command of this user starts warm while it runs (each is still made in a
    process of its own, with the same results). Ctrl-C stops it; so does an edited or
    upgraded toolkit, and IDLE minutes with no command. EXPORTER_SERVER=off runs a
    command in its own process even so."""
    from exporter.serve import serve

    _guarded(ctx.find_root().params.get("debug", False),
             lambda: serve(idle, lambda line: click.echo(line, err=True)))  # fmt: skip


@cli.command("import")
@click.argument("manuscript", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--out-dir", default="source", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder the article's folder <slug>/ is written to.")
@click.option("--slug", default="", help="The article's slug (default: the Word edition's, "
              "else the file name's).")
@click.option("--title", default="", help="The title, when the manuscript has none.")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="An author, when the manuscript names none (repeat for more).")
@click.option("--date", default="", metavar="YYYY-MM-DD",
              help="The publication date, when the manuscript's properties have none.")
@click.option("--lang", default="", help="The body's language (default: the document's).")
@click.option("--publisher", default="", help="The publisher, when the manuscript's "
              "properties name none.")
@click.option("--summary", default="", help="The summary (Markdown), when the manuscript "
              "has no Summary or Abstract paragraph.")
@click.option("--accept-changes", is_flag=True,
              help="Accept every tracked change (else a manuscript with changes is refused).")
@click.option("--force", is_flag=True, help="Replace an article already at <out>/<slug>/.")
@click.pass_context
def import_command(ctx: click.Context, manuscript: Path, out_dir: Path, **opts: Any) -> None:
    """Read a Word manuscript (.docx) into OUT/<slug>/article.md and its figures/.

    What the source format cannot carry (comments, text boxes, shapes, charts, equations,
    fields, colours and fonts set by hand) is listed as warnings, with where it stood."""
    from exporter.importer import Given, import_docx

    def action() -> int:
        given = Given(opts["slug"], opts["title"], tuple(opts["authors"]), opts["date"],
                      opts["lang"], opts["publisher"], opts["summary"])  # fmt: skip
        done = import_docx(manuscript, out_dir, given, opts["accept_changes"], opts["force"])
        for line in done.warnings:
            click.echo(f"warning: {line}", err=True)
        click.echo(f"{done.path}  {done.figures} figure(s), {done.notes} note(s)")
        return 0

    _guarded(ctx.find_root().params.get("debug", False), action)


def main() -> None:
    """Console entry point. The process ends as soon as the command has: its output is
    flushed and the exit handlers run, but the interpreter does not tear down every module
    it imported one object at a time (tens of milliseconds with the formats' libraries
    loaded, and every edition is already written and closed)."""
    os._exit(finished())


def finished() -> int:
    """Make the command in ``sys.argv``; flush the output and run the exit handlers. The
    exit code."""
    try:
        cli(prog_name="exporter")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None: started with that stream closed
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    atexit._run_exitfuncs()
    return code or 0
