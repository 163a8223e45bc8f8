"""Which articles a run reads: found on disk, chosen for a shard, then loaded and checked
(fonts included) before anything is rendered or written."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exporter.errors import SourceError, UsageError

if TYPE_CHECKING:  # the source layer loads only when an article is to be read
    from exporter.source import LoadedSource
    from exporter.style import StyleSheet

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
    paths = (os.path.join(folder, name, ARTICLE_FILE) for name in names)
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


@dataclass(frozen=True)
class Faces:
    """The font families that will set an article: for its text, and for its code."""

    text: tuple[str, ...]
    code: tuple[str, ...] = ()
    fallbacks: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (family, the families backing it)

    @classmethod
    def of(cls, styles: list[StyleSheet]) -> Faces:
        text = {f for s in styles for f in s.text_families}
        code = {f for s in styles for f in s.code_families}
        backups = {(f, b) for s in styles for f, b in s.fallbacks.items()}
        return cls(tuple(sorted(text)), tuple(sorted(code)), tuple(sorted(backups)))


def load_checked(path: Path, faces: Faces) -> LoadedSource:
    """Load a source and refuse characters the style's fonts cannot draw."""
    from exporter.fonts import missing_code_glyphs, missing_glyphs
    from exporter.model import code_texts
    from exporter.source import load_source

    loaded = load_source(path)
    missing = missing_glyphs(loaded.path, loaded.text, faces.text, dict(faces.fallbacks))
    if faces.code:
        article = loaded.article
        notes = tuple(block for note in article.footnotes for block in note.blocks)
        code = [*code_texts(article.summary), *code_texts(article.body), *code_texts(notes)]
        missing += missing_code_glyphs(loaded.path, loaded.text, code, faces.code,
                                       dict(faces.fallbacks))  # fmt: skip
    if missing:
        raise SourceError(sorted(missing, key=lambda p: (p.line, p.column))[:50])
    return loaded


@dataclass(frozen=True)
class CheckedSource:
    """A source that passed every check: its slug, its warnings and, for a few articles,
    the article itself (an archive's articles are read again where they are rendered, so
    they never all sit in memory at once)."""

    path: Path
    shown: str
    slug: str
    warnings: tuple[object, ...]
    loaded: LoadedSource | None


def check_all(paths: list[Path], faces: Faces, keep: bool) -> list[CheckedSource]:
    """Load and check every source (``keep``: and hold on to them); the problems of all of
    them are raised together, and two sources with one slug are refused."""
    checked: list[CheckedSource] = []
    problems = []
    for path in paths:
        try:
            loaded = load_checked(path, faces)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        checked.append(CheckedSource(path, loaded.path, loaded.article.slug, loaded.warnings,
                                     loaded if keep else None))  # fmt: skip
    if problems:
        raise SourceError(problems)
    _check_unique_slugs(checked)
    return checked


def _check_unique_slugs(checked: list[CheckedSource]) -> None:
    seen: dict[str, str] = {}
    for source in checked:
        if source.slug in seen:
            raise UsageError(f"{source.shown}: slug {source.slug!r} is also used by "
                             f"{seen[source.slug]}")  # fmt: skip
        seen[source.slug] = source.shown
