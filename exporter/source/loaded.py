"""What reading a source gives: the article and the text it was read from. A module of its
own, so that a process handed a read article (a worker) does not import the reader."""

from __future__ import annotations

from dataclasses import dataclass

from exporter import model as m
from exporter.errors import Problem


@dataclass(frozen=True)
class LoadedSource:
    """An article together with the text it was read from (for checks that point into it)."""

    path: str
    text: str
    article: m.Article
    warnings: tuple[Problem, ...] = ()
