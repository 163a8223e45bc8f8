"""Reads ``source/<slug>/article.md``: checks text, YAML and schema, then builds the model."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from exporter import model as m
from exporter import walk
from exporter.errors import Problem, SourceError
from exporter.labels import language_name, missing_labels
from exporter.source.citesyntax import cites_of
from exporter.source.fields import author as _author
from exporter.source.fields import callout as _callout
from exporter.source.fields import certification as _certification
from exporter.source.fields import localized as _localized
from exporter.source.fields import poll as _poll
from exporter.source.fields import related as _related
from exporter.source.frontmatter import split_front_matter as _split_front_matter
from exporter.source.images import ImageProblem, load_image
from exporter.source.loaded import LoadedSource
from exporter.source.markdown import (
    ImageRef,
    Placement,
    id_problem,
    parse_markdown,
    stand_in,
)
from exporter.source.schema import coerce_strings, dotted, validation_problems
from exporter.source.typography import typeset_article
from exporter.source.yamlsafe import YamlProblem, load_located

MAX_BYTES = 4 * 1024 * 1024
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


def display_path(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


def prepare() -> None:
    """Build the Markdown parser and the schema's validator now, rather than for the first
    article read (a process forked after starts with them)."""
    from exporter.source.markdown import _parser
    from exporter.source.schema import _validator

    _parser()
    _validator()


def load_article(path: str | Path) -> m.Article:
    return load_source(path).article


def load_source(path: str | Path) -> LoadedSource:
    """Read and validate one article; every problem found is raised together."""
    path = Path(path)
    shown = display_path(path)
    text, problems = _read_text(path, shown)
    front, body, body_line = _split_front_matter(text, shown)
    loaded = _FrontMatter(shown, front, problems)
    article = loaded.build(body, body_line)
    warnings = [*loaded.warnings, *loaded.share_warnings(article),
                *loaded.label_warnings(article)]
    return LoadedSource(shown, text, article, tuple(warnings))


def _read_text(path: Path, shown: str) -> tuple[str, list[Problem]]:
    """The file's text with every undecodable byte and forbidden character replaced by
    U+FFFD (so that reading can go on and report everything), and a problem for each."""
    try:
        # opened without waiting (a named pipe would block until someone writes to it),
        # and read only if it is a regular file
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                if stat.S_ISDIR(os.fstat(fh.fileno()).st_mode):
                    raise IsADirectoryError
                raise SourceError.at(shown, 1, 1, "not a regular file (a pipe, socket or "
                                     "device); an article is a file")  # fmt: skip
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SourceError.at(shown, 1, 1, "no such file") from None
    except IsADirectoryError:
        raise SourceError.at(shown, 1, 1, "is a folder, not an article file") from None
    except OSError as exc:
        raise SourceError.at(shown, 1, 1, f"cannot read: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise SourceError.at(shown, 1, 1, f"file is larger than {MAX_BYTES // 1024 // 1024} MiB")
    text = raw.decode("utf-8", "surrogateescape").removeprefix("\ufeff").replace("\r\n", "\n")
    problems = [
        Problem(shown, *_line_col(text, match.start()), _bad_char_message(match.group()))
        for match in _BAD_CHARS.finditer(text)
    ]
    return _BAD_CHARS.sub("\ufffd", text), problems[:50]


def _bad_char_message(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, escaped by the decoder
        return f"invalid UTF-8 (byte 0x{code - 0xDC00:02X}); save the file as UTF-8"
    name = unicodedata.name(char, "control character" if code < 0xA0 else "not a character")
    return f"U+{code:04X} ({name}) cannot appear in an article; delete it"


def _line_col(text: str, offset: int | None) -> tuple[int, int]:
    """1-based line and column of ``offset`` (end of text when None)."""
    before = text if offset is None else text[:offset]
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


class _FrontMatter:
    """Front matter read and checked; ``build`` turns it and the body into an Article."""

    LINE_OFFSET = 1  # the opening '---'

    def __init__(self, shown: str, front: str, problems: list[Problem]) -> None:
        self.shown = shown
        self.problems = list(problems)
        self.warnings: list[Problem] = []  # what the body's Markdown says an editor should check
        try:
            self.located = load_located(front, first_line=1 + self.LINE_OFFSET)
        except YamlProblem as exc:
            self.problems.append(self._problem(exc.line, exc.column, exc.message))
            raise SourceError(sorted(self.problems, key=_order)) from None
        for p in self.located.problems:
            self.problems.append(self._problem(p.line, p.column, p.message))
        if not isinstance(self.located.data, dict):
            raise SourceError(self._problem(0, 0, "the front matter must be a mapping of fields"))
        self.data: dict[str, Any] = coerce_strings(self.located)
        for line, col, message in validation_problems(self.data, self.located):
            self.problems.append(self._problem(line, col, message))
        self._check_strings(self.data, ())

    def _problem(self, line0: int, col0: int, message: str) -> Problem:
        return Problem(self.shown, line0 + 1 + self.LINE_OFFSET, col0 + 1, message)

    def _at(self, path: tuple[str | int, ...], message: str) -> Problem:
        line, col = self.located.position(path)
        return self._problem(line, col, f"{dotted(path)}: {message}")

    def _check_strings(self, value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                self._check_strings(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self._check_strings(v, (*path, i))
        elif isinstance(value, str):
            bad = _BAD_CHARS.search(value)
            if bad:
                self.problems.append(self._at(path, _bad_char_message(bad.group())))

    def build(self, body: str, body_line: int) -> m.Article:
        if self.problems:
            raise SourceError(sorted(self.problems, key=_order))
        d = self.data
        lang = d["lang"]
        polls = {p["id"]: _poll(p) for p in d.get("polls", [])}
        related = {r["id"]: _related(r) for r in d.get("related", [])}
        figures = {f["id"]: f for f in d.get("figures", [])}
        placed: dict[tuple[str, str], int] = {}

        def resolve(place: Placement) -> m.Block | str:
            key = (place.kind, place.ident)
            if key in placed:
                return f"{place.kind} {place.ident!r} is already placed at line {placed[key]}"
            placed[key] = place.line + body_line + 1
            if place.kind == "poll" and place.ident in polls:
                return m.PollBlock(polls[place.ident], place.line + body_line + 1)
            if place.kind == "related" and place.ident in related:
                return _callout(related[place.ident], lang, place.line + body_line + 1)
            if place.kind == "figure" and place.ident in figures:
                if id_problem(place.ident):
                    return id_problem(place.ident) or ""
                index = list(figures).index(place.ident)
                figure = self._figure(figures[place.ident], index, lang)
                if figure is None:  # reported at its src
                    return stand_in(figures[place.ident]["src"], place.ident, place.line)
                return replace(figure, line=place.line)
            known = {"poll": polls, "related": related, "figure": figures}.get(place.kind)
            if known is None:
                return f"unknown container {place.kind!r} (use poll, related or figure)"
            ids = ", ".join(known) or "none defined"
            return f"no {place.kind} {place.ident!r} in the front matter (known: {ids})"

        summary = self._markdown(d["summary"], ("summary",), _not_in_summary)
        blocks, notes = self._markdown_body(body, body_line, resolve)
        for kind, table in (("poll", polls), ("related", related), ("figure", figures)):
            for ident in table:
                if (kind, ident) not in placed:
                    group = {"poll": "polls", "figure": "figures"}.get(kind, kind)
                    index = list(table).index(ident)
                    self.problems.append(
                        self._at((group, index, "id"), f"{kind} {ident!r} is never placed in "
                                 f"the body (add `::: {kind} {ident}` and `:::` where it goes)")
                    )  # fmt: skip
        if self.problems:
            raise SourceError(sorted(self.problems, key=_order))
        article = self._article(summary, blocks, tuple(polls.values()), tuple(related.values()))
        article = self._citations(replace(article, footnotes=notes))
        if self.problems:
            raise SourceError(sorted(self.problems, key=_order))
        article = walk.numbered(article)  # in document order
        return typeset_article(article) if d.get("typography", True) else article

    def _citations(self, article: m.Article) -> m.Article:
        """The article with its citations set from the bibliography files the front matter
        names, in its ``csl`` style (see ``citations``); without a bibliography, an
        ``@name`` in the text is printed as written and a bracketed citation refused."""
        names = self.data.get("bibliography")
        cites = cites_of(article)
        if not names and not cites:
            return article
        from exporter.source import citations
        from exporter.source.bibliography import BibliographyError, read_bibliographies

        if not names:
            for cite in cites:
                if not cite.in_text:
                    self.problems.append(Problem(
                        self.shown, cite.line, cite.col, f"a citation of {cite.items[0].key!r}, "
                        "but the front matter names no bibliography (add `bibliography: "
                        "references.bib` beside the article's title)"))  # fmt: skip
            return citations.as_written(article)
        folder = Path(self.shown).parent
        files = [names] if isinstance(names, str) else list(names)
        paths = []
        for index, name in enumerate(files):
            where = ("bibliography",) if isinstance(names, str) else ("bibliography", index)
            path = (folder / name).resolve()
            if not path.is_relative_to(folder.resolve()) or not path.is_file():
                self.problems.append(self._at(where, f"{name!r}: no such file beside the "
                                              "article"))  # fmt: skip
                continue
            paths.append((path, display_path(path)))
        try:
            entries = read_bibliographies(paths)
            csl = citations.style_path(self.data.get("csl", citations.DEFAULT_STYLE), folder)
        except BibliographyError as exc:
            self.problems.append(Problem(exc.path, exc.line, 1, exc.message))
            return article
        except citations.CitationError as exc:
            self.problems.append(self._at(("csl",), exc.message))
            return article
        for exc in citations.check_keys(cites, entries):
            self.problems.append(Problem(self.shown, exc.line, exc.col, exc.message))
        if self.problems:
            return article
        try:
            return citations.resolve(article, entries, csl)
        except citations.CitationError as exc:
            self.problems.append(self._at(("csl",), exc.message))
            return article

    def _figure(self, raw: dict[str, Any], index: int, lang: str) -> m.Figure | None:
        """A figure of the front matter's ``figures``; None (and a problem) when its image
        cannot be used."""
        path = ("figures", index)
        try:
            image = load_image(Path(self.shown).parent, raw["src"])
        except ImageProblem as exc:
            self.problems.append(self._at((*path, "src"), str(exc)))
            return None
        alt = raw["alt"] if isinstance(raw["alt"], str) else _localized(raw["alt"], lang)
        texts = {}
        for key in ("caption", "credit"):
            if key in raw:
                text = _localized(raw[key], lang).in_lang(lang)
                texts[key] = self._inline_markdown(text, (*path, key))
        return m.Figure(
            image=image,
            alt=(alt if isinstance(alt, str) else alt.in_lang(lang)).strip(),
            caption=texts.get("caption", ()),
            credit=texts.get("credit", ()),
            width=int(raw.get("width", "100%").rstrip("%")) / 100,
            ident=raw["id"],
        )

    def _inline_markdown(self, text: str, path: tuple[str | int, ...]) -> tuple[m.Inline, ...]:
        """One paragraph of Markdown given in the front matter, as inlines."""
        blocks = self._markdown(text, path, _not_in_summary)
        if len(blocks) == 1 and isinstance(blocks[0], m.Paragraph):
            return blocks[0].children
        self.problems.append(self._at(path, "must be a single paragraph of text"))
        return ()

    def _image_figure(self, body_line: int) -> Any:
        """Resolves an image written in the body into a figure, or a problem message."""

        def resolve(ref: ImageRef) -> m.Figure | str:
            if not ref.alt and not ref.decorative:
                return (f"image {ref.src!r} has no alt text: describe it in the brackets "
                        "(![what it shows](…)), or mark it decorative with {.decorative}")
            try:
                image = load_image(Path(self.shown).parent, ref.src)
            except ImageProblem as exc:
                return str(exc)
            width = 1.0
            if ref.width:
                if not re.fullmatch(r"(?:[1-9][0-9]?|100)%", ref.width):
                    return f"width {ref.width!r}: give a share of the text width, e.g. 60%"
                width = int(ref.width[:-1]) / 100
            caption = (m.Text(ref.title),) if ref.title else ()
            return m.Figure(image, "" if ref.decorative else ref.alt, caption, (), width,
                            ident=ref.ident)  # fmt: skip

        return resolve

    def label_warnings(self, article: m.Article) -> list[Problem]:
        """Labels the article's language has no catalogue entry for (printed in English)."""
        missing = missing_labels(article.lang)
        if not missing:
            return []
        name = language_name(article.lang, "en")
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6
                                          else "")  # fmt: skip
        return [self._at(("lang",), f"no {name} ({article.lang}) label for {shown} in "
                         f"exporter/labels/; English is printed instead")]  # fmt: skip

    def share_warnings(self, article: m.Article) -> list[Problem]:
        """Published poll shares that differ from the ones computed from the votes."""
        warnings = []
        for i, poll in enumerate(article.polls):
            for j, answer in enumerate(poll.answers):
                if answer.published_share is not None and answer.published_share != answer.share:
                    warnings.append(
                        self._at(("polls", i, "answers", j, "published-share"),
                                 f"published share {answer.published_share}% differs from "
                                 f"{answer.share}% computed from the votes")
                    )  # fmt: skip
        return warnings

    def _markdown(
        self, text: str, path: tuple[str | int, ...], resolve: Any
    ) -> tuple[m.Block, ...]:
        line0, col0 = self.located.position(path)
        result = parse_markdown(text, resolve, notes=False)
        for line, col, message in result.problems:
            self.problems.append(
                self._problem(line0 + line + 1, col + col0, f"{dotted(path)}: {message}")
            )
        start = self._problem(line0 + 1, col0, "")
        return _placed_cites(result.blocks, start.line, start.column)

    def _markdown_body(
        self, body: str, body_line: int, resolve: Any
    ) -> tuple[tuple[m.Block, ...], tuple[m.Note, ...]]:
        result = parse_markdown(body, resolve, self._image_figure(body_line))
        for line, col, message in result.problems:
            self.problems.append(Problem(self.shown, body_line + line + 1, col + 1, message))
        for line, col, message in result.warnings:
            self.warnings.append(Problem(self.shown, body_line + line + 1, col + 1, message))
        blocks = result.blocks
        if not blocks:
            self.problems.append(Problem(self.shown, body_line, 1, "the article has no body"))
        notes = tuple(
            replace(note, line=note.line + body_line + 1,
                    blocks=_shift_lines(note.blocks, body_line + 1))
            for note in result.notes
        )  # fmt: skip
        blocks = _placed_cites(blocks, body_line + 1, 1)
        notes = walk.map_notes(notes, lambda s: _placed_cites(s, body_line + 1, 1))
        return _shift_lines(blocks, body_line + 1), notes

    def _article(
        self,
        summary: tuple[m.Block, ...],
        body: tuple[m.Block, ...],
        polls: tuple[m.Poll, ...],
        related: tuple[m.RelatedArticle, ...],
    ) -> m.Article:
        d = self.data
        lang = d["lang"]

        def loc(key: str) -> m.LocalizedText | None:
            return _localized(d[key], lang) if key in d else None

        publisher = d["publisher"]
        return m.Article(
            slug=d["slug"],
            lang=lang,
            title=_localized(d["title"], lang),
            subtitle=loc("subtitle"),
            short_title=loc("short-title"),
            authors=tuple(_author(a, lang) for a in d["authors"]),
            publisher=m.Publisher(
                _localized(publisher["name"], lang),
                _localized(publisher["short"], lang) if "short" in publisher else None,
            ),
            published=dt.date.fromisoformat(str(d["published"])),
            date_note=d.get("date-note", ""),
            web=m.LocalizedText.of(d["web"]) if "web" in d else None,
            summary=summary,
            body=body,
            related=related,
            polls=polls,
            keywords=tuple(d.get("keywords", ())),
            notes=tuple(d.get("notes", ())),
            license=d.get("license", ""),
            attribution=d.get("attribution", ""),
            doi=d.get("doi", ""),
            series=_localized(d["series"]["name"], lang) if "series" in d else None,
            series_number=d.get("series", {}).get("number", ""),
            certification=_certification(d.get("accessibility")),
            dateline=loc("dateline"),
            source_path=self.shown,
        )


def _not_in_summary(place: Placement) -> str:
    return f"a {place.kind} cannot stand in the summary; place it in the body"


def _order(problem: Problem) -> tuple[int, int]:
    return (problem.line, problem.column)


def _placed_cites(blocks: tuple[m.Block, ...], line: int, col: int) -> tuple[m.Block, ...]:
    """``blocks`` with each citation's place made the file's line and column (from 1),
    the Markdown having started at ``line``, ``col``."""

    def place(node: m.Inline) -> m.Inline:
        if isinstance(node, m.Cite):
            return replace(node, line=node.line + line, col=node.col + (col if node.line == 0
                                                                        else 1))  # fmt: skip
        return node

    return walk.map_inlines(blocks, place)


def _shift_lines(blocks: tuple[m.Block, ...], offset: int) -> tuple[m.Block, ...]:
    """Body blocks with 1-based file line numbers."""
    return tuple(
        b if isinstance(b, m.PollBlock | m.Callout) else replace(b, line=b.line + offset)
        for b in blocks
    )
