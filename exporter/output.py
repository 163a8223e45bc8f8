"""Writing editions: the output folder made ready and locked, and files written atomically —
one file, or all the editions of an article together."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from exporter.errors import OutputError

TEMP_SUFFIX = ".part"


def _umask() -> int:
    """The process's file mode mask now (a served command takes on its caller's)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def prepare_output(out_dir: Path) -> None:
    """Create the output folder if needed and make sure it can be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder: {exc.strerror}") from None
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    if not writable(out_dir):
        raise OutputError(f"{out_dir}: the output folder is not writable")


def writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder itself (no lock file is left in it, so
    it holds only editions) so concurrent runs take turns."""
    try:
        handle = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot lock the output folder: {exc.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


def sweep_stale(out_dir: Path) -> None:
    """Remove temporary files an interrupted run left behind (call with the lock held)."""
    for stale in out_dir.glob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over ``target``.

    On any failure the previous ``target`` is left as it was and the temporary file removed.
    """
    write_together([(target, data)])


def write_together(files: list[tuple[Path, bytes]]) -> None:
    """Write every file or none: each goes to a temporary file beside its target first, and
    only when all of them are on disk are they renamed over their targets. On any failure
    every previous target is left as it was and the temporary files are removed."""
    staged: list[tuple[Path, Path]] = []
    target = files[0][0] if files else Path()
    try:
        for target, data in files:
            staged.append((_staged(target, data), target))
        for tmp, target in staged:
            os.replace(tmp, target)
        for folder in dict.fromkeys(t.parent for _, t in staged):
            _sync_folder(folder)
    except OSError as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        reason = _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
        kept = "the previous file is kept" if len(files) == 1 else (
            f"none of its {len(files)} editions is replaced; the previous ones are kept")
        raise OutputError(f"{target}: not written ({reason}); {kept}") from None


def _staged(target: Path, data: bytes) -> Path:
    """``data`` in a temporary file beside ``target``, flushed to disk."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if tmp.stat().st_size != len(data):
            raise OSError(errno.EIO, "short write")
        os.chmod(tmp, 0o666 & ~_umask())
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EACCES: "the output folder is not writable",
    errno.EPERM: "the output folder is not writable",
    errno.EROFS: "the output folder is on a read-only disk",
}


def _sync_folder(folder: Path) -> None:
    """Make a rename durable: flush the folder entry to disk where the platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
