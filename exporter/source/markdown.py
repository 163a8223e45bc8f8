"""Turns Markdown into model blocks: CommonMark with GFM tables, notes (``[^id]``),
``:::`` containers, ``[text]{lang=xx}`` spans, figures (an image alone in its paragraph),
citations (``[@key, p. 2]``, ``@key``; see ``citesyntax``) and ``{#id}`` marks that
cross-references (``[text](#id)``) point to.

What it does not carry is never dropped in silence: raw HTML is printed as the text it is
(HTML is not interpreted), and any other construct it meets is refused with its line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from urllib.parse import unquote

from exporter import model as m
from exporter import walk
from exporter.source.citesyntax import citation_plugin
from exporter.source.outline import arranged, calls_of, id_problem
from exporter.source.tables import TableReader

ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
_UNCALLED = re.compile(r"\[\^([^\]\s]+)\]")
@dataclass(frozen=True)
class ImageRef:
    """An image written ``![alt](src "title"){#id width=50% .decorative}`` alone in its
    paragraph, resolved into a figure by the loader."""

    src: str
    alt: str
    title: str
    ident: str
    width: str
    decorative: bool


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
    notes: tuple[m.Note, ...] = ()
    warnings: list[tuple[int, int, str]] = field(default_factory=list)  # as problems


ImageResolver = Callable[[ImageRef], "m.Figure | str"]


def _no_images(ref: ImageRef) -> str:
    return "a figure cannot stand here; place it in the body"


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
    from mdit_py_plugins.container import container_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.disable(["entity", "html_inline", "html_block"])
    md.validateLink = lambda url: True  # every link is checked here, with its position
    container_plugin(md, name="div", validate=lambda params, markup: bool(params.strip()))
    footnote_plugin(md)
    attrs_block_plugin(md)
    attrs_plugin(
        md, spans=True, after=("span_close", "image"), allowed=["lang", "id", "width", "class"]
    )
    _spans_inside_links(md)
    citation_plugin(md)
    return md


def _spans_inside_links(md: Any) -> None:
    """Let a link's words hold a span (``[[Wort]{lang=de}](https://…)``): a link's label is
    scanned with nested links refused, and a span skipped over whole looks like one. So
    the span rule only matches where its text is set (a scan steps over its brackets one by
    one, and the span is found when the label's text is read)."""
    ruler = md.inline.ruler
    rule = next(r for r in ruler.__rules__ if r.name == "span")
    original = rule.fn

    def span(state: Any, silent: bool) -> bool:
        return False if silent else bool(original(state, silent))

    ruler.at("span", span)


def parse_markdown(
    text: str,
    resolve: Callable[[Placement], m.Block | str],
    image: ImageResolver = _no_images,
    notes: bool = True,
) -> MarkdownResult:
    """Parse ``text``; ``resolve`` turns a placement into a block or a problem message,
    ``image`` an image reference into a figure or a problem message. Without ``notes``,
    a note is refused (the summary has none)."""
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    builder = _Builder(text.split("\n"), resolve, image, notes)
    blocks = builder.blocks(tokens, 0, len(tokens))
    builder.check_notes(env)
    body, notes_ = arranged(tuple(blocks), tuple(builder.notes))
    builder.check_references(body)
    return MarkdownResult(body, builder.problems, notes_, builder.warnings)


def stand_in(src: str, ident: str, line: int) -> m.Figure:
    """What stands for a figure whose image is refused, so that the problem is reported once
    (not again by a cross-reference to it); the article is refused in any case."""
    return m.Figure(m.Image(src, "image/png", 1, 1, b""), "", line=line, ident=ident)


class _Builder(TableReader):
    def __init__(
        self,
        lines: list[str],
        resolve: Callable[[Placement], m.Block | str],
        image: ImageResolver,
        notes: bool,
    ) -> None:
        self.lines = lines
        self.resolve = resolve
        self.image = image
        self.allow_notes = notes
        self.problems: list[tuple[int, int, str]] = []
        self.warnings: list[tuple[int, int, str]] = []
        self.notes: list[m.Note] = []
        self.references: list[tuple[str, int, int]] = []  # "#id" links and where they are

    def check_notes(self, env: dict[str, Any]) -> None:
        """Every note written is called: a note nobody calls would be lost from the editions."""
        data = env.get("footnotes", {})
        called = {item.get("label") for item in data.get("list", {}).values()}
        for key in data.get("refs", {}):
            label = key[1:]
            if label not in called:
                line, col = self._locate(0, f"[^{label}]:", len(self.lines))
                self.problems.append(
                    (line, col, f"note [^{label}] is written but never called; call it with "
                     f"[^{label}] in the text or delete it")
                )  # fmt: skip

    def check_references(self, blocks: tuple[m.Block, ...]) -> None:
        """Every ``#id`` link names a heading, table or figure; no id is given twice."""
        known: dict[str, int] = {}
        for block in walk.blocks(blocks):
            ident = getattr(block, "ident", "")
            if not ident:
                continue
            if ident in known:
                self.problems.append((block.line, 0, f"id {ident!r} is already given on "
                                      f"line {known[ident] + 1}"))  # fmt: skip
            known.setdefault(ident, block.line)
        for url, line, col in self.references:
            if url[1:] not in known:
                names = ", ".join(sorted(known)[:8]) or "none"
                self.problems.append(
                    (line, col, f"link {url!r}: no heading, table or figure has the id "
                     f"{url[1:]!r} (ids: {names})")
                )  # fmt: skip

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
        ident = str(tok.attrs.get("id", ""))
        if ident and kind not in ("heading_open", "table_open"):
            self.problems.append((line, 0, f"{{#{ident}}} names a heading or a table: put it "
                                  "on the line before one"))  # fmt: skip
        elif ident and id_problem(ident):
            self.problems.append((line, 0, id_problem(ident) or ""))
            ident = ""
        if kind == "paragraph_open":
            figure = self.figure(tokens[i + 1], line)
            if figure is not None:
                return figure
            return m.Paragraph(self.inlines(tokens[i + 1], line), line)
        if kind == "heading_open":
            heading = m.Heading(int(tok.tag[1]), self.inlines(tokens[i + 1], line), line)
            return replace(heading, ident=ident)
        if kind == "footnote_block_open":
            self.note_block(tokens, i, end)
            return None
        if kind == "footnote_anchor":
            return None
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
            return replace(self.table(tokens, i, end, line), ident=ident)
        self.problems.append((line, 0, f"unsupported Markdown element ({kind})"))
        return None

    def note_block(self, tokens: list[Any], i: int, end: int) -> None:
        """The notes, in the order they are first called (mdit numbers them so)."""
        j = i + 1
        while j < end:
            close = _closing(tokens, j)
            meta = tokens[j].meta or {}
            label = meta.get("label")
            line = self._locate(0, f"[^{label}]:", len(self.lines))[0] if label else 0
            blocks = tuple(self.blocks(tokens, j + 1, close))
            inside = walk.blocks(blocks)
            if any(isinstance(b, m.Figure | m.PollBlock | m.Callout) for b in inside):
                self.problems.append((line, 0, "a note holds text (paragraphs, lists, quotes, "
                                      "code); place figures and boxes in the body"))  # fmt: skip
            number = int(meta.get("id", 0)) + 1
            if number in calls_of(blocks):
                self.problems.append((*self._self_call(line, str(label)), f"note [^{label}] "
                                      "calls itself; a note may call other notes, not itself"))
            if self.allow_notes:  # else its call is refused
                self.notes.append(m.Note(number, blocks, line))
            j = close + 1

    def figure(self, inline_tok: Any, line: int) -> m.Figure | None:
        """The figure a paragraph is when it holds one image and nothing else."""
        children = [
            t for t in inline_tok.children or []
            if not (t.type in ("text", "softbreak") and not t.content.strip())
        ]  # fmt: skip
        if len(children) != 1 or children[0].type != "image":
            return None
        tok = children[0]
        src = unquote(str(tok.attrs.get("src", "")))  # the parser %-encodes "рисунок.png"
        where = self._locate(line, src)
        problem = id_problem(str(tok.attrs["id"])) if tok.attrs.get("id") else None
        if problem:
            self.problems.append((*where, problem))
            return stand_in(src, "", line)
        classes = str(tok.attrs.get("class", "")).split()
        ref = ImageRef(
            src=src,
            alt=m.plain_text(tuple(self.inlines(tok, line))).strip(),
            title=str(tok.attrs.get("title", "")),
            ident=str(tok.attrs.get("id", "")),
            width=str(tok.attrs.get("width", "")),
            decorative="decorative" in classes,
        )
        resolved = self.image(ref)
        if isinstance(resolved, str):
            self.problems.append((*where, resolved))
            return stand_in(src, ref.ident, line)
        return replace(resolved, line=line)

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
            uncalled = _UNCALLED.search(tok.content)
            if uncalled:
                self.problems.append(
                    (*self._locate(line, uncalled.group()), f"note {uncalled.group()} is "
                     f"called but never written; add `{uncalled.group()}: the note` below")
                )  # fmt: skip
            return m.Text(tok.content)
        if tok.type == "softbreak":
            return m.Text(" ")
        if tok.type == "hardbreak":
            return m.LineBreak()
        if tok.type == "code_inline":
            return m.Code(tok.content)
        if tok.type == "image":
            self.problems.append(
                (*self._locate(line, tok.attrs.get("src", "")), "an image is a figure and "
                 "stands alone in its paragraph, with blank lines around it")
            )  # fmt: skip
            return m.Text("")
        if tok.type == "citation":
            found, col = self._locate(line, tok.content)
            return m.Cite(tok.meta["items"], tok.meta["in_text"], found, col)
        if tok.type == "footnote_ref":
            if not self.allow_notes:
                self.problems.append((line, 0, "a note cannot be called from here; call it "
                                      "from the body"))  # fmt: skip
            return m.NoteRef(int(tok.meta.get("id", 0)) + 1)
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
            if m.is_internal(url) and len(url) > 1:
                self.references.append((url, *self._locate(line, f"({url}")))
                return m.Link(url, inner)
            if not url.lower().startswith(ALLOWED_SCHEMES):
                self.problems.append(
                    (*self._locate(line, url), f"link {url!r}: only http, https and mailto "
                     "addresses are allowed (and #id, for a place in the article)")
                )  # fmt: skip
                return m.Text(m.plain_text(inner))
            return m.Link(url, inner)
        self.problems.append((line, 0, f"unsupported Markdown element ({opener})"))
        return m.Text(m.plain_text(inner))

    def _self_call(self, line: int, label: str) -> tuple[int, int]:
        """Where note ``label``, written on ``line``, calls itself: the first call after
        its own ``[^label]:``."""
        call = f"[^{label}]"
        for n in range(line, len(self.lines)):
            start = self.lines[n].find(call) + len(call) if n == line else 0
            col = self.lines[n].find(call, max(start, 0))
            if col >= 0:
                return n, col
        return line, 0

    def _locate(self, line: int, needle: str, span: int = 200) -> tuple[int, int]:
        for n in range(line, min(line + span, len(self.lines))):
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
