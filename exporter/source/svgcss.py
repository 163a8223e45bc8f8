"""The CSS an SVG figure may carry (its ``style`` attributes, ``<style>`` sheets and the
presentation attributes that take CSS values), checked and rewritten by an allow-list.

A declaration of a property not in ``PROPERTIES``, or whose value calls a function not in
``FUNCTIONS`` (``image-set()``, ``expression()``, ``var()``…), is dropped quietly; an
at-rule other than ``@media`` is dropped quietly. ``@import`` and a ``url(…)`` that is not
``url(#id)`` (an element of the same figure) or a ``data:image/…`` picture raise
``CssRefused``, wherever they stand, dropped rule or not. ``url(#id)`` and ``#id`` selectors
are rewritten through the figure's id map."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PROPERTIES = _words("""
alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
color-interpolation-filters color-rendering direction display dominant-baseline
enable-background fill fill-opacity fill-rule filter flood-color flood-opacity font
font-family font-feature-settings font-kerning font-size font-size-adjust font-stretch
font-style font-variant font-variant-caps font-variant-ligatures font-variant-numeric
font-weight glyph-orientation-horizontal glyph-orientation-vertical image-rendering isolation
letter-spacing lighting-color line-height marker marker-end marker-mid marker-start mask
mask-type mix-blend-mode opacity overflow paint-order pointer-events shape-rendering
stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset stroke-linecap
stroke-linejoin stroke-miterlimit stroke-opacity stroke-width text-anchor text-decoration
text-rendering transform transform-box transform-origin unicode-bidi vector-effect
visibility white-space word-spacing writing-mode
""")
FUNCTIONS = _words("""
url rgb rgba hsl hsla hwb lab lch oklab oklch color color-mix icc-color device-cmyk calc min
max clamp matrix translate translatex translatey scale scalex scaley rotate skew skewx skewy
""")

UrlCheck = Callable[[str], str]  # a url(…)'s address → the address to write, or raises


class CssRefused(Exception):
    """CSS a figure must not carry; the message says what."""


def clean_value(value: str, check: UrlCheck) -> str | None:
    """A CSS value (of a presentation attribute or a declaration): the same, with its
    ``url(#id)`` rewritten; None when it calls a function not allowed."""
    import tinycss2

    tokens = tinycss2.parse_component_value_list(value, skip_comments=True)
    if not _allowed(tokens, check):
        return None
    return _serialize(tokens, check, {}).strip()


def clean_declarations(text: str, check: UrlCheck) -> str:
    """A ``style`` attribute's declarations, only the allowed ones kept."""
    import tinycss2

    parsed = tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True)
    return "; ".join(_declarations(parsed, check))


def clean_sheet(text: str, check: UrlCheck, ids: Mapping[str, str]) -> str:
    """A ``<style>`` sheet: its rules with their selectors' ``#id`` rewritten and only the
    allowed declarations; ``@media`` kept, other at-rules dropped."""
    import tinycss2

    return "\n".join(_rules(tinycss2.parse_stylesheet(text, True, True), check, ids))


def _rules(rules: Iterable[Any], check: UrlCheck, ids: Mapping[str, str]) -> list[str]:
    import tinycss2

    out = []
    for rule in rules:
        if rule.type == "at-rule":
            if rule.lower_at_keyword == "import":
                raise CssRefused("CSS @import (a figure needs nothing outside itself)")
            _allowed([*rule.prelude, *(rule.content or ())], check)  # refuses an outside url
            if rule.lower_at_keyword == "media" and rule.content is not None:
                inner = _rules(tinycss2.parse_rule_list(rule.content, True, True), check, ids)
                prelude = _serialize(rule.prelude, check, ids).strip()
                out.append(f"@media {prelude} {{\n" + "\n".join(inner) + "\n}")
        elif rule.type == "qualified-rule":
            _allowed(rule.prelude, check)
            body = tinycss2.parse_blocks_contents(rule.content, True, True)
            kept = "; ".join(_declarations(body, check))
            if kept:
                out.append(f"{_serialize(rule.prelude, check, ids).strip()} {{ {kept} }}")
    return out


def _declarations(parsed: Iterable[Any], check: UrlCheck) -> list[str]:
    out = []
    for item in parsed:
        if item.type == "at-rule" and item.lower_at_keyword == "import":
            raise CssRefused("CSS @import (a figure needs nothing outside itself)")
        if item.type == "qualified-rule":  # nested CSS: checked, then dropped
            _allowed([*item.prelude, *item.content], check)
        if item.type != "declaration":
            continue
        allowed = _allowed(item.value, check)
        if item.lower_name not in PROPERTIES or not allowed:
            continue
        value = _serialize(item.value, check, {}).strip()
        out.append(f"{item.lower_name}: {value}" + (" !important" if item.important else ""))
    return out


def _allowed(tokens: Iterable[Any], check: UrlCheck) -> bool:
    """Whether ``tokens`` call only allowed functions; raises for an outside url(…)."""
    ok = True
    for token in tokens:
        kind = token.type
        if kind == "url":
            check(token.value)
        elif kind == "function":
            if token.lower_name == "url":
                check(_url_argument(token))
            elif token.lower_name not in FUNCTIONS:
                ok = False
            ok = _allowed(token.arguments, check) and ok
        elif kind in ("() block", "[] block", "{} block"):
            ok = _allowed(token.content, check) and ok
        elif kind == "error":
            ok = False
    return ok


def _url_argument(token: Any) -> str:
    args = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
    if len(args) != 1 or args[0].type != "string":
        raise CssRefused("a url(…) that is not a plain address")
    return str(args[0].value)


def _serialize(tokens: Iterable[Any], check: UrlCheck, ids: Mapping[str, str]) -> str:
    """``tokens`` as CSS, with each url(…) as ``check`` gives it and, in a selector (when
    ``ids`` is given), each ``#id`` rewritten."""
    from tinycss2 import serialize_identifier

    parts = []
    for token in tokens:
        kind = token.type
        if kind == "url" or (kind == "function" and token.lower_name == "url"):
            address = token.value if kind == "url" else _url_argument(token)
            parts.append(f"url({_quoted(check(address))})")
        elif kind == "function":
            inner = _serialize(token.arguments, check, ids)
            parts.append(f"{serialize_identifier(token.name)}({inner})")
        elif kind in ("() block", "[] block", "{} block"):
            opening, closing = {"() block": "()", "[] block": "[]", "{} block": "{}"}[kind]
            parts.append(opening + _serialize(token.content, check, ids) + closing)
        elif kind == "hash" and token.is_identifier and token.value in ids:
            parts.append("#" + ids[token.value])
        else:
            parts.append(token.serialize())
    return "".join(parts)


def _quoted(address: str) -> str:
    """``address`` as written in url(…): bare when it can be, else a quoted string."""
    if re.fullmatch(r"[^\s\"'()\\]+", address):
        return address
    return '"' + address.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'
