"""Runs of formatted text as the model's tree of inlines: adjacent runs that look alike
joined, white space moved out of emphasis (Markdown cannot open emphasis on a space), then
nested as links, language spans, bold, emphasis."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import groupby
from typing import Any

from exporter import model as m
from exporter.importer.styles import source_lang


def inline_tree(pieces: list[Any], ctx: Any) -> tuple[m.Inline, ...]:
    pieces = _trimmed(_joined(_edges(_joined(_undetected(pieces, ctx)))))
    return tuple(_links(pieces, ctx))


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


def _links(pieces: list[Any], ctx: Any) -> list[m.Inline]:
    out: list[m.Inline] = []
    for url, group in _grouped(pieces, lambda p: p.fmt.link):
        inner = _spans(group, ctx)
        out += [m.Link(url, tuple(inner))] if url else inner
    return out


def _spans(pieces: list[Any], ctx: Any) -> list[m.Inline]:
    out: list[m.Inline] = []
    for lang, group in _grouped(pieces, lambda p: p.fmt.lang):
        inner = _strong(group)
        if lang and not _detected(group, lang, ctx):
            out.append(m.Span(source_lang(lang), tuple(inner)))
        else:
            out += inner
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
