"""Citations resolved against the bibliography with a CSL style, once, in the source layer:
no edition meets a ``Cite``. What comes out is ordinary model: text, links to the entries
(``#ref-<key>``), notes, and at the end of the body a "References" heading with the
``Bibliography`` of every work cited, each once, in the style's order.

A note style (Chicago notes) turns each citation in the text into a note numbered with the
article's own notes, a citation inside a note into the note's text, with short forms and
"Ibid." as the style decides; an in-text style (author-date, numeric) sets it in the
sentence, each work linked to its entry.

Each work is set in its own language's terms, whatever the article's language: a Russian
entry gets "и др.", "там же" and "под ред.", an English one "et al.", "ibid." and "ed." —
the style's locale chain is swapped for each item (an entry without a language takes the
article's)."""

from __future__ import annotations

import difflib
import html
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from exporter import model as m
from exporter import walk
from exporter.labels import author_list, label
from exporter.source.bibliography import Entry
from exporter.source.citesyntax import cites_of
from exporter.source.cslfixes import finished

SHIPPED = Path(__file__).resolve().parent.parent / "csl"
DEFAULT_STYLE = "chicago-author-date"
MAX_STYLE_BYTES = 1024 * 1024
_CSL = "{http://purl.org/net/xbiblio/csl}"
_PUNCTUATION = re.compile(r"[.,;:!?]+")
_URL = re.compile(r"https?://[^\s<>\"]+")
# the locale a bare language tag stands for, where it is not <lang>-<LANG>
_LOCALES = {"en": "en-US", "uk": "uk-UA", "kk": "kk-KZ", "ja": "ja-JP", "zh": "zh-CN",
            "sv": "sv-SE", "cs": "cs-CZ", "da": "da-DK", "el": "el-GR", "he": "he-IL"}  # fmt: skip


class CitationError(Exception):
    """A citation or style that cannot be used, at ``line``:``col`` (from 1) of the
    article, or of ``path`` when it names another file."""

    def __init__(self, line: int, col: int, message: str, path: str = "") -> None:
        super().__init__(message)
        self.line, self.col, self.message, self.path = line, col, message, path


def shipped_styles() -> list[str]:
    """The names of the styles the toolkit ships (``csl: apa``)."""
    return sorted(p.stem for p in SHIPPED.glob("*.csl"))


def style_path(name: str, folder: Path) -> Path:
    """The file of the style ``name``: a ``.csl`` file beside the article, else one the
    toolkit ships."""
    if name.endswith(".csl"):
        path = (folder / name).resolve()
        if not path.is_relative_to(folder.resolve()):
            raise CitationError(0, 0, f"{name!r}: the style file must be beside the article")
        if not path.is_file():
            raise CitationError(0, 0, f"{name!r}: no such file beside the article")
        return path
    if name in shipped_styles():
        return SHIPPED / f"{name}.csl"
    close = difflib.get_close_matches(name, shipped_styles(), n=2, cutoff=0.5)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    raise CitationError(0, 0, f"{name!r}: no such style{hint}; the toolkit ships "
                        f"{', '.join(shipped_styles())}, or name a .csl file")  # fmt: skip


def as_written(article: m.Article) -> m.Article:
    """The article of one without a bibliography: each ``@name`` met in the text printed as
    written (a handle, not a citation)."""

    def change(node: m.Inline) -> m.Inline:
        if not isinstance(node, m.Cite):
            return node
        item = node.items[0]
        key = item.key if re.fullmatch(r"[\w:.#$%&\-+?<>~/]+", item.key) else f"{{{item.key}}}"
        text = f"@{key}"
        if item.locator or item.suffix:
            text += f" [{' '.join(p for p in (item.locator, item.suffix) if p)}]"
        return m.Text(text)

    def blocks(seq: walk.Blocks) -> walk.Blocks:
        return walk.map_inlines(seq, change)

    return replace(article, summary=blocks(article.summary), body=blocks(article.body),
                   footnotes=walk.map_notes(article.footnotes, blocks))  # fmt: skip


def check_keys(cites: list[m.Cite], entries: dict[str, Entry]) -> list[CitationError]:
    """A problem for every citation of a key no bibliography gives, with the closest keys."""
    problems = []
    for cite in cites:
        for item in cite.items:
            if item.key in entries:
                continue
            close = difflib.get_close_matches(item.key, list(entries), n=3, cutoff=0.6)
            hint = (f"; closest: {', '.join(close)}" if close else
                    "; no key in the bibliography is like it")  # fmt: skip
            problems.append(CitationError(cite.line, cite.col,
                                          f"unknown citation key {item.key!r}{hint}"))  # fmt: skip
    return problems


# -- the style -------------------------------------------------------------------------------


@dataclass
class _Style:
    """A CSL style loaded once, its locale chain for each language met."""

    path: Path
    style: Any = None
    chains: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from citeproc import CitationStylesStyle

        from exporter.source import cslfixes

        cslfixes.apply()
        if self.path.stat().st_size > MAX_STYLE_BYTES:
            raise CitationError(0, 0, f"{self.path.name}: a style may have at most "
                                f"{MAX_STYLE_BYTES:,} bytes")  # fmt: skip
        if re.search(rb"<!(?:DOCTYPE|ENTITY)", self.path.read_bytes(), re.I):
            raise CitationError(0, 0, f"{self.path.name}: a style may not declare a DOCTYPE "
                                "or entities (they could read other files)")  # fmt: skip
        try:
            self.style = CitationStylesStyle(str(self.path), validate=False)
        except Exception as exc:  # lxml's and the processor's errors alike
            raise CitationError(0, 0, f"{self.path.name}: not a CSL style ({exc})") from None
        if self.style.root.tag != f"{_CSL}style" or self.style.root.citation is None:
            raise CitationError(0, 0, f"{self.path.name}: not a CSL style (no cs:citation)")

    @property
    def note(self) -> bool:
        return self.style.root.get("class") == "note"

    @property
    def has_bibliography(self) -> bool:
        return self.style.has_bibliography()

    def use(self, lang: str) -> bool:
        """Set the style in ``lang``'s terms; whether its punctuation goes inside quotes."""
        locale = _locale(lang)
        if locale not in self.chains:
            self.style.root.set_locale_list(locale, validate=False)
            self.chains[locale] = self.style.root.locales
        self.style.root.locales = self.chains[locale]
        for element in self.chains[locale]:
            options = element.find(f"{_CSL}style-options")
            if options is not None and options.get("punctuation-in-quote") is not None:
                return options.get("punctuation-in-quote") == "true"
        return False


@cache
def _locale(lang: str) -> str:
    from citeproc.frontend import LOCALES_PATH

    base = lang.split("-")[0].lower()
    for candidate in (lang, _LOCALES.get(base, ""), f"{base}-{base.upper()}", base):
        if candidate and Path(LOCALES_PATH, f"locales-{candidate}.xml").is_file():
            return candidate
    found = sorted(Path(LOCALES_PATH).glob(f"locales-{base}-*.xml"))
    return found[0].stem.removeprefix("locales-") if found else "en-US"


# -- resolving -------------------------------------------------------------------------------


def resolve(article: m.Article, entries: dict[str, Entry], csl: Path) -> m.Article:
    """``article`` with every citation set in the style of ``csl`` and the bibliography at
    the end of its body. Every key must be in ``entries`` (see ``check_keys``)."""
    with warnings.catch_warnings():  # the processor warns of CSL variables it ignores
        warnings.simplefilter("ignore")
        return _Resolver(article, entries, _Style(csl)).article()


class _Resolver:
    def __init__(self, article: m.Article, entries: dict[str, Entry], style: _Style) -> None:
        from citeproc import CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON

        self.source_article, self.style = article, style
        self.lang = article.lang
        cites = cites_of(article)
        keys = list(dict.fromkeys(item.key for cite in cites for item in cite.items))
        self.entries = {key: entries[key] for key in keys}
        self.ids = {key: f"k{i}" for i, key in enumerate(keys)}  # the processor lower-cases keys
        self.keys = {ident: key for key, ident in self.ids.items()}
        items = [{**entries[key].item, "id": self.ids[key]} for key in keys]
        self.bib = CitationStylesBibliography(style.style, CiteProcJSON(items), formatter.html)
        self.citations: dict[int, Any] = {}
        self.numbers: dict[int, int] = {}  # old note number → new
        self.notes = {note.number: note for note in article.footnotes}
        self.new_notes: list[m.Note] = []
        self.calls: dict[str, list[str]] = {}  # key → ids of the links citing it
        self.suffixes: dict[str, str] = {}  # key → the letter after its year (2001a)

    # The article is walked twice in one order (positions such as "Ibid." depend on it):
    # first registering every citation, then setting each.
    def article(self) -> m.Article:
        self._walked(self._register)
        if self.style.has_bibliography:
            self.bib.sort()
        self.suffixes = self._year_suffixes()
        done = self._walked(self._set)
        if self.style.has_bibliography and self.entries:
            done = replace(done, body=_with_bibliography(done.body, self._bibliography(),
                                                         self.lang))  # fmt: skip
        return done

    def _walked(self, set_cite: Callable[[m.Cite, str], tuple[m.Inline, ...]]) -> m.Article:
        """The article with each citation replaced by what ``set_cite`` makes of it (given
        where it stands: "text", "note" or "summary"), in reading order: the summary, then
        the body, a note's text at its first call, then any note never called."""
        article = self.source_article
        self.numbers, self.new_notes = {}, []
        notes: dict[int, m.Note] = {}

        def inlines(seq: walk.Inlines, where: str) -> walk.Inlines:
            out: list[m.Inline] = []
            seq = list(seq)
            for i, node in enumerate(seq):
                if isinstance(node, m.Cite):
                    made = set_cite(node, where)
                    if made and isinstance(made[0], m.NoteRef):
                        # a note's call follows the punctuation, the word before it closely:
                        # "analysis.¹", not "analysis ¹."
                        if out and isinstance(out[-1], m.Text):
                            out[-1] = m.Text(out[-1].text.rstrip())
                        after = seq[i + 1] if i + 1 < len(seq) else None
                        if isinstance(after, m.Text) and (mark := _PUNCTUATION.match(after.text)):
                            out.append(m.Text(mark.group()))
                            seq[i + 1] = m.Text(after.text[mark.end():])
                    after = seq[i + 1] if i + 1 < len(seq) else None
                    if isinstance(after, m.Text) and after.text.startswith(".") and \
                            _ends_with_stop(made):  # "1960 г.", not "1960 г.."
                        seq[i + 1] = m.Text(after.text[1:])
                    out += made
                elif isinstance(node, m.NoteRef):
                    out.append(m.NoteRef(call(node.number)))
                elif isinstance(node, m.Emph | m.Strong | m.Link | m.Span):
                    out.append(replace(node, children=inlines(node.children, where)))
                else:
                    out.append(node)
            return tuple(out)

        def blocks(seq: walk.Blocks, where: str) -> walk.Blocks:
            return walk.map_blocks(seq, lambda b: walk.with_inlines(b, lambda s: inlines(s, where)))

        def call(old: int) -> int:
            if old not in self.numbers:
                self.numbers[old] = self._next_note()
                note = self.notes[old]
                notes[old] = replace(note, number=self.numbers[old],
                                     blocks=blocks(note.blocks, "note"))  # fmt: skip
            return self.numbers[old]

        summary = blocks(article.summary, "summary")
        body = blocks(article.body, "text")
        for old in self.notes:
            call(old)
        every = sorted([*notes.values(), *self.new_notes], key=lambda note: note.number)
        return replace(article, summary=summary, body=body, footnotes=tuple(every))

    def _next_note(self) -> int:
        """The number the next note takes: the author's notes and the citations' count
        together, in document order."""
        return len(self.numbers) + len(self.new_notes) + 1

    # -- one citation

    def _register(self, cite: m.Cite, where: str) -> tuple[m.Inline, ...]:
        from citeproc import Citation, CitationItem, Locator

        items = [CitationItem(self.ids[item.key], locator=Locator(item.label, item.locator))
                 if item.locator else CitationItem(self.ids[item.key])
                 for item in cite.items]  # fmt: skip
        citation = Citation(items)
        self.bib.register(citation)
        self.citations[id(cite)] = citation
        return (cite,)

    def _set(self, cite: m.Cite, where: str) -> tuple[m.Inline, ...]:
        citation = self.citations[id(cite)]
        items = list(zip(cite.items, citation.cites, strict=True))
        layout = self.style.style.root.citation.layout
        if layout.getparent().sort is not None and not cite.in_text:
            order = layout.getparent().sort.sort([c for _, c in items], layout)
            items.sort(key=lambda pair: order.index(pair[1]))
        if self.style.note and where == "text":
            number = self._next_note()
            text = self._cluster(items, note=True, without_author=cite.in_text)
            self.new_notes.append(m.Note(number, (m.Paragraph(text, cite.line),), cite.line))
            if cite.in_text:
                return (*_parsed(self._names(items[0][0].key)), m.NoteRef(number))
            return (m.NoteRef(number),)
        if self.style.note:  # in a note, or in the summary, where no note can be called
            text = self._cluster(items, note=False, closed=False)
            return text if where == "note" else (m.Text("("), *text, m.Text(")"))
        if cite.in_text or (len(items) == 1 and items[0][0].suppress_author):
            return self._in_text(items[0])
        return self._cluster(items, note=False)

    def _item(self, given: m.CiteItem, item: Any, end: str = "",
              without_author: bool = False) -> str:  # fmt: skip
        """One work of a citation as the processor sets it, in the work's language, with
        the words the author put around it and ``end`` (the style's closing punctuation)
        after it; ``without_author`` where the sentence names the author."""
        from citeproc import Citation

        inside_quotes = self.style.use(self._lang_of(given.key))
        layout = self.style.style.root.citation.layout
        cluster = item.citation
        single = Citation([item])
        single.bibliography = self.bib
        item.citation = cluster  # "Ibid." looks at the whole citation the work was cited in
        reference = self.bib.source[item.key]
        hidden = {name: reference.pop(name) for name in ("author",)
                  if without_author and name in reference}  # fmt: skip
        saved = dict(layout.attrib)
        for affix in ("prefix", "suffix"):
            layout.attrib.pop(affix, None)
        try:
            text = str(self.style.style.root.citation.render(single, self.bib._cites, None) or "")
        finally:
            layout.attrib.clear()
            layout.attrib.update(saved)
            reference.update(hidden)
        text = self._suffixed(given.key, text)
        if given.prefix:
            text = f"{html.escape(given.prefix)} {text}"
        if given.suffix:
            text += html.escape(given.suffix if given.suffix[:1] in ",;:.)"
                                else f" {given.suffix}")  # fmt: skip
        return finished(_ended(text, end), note=False, punctuation_in_quote=inside_quotes)

    def _cluster(self, items: list[tuple[m.CiteItem, Any]], note: bool,
                 without_author: bool = False, closed: bool = True) -> tuple[m.Inline, ...]:
        """A citation of one or more works with the style's brackets and delimiter, each
        work linked to its entry (in an in-text style); a note style's citation within a
        sentence (``closed`` False) without the full stop that ends a note of its own."""
        layout = self.style.style.root.citation.layout
        delimiter = layout.get("delimiter", "; ")
        prefix, suffix = layout.get("prefix", ""), layout.get("suffix", "")
        out: list[m.Inline] = [m.Text(prefix)]
        for i, (given, item) in enumerate(items):
            last = i == len(items) - 1
            text = self._item(given, item, suffix if note and last else "",
                              without_author and i == 0)  # fmt: skip
            if i:
                out.append(m.Text(delimiter))
            out += self._linked(given.key, text, note)
        if not note and closed:
            out.append(m.Text(suffix))
        out = _joined(out)
        return _capitalised(out) if note else tuple(out)

    def _in_text(self, pair: tuple[m.CiteItem, Any]) -> tuple[m.Inline, ...]:
        """``@key``: the author as part of the sentence, the rest of the citation after it
        in the style's brackets: Smith (2001, 12); in a numeric style, Smith [1]."""
        given, item = pair
        layout = self.style.style.root.citation.layout
        text = self._item(replace(given, prefix=""), item)
        year = _year(self.entries[given.key].item)
        at = text.find(year) if year else -1
        if at > 0:
            names, rest = text[:at].rstrip(" ,"), text[at:]
        else:
            names, rest = self._names(given.key), text
        if given.prefix:
            rest = f"{html.escape(given.prefix)} {rest}"
        prefix, suffix = layout.get("prefix", ""), layout.get("suffix", "")
        if prefix.strip() in ("", "("):
            prefix, suffix = "(", ")"
        inner = f"{html.escape(prefix)}{rest}{html.escape(suffix)}"
        words = inner if given.suppress_author else f"{names} {inner}"
        return tuple(self._linked(given.key, words, note=False))

    def _linked(self, key: str, text: str, note: bool) -> list[m.Inline]:
        """The HTML the processor made, as model inlines: a link to the entry around it
        in an in-text style with a bibliography; in a note style (whose citation is the
        full reference, web address and all), its web addresses as links."""
        inlines = _parsed(text)
        if note or self.style.note or not self.style.has_bibliography:
            return list(_linkified(inlines))
        calls = self.calls.setdefault(key, [])
        ident = f"cite-{_slug(key)}-{len(calls) + 1}"
        calls.append(ident)
        return [m.Link(f"#{_ref_id(key)}", tuple(inlines), ident)]

    def _names(self, key: str) -> str:
        """The authors' (else editors') family names, as a sentence names them."""
        item = self.entries[key].item
        people = item.get("author") or item.get("editor") or []
        names = [n for p in people if (n := p.get("family") or p.get("literal"))]
        if not names:
            return html.escape(str(item.get("title", "")))
        return html.escape(author_list(names, self._lang_of(key), short=True))

    def _lang_of(self, key: str) -> str:
        """The language a work is set in: its own when it is another language than the
        article's (a Russian work in an English article); the article's otherwise (a
        British entry in an American article keeps the article's quotes)."""
        own = self.entries[key].lang
        if own and own.split("-")[0].lower() != self.lang.split("-")[0].lower():
            return own
        return self.lang

    # -- the bibliography

    def _year_suffixes(self) -> dict[str, str]:
        """A letter after the year of each work whose citation would read like another's
        (two works by Smith of 2001: 2001a and 2001b, in the bibliography's order), where
        the style asks for it (``disambiguate-add-year-suffix``)."""
        from citeproc import Citation, CitationItem

        citation = self.style.style.root.citation
        if str(citation.get("disambiguate-add-year-suffix", "")).lower() != "true":
            return {}
        alike: dict[str, list[str]] = {}
        for item in self.bib.items:
            key = self.keys[item.key]
            self.style.use(self._lang_of(key))
            alone = CitationItem(item.key)
            Citation([alone]).bibliography = self.bib
            text = str(citation.render(alone.citation, [], None) or "")
            alike.setdefault(text, []).append(key)
        return {key: _letters(n) for keys in alike.values() if len(keys) > 1
                for n, key in enumerate(keys)}  # fmt: skip

    def _suffixed(self, key: str, text: str) -> str:
        """``text`` with the work's year letter after its year."""
        suffix = self.suffixes.get(key)
        year = _year(self.entries[key].item)
        if not suffix or not year:
            return text
        if not year.isdigit():
            suffix = f"-{suffix}"  # "n.d.-a"
        return re.sub(rf"(?<!\d){re.escape(year)}(?!\d)", lambda _: year + suffix, text, count=1)

    def _bibliography(self) -> m.Bibliography:
        from citeproc import Citation, CitationItem

        numbered = "citation-number" in _text_of(self.style.style.root.bibliography)
        out = []
        for number, item in enumerate(self.bib.items, start=1):
            key = self.keys[item.key]
            lang = self._lang_of(key)
            inside_quotes = self.style.use(lang)
            clean = CitationItem(item.key)
            Citation([clean]).bibliography = self.bib
            rendered = self.style.style.render_bibliography([clean])
            text = finished(self._suffixed(key, str(rendered[0]) if rendered else ""), False,
                            inside_quotes)  # fmt: skip
            mark = ""
            if numbered:
                found = re.match(rf"^\s*(\[?{number}[.\]]?)\s*", text)
                if found:
                    mark, text = found.group(1), text[found.end():]
            other = "" if lang == self.lang else lang  # a work in another language
            out.append(m.Reference(_ref_id(key), mark, tuple(_linkified(_parsed(text))), other,
                                   tuple(self.calls.get(key, ()))))  # fmt: skip
        return m.Bibliography(tuple(out))


def _with_bibliography(body: walk.Blocks, bibliography: m.Bibliography,
                       lang: str) -> walk.Blocks:  # fmt: skip
    """``body`` with the bibliography at its end: under the heading it ends with, as
    pandoc places it ("# References" written last, with nothing under it), else under a
    heading of its own."""
    if body and isinstance(body[-1], m.Heading):
        return (*body, replace(bibliography, line=body[-1].line))
    taken = {ident for block in walk.blocks(body) if (ident := walk.element_id(block))}
    ident, n = "references", 0
    while ident in taken:
        n += 1
        ident = f"references-{n}"
    level = min((b.level for b in body if isinstance(b, m.Heading)), default=2)
    heading = m.Heading(level, (m.Text(label("references", lang)),), ident=ident)
    return (*body, heading, bibliography)


def _letters(n: int) -> str:
    """a, b, … z, aa, ab, …: the ``n``-th year letter from 0."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _ref_id(key: str) -> str:
    return f"ref-{_slug(key)}"


def _slug(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def _year(item: dict[str, Any]) -> str:
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") or [[]]
    if parts and parts[0]:
        return str(parts[0][0])
    return str(issued.get("literal", ""))


def _text_of(element: Any) -> str:
    from lxml import etree

    return etree.tostring(element, encoding="unicode") if element is not None else ""


def _ends_with_stop(inlines: tuple[m.Inline, ...]) -> bool:
    last = inlines[-1] if inlines else None
    while isinstance(last, m.Emph | m.Strong | m.Link | m.Span) and last.children:
        last = last.children[-1]
    return isinstance(last, m.Text) and last.text.endswith(".")


def _ended(text: str, end: str) -> str:
    """``text`` followed by ``end``, a full stop not doubled ("57 ff.", not "57 ff..")."""
    plain = re.sub(r"<[^>]+>", "", text).rstrip("”’»\"'")
    if end.startswith(".") and plain.endswith("."):
        end = end[1:]
    return text + html.escape(end)


def _capitalised(inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
    """``inlines`` with their first letter a capital (a note starts so: "Ibid.")."""
    out = list(inlines)
    for i, node in enumerate(out):
        if isinstance(node, m.Text):
            for j, char in enumerate(node.text):
                if char.isalpha():
                    out[i] = m.Text(node.text[:j] + char.upper() + node.text[j + 1:])
                    return tuple(out)
                if char.isdigit():
                    return tuple(out)
        elif isinstance(node, m.Emph | m.Strong | m.Link | m.Span):
            inner = _capitalised(list(node.children))
            if inner != node.children:
                out[i] = replace(node, children=inner)
                return tuple(out)
            if any(isinstance(n, m.Text) and n.text.strip() for n in walk.inline_nodes(inner)):
                return tuple(out)
    return tuple(out)


def _joined(inlines: list[m.Inline]) -> list[m.Inline]:
    """Neighbouring texts merged, empty ones left out."""
    out: list[m.Inline] = []
    for node in inlines:
        if isinstance(node, m.Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], m.Text):
                out[-1] = m.Text(out[-1].text + node.text)
                continue
        out.append(node)
    return out


class _Inlines(HTMLParser):
    """The processor's HTML (``<i>``, ``<b>``, small capitals, ``<sup>``) as inlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[m.Inline]]] = [("", [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) < 2 or self.stack[-1][0] != tag:
            return
        name, children = self.stack.pop()
        wrapped: list[m.Inline] = _joined(children)
        if name in ("i", "em"):
            wrapped = [m.Emph(tuple(wrapped))]
        elif name in ("b", "strong"):
            wrapped = [m.Strong(tuple(wrapped))]
        self.stack[-1][1].extend(wrapped)

    def handle_data(self, data: str) -> None:
        self.stack[-1][1].append(m.Text(data))

    def result(self) -> list[m.Inline]:
        self.close()
        while len(self.stack) > 1:
            _, children = self.stack.pop()
            self.stack[-1][1].extend(children)
        return _joined(self.stack[0][1])


def _parsed(text: str) -> list[m.Inline]:
    parser = _Inlines()
    parser.feed(text)
    return parser.result()


def _linkified(inlines: list[m.Inline]) -> list[m.Inline]:
    """Web addresses in the text (a DOI as https://doi.org/…) made links."""
    out: list[m.Inline] = []
    for node in inlines:
        if isinstance(node, m.Emph | m.Strong):
            out.append(replace(node, children=tuple(_linkified(list(node.children)))))
            continue
        if not isinstance(node, m.Text):
            out.append(node)
            continue
        last = 0
        for found in _URL.finditer(node.text):
            url = found.group().rstrip(".,;:)]")
            out.append(m.Text(node.text[last:found.start()]))
            out.append(m.Link(url, (m.Text(url),)))
            last = found.start() + len(url)
        out.append(m.Text(node.text[last:]))
    return _joined(out)
