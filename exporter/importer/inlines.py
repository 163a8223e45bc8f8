"""A paragraph's runs as model inlines: emphasis, bold, code (by character style or a
monospaced font), links (external, and to bookmarks), language runs, note calls, line
breaks, no-break spaces and soft hyphens; fields read for their result. What a paragraph
holds that is not text (pictures, shapes, equations, comments) is handed back or reported."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from exporter import model as m
from exporter.importer.context import INTERNAL, Context, Field
from exporter.importer.styles import is_mono
from exporter.importer.xml import NS, local, on, qn, text_of, wval

_ALLOWED = ("http://", "https://", "mailto:")
_NOTE_STYLES = ("footnote reference", "endnote reference")
_HAND_SET = {"color": "a colour", "highlight": "a highlight", "u": "underlining",
             "strike": "strike-through", "dstrike": "strike-through", "shd": "shading",
             "caps": "capitals", "smallCaps": "small capitals"}  # fmt: skip
_UNWRAPPED = {"smartTag", "customXml", "fldSimple", "dir", "bdo"}
_PASSED = {"proofErr", "bookmarkEnd", "permStart", "permEnd", "commentRangeStart",
           "commentRangeEnd", "lastRenderedPageBreak", "pPr", "rPr", "moveFromRangeStart",
           "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"}  # fmt: skip


@dataclass(frozen=True)
class Fmt:
    bold: bool = False
    italic: bool = False
    code: bool = False
    lang: str = ""  # a Word language tag other than the document's, else ""
    link: str = ""


@dataclass
class Piece:
    kind: str  # "text", "break", "note"
    value: Any
    fmt: Fmt


@dataclass
class ParagraphContent:
    """What a paragraph holds: its inlines, its pictures (``w:drawing`` elements of a
    picture), the bookmarks in it, and whether all its text is set in a monospaced font."""

    inlines: tuple[m.Inline, ...]
    pictures: list[Any]
    bookmarks: list[str]
    all_code: bool
    all_bold: bool


class InlineReader:
    def __init__(self, ctx: Context, para_style: Any) -> None:
        self.ctx = ctx
        self.para_style = para_style  # StyleInfo
        self.pieces: list[Piece] = []
        self.pictures: list[Any] = []
        self.bookmarks: list[str] = []
        self._hand_set: set[str] = set()

    def read(self, paragraph: Any) -> ParagraphContent:
        self.children(paragraph, "")
        if self._hand_set:
            self.ctx.warn(f"{', '.join(sorted(self._hand_set))} set by hand (not kept: the "
                          "editions take the look from the style)")  # fmt: skip
        texts = [p for p in self.pieces if p.kind == "text" and p.value.strip()]
        return ParagraphContent(
            inlines=build(self.pieces, self.ctx),
            pictures=self.pictures,
            bookmarks=self.bookmarks,
            all_code=bool(texts) and all(p.fmt.code for p in texts),
            all_bold=bool(texts) and all(p.fmt.bold for p in texts),
        )

    def children(self, node: Any, link: str) -> None:
        for child in node:
            name = local(child)
            if child.tag == qn("w:r"):
                self.run(child, link)
            elif child.tag == qn("w:hyperlink"):
                self.children(child, link or self.hyperlink(child))
            elif name in _UNWRAPPED and child.tag.startswith(f"{{{NS['w']}}}"):
                if name == "fldSimple":
                    self.simple_field(child, link)
                else:
                    self.children(child, link)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.children(content, link)
            elif child.tag == qn("w:bookmarkStart"):
                self.bookmarks.append(child.get(qn("w:name"), ""))
            elif child.tag in (qn("m:oMath"), qn("m:oMathPara")):
                self.ctx.warn(f"an equation (not kept): {_math_text(child)!r}")
            elif child.tag == qn("mc:AlternateContent"):
                self.alternate(child, link)
            elif name and name not in _PASSED:
                self.ctx.warn(f"a Word element the source cannot carry ({name}), not kept")

    def hyperlink(self, node: Any) -> str:
        rid = node.get(qn("r:id"))
        anchor = node.get(qn("w:anchor"))
        if rid:
            rel = self.ctx.part.rels.get(rid)
            url = rel.target_ref if rel is not None else ""
            if anchor:
                url = f"{url}#{anchor}"
            return url or " "
        return f"{INTERNAL}{anchor}" if anchor else " "

    def simple_field(self, node: Any, link: str) -> None:
        field = Field(node.get(qn("w:instr"), ""), result=True)
        self.ctx.fields.append(field)
        self.children(node, link or self.field_link(field))
        self.ctx.fields.pop()

    def alternate(self, node: Any, link: str) -> None:
        choice = node.find(qn("mc:Choice"))
        fallback = node.find(qn("mc:Fallback"))
        chosen = choice if choice is not None else fallback
        if chosen is not None:
            self.children(chosen, link)

    def run(self, run: Any, link: str) -> None:
        fmt = self.run_format(run.find(qn("w:rPr")), link, text_of(run))
        style = _run_style(run)
        for child in run:
            tag = child.tag
            if tag == qn("w:fldChar"):
                self.field_char(child)
                continue
            if tag == qn("w:instrText"):
                if self.ctx.fields:
                    self.ctx.fields[-1].instruction += child.text or ""
                continue
            if self._hidden():
                continue
            field_link = self.field_link(self.ctx.fields[-1]) if self.ctx.fields else ""
            here = replace(fmt, link=fmt.link or field_link) if field_link else fmt
            self.run_child(child, here, style)

    def run_child(self, child: Any, fmt: Fmt, style: str) -> None:
        tag = child.tag
        if tag == qn("w:t"):
            text = child.text or ""
            if style in _NOTE_STYLES and text.strip().isdecimal() and self._known_call(text):
                self.pieces.append(Piece("note", int(text.strip()), Fmt()))
            elif text:
                self.pieces.append(Piece("text", text, fmt))
        elif tag == qn("w:tab") or tag == qn("w:ptab"):
            self.pieces.append(Piece("text", "\t", fmt))
        elif tag in (qn("w:br"), qn("w:cr")):
            if (child.get(qn("w:type")) or "textWrapping") == "textWrapping":
                self.pieces.append(Piece("break", None, fmt))
        elif tag == qn("w:noBreakHyphen"):
            self.pieces.append(Piece("text", "\u2011", fmt))
        elif tag == qn("w:softHyphen"):
            self.pieces.append(Piece("text", "\u00ad", fmt))
        elif tag == qn("w:sym"):
            code = child.get(qn("w:char"), "")
            try:
                char = chr(int(code, 16) - (0xF000 if int(code, 16) >= 0xF000 else 0))
            except (ValueError, OverflowError):
                return
            self.ctx.warn(f"a symbol from the font {child.get(qn('w:font'))!r} kept as the "
                          f"character {char!r}; check it")  # fmt: skip
            self.pieces.append(Piece("text", char, fmt))
        elif tag in (qn("w:footnoteReference"), qn("w:endnoteReference")):
            kind = "footnotes" if tag == qn("w:footnoteReference") else "endnotes"
            number = self.ctx.note_number(kind, child.get(qn("w:id"), ""))
            self.pieces.append(Piece("note", number, Fmt(link=fmt.link, lang=fmt.lang)))
        elif tag == qn("w:drawing"):
            self.drawing(child)
        elif tag == qn("w:pict"):
            self.vml(child)
        elif tag == qn("w:object"):
            self.ctx.warn("an embedded object (OLE) is not kept")
        elif tag == qn("w:commentReference"):
            text = self.ctx.comments.get(child.get(qn("w:id"), ""), "")
            self.ctx.warn(f"a comment (not kept): {text!r}")
        elif tag == qn("mc:AlternateContent"):
            chosen = child.find(qn("mc:Choice"))
            if chosen is None:
                chosen = child.find(qn("mc:Fallback"))
            for inner in chosen if chosen is not None else ():
                self.run_child(inner, fmt, style)
        elif tag in (qn("w:footnoteRef"), qn("w:endnoteRef"), qn("w:separator"),
                     qn("w:continuationSeparator"), qn("w:rPr"),
                     qn("w:lastRenderedPageBreak")):  # fmt: skip
            return
        elif tag in (qn("w:pgNum"), qn("w:dayShort"), qn("w:monthShort"), qn("w:yearShort"),
                     qn("w:dayLong"), qn("w:monthLong"), qn("w:yearLong")):  # fmt: skip
            self.ctx.warn(f"a date or page number Word fills in ({local(child)}) is not kept")

    def drawing(self, node: Any) -> None:
        graphic = node.find(f".//{qn('a:graphicData')}")
        uri = graphic.get("uri", "") if graphic is not None else ""
        if uri.endswith("/picture"):
            self.pictures.append(node)
            return
        text = " ".join(text_of(t) for t in node.iter(qn("w:txbxContent")))
        if text.strip():
            self.ctx.warn(f"a text box (not kept): {text.strip()[:80]!r}")
        elif uri.endswith("/chart"):
            self.ctx.warn("a chart (not kept): save it as a picture (PNG or SVG) and place "
                          "that instead")  # fmt: skip
        elif "diagram" in uri:
            self.ctx.warn("a SmartArt diagram (not kept): save it as a picture instead")
        else:
            self.ctx.warn("a shape or drawing (not kept)")

    def vml(self, node: Any) -> None:
        text = " ".join(text_of(t) for t in node.iter(qn("w:txbxContent")))
        if text.strip():
            self.ctx.warn(f"a text box (not kept): {text.strip()[:80]!r}")
        elif node.find(f".//{qn('v:imagedata')}") is not None:
            self.ctx.warn("an old-style (VML) picture is not kept: insert it again as a "
                          "picture in Word")  # fmt: skip
        else:
            self.ctx.warn("a shape (not kept)")

    def field_char(self, node: Any) -> None:
        kind = node.get(qn("w:fldCharType"))
        fields = self.ctx.fields
        if kind == "begin":
            fields.append(Field())
        elif kind == "separate" and fields:
            fields[-1].result = True
            self.field_met(fields[-1])
        elif kind == "end" and fields:
            field = fields.pop()
            if not field.result:
                self.field_met(field)

    def field_met(self, field: Field) -> None:
        kind = field.kind
        if kind in ("TOC", "INDEX", "TOA", "BIBLIOGRAPHY"):
            self.ctx.warn(f"a field Word fills in ({kind}: a table of contents or index) is "
                          "not kept; the editions make their own")  # fmt: skip
        elif kind not in ("HYPERLINK", "REF", "PAGEREF", "NOTEREF", "SEQ", ""):
            self.ctx.warn(f"a field ({kind}) is kept as the text Word last showed for it")

    def field_link(self, field: Field) -> str:
        words = field.instruction.split()
        if not words or not field.result:
            return ""
        args = [w.strip('"') for w in words[1:] if not w.startswith("\\")]
        if field.kind == "HYPERLINK":
            flags = words[1:]
            if "\\l" in flags:
                at = flags.index("\\l")
                return f"{INTERNAL}{flags[at + 1].strip(chr(34))}" if at + 1 < len(flags) else ""
            return args[0] if args else ""
        if field.kind == "REF" and "\\h" in words and args:
            return f"{INTERNAL}{args[0]}"
        return ""

    def _hidden(self) -> bool:
        """Inside a field's instruction, or in the result of a field not kept."""
        return any(not f.result for f in self.ctx.fields) or self.ctx.skipping

    def _known_call(self, text: str) -> bool:
        return int(text.strip()) in self.ctx.notes.values()

    def run_format(self, rpr: Any, link: str, text: str) -> Fmt:
        styles = self.ctx.styles
        char = styles.info(wval(rpr.find(qn("w:rStyle")))) if (
            rpr is not None and rpr.find(qn("w:rStyle")) is not None) else None
        bold = char.bold if char else False
        italic = char.italic if char else False
        mono = bool(char and (char.mono or "code" in char.name))
        lang = (char.lang if char else None) or self.para_style.lang
        if rpr is not None:
            for tag, value in (("w:b", "bold"), ("w:i", "italic")):
                node = rpr.find(qn(tag))
                if node is not None:
                    bold, italic = (on(node), italic) if value == "bold" else (bold, on(node))
            mono = mono or is_mono(rpr)
            lang_node = rpr.find(qn("w:lang"))
            if lang_node is not None and wval(lang_node):
                lang = wval(lang_node)
            for tag, words in _HAND_SET.items():
                node = rpr.find(qn(f"w:{tag}"))
                if node is None or (wval(node) or "").lower() in ("none", "auto", "0", "false"):
                    continue
                if tag in ("color", "u") and (link or (char and char.name == "hyperlink")):
                    continue
                self._hand_set.add(words)
            fonts = rpr.find(qn("w:rFonts"))
            latin = any(c.isascii() and c.isalnum() for c in text)
            if fonts is not None and not mono and fonts.get(qn("w:ascii")) and latin:
                self._hand_set.add("a font")
        word_lang = self.ctx.word_lang
        other = lang if lang and lang.lower() != (word_lang or "").lower() else ""
        return Fmt(bold, italic, mono, other, link)


def _run_style(run: Any) -> str:
    rpr = run.find(qn("w:rPr"))
    style = rpr.find(qn("w:rStyle")) if rpr is not None else None
    value = (wval(style) or "").lower()
    return {"footnotereference": "footnote reference",
            "endnotereference": "endnote reference"}.get(value, value)  # fmt: skip


def _math_text(node: Any) -> str:
    return "".join(t.text or "" for t in node.iter(qn("m:t")))[:80]


def build(pieces: list[Piece], ctx: Context) -> tuple[m.Inline, ...]:
    """The pieces as a tree of inlines: links outermost, then language spans, bold,
    emphasis; the paragraph's leading and trailing white space dropped."""
    from exporter.importer.tree import inline_tree

    return inline_tree(pieces, ctx)
