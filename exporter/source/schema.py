"""Validates front matter against ``article.schema.json`` and words each error for an editor."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib.resources import files
from typing import Any

from exporter.source.yamlsafe import Located, Path_

SCHEMA_FILE = "article.schema.json"


@cache
def article_schema() -> dict[str, Any]:
    return json.loads(files("exporter.source").joinpath(SCHEMA_FILE).read_text("utf-8"))


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        article_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def dotted(path: Path_) -> str:
    """``("polls", 0, "answers", 2, "votes")`` → ``polls[0].answers[2].votes``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "front matter"


def for_schema(value: Any) -> Any:
    """Dates as ISO strings so that the schema's ``format: date`` checks them."""
    if isinstance(value, dict):
        return {k: for_schema(v) for k, v in value.items()}
    if isinstance(value, list):
        return [for_schema(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def coerce_strings(located: Located) -> Any:
    """Plain scalars where the schema wants text keep their text (``title: 2022`` is "2022")."""

    def walk(value: Any, path: Path_) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, bool | int | float) and _wants_text(path) and path in located.raw:
            return located.raw[path]
        return value

    return walk(located.data, ())


_NUMERIC = {"votes", "score", "scale", "published-share"}
_BOOLEAN = {"organisation", "typography"}


def _wants_text(path: Path_) -> bool:
    return bool(path) and not (isinstance(path[-1], str) and path[-1] in _NUMERIC | _BOOLEAN)


def validation_problems(data: Any, located: Located) -> list[tuple[int, int, str]]:
    """Every schema violation as ``(line0, col0, message)``, in document order."""
    found: list[tuple[int, int, str]] = []
    for error in _validator().iter_errors(for_schema(data)):
        for path, key, message in _describe(error):
            line, col = located.position(path, key=key)
            found.append((line, col, f"{dotted(path)}: {message}"))
    return sorted(set(found))


def _describe(error: Any) -> list[tuple[Path_, bool, str]]:
    path: Path_ = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        hint = f" (known fields: {', '.join(sorted(allowed))})" if allowed else ""
        return [((*path, k), True, f"unknown field{hint}") for k in extra]
    if kind == "required":
        return [(path, False, f"missing required field {error.message.split(chr(39))[1]!r}")]
    if kind == "oneOf" and error.context:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)))
        if isinstance(error.instance, dict | str):
            best = max(error.context, key=lambda e: len(list(e.relative_path)))
        return _describe_relative(best, path)
    if kind == "pattern":
        return [(path, False, f"{error.instance!r} {_pattern_help(error.schema['pattern'])}")]
    if kind == "format":
        return [(path, False, f"{error.instance!r} is not a real date (YYYY-MM-DD)")]
    if kind == "minLength" and error.validator_value == 1:
        return [(path, False, "is empty; write the text or leave the field out")]
    if kind == "minimum":
        return [(path, False, f"{error.instance} is less than {error.validator_value}")]
    if kind == "maximum":
        return [(path, False, f"{error.instance} is more than {error.validator_value}")]
    if kind == "type":
        wanted = _TYPE_WORDS.get(str(error.validator_value), error.validator_value)
        return [(path, False, f"expected {wanted}, got {_shown(error.instance)}")]
    return [(path, False, error.message)]


def _describe_relative(error: Any, base: Path_) -> list[tuple[Path_, bool, str]]:
    described = _describe(error)
    return [
        ((*base, *p[len(base) :]) if p[: len(base)] == base else p, k, m) for p, k, m in described
    ]


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a mapping",
}


def _pattern_help(pattern: str) -> str:
    defs = article_schema()["$defs"]
    if pattern == defs["lang"]["pattern"]:
        return "is not a language tag such as en or ru-RU"
    if pattern == defs["text"]["pattern"]:
        return "is blank; write the text or leave the field out"
    if pattern == defs["url"]["pattern"]:
        return "is not an http, https or mailto address"
    return "is not a name of lower-case letters, digits and hyphens (e.g. my-article)"
