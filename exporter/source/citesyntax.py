"""Citations written as pandoc reads them, found by the Markdown parser: ``[@key]``,
``[@key, p. 12]``, ``[see @a, ch. 2; @b]``, ``[-@key]`` (the author left out, as the text
names them) and ``@key`` in the text (the author as part of the sentence), optionally
followed by ``[p. 12]``.

A key starts with a letter, digit or ``_`` and goes on with those and single marks of
``:.#$%&-+?<>~/`` between them (``@{odd key}`` for any other); an ``@`` after a letter or
digit (an e-mail address) starts nothing, nor does ``\\@``. A bracket whose every item does
not cite a key is no citation (it is read as the text or link it is).

A locator is read from an item's suffix by its term, in English or Russian (``p.``,
``pp.``, ``ch.``, ``sec.``, ``§``, ``с.``, ``гл.`` …), or as a page when the suffix starts
with a number."""

from __future__ import annotations

import re
from typing import Any

from exporter import model as m
from exporter import walk

KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=\w))*"
_CITED = rf"@(?:(?P<key>{KEY})|\{{(?P<braced>[^{{}}]+)\}})"
_ITEM = re.compile(rf"^(?P<prefix>(?:.*?[\s(])?)(?P<minus>-?){_CITED}(?P<suffix>.*)$", re.S)
_BARE = re.compile(_CITED)

# The locator terms (CSL's locator types), each written as authors abbreviate them.
TERMS: dict[str, tuple[str, ...]] = {
    "page": ("pp.", "p.", "pages", "page", "стр.", "с.", "С."),
    "chapter": ("chaps.", "chap.", "chapters", "chapter", "ch.", "гл."),
    "section": ("§§", "§", "secs.", "sec.", "sections", "section", "разд."),
    "paragraph": ("¶¶", "¶", "paras.", "para.", "paragraphs", "paragraph", "абз."),
    "volume": ("vols.", "vol.", "volumes", "volume", "т."),
    "figure": ("figs.", "fig.", "figures", "figure", "рис."),
    "note": ("nn.", "n.", "notes", "note", "прим."),
    "part": ("pts.", "pt.", "parts", "part", "ч."),
    "line": ("ll.", "l.", "lines", "line"),
    "book": ("bk.", "bks.", "book", "books", "кн."),
    "verse": ("vv.", "v.", "verses", "verse"),
    "column": ("cols.", "col.", "columns", "column", "стб."),
    "issue": ("nos.", "no.", "issues", "issue", "вып."),
}
_NUMBER_OR_ROMAN = r"(?:[0-9]+[a-z]?|[IVXLCDMivxlcdm]+)"
_VALUE = rf"{_NUMBER_OR_ROMAN}(?:\s*[-–—]\s*{_NUMBER_OR_ROMAN})?(?!\w)"
_LOCATOR = re.compile(
    r"^\s*(?P<term>" + "|".join(re.escape(t) for ts in TERMS.values() for t in ts)
    + rf")\s*(?P<value>{_VALUE}(?:\s*,\s*{_VALUE})*)(?P<rest>.*)$", re.S
)  # fmt: skip
_NUMBER = re.compile(r"^\s*(?P<value>[0-9]+[a-z]?(?:\s*[-–—]\s*[0-9]+[a-z]?)?"
                     r"(?:\s*,\s*[0-9]+(?:\s*[-–—]\s*[0-9]+)?)*)(?P<rest>.*)$", re.S)  # fmt: skip
_LABEL = {term: label for label, terms in TERMS.items() for term in terms}


def citation_plugin(md: Any) -> None:
    """Add the two citation forms to ``md`` (bracketed before links; ``@key`` at its mark)."""
    md.inline.ruler.before("link", "citation", _bracketed)
    md.inline.ruler.before("link", "citation_bare", _bare)


def _bracketed(state: Any, silent: bool) -> bool:
    src, start = state.src, state.pos
    if src[start] != "[" or "@" not in src[start: start + 2000]:
        return False
    end = _matching(src, start)
    if end < 0 or src[end + 1: end + 2] in ("(", "["):  # a link, or a reference link
        return False
    items = cite_items(src[start + 1: end])
    if not items:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": items, "in_text": False}
        token.content = src[start: end + 1]
    state.pos = end + 1
    return True


def _bare(state: Any, silent: bool) -> bool:
    src, start = state.src, state.pos
    if src[start] != "@" or (start and (src[start - 1].isalnum() or src[start - 1] in "_@")):
        return False
    found = _BARE.match(src, start)
    if found is None:
        return False
    key = found.group("key") or found.group("braced")
    end = found.end()
    locator, label, suffix = "", "", ""
    after = re.match(r" ?\[", src[end:])
    if after:
        close = _matching(src, end + after.end() - 1)
        if close > 0 and "@" not in src[end + after.end(): close] and \
                src[close + 1: close + 2] not in ("(", "["):  # fmt: skip
            locator, label, suffix = split_locator(src[end + after.end(): close])
            end = close + 1
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": (m.CiteItem(key, "", suffix, locator, label, False),),
                      "in_text": True}  # fmt: skip
        token.content = src[start:end]
    state.pos = end
    return True


def _matching(src: str, start: int) -> int:
    """The offset of the ``]`` closing the ``[`` at ``start`` (-1 if none on the way)."""
    depth = 0
    i = start
    while i < len(src):
        char = src[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def cite_items(inside: str) -> tuple[m.CiteItem, ...]:
    """The items of a bracketed citation's text; none if one of them cites no key."""
    items = []
    for part in _split(inside):
        found = _ITEM.match(part)
        if found is None:
            return ()
        key = found.group("key") or found.group("braced")
        locator, label, suffix = split_locator(found.group("suffix"))
        prefix = found.group("prefix").strip()
        items.append(m.CiteItem(key, prefix, suffix, locator, label, bool(found.group("minus"))))
    return tuple(items)


def _split(inside: str) -> list[str]:
    """``inside`` cut at its semicolons outside nested brackets."""
    parts, depth, last = [], 0, 0
    for i, char in enumerate(inside):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == ";" and depth == 0:
            parts.append(inside[last:i])
            last = i + 1
    parts.append(inside[last:])
    return parts


def split_locator(suffix: str) -> tuple[str, str, str]:
    """(locator, its CSL label, the rest) of an item's suffix: ``, p. 12, my emphasis`` is
    ("12", "page", ", my emphasis"); ``, 12`` a page; anything else only a suffix."""
    text = suffix.lstrip()
    text = text[1:] if text.startswith(",") else text
    found = _LOCATOR.match(text)
    if found:
        value = re.sub(r"\s*[-–—]\s*", "–", found.group("value"))
        return value, _LABEL[found.group("term")], found.group("rest").rstrip()
    found = _NUMBER.match(text)
    if found and text.strip():
        value = re.sub(r"\s*[-–—]\s*", "–", found.group("value"))
        return value, "page", found.group("rest").rstrip()
    return "", "", suffix.strip()


def cites_of(article: m.Article) -> list[m.Cite]:
    """Every citation of the article (summary, body, notes), in document order."""
    found: list[m.Cite] = []
    for block in walk.article_blocks(article):
        for part in walk.child_inlines(block):
            found += [n for n in walk.inline_nodes(part) if isinstance(n, m.Cite)]
    return found
