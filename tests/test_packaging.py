"""The toolkit as a user installs it: a wheel, in a fresh environment, outside the repository."""

from __future__ import annotations

import site
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MADE, ROOT, SEED

pytestmark = pytest.mark.slow


def _run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd,
                          check=False, timeout=600)  # fmt: skip


def test_an_installed_wheel_exports_every_edition_from_another_folder(tmp_path):
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, ROOT)
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("exporter-*.whl")
    fresh = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", fresh).returncode == 0
    python = fresh / "bin" / "python"
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "-q",
                     "--no-deps", wheel)  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    # the libraries come from this environment; the toolkit only from the wheel
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    libraries = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib.stdout.strip()) / "libraries.pth").write_text("\n".join(libraries) + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _run(python, "-c", "import exporter; print(exporter.__file__)", cwd=work)
    assert str(fresh) in where.stdout, where.stdout + where.stderr
    source = work / "article.md"
    source.write_text(SEED.read_text("utf-8"), encoding="utf-8")
    result = _run(fresh / "bin" / "exporter", "all", source, "-o", work / "dist", cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    made = sorted(p.name for p in (work / "dist").iterdir() if not p.name.startswith("."))
    assert made == sorted(f"tajikistan-choice-amid-sanctions{suffix}" for suffix in MADE)
