"""Document templates: frames, running header and footer ("Page X of Y"), outline entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from reportlab.pdfbase.pdfdoc import PDFName, PDFPage
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from exporter.formats.pdf.floats import (
    FUZZ,
    Column,
    ColumnBreak,
    Float,
    columns_hold,
    height,
    is_barrier,
    is_mark,
    keep_run,
    release_keeps,
    starts,
    text_follows,
)
from exporter.formats.pdf.fonts import with_fallback
from exporter.formats.pdf.metadata import DocumentInfo, apply_metadata
from exporter.formats.pdf.notes import NoteFrame, calls_in
from exporter.formats.pdf.styles import PdfStyles, rl_color
from exporter.formats.pdf.tagging import StructureTree, begin_artifact, end_marked
from exporter.labels import label
from exporter.model import Article


class OutlineEntry(Flowable):
    """An invisible mark that adds a bookmark here and an entry to the PDF outline.

    With ``keep`` it stays on the page of the flowable that follows it.
    """

    MARK = True  # no text and no room: see ``floats.is_mark``

    def __init__(self, key: str, title: str, level: int = 0, keep: bool = False) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.keepWithNext = keep  # an attribute, so the document template can clear it

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, self.level, closed=False)


class Anchor(Flowable):
    """An invisible mark: the place a link with its name leads to. It stays on the page of
    what follows it (the caption or table it marks)."""

    _ZEROSIZE = 1
    MARK = True

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.keepWithNext = 1

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)


@dataclass(frozen=True)
class Furniture:
    """What the page decoration says: running header, footer text, where it starts.

    Each text is given as choices, longest first (a full author list, then "A et al."):
    the first that fits is drawn, else the last one shortened with an ellipsis.
    """

    header_left: tuple[str, ...]
    header_right: tuple[str, ...]
    footer_left: tuple[str, ...]
    from_page: int
    lang: str


RIGHT_SHARE = 0.45  # of the line, at most, for the right-hand text of a running header


def draw_furniture(canv: Canvas, styles: PdfStyles, furniture: Furniture, total: int) -> None:
    """Running header (if any) and footer with "Page X of Y" on pages from ``from_page`` on."""
    page_no = canv.getPageNumber()
    if page_no < furniture.from_page:
        return
    page = styles.sheet.page
    width, height = canv._pagesize  # a landscape page is as wide as the portrait is tall
    across = page.text_width.pt if width == page.width.pt else page.landscape_text_width.pt
    left, right = page.margin_left.pt, page.margin_left.pt + across
    rule_role = styles.role("header")
    rule, rule_width = rl_color(rule_role.border_color), rule_role.border_width.pt
    canv.saveState()
    if furniture.header_left or furniture.header_right:
        header = styles.role("header")
        y = height - page.margin_top.pt + header.leading.pt * 0.9
        _line(canv, styles, "header", (left, right, y), furniture.header_left,
              furniture.header_right)  # fmt: skip
        canv.setStrokeColor(rule)
        canv.setLineWidth(rule_width)
        canv.line(left, y - header.size.pt * 0.5, right, y - header.size.pt * 0.5)
    footer = styles.role("footer")
    page_text = label("page_of", furniture.lang, page=page_no, pages=total)
    y = page.margin_bottom.pt - footer.leading.pt * 1.8
    canv.setStrokeColor(rule)
    canv.setLineWidth(rule_width)
    canv.line(left, y + footer.leading.pt, right, y + footer.leading.pt)
    _line(canv, styles, "footer", (left, right, y), furniture.footer_left, (page_text,))
    canv.restoreState()


def _line(
    canv: Canvas,
    styles: PdfStyles,
    role_name: str,
    where: tuple[float, float, float],
    texts_left: tuple[str, ...],
    texts_right: tuple[str, ...],
) -> None:
    """One line of furniture from ``left`` to ``right`` at ``y``: the right-hand text takes
    at most ``RIGHT_SHARE`` of it, the left-hand text the room that is left, and neither
    ever overlaps the other."""
    left, right, y = where
    role = styles.role(role_name)
    font, size = styles.font(role_name), role.size.pt
    canv.setFont(font, size)
    canv.setFillColor(styles.color(role_name))
    width = right - left
    right_text = fitting(texts_right, font, size, width * RIGHT_SHARE) if texts_right else ""
    _draw(canv, right - _width(right_text, font, size), y, right_text, font, size)
    room = width - stringWidth(right_text, font, size) - (3 * size if right_text else 0)
    if texts_left:
        _draw(canv, left, y, fitting(texts_left, font, size, room), font, size)


def _pieces(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` in pieces of one face each: the fallback faces set what ``font`` lacks."""
    return [(piece, face) for piece, face in with_fallback([(text, font)], face=lambda f: f)]


def _width(text: str, font: str, size: float) -> float:
    return sum(stringWidth(piece, face, size) for piece, face in _pieces(text, font))


def _draw(canv: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """``text`` from ``x`` on the baseline ``y``, each piece in the face that has it."""
    for piece, face in _pieces(text, font):
        canv.setFont(face, size)
        canv.drawString(x, y, piece)
        x += stringWidth(piece, face, size)


def fitting(choices: tuple[str, ...], font: str, size: float, width: float) -> str:
    """The first of ``choices`` that fits ``width``, else the last cut with an ellipsis
    (after a whole word where it can be)."""
    for text in choices:
        if stringWidth(text, font, size) <= width:
            return text
    words = choices[-1].split(" ")
    while len(words) > 1:
        words.pop()
        shortened = " ".join(words).rstrip(" ,.;:·") + "\u2026"
        if stringWidth(shortened, font, size) <= width:
            return shortened
    text = choices[-1]
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text + "\u2026" if text else ""


class PageLimitExceeded(Exception):
    """A layout stopped because it needs more pages than its limit allows."""


class EditionDocTemplate(BaseDocTemplate):
    """A document template that applies metadata and outline entries as it builds, and
    makes up its pages:

    * a float (``floats.Float``: a figure, a table, a poll, the read-online panel) that
      does not fit the rest of its frame while text follows it is held, the text fills the
      frame, and the held floats go, in their order, to the top of the next frame; a table
      taller than a whole frame starts where it is if its caption, header and two body
      rows fit;
    * a heading (or anything asking to be kept with the next flowable) stays in its frame
      when the first two lines of its text (the least a paragraph or table may leave) fit
      after it, and moves to the next frame with them when they do not;
    * where a page's text sits in columns and the rest of the story fits them, the columns
      but the last are made as short as lets the story fit, so the last page is balanced
      (and there, no float waits: each stays in its place in the text).

    With a ``page_limit`` it stops (``PageLimitExceeded``) when it begins a page past it.
    """

    def __init__(
        self,
        out: object,
        article: Article,
        info: DocumentInfo,
        page_limit: int = 0,
        **kw: object,
    ) -> None:
        self._article, self._info, self._page_limit = article, info, page_limit
        self._story: list[Flowable] | None = None
        self._held: list[Float] = []  # floats waiting for the top of the next frame
        self._fresh = False  # a frame has begun and no story flowable has been handled
        self._shortened: list[tuple[Frame, float, float]] = []  # balanced: (frame, y1, height)
        super().__init__(
            out,
            title=info.title,
            author=info.author,
            subject=info.subject,
            keywords=info.keywords,
            creator=info.creator,
            producer=info.producer,
            lang=article.lang,
            invariant=1,
            displayDocTitle=1,
            **kw,
        )

    page_count = 0

    def build(self, flowables: list[Flowable], filename: object = None,
              canvasmaker: Callable[..., Canvas] = Canvas) -> None:  # fmt: skip
        self._story, self._held, self._fresh = flowables, [], False
        super().build(flowables, filename, canvasmaker)

    # -- floats

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        story = flowables is self._story
        if story and self.frame is not None:
            self._make_up(flowables)
        if flowables:
            super().handle_flowable(flowables)
        if story and not flowables and self._held:  # the story ends: what waits comes now
            flowables.extend(self._held)
            self._held.clear()

    def _make_up(self, flowables: list[Flowable]) -> None:
        """Release held floats at the top of a new frame or before a break; hold the float
        at the front (after a heading, if one asks to be kept with it) if it must wait."""
        if self._held and (self._fresh or (flowables and is_barrier(flowables[0]))):
            flowables[0:0] = self._held
            self._held.clear()
        self._fresh = False
        at = keep_run(flowables)
        while at < len(flowables) and isinstance(flowables[at], Float):
            candidate = flowables[at]
            if self._held or not self._float_here(flowables[:at], candidate, flowables[at + 1:]):
                self._held.append(candidate)  # after any held before it: floats keep order
                del flowables[at]
                continue
            if candidate.splittable:  # in the flow: its caption keeps with the table
                flowables[at : at + 1] = list(candidate._content)
            break

    def _float_here(self, before: list[Flowable], candidate: Float, after: list[Flowable]) -> bool:
        """Whether ``candidate`` goes here (after ``before``, which keep with it), or waits."""
        if self._shortened or not text_follows(after):
            return True  # on a balanced page, as measured: no float waits
        frame, canv = self.frame, self.canv
        width = frame._getAvailableWidth()
        column = Column.of(frame)
        for kept in before:
            column.take(kept, height(kept, width, canv))
        room = column.room - column.gap(candidate)
        need = height(candidate, width, canv)
        if need <= room + FUZZ and self._notes_fit(candidate, room - need):
            return True
        empty = bool(frame._atTop) and all(is_mark(kept) for kept in before)
        if empty and need > self._tallest():
            return True  # no frame holds it whole: nothing is gained by waiting
        if candidate.splittable and need > frame._aH:  # it breaks anyway: start it here
            return starts(candidate, width, room, canv, frame)
        return False

    def _notes_fit(self, flowable: Flowable, room: float) -> bool:
        frame = self.frame
        if not isinstance(frame, NoteFrame):
            return True
        return frame.note_room(list(calls_in(flowable)), room)

    def _tallest(self) -> float:
        return max(f._aH for template in self.pageTemplates for f in template.frames)

    # -- keeping with the next

    def handle_keepWithNext(self, flowables: list[Flowable]) -> None:
        """Flowables kept with the next one (a heading, a caption) stay where they are when
        what follows can start after them (see ``floats.starts``: a paragraph's first two
        lines, a table's header and two rows); else the next frame begins before them.
        Never grouped: a heading keeps with the start of its text, not all of it."""
        run = keep_run(flowables)
        if not run:
            return
        frame = self.frame
        if run == len(flowables) or frame is None or flowables is not self._story:
            release_keeps(flowables[:run])
            return
        width = frame._getAvailableWidth()
        column = Column.of(frame)
        for kept in flowables[:run]:
            column.take(kept, height(kept, width, self.canv))
        following = flowables[run]
        room = column.room - column.gap(following)
        if frame._atTop or starts(following, width, room, self.canv, frame):
            release_keeps(flowables[:run])
        else:
            flowables.insert(0, ColumnBreak())

    # -- balanced columns

    def handle_frameBegin(self, resume: int = 0, pageTopFlowables: object = None) -> None:  # noqa: N803
        self._fresh = True
        self._balance()
        super().handle_frameBegin(resume, pageTopFlowables)

    def _balance(self) -> None:
        """At the first of a page's columns: if the rest of the story fits them, make every
        column but the last as short as lets it fit (the last stays whole, so whatever
        the measure misses still has room)."""
        group = column_group(self.pageTemplate.frames)
        if len(group) < 2 or self.frame is not group[0] or self._story is None:
            return
        if any(getattr(f, "footnotes", None) is not None for f in group):
            return
        story = [*self._held, *self._story]
        width, canv = group[0]._getAvailableWidth(), self.canv
        full = group[0]._aH
        total = 0.0
        for flowable in story:
            if is_barrier(flowable):
                return
            total += height(flowable, width, canv) + flowable.getSpaceBefore()
            if total > full * len(group) * 1.5:
                return
        if not columns_hold(story, width, [full] * len(group), canv):
            return
        low, high = 0.0, full
        while high - low > 1.0:
            middle = (low + high) / 2
            if columns_hold(story, width, [middle] * len(group), canv):
                high = middle
            else:
                low = middle
        for column in group[:-1]:
            y1, tall = column._y1, column._height
            self._shortened.append((column, y1, tall))
            column.__dict__["_y1"] = y1 + tall - high
            column.__dict__["_height"] = high
            column._geom()
            column._reset()

    def beforePage(self) -> None:
        if self._page_limit and self.page > self._page_limit:
            raise PageLimitExceeded(f"more than {self._page_limit} pages")

    def afterPage(self) -> None:
        self.page_count = max(self.page_count, self.page)
        for page_frame in self.pageTemplate.frames:
            if isinstance(page_frame, NoteFrame):
                page_frame.draw_notes(self.canv)
        for column, y1, tall in self._shortened:  # the next page's columns are whole again
            column.__dict__["_y1"], column.__dict__["_height"] = y1, tall
            column._geom()
        self._shortened.clear()

    def handle_documentBegin(self) -> None:
        apply_metadata(self.canv, self._article, self._info)
        self.canv._doc.updateSignature(self._info.creator)  # the file ID: from the edition too
        self.canv.showOutline()
        super().handle_documentBegin()


def column_group(frames: list[Frame]) -> list[Frame]:
    """The frames at the end of a page template that stand side by side (the same top and
    height): its columns."""
    group: list[Frame] = []
    for candidate in reversed(frames):
        if group and (abs(candidate._y1 - group[0]._y1) > FUZZ
                      or abs(candidate._height - group[0]._height) > FUZZ):  # fmt: skip
            break
        group.insert(0, candidate)
    return group


class FurnishedCanvas(Canvas):
    """A canvas that keeps its finished pages until ``save`` and then puts the header and
    footer under each page's content, so "Page X of Y" knows Y after a single layout pass.

    ``decorate(canvas, total)`` draws the furniture of the page the canvas is on. With a
    ``structure`` tree the content is tagged: the furniture is a pagination artifact, each
    page names its key in the ParentTree, and the tree is written when the canvas is saved.
    """

    def __init__(
        self,
        *args: object,
        decorate: Callable[[Canvas, int], None],
        structure: StructureTree | None = None,
        **kw: object,
    ) -> None:
        super().__init__(*args, **kw)
        self._decorate = decorate
        self.structure = structure
        self._kept_pages: list[dict] = []

    def showPage(self) -> None:
        state = dict(self.__dict__)
        del state["_kept_pages"]
        self._kept_pages.append(state)
        self._startPage()
        # bookmarks name the page they are on; no page is added to the document until save
        self._doc.pageCounter = self._pageNumber

    def save(self) -> None:
        if self._code:
            self.showPage()
        kept, self._kept_pages = self._kept_pages, []
        self._doc.pageCounter = 1
        for state in kept:
            self.__dict__.update(state)
            content, self._code = self._code, []
            artifact = begin_artifact(self, "Pagination")
            self._decorate(self, len(kept))
            if artifact:
                end_marked(self)
            self._code.extend(content)
            self._doc.updateSignature("\n".join(self._code))  # the file ID: from the content
            super().showPage()
        if self.structure is not None:
            self.structure.write(self, len(kept))
        super().save()

    def _setAnnotations(self, page: PDFPage) -> None:  # noqa: N802 (reportlab's name)
        super()._setAnnotations(page)
        if page.Trans is not None and not page.Trans.dict:
            page.Trans = None  # no transition: reportlab would write an empty one
        if self.structure is not None:
            page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = self.structure.page_key(self._pageNumber)
            page.Tabs = PDFName("S")  # annotations in the order of the structure


def furnished_canvas(
    styles: PdfStyles, furniture: Furniture, structure: StructureTree | None
) -> Callable[..., Canvas]:
    """The canvas maker for ``doc.build``: pages decorated with ``furniture`` at save time,
    content tagged in ``structure`` (None: untagged)."""

    def decorate(canv: Canvas, total: int) -> None:
        draw_furniture(canv, styles, furniture, total)

    return partial(FurnishedCanvas, decorate=decorate, structure=structure)


def page_templates(
    frames: dict[str, list[Frame]], sizes: dict[str, tuple[float, float]]
) -> list[PageTemplate]:
    """One page template per named frame set (on a page of its own size, if ``sizes`` gives
    one: a landscape page)."""
    return [PageTemplate(id=name, frames=fs, pagesize=sizes.get(name))
            for name, fs in frames.items()]  # fmt: skip


def frame(x: float, y: float, width: float, height: float, frame_id: str) -> Frame:
    """A frame with no inner padding: the style's margins are the only white space; it keeps
    room at its foot for notes once it is given them (``NoteFrame.footnotes``)."""
    return NoteFrame(
        x,
        y,
        width,
        height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=frame_id,
    )
