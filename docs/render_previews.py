"""Renders the README's preview pictures: page 1 of the article PDF and of the handout, as PNG.

Usage: ``python docs/render_previews.py [DIST] [OUT]`` (defaults: ``dist`` and ``docs``), after
``make dist``. Needs ``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
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
    return written


if __name__ == "__main__":
    dist_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("dist")
    out_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("docs")
    for path in render_previews(dist_dir, out_dir):
        print(path)
