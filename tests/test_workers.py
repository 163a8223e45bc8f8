"""Work done aside: a call made in a forked process while the run goes on answers with its
result or with the error it raised, as if it had been made in the run's own process, and
a process that dies is reported in one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from conftest import ROOT
from exporter.errors import ExportError, Problem, SourceError
from exporter.workers import aside

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or (os.cpu_count() or 1) < 2,
    reason="work is done aside only where processes are forked and there are two cores",
)


def _where() -> int:
    return os.getpid()


def _refuse(path: str) -> None:
    raise SourceError([Problem(path, 3, 1, "first"), Problem(path, 9, 2, "second")])


def _break() -> None:
    {}["missing"]


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_the_call_is_made_in_another_process_and_its_result_comes_back():
    with aside(_where, (), None, "asking") as result:
        assert result() not in (os.getpid(), None)


def test_with_one_job_the_call_is_made_here():
    with aside(_where, (), 1, "asking") as result:
        assert result() == os.getpid()


def test_a_source_error_comes_back_with_every_problem():
    with aside(_refuse, ("a.md",), None, "reading") as result, pytest.raises(SourceError) as caught:
        result()
    assert caught.value.lines() == ["a.md:3:1: first", "a.md:9:2: second"]


def test_a_bug_comes_back_with_the_traceback_where_it_happened():
    with aside(_break, (), None, "reading") as result, pytest.raises(KeyError) as caught:
        result()
    assert "Traceback" in str(caught.value.__cause__) and "_break" in str(caught.value.__cause__)


def test_a_process_that_dies_is_reported_in_one_line():
    died = pytest.raises(ExportError, match="^reading the sources: its process ended")
    with aside(_die, (), None, "reading the sources") as result, died:
        result()


def test_the_command_ends_with_its_code_its_output_and_its_exit_handlers(tmp_path):
    """The command's process ends without tearing its modules down, but as a process
    that ends normally would: every line written, the exit handlers run, the code kept."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: sys.stderr.write('handlers ran\\n'))\n"
            "from exporter.cli import main\nmain()\n")  # fmt: skip
    listed = subprocess.run([sys.executable, "-c", code, "list"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert listed.returncode == 0 and "handlers ran" in listed.stderr
    assert "pdf" in listed.stdout and listed.stdout.endswith("\n")
    (tmp_path / "article.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    refused = subprocess.run([sys.executable, "-c", code, "check", str(tmp_path)], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert refused.returncode == 2 and "handlers ran" in refused.stderr
    assert "article.md:" in refused.stderr
