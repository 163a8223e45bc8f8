"""Whole-paragraph line breaking, in the manner of Knuth and Plass ("Breaking paragraphs
into lines", 1981): of all the ways to break a paragraph, the one with the least demerits.

The paragraph is a row of boxes (a word, or the part of a word between two places it may
be broken), glue (a space: its natural width, and how much it may stretch and shrink) and
penalties (a place inside a word where a line may end, and what ending there costs). A
line's *badness* grows with the cube of how far its spaces must stretch or shrink; its
*demerits* add the line's own cost, the penalty it breaks at, and more where two lines in
a row end hyphenated, where a very loose line follows a tight one, and where the last full
line of a paragraph is hyphenated. No break ever makes a third hyphenated line in a row.

Three tries, each only when the one before finds no way: without hyphenation, with spaces
stretched at most to about 1.5 times; with hyphenation, a little looser; and a last resort
with any stretch, which may break a word wider than the whole line between characters.
A justified line whose spaces would still grow past ``RAGGED`` times their width is set
flush left instead. Where even the last resort finds nothing, the lines are filled
greedily (``linebreak.fill``), which always finds a way.

Ragged (not justified) text is broken the same way, each line having a fixed stretch of
``RAGGED_STRETCH`` ems on its right: lines of even length, few hyphens.

Lines are returned as ``linebreak.Line`` objects, exactly as ``fill`` gives them: every
character of the text once, and a line's ``start`` tells where the rest of the paragraph
begins (``linebreak.rest``).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from exporter.formats.pdf.linebreak import (
    AFTER,
    HYPHENATE,
    SOFT_HYPHEN,
    Line,
    Measure,
    NewLine,
    Piece,
    Space,
    Token,
    Word,
    break_points,
    fill,
)

# What things cost (the values TeX uses, where it has them).
LINE_PENALTY = 10  # every line: fewer lines are better
HYPHEN_PENALTY = 600  # a line ending at an added hyphen
COMPOUND_PENALTY = 50  # a line ending after a compound's own hyphen or a dash
ADDRESS_PENALTY = 300  # a line ending inside a web address or a path
CHARACTER_PENALTY = 5000  # a word wider than the line broken between two characters
DOUBLE_HYPHEN_DEMERITS = 10_000  # two hyphenated lines in a row
FINAL_HYPHEN_DEMERITS = 5_000  # the last full line of a paragraph hyphenated
ADJACENT_DEMERITS = 10_000  # a line two fitness classes from the one before
MOST_IN_A_ROW = 2  # hyphenated lines in a row, never more

STRETCH = 0.5  # a space may stretch by half its width at badness 100
SHRINK = 1 / 3  # and shrink by a third at most
EXPAND = 0.03  # letters may be set up to 3 % wider or narrower (at badness 100; never more)
RAGGED_STRETCH = 2.0  # ems of room on the right of a ragged line, at badness 100
RAGGED = 3.0  # a justified line whose spaces would pass this many times their width:
# flush left (only in the last resort: a very narrow column, a long word)

# The tries: (hyphenation, largest badness; None: any). The third keeps the search short
# (a line's spaces up to about 2.8 times their width) where the first two find no way; only
# a paragraph it cannot set either (a word wider than the column) goes to the last resort.
TRIES = ((False, 700.0), (True, 700.0), (True, 5000.0), (True, None))

NO_BREAK_SPACE = "\u00a0"
_BOX, _GLUE, _PENALTY = 0, 1, 2
_TIE = float("inf")  # the penalty of glue no line may end at: a no-break space
_TIED = "tied"  # a no-break space's place in a word
_FORCED = float("-inf")


_Sums = tuple[float, float, float, float, float]  # width, stretch, shrink, fil, letters
# An element: kind, width, stretch, shrink, penalty, flagged, where, fil, hyphen (read by
# position: the line breaker's inner loop reads hundreds of thousands).
_Row = tuple[int, float, float, float, float, bool, tuple[int, int, int, Any], float, bool]


class _Node:
    """A feasible break: where, after how many lines, and the best way to reach it."""

    __slots__ = (
        "at", "line", "fitness", "run", "demerits", "previous", "width", "stretch",
        "shrink", "fil", "letters", "start", "flagged",
    )  # fmt: skip

    def __init__(self, at: int, line: int, fitness: int, run: int, demerits: float,
                 previous: _Node | None, sums: _Sums, start: int,
                 flagged: bool) -> None:  # fmt: skip
        self.at, self.line, self.fitness, self.run = at, line, fitness, run
        self.demerits, self.previous = demerits, previous
        self.width, self.stretch, self.shrink, self.fil, self.letters = sums
        self.start, self.flagged = start, flagged


class _Paragraph:
    """The boxes, glue and penalties of a paragraph's tokens, and where each came from.

    Each element is a row (``_Row``: kind, width, stretch, …, read by position). Its
    ``where`` is ``(token, offset, end, look)``: for a box, the characters ``offset:end``
    of word ``token``; for glue, space ``token`` (``fil``: the glue that ends a paragraph
    or a forced line); for a penalty, a break inside word ``token`` at ``offset``
    (``look``: the added hyphen's). ``hyphen``: the penalty is a hyphenation point (left
    out of a try without hyphenation). With ``narrowest``, a word wider than that may also
    break between any two characters.
    """

    def __init__(self, items: list[Token], measure: Measure, justify: bool,
                 narrowest: float | None = None, hyphenate: bool = True) -> None:  # fmt: skip
        self.rows: list[_Row] = []  # one per element
        self.prefix: dict[int, tuple[float, ...]] = {}  # word token -> widths of its heads
        self.lengths: dict[int, int] = {}  # word token -> its number of characters
        self.gaps: dict[int, Any] = {}  # a forced break's element -> the look it broke at
        self.measure = measure
        self.expand = EXPAND if justify else 0.0
        self.hyphenate = hyphenate  # without: no hyphenation points (a try without them)
        self._build(items, justify, narrowest)

    def _add(self, kind: int, width: float, stretch: float, shrink: float, penalty: float,
             flagged: bool, where: tuple[int, int, int, Any], fil: float = 0.0,
             hyphen: bool = False) -> None:  # fmt: skip
        self.rows.append((kind, width, stretch, shrink, penalty, flagged, where, fil, hyphen))

    def _build(self, items: list[Token], justify: bool, narrowest: float | None) -> None:
        count = len(items)
        rows = self.rows
        for index, token in enumerate(items):
            kind = type(token)
            if kind is Word:
                self._word(index, token, narrowest)
            elif kind is Space:
                following = items[index + 1] if index + 1 < count else None
                if following is None or isinstance(following, NewLine):
                    continue  # spaces at a line's end are not set (the break keeps the look)
                width = token.width
                if justify:
                    rows.append((_GLUE, width, width * STRETCH, width * SHRINK, 0.0, False,
                                 (index, 0, 0, None), 0.0, False))  # fmt: skip
                else:
                    rows.append((_GLUE, width, 0.0, 0.0, 0.0, False, (index, 0, 0, None), 0.0,
                                 False))  # fmt: skip
            elif isinstance(token, NewLine):
                self._end(index, items)
            else:
                self._word(index, token, narrowest)
        if not isinstance(items[-1], NewLine):  # a forced break at the end ends it, as in ``fill``
            self._end(count, items)

    def _end(self, index: int, items: list[Token]) -> None:
        """The glue that fills a paragraph's (or a forced line's) last line, and its break,
        keeping the look of the space or word the line ends with, as ``fill`` does."""
        before = items[index - 1] if index else None
        if isinstance(before, Space):
            gap = before.look
        elif isinstance(before, Word) and index < len(items):
            gap = before.pieces[-1].look
        else:
            gap = None
        self._add(_GLUE, 0.0, 0.0, 0.0, 0.0, False, (index, -1, -1, None), fil=1.0)
        self.gaps[len(self.rows)] = gap
        self._add(_PENALTY, 0.0, 0.0, 0.0, _FORCED, False, (index, -1, -1, None))

    def _word(self, index: int, word: Word, narrowest: float | None) -> None:
        pieces = word.pieces
        text = pieces[0].text if len(pieces) == 1 else word.text
        breaks = len(text) > 2 and not word.whole
        points = _points(text, word.lang, word.hyphenate and self.hyphenate) if breaks else ()
        if narrowest is not None and word.width > narrowest:  # any two characters too
            taken = {offset for offset, _ in points}
            points = tuple(sorted((*points, *((o, "") for o in range(1, len(text))
                                               if o not in taken))))  # fmt: skip
        ties = _ties(text) if NO_BREAK_SPACE in text else ()
        expand = self.expand
        self.lengths[index] = len(text)
        if not points and not ties:
            give = word.width * expand
            self.rows.append((_BOX, word.width, give, give, 0.0, False, (index, 0, len(text), None),
                              0.0, False))  # fmt: skip
            return
        if ties:  # no break next to a no-break space; the space itself stretches
            near = {offset for tie in ties for offset in (tie, tie + 1)}
            points = tuple(sorted((*(p for p in points if p[0] not in near),
                                   *((tie, _TIED) for tie in ties))))  # fmt: skip
        measure = self.measure
        prefix = self.prefix[index] = _prefix(pieces, measure)
        address = _address(text)
        last = 0
        for offset, kind in points:
            width = prefix[offset] - prefix[last]
            self._add(_BOX, width, width * expand, width * expand, 0.0, False,
                      (index, last, offset, None))  # fmt: skip
            if kind == _TIED:
                space = prefix[offset + 1] - prefix[offset]
                stretch, shrink = (space * STRETCH, space * SHRINK) if expand else (0.0, 0.0)
                self._add(_GLUE, space, stretch, shrink, _TIE, False,
                          (index, offset, offset + 1, None))  # fmt: skip
                last = offset + 1
                continue
            if kind == HYPHENATE:
                look = _look_at(pieces, offset - 1)
                self._add(_PENALTY, measure(SOFT_HYPHEN, look), 0.0, 0.0, HYPHEN_PENALTY, True,
                          (index, offset, offset, look), hyphen=True)  # fmt: skip
            elif kind == AFTER:
                self._add(_PENALTY, 0.0, 0.0, 0.0,
                          ADDRESS_PENALTY if address else COMPOUND_PENALTY, not address,
                          (index, offset, offset, None))  # fmt: skip
            else:
                self._add(_PENALTY, 0.0, 0.0, 0.0, CHARACTER_PENALTY, False,
                          (index, offset, offset, None))  # fmt: skip
            last = offset
        width = prefix[-1] - prefix[last]
        self._add(_BOX, width, width * expand, width * expand, 0.0, False,
                  (index, last, len(text), None))  # fmt: skip


def _ties(text: str) -> tuple[int, ...]:
    """The offsets of the no-break spaces inside ``text`` (not at its ends)."""
    return tuple(i for i in range(1, len(text) - 1) if text[i] == NO_BREAK_SPACE)


def _look_at(pieces: tuple[Piece, ...], offset: int) -> Any:
    """The look of a word's character at ``offset``."""
    for piece in pieces:
        if offset < len(piece.text):
            return piece.look
        offset -= len(piece.text)
    return pieces[-1].look


@lru_cache(maxsize=1 << 16)
def _points(text: str, lang: str, hyphenate: bool) -> tuple[tuple[int, str], ...]:
    return tuple(sorted(set(break_points(text, lang, hyphenate))))


def _address(text: str) -> bool:
    """Whether ``text`` is an address or a path (its breaks are no compound's hyphens)."""
    return any(ch in "/.?&=_@\\:" for ch in text)


def _prefix(pieces: tuple[Piece, ...], measure: Measure) -> tuple[float, ...]:
    """The widths of the first 0, 1, 2 … characters of a word."""
    prefix = [0.0]
    for piece in pieces:
        for ch in piece.text:
            prefix.append(prefix[-1] + measure(ch, piece.look))
    return tuple(prefix)


def total_fit(
    items: list[Token],
    width: Callable[[int], float],
    measure: Measure,
    justify: bool = True,
    em: float = 10.0,
) -> list[Line]:
    """The lines of ``items`` with the least demerits; ``width(n)`` is the width of line
    ``n`` (all lines after the first are ``width(1)`` wide), ``em`` the text's size (the
    room a ragged line has on its right is measured in it)."""
    if not items:
        return fill(items, width, measure)
    widths = (width(0), width(1))
    ragged = 0.0 if justify else RAGGED_STRETCH * em
    paragraph = _Paragraph(items, measure, justify, hyphenate=False)  # most need no more
    for hyphenate, tolerance in TRIES:
        if hyphenate and not paragraph.hyphenate:
            paragraph = _Paragraph(items, measure, justify)
            if not any(row[8] for row in paragraph.rows) and tolerance == TRIES[0][1]:
                continue  # the same try as the first
        if tolerance is None and any(isinstance(t, Word) and t.width > min(widths) for t in items):
            paragraph = _Paragraph(items, measure, justify, min(widths))
        breaks = _breaks(paragraph, widths, tolerance, ragged, hyphenate)
        if breaks is not None:
            return _lines(paragraph, items, breaks, widths, justify, tolerance is None)
    return fill(items, width, measure)


def _breaks(
    par: _Paragraph,
    widths: tuple[float, float],
    tolerance: float | None,
    ragged: float,
    hyphenate: bool,
) -> list[_Node] | None:
    """The chosen breaks, first to last (None if there is no feasible way)."""
    rows = par.rows
    count = len(rows)
    first = _skip(par, -1, (0.0, 0.0, 0.0, 0.0, 0.0))
    active = [_Node(-1, 0, 1, 0, 0.0, None, first[0], first[1], False)]
    width = stretch = shrink = fil = letters = 0.0
    limit = float("inf") if tolerance is None else tolerance
    most = (limit / 100.0) ** (1 / 3)  # the loosest ratio within the tolerance
    first_room, room_after = widths
    inf = float("inf")
    for at, row in enumerate(rows):
        kind = row[0]
        if kind == _BOX:
            width += row[1]
            letters += row[2]
            continue
        if kind == _GLUE:
            if at and rows[at - 1][0] == _BOX and not row[7] and row[4] != _TIE:
                extra = penalty = 0.0
                forced = flagged = False
            else:
                width += row[1]
                stretch += row[2]
                shrink += row[3]
                fil += row[7]
                continue
        elif hyphenate or not row[8]:
            extra, penalty, flagged = row[1], row[4], row[5]
            forced = penalty == _FORCED
        else:
            continue
        best: dict[tuple[int, int], tuple[float, _Node]] = {}
        keep: list[_Node] = []
        for position, node in enumerate(active):  # in the order of their breaks
            room = room_after if node.line else first_room
            used = width - node.width + extra
            if used < room:
                if fil > node.fil:
                    ratio = 0.0
                else:  # letters and spaces stretch together; past its most, spaces alone
                    flex = letters - node.letters  # letters widen or narrow as much as this
                    give = stretch - node.stretch + ragged
                    slack = room - used
                    if slack <= give + flex:
                        ratio = slack / (give + flex)
                    elif give > 0:
                        ratio = (slack - flex) / give
                    else:
                        ratio = inf
                if ratio > most:  # too loose; the lines from the later breaks are looser still
                    if position:
                        keep += active[position:]
                    else:  # the commonest case, mid-line: nothing changes
                        keep = active
                    break
                if not forced:
                    keep.append(node)
            elif used > room:
                take = shrink - node.shrink + letters - node.letters
                if take <= 0 or used - room > take:
                    continue  # too long from here on: the node is done
                ratio = (room - used) / take
                if not forced:
                    keep.append(node)
            else:
                ratio = 0.0
                if not forced:
                    keep.append(node)
            run = node.run + 1 if flagged else 0
            if run > MOST_IN_A_ROW:
                continue
            badness = 100.0 * abs(ratio) ** 3 if ratio != inf else 1e12  # 1e12: no justifying
            demerits = (LINE_PENALTY + badness) ** 2
            if penalty > 0:
                demerits += penalty * penalty
            if flagged and node.flagged:
                demerits += DOUBLE_HYPHEN_DEMERITS
            if forced and node.flagged:
                demerits += FINAL_HYPHEN_DEMERITS
            fitness = 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 if ratio <= 1 else 3
            if fitness - node.fitness > 1 or node.fitness - fitness > 1:
                demerits += ADJACENT_DEMERITS
            total = node.demerits + demerits
            key = (fitness, run)
            held = best.get(key)
            if held is None or total < held[0]:
                best[key] = (total, node)
        active = keep
        if best:
            sums, start = _skip(par, at, (width, stretch, shrink, fil, letters))
            for (fitness, run), (total, node) in best.items():
                active.append(_Node(at, node.line + 1, fitness, run, total, node, sums, start,
                                    flagged))  # fmt: skip
        if not active:
            return None
        if kind == _GLUE:
            width += row[1]
            stretch += row[2]
            shrink += row[3]
            fil += row[7]
    ends = [node for node in active if node.at == count - 1]
    if not ends:
        return None
    node: _Node | None = min(ends, key=lambda n: (n.demerits, n.line))
    chosen: list[_Node] = []
    while node is not None and node.at >= 0:
        chosen.append(node)
        node = node.previous
    chosen.reverse()
    return chosen


def _skip(par: _Paragraph, at: int, sums: _Sums) -> tuple[_Sums, int]:
    """The sums after a break at ``at`` (the glue and penalties that follow it are dropped,
    up to the next box or forced break), and the element the next line starts with."""
    width, stretch, shrink, fil, letters = sums
    rows = par.rows
    index = at + 1 if at >= 0 else 0
    if at >= 0 and rows[at][0] == _GLUE:  # the glue broken at is not on either line
        _, size, give, take, _, _, _, fils, _ = rows[at]
        width, stretch, shrink, fil = width + size, stretch + give, shrink + take, fil + fils
    while index < len(rows) and rows[index][0] != _BOX:
        kind, size, give, take, penalty, _, _, fils, _ = rows[index]
        if kind == _PENALTY and penalty == _FORCED:
            break
        if kind == _GLUE:
            width, stretch, shrink, fil = width + size, stretch + give, shrink + take, fil + fils
        index += 1
    return (width, stretch, shrink, fil, letters), index


def _lines(
    par: _Paragraph,
    items: list[Token],
    chosen: list[_Node],
    widths: tuple[float, float],
    justify: bool,
    last_resort: bool,
) -> list[Line]:
    """The chosen breaks as lines of words and spaces."""
    out: list[Line] = []
    begin = _skip(par, -1, (0.0, 0.0, 0.0, 0.0, 0.0))[1]
    for node in chosen:
        line = _line(par, items, begin, node.at)
        kind, _, _, _, penalty, _, where, _, _ = par.rows[node.at]
        if kind == _PENALTY and penalty == _FORCED:
            line.last = True
            line.gap = par.gaps.get(node.at)
        elif kind == _GLUE:
            line.gap = items[where[0]].look  # type: ignore[union-attr]
        else:
            line.hyphen = where[3]
        if justify and last_resort and not line.last and line.spaces:
            room = widths[0] if not out else widths[1]
            word_space, scale = adjustment(line, room, par.measure)
            space = statistics.fmean(word_spaces(line, par.measure))
            if (space + word_space) * scale > RAGGED * space:
                line.ragged = True
        out.append(line)
        begin = node.start
    out[-1].last = True
    return out


def adjustment(line: Line, room: float, measure: Measure) -> tuple[float, float]:
    """How a justified ``line`` is set to fill ``room``: the width added to each space (the
    PDF's word spacing; below zero where they shrink) and the horizontal scale of the whole
    line (1 ± ``EXPAND`` at most). Spaces and letters share the difference as the line
    breaker counted it: a space by ``STRETCH`` or ``SHRINK`` of its width, letters by
    ``EXPAND`` of theirs."""
    hyphen = measure(SOFT_HYPHEN, line.hyphen) if line.hyphen is not None else 0.0
    natural = line.width + hyphen
    slack = room - natural
    spaces = word_spaces(line, measure)
    spaced = sum(spaces)
    letters = natural - spaced
    give = spaced * (STRETCH if slack >= 0 else SHRINK) + letters * EXPAND
    ratio = max(-1.0, min(1.0, slack / give)) if give > 0 else 0.0
    scale = 1.0 + ratio * EXPAND
    if not spaces:
        return 0.0, scale
    return (room / scale - natural) / len(spaces), scale


def word_spaces(line: Line, measure: Measure) -> list[float]:
    """The widths of the spaces a PDF viewer widens by the word spacing on ``line``: its
    spaces, and the no-break spaces inside its words (a PDF font sets U+00A0 with the code
    of the space, so they stretch alike)."""
    widths: list[float] = []
    tied: list[float] = []  # after the spaces, as they are summed
    for item in line.items:
        if type(item) is Space:
            widths.append(item.width)
        elif isinstance(item, Word):
            for piece in item.pieces:
                if NO_BREAK_SPACE in piece.text:
                    width = measure(NO_BREAK_SPACE, piece.look)
                    tied += [width] * piece.text.count(NO_BREAK_SPACE)
    return widths + tied if tied else widths


def _line(par: _Paragraph, items: list[Token], begin: int, end: int) -> Line:
    """The line of elements ``begin`` up to ``end`` (the break, not included)."""
    parts: list[Word | Space] = []
    used = 0.0
    rows = par.rows
    word = -1  # the word token whose characters first:last are being gathered, if any
    first = last = 0
    for at in range(begin, end):
        kind, _, _, _, penalty, _, (token, offset, stop, _), _, _ = rows[at]
        if kind == _BOX or penalty == _TIE:  # a word's part, or its no-break space
            if token == word and last == offset:
                last = stop
                continue
            if word >= 0:
                part = _slice(par, items, word, first, last)
                parts.append(part)
                used += part.width
            word, first, last = token, offset, stop
        elif kind == _GLUE:
            if word >= 0:
                part = _slice(par, items, word, first, last)
                parts.append(part)
                used += part.width
                word = -1
            if offset == 0:  # a space (the fil glue sets nothing)
                space = items[token]
                parts.append(space)  # type: ignore[arg-type]
                used += space.width  # type: ignore[union-attr]
    if word >= 0:
        part = _slice(par, items, word, first, last)
        parts.append(part)
        used += part.width
    while parts and isinstance(parts[-1], Space):
        used -= parts.pop().width
    return Line(parts, used, _start(par, items, begin))


def _start(par: _Paragraph, items: list[Token], at: int) -> tuple[int, Word | None]:
    """Where the rest of the paragraph begins, for a line starting at element ``at``."""
    if at >= len(par.rows):
        return (len(items), None)
    kind, _, _, _, _, _, (token, offset, _, _), _, _ = par.rows[at]
    if kind == _BOX and offset > 0:
        word = items[token]
        assert isinstance(word, Word)
        return (token + 1, _slice(par, items, token, offset, par.lengths[token]))
    return (token, None)


def _slice(par: _Paragraph, items: list[Token], token: int, first: int, last: int) -> Word:
    """Characters ``first:last`` of word ``token`` as a word of their own."""
    word = items[token]
    assert isinstance(word, Word)
    if first == 0 and last == par.lengths[token]:
        return word
    prefix = par.prefix[token]
    pieces: list[Piece] = []
    position = 0
    for piece in word.pieces:
        end = position + len(piece.text)
        lo, hi = max(first, position), min(last, end)
        if lo < hi:
            pieces.append(Piece(piece.text[lo - position : hi - position], piece.look))
        position = end
    return Word(tuple(pieces), prefix[last] - prefix[first], word.lang, word.hyphenate)
