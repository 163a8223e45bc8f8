"""Font files for the style's families (from the fontpkg packages) and their character coverage."""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
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
    """The installed files of a family such as "PT Serif"."""
    import fontpkg

    try:
        paths = {face: fontpkg.path(name, w, s) for face, (w, s) in _FACE_QUERY.items()}
    except fontpkg.FontpkgError as exc:
        raise StyleError(f"font family {name!r} is not installed: {exc}") from None
    return FontFamily(name=name, **paths)


def cache_dir() -> Path:
    """Where instantiated fonts are kept between runs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "exporter" / "fonts"


@cache
def _static(path: Path, weight: int, style: str) -> Path:
    """``path`` itself for a static font; for a variable one, its instance at ``weight``
    (written once, atomically, to the cache)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        if "fvar" not in font:
            return path
        axes = {a.axisTag: a for a in font["fvar"].axes}
    if "wght" not in axes or axes["wght"].defaultValue == weight:
        return path  # its default instance is this face: the outlines are used as they are
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    target = cache_dir() / f"{path.stem.split('[')[0]}-{weight}-{digest}.ttf"
    if target.exists():
        return target
    from fontTools.varLib import instancer

    location = {tag: (weight if tag == "wght" else axis.defaultValue)
                for tag, axis in axes.items()}  # fmt: skip
    font = instancer.instantiateVariableFont(TTFont(path), location)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = target.parent
    except OSError:  # no writable cache: keep the instance for this run only
        folder = Path(tempfile.mkdtemp(prefix="exporter-fonts-"))
        target = folder / target.name
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as tmp:
        font.save(tmp)
    os.replace(tmp.name, target)
    return target


@cache
def coverage(path: Path) -> frozenset[int]:
    """Code points a font file can draw."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


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
