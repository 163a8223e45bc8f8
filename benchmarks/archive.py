"""The archive benchmark (issue 15): a generated archive of articles of varied length (the
corpus texts and the seed at 1×, 3× and 10×, each copied under its own slug) built in every
edition with ``--jobs`` over every core, cold, then again unchanged, then after one article
changed; compared with the floor (the least work the three libraries do per edition, in one
warm process) and with ``exporter list``.

    python benchmarks/archive.py [--articles 1000] [--jobs N]

Prints a Markdown section; ``run.py`` adds it to RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import floor  # noqa: E402
from make_corpus import ROOT, make_corpus  # noqa: E402
from measure import _tree_kib  # noqa: E402

from exporter.fonts import font_family  # noqa: E402

EXPORTER = str(Path(sys.executable).parent / "exporter")
LIMIT_FLOOR = 1.3  # our time per edition over the floor's, across the archive
LIMIT_NOOP = 2.0  # an unchanged archive over `exporter list`
LIMIT_MIB = 100  # per worker
PAIRS = 15  # unchanged runs and `exporter list` runs, taken in turn (the machine's load moves)


def make_archive(folder: Path, count: int) -> list[Path]:
    """``count`` article folders under ``folder``, cycling through the bases."""
    bases = sorted(p.parent for p in (ROOT / "tests" / "corpus").glob("*/article.md"))
    for scale in (1, 3, 10):
        bases.append(make_corpus(scale, folder.parent / f"seed-{scale}x").source.parent)
    made = []
    for index in range(count):
        base = bases[index % len(bases)]
        target = folder / f"a{index:04d}"
        shutil.copytree(base, target, ignore=shutil.ignore_patterns("*.rst", "*.html", "peer*"))
        source = target / "article.md"
        text = source.read_text("utf-8")
        source.write_text(re.sub(r"(?m)^slug: *(\S+)", rf"slug: \1-{index:04d}", text, count=1),
                          "utf-8")  # fmt: skip
        made.append(source)
    return made


def timed(argv: list[str], sample: bool = False) -> tuple[float, int]:
    """Wall seconds of one run and, when ``sample``d every 0.5 s, the largest peak RSS of
    any process in its tree (KiB)."""
    with tempfile.TemporaryFile() as errors:  # a pipe would fill with warnings and block it
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        while sample and proc.poll() is None:
            peak = max(peak, _tree_kib(proc.pid)[0])
            time.sleep(0.5)
        proc.wait()  # not polled: a short run would be timed to the polling's step
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(argv[:3])} failed: {errors.read().decode()[-500:]}")
    return seconds, peak


def floor_per_edition(sources: list[Path], out: Path) -> float:
    """The floor's seconds per edition (PDF, Word, EPUB) in one warm process."""
    serif = font_family("PT Serif")
    out.mkdir(parents=True, exist_ok=True)
    title, paragraphs = floor.read_text(sources[0])
    floor.write_pdf(title, paragraphs, out / "warm.pdf", serif.regular, serif.bold)  # imports
    floor.write_docx(title, paragraphs, out / "warm.docx")
    floor.write_epub(title, paragraphs, out / "warm.epub")
    started = time.perf_counter()
    for source in sources:
        title, paragraphs = floor.read_text(source)
        floor.write_pdf(title, paragraphs, out / "a.pdf", serif.regular, serif.bold)
        floor.write_docx(title, paragraphs, out / "a.docx")
        floor.write_epub(title, paragraphs, out / "a.epub")
    return (time.perf_counter() - started) / (3 * len(sources))


def measure(count: int, jobs: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="exporter-archive-") as tmp:
        root = Path(tmp)
        env_cache = root / "cache"
        os.environ["XDG_CACHE_HOME"] = str(env_cache)  # a fresh manifest; the fonts' cache too
        font_cache = Path.home() / ".cache" / "exporter" / "fonts"
        if font_cache.is_dir():
            shutil.copytree(font_cache, env_cache / "exporter" / "fonts")
        sources = make_archive(root / "archive", count)
        words = sum(len(s.read_text("utf-8").split()) for s in sources)
        out = root / "dist"
        build = [EXPORTER, "all", str(root / "archive"), "-o", str(out), "--jobs", str(jobs)]
        print(f"archive: {count} articles, {words:,} words; cold build", file=sys.stderr)
        cold, peak = timed(build, sample=True)
        editions = len(list(out.iterdir()))
        pairs = [(timed(build)[0], timed([EXPORTER, "list"])[0]) for _ in range(PAIRS)]
        noop = statistics.median(unchanged for unchanged, _ in pairs)
        listing = statistics.median(listed for _, listed in pairs)
        one = sources[len(sources) // 2]
        one.write_text(one.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
        changed = timed(build)[0]
        print("the floor, in one process", file=sys.stderr)
        sample = sources[: max(1, min(len(sources), 120))]
        floor_s = floor_per_edition(sample, root / "floor")
    per_edition = cold * jobs / editions
    ratio = per_edition / floor_s
    lines = [
        f"{count:,} articles ({words:,} words in all: the corpus texts and the seed at 1×, 3× "
        f"and 10×), {editions:,} editions, `--jobs {jobs}` on {os.cpu_count()} cores.",
        "",
        "| measure | value | target | verdict |",
        "|---|--:|--:|---|",
        f"| cold build, wall | {cold:.1f} s | | |",
        f"| editions per second | {editions / cold:.2f} | | |",
        f"| editions per second per core | {editions / cold / jobs:.2f} | | |",
        f"| our seconds per edition (wall × jobs / editions) | {per_edition:.3f} | | |",
        f"| the floor's seconds per edition (PDF, Word, EPUB; {len(sample)} articles) | "
        f"{floor_s:.3f} | | |",
        f"| ours / floor, per edition | {ratio:.2f}× | ≤ {LIMIT_FLOOR}× | "
        f"{_verdict(ratio <= LIMIT_FLOOR)} |",
        f"| largest process (peak RSS) during the cold build | {peak / 1024:.0f} MiB | "
        f"≤ {LIMIT_MIB} MiB per worker | {_verdict(peak / 1024 <= LIMIT_MIB)} |",
        f"| unchanged archive (`all` again), median of {PAIRS} | {noop * 1000:.0f} ms | | |",
        f"| `exporter list`, median of {PAIRS}, each run after one of the above | "
        f"{listing * 1000:.0f} ms | | |",
        f"| unchanged / list | {noop / listing:.2f}× | ≤ {LIMIT_NOOP}× | "
        f"{_verdict(noop / listing <= LIMIT_NOOP)} |",
        f"| one article changed (`all` again: its 5 editions) | {changed:.2f} s | | |",
    ]
    return lines


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print("\n".join(measure(args.articles, args.jobs)))


if __name__ == "__main__":
    main()
