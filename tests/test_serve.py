"""``exporter serve``: a command made by the server gives what the same command makes in a
process of its own (files, messages, exit code), takes on the caller's environment, and is
handed only to a server of the same toolkit and cache, in a folder only its user can open."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MADE, ROOT, SEED

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the server forks (POSIX)")

COMMAND = "from exporter.client import main\nmain()\n"  # as the installed `exporter` does


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "EXPORTER_SERVER")}
    runtime = Path(tempfile.mkdtemp(prefix="serve-", dir="/tmp"))  # short: a socket's path
    env.update(XDG_RUNTIME_DIR=str(runtime), XDG_CACHE_HOME=str(tmp_path / "cache"),
               PYTHONPATH=str(ROOT), **extra)  # fmt: skip
    return env


def _exporter(*args: str, env: dict[str, str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", COMMAND, *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300, **kw)  # fmt: skip


def _server_socket(env: dict[str, str], cwd: Path) -> Path:
    """Where a server for the commands run with ``env`` would listen (its folder made)."""
    folder = Path(env["XDG_RUNTIME_DIR"]) / "exporter"
    folder.mkdir(mode=0o700)
    key = subprocess.run([sys.executable, "-c", "from exporter.client import server_key\n"
                          "print(server_key())"], env=env, cwd=cwd, text=True,
                         capture_output=True, check=True).stdout.strip()  # fmt: skip
    return folder / f"{key}.sock"


class Server:
    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.log = cwd / "server.log"
        self.process = subprocess.Popen([sys.executable, "-c", COMMAND, "serve", "--idle", "5"],
                                        env=env, cwd=cwd, stderr=self.log.open("w"),
                                        stdout=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 120
        while "serving" not in self.said() and time.monotonic() < deadline:
            assert self.process.poll() is None, self.said()
            time.sleep(0.05)
        assert "serving" in self.said(), self.said()
        self.socket = Path(self.said().split("serving ", 1)[1].split(" ", 1)[0])

    def said(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def noted(self, text: str, times: int = 1) -> str:
        """The server's log once it holds ``text`` ``times`` (a command is noted as it ends)."""
        deadline = time.monotonic() + 30
        while self.said().count(text) < times:
            assert time.monotonic() < deadline, self.said()
            time.sleep(0.05)
        return self.said()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, dict[str, str]]]:
    env = _environment(tmp_path)
    server = Server(env, tmp_path)
    try:
        yield server, env
    finally:
        if server.process.poll() is None:
            assert server.stop() == 0
        assert not server.socket.exists()  # the server takes its socket away


@pytest.mark.slow
def test_a_served_command_makes_what_it_makes_in_its_own_process(served, tmp_path):
    server, env = served
    at = {**env, "SOURCE_DATE_EPOCH": "1700000000"}  # the caller's, not the server's
    made = _exporter("all", str(SEED), "-o", "served", "--force", env=at, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert f"all {SEED} -o served --force (in {tmp_path}): exit 0" in server.noted("exit 0")
    here = _exporter("all", str(SEED), "-o", "here", "--force", cwd=tmp_path,
                     env={**at, "EXPORTER_SERVER": "off"})  # fmt: skip
    assert here.returncode == 0, here.stderr
    time.sleep(0.5)
    assert server.said().count("exit 0") == 1  # this one was not handed over
    names = sorted(p.name for p in (tmp_path / "here").iterdir())
    assert len(names) == len(MADE)
    assert sorted(p.name for p in (tmp_path / "served").iterdir()) == names
    for name in names:
        served_file, here_file = tmp_path / "served" / name, tmp_path / "here" / name
        assert served_file.read_bytes() == here_file.read_bytes(), name

    def shown(output: str, folder: str) -> list[str]:  # the lines, without the seconds
        return [line.rsplit("  ", 1)[0].replace(folder, "dist") for line in output.splitlines()]

    assert shown(made.stdout, "served") == shown(here.stdout, "here")


def test_bad_input_through_the_server_is_one_line_and_exit_code_2(served, tmp_path):
    server, env = served
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [\n---\n", encoding="utf-8")
    made = _exporter("pdf", str(bad), "-o", "out", env=env, cwd=tmp_path)
    here = _exporter("pdf", str(bad), "-o", "out", env={**env, "EXPORTER_SERVER": "off"},
                     cwd=tmp_path)  # fmt: skip
    assert f"pdf {bad} -o out (in {tmp_path}): exit 2" in server.noted("exit 2")
    assert (made.returncode, made.stdout, made.stderr) == (here.returncode, here.stdout,
                                                           here.stderr)  # fmt: skip
    assert made.returncode == 2 and made.stderr.startswith("bad.md:3:1: YAML: ")
    assert len(made.stderr.splitlines()) == 1 and "Traceback" not in made.stderr
    unset = _exporter("pdf", str(SEED), "-o", "out", env={**env, "SOURCE_DATE_EPOCH": "soon"},
                      cwd=tmp_path)  # fmt: skip
    assert unset.returncode == 2 and "SOURCE_DATE_EPOCH='soon'" in unset.stderr


def test_a_command_with_another_cache_folder_is_not_handed_to_the_server(served, tmp_path):
    server, env = served
    other = {**env, "XDG_CACHE_HOME": str(tmp_path / "other-cache")}
    made = _exporter("list", env=other, cwd=tmp_path)
    assert made.returncode == 0 and "pdf" in made.stdout
    time.sleep(0.5)
    assert "exit" not in server.said()  # made in its own process


def test_a_second_server_for_the_same_toolkit_is_refused(served, tmp_path):
    server, env = served
    second = _exporter("serve", "--idle", "1", env=env, cwd=tmp_path)
    assert second.returncode == 2 and "already running" in second.stderr
    assert server.process.poll() is None and server.socket.exists()


@pytest.mark.slow
def test_ctrl_c_reaches_a_served_command(served, tmp_path):
    server, env = served
    out = tmp_path / "watched"
    caller = subprocess.Popen([sys.executable, "-c", COMMAND, "watch", str(SEED), "-f", "html",
                               "-o", str(out)], env=env, cwd=tmp_path, stderr=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, text=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while not list(out.glob("*.html")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(out.glob("*.html")), caller.stderr
    caller.send_signal(signal.SIGINT)
    assert caller.wait(timeout=30) in (0, 130)
    assert "watching 1 article(s)" in caller.stderr.read()
    assert f"watch {SEED} -f html -o {out} (in {tmp_path}): exit" in server.noted("exit")


def test_no_server_a_stale_socket_or_an_open_folder_runs_the_command_here(tmp_path):
    env = _environment(tmp_path)
    assert _exporter("list", env=env, cwd=tmp_path).returncode == 0  # no server at all
    path = _server_socket(env, tmp_path)
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left.bind(str(path))  # a socket nobody listens on
    left.close()
    folder = path.parent
    made = _exporter("html", str(SEED), "-o", "out", env=env, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert list((tmp_path / "out").glob("*.html"))
    folder.chmod(0o777)  # others could put a socket there: never used, never served from
    assert _exporter("list", env=env, cwd=tmp_path).returncode == 0
    refused = _exporter("serve", env=env, cwd=tmp_path)
    assert refused.returncode == 2 and "only this user can open" in refused.stderr


@pytest.mark.slow
def test_a_served_command_ends_when_its_caller_is_killed(served, tmp_path):
    server, env = served
    out = tmp_path / "watched"
    caller = subprocess.Popen([sys.executable, "-c", COMMAND, "watch", str(SEED), "-f", "html",
                               "-o", str(out)], env=env, cwd=tmp_path,
                              stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while not list(out.glob("*.html")) and time.monotonic() < deadline:
        time.sleep(0.1)
    caller.kill()  # no signal to pass on: the command hears its caller has gone
    caller.wait(timeout=30)
    assert f"watch {SEED} -f html -o {out} (in {tmp_path}): exit" in server.noted("exit")


@pytest.mark.slow
def test_a_server_that_does_not_answer_is_given_up_and_the_command_made_here(tmp_path):
    env = _environment(tmp_path)
    stuck = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stuck.bind(str(_server_socket(env, tmp_path)))
    stuck.listen(4)  # connections are queued, never accepted, never answered
    try:  # read through pipes: none of the command's streams is left with the socket
        impatient = f"import exporter.client\nexporter.client.WAIT = 0.5\n{COMMAND}"
        made = subprocess.run([sys.executable, "-c", impatient, "html", str(SEED), "-o", "out"],
                              env=env, cwd=tmp_path, capture_output=True, text=True,
                              timeout=300)  # fmt: skip
    finally:
        stuck.close()
    assert made.returncode == 0, made.stderr
    assert list((tmp_path / "out").glob("*.html")) and "out/" in made.stdout


def test_a_served_command_writes_with_the_callers_file_mode_mask(served, tmp_path):
    server, env = served
    made = _exporter("html", str(SEED), "-o", "out", env=env, cwd=tmp_path,
                     preexec_fn=lambda: os.umask(0o077))  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert f"html {SEED} -o out (in {tmp_path}): exit 0" in server.noted("exit 0")
    (edition,) = (tmp_path / "out").glob("*.html")
    assert edition.stat().st_mode & 0o777 == 0o600  # the server's own mask is 022


@pytest.mark.slow
def test_a_served_command_ended_by_a_signal_ends_its_caller_by_it(served, tmp_path):
    server, env = served
    caller = subprocess.Popen([sys.executable, "-c", COMMAND, "watch", str(SEED), "-f", "html",
                               "-o", "out"], env=env, cwd=tmp_path, stderr=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, text=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while not list((tmp_path / "out").glob("*.html")) and time.monotonic() < deadline:
        time.sleep(0.1)
    caller.send_signal(signal.SIGTERM)
    assert caller.wait(timeout=30) == -signal.SIGTERM  # as a command in its own process
    assert "killed" not in caller.stderr.read()
    assert "exit -15" in server.noted("exit")
