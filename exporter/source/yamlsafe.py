"""Strict front-matter YAML: no tags, anchors or duplicate keys; YAML 1.2 scalars; positions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path_ = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_IMPLICIT = [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^[-+]?[0-9]+$", list("-+0123456789")),
    (
        "float",
        r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
        list("-+.0123456789"),
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", list("0123456789")),
]
_ALLOWED_TAGS = {
    _TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
MAX_NODES = 20_000


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core scalars: ``no``, ``on`` and ``yes`` stay strings."""


for _tag, _pattern, _first in _IMPLICIT:
    _Resolver.add_implicit_resolver(_TAG + _tag, re.compile(_pattern), _first)


class _Composer(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Resolver,
):
    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)
        self.count = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(
                event.start_mark.line, event.start_mark.column,
                "YAML anchors and aliases are not allowed (write the value out)",
            )  # fmt: skip
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem(
                event.start_mark.line, event.start_mark.column, "front matter too large"
            )
        return super().compose_node(parent, index)


@dataclass
class YamlProblem(Exception):
    """A problem at a 0-based line and column of the YAML text."""

    line: int
    column: int
    message: str


@dataclass
class Located:
    """Plain data from YAML plus where each value and each key stood (0-based)."""

    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)
    first_line: int = 1

    def position(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """The position of ``path``, else of its nearest ancestor."""
        table = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            if path[:cut] in table:
                return table[path[:cut]]
            if path[:cut] in self.keys:
                return self.keys[path[:cut]]
        return (0, 0)


def load_located(text: str, first_line: int = 1) -> Located:
    """Parse one YAML document strictly; problems in values are collected, not raised.

    ``first_line`` is the file line the text starts on, for messages that cite a line.
    """
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(
            mark.line if mark else 0, mark.column if mark else 0, f"YAML: {exc.problem}"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, 0, f"YAML: {exc}") from None
    located = Located(None, first_line=first_line)
    located.data = {} if node is None else _walk(node, (), located)
    return located


def _walk(node: Node, path: Path_, out: Located) -> Any:
    out.values[path] = (node.start_mark.line, node.start_mark.column)
    if node.tag not in _ALLOWED_TAGS:
        shown = node.tag.replace(_TAG, "!!")
        out.problems.append(_at(node, f"YAML tag {shown} is not allowed; remove it"))
        if isinstance(node, ScalarNode):
            return str(node.value)
    if isinstance(node, MappingNode):
        return _walk_mapping(node, path, out)
    if isinstance(node, SequenceNode):
        return [_walk(child, (*path, i), out) for i, child in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    out.raw[path] = node.value
    return _scalar(node, out)


def _walk_mapping(node: MappingNode, path: Path_, out: Located) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag == _TAG + "merge":
            out.problems.append(_at(key_node, "keys must be plain names"))
            continue
        key = key_node.value
        if key in result:
            first_line = out.keys[(*path, key)][0] + out.first_line
            message = f"duplicate key {key!r} (first given at line {first_line})"
            out.problems.append(_at(key_node, message))
            continue
        out.keys[(*path, key)] = (key_node.start_mark.line, key_node.start_mark.column)
        result[key] = _walk(value_node, (*path, key), out)
    return result


def _scalar(node: ScalarNode, out: Located) -> Any:
    kind = node.tag[len(_TAG) :]
    text = node.value
    if kind == "str" or node.style in ("'", '"', "|", ">"):
        return text
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "null":
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text  # the schema reports it as an impossible date, with the field name


def _at(node: Node, message: str) -> YamlProblem:
    return YamlProblem(node.start_mark.line, node.start_mark.column, message)
