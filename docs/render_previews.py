"""Renders the README's preview pictures: page 1 of the first article's PDF and handout, the
top of its HTML edition in Chromium, and page 2 of the sample article's PDF (figures, a table
and notes), as PNG.

Usage: ``python docs/render_previews.py [DIST] [OUT]`` (defaults: ``dist`` and ``docs``), after
``make dist``. Needs ``pdftoppm`` (poppler-utils) and ``chromium``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MAIN = "tajikistan-choice-amid-sanctions"
SAMPLE = "a4-and-letter"
# (article, edition suffix, page, picture)
PAGES = (
    (MAIN, "", 1, "preview-pdf"),
    (MAIN, "-handout", 1, "preview-handout"),
    (SAMPLE, "", 2, "preview-figures"),
)
WIDTH_PX = 420


def render_previews(dist: Path, out: Path) -> list[Path]:
    """One PNG per preview, from the PDFs and the web page in ``dist``."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm is not installed (poppler-utils)")
    written: list[Path] = []
    for slug, suffix, page, name in PAGES:
        pdf = dist / f"{slug}{suffix}.pdf"
        if not pdf.exists():
            raise SystemExit(f"{pdf} is missing (run `make dist` first)")
        target = out / name
        subprocess.run(
            [pdftoppm, "-png", "-f", str(page), "-l", str(page), "-singlefile", "-scale-to",
             str(WIDTH_PX), str(pdf), str(target)],
            check=True,
        )  # fmt: skip
        written.append(target.with_suffix(".png"))
    written.append(_html_preview(dist / f"{MAIN}.html", out / "preview-html.png"))
    return written


def _html_preview(page: Path, target: Path) -> Path:
    """The top of the HTML edition as headless Chromium shows it in a 1280 × 1000 window,
    scaled to the width of the other previews."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=1280,1000",
             f"--screenshot={target}", page.resolve().as_uri()],
            check=True, capture_output=True,
        )  # fmt: skip
    from PIL import Image

    with Image.open(target) as shot:
        height = round(shot.height * WIDTH_PX * 1.6 / shot.width)
        shot.resize((round(WIDTH_PX * 1.6), height), Image.LANCZOS).save(target, optimize=True)
    return target


if __name__ == "__main__":
    dist_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("dist")
    out_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("docs")
    for path in render_previews(dist_dir, out_dir):
        print(path)
