"""Which language a stretch of text is in: the runs of another script inside a text, each
with the language it is read in."""

from __future__ import annotations

import re

_CYR = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
_LAT = "A-Za-z\u00c0-\u024f"
_INNER = "\\s\\d.,:;!?«»„“”\"'’()\\-–—&/"


def _run_pattern(letters: str) -> re.Pattern[str]:
    """A stretch of one script's words, with the spaces, digits and punctuation between them
    and its own opening and closing quotes."""
    return re.compile(
        rf"[«„“\"(]?[{letters}](?:[{letters}{_INNER}]*[{letters}»”)])?"
    )


_SCRIPTS = {"ru": ("en", _run_pattern(_LAT)), "*": ("ru", _run_pattern(_CYR))}


def script_runs(text: str, base_lang: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``(lang, text)`` runs so every phrase in the other script can be
    language-tagged: Cyrillic stretches in a text of any other language are "ru", Latin
    stretches in a Russian text are "en"."""
    other, pattern = _SCRIPTS.get(base_lang.split("-")[0], _SCRIPTS["*"])
    runs: list[tuple[str, str]] = []
    pos = 0
    for match in pattern.finditer(text):
        if match.start() > pos:
            runs.append((base_lang, text[pos : match.start()]))
        runs.append((other, match.group()))
        pos = match.end()
    if pos < len(text):
        runs.append((base_lang, text[pos:]))
    return runs
