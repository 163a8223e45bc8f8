"""Font files for the style's families (from the fontpkg packages) and their character coverage."""

from __future__ import annotations

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


@cache
def font_family(name: str) -> FontFamily:
    """The installed files of a family such as "PT Serif"."""
    import fontpkg

    try:
        paths = {face: fontpkg.path(name, w, s) for face, (w, s) in _FACE_QUERY.items()}
    except fontpkg.FontpkgError as exc:
        raise StyleError(f"font family {name!r} is not installed: {exc}") from None
    return FontFamily(name=name, **paths)


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


def missing_glyphs(path: str, text: str, families: tuple[str, ...]) -> list[Problem]:
    """Every character of an article source that some face of ``families`` cannot draw.

    Comment lines of the front matter are skipped: they never reach an edition.
    """
    covered = family_coverage(families)
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
                problems.append(_not_drawable(path, number, column, char, "fonts", families))
    return problems


def missing_code_glyphs(
    path: str, text: str, code: list[tuple[int, str]], families: tuple[str, ...]
) -> list[Problem]:
    """Characters of code (``(source line, code text)`` pairs) that the code font cannot
    draw, each reported where it first stands in the source at or after its line."""
    covered = family_coverage(families)
    lines = text.split("\n")
    problems: list[Problem] = []
    seen: set[str] = set()
    for line, snippet in code:
        for char in sorted(set(snippet) - seen):
            if ord(char) <= 0x7E or ord(char) in covered or char.isspace():
                continue
            seen.add(char)
            number, column = _first(lines, char, max(line, 1))
            problems.append(_not_drawable(path, number, column, char, "code font", families))
    return problems


def _not_drawable(
    path: str, line: int, column: int, char: str, what: str, families: tuple[str, ...]
) -> Problem:
    name = unicodedata.name(char, "unnamed character")
    return Problem(path, line, column, f"U+{ord(char):04X} {name} ({char}) is not in the "
                   f"{what} {' / '.join(families)}; replace it or choose other fonts")  # fmt: skip


def _first(lines: list[str], char: str, start: int) -> tuple[int, int]:
    for number in (*range(start, len(lines) + 1), *range(1, start)):
        column = lines[number - 1].find(char)
        if column >= 0:
            return number, column + 1
    return start, 1
