"""Typography by language, applied once to the model as it is read, so that every edition
carries the same characters: quotes, apostrophes, dashes, the ellipsis, no-break spaces.
What each language wants is data (``RULES``); a language without an entry stays as written.
Code, addresses (URLs, e-mail), raw HTML tags and entities are never touched. The rules that
pair quotes or bind words change one character for another over a paragraph's whole text;
the ellipsis, ``--`` and year ranges work inside one text node. Twice is the same as once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from exporter import model as m
from exporter import walk
from exporter.languages import Languages

if TYPE_CHECKING:
    from exporter.model import Article, Block, Inline, Poll

NBSP = "\u00a0"
OBJECT = "\ufffc"  # stands for code (a word) in a paragraph's text: never changed
LINE = "\u2028"  # stands for a line break: never changed, and no word to bind to

# Units an English number is bound to by a no-break space (5 km, 10 %); Russian binds a
# number to any word after it (2019 году, 10 км, 5 %).
_EN_UNITS = frozenset({
    "%", "‰", "°", "°C", "°F", "km", "m", "cm", "mm", "µm", "nm", "kg", "g", "mg", "t", "l",
    "ml", "h", "min", "s", "ms", "kB", "KB", "MB", "GB", "TB", "PB", "kb", "Mb", "Gb", "bit",
    "bits", "B", "Hz", "kHz", "MHz", "GHz", "W", "kW", "MW", "GW", "kWh", "MWh", "GWh", "V",
    "mV", "kV", "A", "mA", "pt", "px", "pp", "ft", "mi", "lb", "oz",
})  # fmt: skip
# Russian words bound to the word after them: every one-letter word (в, к, с, у, о, и, а,
# я) and these prepositions, conjunctions and particles of two or three letters.
_RU_SHORT = frozenset({
    "во", "ко", "со", "об", "обо", "от", "до", "за", "из", "изо", "на", "над", "под", "при",
    "про", "без", "для", "не", "ни", "но", "да",
})  # fmt: skip


@dataclass(frozen=True)
class Rules:
    """A language's typography: its quotation marks (outer open, outer close, inner open,
    inner close), the dash a spaced hyphen between words becomes (with a no-break space
    before it and a space after), the short words bound to the next one (any one-letter
    word is with ``one_letter_words``), whether a number binds any word after it or only
    ``units``; with ``nested_by_depth`` a quotation inside another takes the inner marks
    whichever the author typed, else double quotes take the outer marks and single ones
    the inner."""

    quotes: tuple[str, str, str, str]
    dash: str
    short_words: frozenset[str] = frozenset()
    number_binds_words: bool = False
    units: frozenset[str] = frozenset()
    one_letter_words: bool = False
    nested_by_depth: bool = False


RULES: dict[str, Rules] = {
    "en": Rules(("“", "”", "‘", "’"), "–", units=_EN_UNITS),
    "ru": Rules(("«", "»", "„", "“"), "—", _RU_SHORT, True, frozenset(), True, True),
}
APOSTROPHE = "’"


@cache
def rules_for(lang: str) -> Rules | None:
    """The rules of ``lang`` (a BCP 47 tag: its language subtag decides), None if none
    (asked for every word a rule may change: remembered)."""
    return RULES.get(lang.split("-")[0].split("_")[0].lower())


# Never changed: addresses, e-mail addresses, raw HTML tags and comments, entities.
_PROTECTED = re.compile(
    r"(?:https?|ftp)://\S+|mailto:\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|<!--.*?-->|</?[A-Za-z][^<>]*>|&#?\w+;",
    re.DOTALL,
)

_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_DOUBLE_HYPHEN = re.compile(r"(?<=\s)-{2,3}(?=\s)")
_YEAR = r"(1[0-9]{3}|20[0-9]{2})"
_YEARS = re.compile(rf"(?<![\w.,/–-]){_YEAR}[ \u00a0]?[-–—][ \u00a0]?{_YEAR}(?![\w/–-]|[.,]\d)")


def _year_range(match: re.Match[str]) -> str:
    first, last = match.group(1), match.group(2)
    return f"{first}–{last}" if int(first) < int(last) else match.group(0)


def _local(text: str) -> str:
    if "..." in text:  # each pattern is looked for only where it can be (a long article)
        text = _ELLIPSIS.sub("…", text)
    if "--" in text:
        text = _DOUBLE_HYPHEN.sub("–", text)
    if _SOME_YEAR.search(text):
        text = _YEARS.sub(_year_range, text)
    return text


_SOME_YEAR = re.compile(_YEAR)
# where a protected stretch may begin: an address's scheme or "www.", an e-mail's "@", a
# tag's "<", an entity's "&"
_MAY_PROTECT = ("://", "mailto:", "www.", "@", "<", "&")


def _outside_protected(text: str, change: Callable[[str], str]) -> tuple[str, list[bool]]:
    """``text`` with ``change`` applied to the stretches that are not protected, and for
    each character of the result whether later rules may change it."""
    if not any(mark in text for mark in _MAY_PROTECT):
        part = change(text)
        return part, [True] * len(part)
    out: list[str] = []
    mask: list[bool] = []
    pos = 0
    for match in _PROTECTED.finditer(text):
        part = change(text[pos : match.start()])
        out += [part, match.group()]
        mask += [True] * len(part) + [False] * len(match.group())
        pos = match.end()
    part = change(text[pos:])
    out.append(part)
    mask += [True] * len(part)
    return "".join(out), mask


@dataclass
class _Segment:
    text: str
    lang: str
    editable: bool


def _segments(nodes: tuple[Inline, ...], lang: str, out: list[_Segment]) -> None:
    for node in nodes:
        if isinstance(node, m.Text):
            out.append(_Segment(node.text, lang, True))
        elif isinstance(node, m.Code):
            out.append(_Segment(OBJECT, lang, False))
        elif isinstance(node, m.LineBreak):
            out.append(_Segment(LINE, lang, False))
        elif isinstance(node, m.Span):
            _segments(node.children, node.lang, out)
        elif isinstance(node, m.Emph | m.Strong | m.Link):
            _segments(node.children, lang, out)
        elif not isinstance(node, m.NoteRef):  # a note's call is a mark beside the text
            out.append(_Segment(OBJECT, lang, False))


def _rebuilt(nodes: tuple[Inline, ...], texts: list[str]) -> tuple[Inline, ...]:
    """``nodes`` with their texts, in order, taken from ``texts``."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, m.Text):
            node = m.Text(texts.pop(0))
        elif isinstance(node, m.Emph | m.Strong | m.Link | m.Span):
            node = replace(node, children=_rebuilt(node.children, texts))
        out.append(node)
    return tuple(out)


def typeset_inlines(
    nodes: tuple[Inline, ...],
    lang: str,
    languages: Languages | None = None,
    no_break: bool = True,
) -> tuple[Inline, ...]:
    """A paragraph's inlines (or a heading's, a cell's, a caption's) set in ``lang``."""
    segments: list[_Segment] = []
    _segments(nodes, lang, segments)
    if not any(s.editable for s in segments):
        return nodes
    new = _typeset(segments, languages or Languages(lang), no_break)
    return _rebuilt(nodes, [t for t, s in zip(new, segments, strict=True) if s.editable])


def typeset_text(
    text: str, lang: str, languages: Languages | None = None, no_break: bool = True
) -> str:
    """A plain text (a title, a poll's question, an image's description) set in ``lang``."""
    return _typeset([_Segment(text, lang, True)], languages or Languages(lang), no_break)[0]


def _typeset(segments: list[_Segment], languages: Languages, no_break: bool) -> list[str]:
    chars: list[str] = []
    mask: list[bool] = []
    base: list[str] = []
    sizes: list[int] = []
    for seg in segments:
        text, editable = seg.text, [False] * len(seg.text)
        if seg.editable:
            text, editable = _outside_protected(seg.text, _local)
        chars += text
        mask += editable
        base += [seg.lang] * len(text)
        sizes.append(len(text))
    spoken, prevailing, spoken_in = _spoken(chars, base, languages)
    space = NBSP if no_break else " "
    _Pass(chars, mask, prevailing, spoken, spoken_in, space).run()
    out, pos = [], 0
    for size in sizes:
        out.append("".join(chars[pos : pos + size]))
        pos += size
    return out


_AS_TYPED = {**dict.fromkeys("“”„«»", '"'), **dict.fromkeys("‘’‚", "'")}


def _as_typed(text: str) -> str:
    """``text`` with straight quotes for curly ones (a replacement per mark: ``translate``
    looks every character up)."""
    for curly, straight in _AS_TYPED.items():
        if curly in text:
            text = text.replace(curly, straight)
    return text


def _spoken(
    chars: list[str], base: list[str], languages: Languages
) -> tuple[list[str], list[str], set[str]]:
    """The language of each character's word (its stretch's, or the one its script is read
    in), and of its sentence: a stretch of three words or more in another script is in
    that script's language, a shorter one (a name, a term) in the language around it; and
    the languages of the words, once each."""
    spoken: list[str] = []
    prevailing: list[str] = []
    spoken_in: set[str] = set()
    start = 0
    if not chars:
        return spoken, prevailing, spoken_in
    ends = [len(chars)] if base.count(base[0]) == len(base) else range(
        1, len(chars) + 1)  # one language throughout: one stretch
    for end in ends:
        if end == len(chars) or base[end] != base[start]:
            plain = _as_typed("".join(chars[start:end]))  # the same once set
            for lang, text in languages.runs(plain, base[start]):
                spoken += [lang] * len(text)
                if text:
                    spoken_in.add(lang)
                if lang == base[start]:
                    prevailing += [lang] * len(text)
                    continue
                words = sum(1 for word in text.split() if any(c.isalpha() for c in word))
                prevailing += [lang if words >= 3 else base[start]] * len(text)
            start = end
    return spoken, prevailing, spoken_in


_DOUBLE, _SINGLE = "double", "single"
_QUOTES = {'"': (_DOUBLE, ""), "“": (_DOUBLE, ""), "”": (_DOUBLE, ""), "„": (_DOUBLE, "open"),
           "«": (_DOUBLE, "open"), "»": (_DOUBLE, "close"), "'": (_SINGLE, ""),
           "‘": (_SINGLE, "open"), "’": (_SINGLE, ""), "‚": (_SINGLE, "open")}  # fmt: skip
_QUOTE_CHARS = re.compile("[" + re.escape("".join(_QUOTES)) + "]")
_BEFORE_OPEN = frozenset("([{/-–—\u00a0") | frozenset(_QUOTES)
_AFTER_CLOSE = frozenset(".,;:!?)]}/…-–—\u00a0") | frozenset(_QUOTES)
_ELIDED = re.compile(r"(?:\d\d(?:s|\b)|(?:tis|twas|em|n)\b)", re.IGNORECASE)  # ’90s, ’em
# (a pattern that starts with what it matches, not with a look behind, is searched for
# only where that can be: over a long article, in under half the time)
_DASH = re.compile(r"[ \u00a0](?<=[^\s\-–—][ \u00a0])([-–—]) (?=[^\s\-–—])")
_SHORT = re.compile(r"(?<![\w\-.])(\w{1,3})( )(?=[\w\"'«„“‘(\ufffc])")  # \ufffc: code
_INITIAL = re.compile(r"(?<![\w.])(\w)\.( )(?=\w)")
_NUMBER = re.compile(r"\d(?<![\w.,]\d)\d*(?:[.,]\d+)*( )(?=([^\s]+))")
_SIGN = re.compile(r"( )(?<=[№§] )(?=\d)")


class _Pass:
    """The rules that replace one character by another over a paragraph's whole text."""

    def __init__(self, chars: list[str], mask: list[bool], base: list[str],
                 spoken: list[str], spoken_in: set[str], space: str) -> None:  # fmt: skip
        self.chars, self.mask, self.base, self.spoken = chars, mask, base, spoken
        self.spoken_in = spoken_in  # the languages of ``spoken``
        self.space = space  # what binds: a no-break space, or " " when none is set
        self.text = "".join(chars)
        self.changed = False  # since ``text`` was joined

    def run(self) -> None:
        rules = (self.dashes, self.quotes, self.spaces) if self.space == NBSP else (
            self.dashes, self.quotes)  # fmt: skip
        for rule in rules:
            rule()
            if self.changed:
                self.text = "".join(self.chars)
                self.changed = False

    def _set(self, i: int, char: str) -> None:
        if self.mask[i]:
            self.chars[i] = char
            self.changed = True

    def dashes(self) -> None:
        for match in _DASH.finditer(self.text):
            i = match.start()
            rules = rules_for(self.base[i])
            if rules and all(self.mask[i : i + 3]):
                if self.space == NBSP:
                    self._set(i, NBSP)
                self._set(i + 1, rules.dash)

    def spaces(self) -> None:
        spoken = [rules_for(lang) for lang in self.spoken_in]
        if any(r and (r.short_words or r.one_letter_words) for r in spoken):  # not English
            self._short_words()
        for match in _INITIAL.finditer(self.text):
            upper = match.group(1).isupper() and self.text[match.end()].isupper()
            if upper and rules_for(self.spoken[match.start()]):
                self._set(match.start(2), NBSP)
        for match in _NUMBER.finditer(self.text):
            rules = rules_for(self.spoken[match.start(2)])
            word = match.group(2).rstrip(".,;:!?)»”’")
            words = bool(rules and rules.number_binds_words) and word[:1].isalpha()
            if rules and (words or word[:1] in "%‰°" or word in rules.units):
                self._set(match.start(1), NBSP)
        for match in _SIGN.finditer(self.text):
            if rules_for(self.spoken[match.start()]):
                self._set(match.start(1), NBSP)

    def _short_words(self) -> None:
        for match in _SHORT.finditer(self.text):
            rules, word = rules_for(self.spoken[match.start()]), match.group(1)
            one = bool(rules and rules.one_letter_words) and len(word) == 1 and word.isalpha()
            if rules and (one or word.lower() in rules.short_words):
                self._set(match.start(2), NBSP)

    def quotes(self) -> None:
        text = self.text
        stack: list[tuple[int, str]] = []
        pairs: list[tuple[int, int, str]] = []
        lone: list[tuple[int, str]] = []  # an unmatched double quote and its role
        for found in _QUOTE_CHARS.finditer(text):
            i, char = found.start(), found.group()
            if not self.mask[i] or not rules_for(self.base[i]):
                continue
            kind, hint = _QUOTES[char]
            prev = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            can_open = not after.isspace() and (prev.isspace() or prev in _BEFORE_OPEN)
            can_close = not prev.isspace() and (after.isspace() or after in _AFTER_CLOSE)
            merged = rules_for(self.base[i]).nested_by_depth  # type: ignore[union-attr]
            opens = any(merged or k == kind for _, k in stack)
            if (
                kind == _SINGLE
                and (prev.isalnum() or prev == OBJECT)
                and (after.isalnum() or after == OBJECT)
                and not hint
            ):
                self._set(i, APOSTROPHE)
                continue
            if kind == _SINGLE and not hint and can_open and _ELIDED.match(text, i + 1):
                self._set(i, APOSTROPHE)
                continue
            role = hint or ("open" if can_open and not can_close else
                            "close" if can_close and not can_open else
                            "close" if opens else "open")  # fmt: skip
            if role == "open":
                stack.append((i, kind))
            elif opens:
                while stack:
                    j, k = stack.pop()
                    if merged or k == kind:
                        pairs.append((j, i, k))
                        break
                    lone.append((j, "open"))
            elif kind == _SINGLE:
                self._set(i, APOSTROPHE)  # the parents’ house
            else:
                lone.append((i, "close"))
        lone += [(j, "open") for j, _ in stack]
        for start, end, kind in pairs:
            rules = self._pair_rules(start, end)
            if rules:
                inner = kind == _SINGLE
                if rules.nested_by_depth:
                    inner = sum(1 for a, b, _ in pairs if a < start and end < b) % 2 == 1
                self._set(start, rules.quotes[2 * inner])
                self._set(end, rules.quotes[2 * inner + 1])
        for i, role in lone:
            rules = rules_for(self.base[i])
            if rules is None or text[i] not in "\"'":  # a curly one stays as typed
                continue
            if _QUOTES[text[i]][0] == _SINGLE:
                self._set(i, APOSTROPHE)
            else:
                depth = sum(1 for a, b, _ in pairs if a < i < b) if rules.nested_by_depth else 0
                self._set(i, rules.quotes[2 * (depth % 2) + (role == "close")])

    def _pair_rules(self, start: int, end: int) -> Rules | None:
        """The quotes of a pair are those of the language of what it holds (a span's, a
        quotation's in another script), a name or a term taking those of the text around."""
        first = next((i for i in range(start + 1, end) if self.text[i].isalpha()), start)
        return rules_for(self.base[first]) or rules_for(self.base[start])


def typeset_article(article: Article) -> Article:
    """The article with its text set: summary, body and notes (paragraphs, headings, table
    cells and captions, figures' captions, credits and descriptions), its titles, names,
    polls and related articles. Code and addresses stay as written."""
    langs = Languages.of(article)
    lang = article.lang

    def text(value: str) -> str:
        return typeset_text(value, lang, langs)

    def localized(value: m.LocalizedText | None) -> m.LocalizedText | None:
        if value is None:
            return None
        return m.LocalizedText(tuple((k, typeset_text(v, k, langs)) for k, v in value.items))

    def poll(value: Poll) -> Poll:
        answers = tuple(replace(a, label=text(a.label)) for a in value.answers)
        return replace(value, question=text(value.question), answers=answers,
                       status=text(value.status))  # fmt: skip

    def block(value: Block) -> Block:
        value = walk.with_inlines(value, lambda part: typeset_inlines(part, lang, langs))
        if isinstance(value, m.Figure):
            return replace(value, alt=text(value.alt))
        if isinstance(value, m.PollBlock):
            return replace(value, poll=poll(value.poll))
        if isinstance(value, m.Callout):
            return replace(value, label=text(value.label))
        return value

    def author(value: m.Author) -> m.Author:
        name = localized(value.name) or value.name
        places = tuple(localized(a) or a for a in value.affiliations)
        return replace(value, name=name, affiliations=places)

    article = walk.map_article(article, block)
    publisher = replace(article.publisher, name=localized(article.publisher.name),
                        short=localized(article.publisher.short))  # fmt: skip
    return replace(
        article,
        title=localized(article.title),
        subtitle=localized(article.subtitle),
        short_title=localized(article.short_title),
        series=localized(article.series),
        dateline=localized(article.dateline),
        authors=tuple(author(a) for a in article.authors),
        publisher=publisher,
        polls=tuple(poll(p) for p in article.polls),
        related=tuple(replace(r, title=text(r.title)) for r in article.related),
    )
