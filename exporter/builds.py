"""Which editions are up to date: a fingerprint of everything an edition is made from, and a
manifest of the editions written with theirs, so only what changed is rebuilt.

An edition's inputs are its article's folder (the source and every figure in it, byte for
byte), the resolved style (after ``extends`` and ``--paper``), the font files it may use,
the options, the format (the name and version of the distribution that registers it, and
its files), and the toolkit (its version, its own files, and the versions of the libraries
it renders with). The manifest lives in the user's cache folder, one per output folder,
never among the editions: an edition is skipped when the manifest records the same
fingerprint for it and the file is still there as written (same size and time).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import operator
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from exporter import __version__
from exporter.client import tree_signature
from exporter.fonts import (
    MAX_CACHE_ENTRY,
    cache_dir,
    cached,
    discard,
    font_family,
    read_regular,
    sealed,
    unsealed,
    write_cache,
)
from exporter.formats import ExportOptions, distribution_label, format_origin
from exporter.installed import remembered

if TYPE_CHECKING:  # a run with nothing to rebuild reads no style (``kept_style_key``)
    from exporter.style import StyleSheet, Trace

PACKAGE = Path(__file__).resolve().parent


@cache
def toolkit_digest() -> str:
    """The toolkit as it renders: its version, its own files (size and time: an edited
    checkout counts as a new version), and the version of every library it requires."""
    libraries = remembered("requirements", "exporter", _libraries, _names_and_versions)
    return _digest("\n".join([__version__, *tree_signature(PACKAGE), *libraries]).encode())


def _names_and_versions(kept: object) -> bool:
    return isinstance(kept, list) and all(isinstance(item, str) and "==" in item for item in kept)


def _libraries() -> list[str]:
    """``name==version`` of each library the toolkit requires, as installed."""
    from importlib import metadata

    found = []
    with contextlib.suppress(metadata.PackageNotFoundError):
        for requirement in metadata.requires("exporter") or ():
            if "extra ==" in requirement:
                continue
            name = requirement.split(";")[0].split("[")[0]
            for mark in "<>=!~ ":
                name = name.split(mark)[0]
            with contextlib.suppress(metadata.PackageNotFoundError):
                found.append(f"{name}=={distribution_label(metadata.distribution(name))[1]}")
    return found


def format_fingerprint(name: str) -> str:
    """The format ``name`` as it renders: the name and version of the distribution that
    registers it (a plugin upgraded is a new format) and its files: the built-ins' are the
    toolkit's own (``toolkit_digest``); a plugin's module or package is listed here (size
    and time: a plugin edited in place counts as a new version too)."""
    dist, version, module = format_origin(name)
    parts = [name, f"{dist}=={version}", module]
    top = module.split(".")[0]
    if top != PACKAGE.name:
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            for folder in spec.submodule_search_locations:
                parts += tree_signature(Path(folder))
        elif spec is not None and spec.origin and os.path.isfile(spec.origin):
            info = os.stat(spec.origin)
            parts.append(f"{spec.origin}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


LARGE_FILE = 64 * 1024 * 1024  # a larger file is fingerprinted by its size and time, unread


class _Walk(NamedTuple):
    """An article's folder as walked: its files and each folder walked with its status
    (both by path within it), and whether any entry was a link."""

    files: list[tuple[str, os.DirEntry[str]]]
    folders: list[tuple[str, os.stat_result]]
    links: bool


def _article_files(source: str) -> _Walk:
    """The files an article's editions may read, by path within its folder: its source and
    every other regular file in the folder and its subfolders, hidden ones included
    (figures), but not another article's source (plain ``os.scandir``: an archive has
    thousands of folders to look at).

    A symbolic link to a file counts as the file it names; a linked folder is not entered
    (a figure is refused unless it is inside the article's folder, where the walk finds it,
    and a loop of links is never followed). Pipes, sockets and devices are left out
    without being opened: an edition never reads them."""
    root, own = os.path.dirname(source), source
    found: list[tuple[str, os.DirEntry[str]]] = []
    folders: list[tuple[str, os.stat_result]] = []
    links = False
    stack = [""]
    while stack:
        inner = stack.pop()
        place = os.path.join(root, inner) if inner else root
        info = os.stat(place)  # before the listing: a change between the two shows next time
        with os.scandir(place) as listing:
            entries = list(listing)
        folders.append((inner, info))
        for entry in entries:
            name = os.path.join(inner, entry.name) if inner else entry.name
            links = links or entry.is_symlink()
            if entry.is_dir(follow_symlinks=False):
                stack.append(name)
            elif entry.path == own or not entry.name.endswith(".md"):
                try:
                    regular = stat.S_ISREG(entry.stat().st_mode)
                except OSError:  # a link to nothing
                    continue
                if regular:
                    found.append((name, entry))
    first = operator.itemgetter(0)
    return _Walk(sorted(found, key=first), sorted(folders, key=first), links)


# A folder's time is trusted to tell that no file was added, removed or renamed in it only
# if it was this much older than the walk that listed it: on a file system that keeps times
# to the second (or two), a change made just after the walk could leave it as it was.
SETTLED_NS = 3 * 10**9


def _listing(walk: _Walk, walked_at: int) -> str:
    """What ``_listed`` needs to skip the next walk: the time of this one, each folder with
    its identity and time, each file's path ("" when a link or a folder changed too
    recently rules it out). Fields are separated by NUL, which no path holds."""
    if walk.links or any(info.st_mtime_ns > walked_at - SETTLED_NS for _, info in walk.folders):
        return ""
    fields = [str(walked_at), str(len(walk.folders))]
    for inner, info in walk.folders:
        fields += [inner, _identity(info)]
    return "\0".join(fields + [name for name, _ in walk.files])


def _identity(info: os.stat_result) -> str:
    """A folder as a listing knows it: which one it is (device, inode) and its time."""
    return f"{info.st_dev}:{info.st_ino}:{info.st_mtime_ns}"


def _listed(root: str, listing: str) -> list[tuple[str, os.stat_result]] | None:
    """The files of an article's folder and their status, without walking it, when no
    folder it holds has changed since the walk recorded in ``listing`` (a file added,
    removed or renamed changes its folder's time); None when one has, or the listing is
    not one of ours."""
    fields = listing.split("\0")
    join, status, regular = os.path.join, os.stat, stat.S_ISREG
    try:
        end = 2 + 2 * int(fields[1])
        if end < 4 or len(fields) < end:
            return None
        for at in range(2, end, 2):
            if _identity(status(join(root, fields[at]) if fields[at] else root)) != fields[at + 1]:
                return None
        files = [(name, status(join(root, name), follow_symlinks=False)) for name in fields[end:]]
    except (OSError, ValueError):
        return None
    return files if all(regular(info.st_mode) for _, info in files) else None


def folder_digest(source: str | os.PathLike[str], known: dict[str, object] | None = None) -> str:
    """The article as its editions read it: each of its files' path and bytes (a file
    over ``LARGE_FILE``: its size and time; no figure or source is that large). ``known``
    (from the manifest) holds the digest last computed with the files' sizes and times:
    while those are the same, the files are not read again; and the listing of its
    folders: while none of them has changed, they are not walked again (``_listed``). It
    is updated in place."""
    source = os.fspath(source)
    root = os.path.dirname(source)
    listing = known.get("listing") if known is not None else None
    files = _listed(root, listing) if isinstance(listing, str) and listing else None
    if files is not None:
        signature = "\n".join([f"{name}:{info.st_size}:{info.st_mtime_ns}" for name, info in files])
        if known is not None and known.get("stat") == signature:
            return str(known["digest"])  # the usual case, as fast as it can be
        stats = signature.split("\n")
        paths = [(name, os.path.join(root, name), info) for name, info in files]
    else:
        walked_at = time.time_ns()
        walk = _article_files(source)
        listing = _listing(walk, walked_at)
        stats, paths = [], []
        for name, entry in walk.files:
            info = entry.stat()
            link = f"->{os.readlink(entry.path)}" if entry.is_symlink() else ""
            stats.append(f"{name}{link}:{info.st_size}:{info.st_mtime_ns}")
            paths.append((name, entry.path, info))
    signature = "\n".join(stats)
    if known is not None and known.get("stat") == signature:
        known["listing"] = listing
        return str(known["digest"])
    digest = hashlib.sha256()
    for name, path, info in paths:
        digest.update(os.fsencode(name) + b"\0")
        _hash_file(digest, path, info)
        digest.update(b"\0")
    if known is not None:
        known.update(stat=signature, digest=digest.hexdigest(), listing=listing)
    return digest.hexdigest()


def _hash_file(digest: hashlib._Hash, path: str, info: os.stat_result) -> None:
    """Add the bytes of the regular file ``path`` to ``digest`` (opened without waiting: if
    it has become a pipe, ``OSError``), or only its size and time if it is over
    ``LARGE_FILE``."""
    if info.st_size > LARGE_FILE:
        digest.update(f"large:{info.st_size}:{info.st_mtime_ns}".encode())
        return
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        left = LARGE_FILE
        while left > 0 and (chunk := handle.read(min(left, 1 << 20))):
            digest.update(chunk)
            left -= len(chunk)


@cache
def _fonts_digest(families: tuple[str, ...]) -> str:
    parts = []
    for family in families:
        for face, path in sorted(font_family(family).files.items()):
            stat = path.stat()
            parts.append(f"{family}:{face}:{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return _digest("\n".join(parts).encode())


class StyleKey(NamedTuple):
    """What an edition's fingerprint takes of its resolved style: a digest of the whole
    sheet, and the font families it may set text in (their files count too)."""

    digest: str
    families: tuple[str, ...]


def style_key(sheet: StyleSheet) -> StyleKey:
    return StyleKey(_digest(repr(sheet).encode()), sheet.families_with_fallbacks())


STYLE_KEYS = "styles"  # the cache folder of the kept keys, beside the fonts'
STYLE_KEYS_FORMAT = "1"  # of the keys kept: a new one names new entries
STYLE_KEYS_KEPT = 64
MAX_STYLE_FILE = 1024 * 1024  # a larger file is read again, not compared


def kept_style_key(
    name: str, paper: str | None, load: Callable[[Trace], StyleSheet]
) -> StyleKey:
    """``style_key`` of the style ``name`` on ``paper``, kept between runs: while every
    place it was looked for answers as it did and every file it was read from holds the
    same bytes (and the toolkit is the same), it is not read again, and a run with nothing
    to rebuild reads no style at all. ``load(trace)`` reads it (see ``load_style``), adding
    what it looked at to ``trace``."""
    try:
        here = os.getcwd()  # a relative name is looked for from here
    except OSError:  # the folder the run started in is gone: nothing to keep it under
        return style_key(load([]))
    where = [STYLE_KEYS_FORMAT, toolkit_digest(), name, paper, here]
    entry = _digest(json.dumps(where).encode())[:32] + ".json"
    made: list[StyleKey] = []

    def make() -> bytes:
        trace: Trace = []
        key = style_key(load(trace))
        made.append(key)
        kept = {"trace": trace, "digest": key.digest, "families": list(key.families)}
        return json.dumps(kept).encode()

    for _ in range(2):
        kept = _kept_style(cached(STYLE_KEYS, entry, make, "style fingerprint", STYLE_KEYS_KEPT))
        if made:
            return made[0]
        if kept is None:
            discard(cache_dir().parent / STYLE_KEYS / entry, "style fingerprint")
        elif all(map(_still, kept["trace"])):
            return StyleKey(kept["digest"], tuple(kept["families"]))
        else:  # a style file changed (or another was put before it): read it again
            with contextlib.suppress(OSError):
                (cache_dir().parent / STYLE_KEYS / entry).unlink()
    return style_key(load([]))  # the cache changed under this run twice: read, unkept


def _kept_style(data: bytes) -> dict[str, Any] | None:
    """A kept style key as ``kept_style_key`` stores it; None if it is not of that shape."""
    try:
        kept = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not (_shaped(kept, {"trace": list, "digest": str, "families": list})
            and all(type(f) is str for f in kept["families"])):  # fmt: skip
        return None
    for step in kept["trace"]:
        if not (type(step) is list and len(step) == 3 and type(step[1]) is str
                and ((step[0] == "file" and type(step[2]) is bool)
                     or (step[0] == "read" and type(step[2]) is str))):  # fmt: skip
            return None
    return kept


def _still(step: list[Any]) -> bool:
    """Whether a step of a style's trace answers as it did."""
    kind, path, answer = step
    if kind == "file":
        return os.path.isfile(path) == answer
    try:
        return _digest(read_regular(path, MAX_STYLE_FILE)) == answer
    except OSError:
        return False


def format_digest(fmt: str, style: StyleKey, options: ExportOptions) -> str:
    """The fingerprint of what every edition of one format shares: the toolkit, the format
    (``format_fingerprint``), its resolved style, the fonts the style may use and the
    options."""
    parts = [toolkit_digest(), format_fingerprint(fmt), style.digest, repr(options),
             _fonts_digest(style.families)]  # fmt: skip
    return _digest("\n".join(parts).encode())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cache_dir() -> Path:
    return cache_dir().parent / "builds"


MANIFEST_SUFFIX = ".record"  # one file per output folder; an older shape had ".manifest"
_EARLIER = (".manifest", ".json")  # records of earlier versions, removed when one is saved


@dataclass
class Manifest:
    """The editions written to one output folder, by article: each article's fingerprint
    (see ``folder_digest``) and, for each of its editions, the fingerprint of its inputs,
    its file's name, size and time."""

    path: Path
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def of(cls, out_dir: Path) -> Manifest:
        """The manifest of ``out_dir``: empty if there is none, or it cannot be read, or it
        is damaged (it does not match the digest it is stored with, or its entries are not
        as ``save`` writes them: then it is discarded, with a warning)."""
        key = _digest(str(out_dir.resolve()).encode())[:24]
        manifest = cls(_cache_dir() / f"{key}{MANIFEST_SUFFIX}")
        try:
            stored = read_regular(manifest.path, MAX_CACHE_ENTRY)
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            return manifest
        except OSError:
            stored = b""
        parsed = _parse_manifest(stored)
        if parsed is None:
            discard(manifest.path, "build record")
        else:
            manifest.articles = parsed
        return manifest

    def article_digest(self, source: str) -> str:
        """``folder_digest`` of ``source`` (an absolute path), its files read only if they
        changed."""
        entry = self.articles.setdefault(source, {})  # its fingerprint is kept beside its editions
        before = (entry.get("stat"), entry.get("digest"), entry.get("listing"))
        digest = folder_digest(source, entry)
        self.changed = self.changed or (
            (entry.get("stat"), entry.get("digest"), entry.get("listing")) != before)
        return digest

    @contextlib.contextmanager
    def looking_in(self, out_dir: Path) -> Iterator[int | None]:
        """The output folder, open for ``stale`` to look editions up by name in it (an
        archive has thousands of files to look at); None when it cannot be opened."""
        try:
            folder = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
                             | getattr(os, "O_CLOEXEC", 0))  # fmt: skip
        except OSError:
            yield None
            return
        try:
            yield folder
        finally:
            os.close(folder)

    def stale(
        self, source: str, article: str, shared: dict[str, str], folder: int | None
    ) -> list[tuple[str, str]]:
        """The editions of ``source`` (by format) that have to be made, each with the
        fingerprint of its inputs: its format's ``shared`` digest (``format_digest``) and
        its ``article``'s (``folder_digest``) side by side, 128 bits of each (an archive
        has thousands of editions to look up, and both are digests already). All but those
        written from the same fingerprint and still in the output ``folder`` as they were
        written are to be made; all of them when there is no ``article`` digest (it could
        not be read: nothing is known)."""
        editions = self.articles.get(source, {}).get("editions", {})
        made = []
        ours = article[:32]
        for fmt, common in shared.items():
            inputs = common[:32] + ours if article else ""
            entry = editions.get(fmt)
            if entry and inputs and entry[0] == inputs and folder is not None:
                try:  # still as it was written?
                    info = os.stat(entry[1], dir_fd=folder)
                except OSError:
                    pass
                else:
                    if info.st_size == entry[2] and info.st_mtime_ns == entry[3]:
                        continue
            made.append((fmt, inputs))
        return made

    def record(self, source: str, fmt: str, digest: str, target: Path) -> None:
        stat = target.stat()
        editions = self.articles.setdefault(source, {}).setdefault("editions", {})
        editions[fmt] = [digest, target.name, stat.st_size, stat.st_mtime_ns]
        self.changed = True

    def save(self) -> None:
        """Write the manifest atomically; a cache that cannot be written only costs the
        next run its shortcut."""
        if not self.changed:
            return
        text = json.dumps({"articles": self.articles}, separators=(",", ":"), sort_keys=True)
        if write_cache(self.path, sealed(text.encode("utf-8"))):
            for suffix in _EARLIER:
                with contextlib.suppress(OSError):
                    self.path.with_suffix(suffix).unlink()
        self.changed = False


def _parse_manifest(stored: bytes) -> dict[str, dict[str, Any]] | None:
    """The articles of a manifest as ``save`` stores it; None if it does not match its
    digest or is not of that shape."""
    text = unsealed(stored)
    if text is None:
        return None
    try:
        data = json.loads(text.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or set(data) != {"articles"}:
        return None
    articles = data["articles"]
    if not isinstance(articles, dict) or not all(map(_article_entry, articles.values())):
        return None
    return articles


# an article's fingerprint: none (it could not be read), or its files' and their digest,
# with the listing of its folders (see ``folder_digest``; records of earlier versions have none)
_FINGERPRINTS = (
    {"editions"}, {"editions", "stat", "digest"}, {"editions", "stat", "digest", "listing"}
)


def _article_entry(entry: object) -> bool:
    """Whether ``entry`` is an article's as ``save`` writes it: its fingerprint (strings;
    see ``_FINGERPRINTS``) and its editions, each ``[inputs, file, size, mtime_ns]`` (an
    archive has thousands, each looked at in every run)."""
    if type(entry) is not dict or (entry.keys() | {"editions"}) not in _FINGERPRINTS:
        return False
    editions = entry.get("editions", {})
    if type(editions) is not dict:
        return False
    for key, value in entry.items():
        if key != "editions" and type(value) is not str:
            return False
    for edition in editions.values():
        if type(edition) is not list or len(edition) != 4:
            return False
        inputs, name, size, mtime = edition
        if not (type(inputs) is str and type(name) is str and type(size) is int
                and type(mtime) is int and size >= 0 and _plain_name(name)):  # fmt: skip
            return False
    return True


def _shaped(value: object, fields: dict[str, type]) -> bool:
    """Whether ``value`` is a dict of exactly ``fields``, each of its type (a bool is not
    an int here)."""
    return (isinstance(value, dict) and set(value) == set(fields)
            and all(type(value[k]) is t for k, t in fields.items()))  # fmt: skip


def _plain_name(name: str) -> bool:
    """Whether ``name`` names a file in the output folder itself."""
    return (bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name
            and "\0" not in name)  # fmt: skip
