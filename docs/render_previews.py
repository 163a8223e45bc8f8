"""Renders the README's preview pictures: page 1 of the article PDF and of the handout, and the
top of the HTML edition in Chromium, as PNG.

Usage: ``python docs/render_previews.py [DIST] [OUT]`` (defaults: ``dist`` and ``docs``), after
``make dist``. Needs ``pdftoppm`` (poppler-utils) and ``chromium``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PREVIEWS = {"": "preview-pdf", "-handout": "preview-handout"}
WIDTH_PX = 420


def render_previews(dist: Path, out: Path) -> list[Path]:
    """One PNG per edition kind, from the first article's PDFs in ``dist``."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm is not installed (poppler-utils)")
    articles = sorted(p for p in dist.glob("*.pdf") if not p.stem.endswith("-handout"))
    if not articles:
        raise SystemExit(f"no PDF editions in {dist}/ (run `make dist` first)")
    slug = articles[0].stem
    written: list[Path] = []
    for suffix, name in PREVIEWS.items():
        pdf = dist / f"{slug}{suffix}.pdf"
        target = out / name
        subprocess.run(
            [pdftoppm, "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(WIDTH_PX),
             str(pdf), str(target)],
            check=True,
        )  # fmt: skip
        written.append(target.with_suffix(".png"))
    written.append(_html_preview(dist / f"{slug}.html", out / "preview-html.png"))
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
