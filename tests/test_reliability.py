"""Faults while writing: a full disk, a read-only folder, a kill mid-write, a crash while
rendering and two runs at once never lose an edition that was good before."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SEED
from exporter import output
from exporter.cli import cli

PLUGIN_DIR = Path(__file__).parent / "fixtures" / "plugin"
EDITION = "tajikistan-choice-amid-sanctions.txt"
PREVIOUS = "previous good edition\n"


@pytest.fixture
def dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(PLUGIN_DIR))
    out = tmp_path / "dist"
    out.mkdir()
    (out / EDITION).write_text(PREVIOUS)
    return out


def export(out: Path) -> object:
    return CliRunner().invoke(cli, ["plaintext", str(SEED), "-o", str(out)])


def assert_previous_kept(out: Path) -> None:
    assert (out / EDITION).read_text() == PREVIOUS
    assert [p.name for p in out.iterdir() if p.name.endswith(output.TEMP_SUFFIX)] == []


def fail_with(code: int):
    def raiser(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return raiser


def test_disk_full_keeps_previous_edition(dist, monkeypatch):
    monkeypatch.setattr(output.os, "fsync", fail_with(errno.ENOSPC))
    result = export(dist)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"output: {dist / EDITION}: not written (the disk is full); the previous file is kept"
    )
    assert_previous_kept(dist)


def test_read_only_folder_keeps_previous_edition(dist, monkeypatch):
    monkeypatch.setattr(output.tempfile, "mkstemp", fail_with(errno.EROFS))
    result = export(dist)
    assert result.exit_code == 1
    assert "read-only" in result.output and len(result.output.strip().splitlines()) == 1
    assert_previous_kept(dist)


def test_unwritable_folder_is_one_line_exit_1(dist, monkeypatch):
    monkeypatch.setattr(output, "writable", lambda folder: False)
    result = export(dist)
    assert result.exit_code == 1
    assert result.output.strip() == f"output: {dist}: the output folder is not writable"
    assert_previous_kept(dist)


def test_crash_while_rendering_keeps_previous_edition(dist, monkeypatch):
    import plaintext_format

    def explode(*args: object) -> None:
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(plaintext_format.PlainTextFormat, "write", explode)
    result = export(dist)
    assert result.exit_code == 1
    assert "rendering failed: renderer broke" in result.output
    assert "Traceback" not in result.output
    assert_previous_kept(dist)


def test_missing_output_folder_is_created(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGIN_DIR))
    out = tmp_path / "new" / "deeper"
    assert export(out).exit_code == 0
    assert (out / EDITION).read_text("utf-8").startswith("Does Tajikistan")


KILL_MID_WRITE = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {plugin!r})
    replace = os.replace  # killed as an edition is put in place (caches are written as usual)
    os.replace = lambda a, b, **k: (os.kill(os.getpid(), signal.SIGKILL)
                                    if os.fspath(b).startswith({out!r}) else replace(a, b, **k))
    from exporter.cli import main
    sys.argv = ["exporter", "plaintext", {seed!r}, "-o", {out!r}]
    main()
    """
)


def test_kill_mid_write_keeps_previous_edition_and_next_run_sweeps(dist):
    script = KILL_MID_WRITE.format(plugin=str(PLUGIN_DIR), seed=str(SEED), out=str(dist))
    killed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=False)
    assert killed.returncode == -9
    assert (dist / EDITION).read_text() == PREVIOUS
    assert [p for p in dist.iterdir() if p.name.endswith(output.TEMP_SUFFIX)]  # left behind
    assert export(dist).exit_code == 0
    assert (dist / EDITION).read_text("utf-8").startswith("Does Tajikistan")
    assert [p for p in dist.iterdir() if p.name.endswith(output.TEMP_SUFFIX)] == []


def test_the_output_folder_holds_only_editions_and_runs_take_turns(dist):
    """The lock is on the folder itself: no lock file is left among the editions, and a
    second run waits while another holds the folder."""
    import fcntl
    import threading

    assert export(dist).exit_code == 0
    assert sorted(p.name for p in dist.iterdir()) == [EDITION]
    handle = os.open(dist, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)
    done = threading.Event()
    again = ["plaintext", str(SEED), "-o", str(dist), "--force"]
    worker = threading.Thread(target=lambda: (CliRunner().invoke(cli, again), done.set()))
    try:
        worker.start()
        assert not done.wait(1.0), "a run wrote while another held the folder"
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)
    assert done.wait(60)
    worker.join()
