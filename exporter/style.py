"""The shared style layer: ``styles/*.toml`` resolved (inheritance, units) into a typed sheet.

Adapters in each format turn this sheet into Word styles, reportlab styles or CSS;
this module knows none of them.
"""

from __future__ import annotations

import json
import re
import sysconfig
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from exporter.errors import StyleError

# Named styles: the project folder's own styles/ first, then the built-in ones: beside the
# package in a checkout, under the installation's share/ folder once installed.
STYLE_DIRS = (
    Path("styles"),
    Path(__file__).resolve().parent.parent / "styles",
    Path(sysconfig.get_path("data")) / "share" / "exporter" / "styles",
)

_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "px": 0.75}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in|px)?\s*$")
_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
PAPER_SIZES = {"a4": (595.2756, 841.8898), "letter": (612.0, 792.0)}


@dataclass(frozen=True)
class Length:
    """A length in points; converted to other units only by adapters."""

    pt: float


@dataclass(frozen=True)
class Color:
    r: int
    g: int
    b: int

    @property
    def hex(self) -> str:
        return f"#{self.r:02x}{self.g:02x}{self.b:02x}"

    @property
    def rgb_float(self) -> tuple[float, float, float]:
        return (self.r / 255, self.g / 255, self.b / 255)


@dataclass(frozen=True)
class RoleStyle:
    """The resolved look of one semantic role ("body", "title", "callout", ...)."""

    name: str
    family: str
    size: Length
    leading: Length
    color: Color
    bold: bool = False
    italic: bool = False
    uppercase: bool = False
    align: str = "left"
    hyphenate: bool = False
    space_before: Length = Length(0)
    space_after: Length = Length(0)
    first_indent: Length = Length(0)
    left_indent: Length = Length(0)
    keep_with_next: bool = False
    background: Color | None = None
    border_color: Color | None = None
    border_width: Length = Length(0)
    padding: Length = Length(0)


@dataclass(frozen=True)
class PageStyle:
    size: str
    width: Length
    height: Length
    margin_top: Length
    margin_bottom: Length
    margin_left: Length
    margin_right: Length
    columns: int
    column_gap: Length
    header_from_page: int
    max_pages: int = 0  # a page budget (0: none): the text is set smaller to keep within it
    min_body_size: Length = Length(0)  # ...but the body never below this size

    def with_paper(self, paper: str | None) -> PageStyle:
        """The same page on another paper size (``a4`` or ``letter``)."""
        if paper is None:
            return self
        width, height = _paper(paper, "--paper")
        return replace(self, size=paper, width=Length(width), height=Length(height))


@dataclass(frozen=True)
class StyleSheet:
    name: str
    page: PageStyle
    families: dict[str, str]
    colors: dict[str, Color]
    roles: dict[str, RoleStyle]
    numbered_captions: bool = True  # "Table 1." and "Figure 1." before captions
    # family → the families, in order, that set the characters it lacks
    fallbacks: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def fallback(self, family: str) -> tuple[str, ...]:
        """The families that set the characters ``family`` lacks, first choice first."""
        return self.fallbacks.get(family, ())

    def color(self, name: str) -> Color:
        """A named colour of the ``[colors]`` table (the required ones are always there)."""
        try:
            return self.colors[name]
        except KeyError:
            raise StyleError(f"style {self.name!r} has no colour {name!r}") from None

    def role(self, name: str) -> RoleStyle:
        try:
            return self.roles[name]
        except KeyError:
            raise StyleError(f"style {self.name!r} has no role {name!r}") from None

    def with_paper(self, paper: str | None) -> StyleSheet:
        return replace(self, page=self.page.with_paper(paper))

    @property
    def font_families(self) -> tuple[str, ...]:
        """Every font family a role uses, in a stable order."""
        return tuple(sorted({r.family for r in self.roles.values()}))

    @property
    def text_families(self) -> tuple[str, ...]:
        """The families that set text other than code."""
        return tuple(sorted({r.family for r in self.roles.values() if r.name != "code"}))

    @property
    def code_families(self) -> tuple[str, ...]:
        return (self.role("code").family,)

    def families_with_fallbacks(self) -> tuple[str, ...]:
        """Every family the style may set text in: its own, then their fallbacks."""
        backups = [b for family in self.font_families for b in self.fallback(family)]
        return tuple(dict.fromkeys((*self.font_families, *backups)))


HEADING_ROLES = 4  # heading-1 … heading-4


def heading_rank(level: int) -> int:
    """The heading role (1 to 4) a heading of ``level`` is set in: deeper ones look like 4."""
    return min(max(level, 1), HEADING_ROLES)


_ROLE_KEYS = {
    "parent", "font", "size", "leading", "color", "bold", "italic", "uppercase", "align",
    "hyphenate", "space-before", "space-after", "first-indent", "left-indent",
    "keep-with-next", "background", "border-color", "border-width", "padding",
}  # fmt: skip
# roles that draw a rule: their border colour and width are required
RULE_ROLES = ("header", "thematic-break", "table-rule", "table-head-rule", "note-rule")
# colours the editions draw with besides the roles' own: rules, panels, bars, links
REQUIRED_COLORS = ("text", "muted", "accent", "rule", "panel", "bar", "bar-track", "link")
_ALIGNS = {"left", "right", "center", "justify"}
REQUIRED_ROLES = (
    "body", "summary", "title", "subtitle", "byline", "affiliation", "meta", "heading-1",
    "heading-2", "heading-3", "heading-4", "callout", "callout-label", "caption", "credit", "note",
    "poll-question", "poll", "poll-bar", "table-header", "quote", "code", "header", "footer",
    "link", "thematic-break", "table-rule", "table-head-rule", "note-rule",
)  # fmt: skip


def find_style(name_or_path: str) -> Path:
    """The style file for a name in ``styles/`` or a path to a ``.toml`` file."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or "/" in name_or_path:
        if not candidate.is_file():
            raise StyleError(f"{name_or_path}: no such style file")
        return candidate
    for folder in STYLE_DIRS:
        path = folder / f"{name_or_path}.toml"
        if path.is_file():
            return path
    known = ", ".join(sorted({p.stem for folder in STYLE_DIRS for p in folder.glob("*.toml")}))
    raise StyleError(f"unknown style {name_or_path!r} (available: {known or 'none'})")


def load_style(name_or_path: str = "default") -> StyleSheet:
    """Read, merge (``extends``) and resolve a style into a typed sheet, every number of it
    checked against its range (see ``check_ranges``)."""
    path = find_style(name_or_path)
    raw, places = _read_merged(path, seen=())
    sheet = _resolve(raw, str(path), places)
    problems = check_ranges(raw, sheet, places, str(path))
    if problems:
        raise StyleRangeError(problems)
    return sheet


Places = dict[tuple[str, ...], tuple[str, int]]  # a key's path → the file and line it is set on


def _read_merged(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], Places]:
    """The style at ``path`` merged onto the ones it extends, and where each of its keys
    was set (the file that set it last)."""
    if path.resolve() in seen:
        raise StyleError(f"{path}: style inherits from itself")
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise StyleError(f"{path}: cannot read style: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise StyleError(f"{path}: {exc}") from None
    places = _places(data, _key_lines(text), str(path))
    parent = data.pop("extends", None)
    if parent is None:
        return data, places
    parent_path = find_style(parent) if "/" not in parent else path.parent / parent
    base, inherited = _read_merged(parent_path, (*seen, path.resolve()))
    return _deep_merge(base, data), {**inherited, **places}


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolve(raw: dict[str, Any], where: str, places: Places | None = None) -> StyleSheet:
    colors = {k: parse_color(v, f"{where}: colors.{k}") for k, v in raw.get("colors", {}).items()}
    missing = [c for c in REQUIRED_COLORS if c not in colors]
    if missing:
        raise StyleError(f"{where}: missing colours: {', '.join(missing)}")
    families = dict(raw.get("fonts", {}))
    page = _resolve_page(raw.get("page", {}), where, places or {})
    roles_raw: dict[str, dict[str, Any]] = raw.get("roles", {})
    roles = {
        name: _resolve_role(name, roles_raw, colors, families, where, ()) for name in roles_raw
    }
    missing = [r for r in REQUIRED_ROLES if r not in roles]
    if missing:
        raise StyleError(f"{where}: missing roles: {', '.join(missing)}")
    for name in RULE_ROLES:
        if roles[name].border_color is None or not roles[name].border_width.pt:
            raise StyleError(f"{where}: roles.{name}: a rule needs border-color and border-width")
    numbered = raw.get("captions", {}).get("numbered", True)
    if not isinstance(numbered, bool):
        raise StyleError(f"{where}: captions.numbered: true or false")
    fallbacks: dict[str, tuple[str, ...]] = {}
    for key, chain in raw.get("fallback", {}).items():
        chain = [chain] if isinstance(chain, str) else chain
        if key not in families or not chain or not all(isinstance(f, str) for f in chain):
            raise StyleError(f"{where}: fallback.{key}: name a font of [fonts] "
                             f"({', '.join(families)}) and the families that back it up")
        fallbacks[families[key]] = tuple(chain)
    name = str(raw.get("name", Path(where).stem))
    return StyleSheet(name, page, families, colors, roles, numbered_captions=numbered,
                      fallbacks=fallbacks)  # fmt: skip


def _resolve_page(raw: dict[str, Any], where: str, places: Places) -> PageStyle:
    size = str(raw.get("size", "a4")).lower()
    width, height = _paper(size, f"{where}: page.size")

    def length(key: str, default: str) -> Length:
        return parse_length(raw.get(key, default), f"{where}: page.{key}")

    return PageStyle(
        size=size,
        width=Length(width),
        height=Length(height),
        margin_top=length("margin-top", "20mm"),
        margin_bottom=length("margin-bottom", "20mm"),
        margin_left=length("margin-left", "20mm"),
        margin_right=length("margin-right", "20mm"),
        columns=_whole(raw, "columns", 1, where, places),
        column_gap=length("column-gap", "8mm"),
        header_from_page=_whole(raw, "header-from-page", 2, where, places),
        max_pages=_whole(raw, "max-pages", 0, where, places),
        min_body_size=length("min-body-size", "0pt"),
    )


def _whole(raw: dict[str, Any], key: str, default: int, where: str, places: Places) -> int:
    """``[page] key``: a whole number (TOML's integer, not a float nor a flag)."""
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        path, line = places.get(("page", key), (where, 0))
        shown = json.dumps(value, ensure_ascii=False)
        raise StyleRangeError([StyleProblem(path, line, f"[page] {key} = {shown} is not a "
                                            "whole number")])  # fmt: skip
    return value


def _paper(size: str, where: str) -> tuple[float, float]:
    try:
        return PAPER_SIZES[size.lower()]
    except KeyError:
        raise StyleError(f"{where}: unknown paper {size!r} (use a4 or letter)") from None


def _resolve_role(
    name: str,
    roles: dict[str, dict[str, Any]],
    colors: dict[str, Color],
    families: dict[str, str],
    where: str,
    chain: tuple[str, ...],
) -> RoleStyle:
    if name in chain:
        raise StyleError(f"{where}: roles.{name}: parent chain loops ({' -> '.join(chain)})")
    raw = roles.get(name)
    if raw is None:
        raise StyleError(f"{where}: roles.{chain[-1]}: unknown parent role {name!r}")
    unknown = sorted(set(raw) - _ROLE_KEYS)
    if unknown:
        raise StyleError(f"{where}: roles.{name}: unknown key {unknown[0]!r}")
    merged: dict[str, Any] = {}
    if "parent" in raw:
        parent = _resolve_role(raw["parent"], roles, colors, families, where, (*chain, name))
        merged = {f.name: getattr(parent, f.name) for f in fields(RoleStyle)}
    here = f"{where}: roles.{name}"
    for key, value in raw.items():
        if key == "parent":
            continue
        attr = "family" if key == "font" else key.replace("-", "_")
        merged[attr] = _role_value(key, value, colors, families, f"{here}.{key}")
    merged["name"] = name
    for needed in ("family", "size", "leading", "color"):
        if needed not in merged:
            raise StyleError(f"{here}: needs {needed if needed != 'family' else 'font'}")
    return RoleStyle(**merged)


def _role_value(
    key: str, value: Any, colors: dict[str, Color], families: dict[str, str], where: str
) -> Any:
    if key == "font":
        if value not in families:
            raise StyleError(f"{where}: unknown font {value!r} (fonts: {', '.join(families)})")
        return families[value]
    if key in {"color", "background", "border-color"}:
        return colors[value] if value in colors else parse_color(value, where)
    if key in {"bold", "italic", "uppercase", "hyphenate", "keep-with-next"}:
        if not isinstance(value, bool):
            raise StyleError(f"{where}: expected true or false, got {value!r}")
        return value
    if key == "align":
        if value not in _ALIGNS:
            raise StyleError(f"{where}: {value!r} is not one of {', '.join(sorted(_ALIGNS))}")
        return value
    return parse_length(value, where)


def parse_length(value: Any, where: str) -> Length:
    """``"10.5pt"``, ``"22mm"``, ``"1in"`` or a bare number of points."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Length(float(value))
    match = _LENGTH.match(str(value))
    if not match:
        raise StyleError(f"{where}: {value!r} is not a length (e.g. 10pt, 20mm, 1in)")
    return Length(round(float(match.group(1)) * _UNITS[match.group(2) or "pt"], 4))


def parse_color(value: Any, where: str) -> Color:
    match = _HEX.match(str(value))
    if not match:
        raise StyleError(f"{where}: {value!r} is not a colour (#rrggbb or a colour name)")
    h = match.group(1)
    return Color(int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


# Where keys are set: tomllib gives no positions, so a style's text is scanned for them.

_TOML_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_TABLE_LINE = re.compile(rf"^\s*\[\s*({_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*)\s*\]")
_KEY_LINE = re.compile(rf"^\s*({_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*)\s*=")
_KEY_PART = re.compile(_TOML_KEY)


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(p[1:-1] if p[0] in "\"'" else p for p in _KEY_PART.findall(dotted))


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The 1-based line each key of a TOML text is set on (a table: its header's); lines
    inside multi-line strings and arrays are passed over."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    closing, depth = "", 0  # an open multi-line string's delimiter; brackets left open
    for number, line in enumerate(text.split("\n"), 1):
        if closing:
            end = line.find(closing)
            if end >= 0:
                depth, closing = _still_open(line[end + 3 :], depth)
            continue
        if depth:
            depth, closing = _still_open(line, depth)
            continue
        if match := _TABLE_LINE.match(line):
            table = _key_parts(match.group(1))
            lines.setdefault(table, number)
        elif match := _KEY_LINE.match(line):
            lines.setdefault((*table, *_key_parts(match.group(1))), number)
            depth, closing = _still_open(line[match.end() :], 0)
    return lines


def _still_open(text: str, depth: int) -> tuple[int, str]:
    """The brackets (``depth`` of them open before it) left open at the end of ``text``, and
    the delimiter of a multi-line string it leaves open."""
    i = 0
    while i < len(text):
        char = text[i]
        if char == "#":
            break
        if text.startswith(('"""', "'''"), i):
            end = text.find(text[i : i + 3], i + 3)
            if end < 0:
                return depth, text[i : i + 3]
            i = end + 3
            continue
        if char in "\"'":
            i += 1
            while i < len(text) and text[i] != char:
                i += 2 if char == '"' and text[i] == "\\" else 1
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        i += 1
    return max(depth, 0), ""


def _places(data: dict[str, Any], lines: dict[tuple[str, ...], int], path: str) -> Places:
    """Each value of ``data`` (a key's path) → ``path`` and the line it is set on (that of
    the inline table or table holding it where the key itself was not found)."""
    out: Places = {}

    def walk(node: dict[str, Any], keys: tuple[str, ...]) -> None:
        for key, value in node.items():
            here = (*keys, key)
            if isinstance(value, dict):
                walk(value, here)
                continue
            found = (lines[here[:n]] for n in range(len(here), 0, -1) if here[:n] in lines)
            out[here] = (path, next(found, 0))

    walk(data, ())
    return out


# Ranges: every number a style sets, checked before anything is rendered or written.

MM = 72 / 25.4
MIN_TEXT_MM = 50  # the text area must be at least this wide and tall on every paper
MIN_COLUMN_MM = 25  # and each column at least this wide
MAX_COLUMNS = 4
SIZE_PT = (1.0, 200.0)  # a type size
MIN_LEADING_SHARE = 0.8  # the leading at least this share of the size: lines never overprint
MAX_LEADING_PT = 400.0
MAX_SPACE_MM = MIN_TEXT_MM  # space before or after a block: it fits in any text area
MAX_INSET_SHARE = 0.5  # a role's indents, padding and border: at most half of a column
PAGE_KEYS = (
    "size", "margin-top", "margin-bottom", "margin-left", "margin-right", "columns",
    "column-gap", "header-from-page", "max-pages", "min-body-size",
)  # fmt: skip
_PAPER_NAMES = {"a4": "A4", "letter": "US Letter"}
_NOT_NEGATIVE = ("first-indent", "left-indent", "border-width", "padding")
_ROLE_LENGTHS = {"size", "leading", "space-before", "space-after", *_NOT_NEGATIVE}


@dataclass(frozen=True)
class StyleProblem:
    """One value of a style out of its range, at the line of the file that sets it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else (
            f"{self.path}: {self.message}")  # fmt: skip


class StyleRangeError(StyleError):
    """Values of a style out of their ranges: one ``file:line: message`` line each."""

    def __init__(self, problems: list[StyleProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class _Report:
    """The problems found, each reported at the key that sets the value."""

    def __init__(self, raw: dict[str, Any], places: Places, where: str) -> None:
        self.raw, self.places, self.where = raw, places, where
        self.problems: dict[tuple[str, int], StyleProblem] = {}

    def add(self, keys: tuple[str, ...], message: str) -> None:
        path, line = self.places.get(keys, (self.where, 0))
        node: Any = self.raw
        for key in keys:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        shown = "(its default)" if node == {} else json.dumps(node, ensure_ascii=False)
        text = f"[{'.'.join(keys[:-1])}] {keys[-1]} = {shown} {message}"
        self.problems.setdefault((path, line), StyleProblem(path, line, text))

    def blame(self, candidates: list[tuple[tuple[str, ...], float]], message: str) -> None:
        """Report ``message`` at the largest of the ``candidates`` (key, share) that the
        style itself sets, else that a style it extends sets (else at the first)."""
        written = [(self.places[keys][0] == self.where, share, keys)
                   for keys, share in candidates if keys in self.places]  # fmt: skip
        self.add(max(written)[2] if written else candidates[0][0], message)


def check_ranges(
    raw: dict[str, Any], sheet: StyleSheet, places: Places, where: str
) -> list[StyleProblem]:
    """Every value of a resolved style (``raw`` as merged, read from ``where``) that is out
    of its range, each at the line of the file that sets it: the page (margins that leave a
    text area on A4 and on US Letter, since ``--paper`` may set it on either; columns and
    their gap), and each role's sizes, spaces, indents, padding and border."""
    report = _Report(raw, places, where)
    page_fits = _check_page(report, raw.get("page", {}), sheet.page)
    _check_roles(report, raw.get("roles", {}), sheet, page_fits)
    return sorted(report.problems.values(), key=lambda p: (p.path, p.line))


def _check_page(report: _Report, raw: dict[str, Any], page: PageStyle) -> bool:
    """Check the page's values; whether its text area and columns are sound."""
    for key in raw:
        if key not in PAGE_KEYS:
            report.add(("page", key), f"is not a page setting (those are: {', '.join(PAGE_KEYS)})")
    lengths = {"margin-top": page.margin_top, "margin-bottom": page.margin_bottom,
               "margin-left": page.margin_left, "margin-right": page.margin_right,
               "column-gap": page.column_gap}  # fmt: skip
    sound = True
    for key, length in lengths.items():
        if length.pt < 0:
            report.add(("page", key), "is negative: a margin or gap is 0 or more")
            sound = False
    if not 1 <= page.columns <= MAX_COLUMNS:
        report.add(("page", "columns"), f"is not 1 to {MAX_COLUMNS} columns")
        sound = False
    if page.header_from_page < 1:
        report.add(("page", "header-from-page"),
                   "is not a page: the running head starts on page 1 or later")  # fmt: skip
    if page.max_pages < 0:
        report.add(("page", "max-pages"), "is negative: 0 (no page budget) or more pages")
    floor = page.min_body_size.pt
    if floor < 0 or floor > SIZE_PT[1]:
        sizes = f"{SIZE_PT[0]:g} to {SIZE_PT[1]:g} pt"
        report.add(("page", "min-body-size"), f"is not 0 (none) nor a type size of {sizes}")
    elif page.max_pages > 0 and floor < SIZE_PT[0]:
        report.blame([(("page", "min-body-size"), 1), (("page", "max-pages"), 0)],
                     f"leaves the body to be set as small as it takes to fit {page.max_pages} "
                     f"pages: a page budget needs a min-body-size of {SIZE_PT[0]:g} pt or "
                     "more")  # fmt: skip
    if not sound:
        return False
    return _check_text_area(report, page)


def _check_text_area(report: _Report, page: PageStyle) -> bool:
    """Whether the margins leave a text area at least ``MIN_TEXT_MM`` wide and tall, and
    the columns ``MIN_COLUMN_MM`` wide, on the narrowest and the shortest paper."""
    narrow = min(PAPER_SIZES, key=lambda p: PAPER_SIZES[p][0])
    short = min(PAPER_SIZES, key=lambda p: PAPER_SIZES[p][1])
    sound = True
    for paper, across, near, far in (
        (narrow, 0, "margin-left", "margin-right"),
        (short, 1, "margin-top", "margin-bottom"),
    ):
        whole = PAPER_SIZES[paper][across]
        first, second = (getattr(page, k.replace("-", "_")).pt for k in (near, far))
        text = whole - first - second
        if text < MIN_TEXT_MM * MM - 1e-6:
            extent = "wide" if across == 0 else "tall"
            report.blame([(("page", near), first), (("page", far), second)],
                         f"leaves no room for text on {_paper_name(paper, page)}: "
                         f"{whole / MM:.0f} mm {extent} less margins of {first / MM:.0f} and "
                         f"{second / MM:.0f} mm is {text / MM:.0f} mm, and the text needs at "
                         f"least {MIN_TEXT_MM} mm")  # fmt: skip
            sound = False
    if not sound:
        return False
    text = PAPER_SIZES[narrow][0] - page.margin_left.pt - page.margin_right.pt
    column = (text - page.column_gap.pt * (page.columns - 1)) / page.columns
    if column < MIN_COLUMN_MM * MM - 1e-6:
        too_many = text / page.columns < MIN_COLUMN_MM * MM  # even with no gap
        report.blame([(("page", "columns"), too_many), (("page", "column-gap"), not too_many)],
                     f"leaves columns {column / MM:.0f} mm wide on "
                     f"{_paper_name(narrow, page)}, less than the {MIN_COLUMN_MM} mm each "
                     "needs")  # fmt: skip
        return False
    return True


def _paper_name(paper: str, page: PageStyle) -> str:
    """``A4``, and how a style on other paper comes to be set on it."""
    name = _PAPER_NAMES[paper]
    return name if paper == page.size else f"{name} (with --paper {paper})"


def _check_roles(
    report: _Report, raw: dict[str, dict[str, Any]], sheet: StyleSheet, page_fits: bool
) -> None:
    """Each role's lengths as written, then each resolved role: its leading against its
    size, its indents, padding and border against the narrowest column."""
    unsound: set[str] = set()  # roles whose own values were reported
    for name, keys in raw.items():
        for key in keys.keys() & _ROLE_LENGTHS:
            message = _role_length_problem(key, parse_length(keys[key], key).pt)
            if message:
                report.add(("roles", name, key), message)
                unsound.add(name)
    for name, role in sheet.roles.items():
        setter = {key: _setter(raw, name, key) for key in ("size", "leading")}
        if name in unsound or name not in setter.values():
            continue  # reported, or the same as the role it inherits both from
        if role.size.pt < SIZE_PT[0] or role.leading.pt <= 0:
            continue  # an inherited value out of range: reported where it is set
        if role.leading.pt < MIN_LEADING_SHARE * role.size.pt - 1e-6:
            share = f"{MIN_LEADING_SHARE:g} × the size"
            own = [k for k in ("leading", "size") if setter[k] == name]  # one or both
            mine = [k for k in own
                    if report.places.get(("roles", name, k), ("", 0))[0] == report.where]
            if (mine or own)[0] == "leading":
                report.add(("roles", name, "leading"), f"is less than {share} "
                           f"({role.size.pt:g} pt): the lines would overprint")  # fmt: skip
            else:
                report.add(("roles", name, "size"), f"is too large for the leading "
                           f"({role.leading.pt:g} pt, from roles.{setter['leading']}): the "
                           f"leading must be at least {share}, or the lines overprint")  # fmt: skip
    if page_fits:
        _check_insets(report, raw, sheet)


def _role_length_problem(key: str, pt: float) -> str | None:
    """What is wrong with one length of a role (``pt`` points), if anything."""
    if key == "size" and not SIZE_PT[0] <= pt <= SIZE_PT[1]:
        return f"is not a type size of {SIZE_PT[0]:g} to {SIZE_PT[1]:g} pt"
    if key == "leading" and pt <= 0:
        return "is not more than 0 pt"
    if key == "leading" and pt > MAX_LEADING_PT:
        return f"is more than {MAX_LEADING_PT:g} pt"
    if key in ("space-before", "space-after") and pt < 0:
        return "is negative: a space is 0 or more"
    if key in ("space-before", "space-after") and pt > MAX_SPACE_MM * MM + 1e-6:
        return f"is more than {MAX_SPACE_MM} mm, the least text area a page keeps"
    if key in _NOT_NEGATIVE and pt < 0:
        return "is negative: an indent, padding or border is 0 or more"
    return None


def _check_insets(report: _Report, raw: dict[str, dict[str, Any]], sheet: StyleSheet) -> None:
    """A role's indents, padding (both sides) and border take at most ``MAX_INSET_SHARE``
    of the narrowest column the page may have."""
    page = sheet.page
    narrow = min(PAPER_SIZES, key=lambda p: PAPER_SIZES[p][0])
    text = PAPER_SIZES[narrow][0] - page.margin_left.pt - page.margin_right.pt
    column = (text - page.column_gap.pt * (page.columns - 1)) / page.columns
    for name, role in sheet.roles.items():
        shares = {"left-indent": role.left_indent.pt, "first-indent": max(role.first_indent.pt, 0),
                  "padding": 2 * role.padding.pt, "border-width": role.border_width.pt}  # fmt: skip
        if min(shares.values()) < 0:
            continue
        inset = sum(shares.values())
        if inset > MAX_INSET_SHARE * column + 1e-6:
            setters = [(("roles", setter, key), share) for key, share in shares.items()
                       if share and (setter := _setter(raw, name, key))]  # fmt: skip
            report.blame(setters, f"leaves too little of a column for the text of roles.{name}: "
                         f"its indents, padding and border take {inset / MM:.0f} mm of a "
                         f"{column / MM:.0f} mm column on {_paper_name(narrow, page)}, more than "
                         f"{MAX_INSET_SHARE:.0%} of it")  # fmt: skip


def _setter(raw: dict[str, dict[str, Any]], name: str, key: str) -> str | None:
    """The role, ``name`` or one it inherits from, that sets ``key`` (None: none does)."""
    seen: set[str] = set()
    while name in raw and name not in seen:
        if key in raw[name]:
            return name
        seen.add(name)
        name = raw[name].get("parent", "")
    return None
