"""Notes at the foot of the page where they are called, as printed reports set them.

A ``NoteFrame`` keeps room at its foot for the notes that the flowables placed in it call:
before a flowable is added, the frame's bottom rises by the height of the notes it calls
that are not yet on the page; a paragraph that must be split asks the frame (``note_room``)
how many of its lines fit together with their notes. When the page ends, ``draw_notes``
sets the notes under a short rule, from the bottom margin up.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame

from exporter.edition import NotesCalled
from exporter.formats.pdf.tagging import marked
from exporter.formats.pdf.textblock import TextBlock

RULE_SHARE = 0.3  # of the frame width: the rule over the notes


class FootNotes:
    """The notes of a document, each as the flowables of its text, laid out at ``width``."""

    def __init__(self, notes: dict[int, list[Flowable]], width: float, gap: float,
                 rule: tuple[object, float], called: NotesCalled) -> None:  # fmt: skip
        self.notes, self.width, self.gap, self.rule = notes, width, gap, rule
        self.called = called  # which note calls which: a note that cites another brings it
        measuring = Canvas(io.BytesIO())  # some flowables (lists) measure on a canvas
        self.heights = {n: _stack_height(fs, width, measuring) for n, fs in notes.items()}

    def with_called(self, numbers: list[int]) -> list[int]:
        """``numbers`` and, after each, the notes its text calls, each once (see
        ``NotesCalled.with_called``)."""
        return [n for n in self.called.with_called(numbers) if n in self.notes]

    def height(self, numbers: list[int], first: bool) -> float:
        """The room ``numbers`` take at a page's foot (with the rule when they are ``first``)."""
        if not numbers:
            return 0.0
        return sum(self.heights[n] for n in numbers) + (self.gap if first else 0.0)


class NoteFrame(Frame):
    """A frame that keeps room at its foot for the notes called in it (see the module)."""

    footnotes: FootNotes | None = None

    def _reset(self) -> None:
        super()._reset()
        self._geom()  # a new page: its foot is free of the last page's notes
        self.placed: list[int] = []

    def _new(self, numbers: list[int]) -> list[int]:
        if self.footnotes is None:
            return []
        return sorted(n for n in self.footnotes.with_called(numbers) if n not in self.placed)

    def _extra(self, numbers: list[int]) -> tuple[list[int], float]:
        new = self._new(numbers)
        assert self.footnotes is not None
        return new, self.footnotes.height(new, first=not self.placed)

    def note_room(self, numbers: list[int], room: float) -> bool:
        """Whether the notes ``numbers`` call fit in ``room`` below the text."""
        if self.footnotes is None:
            return True
        return self._extra(numbers)[1] <= room

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:  # noqa: N803
        if self.footnotes is None:
            return super().add(flowable, canv, trySplit)
        new, extra = self._extra(list(calls_in(flowable)))
        self._y1p += extra
        if self._y1p > self._y:  # no room at all: let the next frame take it
            self._y1p -= extra
            return 0
        placed = super().add(flowable, canv, trySplit)
        if placed:
            self.placed += new
        else:
            self._y1p -= extra
        return placed

    def split(self, flowable: Flowable, canv: Canvas) -> list[Flowable]:
        if self.footnotes is None or isinstance(flowable, TextBlock):
            return super().split(flowable, canv)  # a paragraph asks note_room line by line
        _, extra = self._extra(list(calls_in(flowable)))
        self._y1p += extra
        try:
            return super().split(flowable, canv)
        finally:
            self._y1p -= extra

    def draw_notes(self, canv: Canvas) -> None:
        """The notes placed on this page, under a short rule, at the frame's foot."""
        if not self.placed or self.footnotes is None:
            return
        notes = self.footnotes
        x, y = self._x1, self._y1 + notes.height(self.placed, first=True)
        color, width = notes.rule
        with marked(canv, None):
            canv.saveState()
            canv.setStrokeColor(color)
            canv.setLineWidth(width)
            canv.line(x, y - notes.gap / 3, x + self._width * RULE_SHARE, y - notes.gap / 3)
            canv.restoreState()
        y -= notes.gap
        for number in sorted(self.placed):  # a caption above its table may call a later note
            canv.bookmarkHorizontal(f"note-{number}", x, y)
            for flowable in notes.notes[number]:
                _, height = flowable.wrapOn(canv, notes.width, 10_000)
                y -= height
                flowable.drawOn(canv, x, y)
                y -= flowable.getSpaceAfter()


def calls_in(flowable: Flowable) -> Iterator[int]:
    """The notes called anywhere in ``flowable`` (a paragraph, or the paragraphs inside a
    table, list or group), in order."""
    if isinstance(flowable, TextBlock):
        yield from flowable.note_calls()
        return
    inner = getattr(flowable, "__dict__", {})  # a list item wraps its flowable (_flowable)
    if isinstance(inner.get("_flowable"), Flowable):
        yield from calls_in(inner["_flowable"])
    for name in ("_content", "_flowables", "_list_content"):  # a list once measured: the last
        for child in inner.get(name) or ():
            yield from calls_in(child)
    for row in getattr(flowable, "_cellvalues", None) or ():
        for cell in row:
            for child in cell if isinstance(cell, list | tuple) else (cell,):
                if isinstance(child, Flowable):
                    yield from calls_in(child)


def _stack_height(flowables: list[Flowable], width: float, canv: Canvas) -> float:
    height = 0.0
    for flowable in flowables:
        height += flowable.wrapOn(canv, width, 10_000)[1] + flowable.getSpaceAfter()
    return height
