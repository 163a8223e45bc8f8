"""Reads a story of the manuscript (its body, or one note) into items: each paragraph with
what its style makes it (a heading, a list item, a quote, a caption …), each table and each
picture, in reading order. ``arrange`` then makes the model's blocks of them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from exporter import model as m
from exporter.importer.context import Context
from exporter.importer.inlines import InlineReader, ParagraphContent
from exporter.importer.pictures import Picture, read_picture
from exporter.importer.xml import qn, text_of, wval

# paragraph styles by UI name (lower case), nearest style first
_KINDS = {
    "title": "title", "subtitle": "subtitle", "byline": "byline", "affiliation": "affiliation",
    "meta": "meta", "summary": "summary", "abstract": "summary", "quote": "quote",
    "intense quote": "quote", "block text": "quote", "code": "code",
    "html preformatted": "code", "caption": "caption", "credit": "credit",
    "poll question": "poll-question", "poll": "poll", "poll header": "poll",
    "callout label": "callout-label", "callout": "callout", "header": "skip", "footer": "skip",
}  # fmt: skip
_LIST_NAME = re.compile(r"^list (?:bullet|number|continue)(?: ([2-9]))?$")
_CONTINUE = re.compile(r"^list continue(?: ([2-9]))?$")
_LEVEL_TWIPS = 360  # a list level's indent in Word's own list styles (a quarter inch)
_TOC_NAME = re.compile(r"^toc \d$|^toc heading$|^table of figures$")


@dataclass
class Item:
    kind: str  # a _KINDS value, "heading", "para", "list", "table", "figure", "break"
    paragraph: int
    words: str
    content: ParagraphContent | None = None
    level: int = 0  # a heading's (1-based) or a list item's (0-based) level
    ordered: bool = False
    start: int = 1
    num_id: str = ""
    table: m.Table | None = None
    table_style: str = ""
    bookmarks: list[str] = field(default_factory=list)
    picture: Picture | None = None
    continued: bool = False  # a further paragraph of the list item before (List Continue)


class StoryReader:
    """Reads the block content of a story's container (``w:body``, ``w:footnote``)."""

    def __init__(self, ctx: Context, column_pt: float) -> None:
        self.ctx = ctx
        self.column_pt = column_pt
        self.items: list[Item] = []
        self._toc_warned = False

    def read(self, container: Any) -> list[Item]:
        for child in container:
            if child.tag == qn("w:p"):
                self.paragraph(child)
            elif child.tag == qn("w:tbl"):
                self.table(child)
            elif child.tag == qn("w:sdt"):
                self.content_control(child)
            elif child.tag in (qn("w:customXml"),):
                self.read(child)
            elif child.tag == qn("w:altChunk"):
                self.ctx.paragraph += 1
                self.ctx.words = ""
                self.ctx.warn("an embedded document (altChunk) is not kept")
        return self.items

    def content_control(self, node: Any) -> None:
        gallery = node.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
        content = node.find(qn("w:sdtContent"))
        if gallery is not None and "contents" in (wval(gallery) or "").lower():
            self.ctx.paragraph += 1
            self.ctx.words = text_of(content) if content is not None else ""
            self.ctx.warn("a table of contents (not kept: the editions make their own)")
            self.ctx.paragraph += max(0, len(content.findall(qn("w:p"))) - 1) if (
                content is not None) else 0
            return
        if content is not None:
            self.read(content)

    def paragraph(self, node: Any) -> None:
        ctx = self.ctx
        ctx.paragraph += 1
        ctx.words = text_of(node)
        ppr = node.find(qn("w:pPr"))
        style = ctx.styles.info(wval(ppr.find(qn("w:pStyle"))) if ppr is not None else None)
        skipped_before = ctx.skipping
        content = InlineReader(ctx, style).read(node)
        if skipped_before and ctx.skipping or (skipped_before and not content.inlines):
            return
        heads_toc = style.names[:1] == ("toc heading",)
        if heads_toc and not _toc_follows(node):  # a heading of its own, styled as one
            item = self.classify(ppr, style, content)
            if item is not None and content.inlines:
                item.kind, item.level = "heading", 1
                self.items.append(item)
            return
        if any(_TOC_NAME.match(name) for name in style.names[:1]):
            if not self._toc_warned:
                ctx.warn("a table of contents (not kept: the editions make their own)")
                self._toc_warned = True
            return
        item = self.classify(ppr, style, content)
        if item is not None and (content.inlines or item.kind == "break"):
            self.items.append(item)
        for drawing in content.pictures:
            if item is not None and item.kind in ("poll",):
                continue  # the poll's chart: the editions draw it from the poll's figures
            picture = read_picture(drawing, ctx.part, self.column_pt)
            if content.inlines and item is not None and item.kind not in ("caption",):
                ctx.warn("a picture inside a paragraph of text: it becomes a figure after "
                         "the paragraph")  # fmt: skip
            self.items.append(Item("figure", ctx.paragraph, ctx.words, picture=picture,
                                   bookmarks=list(content.bookmarks)))  # fmt: skip

    def classify(self, ppr: Any, style: Any, content: ParagraphContent) -> Item | None:
        ctx = self.ctx
        base = Item("para", ctx.paragraph, ctx.words, content, bookmarks=content.bookmarks)
        kind = next((_KINDS[n] for n in style.names if n in _KINDS), None)
        outline = _direct_outline(ppr)
        outline = outline if outline is not None else style.outline
        if kind == "skip":
            return None
        if kind in ("title", "subtitle", "byline", "affiliation", "meta", "summary",
                    "caption", "credit", "poll-question", "poll", "callout-label",
                    "callout", "quote", "code"):  # fmt: skip
            base.kind = kind
            if kind == "code":  # indented as a list's text: a block of the item before
                base.level = _indent_level(ppr)
            return base
        if outline is not None:
            base.kind, base.level = "heading", outline + 1
            return base
        num = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = wval(num.find(qn("w:numId"))) if num is not None else None
        ilvl = wval(num.find(qn("w:ilvl"))) if num is not None else None
        num_id = num_id if num_id is not None else style.num_id
        further = next((_CONTINUE.match(n) for n in style.names if _CONTINUE.match(n)), None)
        if further is not None and not (num_id and num_id != "0"):
            base.kind, base.continued = "list", True
            base.level = int(further.group(1)) - 1 if further.group(1) else 0
            return base
        if num_id and num_id != "0":
            word_level = min(8, int(ilvl)) if ilvl and ilvl.isdecimal() else (style.ilvl or 0)
            named = next((_LIST_NAME.match(n) for n in style.names if _LIST_NAME.match(n)), None)
            level = word_level + (int(named.group(1)) - 1 if named and named.group(1) else 0)
            if named is not None and named.group(1) == "3":  # deeper levels: by their indent
                level = max(level, _indent_level(ppr) - 1)
            ordered, start = ctx.styles.list_level(num_id, word_level)
            if not ordered and named is not None and "number" in named.group(0):
                ordered = True
            base.kind, base.level, base.ordered, base.start = "list", level, ordered, start
            base.num_id = num_id
            return base
        if not content.inlines and not content.pictures and _rule_below(ppr):
            base.kind = "break"
        return base

    def table(self, node: Any) -> None:
        from exporter.importer.tables import read_table

        ctx = self.ctx
        table, style, bookmarks = read_table(node, ctx)
        if table is not None:
            self.items.append(Item("table", ctx.paragraph, ctx.words, table=table,
                                   table_style=style, bookmarks=bookmarks))  # fmt: skip


def _direct_outline(ppr: Any) -> int | None:
    value = wval(ppr.find(qn("w:outlineLvl"))) if ppr is not None else None
    return int(value) if value is not None and value.isdecimal() and int(value) < 9 else None


def _toc_follows(node: Any) -> bool:
    """Whether a table of contents comes right after the paragraph ``node`` (a contents
    control, a paragraph in a "TOC n" style, or a TOC field)."""
    after = node.getnext()
    while after is not None and after.tag == qn("w:bookmarkEnd"):
        after = after.getnext()
    if after is None:
        return False
    if after.tag == qn("w:sdt"):
        gallery = after.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
        return gallery is not None and "contents" in (wval(gallery) or "").lower()
    if after.tag != qn("w:p"):
        return False
    style = after.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    if style is not None and re.match(r"(?i)^toc ?\d$", wval(style) or ""):
        return True
    instructions = " ".join(t.text or "" for t in after.iter(qn("w:instrText")))
    instructions += " ".join(f.get(qn("w:instr"), "") for f in after.iter(qn("w:fldSimple")))
    return bool(re.search(r"\bTOC\b", instructions))


def _indent_level(ppr: Any) -> int:
    """The list level whose text a paragraph's own left indent lines up with, plus one
    (0: not indented)."""
    ind = ppr.find(qn("w:ind")) if ppr is not None else None
    value = (ind.get(qn("w:left")) or ind.get(qn("w:start")) or "") if ind is not None else ""
    if not value.isdecimal() or len(value) > 6:
        return 0
    return min(9, round(int(value) / _LEVEL_TWIPS))


def _rule_below(ppr: Any) -> bool:
    if ppr is None:
        return False
    border = ppr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    return border is not None and (wval(border) or "nil") not in ("nil", "none")
