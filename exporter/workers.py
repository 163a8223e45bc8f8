"""The processes of a run: the one that reads the sources aside while the run imports
what the formats need, and the workers that render editions side by side, forked warm
after it (how many, started at once, ended with the run) — each ended with the process
that started it, however that ends."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from exporter.errors import ExportError

MAX_WORKERS = 4  # the default: one per core, at most this many
_PR_SET_PDEATHSIG = 1  # prctl(2)


def forks() -> bool:
    """Whether worker processes are forked from this one (and find in memory what it
    held then): on Linux; elsewhere they are started afresh."""
    return sys.platform == "linux"


def worker_count(tasks: int, jobs: int | None) -> int:
    """Workers for ``tasks`` editions: ``jobs`` (else one per core, at most ``MAX_WORKERS``),
    never more than there are tasks or cores (more only wait for a core, each holding its
    own copy of the libraries)."""
    cores = os.cpu_count() or 1
    wanted = jobs if jobs is not None else min(cores, MAX_WORKERS)
    return max(1, min(tasks, wanted, cores))


def capped(tasks: int, jobs: int | None) -> str:
    """What to tell the user when ``--jobs`` asks for more workers than can help."""
    if jobs is None or worker_count(tasks, jobs) >= jobs:
        return ""
    cores = os.cpu_count() or 1
    plural = "edition" if tasks == 1 else "editions"
    return (f"--jobs {jobs}: {worker_count(tasks, jobs)} worker processes are started "
            f"({cores} cores, {tasks} {plural} to make)")  # fmt: skip


@contextlib.contextmanager
def worker_pool(
    count: int, prepare: Callable[..., None], args: tuple[Any, ...]
) -> Iterator[ProcessPoolExecutor | None]:
    """``count`` worker processes, each started at once and running ``prepare(*args)``
    first: forked (on Linux), they find done what this process has already done; started
    afresh (elsewhere), they import there what the formats need. None for fewer than
    two. A worker ends when this process does, by any signal."""
    if count < 2:
        yield None
        return
    context = multiprocessing.get_context("fork" if forks() else "spawn")
    pool = ProcessPoolExecutor(count, context, initializer=_start,
                               initargs=(os.getpid(), prepare, args))  # fmt: skip
    with _frozen():
        for _ in range(count):
            pool.submit(int)  # starts every worker now
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """Around forking: what this process holds now (the libraries, the articles read) is
    left out of the garbage collector's looks in the processes forked (``gc.freeze``).
    Each look in a worker would otherwise go over all of it and write to every object it
    passes, so the worker copies page after page it could have shared (at 100× the seed's
    length, the PSS of ``exporter all``'s processes 204 to 193 MiB). This process looks
    at it again after."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _start(parent: int, prepare: Callable[..., None], args: tuple[Any, ...]) -> None:
    _end_with(parent)
    prepare(*args)


def _end_with(parent: int) -> None:
    """End this worker when ``parent`` ends: the kernel sends it SIGKILL (Linux), or a
    thread watches for it (elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent ended before the signal was asked for
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exporter-parent-watch").start()


def in_order(
    pool: ProcessPoolExecutor, work: Callable[..., Any], calls: Iterable[tuple], window: int
) -> Iterator[Any]:
    """The results of ``work(*call)`` for each call, in order, with at most ``window`` of
    them submitted and not yet taken. A call whose worker died yields the exception."""
    pending: deque = deque()

    def taken() -> Any:
        try:
            return pending.popleft().result()
        except BrokenProcessPool as exc:
            return exc

    for call in calls:
        pending.append(pool.submit(work, *call))
        if len(pending) >= window:
            yield taken()
    while pending:
        yield taken()


@contextlib.contextmanager
def aside(
    call: Callable[..., Any], args: tuple[Any, ...], jobs: int | None, what: str
) -> Iterator[Callable[[], Any]]:
    """``call(*args)`` made in a process of its own, forked now, while this one goes on:
    yields the function that waits for its result (and raises what it raised; ``what``
    the call does names it if the process dies). Where processes are not forked
    (elsewhere than Linux), with one core, or when ``jobs`` asks for one process, that
    function makes the call here. The process ends with the block."""
    cores = os.cpu_count() or 1
    if not forks() or cores < 2 or jobs == 1:
        yield lambda: call(*args)
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_aside, args=(os.getpid(), send, call, args),
                              daemon=True, name="exporter-aside")  # fmt: skip
    with _frozen():
        process.start()
    send.close()

    def result() -> Any:
        try:
            ok, value, trace = receive.recv()
        except EOFError:  # killed (out of memory, by a signal) before it answered
            process.join()
            raise ExportError(f"{what}: its process ended without an answer (exit status "
                              f"{process.exitcode}); nothing was written") from None  # fmt: skip
        if ok:
            return value
        raise value from (_Remote(trace) if trace else None)

    try:
        yield result
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join()


class _Remote(Exception):
    """The traceback of an error raised in another process (shown with ``--debug``)."""

    def __str__(self) -> str:
        return f"\n{self.args[0]}"


def _aside(parent: int, send: Any, call: Callable[..., Any], args: tuple[Any, ...]) -> None:
    _end_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupted run ends from its parent
    try:
        outcome: tuple[bool, Any, str] = (True, call(*args), "")
    except Exception as exc:
        trace = "" if isinstance(exc, ExportError) else traceback.format_exc()
        outcome = (False, exc, trace)
    try:
        send.send(outcome)
    except Exception as exc:  # an answer that cannot be sent (pickled): say what it was
        send.send((False, RuntimeError(f"{outcome[1]!r}: {exc}"), outcome[2]))
    send.close()
