"""Facts about the installed distributions (where a font family's files are, which version
of a library is installed), remembered between runs while nothing is installed, upgraded or
removed.

Finding them means reading the metadata of every installed distribution: tens of
milliseconds, on the way of every run, a run with nothing to rebuild included. Installing,
upgrading or removing a distribution adds or removes a folder in the folder on the import
path it goes to, which changes that folder's time: a fact is kept under the import path's
folders and their times (and the interpreter's version), and a change to any of them asks
again. What is kept is a hint: the caller checks it (a font file still begins as one does)
and asks again when it does not hold.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from exporter.fonts import cache_dir, cached, discard

FORMAT = "1"  # of the facts kept: a new one names new entries
KEEP = 64  # entries kept in the cache folder (a few facts for each environment a machine has)
FOLDER = "installed"  # beside the fonts' cache
WHAT = "record of installed packages"


def import_path_state() -> tuple[tuple[str, int], ...]:
    """Each folder on the import path with its time (-1 where it is missing)."""
    return tuple((place, _changed(place)) for place in sys.path)


def _changed(place: str) -> int:
    try:
        return os.stat(place or ".").st_mtime_ns
    except OSError:
        return -1


def remembered(kind: str, key: str, find: Callable[[], Any], holds: Callable[[Any], bool]) -> Any:
    """What ``find`` answers for ``key`` (a JSON value), from the cache while the import
    path is as it was when it was kept and the answer kept still ``holds``; ``find`` is
    asked, and its answer kept, otherwise (a kept answer that does not hold is discarded,
    with a warning). Its exceptions pass through, and nothing is kept then."""
    state = [FORMAT, kind, key, sys.version, import_path_state()]
    name = hashlib.sha256(json.dumps(state).encode()).hexdigest()[:32] + ".json"

    def made() -> bytes:
        return json.dumps(find()).encode()

    for _ in range(2):
        data = cached(FOLDER, name, made, WHAT, KEEP)
        try:
            answer = json.loads(data)
        except ValueError:
            answer = None
        if answer is not None and holds(answer):
            return answer
        discard(cache_dir().parent / FOLDER / name, WHAT)
    return find()  # the answer found does not hold either: as it is, kept nowhere
