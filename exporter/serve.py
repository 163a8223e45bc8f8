"""``exporter serve``: a process that stays, with every format's libraries imported and
the default styles' fonts and hyphenation patterns loaded, and makes each ``exporter``
command of this user in a process forked from it (``client`` hands the commands over).

A command made here is the command made anywhere: its process takes on the caller's
arguments, working folder, environment, file mode mask and terminal (its standard streams
are passed over the socket), runs the same code, and hands back its exit code; a signal to
the caller (Ctrl-C) is passed on to it. Nothing a command does stays in the server: each
runs in a process of its own, forked from the server as it was when it had loaded.

The server ends after a while with no command (``idle``), on Ctrl-C or SIGTERM, and as
soon as the toolkit it runs is no longer the one installed (an edit, an upgrade): the
commands then run in their own processes until a new one is started.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from exporter.client import receive, send, server_key, socket_path
from exporter.errors import UsageError

LANGUAGES = frozenset({"en", "ru"})  # whose labels and hyphenation patterns are loaded ahead
LOOK_AGAIN = 2.0  # seconds between looks at whether the toolkit changed
ASKING = 2.0  # seconds a caller has to say what it asks for
_STOP = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def serve(idle_minutes: float, said: Callable[[str], None]) -> int:
    """Serve until ``idle_minutes`` pass with no command, a signal ends it, or the
    toolkit changes; ``said`` reports what it does. The exit code."""
    key = server_key()
    path = socket_path(key, create=True)
    if path is None:
        raise UsageError("exporter serve: no folder only this user can open, with a path "
                         "short enough for a socket, in XDG_RUNTIME_DIR (or /tmp if it is "
                         "not set)")  # fmt: skip
    _refuse_if_running(path)
    stopping: list[int] = []
    for number in _STOP:
        signal.signal(number, lambda n, frame: stopping.append(n))
    loaded = _load()  # before it listens: a command meanwhile is made in its own process
    formats = _formats()
    _refuse_if_running(path)  # (one started meanwhile)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # left by a server that was killed
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    ours = os.stat(path).st_ino
    listener.listen(16)
    try:
        said(f"serving {path} ({loaded}); commands start warm while it runs; "
             f"Ctrl-C stops it")  # fmt: skip
        gc.freeze()  # what is loaded now is shared by every process forked, untouched
        return _loop(listener, (key, formats), idle_minutes * 60, stopping, said)
    finally:
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path).st_ino == ours:  # not one a later server put in its place
                path.unlink()


def _refuse_if_running(path: Path) -> None:
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.connect(str(path))
        raise UsageError(f"exporter serve: a server for this toolkit is already running ({path})")


def _formats() -> tuple[str, ...]:
    """The formats as they render (a plugin's files edited in place count: the server's
    key holds only the toolkit's own)."""
    from exporter.builds import format_fingerprint
    from exporter.formats import format_names

    return tuple(format_fingerprint(name) for name in format_names())


def _current(state: tuple[str, tuple[str, ...]]) -> bool:
    """Whether the toolkit and the formats are still those the server loaded."""
    return server_key() == state[0] and _formats() == state[1]


def _load() -> str:
    """Import what every format needs and load what their renderers load first, as each
    command would: the formats, the default styles, their fonts, the hyphenation patterns
    of the languages the toolkit sets."""
    from exporter import cli  # noqa: F401
    from exporter.formats import default_names, load_format
    from exporter.labels import load
    from exporter.rendering import prepare_formats
    from exporter.source.loader import prepare
    from exporter.style import load_style

    names = default_names()
    prepare_formats(names)
    prepare()
    for lang in sorted(LANGUAGES):
        load(lang)
    for name in names:
        fmt = load_format(name)
        with contextlib.suppress(Exception):  # loaded again, and reported, by a command
            fmt.warm(load_style(fmt.default_style, None), LANGUAGES)
    return f"{len(names)} formats loaded"


def _loop(
    listener: socket.socket,
    state: tuple[str, tuple[str, ...]],
    idle: float,
    stopping: list[int],
    said: Callable[[str], None],
) -> int:
    last = looked = time.monotonic()
    children: dict[int, str] = {}  # the commands being made, by process
    while not stopping:
        _reap(children, said)
        listener.settimeout(0.2 if children else min(LOOK_AGAIN, idle))
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            if time.monotonic() - looked >= LOOK_AGAIN:  # (not at every reap of a command)
                looked = time.monotonic()
                if not _current(state):
                    said("exporter serve: the toolkit changed; stopping (start it again)")
                    return 0
            if not children and time.monotonic() - last > idle:
                said(f"exporter serve: no command for {idle / 60:g} minutes; stopping")
                return 0
            continue
        except InterruptedError:
            continue
        last = time.monotonic()
        with connection:
            if not _same_user(connection):
                continue
            connection.settimeout(ASKING)
            try:
                message, _ = receive(connection)
            except (OSError, ValueError):
                continue
            if message is None or not _well_formed(message):
                continue
            pid = os.fork()
            if pid == 0:  # the command's process
                listener.close()
                _command(connection, message, state)  # never returns
            children[pid] = f"{' '.join(message['argv'][1:])} (in {message['cwd']})"
    _reap(children, said)  # those that have ended are noted
    return 0  # the commands still being made are their callers': they go on without it


def _same_user(connection: socket.socket) -> bool:
    """Whether the process at the other end runs as this user (Linux: its credentials;
    elsewhere the socket's folder, which only this user can open, is the guard)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    import struct

    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", credentials)
    return uid == os.getuid()


def _reap(children: dict[int, str], said: Callable[[str], None]) -> None:
    """Note each command that ended, with its exit code."""
    for pid in list(children):
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done, status = pid, None
        if done:
            code = os.waitstatus_to_exitcode(status) if status is not None else "unknown"
            said(f"{children.pop(pid)}: exit {code}")


def _well_formed(message: dict) -> bool:
    """Whether a request holds what a command is made from, each of the right kind."""
    argv, env, streams = message.get("argv"), message.get("env"), message.get("streams")
    return (isinstance(argv, list) and all(isinstance(a, str) for a in argv) and argv != []
            and isinstance(message.get("cwd"), str) and type(message.get("umask")) is int
            and isinstance(env, dict) and all(isinstance(v, str) for v in env.values())
            and isinstance(streams, list) and len(streams) == 3
            and all(isinstance(s, list) and len(s) == 2 and all(isinstance(p, str) for p in s)
                    for s in streams)
            and all(type(n) is int for n in message.get("ignored", [])))  # fmt: skip


def _command(connection: socket.socket, message: dict, state: tuple[str, tuple[str, ...]]) -> None:
    """Take on the caller's command and make it; hand back its exit code; end."""
    try:
        if _formats() != state[1]:  # a plugin edited since: the caller makes it
            os._exit(1)
        os.setsid()  # not in the server's terminal's way (its Ctrl-C, Ctrl-Z, hang-up)
        for number in (*_STOP, signal.SIGQUIT, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for number in message.get("ignored", []):  # as the caller does (nohup, a job in `&`)
            with contextlib.suppress(ValueError, OSError):
                signal.signal(number, signal.SIG_IGN)
        connection.settimeout(None)
        _take_on(message)  # (a folder gone: the caller makes the command, and says so)
        send(connection, {"pid": os.getpid()})
        go, fds = receive(connection, maxfds=3)  # the caller may have given up, and made it
        if not go or go.get("go") is not True or len(fds) != 3:
            os._exit(1)
        _take_streams(message["streams"], fds)
        send(connection, {"begun": True})
        _end_with_caller(connection)
    except BaseException:  # not begun: the caller makes it itself
        os._exit(1)
    from exporter.cli import finished

    try:
        code = finished()
    except KeyboardInterrupt:  # before the command's own handling of it began
        code = 130
    except BaseException as exc:  # the last line of defence, as the command has its own
        with contextlib.suppress(Exception):
            print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        code = 1
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the caller ends as it hears the code
    with contextlib.suppress(OSError):
        send(connection, {"exit": code})
    os._exit(code)


def _take_on(message: dict) -> None:
    """This process as the caller's: its folder, environment, mask and arguments."""
    import tempfile

    from exporter.fonts import forget_instances

    os.chdir(message["cwd"])
    os.environ.clear()
    os.environ.update(message["env"])
    time.tzset()
    os.umask(message["umask"])
    tempfile.tempdir = None
    forget_instances()  # found in the server's cache folder: looked for in the caller's
    sys.argv = list(message["argv"])


def _take_streams(streams: list[list[str]], fds: list[int]) -> None:
    """The caller's standard streams as this process's, encoded as the caller's were."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    raw = io.BufferedReader(io.FileIO(0, "rb", closefd=False))
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(raw, encoding=streams[0][0],
                                                 errors=streams[0][1])  # fmt: skip
    for fd, name in ((1, "stdout"), (2, "stderr")):
        encoding, errors = streams[fd]
        written = io.BufferedWriter(io.FileIO(fd, "wb", closefd=False))
        stream = io.TextIOWrapper(written, encoding=encoding, errors=errors,
                                  line_buffering=fd == 2 or os.isatty(fd))  # fmt: skip
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _end_with_caller(connection: socket.socket) -> None:
    """Interrupt this command, as Ctrl-C would, when its caller goes away (killed)."""

    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    number = signal.SIGTERM if ignored else signal.SIGINT

    def watch() -> None:
        with contextlib.suppress(OSError):
            while connection.recv(1):
                pass
        os.killpg(os.getpid(), number)  # its workers too

    threading.Thread(target=watch, daemon=True, name="exporter-caller-watch").start()
