"""Which editions are up to date: a fingerprint of everything an edition is made from, and a
manifest of the editions written with theirs, so only what changed is rebuilt.

An edition's inputs are its article's folder (the source and every figure in it, byte for
byte), the resolved style (after ``extends`` and ``--paper``), the font files it may use,
the options, the format, and the toolkit (its version, its own files, and the versions of
the libraries it renders with). The manifest lives in the user's cache folder, one per
output folder, never among the editions: an edition is skipped when the manifest records
the same fingerprint for it and the file is still there as written (same size and time).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from exporter import __version__
from exporter.fonts import cache_dir, font_family
from exporter.formats import ExportOptions
from exporter.style import StyleSheet

PACKAGE = Path(__file__).resolve().parent


@cache
def toolkit_digest() -> str:
    """The toolkit as it renders: its version, its own files (size and time: an edited
    checkout counts as a new version), and the version of every library it requires."""
    from importlib import metadata

    parts = [__version__]
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".toml", ".json") and "__pycache__" not in path.parts:
            stat = path.stat()
            parts.append(f"{path.relative_to(PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}")
    with contextlib.suppress(metadata.PackageNotFoundError):
        for requirement in metadata.requires("exporter") or ():
            if "extra ==" in requirement:
                continue
            name = requirement.split(";")[0].split("[")[0]
            for mark in "<>=!~ ":
                name = name.split(mark)[0]
            with contextlib.suppress(metadata.PackageNotFoundError):
                parts.append(f"{name}=={metadata.version(name)}")
    return _digest("\n".join(parts).encode())


def _article_files(source: Path) -> list[tuple[str, os.DirEntry]]:
    """The files an article's editions read, by path within its folder: its source and
    every other file in the folder (figures), but not another article's source nor hidden
    files (plain ``os.scandir``: an archive has thousands of folders to look at)."""
    root = os.path.dirname(source)
    found: list[tuple[str, os.DirEntry]] = []
    stack = [""]
    while stack:
        inner = stack.pop()
        with os.scandir(os.path.join(root, inner)) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            name = os.path.join(inner, entry.name) if inner else entry.name
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                stack.append(name)
            elif entry.path == str(source) or not entry.name.endswith(".md"):
                found.append((name, entry))
    return sorted(found, key=lambda item: item[0])


def folder_digest(source: Path, known: dict[str, object] | None = None) -> str:
    """The article as its editions read it: each of its files' path and bytes. ``known``
    (from the manifest) holds the digest last computed with the files' sizes and times:
    while those are the same, the files are not read again. It is updated in place."""
    files = _article_files(source)
    stats = []
    for name, entry in files:
        stat = entry.stat()
        stats.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    signature = "\n".join(stats)
    if known is not None and known.get("stat") == signature:
        return str(known["digest"])
    digest = hashlib.sha256()
    for name, entry in files:
        digest.update(name.encode() + b"\0")
        with open(entry.path, "rb") as handle:
            digest.update(handle.read())
        digest.update(b"\0")
    if known is not None:
        known.update(stat=signature, digest=digest.hexdigest())
    return digest.hexdigest()


@cache
def _fonts_digest(families: tuple[str, ...]) -> str:
    parts = []
    for family in families:
        for face, path in sorted(font_family(family).files.items()):
            stat = path.stat()
            parts.append(f"{family}:{face}:{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return _digest("\n".join(parts).encode())


def format_digest(fmt: str, style: StyleSheet, options: ExportOptions) -> str:
    """The fingerprint of what every edition of one format shares: the toolkit, the format,
    its resolved style, the fonts the style may use and the options."""
    parts = [toolkit_digest(), fmt, repr(style), repr(options),
             _fonts_digest(style.families_with_fallbacks())]  # fmt: skip
    return _digest("\n".join(parts).encode())


def edition_digest(article: str, shared: str) -> str:
    """The fingerprint of one edition's inputs: its article's (``folder_digest``) and its
    format's (``format_digest``)."""
    return _digest(f"{shared}\n{article}".encode())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cache_dir() -> Path:
    return cache_dir().parent / "builds"


@dataclass
class Manifest:
    """The editions written to one output folder, each with the fingerprint of its inputs."""

    path: Path
    entries: dict[str, dict[str, object]] = field(default_factory=dict)
    folders: dict[str, dict[str, object]] = field(default_factory=dict)  # see folder_digest
    changed: bool = False

    @classmethod
    def of(cls, out_dir: Path) -> Manifest:
        """The manifest of ``out_dir`` (empty if there is none or it cannot be read)."""
        key = _digest(str(out_dir.resolve()).encode())[:24]
        manifest = cls(_cache_dir() / f"{key}.json")
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(manifest.path.read_text("utf-8"))
            if isinstance(data, dict) and isinstance(data.get("editions"), dict):
                manifest.entries = data["editions"]
                manifest.folders = data.get("folders") or {}
        return manifest

    def article_digest(self, source: Path) -> str:
        """``folder_digest`` of ``source`` (a resolved path), its files read only if they
        changed."""
        known = self.folders.setdefault(str(source), {})
        before = dict(known)
        digest = folder_digest(source, known)
        self.changed = self.changed or known != before
        return digest

    def fresh(self, key: str, digest: str, out_dir: Path) -> bool:
        """Whether the edition ``key`` (source and format) was written from ``digest`` and
        is still in ``out_dir`` as it was written."""
        entry = self.entries.get(key)
        if not entry or entry.get("inputs") != digest:
            return False
        try:
            stat = os.stat(os.path.join(out_dir, str(entry["file"])))
        except OSError:
            return False
        return stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns")

    def record(self, key: str, digest: str, target: Path) -> None:
        stat = target.stat()
        self.entries[key] = {"inputs": digest, "file": target.name, "size": stat.st_size,
                             "mtime_ns": stat.st_mtime_ns}  # fmt: skip
        self.changed = True

    def save(self) -> None:
        """Write the manifest atomically; a cache that cannot be written only costs the
        next run its shortcut."""
        if not self.changed:
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"editions": self.entries, "folders": self.folders}, indent=0,
                              sort_keys=True)  # fmt: skip
            with tempfile.NamedTemporaryFile("w", dir=self.path.parent, suffix=".part",
                                             delete=False, encoding="utf-8") as tmp:  # fmt: skip
                tmp.write(text)
            os.replace(tmp.name, self.path)
        self.changed = False


def edition_key(source: Path, fmt: str) -> str:
    """The manifest's key for the ``fmt`` edition of ``source`` (a resolved path)."""
    return f"{source}::{fmt}"
