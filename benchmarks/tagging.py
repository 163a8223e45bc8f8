"""What tagging (PDF/UA-1) costs the PDF editions: each rendered in one process with and
without its structure tree, interleaved rounds, medians; printed as a Markdown table and
added to RESULTS.md by ``run.py``.

    python benchmarks/tagging.py [--rounds N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import ROOT, make_corpus  # noqa: E402

from exporter.formats import ExportOptions  # noqa: E402
from exporter.formats.pdf.fit import PageBudget  # noqa: E402
from exporter.formats.pdf.render import render_pdf  # noqa: E402
from exporter.model import Article  # noqa: E402
from exporter.source import load_article  # noqa: E402
from exporter.style import StyleSheet, load_style  # noqa: E402

LIMIT = 0.15  # issue 14: tagging costs at most 15% of the render time
SAMPLE = ROOT / "source" / "a4-and-letter" / "article.md"


def _render(article: Article, style: StyleSheet, layout: str, tagged: bool) -> int:
    page = style.page
    budget = PageBudget(page.max_pages, page.min_body_size.pt) if page.max_pages else None
    out = io.BytesIO()
    render_pdf(article, style, ExportOptions(), out, layout=layout, budget=budget, tagged=tagged)
    return len(out.getvalue())


def measure(rounds: int = 15) -> list[str]:
    """The table: per article and edition, median seconds untagged and tagged, the ratio,
    and the file sizes."""
    with tempfile.TemporaryDirectory() as tmp:
        ten = make_corpus(10, Path(tmp) / "10x").source
        cases = [("seed (1×)", ROOT / "source" / "tajikistan-choice-amid-sanctions"),
                 ("sample with figures, table, notes", SAMPLE), ("seed (10×)", ten)]  # fmt: skip
        lines = ["| article | edition | untagged s | tagged s | cost | untagged KiB | tagged KiB |",
                 "|---|---|--:|--:|--:|--:|--:|"]  # fmt: skip
        worst = 0.0
        for name, path in cases:
            article = load_article(path if path.suffix == ".md" else path / "article.md")
            for layout, style_name in (("article", "default"), ("handout", "handout")):
                style = load_style(style_name)
                sizes = {t: _render(article, style, layout, t) for t in (False, True)}  # warm
                times: dict[bool, list[float]] = {False: [], True: []}
                for round_ in range(rounds):  # each round both, in turn first
                    for tagged in (False, True) if round_ % 2 else (True, False):
                        start = time.perf_counter()
                        _render(article, style, layout, tagged)
                        times[tagged].append(time.perf_counter() - start)
                plain, tagged_s = (statistics.median(times[t]) for t in (False, True))
                cost = tagged_s / plain - 1
                worst = max(worst, cost)
                edition = "pdf" if layout == "article" else "handout"
                kib = " | ".join(f"{sizes[t] / 1024:.0f}" for t in (False, True))
                lines.append(f"| {name} | {edition} | {plain:.3f} | {tagged_s:.3f} | "
                             f"{cost:+.1%} | {kib} |")  # fmt: skip
    verdict = "met" if worst <= LIMIT else "**missed**"
    lines += ["", f"Largest cost {worst:+.1%} (limit +{LIMIT:.0%}): {verdict}. In-process "
              "renders (fonts registered, modules imported), medians of "
              f"{rounds} rounds, each rendering both, in turn first."]  # fmt: skip
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    print("\n".join(measure(parser.parse_args().rounds)))


if __name__ == "__main__":
    main()
