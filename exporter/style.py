"""The shared style layer: ``styles/*.toml`` resolved (inheritance, units) into a typed sheet.

Adapters in each format turn this sheet into Word styles, reportlab styles or CSS;
this module knows none of them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sysconfig
import tomllib
import urllib.parse
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from exporter.errors import StyleError
from exporter.stylefile import (
    ROLES,
    Places,
    StyleProblem,
    StyleRangeError,
    key_lines,
    schema_problems,
)
from exporter.stylefile import places as _places

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
    measure: Length = Length(0)  # the widest the text block is set (0: margin to margin);
    # what is left goes to the right (outer) margin
    measure_chars: int = 0  # or the measure in characters of the body (see measure.measured)


    def with_paper(self, paper: str | None) -> PageStyle:
        """The same page on another paper size (``a4`` or ``letter``)."""
        if paper is None:
            return self
        width, height = _paper(paper, "--paper")
        return replace(self, size=paper, width=Length(width), height=Length(height))

    @property
    def text_width(self) -> Length:
        """The width of the text block, all columns with their gaps: from margin to margin,
        but no wider than the measure where the style sets one."""
        between = self.width.pt - self.margin_left.pt - self.margin_right.pt
        return Length(min(between, self.measure.pt) if self.measure.pt > 0 else between)

    @property
    def outer_margin(self) -> Length:
        """The right margin as set: the style's, widened by what the measure leaves."""
        return Length(self.width.pt - self.margin_left.pt - self.text_width.pt)

    @property
    def column_width(self) -> Length:
        """The width of one of the page's text columns (``column_gap`` between each two)."""
        count = max(1, self.columns)
        return Length((self.text_width.pt - self.column_gap.pt * (count - 1)) / count)

    @property
    def landscape_text_width(self) -> Length:
        """The text width of the page turned on its side (a landscape page for a wide table)."""
        return Length(self.height.pt - self.margin_left.pt - self.margin_right.pt)


@dataclass(frozen=True)
class PublisherSettings:
    """The house's settings that are not about looks (``[publisher]``): who deposits its
    DOIs with Crossref, and where its editions are published ("" where not set)."""

    depositor: str = ""  # the name Crossref knows the depositor by
    email: str = ""  # where Crossref sends the deposit's report
    registrant: str = ""  # the organisation that owns the DOIs (the publisher when "")
    files: str = ""  # the web address dist/ is published at: the PDFs' addresses are found there

    def file_url(self, filename: str) -> str:
        """The address ``filename`` (a file of dist/) is published at ("" when unknown)."""
        if not self.files:
            return ""
        return self.files.rstrip("/") + "/" + urllib.parse.quote(filename)


@dataclass(frozen=True)
class StyleSheet:
    name: str
    page: PageStyle
    families: dict[str, str]
    colors: dict[str, Color]
    roles: dict[str, RoleStyle]
    numbered_captions: bool = True  # "Table 1." and "Figure 1." before captions
    link_notes: str = "end"  # on paper, links' addresses: a section at the "end", or "foot"
    colophon: str = "end"  # on paper, licence, credits and citation: at the "end" or "title-verso"
    pdfa: bool = True  # both PDFs are archival (PDF/A-2) as well as tagged (PDF/UA-1)
    publisher: PublisherSettings = field(default_factory=PublisherSettings)
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


# roles that draw a rule: their border colour and width are required
RULE_ROLES = ("header", "thematic-break", "table-rule", "table-head-rule", "note-rule")
# colours the editions draw with besides the roles' own: rules, panels, bars, links
REQUIRED_COLORS = ("text", "muted", "accent", "rule", "panel", "bar", "bar-track", "link")
_ALIGNS = {"left", "right", "center", "justify"}
REQUIRED_ROLES = ROLES  # every role the schema knows is required


Trace = list[list[Any]]  # what loading a style looked at: see ``load_style``


def find_style(name_or_path: str, trace: Trace | None = None) -> Path:
    """The style file for a name in ``styles/`` or a path to a ``.toml`` file."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or "/" in name_or_path:
        if not _is_file(candidate, trace):
            raise StyleError(f"{name_or_path}: no such style file")
        return candidate
    for folder in STYLE_DIRS:
        path = folder / f"{name_or_path}.toml"
        if _is_file(path, trace):
            return path
    known = ", ".join(sorted({p.stem for folder in STYLE_DIRS for p in folder.glob("*.toml")}))
    raise StyleError(f"unknown style {name_or_path!r} (available: {known or 'none'})")


def _is_file(path: Path, trace: Trace | None) -> bool:
    found = path.is_file()
    if trace is not None:
        trace.append(["file", os.path.abspath(path), found])
    return found


def load_style(name_or_path: str = "default", trace: Trace | None = None) -> StyleSheet:
    """Read, merge (``extends``) and resolve a style into a typed sheet, every number of it
    checked against its range (see ``check_ranges``). What it looked at is added to
    ``trace``, in order: ``["file", path, found]`` for each place a style file was looked
    for, ``["read", path, sha256]`` for each file read (paths made absolute); the same
    answers there give the same sheet."""
    path = find_style(name_or_path, trace)
    raw, places = _read_merged(path, (), trace)
    sheet = _resolve(raw, str(path), places)
    from exporter.styleranges import check_ranges  # it reads the typed sheet made here

    problems = check_ranges(raw, sheet, places, str(path))
    if problems:
        raise StyleRangeError(problems)
    return sheet


def _read_merged(
    path: Path, seen: tuple[Path, ...], trace: Trace | None = None
) -> tuple[dict[str, Any], Places]:
    """The style at ``path`` merged onto the ones it extends, and where each of its keys
    was set (the file that set it last)."""
    if path.resolve() in seen:
        raise StyleError(f"{path}: style inherits from itself")
    try:
        data = path.read_bytes()
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text
        parsed = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise StyleError(f"{path}: cannot read style: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise StyleError(f"{path}: {exc}") from None
    if trace is not None:
        trace.append(["read", os.path.abspath(path), hashlib.sha256(data).hexdigest()])
    lines = key_lines(text)
    problems = schema_problems(parsed, lines, str(path))
    if problems:
        raise StyleRangeError(problems)
    places = _places(parsed, lines, str(path))
    parent = parsed.pop("extends", None)
    if parent is None:
        return parsed, places
    parent_path = find_style(parent, trace) if "/" not in parent else path.parent / parent
    base, inherited = _read_merged(parent_path, (*seen, path.resolve()), trace)
    return _deep_merge(base, parsed), {**inherited, **places}


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
    numbered = _flag(raw, "captions", "numbered", where)
    pdfa = _flag(raw, "archive", "pdfa", where)
    link_notes = _choice(raw, "links", "notes", LINK_NOTE_PLACES, where)
    publisher = _publisher(raw.get("publisher", {}), where)
    colophon = _choice(raw, "colophon", "place", COLOPHON_PLACES, where)
    fallbacks: dict[str, tuple[str, ...]] = {}
    for key, chain in raw.get("fallback", {}).items():
        chain = [chain] if isinstance(chain, str) else chain
        if key not in families or not chain or not all(isinstance(f, str) for f in chain):
            raise StyleError(f"{where}: fallback.{key}: name a font of [fonts] "
                             f"({', '.join(families)}) and the families that back it up")
        fallbacks[families[key]] = tuple(chain)
    name = str(raw.get("name", Path(where).stem))
    return StyleSheet(name, page, families, colors, roles, numbered_captions=numbered,
                      link_notes=link_notes, colophon=colophon, pdfa=pdfa,
                      publisher=publisher, fallbacks=fallbacks)  # fmt: skip


def _flag(raw: dict[str, Any], section: str, key: str, where: str) -> bool:
    """``[section] key``: true or false (true when the style does not say)."""
    value = raw.get(section, {}).get(key, True)
    if not isinstance(value, bool):
        raise StyleError(f"{where}: {section}.{key}: true or false")
    return value


_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]+")


def _publisher(raw: dict[str, Any], where: str) -> PublisherSettings:
    """``[publisher]``: texts of Crossref's lengths, an e-mail address, an http(s) address."""
    values: dict[str, str] = {}
    for key, longest in (("depositor", 130), ("email", 200), ("registrant", 255),
                         ("files", 2000)):  # fmt: skip
        value = raw.get(key, "")
        if not isinstance(value, str) or len(value.strip()) > longest:
            raise StyleError(f"{where}: publisher.{key}: a text of at most {longest} characters")
        values[key] = " ".join(value.split())
    if values["email"] and not _EMAIL.fullmatch(values["email"]):
        raise StyleError(f"{where}: publisher.email: {values['email']!r} is not an e-mail address")
    parsed = urllib.parse.urlsplit(values["files"])
    if values["files"] and (parsed.scheme not in ("http", "https") or not parsed.netloc):
        raise StyleError(f"{where}: publisher.files: {values['files']!r} is not an http(s) "
                         "address (the folder the editions are published in)")  # fmt: skip
    return PublisherSettings(**values)


LINK_NOTE_PLACES = ("end", "foot")  # [links] notes
COLOPHON_PLACES = ("end", "title-verso")  # [colophon] place


def _choice(raw: dict[str, Any], section: str, key: str, choices: tuple[str, ...],
            where: str) -> str:  # fmt: skip
    """``[section] key``: one of ``choices`` (the first when the style does not say)."""
    value = raw.get(section, {}).get(key, choices[0])
    if value not in choices:
        shown = " or ".join(f'"{c}"' for c in choices)
        raise StyleError(f"{where}: {section}.{key}: {shown}, not {json.dumps(value)}")
    return str(value)


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
        measure=Length(0) if _is_count(raw.get("measure")) else length("measure", "0pt"),
        measure_chars=raw["measure"] if _is_count(raw.get("measure")) else 0,
    )


def _is_count(value: Any) -> bool:
    """Whether a style value is a whole number (TOML's integer, not a flag)."""
    return isinstance(value, int) and not isinstance(value, bool)


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
