"""A style file as written: the schema of what it may say (its sections, their keys, the
roles and their properties), the line each key is set on, and the problems found, each at
its ``file:line`` with the closest known name.

``exporter.style`` reads, merges and resolves styles; this module knows only TOML's shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from exporter.errors import StyleError

PAGE_KEYS = (
    "size", "margin-top", "margin-bottom", "margin-left", "margin-right", "measure", "columns",
    "column-gap", "header-from-page", "max-pages", "min-body-size",
)  # fmt: skip
ROLE_KEYS = (
    "parent", "font", "size", "leading", "color", "bold", "italic", "uppercase", "align",
    "hyphenate", "space-before", "space-after", "first-indent", "left-indent",
    "keep-with-next", "background", "border-color", "border-width", "padding",
)  # fmt: skip
# every role the editions set text or draw in; a style (with what it extends) defines them all
ROLES = (
    "body", "summary", "title", "subtitle", "byline", "affiliation", "meta", "heading-1",
    "heading-2", "heading-3", "heading-4", "callout", "callout-label", "caption", "credit", "note",
    "poll-question", "poll", "poll-header", "poll-bar", "table", "table-header", "quote", "code",
    "bibliography",
    "header", "footer", "link", "thematic-break", "table-rule", "table-head-rule", "note-rule",
)  # fmt: skip
ANY = None  # a table whose keys are names the style gives (fonts, colours)
# the schema: each top-level key → None (a plain value), ANY, or the keys its table may hold
SECTIONS: dict[str, tuple[str, ...] | None] = {
    "name": None, "extends": None, "page": PAGE_KEYS, "captions": ("numbered",),
    "links": ("notes",), "colophon": ("place",), "archive": ("pdfa",),
    "publisher": ("depositor", "email", "registrant", "files"),
    "fonts": ANY, "fallback": ANY, "colors": ANY, "roles": ROLES,
}  # fmt: skip
_TABLES = {"page", "captions", "links", "colophon", "archive", "publisher", "fonts", "fallback",
           "colors", "roles"}

Lines = dict[tuple[str, ...], int]  # a key's path → the line it (or its table's header) is on
Places = dict[tuple[str, ...], tuple[str, int]]  # a key's path → the file and line it is set on


@dataclass(frozen=True)
class StyleProblem:
    """One thing wrong with a style, at the line of the file that sets it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else (
            f"{self.path}: {self.message}")  # fmt: skip


class StyleRangeError(StyleError):
    """What is wrong with a style (unknown names, values out of their ranges): one
    ``file:line: message`` line each."""

    def __init__(self, problems: list[StyleProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


def schema_problems(data: dict[str, Any], lines: Lines, path: str) -> list[StyleProblem]:
    """Every section, key, role and role property of one style file (``data`` as parsed,
    ``lines`` from :func:`key_lines`) that the schema does not know, or a section that is
    not a table, each at its line with the closest known name."""
    problems: list[StyleProblem] = []

    def add(keys: tuple[str, ...], message: str) -> None:
        problems.append(StyleProblem(path, line_of(keys, lines), message))

    for key, value in data.items():
        if key not in SECTIONS:
            what = f"[{key}]" if isinstance(value, dict) else f"{key} = {_shown(value)}"
            add((key,), f"{what} is not a section of a style{_hint(key, SECTIONS, '[', ']')}")
        elif key in _TABLES and not isinstance(value, dict):
            add((key,), f"{key} = {_shown(value)} is not a table: write [{key}] and its "
                "settings on the lines under it")  # fmt: skip
        elif key == "roles":
            for role, props in value.items():
                _check_role(role, props, add)
        elif SECTIONS[key] is not None:
            known = SECTIONS[key] or ()
            for inner, setting in value.items():
                if inner not in known:
                    add((key, inner), f"[{key}] {inner} = {_shown(setting)} is not a {key} "
                        f"setting{_hint(inner, known)}")  # fmt: skip
    return sorted(problems, key=lambda p: p.line)


def _check_role(role: str, props: Any, add: Any) -> None:
    if role not in ROLES:
        add(("roles", role), f"[roles.{role}] is not a role{_hint(role, ROLES)}")
    elif not isinstance(props, dict):
        add(("roles", role), f"[roles] {role} = {_shown(props)} is not a table of role "
            "properties")  # fmt: skip
    else:
        for key, value in props.items():
            if key not in ROLE_KEYS:
                add(("roles", role, key), f"[roles.{role}] {key} = {_shown(value)} is not a "
                    f"role property{_hint(key, ROLE_KEYS)}")  # fmt: skip


def _hint(name: str, known: Any, before: str = "", after: str = "") -> str:
    """``: did you mean …?`` with the closest known name, else the list of known ones."""
    import difflib  # only for a style with a mistake in it

    names = list(known)
    close = difflib.get_close_matches(name, names, n=1)
    if close:
        return f": did you mean {before}{close[0]}{after}?"
    return f" (those are: {', '.join(names)})"


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def line_of(keys: tuple[str, ...], lines: Lines) -> int:
    """The line ``keys`` is set on, else that of the nearest table holding it (0: none)."""
    return next((lines[keys[:n]] for n in range(len(keys), 0, -1) if keys[:n] in lines), 0)


# Where keys are set: tomllib gives no positions, so a style's text is scanned for them.

_TOML_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_TABLE_LINE = re.compile(rf"^\s*\[\s*({_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*)\s*\]")
_KEY_LINE = re.compile(rf"^\s*({_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*)\s*=")
_KEY_PART = re.compile(_TOML_KEY)


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(p[1:-1] if p[0] in "\"'" else p for p in _KEY_PART.findall(dotted))


def key_lines(text: str) -> Lines:
    """The 1-based line each key of a TOML text is set on (a table: its header's); lines
    inside multi-line strings and arrays are passed over."""
    lines: Lines = {}
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


def places(data: dict[str, Any], lines: Lines, path: str) -> Places:
    """Each value of ``data`` (a key's path) → ``path`` and the line it is set on (that of
    the inline table or table holding it where the key itself was not found)."""
    out: Places = {}

    def walk(node: dict[str, Any], keys: tuple[str, ...]) -> None:
        for key, value in node.items():
            here = (*keys, key)
            if isinstance(value, dict):
                walk(value, here)
                continue
            out[here] = (path, line_of(here, lines))

    walk(data, ())
    return out
