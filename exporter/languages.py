"""Which language each stretch of a text is in.

A run's language is what the source says: the article's ``lang:``, a ``[text]{lang=xx}``
span, the language key of a title. Inside a text in one language, a stretch in another script
is read in the language the article declares for that script (its own language, then the
languages of its title and other localized fields, in order), and only then in CLDR's likely
language for the script (Cyrillic → ru, Latin → en). A language's script and region come from
CLDR's likely subtags (through Babel), a character's script from Unicode's script data
(through fontTools): no language or script is named in code.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel.core import get_global, parse_locale
from fontTools.unicodedata import script as _unicode_script

from exporter.model import LocalizedText

# Scripts that are not one script but several (ISO 15924 unions) and the scripts of their
# characters, as Unicode's script data names them.
_UNIONS = {
    "Jpan": frozenset({"Hani", "Hira", "Kana"}),
    "Kore": frozenset({"Hang", "Hani"}),
    "Hans": frozenset({"Hani"}),
    "Hant": frozenset({"Hani"}),
    "Hanb": frozenset({"Hani", "Bopo"}),
}
_NO_SCRIPT = frozenset({"Zyyy", "Zinh", "Zzzz"})  # common, inherited, unknown
_INHERITED = "Zinh"

# How a run of another script is cut out: it may open with a quote or parenthesis, runs on
# over the spaces, digits and punctuation between its words, and ends at a letter of its
# script (or a mark on one) or at its own closing quote or parenthesis.
_OPENERS = frozenset("«„“\"(")
_CLOSERS = frozenset("»”)")
_INNER = frozenset(".,:;!?«»„“”\"'’()-–—&/")


@cache
def likely(tag: str) -> tuple[str, str, str]:
    """CLDR's likely language, script and region of a BCP 47 tag: "kk" → (kk, Cyrl, KZ),
    "en" → (en, Latn, US), "sr-Latn" → (sr, Latn, RS); ("", "", "") for what is no tag."""
    try:
        lang, region, script, _ = parse_locale(tag.replace("_", "-"), sep="-")
    except ValueError:
        return "", "", ""
    table = get_global("likely_subtags")
    keys = [f"{lang}_{script}_{region}" if script and region else "",
            f"{lang}_{region}" if region else "", f"{lang}_{script}" if script else "",
            lang, f"und_{script}" if script else "", "und"]  # fmt: skip
    for key in filter(None, keys):
        if key in table:
            found = table[key].split("_")
            lang = lang if lang != "und" else found[0]
            script = script or (found[1] if len(found) > 2 else "")
            region = region or found[-1]
            return lang, script, region
    return lang, script or "", region or ""


@cache
def scripts_of(lang: str) -> frozenset[str]:
    """The Unicode scripts ``lang``'s letters are in (its CLDR likely script)."""
    script = likely(lang)[1]
    return _UNIONS.get(script, frozenset({script} if script else ()))


@cache
def default_language(script: str) -> str | None:
    """CLDR's likely language of a script: "Cyrl" → "ru", "Latn" → "en"; None if none."""
    lang, found, _ = likely(f"und-{script}")
    return lang if lang and script in scripts_of(f"{lang}-{found}") else None


def region_tag(lang: str) -> str:
    """``lang`` with its CLDR likely region, as Word names languages: "en" → "en-US",
    "ru" → "ru-RU", "kk" → "kk-KZ", "sr-Latn" → "sr-Latn-RS"; a tag that has a region, or
    that CLDR does not know, as given."""
    try:
        base, region, script, _ = parse_locale(lang.replace("_", "-"), sep="-")
    except ValueError:
        return lang
    found = likely(lang)[2]
    if region or not found or found == "ZZ" or base == "und":
        return lang
    return "-".join(filter(None, (base, script, found)))


@cache
def _script(char: str) -> str:
    return _unicode_script(char)


def _inner(char: str) -> bool:
    return char in _INNER or char.isspace() or char.isdecimal()


@dataclass(frozen=True)
class Languages:
    """The languages an article reads in: its own (``lang``) and every one its source
    declares (``declared``, the article's first), which say what another script is read as."""

    lang: str
    declared: tuple[str, ...] = ()

    @classmethod
    def of(cls, article: Any) -> Languages:
        """The languages of an article: its ``lang``, then the language keys of its title
        and of its other localized fields (authors' names, publisher, …), in source order."""
        found = [article.lang, *_localized_langs(article.title)]
        for field in dataclasses.fields(article):
            if field.name not in {"title", "summary", "body", "footnotes", "polls"}:
                found += _localized_langs(getattr(article, field.name))
        return cls(article.lang, tuple(dict.fromkeys(found)))

    def for_script(self, script: str) -> str | None:
        """The language a stretch in ``script`` is read in: the first declared language
        written in it, else CLDR's likely language for it (None: no language is known)."""
        for lang in self.declared or (self.lang,):
            if script in scripts_of(lang):
                return lang
        return default_language(script)

    def runs(self, text: str, lang: str | None = None) -> list[tuple[str, str]]:
        """``text`` (in ``lang``, by default the article's) as ``(lang, text)`` runs: every
        stretch in another script than ``lang``'s is a run of its own, in the language
        ``for_script`` gives it. The runs' texts make up ``text``."""
        lang = lang or self.lang
        own = scripts_of(lang)
        if all(_script(c) in own or _script(c) in _NO_SCRIPT for c in set(text)):
            return [(lang, text)] if text else []  # all in the language's own scripts
        scripts = [_script(char) for char in text]
        runs: list[tuple[str, str]] = []
        pos = i = 0
        while i < len(text):
            script = scripts[i]
            other = None if script in _NO_SCRIPT or script in own else self.for_script(script)
            if other is None or other == lang:
                i += 1
                continue
            start = i - 1 if i > pos and text[i - 1] in _OPENERS else i
            end = j = i + 1
            while j < len(text):
                char, kind = text[j], scripts[j]
                if kind in (script, _INHERITED):
                    end = j + 1
                elif not _inner(char):
                    break
                elif char in _CLOSERS:
                    end = j + 1
                j += 1
            if start > pos:
                runs.append((lang, text[pos:start]))
            runs.append((other, text[start:end]))
            pos = i = end
        if pos < len(text):
            runs.append((lang, text[pos:]))
        return runs


def _localized_langs(value: object) -> list[str]:
    """The language keys of a localized text, or of those inside a value (an author's name
    and affiliations, a publisher's name), in order."""
    if isinstance(value, LocalizedText):
        return list(value.langs)
    if isinstance(value, tuple):
        return [lang for item in value for lang in _localized_langs(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [lang for field in dataclasses.fields(value)
                for lang in _localized_langs(getattr(value, field.name))]  # fmt: skip
    return []


def script_runs(text: str, base_lang: str) -> list[tuple[str, str]]:
    """``text`` in ``base_lang`` as runs, for a text outside any article: another script
    is read in CLDR's likely language for it (Cyrillic "ru", Latin "en"). Editions use the
    article's :class:`Languages` instead."""
    return Languages(base_lang).runs(text, base_lang)
