"""Page make-up: floats, a heading kept with the first lines of its text, balanced columns.

A ``Float`` is a block that may move down the flow to the top of the next frame (a column,
or a page) when it does not fit the rest of the current one: a figure, a table with its
caption, a poll, the read-online panel. The document template (``pages``) holds it and lets
the text after it fill the frame; what it measures with is here: how tall a run of
flowables stacks in a frame (``Column``), whether a flowable can *start* in the room left
(its first two lines, a table's caption, header and first two body rows), and whether the
rest of a story fits a set of columns of a given height (``columns_hold``, for balancing
the columns of a handout's last page).

Nothing here draws: every measure uses ``wrap`` and ``split`` only, so the structure tree
and the drawn state of the flowables are left as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, PageBreak
from reportlab.platypus.doctemplate import ActionFlowable, NullActionFlowable, _FrameBreak
from reportlab.platypus.flowables import _ContainerSpace
from reportlab.platypus.frames import Frame

FUZZ = 1e-6
BIG = 0xFFFFFF  # the height a container reports to make the frame split it


class Float(KeepTogether):
    """A block that may float: ``splittable`` (a table) may also break across frames.

    Outside the top of the story (in a list item) it is what it was: a block kept together,
    or, when ``splittable``, its parts in the flow."""

    def __init__(self, flowables: list[Flowable], splittable: bool = False) -> None:
        super().__init__(flowables)
        self.splittable = splittable

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (reportlab's names)
        if self.splittable:
            return list(self._content)
        return super().split(aW, aH)


class ColumnBreak(ActionFlowable):
    """Ends the current frame (the next column, or a new page): put in by the template to
    move a heading on with its text; unlike a break in the story, floats may pass it."""

    def apply(self, doc: object) -> None:
        doc.handle_frameEnd()  # type: ignore[attr-defined]


def floating(flowables: list[Flowable], splittable: bool = False) -> list[Flowable]:
    """``flowables`` as one float (a block kept together, given as one, is unwrapped)."""
    if not flowables:
        return []
    if len(flowables) == 1 and type(flowables[0]) is KeepTogether:
        flowables = list(flowables[0]._content)
    return [Float(flowables, splittable)]


def is_barrier(flowable: Flowable) -> bool:
    """A page break, a frame break or a change of page template: no float passes it."""
    if isinstance(flowable, ColumnBreak | NullActionFlowable):
        return False
    return isinstance(flowable, ActionFlowable | PageBreak)


def is_mark(flowable: Flowable) -> bool:
    """An invisible mark (an outline entry, an anchor: ``MARK`` is set): no text, no room."""
    return bool(getattr(flowable, "MARK", False))


def text_follows(flowables: Sequence[Flowable]) -> bool:
    """Whether something other than floats and marks comes before the next barrier."""
    for flowable in flowables:
        if is_barrier(flowable):
            return False
        if not isinstance(flowable, Float) and not is_mark(flowable):
            return True
    return False


def keep_run(flowables: Sequence[Flowable]) -> int:
    """How many flowables at the front ask to be kept with the next one."""
    count = 0
    for flowable in flowables:
        if is_barrier(flowable) or isinstance(flowable, Float) or not flowable.getKeepWithNext():
            break
        count += 1
    return count


def release_keeps(flowables: Sequence[Flowable]) -> None:
    """Stop ``flowables`` asking to be kept with the next one (the check is done)."""
    for flowable in flowables:
        flowable.__dict__["keepWithNext"] = 0


def stacked(flowables: Sequence[Flowable], width: float, canv: Canvas) -> float:
    """The height ``flowables`` take one under the other in a frame, as a frame stacks
    them (space before the first dropped, spaces between them overlapping)."""
    column = Column(float(BIG), True, 0.0)
    for flowable in flowables:
        column.take(flowable, height(flowable, width, canv))
    return BIG - column.room


def height(flowable: Flowable, width: float, canv: Canvas) -> float:
    """``flowable``'s own height (a block kept together: its parts', stacked)."""
    if isinstance(flowable, ActionFlowable):
        return 0.0
    if isinstance(flowable, KeepTogether):
        return stacked(flowable._content, width, canv)
    return float(flowable.wrapOn(canv, width, BIG)[1])


@dataclass
class Column:
    """Where the next flowable goes in a column: the ``room`` left, whether nothing has
    taken room yet (``at_top``: no space before), the space after the last flowable."""

    room: float
    at_top: bool
    after: float

    @classmethod
    def of(cls, frame: Frame) -> Column:
        after = frame._prevASpace if frame._oASpace else 0.0
        return cls(frame._y - frame._y1p, bool(frame._atTop), after)

    def gap(self, flowable: Flowable) -> float:
        """The space the frame puts before ``flowable`` here."""
        if self.at_top:
            return 0.0
        before = self.after if is_mark(flowable) else flowable.getSpaceBefore()
        return max(before - self.after, 0.0)

    def take(self, flowable: Flowable, flowable_height: float) -> None:
        used = self.gap(flowable) + flowable_height
        after = flowable.getSpaceAfter()
        self.room -= used + after
        self.after = after
        if used + after:
            self.at_top = False

    def copy(self) -> Column:
        return Column(self.room, self.at_top, self.after)


def starts(flowable: Flowable, width: float, room: float, canv: Canvas,
           frame: Frame | None = None) -> bool:  # fmt: skip
    """Whether ``flowable`` can begin in ``room``: all of it, or the least a split leaves
    (a paragraph's first two lines, a table's header and first two body rows; a list's
    first item as far as it starts). A block kept together must fit whole."""
    if isinstance(flowable, ActionFlowable) or is_mark(flowable):
        return True
    if room <= 0:
        return False
    if isinstance(flowable, Float) and flowable.splittable:
        column = Column(room, True, 0.0)
        parts = list(flowable._content)
        while parts and is_mark(parts[0]) or len(parts) > 1 and parts[0].getKeepWithNext():
            column.take(parts[0], height(parts[0], width, canv))
            parts.pop(0)
        return not parts or starts(parts[0], width, column.room - column.gap(parts[0]), canv,
                                   frame)  # fmt: skip
    if isinstance(flowable, KeepTogether):
        return height(flowable, width, canv) <= room + FUZZ
    if flowable.wrapOn(canv, width, room)[1] <= room + FUZZ:
        return True
    if isinstance(flowable, _ContainerSpace):  # a list: its first item
        content = list(getattr(flowable, "_content", ()))
        return bool(content) and starts(content[0], width, room, canv, frame)
    if frame is not None:
        flowable._frame = frame  # a paragraph asks it how much room its notes take
    try:
        parts = flowable.splitOn(canv, width, room)
    finally:
        flowable.__dict__.pop("_frame", None)
    return len(parts) > 1 and not isinstance(parts[0], ActionFlowable)


def columns_hold(story: Sequence[Flowable], width: float, heights: Sequence[float],
                 canv: Canvas) -> bool:  # fmt: skip
    """Whether ``story`` fits columns ``width`` wide and ``heights`` tall, one after the
    other, set as the template sets it (a heading moves on unless its text can start; a
    float or block that does not fit goes to the next column). A page break, a change of
    template or a flowable taller than an empty column: it does not."""
    queue = list(story)
    left = list(heights)
    if not left:
        return False
    column = Column(left.pop(0), True, 0.0)
    free = 0  # flowables at the front already checked to keep with what follows
    steps = 0
    while queue:
        steps += 1
        if steps > 20_000:
            return False
        flowable = queue[0]
        if isinstance(flowable, NullActionFlowable):
            queue.pop(0)
            continue
        if isinstance(flowable, ColumnBreak | _FrameBreak):
            queue.pop(0)
            if not left:
                return False
            column, free = Column(left.pop(0), True, 0.0), 0
            continue
        if is_barrier(flowable):
            return False
        run = 0 if free else keep_run(queue)
        if run and run < len(queue):
            trial = column.copy()
            for kept in queue[:run]:
                trial.take(kept, height(kept, width, canv))
            nxt = queue[run]
            if not column.at_top and not starts(nxt, width, trial.room - trial.gap(nxt), canv):
                if not left:
                    return False
                column = Column(left.pop(0), True, 0.0)
                continue
            free = run
        if free:
            free -= 1
        queue.pop(0)
        if isinstance(flowable, Float) and flowable.splittable:
            queue[0:0] = list(flowable._content)
            continue
        if isinstance(flowable, KeepTogether):
            need = height(flowable, width, canv)
            if need <= column.room - column.gap(flowable) + FUZZ:
                column.take(flowable, need)
            elif column.at_top:
                queue[0:0] = list(flowable._content)
            elif left:
                column = Column(left.pop(0), True, 0.0)
                queue.insert(0, flowable)
            else:
                return False
            continue
        room = column.room - column.gap(flowable)
        need = float(flowable.wrapOn(canv, width, max(room, 0.0))[1])
        if need <= room + FUZZ:
            column.take(flowable, need)
            continue
        if isinstance(flowable, _ContainerSpace):  # a list: item by item
            queue[0:0] = list(getattr(flowable, "_content", ()))
            continue
        parts = flowable.splitOn(canv, width, room) if room > 0 else []
        if len(parts) > 1 and not isinstance(parts[0], ActionFlowable):
            first = parts[0]
            column.take(first, float(first.wrapOn(canv, width, room)[1]))
            queue[0:0] = list(parts[1:])
            continue
        if column.at_top or not left:
            return False
        column = Column(left.pop(0), True, 0.0)
        queue.insert(0, flowable)
    return True
