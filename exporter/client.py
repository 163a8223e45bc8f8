"""The ``exporter`` command's first step: hand the command to a running ``exporter serve``
(``serve``), which has every library imported and makes it in a process forked warm, or,
where none answers, run it here. The same command gives the same files, messages and exit
code either way.

Only the standard library's smallest modules are imported here: this runs before every
command, and where no server answers it must cost next to nothing.

A server is found by name: a socket in a folder only this user can open, named after
everything the command's outcome depends on besides its arguments, environment and files
(the interpreter, the import path and its folders' times, the toolkit's own files, the
cache folder). An edited, upgraded or reinstalled toolkit names another socket, and the
command runs here until a new server is started.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import stat
import struct
import sys
from pathlib import Path

SERVING = hasattr(socket, "send_fds") and hasattr(os, "fork")  # POSIX: file descriptors passed
OFF = "EXPORTER_SERVER"  # set to "off": every command runs in its own process
PROTOCOL = "1"
PACKAGE = Path(__file__).resolve().parent
WAIT = 5.0  # seconds a server may take to begin a command (it answers in milliseconds)
LONGEST = 104  # bytes of a socket's path (sun_path holds 108 on Linux, 104 elsewhere)
# what the interpreter and the libraries read as they start or are imported (the locale,
# Python's own settings, reportlab's): a process forked from a server has the server's
_AT_START = ("PYTHON", "LANG", "LC_", "RL_")
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def main() -> None:
    """Console entry point: the command made by a running server, else here."""
    if os.environ.get(OFF) != "off" and "serve" not in sys.argv[1:]:  # a server: never served
        try:
            code = forwarded()
        except KeyboardInterrupt:  # before a server began it
            print("interrupted: no edition was left half-written", file=sys.stderr)
            os._exit(130)
        if code is not None:
            os._exit(code)
    from exporter.cli import main as run_here

    run_here()


def tree_signature(folder: Path) -> list[str]:
    """Each code or data file (``.py``, ``.toml``, ``.json``, ``.csl``) under ``folder``: its
    path, size and time."""
    parts = []
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name != "__pycache__"]
        inner = os.path.relpath(root, folder)
        for name in files:
            if name.endswith((".py", ".toml", ".json", ".csl")):
                info = os.stat(os.path.join(root, name))
                shown = name if inner == "." else os.path.join(inner, name)
                parts.append(f"{shown}:{info.st_size}:{info.st_mtime_ns}")
    return sorted(parts)


def server_key() -> str:
    """What a server must share with this process to make its commands as it would."""
    path = []
    for place in sys.path:
        try:  # the working folder ("python -c") changes with every file a command writes
            path.append([place, os.stat(place).st_mtime_ns if place else 0])
        except OSError:
            path.append([place, -1])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    read_at_start = sorted((k, v) for k, v in os.environ.items() if k.startswith(_AT_START))
    settings = [repr(sys.flags), sys.warnoptions, sorted(map(str, sys._xoptions.items()))]
    state = [PROTOCOL, sys.executable, sys.version, path, tree_signature(PACKAGE), cache,
             read_at_start, settings]  # fmt: skip
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:32]


def socket_folder(create: bool = False) -> Path | None:
    """The folder of this user's servers, only when it is theirs alone (a folder another
    user could write to, or a link, is never used); made with ``create``."""
    base = os.environ.get("XDG_RUNTIME_DIR") or ""
    folder = Path(base, "exporter") if base else Path("/tmp", f"exporter-{os.getuid()}")
    if create:
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError:
            return None
    try:
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return folder


def socket_path(key: str, create: bool = False) -> Path | None:
    """Where the server for ``key`` listens; None where there can be no such socket (see
    ``socket_folder``, and a path longer than a socket's address holds)."""
    folder = socket_folder(create)
    path = None if folder is None else folder / f"{key}.sock"
    return None if path is None or len(os.fsencode(path)) >= LONGEST else path


def request() -> dict[str, object]:
    """The command as this process was given it: what a server's process takes on."""
    streams = [[getattr(s, "encoding", None) or "utf-8", getattr(s, "errors", None) or "strict"]
               for s in (sys.stdin, sys.stdout, sys.stderr)]  # fmt: skip
    mask = os.umask(0)
    os.umask(mask)
    ignored = [int(n) for n in _FORWARDED if signal.getsignal(n) == signal.SIG_IGN]
    return {"argv": sys.argv, "cwd": os.getcwd(), "env": dict(os.environ), "umask": mask,
            "streams": streams, "ignored": ignored}  # fmt: skip


def send(connection: socket.socket, message: dict[str, object], fds: list[int] = ()) -> None:
    """One message: its length, then its JSON (with ``fds`` passed alongside)."""
    data = json.dumps(message).encode()
    framed = struct.pack("!I", len(data)) + data
    if fds:
        sent = socket.send_fds(connection, [framed], list(fds))
        framed = framed[sent:]
    connection.sendall(framed)


def receive(connection: socket.socket, maxfds: int = 0) -> tuple[dict | None, list[int]]:
    """One message and the file descriptors passed with it; None at the end of the stream."""
    head, fds = b"", []
    while len(head) < 4:
        if maxfds and not fds:
            chunk, got, _, _ = socket.recv_fds(connection, 4 - len(head), maxfds)
            fds.extend(got)
        else:
            chunk = connection.recv(4 - len(head))
        if not chunk:
            return None, fds
        head += chunk
    (size,) = struct.unpack("!I", head)
    if size > 16 * 1024 * 1024:
        return None, fds
    body = b""
    while len(body) < size:
        chunk = connection.recv(min(size - len(body), 1 << 16))
        if not chunk:
            return None, fds
        body += chunk
    message = json.loads(body)
    return (message if isinstance(message, dict) else None), fds


def forwarded() -> int | None:
    """The exit code of this command made by a running server; None where no server for
    this toolkit answers (or this system cannot pass it the terminal), and the command
    is to run here."""
    if not SERVING:
        return None
    path = socket_path(server_key())
    if path is None:
        return None
    try:
        for fd in (0, 1, 2):  # a closed one would be taken by the socket, and handed over
            os.fstat(fd)
    except OSError:
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        return _made_there(connection, path)


def _made_there(connection: socket.socket, path: Path) -> int | None:
    connection.settimeout(WAIT)
    try:
        connection.connect(str(path))
        send(connection, request())
        started, _ = receive(connection)
    except (OSError, ValueError):  # none listening (a socket left by one that ended), gone,
        return None  # or not answering: the command, not begun there, is made here
    if not started or type(started.get("pid")) is not int:
        return None
    pid = started["pid"]
    passed: list[int] = []  # the signals passed on, the last one last

    def forward(number: int, frame: object) -> None:
        passed.append(number)
        with contextlib.suppress(OSError):  # to its workers too, as Ctrl-C here would; or
            os.killpg(pid, number)  # it has just ended

    ours = {n: signal.getsignal(n) for n in _FORWARDED if signal.getsignal(n) != signal.SIG_IGN}
    for number in ours:
        signal.signal(number, forward)
    try:  # only now does it begin (made there or here, never both), with this one's streams
        send(connection, {"go": True}, [0, 1, 2])
        connection.settimeout(None)
        begun, _ = receive(connection)
        ended = receive(connection)[0] if begun and begun.get("begun") is True else None
    except (OSError, ValueError):
        begun = ended = None
    if not begun or begun.get("begun") is not True:  # it ended before it began
        for number, handler in ours.items():
            signal.signal(number, handler)
        if passed:  # interrupted meanwhile: the signal is this process's again, not lost
            os.kill(os.getpid(), passed[-1])
        return None
    if ended is None or type(ended.get("exit")) is not int:
        if passed:  # ended by the signal passed on: end as it would have ended this process
            signal.signal(passed[-1], signal.SIG_DFL)
            os.kill(os.getpid(), passed[-1])
        print("exporter: the process making the command ended without finishing it (it was "
              "killed); editions are written whole or not at all", file=sys.stderr)  # fmt: skip
        return 1
    return ended["exit"]
