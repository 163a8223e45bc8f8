"""Where the time goes: py-spy samples of every process of a run, or cProfile without py-spy."""

from __future__ import annotations

import collections
import io
import pstats
import re
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path

# Frames above the rendering (the interpreter, click, the CLI, the pipeline, the worker pool).
_ABOVE = (r"click/|exporter/cli\.py|exporter/pipeline\.py|builtins\.exec|exporter_main|"
          r"concurrent/futures|multiprocessing/|threading\.py|importlib")  # fmt: skip
_BELOW_PIPELINE = rf"^(?!.*(?:{_ABOVE}))"
_LINE_NUMBER = re.compile(r":\d+\)$")


def _shorten(text: str, root: Path) -> str:
    for prefix in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"], str(root)):
        text = text.replace(prefix + "/", "")
    return text


def _frame_name(frame: str, root: Path) -> str:
    return _LINE_NUMBER.sub(")", _shorten(frame, root))


def spy_summary(raw: str, root: Path, top: int = 20) -> list[str]:
    """py-spy's raw (collapsed) stacks as the functions with most inclusive and most own samples."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [_frame_name(f, root) for f in stack.split(";") if not f.startswith("process ")]
        frames = frames[1:]  # the console script's module: every sample is under it
        if not frames:
            continue
        total += int(count)
        for name in set(frames):
            inclusive[name] += int(count)
        own[frames[-1]] += int(count)
    if not total:
        return ["(no samples)"]
    below = re.compile(_BELOW_PIPELINE)
    lines = [f"{total} samples over all processes; share of samples including callees:"]
    picked = [(n, c) for n, c in inclusive.most_common() if below.search(n)]
    lines += [f"  {100 * c / total:5.1f}%  {n}" for n, c in picked[:top]]
    lines.append("share of samples in the function itself:")
    lines += [f"  {100 * c / total:5.1f}%  {n}" for n, c in own.most_common(top)]
    return lines


def spy_profile(pyspy: str, argv: Sequence[str], cwd: Path, out: Path) -> list[str]:
    """Sample ``argv`` and its worker processes with py-spy at 250 Hz."""
    raw = out / "spy.txt"
    command = [pyspy, "record", "--subprocesses", "-r", "250", "-f", "raw", "-o", str(raw), "--"]
    proc = subprocess.run([*command, *argv], cwd=cwd, capture_output=True, text=True, check=False)
    if not raw.exists():
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return [f"(py-spy failed: {last})"]
    return spy_summary(raw.read_text(encoding="utf-8"), cwd)


def cprofile(argv: Sequence[str], cwd: Path, out: Path, top: int = 20) -> list[str]:
    """cProfile of ``exporter <argv>`` in this interpreter (sees the main process only)."""
    data = out / "run.prof"
    script = out / "exporter_main.py"
    # the command itself, not main(): main ends the process at once, before cProfile writes
    script.write_text("from exporter.cli import cli\n\ncli(prog_name='exporter')\n",
                      encoding="utf-8")  # fmt: skip
    command = [sys.executable, "-m", "cProfile", "-o", str(data), str(script), *argv]
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)  # fmt: skip
    if not data.exists():
        return ["(profile failed)"]
    text = io.StringIO()
    stats = pstats.Stats(str(data), stream=text)
    text.write(f"total {stats.total_tt:.2f} s under cProfile; by cumulative time:\n")
    stats.sort_stats("cumulative").print_stats(_BELOW_PIPELINE, top)
    text.write("by internal time:\n")
    stats.sort_stats("tottime").print_stats(top)
    lines = []
    for line in text.getvalue().splitlines():
        if not line.strip() or not line.startswith((" ", "total", "by ")):
            continue
        if line.lstrip().startswith(("Ordered by", "List reduced")) or "function calls" in line:
            continue
        lines.append(_shorten(line, cwd).rstrip())
    return lines
