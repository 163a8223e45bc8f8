"""Writes an imported article: ``<out>/<slug>/article.md`` (YAML front matter and Markdown
body) and its ``figures/``, first into a temporary folder beside it, checked there as the
loader checks every source, and only then renamed into place; an existing article is
replaced only when asked."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from exporter.errors import SourceError

# the front matter's fields in the order an editor reads them (as the schema lists them)
ORDER = ("slug", "lang", "title", "subtitle", "short-title", "authors", "publisher", "web",
         "published", "date-note", "dateline", "typography", "doi", "series", "keywords",
         "summary", "related", "figures", "polls", "license", "attribution")  # fmt: skip


class _Dumper(yaml.SafeDumper):
    """Block style for text of several lines, so the summary reads as Markdown."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def front_matter_text(data: dict[str, Any]) -> str:
    ordered = {key: data[key] for key in ORDER if key in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=10_000, default_flow_style=False, indent=2)  # fmt: skip


def article_text(data: dict[str, Any], body: str, origin: str) -> str:
    head = f"# Imported from {origin}; field reference: exporter/source/article.schema.json\n"
    return f"---\n{head}{front_matter_text(data)}---\n\n{body}"


def write_article(
    target: Path, text: str, pictures: list[tuple[str, bytes]], force: bool,
    check: Callable[[Path], None],
) -> None:  # fmt: skip
    """Write the article and its pictures (``(path, bytes)``, paths relative to its folder)
    to ``target``; ``check`` is called on the finished temporary folder and may raise."""
    shown = str(target)
    if target.exists() and not force:
        raise SourceError.at(shown, 1, 1, "an article is already here: import with --force "
                             "to replace it")  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o777 & ~umask)  # as a folder made with mkdir (mkdtemp's is private)
    try:
        for path, data in pictures:
            file = temp / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        (temp / "article.md").write_text(text, encoding="utf-8")
        check(temp)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(temp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
