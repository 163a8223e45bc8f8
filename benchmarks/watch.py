"""What `exporter watch` costs an editor (issue 15): a one-word change to the seed saved
while the watcher runs, timed until all five editions are written again; compared with
rendering the same five editions in a warm process (the target: at most twice that).

    python benchmarks/watch.py [--edits 7]

Prints a Markdown section; ``run.py`` adds it to RESULTS.md.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import ROOT  # noqa: E402

from exporter.formats import ExportOptions, edition_names, load_format  # noqa: E402
from exporter.pipeline import Job, Written, find_sources  # noqa: E402
from exporter.source import load_article  # noqa: E402
from exporter.style import load_style  # noqa: E402
from exporter.watch import watch  # noqa: E402

LIMIT = 2.0
SEED = ROOT / "source" / "tajikistan-choice-amid-sanctions"


def in_process(source: Path, rounds: int) -> float:
    """Median seconds to render the five editions of ``source`` in a warm process."""
    article = load_article(source)
    formats = [load_format(name)() for name in edition_names()]
    styles = [load_style(fmt.default_style) for fmt in formats]
    times = []
    for _ in range(rounds + 1):
        started = time.perf_counter()
        for fmt, style in zip(formats, styles, strict=True):
            fmt.write(article, style, ExportOptions(), io.BytesIO())
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def measure(edits: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="exporter-watch-") as tmp:
        folder = Path(tmp) / "seed"
        shutil.copytree(SEED, folder)
        source = folder / "article.md"
        job = Job(find_sources([str(folder)]), edition_names(), Path(tmp) / "dist")
        written: list[float] = []
        started: list[float] = []
        stop = threading.Event()
        thread = threading.Thread(target=watch, args=(
            (str(folder),), job,
            lambda o: written.append(time.perf_counter()) if isinstance(o, Written) else None,
            lambda _paths: started.append(time.perf_counter()), stop,
        ))  # fmt: skip
        thread.start()
        while len(written) < 5:  # the first build
            time.sleep(0.05)
        time.sleep(0.5)  # the watcher is watching
        text = source.read_text("utf-8")
        saves, rounds = [], []
        for edit in range(edits):
            count = len(written)
            saved = time.perf_counter()
            source.write_text(text.replace("For a while", f"For a while{edit}", 1), "utf-8")
            while len(written) < count + 5:
                time.sleep(0.005)
            saves.append(written[-1] - saved)
            rounds.append(written[-1] - started[-1])
            time.sleep(0.3)
        stop.set()
        thread.join(30)
    warm = in_process(source=SEED / "article.md", rounds=edits)
    save, build = statistics.median(saves), statistics.median(rounds)
    verdict = "met" if build <= LIMIT * warm else "**missed**"
    return [
        f"A one-word change to the seed saved {edits} times while `exporter watch` runs (all five "
        "editions each time); medians.",
        "",
        "| measure | seconds | ratio to in-process |",
        "|---|--:|--:|",
        f"| the five editions rendered in a warm process | {warm:.3f} | 1.00× |",
        f"| watch: change seen → five editions written | {build:.3f} | {build / warm:.2f}× "
        f"(target ≤ {LIMIT:.0f}×: {verdict}) |",
        f"| watch: file saved → five editions written (with the watcher's "
        f"{50} ms quiet time) | {save:.3f} | {save / warm:.2f}× |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=7)
    print("\n".join(measure(parser.parse_args().edits)))


if __name__ == "__main__":
    main()
