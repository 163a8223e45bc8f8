"""pyphen's hyphenation patterns, parsed once per machine: pyphen reads a dictionary's text
file and parses every pattern each time a process first asks for the language (about 90 ms
for American English's 11,000 patterns, in every process that sets a PDF). The parsed
patterns are kept in the cache folder as JSON, read back in a quarter of that time, and
handed to pyphen as the dictionary it would have parsed itself.

The entry is a hint: it is named after pyphen's version and the dictionary file (path,
size, time), sealed like every cache entry, and checked as it is read; whatever does not
read back as pyphen's own structure is ignored and pyphen parses the file as it would
have."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from exporter.fonts import cached

CACHED_DICTIONARIES = 32
_ATTRIBUTES = {"patterns", "cache", "maxlen"}  # what pyphen's HyphDict holds (pyphen 0.1x)


class _Unusual(Exception):
    """A dictionary whose patterns are not plain numbers (alternative spellings at
    breaks): left to pyphen."""


def preload(pyphen: Any, name: str) -> None:
    """Put the parsed patterns of pyphen's dictionary ``name`` where pyphen looks for an
    already parsed one, from the cache folder (parsing and storing them there first)."""
    try:
        path = Path(pyphen.LANGUAGES[name])
        if path in pyphen.hdcache:
            return
        info = path.stat()
        key = f"{pyphen.__version__}:{path}:{info.st_size}:{info.st_mtime_ns}"
        entry = hashlib.sha256(key.encode()).hexdigest()[:32] + ".json"
        data = cached("hyphenation", entry, lambda: _parsed(pyphen, path),
                      "hyphenation patterns", CACHED_DICTIONARIES)  # fmt: skip
        if path not in pyphen.hdcache:  # read from the cache, not parsed just now
            pyphen.hdcache[path] = _dictionary(pyphen, data)
    except (_Unusual, OSError, KeyError, AttributeError, ValueError, TypeError):
        return  # pyphen parses the file itself


def _parsed(pyphen: Any, path: Path) -> bytes:
    """The dictionary at ``path`` as pyphen parses it (kept for this process too), as JSON."""
    parsed = pyphen.HyphDict(path)
    pyphen.hdcache[path] = parsed
    if set(vars(parsed)) != _ATTRIBUTES:
        raise _Unusual(path)
    patterns = {}
    for pattern, (start, values) in parsed.patterns.items():
        if not all(type(value) is int for value in values):
            raise _Unusual(path)
        patterns[pattern] = [start, "".join(map(str, values))]
    return json.dumps({"maxlen": parsed.maxlen, "patterns": patterns},
                      ensure_ascii=False, separators=(",", ":")).encode()  # fmt: skip


def _dictionary(pyphen: Any, data: bytes) -> Any:
    """pyphen's dictionary from the JSON ``_parsed`` wrote; ``ValueError`` where it is not
    that."""
    stored = json.loads(data)
    patterns: dict[str, tuple[int, tuple[int, ...]]] = {}
    for pattern, (start, digits) in stored["patterns"].items():
        if type(start) is not int or not digits.isdigit() or not digits.isascii():
            raise ValueError("not a hyphenation pattern")
        patterns[pattern] = (start, tuple(map(int, digits)))
    maxlen = stored["maxlen"]
    if not patterns or type(maxlen) is not int or maxlen != max(map(len, patterns)):
        raise ValueError("not a set of hyphenation patterns")
    parsed = object.__new__(pyphen.HyphDict)
    parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
    return parsed
