"""The body writer: model blocks and inlines as styled Word paragraphs, runs and hyperlinks."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph as WordParagraph
from lxml.etree import _Element

from exporter.edition import figure_caption, table_caption
from exporter.fonts import family_coverage, font_family
from exporter.formats.docx.figure import describe, embed_svg, picture
from exporter.formats.docx.notes import (
    NoteBody,
    first_paragraph,
    footnotes_part,
    note_mark_runs,
    reference_run,
)
from exporter.formats.docx.ooxml import (
    bookmark_name,
    border,
    element,
    hyperlink,
    line_break_run,
    make_run,
    text_runs,
)
from exporter.formats.docx.poll import mark_header, write_poll
from exporter.formats.docx.styles import (
    DATA_TABLE_STYLE,
    HYPERLINK,
    INLINE_CODE,
    NOTE_REFERENCE,
    NOTE_TEXT,
    StyleIndex,
    role_of,
)
from exporter.languages import Languages
from exporter.measure import column_widths, pil_font
from exporter.model import (
    Bibliography,
    Block,
    BlockQuote,
    Callout,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Note,
    NoteRef,
    Paragraph,
    PollBlock,
    Span,
    Strong,
    Table,
    Text,
    ThematicBreak,
    is_internal,
    plain_text,
)
from exporter.style import Length, StyleSheet, heading_rank
from exporter.walk import visitor

_P = qn("w:p")
_MEASURE_SCALE = 20  # faces are measured at 20 px per point, for precision
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
          "center": WD_ALIGN_PARAGRAPH.CENTER}


@dataclass(frozen=True)
class _Marks:
    """What surrounds an inline: its language, emphasis and character style."""

    lang: str
    bold: bool = False
    italic: bool = False
    char_style: str | None = None  # a style id: raw w:rStyle names no style by its UI name
    in_link: bool = False


class BlockWriter:
    """Writes blocks into a python-docx container (the document body)."""

    def __init__(self, doc: Any, style: StyleSheet, styles: StyleIndex, languages: Languages,
                 width_pt: float, bookmarks: dict[str, str] | None = None) -> None:
        self.doc = doc
        self.style = style
        self.styles = styles
        self.languages = languages  # the article's: what each run of text is in
        self.lang = languages.lang
        self.width_pt = width_pt
        self.numbered = style.numbered_captions
        self.bookmarks = bookmarks if bookmarks is not None else {}
        self.notes: dict[int, Note] = {}  # the notes to write as footnotes, by number
        self._called: set[int] = set()
        self._marks = 0

    def write(self, blocks: tuple[Block, ...], para_style: str = "Normal", depth: int = 0) -> None:
        for block in blocks:
            visitor(self, block, "docx: ")(block, para_style, depth)

    def paragraph(self, inlines: tuple[Inline, ...], style_name: str,
                  lang: str | None = None) -> WordParagraph:
        """A new paragraph in ``style_name`` holding ``inlines``."""
        para = self.add(style_name)
        self.inlines(para._p, inlines, _Marks(lang or self.lang))
        return para

    def add(self, style_name: str) -> WordParagraph:
        """A new empty body paragraph in the Word style ``style_name``."""
        para = self.doc.add_paragraph()
        para._p.style = self.styles.id(style_name)
        return para

    def _mark(self) -> int:
        """Where the next body element goes (new ones are inserted before ``w:sectPr``)."""
        body = self.doc.element.body
        return len(body) - (1 if getattr(body, "sectPr", None) is not None else 0)

    def _paragraphs_since(self, mark: int) -> list[_Element]:
        """The body paragraphs added since ``mark`` (not those inside tables)."""
        return [node for node in self.doc.element.body[mark:] if node.tag == _P]

    def _fonts(self, target: _Element) -> Callable[[str], str | None]:
        """For each character of a run in ``target``: None where its paragraph's font has
        it, else the first of the style's fallback families that does."""
        para = target if target.tag == _P else next(target.iterancestors(_P), None)
        ppr = para.pPr if para is not None else None
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        family = self.style.role(role_of(self.styles.name_of(style_id))).family
        chain = self.style.fallback(family)
        own = family_coverage((family,))

        def font(char: str) -> str | None:
            if char <= " " or ord(char) in own:
                return None
            return next((f for f in chain if ord(char) in family_coverage((f,))), None)

        return font

    def inlines(self, target: _Element, nodes: tuple[Inline, ...], marks: _Marks) -> None:
        for node in nodes:
            visitor(self, node, "docx: ")(target, node, marks)

    def visit_text(self, target: _Element, node: Text, marks: _Marks) -> None:
        target.extend(text_runs(node.text, marks.lang, self.languages, bold=marks.bold,
                                italic=marks.italic, char_style=marks.char_style,
                                fonts=self._fonts(target)))  # fmt: skip

    def visit_code(self, target: _Element, node: Code, marks: _Marks) -> None:
        style = marks.char_style if marks.in_link else self.styles.id(INLINE_CODE)
        face = self.style.role("code").family if marks.in_link else None  # a link's look
        target.extend(text_runs(node.text, marks.lang, self.languages, bold=marks.bold,
                                italic=marks.italic, char_style=style, face=face))  # fmt: skip

    def visit_line_break(self, target: _Element, node: LineBreak, marks: _Marks) -> None:
        target.append(line_break_run())

    def visit_emph(self, target: _Element, node: Emph, marks: _Marks) -> None:
        self.inlines(target, node.children, replace(marks, italic=True))

    def visit_strong(self, target: _Element, node: Strong, marks: _Marks) -> None:
        self.inlines(target, node.children, replace(marks, bold=True))

    def visit_span(self, target: _Element, node: Span, marks: _Marks) -> None:
        self.inlines(target, node.children, replace(marks, lang=node.lang))

    def visit_note_ref(self, target: _Element, node: NoteRef, marks: _Marks) -> None:
        self._note_call(target, node.number)

    def visit_link(self, target: _Element, node: Link, marks: _Marks) -> None:
        if marks.in_link:
            self.inlines(target, node.children, marks)
            return
        if is_internal(node.url):
            anchor = element("w:hyperlink", anchor=self.bookmarks[node.url[1:]], history="1")
        else:
            anchor = hyperlink(self.doc.part, node.url)
        target.append(anchor)
        self.inlines(anchor, node.children,
                     replace(marks, char_style=self.styles.id(HYPERLINK), in_link=True))

    def _note_call(self, target: _Element, number: int) -> None:
        """A real footnote reference where a note is first called; a later call of the same
        note is its number, raised as Word raises a footnote's."""
        if number in self._called or number not in self.notes:
            target.append(make_run(str(number), char_style=self._note_style))
            return
        self._called.add(number)
        target.append(reference_run(number, self._note_style))

    @property
    def _note_style(self) -> str:
        return self.styles.id(NOTE_REFERENCE) or ""

    def bookmark(self, para: WordParagraph, ident: str) -> None:
        """Make ``para`` the place a cross-reference to ``ident`` goes."""
        name = self.bookmarks.get(ident)
        if not name:
            return
        self._marks += 1
        start = element("w:bookmarkStart", id=str(self._marks), name=name)
        ppr = para._p.pPr
        para._p.insert(1 if ppr is not None else 0, start)
        para._p.append(element("w:bookmarkEnd", id=str(self._marks)))

    def visit_paragraph(self, block: Paragraph, para_style: str, depth: int) -> None:
        self.paragraph(block.children, para_style)

    def visit_heading(self, block: Heading, para_style: str, depth: int) -> None:
        para = self.paragraph(block.children, f"Heading {heading_rank(block.level)}")
        self.bookmark(para, block.ident)

    def visit_bibliography(self, block: Bibliography, para_style: str, depth: int) -> None:
        """The works cited, each entry a paragraph in the Bibliography style (its number
        first where the style numbers them) that its citations link to."""
        for entry in block.entries:
            children = (Span(entry.lang, entry.children),) if entry.lang else entry.children
            if entry.label:
                children = (Text(f"{entry.label}\u00a0"), *children)
            self.bookmark(self.paragraph(children, "Bibliography"), entry.ident)

    def visit_block_quote(self, block: BlockQuote, para_style: str, depth: int) -> None:
        self.write(block.blocks, "Quote", depth)

    def visit_list_block(self, block: ListBlock, para_style: str, depth: int) -> None:
        kind = "List Number" if block.ordered else "List Bullet"
        name = kind if depth == 0 else f"{kind} {min(depth + 1, 3)}"
        num_id = self._restart_numbering(name, block.start) if block.ordered else None
        further = "List Continue" if depth == 0 else f"List Continue {min(depth + 1, 3)}"
        for item in block.items:
            for index, child in enumerate(item):
                if isinstance(child, ListBlock):
                    self.visit_list_block(child, para_style, depth + 1)
                    continue
                mark = self._mark()
                if index == 0:
                    self.write((child,), name, depth)
                    for para in self._paragraphs_since(mark):
                        pr = para.get_or_add_pPr()
                        if num_id is not None:
                            pr.get_or_add_numPr().get_or_add_numId().val = num_id
                        if depth >= 3:  # deeper than Word's list styles: indented further
                            pr.ind_left, pr.ind_hanging = Twips(360 * (depth + 1)), Twips(360)
                    continue
                # the item's further paragraphs: under its text, without a number of their own
                self.write((child,), further, depth)
                indent = self.styles.element(further).pPr
                left = indent.ind_left if indent is not None else None
                for para in self._paragraphs_since(mark):
                    pr = para.get_or_add_pPr()
                    if left is not None and pr.pStyle is not None and pr.pStyle.val != \
                            self.styles.id(further):
                        pr.ind_left = left

    def _restart_numbering(self, style_name: str, start: int) -> int | None:
        """A numbering instance of the style's list that counts from ``start`` again."""
        ppr = self.styles.element(style_name).pPr
        if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
            return None
        numbering = self.doc.part.numbering_part.element
        abstract = numbering.num_having_numId(ppr.numPr.numId.val).abstractNumId.val
        num = numbering.add_num(abstract)
        level = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
        num.add_lvlOverride(ilvl=level).add_startOverride(start)
        return num.numId

    def visit_code_block(self, block: CodeBlock, para_style: str, depth: int) -> None:
        para = self.add("Code")
        for index, line in enumerate(block.text.rstrip("\n").split("\n")):
            if index:
                para._p.append(line_break_run())
            para._p.extend(text_runs(line, self.lang, self.languages))

    def visit_thematic_break(self, block: ThematicBreak, para_style: str, depth: int) -> None:
        para = self.add("Normal")
        role = self.style.role("thematic-break")
        bdr = element("w:pBdr")
        bdr.append(border("bottom", role.border_color, role.border_width, Length(1)))
        para._p.get_or_add_pPr().insert_element_before(bdr, "w:shd", "w:tabs", "w:spacing",
                                                       "w:ind", "w:jc")

    def visit_callout(self, block: Callout, para_style: str, depth: int) -> None:
        label = self.add("Callout Label")
        label._p.extend(text_runs(block.label, self.lang, self.languages))
        label.paragraph_format.keep_with_next = True
        mark = self._mark()
        self.write(block.blocks, "Callout", depth)
        for para in self._paragraphs_since(mark)[:-1]:
            para.get_or_add_pPr().keepNext_val = True

    def visit_table(self, block: Table, para_style: str, depth: int) -> None:
        """The caption, then a Word table in the data table style whose header row repeats
        on every page and is marked as the header."""
        words = table_caption(block, self.lang, self.numbered)
        if words:
            caption = self.add("Caption")
            self.inlines(caption._p, words, _Marks(self.lang))
            caption.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1 + len(block.rows), cols=len(block.align))
        table._tbl.tblStyle_val = self.styles.id(DATA_TABLE_STYLE)
        table.autofit = False
        for index, width in enumerate(self._column_widths(block)):
            table.columns[index].width = Pt(width)
            for row in table.rows:
                row.cells[index].width = Pt(width)
        for index, (row, cells) in enumerate(zip(table.rows, (block.header, *block.rows),
                                                 strict=True)):  # fmt: skip
            for cell, inlines, align in zip(row.cells, cells, block.align, strict=False):
                para = cell.paragraphs[0]
                para._p.style = self.styles.id("Table Header" if index == 0 else "Table")
                if align in _ALIGN:
                    para.alignment = _ALIGN[align]
                self.inlines(para._p, inlines, _Marks(self.lang))
        mark_header(table)
        self.bookmark(caption if words else table.rows[0].cells[0].paragraphs[0], block.ident)

    def _column_widths(self, block: Table) -> list[float]:
        """Each column as wide as its content asks (measured in the cell and header faces),
        within the width of the text."""
        faces = []
        for name in ("table", "table-header"):
            role = self.style.role(name)
            path = font_family(role.family).face(role.bold, role.italic)
            faces.append(pil_font(path, round(role.size.pt * _MEASURE_SCALE)))

        def measure(text: str) -> float:
            return max(face.getlength(text) for face in faces) / _MEASURE_SCALE

        columns = [[plain_text(r[i]) for r in (block.header, *block.rows) if i < len(r)]
                   for i in range(len(block.align))]  # fmt: skip
        cell_margins = 2 * 5.4  # Word's default cell margins, 0.08 in each side
        widths = column_widths(columns, measure, self.width_pt - cell_margins * len(columns), 0)
        return [w + cell_margins for w in widths]

    def visit_figure(self, block: Figure, para_style: str, depth: int) -> None:
        """The picture in a paragraph of its own, kept with its caption and credit under
        it; its description is the alt text."""
        data, width = picture(block.image, self.style, self.width_pt * block.width)
        holder = self.add("Normal")
        fmt = holder.paragraph_format
        fmt.first_line_indent, fmt.keep_with_next = Pt(0), True
        fmt.space_before = Pt(self.style.role("caption").space_before.pt * 2)
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        shape = holder.add_run().add_picture(io.BytesIO(data), width=Pt(width))
        describe(shape._inline.docPr, block.alt)
        if block.image.is_vector:
            embed_svg(self.doc.part, shape._inline, block.image.data)
        self.bookmark(holder, block.ident)
        words = figure_caption(block, self.lang, self.numbered)
        texts = [(words, "Caption")] if words else []
        if block.credit:
            texts.append((block.credit, "Credit"))
        for index, (inlines, name) in enumerate(texts):
            para = self.paragraph(inlines, name)
            para.paragraph_format.keep_with_next = index < len(texts) - 1
        if not texts:
            fmt.keep_with_next = False

    def visit_poll_block(self, block: PollBlock, para_style: str, depth: int) -> None:
        write_poll(self.doc, self.styles, block.poll, self.style, self.languages,
                   Pt(self.width_pt))

    def note_parts(self) -> list[_Element]:
        """The footnotes part's element, if notes were written (for the fonts they need)."""
        return [footnotes_part(self.doc).element] if self._called else []

    def write_notes(self, width_pt: float) -> None:
        """Every note called in what was written, as a Word footnote."""
        if not self.notes:
            return
        part = footnotes_part(self.doc)
        for number in sorted(self._called):
            body = NoteBody(part, number, width_pt)
            writer = BlockWriter(body, self.style, self.styles, self.languages, width_pt,
                                 self.bookmarks)  # fmt: skip
            writer.write(self.notes[number].blocks, NOTE_TEXT)
            first = first_paragraph(body.note)
            ppr = first.find(qn("w:pPr"))
            at = 1 if ppr is not None else 0
            for offset, run in enumerate(note_mark_runs(self._note_style)):
                first.insert(at + offset, run)


def bookmark_names(idents: list[str]) -> dict[str, str]:
    """A Word bookmark name for every id: hidden (leading ``_``), letters, digits and ``_``
    only, at most 40 characters, different for different ids."""
    return {ident: bookmark_name(index, ident) for index, ident in enumerate(idents, start=1)}
