"""Which articles a run reads: found on disk, and chosen for a shard (``rendering`` loads and
checks those that have editions to make)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from exporter.errors import SourceError, UsageError

SOURCE_DIR = Path("source")
ARTICLE_FILE = "article.md"
MAX_SOURCE_BYTES = 4 * 1024 * 1024  # a larger source is refused when it is loaded


def find_sources(given: tuple[str, ...] | list[str]) -> list[Path]:
    """Article files named on the command line, or every ``source/*/article.md``."""
    if not given:
        found = _articles_in(SOURCE_DIR)
        if not found:
            raise UsageError(f"no articles found: expected {SOURCE_DIR}/<slug>/{ARTICLE_FILE}")
        return found
    paths: list[Path] = []
    for item in given:
        path = Path(item)
        if path.is_dir():
            inner = path / ARTICLE_FILE
            found = [inner] if inner.exists() else _articles_in(path)
            if not found:
                raise UsageError(f"{item}: no {ARTICLE_FILE} in this folder")
            paths.extend(found)
        elif path.exists():
            paths.append(path)
        else:
            raise UsageError(f"{item}: no such file or folder")
    return list(dict.fromkeys(paths))


def _articles_in(folder: Path) -> list[Path]:
    """``folder/*/article.md``, in the order of the folders' names (plain ``os.scandir``:
    an archive has thousands of folders to look at)."""
    try:
        with os.scandir(folder) as listing:
            names = sorted(entry.name for entry in listing if entry.is_dir())
    except OSError:
        return []
    base = os.fspath(folder)
    paths = (os.path.join(base, name, ARTICLE_FILE) for name in names)
    return [Path(path) for path in paths if os.path.exists(path)]


def select_shard(paths: list[Path], shard: tuple[int, int] | None) -> list[Path]:
    """The articles of shard ``K/N``: a stable share of them, chosen by a digest of each
    article's slug, so N machines given K = 1 … N build every article exactly once."""
    if shard is None:
        return paths
    part, parts = shard
    return [p for p in paths if _shard_of(_slug_of(p), parts) == part]


def _shard_of(slug: str, parts: int) -> int:
    return int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big") % parts + 1


def _slug_of(path: Path) -> str:
    """The slug in the front matter, read as the loader reads it (the same split, the same
    strict YAML) but without the body or the schema; the folder's name where there is none
    or the front matter cannot be read (the source layer will refuse it anyway)."""
    from exporter.source.frontmatter import split_front_matter
    from exporter.source.yamlsafe import YamlProblem, load_located

    try:
        with path.open("rb") as handle:
            text = handle.read(MAX_SOURCE_BYTES + 1).decode("utf-8", errors="replace")
        front, _body, _line = split_front_matter(text, str(path))
        data = load_located(front).data
    except (OSError, SourceError, YamlProblem):
        return path.parent.name
    slug = data.get("slug") if isinstance(data, dict) else None
    return slug if isinstance(slug, str) and slug else path.parent.name
