"""Font files for the style's families (from the fontpkg packages) and their character coverage."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import os
import stat
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from exporter.errors import Problem, StyleError

FACES = ("regular", "bold", "italic", "bolditalic")
_FACE_QUERY = {
    "regular": (400, "normal"),
    "bold": (700, "normal"),
    "italic": (400, "italic"),
    "bolditalic": (700, "italic"),
}


@dataclass(frozen=True)
class FontFamily:
    """One family's four face files."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bolditalic: Path

    def face(self, bold: bool, italic: bool) -> Path:
        return getattr(self, ("bold" if bold else "") + ("italic" if italic else "") or "regular")

    @property
    def files(self) -> dict[str, Path]:
        return {face: getattr(self, face) for face in FACES}

    def static_face(self, bold: bool, italic: bool) -> Path:
        """A static file of one face: from a variable font (one file for every weight, as
        Noto's), its instance at the face's weight, made once per machine."""
        face = ("bold" if bold else "") + ("italic" if italic else "") or "regular"
        return _static(self.face(bold, italic), *_FACE_QUERY[face])


@cache
def font_family(name: str) -> FontFamily:
    """The installed files of a family such as "PT Serif": from its fontpkg package, else
    (Noto Emoji, Noto Sans Symbols) the variable file the manimgx-fonts package ships, as
    all four faces (``static_face`` makes the bold ones). Where they are is remembered
    while nothing is installed or removed (``installed``): finding it reads every installed
    distribution's metadata."""
    from exporter.installed import remembered

    def find() -> dict[str, str]:
        return {face: str(path) for face, path in _find(name).items()}

    kept = remembered("font family", name, find, _installed_faces)
    return FontFamily(name=name, **{face: Path(kept[face]) for face in FACES})


def _installed_faces(kept: object) -> bool:
    """Whether ``kept`` names a font file (by its first bytes) for each face."""
    if not (isinstance(kept, dict) and sorted(kept) == sorted(FACES)):
        return False
    return all(isinstance(path, str) and os.path.isabs(path) and _is_font_file(path)
               for path in kept.values())  # fmt: skip


# how a font file begins: TrueType, CFF, Apple TrueType, a collection, WOFF and WOFF2
FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")


def _is_font_file(path: str) -> bool:
    """Whether ``path`` is a regular file that begins as a font file does (opened without
    waiting: a named pipe is not one)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    with open(fd, "rb") as handle:
        return stat.S_ISREG(os.fstat(fd).st_mode) and handle.read(4) in FONT_SIGNATURES


def _find(name: str) -> dict[str, Path]:
    """The four face files of the family ``name``, looked up in the installed packages."""
    import fontpkg

    try:
        paths = {face: fontpkg.path(name, w, s) for face, (w, s) in _FACE_QUERY.items()}
    except fontpkg.FontpkgError as exc:
        files = {
            "noto emoji": "NotoEmoji[wght].ttf",
            "noto sans symbols": "NotoSansSymbols[wght].ttf",
        }
        if name.casefold() not in files:
            raise StyleError(f"font family {name!r} is not installed: {exc}") from None
        try:
            import manimgx_fonts
        except ImportError:
            raise StyleError(f"font family {name!r} is not installed: {exc} (or add the "
                             "manimgx-fonts package, which ships it)") from None  # fmt: skip
        path = Path(manimgx_fonts.__file__).resolve().parent / files[name.casefold()]
        if not path.is_file():
            raise StyleError(f"font family {name!r} is not installed: {path} is missing") from None
        paths = dict.fromkeys(FACES, path)
    return {face: Path(paths[face]) for face in FACES}


def cache_dir() -> Path:
    """Where instantiated fonts are kept between runs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "exporter" / "fonts"


def forget_instances() -> None:
    """Look for the instances of variable fonts in the cache folder again (a process that
    takes on another's environment may have another)."""
    _static.cache_clear()


INSTANCE_FORMAT = "3"  # of the instances kept in the cache: a new one names new files


@cache
def _static(path: Path, weight: int, style: str) -> Path:
    """``path`` itself for a static font; for a variable one, its instance at ``weight``.

    The instance is kept in the cache folder beside a sidecar holding its SHA-256; it is
    used only when the two agree (a damaged one is discarded, with a warning, and made
    again). It is made the same everywhere (its ``head`` dates are the source font's), so
    two machines set the same PDF. Without a writable cache it is kept in memory for this
    process: nothing is left on disk."""
    from fontTools import version as tools
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        if "fvar" not in font:
            return path
        axes = {a.axisTag: a for a in font["fvar"].axes}
    if "wght" not in axes or axes["wght"].defaultValue == weight:
        return path  # its default instance is this face: the outlines are used as they are
    key = hashlib.sha256(path.read_bytes() + f"\0{tools}\0{INSTANCE_FORMAT}".encode())
    target = cache_dir() / f"{path.stem.split('[')[0]}-{weight}-{key.hexdigest()[:16]}.ttf"
    sidecar = target.with_name(target.name + ".sha256")
    if read_verified(target, sidecar, "instance of a variable font") is not None:
        return target
    from fontTools.varLib import instancer

    location = {tag: (weight if tag == "wght" else axis.defaultValue)
                for tag, axis in axes.items()}  # fmt: skip
    try:  # named as the weight it is (NotoSerif-Bold), not as the default (-Regular)
        font = instancer.instantiateVariableFont(TTFont(path), location, updateFontNames=True)
    except (ValueError, KeyError, AttributeError):  # no STAT table to name it from
        font = instancer.instantiateVariableFont(TTFont(path), location)
    font.recalcTimestamp = False  # keep the source's head.modified: the same bytes everywhere
    buffer = io.BytesIO()
    font.save(buffer)
    data = buffer.getvalue()
    # the digest first: whoever sees the font (written second) finds its digest there
    if write_cache(sidecar, hashlib.sha256(data).hexdigest().encode()) and write_cache(
        target, data
    ):
        return target
    return _in_memory(data, target.name)


# The caches (instances here, subsets in ``exporter.subset``, build records in
# ``exporter.builds``) are hints, never truth: every entry is checked against its digest
# when it is read, a damaged one is discarded with one warning, and a cache folder that
# cannot be written only means working without it.

_warned: set[str] = set()
MAX_CACHE_ENTRY = 256 * 1024 * 1024  # a larger "entry" is not one of ours


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, read
    without waiting on a named pipe or a device (``OSError`` otherwise)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"{path}: larger than {limit} bytes")
    return data


def discard(path: Path, what: str, *others: Path) -> None:
    """Remove a damaged cache entry (and the files that go with it), warning once."""
    for item in (path, *others):
        with contextlib.suppress(OSError):
            item.unlink()
    if str(path) not in _warned:
        _warned.add(str(path))
        import logging  # a run that finds nothing damaged never loads it

        logging.getLogger("exporter.cache").warning(
            "warning: %s: a damaged %s in the cache; discarded, and made again", path, what
        )


def read_verified(target: Path, sidecar: Path, what: str) -> bytes | None:
    """The bytes of the cache entry ``target`` if ``sidecar`` holds their SHA-256; None
    when there is no entry, or it is damaged (then it is discarded)."""
    try:
        data = read_regular(target, MAX_CACHE_ENTRY)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return None  # none, or no cache to read: made afresh
    except OSError:
        data = None  # not a file, or too large to be one of ours
    with contextlib.suppress(OSError):
        if data is not None and read_regular(sidecar, 100).strip() == (
            hashlib.sha256(data).hexdigest().encode()
        ):
            return data
    discard(target, what, sidecar)
    return None


def read_sealed(path: Path, what: str) -> bytes | None:
    """The data of the ``sealed`` cache entry at ``path``; None when there is none (or no
    cache to read), or it is damaged (then it is discarded, with one warning)."""
    try:
        entry = read_regular(path, MAX_CACHE_ENTRY)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return None
    except OSError:
        entry = b""  # not a file, or too large to be one of ours
    data = unsealed(entry)
    if data is None:
        discard(path, what)
    return data


def sealed(data: bytes) -> bytes:
    """``data`` behind a line with its SHA-256, as a cache entry in one file holds it."""
    return hashlib.sha256(data).hexdigest().encode() + b"\n" + data


def unsealed(entry: bytes) -> bytes | None:
    """The data of a ``sealed`` entry; None if it does not match its digest."""
    digest, newline, data = entry[:64], entry[64:65], entry[65:]
    if newline != b"\n" or hashlib.sha256(data).hexdigest().encode() != digest:
        return None
    return data


def write_cache(target: Path, data: bytes) -> bool:
    """Write ``data`` to ``target`` atomically (its folder made if need be); False, with
    nothing left behind, when the cache cannot be written."""
    part = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # a run that writes nothing to the cache never loads it

        fd, part = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(part, target)
    except OSError:
        if part is not None:
            with contextlib.suppress(OSError):
                os.unlink(part)
        return False
    return True


def cached(folder: str, name: str, make: Callable[[], bytes], what: str, keep: int) -> bytes:
    """The entry ``name`` of the cache folder ``folder`` (beside the fonts'), made by
    ``make`` and stored (``sealed``) when it is missing or damaged, under a lock of its own
    where the system has them, so that two processes make it once. At most about ``keep``
    entries stay in the folder: the oldest go first."""
    place = cache_dir().parent / folder
    entry = place / name
    data = read_sealed(entry, what)
    if data is not None:
        return data
    with _locked(place / f".{name}.lock"):
        if entry.exists():  # made by another process while this one waited
            data = read_sealed(entry, what)
            if data is not None:
                return data
        data = make()
        if len(data) < MAX_CACHE_ENTRY - 65 and write_cache(entry, sealed(data)):
            with contextlib.suppress(OSError):
                if len(os.listdir(place)) > keep * 9 // 8:  # now and then
                    kept = sorted((p for p in place.iterdir() if not p.name.startswith(".")),
                                  key=lambda p: p.stat().st_mtime_ns)  # fmt: skip
                    for old in kept[:-keep]:
                        old.unlink()
    return data


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (made, and removed after); nothing where locks
    or the folder are not to be had (the work is then only perhaps done twice)."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


_memory: dict[str, Path] = {}  # digest → the path of a font held in memory


def _in_memory(data: bytes, name: str) -> Path:
    """A path that reads as ``data`` for the life of this process (and of the processes
    it forks): an anonymous file in memory where the system has them (Linux), else a
    temporary file removed when the process exits."""
    digest = hashlib.sha256(data).hexdigest()
    if digest in _memory:
        return _memory[digest]
    path = None
    if hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            fd = os.memfd_create(f"exporter-{name}")  # kept open: the path lives as long
            with open(fd, "wb", closefd=False) as handle:
                handle.write(data)
            path = Path(f"/proc/self/fd/{fd}")
    if path is None:
        import tempfile

        with tempfile.NamedTemporaryFile(prefix="exporter-", suffix=f"-{name}",
                                         delete=False) as handle:  # fmt: skip
            handle.write(data)
        path = Path(handle.name)
        atexit.register(_remove, path, os.getpid())
    _memory[digest] = path
    return path


def _remove(path: Path, owner: int) -> None:
    if os.getpid() == owner:  # not in a forked child: the file is its parent's
        with contextlib.suppress(OSError):
            path.unlink()


COVERAGE_FORMAT = "1"  # of the coverage entries: code points as 32-bit numbers, sealed


@cache
def coverage(path: Path) -> frozenset[int]:
    """Code points a font file can draw: read from its character map once, then from the
    cache folder (keyed by the file's path, size and time; a damaged entry is read again)."""
    from array import array

    try:  # (a font held in memory, /proc/self/fd/N, is another file in every process)
        info = None if str(path).startswith("/proc/") else os.stat(path)
    except OSError:
        info = None
    entry_path = None
    if info is not None:
        key = hashlib.sha256(f"{COVERAGE_FORMAT}:{path}:{info.st_size}:{info.st_mtime_ns}"
                             .encode()).hexdigest()  # fmt: skip
        entry_path = cache_dir().parent / "coverage" / f"{key}.bin"
        data = read_sealed(entry_path, "character map")
        if data is not None and len(data) % 4 == 0:
            return frozenset(array("I", data))
        if data is not None:
            discard(entry_path, "character map")
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        points = frozenset(font.getBestCmap())
    if entry_path is not None:
        write_cache(entry_path, sealed(array("I", sorted(points)).tobytes()))
    return points


def family_coverage(names: tuple[str, ...]) -> frozenset[int]:
    """Code points that every face of every named family can draw."""
    sets = [coverage(p) for n in names for p in font_family(n).files.values()]
    return frozenset.intersection(*sets) if sets else frozenset()


def drawable(
    families: tuple[str, ...], fallbacks: dict[str, tuple[str, ...]]
) -> frozenset[int]:
    """Code points every one of ``families`` can draw, itself or through its fallbacks."""
    sets = []
    for name in families:
        covered = family_coverage((name,))
        for backup in fallbacks.get(name, ()):
            covered |= family_coverage((backup,))
        sets.append(covered)
    return frozenset.intersection(*sets) if sets else frozenset()


def missing_glyphs(
    path: str,
    text: str,
    families: tuple[str, ...],
    fallbacks: dict[str, tuple[str, ...]] | None = None,
) -> list[Problem]:
    """Every character of an article source that some face of ``families`` (or of its
    fallback family) cannot draw.

    Comment lines of the front matter are skipped: they never reach an edition.
    """
    fallbacks = fallbacks or {}
    covered = drawable(families, fallbacks)
    absent = {c for c in set(text) if ord(c) > 0x7E and ord(c) not in covered and not c.isspace()}
    if not absent:  # the usual case, found without looking at every line
        return []
    problems: list[Problem] = []
    lines = text.split("\n")
    fences = [n for n, line in enumerate(lines) if line.rstrip() == "---"][:2]
    for number, line in enumerate(lines, start=1):
        in_front = len(fences) == 2 and fences[0] < number - 1 < fences[1]
        if (in_front and line.lstrip().startswith("#")) or absent.isdisjoint(line):
            continue
        for column, char in enumerate(line, start=1):
            if char in absent:
                problems.append(_not_drawable(path, number, column, char, "fonts", families,
                                              fallbacks))  # fmt: skip
    return problems


def missing_code_glyphs(
    path: str,
    text: str,
    code: list[tuple[int, str]],
    families: tuple[str, ...],
    fallbacks: dict[str, tuple[str, ...]] | None = None,
) -> list[Problem]:
    """Characters of code (``(source line, code text)`` pairs) that the code font (or its
    fallbacks) cannot draw, each reported where it first stands in the source at or after
    its line."""
    fallbacks = fallbacks or {}
    covered = drawable(families, fallbacks)
    lines = text.split("\n")
    problems: list[Problem] = []
    seen: set[str] = set()
    for line, snippet in code:
        for char in sorted(set(snippet) - seen):
            if ord(char) <= 0x7E or ord(char) in covered or char.isspace():
                continue
            seen.add(char)
            number, column = _first(lines, char, max(line, 1))
            problems.append(_not_drawable(path, number, column, char, "code font", families,
                                          fallbacks))  # fmt: skip
    return problems


def _not_drawable(
    path: str,
    line: int,
    column: int,
    char: str,
    what: str,
    families: tuple[str, ...],
    fallbacks: dict[str, tuple[str, ...]],
) -> Problem:
    from fontTools import unicodedata as ucd

    name = unicodedata.name(char, "unnamed character")
    script = ucd.script_name(ucd.script(char), default="")
    written = f", {script} script" if script and script not in ("Common", "Inherited") else ""
    backups = list(dict.fromkeys(b for f in families for b in fallbacks.get(f, ())))
    nor = f" or their fallbacks {' / '.join(backups)}" if backups else ""
    return Problem(path, line, column, f"U+{ord(char):04X} {name} ({char}{written}) is not in "
                   f"the {what} {' / '.join(families)}{nor}; replace it, or add a font family "
                   "that has it to the style's [fallback]")  # fmt: skip


def _first(lines: list[str], char: str, start: int) -> tuple[int, int]:
    for number in (*range(start, len(lines) + 1), *range(1, start)):
        column = lines[number - 1].find(char)
        if column >= 0:
            return number, column + 1
    return start, 1
