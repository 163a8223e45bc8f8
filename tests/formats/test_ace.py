"""Ace by DAISY, the checker e-book distributors run, finds no accessibility violation of any
impact in any e-book the repository builds. Ace comes from the npm registry (installed once
into the cache folder beside the tests) and runs its Puppeteer runner on the system Chromium."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from exporter.formats import ExportOptions, load_format
from exporter.source import load_article
from exporter.style import load_style

ROOT = Path(__file__).resolve().parents[2]
NPM = shutil.which("npm")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SOURCES = sorted((ROOT / "source").glob("*/article.md"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(NPM is None, reason="npm is not installed (Ace comes from npm)"),
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Ace runs in it)"),
]


def ace_cli() -> Path | None:
    """Ace's command-line runner, installed once. Its install scripts are skipped: they
    fetch an Electron and a Chromium of their own, and the system's Chromium serves."""
    folder = Path(os.environ.get("AXE_CACHE", ROOT / ".cache"))
    runner = folder / "node_modules" / ".bin" / "ace-puppeteer"
    if not runner.is_file() and NPM:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([NPM, "install", "--prefix", str(folder), "--no-audit", "--no-fund",
                        "--silent", "--ignore-scripts", "@daisy/ace@1"], check=False,
                       timeout=600, env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"})  # fmt: skip
    return runner if runner.is_file() else None


def violations(report: dict) -> list[str]:
    """Every failed check of an Ace report, as "document: impact rule (description)"."""
    found = []
    for document in report.get("assertions", []):
        for check in document.get("assertions", []):
            if check["earl:result"]["earl:outcome"] == "pass":
                continue
            test = check["earl:test"]
            found.append(f"{document['earl:testSubject']['url']}: {test['earl:impact']} "
                         f"{test['dct:title']} ({check['earl:result'].get('dct:description')})")
    return found


@pytest.mark.parametrize("source", SOURCES, ids=[p.parent.name for p in SOURCES])
def test_ace_finds_no_violation(source, tmp_path):
    runner = ace_cli()
    assert runner is not None, "Ace by DAISY could not be installed from npm"
    out = io.BytesIO()
    load_format("epub")().write(load_article(source), load_style("default"), ExportOptions(), out)
    book = tmp_path / "book.epub"
    book.write_bytes(out.getvalue())
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM)}
    subprocess.run([str(runner), "-s", "-f", "-o", str(tmp_path / "ace"), str(book)],
                   check=True, timeout=600, env=env)  # fmt: skip
    report = json.loads((tmp_path / "ace" / "report.json").read_text("utf-8"))
    assert violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
