"""Turns Markdown (CommonMark, ``:::`` containers, ``[text]{lang=xx}``) into model blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from exporter import model as m

ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


@dataclass
class Placement:
    """A ``::: kind id`` container in the body, resolved later against the front matter."""

    kind: str
    ident: str
    line: int


@dataclass
class MarkdownResult:
    blocks: tuple[m.Block, ...]
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # 0-based line/col in text


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin
    from mdit_py_plugins.container import container_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.disable(["entity", "html_inline", "html_block"])
    md.validateLink = lambda url: True  # every link is checked here, with its position
    container_plugin(md, name="div", validate=lambda params, markup: bool(params.strip()))
    attrs_plugin(md, spans=True, after=("span_close",), allowed=["lang"])
    return md


def parse_markdown(text: str, resolve: Callable[[Placement], m.Block | str]) -> MarkdownResult:
    """Parse ``text``; ``resolve`` turns a placement into a block or a problem message."""
    tokens = _parser().parse(text)
    builder = _Builder(text.split("\n"), resolve)
    blocks = builder.blocks(tokens, 0, len(tokens))
    return MarkdownResult(numbered_tables(outline_levels(tuple(blocks))), builder.problems)


CAPTION = "Table:"


def numbered_tables(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """Tables numbered in order (1, 2, …), each taking as its caption the paragraph right
    after it that starts with "Table:" (which then is not a paragraph of its own)."""
    out: list[m.Block] = []
    count = 0
    for block in blocks:
        if isinstance(block, m.Paragraph) and out and isinstance(out[-1], m.Table):
            caption = _caption(block.children)
            if caption is not None and not out[-1].caption:
                out[-1] = replace(out[-1], caption=caption)
                continue
        if isinstance(block, m.Table):
            count += 1
            block = replace(block, number=count)
        out.append(block)
    return tuple(out)


def _caption(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...] | None:
    first = inlines[0] if inlines else None
    if not isinstance(first, m.Text) or not first.text.startswith(CAPTION):
        return None
    rest = first.text[len(CAPTION):].lstrip()
    return ((m.Text(rest),) if rest else ()) + inlines[1:]


def outline_levels(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """``blocks`` with heading levels that never skip one: a heading is at most one level
    below the heading before it (``##`` then ``####`` become levels 1 and 2), so every
    edition's outline and heading order is well formed."""
    previous = 0

    def walk(items: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
        nonlocal previous
        out: list[m.Block] = []
        for block in items:
            if isinstance(block, m.Heading):
                level = min(block.level, previous + 1)
                previous = level
                block = replace(block, level=level)
            elif isinstance(block, m.BlockQuote | m.Callout):
                block = replace(block, blocks=walk(block.blocks))
            elif isinstance(block, m.ListBlock):
                block = replace(block, items=tuple(walk(item) for item in block.items))
            out.append(block)
        return tuple(out)

    return walk(blocks)


class _Builder:
    def __init__(self, lines: list[str], resolve: Callable[[Placement], m.Block | str]) -> None:
        self.lines = lines
        self.resolve = resolve
        self.problems: list[tuple[int, int, str]] = []

    def blocks(self, tokens: list[Any], start: int, stop: int) -> list[m.Block]:
        out: list[m.Block] = []
        i = start
        while i < stop:
            tok = tokens[i]
            end = _closing(tokens, i) if tok.nesting == 1 else i
            block = self.block(tokens, i, end)
            if block is not None:
                out.append(block)
            i = end + 1
        return out

    def block(self, tokens: list[Any], i: int, end: int) -> m.Block | None:
        tok = tokens[i]
        line = tok.map[0] if tok.map else 0
        kind = tok.type
        if kind == "paragraph_open":
            return m.Paragraph(self.inlines(tokens[i + 1], line), line)
        if kind == "heading_open":
            return m.Heading(int(tok.tag[1]), self.inlines(tokens[i + 1], line), line)
        if kind == "blockquote_open":
            return m.BlockQuote(tuple(self.blocks(tokens, i + 1, end)), line)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(tokens, i, end, line)
        if kind in ("fence", "code_block"):
            return m.CodeBlock(tok.content.rstrip("\n"), line)
        if kind == "hr":
            return m.ThematicBreak(line)
        if kind == "container_div_open":
            return self.container(tokens, i, end, line)
        if kind == "table_open":
            return self.table(tokens, i, end, line)
        self.problems.append((line, 0, f"unsupported Markdown element ({kind})"))
        return None

    def list_block(self, tokens: list[Any], i: int, end: int, line: int) -> m.ListBlock:
        items: list[tuple[m.Block, ...]] = []
        j = i + 1
        while j < end:
            close = _closing(tokens, j)
            items.append(tuple(self.blocks(tokens, j + 1, close)))
            j = close + 1
        ordered = tokens[i].type == "ordered_list_open"
        start = int(tokens[i].attrs.get("start", 1)) if ordered else 1
        return m.ListBlock(ordered, tuple(items), start, line)

    def table(self, tokens: list[Any], i: int, end: int, line: int) -> m.Table:
        rows: list[tuple[m.Cell, ...]] = []
        align: list[str] = []
        row: list[m.Cell] = []
        for j in range(i, end):
            tok = tokens[j]
            if tok.type in ("th_open", "td_open"):
                if not rows:
                    style = str(tok.attrs.get("style", ""))
                    align.append(style.removeprefix("text-align:") if style else "")
                row.append(self.inlines(tokens[j + 1], line))
            elif tok.type == "tr_close":
                rows.append(tuple(row))
                row = []
        return m.Table(rows[0], tuple(rows[1:]), tuple(align), line=line)

    def container(self, tokens: list[Any], i: int, end: int, line: int) -> m.Block | None:
        words = tokens[i].info.split()
        if len(words) != 2 or end > i + 1:
            self.problems.append(
                (line, 0, "a container is written `::: poll <id>` or `::: related <id>`, "
                 "with nothing inside")
            )  # fmt: skip
            return None
        resolved = self.resolve(Placement(words[0], words[1], line))
        if isinstance(resolved, str):
            self.problems.append((line, 4, resolved))
            return None
        return resolved

    def inlines(self, inline_tok: Any, line: int) -> tuple[m.Inline, ...]:
        children = inline_tok.children or []
        nodes, _ = self._inline_run(children, 0, line, closer=None)
        return tuple(nodes)

    def _inline_run(
        self, toks: list[Any], i: int, line: int, closer: str | None
    ) -> tuple[list[m.Inline], int]:
        out: list[m.Inline] = []
        while i < len(toks):
            tok = toks[i]
            if closer and tok.type == closer:
                return out, i + 1
            i += 1
            node = self._simple_inline(tok, line)
            if node is not None:
                out.append(node)
                continue
            opener = tok.type
            if not opener.endswith("_open"):
                self.problems.append((line, 0, f"unsupported Markdown element ({tok.type})"))
                continue
            inner, i = self._inline_run(toks, i, line, opener[:-5] + "_close")
            wrapped = self._wrap(opener, tok, tuple(inner), line)
            if wrapped is not None:
                out.append(wrapped)
        return out, i

    def _simple_inline(self, tok: Any, line: int) -> m.Inline | None:
        if tok.type == "text":
            return m.Text(tok.content)
        if tok.type == "softbreak":
            return m.Text(" ")
        if tok.type == "hardbreak":
            return m.LineBreak()
        if tok.type == "code_inline":
            return m.Code(tok.content)
        if tok.type == "image":
            self.problems.append(
                (*self._locate(line, tok.attrs.get("src", "")), "images are not supported in "
                 "articles; describe the picture in the text or add a poll")
            )  # fmt: skip
            return m.Text("")
        return None

    def _wrap(self, opener: str, tok: Any, inner: tuple[m.Inline, ...], line: int) -> m.Inline:
        if opener == "em_open":
            return m.Emph(inner)
        if opener == "strong_open":
            return m.Strong(inner)
        if opener == "span_open":
            lang = str(tok.attrs.get("lang", ""))
            return m.Span(lang, inner) if lang else m.Emph(inner)
        if opener == "link_open":
            url = str(tok.attrs.get("href", ""))
            if not url.lower().startswith(ALLOWED_SCHEMES):
                self.problems.append(
                    (*self._locate(line, url), f"link {url!r}: only http, https and mailto "
                     "addresses are allowed")
                )  # fmt: skip
                return m.Text(m.plain_text(inner))
            return m.Link(url, inner)
        self.problems.append((line, 0, f"unsupported Markdown element ({opener})"))
        return m.Text(m.plain_text(inner))

    def _locate(self, line: int, needle: str) -> tuple[int, int]:
        for n in range(line, min(line + 200, len(self.lines))):
            col = self.lines[n].find(needle) if needle else -1
            if col >= 0:
                return n, col
        return line, 0


def _closing(tokens: list[Any], i: int) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1
