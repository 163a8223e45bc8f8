"""`make bench`: our editions, the floor and the peers as whole processes; writes RESULTS.md."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import archive
import profiles
import report
import tagging
import watch
from floor import FORMATS as FLOOR_FORMATS
from make_corpus import ROOT, Corpus, make_corpus
from measure import Command, ImportProfile, Stats, import_profile, measure, memory_kib

from exporter.client import OFF
from exporter.fonts import font_family
from exporter.formats import edition_names

HERE = Path(__file__).resolve().parent
FINDINGS = HERE / "findings.md"
BIN = Path(sys.executable).parent
EXPORTER = str(BIN / "exporter")
# scale → (warm-up rounds, measured rounds): the 1× warm-up round warms the file cache and the
# bytecode of every command, which the larger scales share.
PLAN = {1: (1, 5), 10: (0, 3), 100: (0, 2)}
QUICK_PLAN = {1: (1, 3), 10: (0, 2)}
# At 100× the peers take minutes per round on two cores: one measured run each.
PEER_RUNS_AT = {100: 1}
PEERS = ("pandoc", "rst2pdf", "weasyprint")
SERVED_AT = (1, 10)  # the scales at which `exporter all` is also made by `exporter serve`


def find_tool(name: str) -> str | None:
    """A tool from the folders in $PEERS_BIN, else from PATH (None: its cases are skipped)."""
    for folder in os.environ.get("PEERS_BIN", "").split(os.pathsep):
        candidate = Path(folder) / name
        if folder and candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def our_cases(corpus: Corpus, out: Path, served: Servers | None) -> dict[str, list[Command]]:
    src = str(corpus.source)
    # --force: every run renders (else the runs after the first find their editions current);
    # warm: the font caches filled by the runs before; cold: an empty cache folder each run
    cases = {"ours:all": [[EXPORTER, "all", src, "-o", str(out / "all"), "--force"]]}
    cold = out / "cold-cache"
    cases["ours:all-cold"] = [
        [sys.executable, "-c", f"import shutil; shutil.rmtree({str(cold)!r}, True)"],
        ["env", f"XDG_CACHE_HOME={cold}", EXPORTER, "all", src, "-o", str(out / "all-cold"),
         "--force"],
    ]  # fmt: skip
    if served is not None:  # the same commands made by a running `exporter serve`
        handed = ["env", "-u", OFF]
        cases["ours:all-served"] = [[*handed, EXPORTER, "all", src, "-o",
                                     str(out / "all-served"), "--force"]]  # fmt: skip
        cases["ours:all-served-cold"] = [
            [sys.executable, "-c", f"import shutil; shutil.rmtree({str(served.cold)!r}, True)"],
            [*handed, f"XDG_CACHE_HOME={served.cold}", EXPORTER, "all", src, "-o",
             str(out / "all-served-cold"), "--force"],
        ]  # fmt: skip
    for fmt in edition_names():
        cases[f"ours:{fmt}"] = [[EXPORTER, fmt, src, "-o", str(out / fmt), "--force"]]
    serif = font_family("PT Serif")
    fonts = ["--regular", str(serif.regular), "--bold", str(serif.bold)]
    for fmt in ("all", *FLOOR_FORMATS):
        floor = [sys.executable, str(HERE / "floor.py"), fmt, src, "-o", str(out / f"floor-{fmt}")]
        cases[f"floor:{fmt}"] = [floor + fonts]
    return cases


def peer_cases(corpus: Corpus, out: Path, tools: dict[str, str | None]) -> dict[str, list[Command]]:
    md, rst = str(corpus.markdown), str(corpus.rst)
    pandoc, rst2pdf, weasy = tools["pandoc"], tools["rst2pdf"], tools["weasyprint"]
    cases: dict[str, list[Command]] = {}
    if pandoc:
        cases["peer:pandoc-docx"] = [[pandoc, md, "-o", str(out / "pandoc.docx")]]
        cases["peer:pandoc-epub"] = [[pandoc, md, "-o", str(out / "pandoc.epub")]]
    if pandoc and weasy:
        html = str(out / "pandoc.html")
        cases["peer:weasyprint"] = [
            [pandoc, "-s", "-H", str(corpus.html_header), md, "-o", html],
            [weasy, html, str(out / "weasyprint.pdf")],
        ]
    if rst2pdf:
        style = str(corpus.rst_style)
        cases["peer:rst2pdf"] = [[rst2pdf, "-s", style, rst, "-o", str(out / "rst2pdf.pdf")]]
    return cases


def skipped_peers(tools: dict[str, str | None]) -> dict[str, str]:
    need = {"peer:pandoc-docx": ("pandoc",), "peer:pandoc-epub": ("pandoc",),
            "peer:weasyprint": ("pandoc", "weasyprint"), "peer:rst2pdf": ("rst2pdf",)}  # fmt: skip
    notes = {}
    for key, names in need.items():
        missing = [n for n in names if not tools[n]]
        if missing:
            notes[key] = f"{', '.join(missing)} not found on PATH or in $PEERS_BIN"
    return notes


def tool_versions(tools: dict[str, str | None]) -> list[str]:
    lines = [f"- Python {platform.python_version()}, {os.cpu_count()} cores, {platform.platform()}"]
    for name, path in tools.items():
        if not path:
            lines.append(f"- {name}: not installed (its cases are skipped)")
            continue
        proc = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
        first = (proc.stdout or proc.stderr).strip().splitlines()
        version = first[0] if first else "?"
        if version in ("?", "0.0.0") and shutil.which("dpkg-query"):
            query = ["dpkg-query", "-W", "-f=${Version}", name]
            package = subprocess.run(query, capture_output=True, text=True, check=False)
            if package.stdout.strip():
                version = f"{name} {package.stdout.strip()} (Debian package)"
        lines.append(f"- {name}: {version} ({path})")
    return lines


def where_time_goes(corpus: Corpus, out: Path) -> tuple[str, list[str]]:
    """py-spy over every process of `exporter all`, else cProfile of each single-format run."""
    pyspy = find_tool("py-spy")
    if pyspy:
        argv = [EXPORTER, "all", str(corpus.source), "-o", str(out / "profiled")]
        return "`exporter all`, py-spy", profiles.spy_profile(pyspy, argv, ROOT, out)
    lines = []
    for fmt in ("pdf", "handout", "docx", "epub"):
        lines.append(f"exporter {fmt}:")
        argv = [fmt, str(corpus.source), "-o", str(out / "profiled")]
        lines += profiles.cprofile(argv, ROOT, out, top=12)
    return "each format alone, cProfile (install py-spy for all processes)", lines


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1× and 10× only, fewer runs")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--profile-scale", type=int, default=100,
                        help="profile the largest scale up to this one (0: none)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass
class Servers:
    """Two `exporter serve` processes: one with the usual cache folder, one with ``cold``
    (emptied before each run of a case made there)."""

    cold: Path
    processes: dict[str, subprocess.Popen]


@contextlib.contextmanager
def servers(folder: Path) -> Iterator[Servers]:
    cold = folder / "served-cold-cache"
    env = {k: v for k, v in os.environ.items() if k != OFF}
    running: dict[str, subprocess.Popen] = {}
    try:
        for name, extra in (("warm", {}), ("cold", {"XDG_CACHE_HOME": str(cold)})):
            log = folder / f"serve-{name}.log"
            running[name] = subprocess.Popen([EXPORTER, "serve", "--idle", "30"], cwd=ROOT,
                                             env={**env, **extra}, stdout=subprocess.DEVNULL,
                                             stderr=log.open("w"))  # fmt: skip
            deadline = time.monotonic() + 120
            while "serving" not in log.read_text(encoding="utf-8"):
                if running[name].poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"exporter serve did not start: {log.read_text()}")
                time.sleep(0.05)
        yield Servers(cold, running)
    finally:
        for process in running.values():
            process.terminate()
            process.wait(timeout=60)


def run_scales(
    plan: dict[int, tuple[int, int]], tmp: Path, tools: dict[str, str | None]
) -> tuple[report.Results, dict[int, int], dict[int, Corpus]]:
    """Every case at every scale; returns the results, body word counts and the corpora."""
    results: report.Results = {}
    words: dict[int, int] = {}
    corpora: dict[int, Corpus] = {}
    for scale, (warmup, runs) in plan.items():
        corpus = make_corpus(scale, tmp / f"{scale}x")
        out = corpus.folder / "out"
        with contextlib.ExitStack() as stack:
            served = stack.enter_context(servers(corpus.folder)) if scale in SERVED_AT else None
            cases = our_cases(corpus, out, served) | peer_cases(corpus, out, tools)
            print(f"{scale}×: {corpus.words:,} words, {len(cases)} cases, {warmup} warm-up + "
                  f"{runs} rounds (load {_load()})", file=sys.stderr)  # fmt: skip
            capped = PEER_RUNS_AT.get(scale)
            fewer = {k: capped for k in cases if k.startswith("peer:")} if capped else None
            results[scale] = measure(cases, runs, warmup, ROOT, fewer)
            for key, stats in results[scale].items():
                server = None
                if served is not None and key.startswith("ours:all-served"):
                    server = served.processes["cold" if key.endswith("cold") else "warm"].pid
                if stats.ok:
                    stats.peak_kib, stats.tree_kib = memory_kib(cases[key], ROOT, server=server)
        words[scale], corpora[scale] = corpus.words, corpus
    return results, words, corpora


def startup(corpus: Corpus) -> tuple[dict[str, Stats], dict[str, ImportProfile]]:
    """Start-up commands timed, and their imports (plus each single-format run's) profiled."""
    src = str(corpus.source)
    cases = {"startup:help": [[EXPORTER, "--help"]], "startup:list": [[EXPORTER, "list"]],
             "startup:check": [[EXPORTER, "check", src]],
             "startup:python": [[sys.executable, "-c", "pass"]]}  # fmt: skip
    timed = measure(cases, runs=10, warmup=1, cwd=ROOT)
    for key, stats in timed.items():
        if stats.ok:
            stats.peak_kib, stats.tree_kib = memory_kib(cases[key], ROOT)
    commands = {"exporter --help": ["exporter", "--help"], "exporter list": ["exporter", "list"],
                "exporter check": ["exporter", "check", src]}  # fmt: skip
    for fmt in ("pdf", "docx", "epub"):
        out = str(corpus.folder / "out" / f"imports-{fmt}")
        commands[f"exporter {fmt} (1×)"] = ["exporter", fmt, src, "-o", out]
    python = Path(sys.executable)
    profiles = {name: import_profile(python, argv, ROOT) for name, argv in commands.items()}
    return timed, profiles


_STARTUP_NAMES = {
    "startup:help": "`exporter --help`",
    "startup:list": "`exporter list`",
    "startup:check": "`exporter check` (1× source)",
    "startup:python": "`python -c pass` (the interpreter alone, for scale)",
}


def startup_table(timed: dict[str, Stats]) -> list[str]:
    lines = ["| command | median s | min–max s | runs | peak MiB | tree MiB |",
             "|---|--:|--:|--:|--:|--:|"]  # fmt: skip
    for key, stats in timed.items():
        name = _STARTUP_NAMES[key]
        if not stats.ok:
            lines.append(f"| {name} | {stats.error} | | | | |")
            continue
        spread = f"{stats.low:.3f}–{stats.high:.3f}"
        memory = f"{stats.peak_mib:.0f} | {stats.tree_mib:.0f}"
        lines.append(f"| {name} | {stats.median:.3f} | {spread} | {len(stats.times)} | {memory} |")
    return lines


def compose(
    plan: dict[int, tuple[int, int]],
    results: report.Results,
    words: dict[int, int],
    skipped: dict[str, str],
    timed: dict[str, Stats],
    profiles: dict[str, ImportProfile],
    env_lines: list[str],
) -> str:
    """RESULTS.md: environment, targets, the timing tables, start-up and imports."""
    top = max(plan)
    runs = ", ".join(f"{s}×: {w} warm-up + {r} runs" for s, (w, r) in plan.items())
    runs += "".join(f"; peers at {s}×: {n} run" for s, n in PEER_RUNS_AT.items() if s in plan)
    lines = ["# Benchmark results", "",
             "Written by `make bench` (`benchmarks/run.py`); issues 7 and 24. Whole processes,"
             " wall-clock seconds, medians of interleaved rounds (every case once per round),"
             " min–max. Memory, sampled from /proc every 5 ms in one more, untimed run: the peak"
             " RSS of the largest process (VmHWM) and the largest PSS summed over the whole"
             " process tree (`exporter all` renders in several processes; PSS counts pages shared"
             " after fork once). *Cold*: an empty cache folder each run (no font subsets or build"
             " records to reuse); *warm*: the cache filled by the runs before.",
             f"Runs: {runs}. Ratios are of medians: below 1 we are faster.", "",
             *env_lines, "", "## Targets (issue 24)", "", *report.target_table(results, top), "",
             "## Timings", "", *report.timing_tables(
                 {s: c for s, c in results.items() if s}, words, skipped),
             "## Start-up", "", *startup_table(timed), "",
             "Imports (`python -X importtime`, cumulative seconds of top-level imports):", "",
             *report.import_table(profiles), ""]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    # every command in its own process, whatever server the user runs; the served cases
    # start their own servers and hand their commands to them
    os.environ[OFF] = "off"
    plan = QUICK_PLAN if args.quick else PLAN
    tools = {name: find_tool(name) for name in PEERS}
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    load_before = _load()
    tmp = Path(tempfile.mkdtemp(prefix="exporter-bench-"))
    try:
        results, words, corpora = run_scales(plan, tmp, tools)
        print(f"start-up and imports (load {_load()})", file=sys.stderr)
        timed, profiles = startup(corpora[min(plan)])
        results[0] = timed
        scale = max((s for s in corpora if s <= args.profile_scale), default=0)
        how, prof = ("", [])
        if scale:
            how, prof = where_time_goes(corpora[scale], corpora[scale].folder / "out")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    env_lines = [f"- Run {started.isoformat()} — load average (1, 5, 15 min) {load_before} before,"
                 f" {_load()} after", *tool_versions(tools)]  # fmt: skip
    text = compose(plan, results, words, skipped_peers(tools), timed, profiles, env_lines)
    if prof:
        text += f"\n## Where the time goes at {scale}× ({how})\n\n```\n"
        text += "\n".join(prof) + "\n```\n"
    print("tagged PDF: the cost of the structure tree", file=sys.stderr)
    text += "\n## What tagging costs (issue 14)\n\n" + "\n".join(tagging.measure()) + "\n"
    print("exporter watch: a one-word change", file=sys.stderr)
    text += "\n## An editor's loop: exporter watch (issue 15)\n\n"
    text += "\n".join(watch.measure(edits=7)) + "\n"
    if not args.quick:
        print("exporter watch: a one-word change at 100×", file=sys.stderr)
        text += "\n" + "\n".join(watch.measure(edits=3, scale=100)) + "\n"
    articles = 100 if args.quick else 1000
    print(f"an archive of {articles} articles", file=sys.stderr)
    text += f"\n## An archive of {articles:,} articles (issue 15)\n\n"
    text += "\n".join(archive.measure(articles, os.cpu_count() or 1)) + "\n"
    if FINDINGS.exists():
        text += "\n" + FINDINGS.read_text(encoding="utf-8")
    text = text.replace(str(tmp), "<tmp>")
    args.results.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {args.results}", file=sys.stderr)


if __name__ == "__main__":
    main()
