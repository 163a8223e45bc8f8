"""Whole-process measurements: wall time and peak memory of children, import-time profiles."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

Command = Sequence[str]
HEAVY_MODULES = ("reportlab", "docx", "ebooklib", "PIL", "lxml", "fontTools", "pyphen")


class RunFailed(Exception):
    """A measured command exited with an error."""


@dataclass
class Stats:
    """Timings of the measured runs of one case (the warm-up is not among them)."""

    times: list[float] = field(default_factory=list)
    peak_kib: int = 0
    tree_kib: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def low(self) -> float:
        return min(self.times)

    @property
    def high(self) -> float:
        return max(self.times)

    @property
    def peak_mib(self) -> float:
        """The peak resident memory (VmHWM) of the largest process of the run."""
        return self.peak_kib / 1024

    @property
    def tree_mib(self) -> float:
        """The largest PSS summed over the run's whole process tree at one moment."""
        return self.tree_kib / 1024

    @property
    def memory_mib(self) -> float:
        """The run's memory: its largest process's peak, or the whole tree's if that is more."""
        return max(self.peak_kib, self.tree_kib) / 1024


def run_once(commands: Sequence[Command], cwd: Path) -> float:
    """Run ``commands`` in turn; the total wall seconds."""
    started = time.perf_counter()
    for argv in commands:
        with tempfile.TemporaryFile() as err:
            code = subprocess.call(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
            if code != 0:
                err.seek(0)
                lines = err.read().decode("utf-8", "replace").strip().splitlines()
                last = lines[-1] if lines else "(no message)"
                raise RunFailed(f"{Path(argv[0]).name} exited {code}: {last[:200]}")
    return time.perf_counter() - started


def measure_round(cases: dict[str, Sequence[Command]], stats: dict[str, Stats], cwd: Path,
                  record: bool) -> None:  # fmt: skip
    """One run of every case still healthy; a failure is recorded and the case dropped."""
    for key, commands in cases.items():
        result = stats.setdefault(key, Stats())
        if result.error is not None:
            continue
        try:
            seconds = run_once(commands, cwd)
        except (RunFailed, OSError) as exc:
            result.error = str(exc)
            continue
        if record:
            result.times.append(seconds)


def measure(
    cases: dict[str, Sequence[Command]],
    runs: int,
    warmup: int,
    cwd: Path,
    fewer: dict[str, int] | None = None,
) -> dict[str, Stats]:
    """Interleaved rounds (every case once per round): machine noise is shared by all cases.

    ``fewer`` caps the measured runs of some cases (slow peers at the largest scale).
    """
    stats: dict[str, Stats] = {}
    for _ in range(warmup):
        measure_round(cases, stats, cwd, record=False)
    for index in range(runs):
        due = {k: v for k, v in cases.items() if index < (fewer or {}).get(k, runs)}
        measure_round(due, stats, cwd, record=True)
    return stats


def _children() -> dict[int, list[int]]:
    """Every process's children, from the parent ids in /proc/<pid>/stat."""
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                data = stat.read()
        except OSError:
            continue
        ppid = int(data[data.rindex(b")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _status_kib(pid: int) -> tuple[int, int]:
    """(VmHWM, Pss) of one process in KiB: its own peak RSS since exec, and its share right now.

    PSS counts the pages that forked workers share with their parent once.
    """
    hwm = pss = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    hwm = int(line.split()[1])
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return hwm, pss


def _tree_kib(root: int) -> tuple[int, int]:
    """The largest VmHWM in the tree under ``root`` and the PSS sum of the tree, right now."""
    kids, stack = _children(), [root]
    hwm = pss = 0
    while stack:
        pid = stack.pop()
        one_hwm, one_pss = _status_kib(pid)
        hwm, pss = max(hwm, one_hwm), pss + one_pss
        stack.extend(kids.get(pid, ()))
    return hwm, pss


def memory_kib(
    commands: Sequence[Command], cwd: Path, interval: float = 0.005, server: int | None = None
) -> tuple[int, int]:
    """Peak memory of one untimed run, sampled from /proc: (largest VmHWM, largest PSS sum).
    With ``server`` (a running ``exporter serve``), its process tree is counted with the
    command's: the command is made there.

    ``ru_maxrss`` cannot serve: a child's count starts from its parent's size at fork.
    Both are 0 where /proc is missing.
    """
    if not Path("/proc/self/smaps_rollup").exists():
        return 0, 0
    hwm = tree = 0
    for argv in commands:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while proc.poll() is None:
            one_hwm, one_tree = _tree_kib(proc.pid)
            if server is not None:
                served_hwm, served_tree = _tree_kib(server)
                one_hwm, one_tree = max(one_hwm, served_hwm), one_tree + served_tree
            hwm, tree = max(hwm, one_hwm), max(tree, one_tree)
            time.sleep(interval)
    return hwm, tree


@dataclass(frozen=True)
class ImportProfile:
    """What ``python -X importtime`` saw for one command."""

    total: float
    top: list[tuple[str, float]]
    heavy: list[str]


_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_profile(python: Path, argv: Sequence[str], cwd: Path, top: int = 8) -> ImportProfile:
    """Import times (cumulative seconds) of the top-level modules imported by running ``argv``."""
    code = f"import sys; sys.argv = {list(argv)!r}; from exporter.cli import main; main()"
    proc = subprocess.run([str(python), "-X", "importtime", "-c", code], cwd=cwd,
                          capture_output=True, text=True, check=False)  # fmt: skip
    rows: list[tuple[str, float]] = []
    names: set[str] = set()
    for line in proc.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if not match:
            continue
        name = match.group(4)
        names.add(name.split(".")[0])
        if len(match.group(3)) == 1:
            rows.append((name, int(match.group(2)) / 1e6))
    rows.sort(key=lambda row: row[1], reverse=True)
    heavy = [m for m in HEAVY_MODULES if m in names]
    return ImportProfile(sum(s for _, s in rows), rows[:top], heavy)
