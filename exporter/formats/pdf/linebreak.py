"""Line breaking that never changes a word: where a line may end, and lines filled greedily.

A line may end at a space, at a hyphenation point (a hyphen is drawn that is not in the
text), after a compound's own hyphen or a dash (which stays), at a URL break point (after
``/ . ? & = - _``, nothing added) and, only where a word is wider than the whole line and
has no better point, between any two characters. Every character of the text is set
exactly once; spaces at a line end are the only thing not drawn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from fontTools.unicodedata import script as _script

from exporter.formats.pdf.patterns import preload
from exporter.languages import default_language, scripts_of

# How a line may end inside a word.
HYPHENATE = "hyphenate"  # at a hyphenation point: a hyphen is drawn at the line end
AFTER = "after"  # after a hyphen, dash or URL break character: nothing is added
# (a word wider than the whole line is also broken between two characters, nothing added)

URL_BREAKS = frozenset("/.?&=-_")
SOFT_HYPHEN = "\u00ad"
_DASHES = "-\u2010\u2013\u2014"
_TOKENISH = re.compile(r"://|^www\.|[/\\_@=&?]|\w\.\w")
_ADDRESS = re.compile(r"://|^www\.")
SHORT_TOKEN = 20  # characters: a shorter token that is no address (HTTP/1.1) is not broken
_LETTERS = re.compile(r"[^\W\d_]{5,}")
_SPACE_OR_BREAK = re.compile(r"(\n| +)")

Measure = Callable[[str, Any], float]  # width of a text in a look
SLACK = 1e-6  # widths are sums of floats: a line "fits" up to this much over


class Piece(NamedTuple):
    """Text set in one look (font, size, colour, link); a word may span several (a tuple:
    a long article has hundreds of thousands)."""

    text: str
    look: Any


@dataclass(slots=True)
class Word:
    """Text between spaces, perhaps in several looks, and where it may be broken."""

    pieces: tuple[Piece, ...]
    width: float
    lang: str
    hyphenate: bool
    whole: bool = False  # breaks only where it must (wider than a line): a title's words

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    def split_at(self, offset: int, prefix: list[float]) -> tuple[Word, Word]:
        """The word's first ``offset`` characters and the rest; ``prefix[i]`` is the width
        of the first ``i`` characters."""
        head: list[Piece] = []
        tail: list[Piece] = []
        pos = 0
        for piece in self.pieces:
            end = pos + len(piece.text)
            if end <= offset:
                head.append(piece)
            elif pos >= offset:
                tail.append(piece)
            else:
                head.append(Piece(piece.text[: offset - pos], piece.look))
                tail.append(Piece(piece.text[offset - pos :], piece.look))
            pos = end
        return (
            Word(tuple(head), prefix[offset], self.lang, self.hyphenate, self.whole),
            Word(tuple(tail), prefix[-1] - prefix[offset], self.lang, self.hyphenate, self.whole),
        )


@dataclass(frozen=True, slots=True)
class Space:
    text: str  # one space, or (in code) every space as written
    look: Any
    width: float


@dataclass(frozen=True)
class NewLine:
    pass


Token = Word | Space | NewLine


@dataclass
class Line:
    """One set line: words and the spaces between them, and how it ends."""

    items: list[Word | Space]
    width: float  # natural width, without the added hyphen
    start: tuple[int, Word | None]  # where the line begins: token index, unfinished word
    hyphen: Any = None  # the look of the hyphen drawn at its end, if it ends at a hyphenation
    last: bool = False  # ends the paragraph or a forced break: never justified
    gap: Any = None  # the look of the space it broke at, if it broke at a space or a forced break
    ragged: bool = False  # a justified paragraph's line set flush left (see ``totalfit``)

    @property
    def spaces(self) -> int:
        return sum(1 for item in self.items if isinstance(item, Space))


def rest(items: list[Token], line: Line) -> list[Token]:
    """The tokens from ``line`` on (to be set again elsewhere, e.g. on the next page)."""
    index, carry = line.start
    return ([carry] if carry is not None else []) + items[index:]


def tokens(
    runs: list[tuple[str, Any]],
    measure: Measure,
    lang: str,
    hyphenate: bool,
    keep_spaces: bool = False,
    words_only: bool = False,
) -> list[Token]:
    """Words, spaces and forced breaks of ``runs`` (text, look). Without ``keep_spaces`` a
    run of spaces is one space; with it (code) every space is kept. With ``words_only``
    lines break only at spaces: not at a compound's own hyphen, never hyphenated."""
    out: list[Token] = []
    append = out.append
    spaces: dict[int, Space] = {}  # one space in a look, by the look
    # the word being gathered: its first piece's text, look and language, and its further
    # pieces where it goes on in another look (most words have none)
    first: str | None = None
    first_look: Any = None
    first_lang = lang
    more: list[Piece] = []

    def end_word() -> None:
        nonlocal first
        if not more:  # most words: one piece
            append(Word((Piece(first, first_look),), measure(first, first_look), first_lang,
                        hyphenate, words_only))  # fmt: skip
        else:
            word = (Piece(first, first_look), *more)  # type: ignore[arg-type]
            width = sum(measure(p.text, p.look) for p in word)
            append(Word(word, width, first_lang, hyphenate, words_only))
            more.clear()
        first = None

    for text, look in runs:
        text = text.replace(SOFT_HYPHEN, "")  # a break point; the dictionary finds its own
        run_language = run_lang(look, lang)
        for part in _SPACE_OR_BREAK.split(text):
            if not part:
                continue
            if part[0] == " ":
                if first is not None:
                    end_word()
                if keep_spaces:
                    append(Space(part, look, measure(part, look)))
                elif not out or not isinstance(out[-1], Space):
                    space = spaces.get(id(look))
                    if space is None:
                        space = spaces[id(look)] = Space(" ", look, measure(" ", look))
                    append(space)
            elif part == "\n":
                if first is not None:
                    end_word()
                append(NewLine())
            elif first is None:
                first, first_look, first_lang = part, look, run_language
            else:
                more.append(Piece(part, look))
    if first is not None:
        end_word()
    return out


def fill(
    items: list[Token], width: Callable[[int], float], measure: Measure, indent: bool = False
) -> list[Line]:
    """Lines no wider than ``width(n)`` (n: the line's index), filled greedily; a word that
    does not fit is broken at its last break point that fits, or moved to the next line.
    Spaces at the start of a line are dropped, unless ``indent`` says they indent it."""
    lines: list[Line] = []
    current: list[Word | Space] = []
    used = 0.0
    index, carry = 0, None
    start: tuple[int, Word | None] = (0, None)
    written_line_start = True  # at the start of a line as written (not a wrapped one)

    def finish(last: bool, hyphen: Any = None, gap: Any = None) -> None:
        nonlocal current, used
        while current and isinstance(current[-1], Space):
            space = current.pop()
            used -= space.width
            gap = space.look
        lines.append(Line(current, used, start, hyphen, last, gap))
        current, used = [], 0.0

    while carry is not None or index < len(items):
        if not current:
            start = (index, carry)
        if carry is not None:
            token, carry = carry, None
        else:
            token, index = items[index], index + 1
        if isinstance(token, NewLine):
            finish(last=True, gap=_look_of(current))
            written_line_start = True
            continue
        if isinstance(token, Space):
            if current or (indent and written_line_start):
                current.append(token)
                used += token.width
            continue
        written_line_start = False
        room = width(len(lines)) - used
        if token.width <= room + SLACK:
            current.append(token)
            used += token.width
            continue
        broken = _break_word(token, room, measure, alone=not current)
        if broken is None and not current:  # one character wider than the line: set it
            current.append(token)
            used += token.width
            continue
        if broken is None:
            finish(last=False)
            carry = token
            continue
        head, carry, hyphen = broken
        current.append(head)
        used += head.width
        finish(last=False, hyphen=hyphen)
    if current or not lines:
        start = (index, None) if not current else start
        finish(last=True)
    lines[-1].last = True
    return lines


def _look_of(items: list[Word | Space]) -> Any:
    """The look of the end of a line's items (None for an empty line)."""
    if not items:
        return None
    last = items[-1]
    return last.look if isinstance(last, Space) else last.pieces[-1].look


def _break_word(
    word: Word, room: float, measure: Measure, alone: bool
) -> tuple[Word, Word, Any] | None:
    """The longest head of ``word`` that fits ``room`` (with its hyphen, if one is added),
    the rest, and the look of the added hyphen; None if no break point fits. A word alone
    on its line is broken between any two characters if it must."""
    text = word.text
    looks = [p.look for p in word.pieces for _ in p.text]
    advances = [measure(ch, look) for ch, look in zip(text, looks, strict=True)]
    prefix = [0.0]
    for advance in advances:
        prefix.append(prefix[-1] + advance)
    points = [] if word.whole else sorted(break_points(text, word.lang, word.hyphenate),
                                          reverse=True)  # fmt: skip
    for offset, kind in points:
        hyphen = looks[offset - 1] if kind == HYPHENATE else None
        extra = measure(SOFT_HYPHEN, hyphen) if hyphen is not None else 0.0
        if prefix[offset] + extra <= room + SLACK:
            return (*word.split_at(offset, prefix), hyphen)
    if not alone or len(text) < 2:
        return None
    offset = next((i for i in range(len(text) - 1, 0, -1) if prefix[i] <= room + SLACK), 1)
    return (*word.split_at(offset, prefix), None)


def break_points(text: str, lang: str, hyphenate: bool) -> Iterator[tuple[int, str]]:
    """Offsets inside ``text`` where a line may end, and how (``HYPHENATE`` or ``AFTER``)."""
    size = len(text)
    if _TOKENISH.search(text):
        if size < SHORT_TOKEN and not _ADDRESS.search(text):
            return  # a version, a path or a file name that fits a line moves on whole
        for i in range(2, size - 1):
            if text[i - 1] in URL_BREAKS and text[i] not in URL_BREAKS and not (
                text[i - 1] in ".-" and text[i - 2].isdigit() and text[i].isdigit()
            ):  # never inside a number: 10.6028, 1.1, 800-38B
                yield i, AFTER
        return
    compound = False
    for i in range(2, size - 1):
        if text[i - 1] in _DASHES and text[i].isalnum() and text[i - 2].isalnum() and not (
            text[i - 2].isdigit() and text[i].isdigit()
        ):  # never inside a number either: SP 800-63-2, 2022-08-30
            compound = True
            yield i, AFTER
    if not hyphenate or compound:  # a compound breaks only at its own hyphens
        return
    for match in _LETTERS.finditer(text):
        run = match.group()
        if run[0].isupper():  # a name (Helsinki, Казахстан), an initialism: never
            continue
        dictionary = _dictionary(_letters_lang(run, lang))
        if dictionary is None:
            continue
        for position in dictionary.positions(run):
            yield match.start() + position, HYPHENATE


def run_lang(look: Any, lang: str) -> str:
    """The language a piece in ``look`` is in: that of the innermost span (tag) it is part
    of that has one, else ``lang`` (the paragraph's)."""
    tag = getattr(look, "tag", None)
    while tag is not None:
        if getattr(tag, "lang", None):
            return str(tag.lang)
        tag = getattr(tag, "parent", None)
    return lang


def _letters_lang(letters: str, lang: str) -> str:
    """The language to hyphenate ``letters`` in: ``lang``, unless they are in another
    script than ``lang``'s (a stretch no span tagged), then CLDR's language for theirs."""
    script = _script(letters[0])
    if script in scripts_of(lang):
        return lang
    return default_language(script) or lang


_REGIONS = {"en": "en_US"}  # a language without a region: the dictionary meant by it
_MARGINS = {"ru": (2, 2)}  # letters kept before and after a break, where not (2, 3)


@cache
def _dictionary(lang: str) -> Any:
    """pyphen's dictionary for ``lang`` (``en``: American, ``en-GB``: British), keeping
    at least two letters before a break and three after (Russian: two and two), or None
    where there is none."""
    import pyphen

    code = lang.replace("-", "_")
    base = code.split("_")[0].lower()
    name = pyphen.language_fallback(_REGIONS.get(code.lower(), code))
    left, right = _MARGINS.get(base, (2, 3))
    if not name:
        return None
    preload(pyphen, name)
    return pyphen.Pyphen(lang=name, left=left, right=right)
