"""Runs of formatted text as the model's tree of inlines: adjacent runs that look alike
joined, white space (and punctuation a letter touches) moved out of emphasis where
Markdown could not open or close it, links to what is not an address taken off, then
nested as language spans, links, bold, emphasis."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from itertools import groupby
from typing import Any

from exporter import model as m
from exporter.importer.context import INTERNAL
from exporter.importer.styles import source_lang
from exporter.source.markdown import ALLOWED_SCHEMES


def inline_tree(pieces: list[Any], ctx: Any) -> tuple[m.Inline, ...]:
    pieces = _checked_links(pieces, ctx)
    pieces = _trimmed(_joined(_edges(_flanked(_edges(_joined(_undetected(pieces, ctx)))))))
    return tuple(_spans(pieces, ctx))


def _checked_links(pieces: list[Any], ctx: Any) -> list[Any]:
    """The pieces, a link to anything but a web or mail address or a bookmark taken off
    (its words kept, and said)."""
    out: list[Any] = []
    said: set[str] = set()
    for piece in pieces:
        url = piece.fmt.link
        if url and not url.startswith(INTERNAL) and not url.lower().startswith(ALLOWED_SCHEMES):
            if url not in said:
                said.add(url)
                ctx.warn(f"a link to {url.strip()[:80]!r}, not a web or mail address: its words "
                         "are kept without it")  # fmt: skip
            piece = replace(piece, fmt=replace(piece.fmt, link=""))
        out.append(piece)
    return out


def _flanked(pieces: list[Any]) -> list[Any]:
    """Bold and italic pieces with the punctuation at an edge set without the marks that
    open or close there where a letter or digit touches it from outside: CommonMark cannot
    open emphasis before punctuation that follows a letter (``37*, Revision*``), nor close
    it after punctuation a letter follows; a piece of punctuation only loses them all."""
    out: list[Any] = []
    for i, piece in enumerate(pieces):
        fmt = piece.fmt
        if piece.kind != "text" or fmt.code or not (fmt.bold or fmt.italic):
            out.append(piece)
            continue
        before, after = _side(pieces, i, -1), _side(pieces, i, 1)
        own = _marks(piece)
        opening, closing = own - before[1], own - after[1]
        text = piece.value
        start, end = 0, len(text)
        if opening and before[0].isalnum():
            while start < end and _punct(text[start]):
                start += 1
        if closing and after[0].isalnum():
            while end > start and _punct(text[end - 1]):
                end -= 1
        if (start, end) == (0, len(text)):
            out.append(piece)
            continue
        parts = [replace(piece, value=text[:start], fmt=_without(fmt, opening)),
                 replace(piece, value=text[start:end]),
                 replace(piece, value=text[end:], fmt=_without(fmt, closing))]
        if start == end:  # punctuation only: without what opens or closes at either edge
            parts = [replace(piece, fmt=_without(fmt, opening | closing))]
        out += [p for p in parts if p.value]
    return out


def _without(fmt: Any, marks: set[str]) -> Any:
    return replace(fmt, bold=fmt.bold and "b" not in marks,
                   italic=fmt.italic and "i" not in marks)


def _marks(piece: Any) -> set[str]:
    return ({"b"} if piece.fmt.bold else set()) | ({"i"} if piece.fmt.italic else set())


def _side(pieces: list[Any], at: int, step: int) -> tuple[str, set[str]]:
    """The character next to piece ``at`` on one side and the marks it is set with (""
    at the paragraph's edge, " " for a line break or note call)."""
    j = at + step
    if not 0 <= j < len(pieces):
        return "", set()
    other = pieces[j]
    if other.kind != "text" or not other.value:
        return " ", set()
    return other.value[0 if step > 0 else -1], _marks(other)


def _punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _undetected(pieces: list[Any], ctx: Any) -> list[Any]:
    """The pieces, a language the editions find by the script alone cleared (it needs no
    span), so that runs differing only in it join (an emphasis over a Latin name in a
    Russian phrase stays one emphasis)."""
    out: list[Any] = []
    for lang, group in _grouped(pieces, lambda p: p.fmt.lang):
        if lang and _detected(group, lang, ctx):
            group = [replace(p, fmt=replace(p.fmt, lang="")) for p in group]
        out += group
    return out


def _edges(pieces: list[Any]) -> list[Any]:
    """Bold, italic and code pieces with their leading and trailing spaces as plain pieces
    of their own (a code piece keeps inner spaces)."""
    out = []
    for piece in pieces:
        fmt = piece.fmt
        if piece.kind != "text" or not (fmt.bold or fmt.italic or fmt.code):
            out.append(piece)
            continue
        text = piece.value
        core = text.strip(" \t\n")
        if not core:
            out.append(replace(piece, fmt=replace(fmt, bold=False, italic=False, code=False)))
            continue
        start = text.index(core)
        plain = replace(fmt, bold=False, italic=False, code=False)
        if start:
            out.append(replace(piece, value=text[:start], fmt=plain))
        out.append(replace(piece, value=core))
        if start + len(core) < len(text):
            out.append(replace(piece, value=text[start + len(core):], fmt=plain))
    return out


def _joined(pieces: list[Any]) -> list[Any]:
    out: list[Any] = []
    for piece in pieces:
        if out and piece.kind == out[-1].kind == "text" and piece.fmt == out[-1].fmt:
            out[-1] = replace(out[-1], value=out[-1].value + piece.value)
        else:
            out.append(piece)
    return out


def _trimmed(pieces: list[Any]) -> list[Any]:
    """Without the white space that opens and ends the paragraph (Markdown drops it)."""
    pieces = list(pieces)
    while pieces and pieces[0].kind == "text" and not pieces[0].value.strip(" \t\n"):
        pieces.pop(0)
    while pieces and pieces[-1].kind == "text" and not pieces[-1].value.strip(" \t\n"):
        pieces.pop()
    while pieces and pieces[-1].kind == "break":
        pieces.pop()
    if pieces and pieces[0].kind == "text":
        pieces[0] = replace(pieces[0], value=pieces[0].value.lstrip(" \t\n"))
    if pieces and pieces[-1].kind == "text":
        pieces[-1] = replace(pieces[-1], value=pieces[-1].value.rstrip(" \t\n"))
    return pieces


def _grouped(pieces: list[Any], key: Callable[[Any], Any]) -> list[tuple[Any, list[Any]]]:
    """Consecutive pieces by ``key``; a note call or line break between two pieces of the
    same group stays in it."""
    keys = [key(p) for p in pieces]
    for i, piece in enumerate(pieces):
        if piece.kind != "text" and 0 < i < len(pieces) - 1:
            before, after = keys[i - 1], next((keys[j] for j in range(i + 1, len(pieces))
                                               if pieces[j].kind == "text"), None)
            if before == after:
                keys[i] = before
    return [(k, [p for _, p in group]) for k, group in
            groupby(zip(keys, pieces, strict=True), key=lambda kp: kp[0])]  # fmt: skip


def _spans(pieces: list[Any], ctx: Any) -> list[m.Inline]:
    """Language spans outermost (a span inside a link's words is not read back as one)."""
    out: list[m.Inline] = []
    for lang, group in _grouped(pieces, lambda p: p.fmt.lang):
        inner = _links(group)
        if lang and not _detected(group, lang, ctx):
            out.append(m.Span(source_lang(lang), tuple(inner)))
        else:
            out += inner
    return out


def _links(pieces: list[Any]) -> list[m.Inline]:
    out: list[m.Inline] = []
    for url, group in _grouped(pieces, lambda p: p.fmt.link):
        inner = _strong(group)
        out += [m.Link(url, tuple(inner))] if url else inner
    return out


def _detected(pieces: list[Any], lang: str, ctx: Any) -> bool:
    """Whether the editions would find ``lang`` for this text by its script alone (Cyrillic
    in an English article is Russian): then it needs no span."""
    text = "".join(p.value for p in pieces if p.kind == "text")
    wanted = source_lang(lang)
    runs = ctx.languages.runs(text, ctx.languages.lang)
    return bool(text.strip()) and all(run_lang == wanted for run_lang, chunk in runs
                                      if chunk.strip(" \t\u00a0.,;:!?()«»\"'-–—"))


def _strong(pieces: list[Any]) -> list[m.Inline]:
    out: list[m.Inline] = []
    for bold, group in _grouped(pieces, lambda p: p.fmt.bold):
        inner = _emph(group)
        out += [m.Strong(tuple(inner))] if bold else inner
    return out


def _emph(pieces: list[Any]) -> list[m.Inline]:
    out: list[m.Inline] = []
    for italic, group in _grouped(pieces, lambda p: p.fmt.italic):
        inner = [_leaf(p) for p in group]
        out += [m.Emph(tuple(inner))] if italic else inner
    return out


def _leaf(piece: Any) -> m.Inline:
    if piece.kind == "note":
        return m.NoteRef(piece.value)
    if piece.kind == "break":
        return m.LineBreak()
    return m.Code(piece.value) if piece.fmt.code else m.Text(piece.value)
