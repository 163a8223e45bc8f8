"""Tagged PDF (PDF/UA-1): the structure tree a screen reader follows, built as the pages draw.

The story's builders make the tree's elements (``Element``) in reading order before layout:
a heading, a paragraph, a list item's label and body, a table's cells, a figure with its
alternative text. A flowable that draws real content asks the canvas's ``StructureTree`` to
``mark`` it: a marked-content sequence (BDC … EMC) with a new MCID for its element on the
page it lands on, so a paragraph split over two pages is one element with content on both.
What is decoration (running heads, rules, shading, a table header repeated on a new page) is
drawn as an Artifact. Links are Link elements holding their text and their annotation.

When the canvas is saved, ``StructureTree.write`` puts the tree into the document: the
StructTreeRoot, the ParentTree (each page's MCIDs and each annotation back to its element),
the IDTree (notes carry IDs), MarkInfo; every page names its key in the ParentTree and
orders its annotations by structure (``/Tabs /S``).

Without a tree on the canvas (``structure_of`` is None) nothing here writes anything, which
is how the benchmark measures what tagging costs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFString,
)
from reportlab.platypus import Flowable, ListFlowable
from reportlab.platypus.flowables import BulletDrawer

from exporter.formats.pdf.elements import (
    ROOT,
    Annotation,
    Content,
    Element,
    element_dict,
    kept,
)
from exporter.formats.pdf.elements import InlineTag as InlineTag  # where the story finds it


class StructureTree:
    """The document's structure tree and the bookkeeping that ties it to the pages.

    Notes: with ``notes_at_calls`` (notes at the foot of the page) a note's element is read
    right after the element that first calls it; else (notes in a section of their own) it
    is placed where ``place_note`` puts it.
    """

    def __init__(self, notes_at_calls: bool = True) -> None:
        self.root = Element("Document")
        self.notes_at_calls = notes_at_calls
        self._notes: dict[int, Element] = {}
        self._placed: set[int] = set()
        self._marks: dict[int, list[Element]] = {}  # page → the element of each MCID
        self._annotations: list[Element] = []  # the element of each annotation, by key

    # -- while the story is built

    def note(self, number: int) -> Element:
        """The Note element of note ``number`` (its ID is its place's name)."""
        if number not in self._notes:
            self._notes[number] = Element("Note", ident=f"note-{number}")
        return self._notes[number]

    def called(self, numbers: list[int], element: Element) -> None:
        """``element`` calls the notes ``numbers``: each not yet placed follows it."""
        if self.notes_at_calls:
            for number in numbers:
                if number not in self._placed:
                    self.place_note(number, element, trailing=True)

    def place_note(self, number: int, parent: Element, trailing: bool = False) -> None:
        """Put note ``number`` in ``parent``: as its next child, or read after all of it."""
        note = self.note(number)
        self._placed.add(number)
        if trailing:
            parent.follow_with(note)
        else:
            note.parent = parent
            parent.kids.append(note)

    # -- while the pages draw

    def mark(self, page: int, element: Element) -> int:
        """A new MCID on ``page`` for content of ``element``."""
        marks = self._marks.setdefault(page, [])
        marks.append(element)
        element.kids.append(Content(page, len(marks) - 1))
        return len(marks) - 1

    def annotation(self, page: int, name: str, element: Element) -> int:
        """Record the annotation ``name`` on ``page`` as part of ``element``; its key in the
        ParentTree (its /StructParent)."""
        element.kids.append(Annotation(page, name))
        self._annotations.append(element)
        return len(self._annotations) - 1

    def page_key(self, page: int) -> int:
        """The page's /StructParents: after every annotation's key (all exist by then)."""
        return len(self._annotations) + page - 1

    # -- when the document is saved

    def write(self, canv: object, pages: int) -> None:
        """Put the tree into the canvas's document (see the module)."""
        doc = canv._doc  # type: ignore[attr-defined]
        for number in sorted(set(self._notes) - self._placed):  # no call drawn: at the end
            self.place_note(number, self.root)
        names: dict[int, str] = {}
        order: list[Element] = []

        def number(element: Element) -> None:
            names[id(element)] = f"SE{len(order)}"
            order.append(element)
            for kid in element.children():
                if isinstance(kid, Element) and kept(kid):
                    number(kid)

        number(self.root)

        def ref(element: Element) -> PDFObjectReference:
            return PDFObjectReference(names[id(element)])

        ids: list[tuple[str, PDFObjectReference]] = []
        for element in order:
            entry = element_dict(element, ref, names)
            doc.Reference(entry, names[id(element)])
            if element.ident:
                ids.append((element.ident, ref(element)))
        nums: list[object] = []
        for key, element in enumerate(self._annotations):
            nums += [key, ref(element)]
        for page in range(1, pages + 1):
            marks = self._marks.get(page, [])
            nums += [self.page_key(page), PDFArray([ref(e) for e in marks])]
        root = {
            "Type": PDFName("StructTreeRoot"),
            "K": ref(self.root),
            "ParentTree": PDFDictionary({"Nums": PDFArray(nums)}),
            "ParentTreeNextKey": self.page_key(pages + 1),
        }
        if ids:
            pairs: list[object] = []
            for ident, target in sorted(ids, key=lambda pair: pair[0]):
                pairs += [PDFString(ident), target]
            root["IDTree"] = PDFDictionary({"Names": PDFArray(pairs)})
        doc.Reference(PDFDictionary(root), ROOT)
        catalog = doc.Catalog
        catalog.StructTreeRoot = PDFObjectReference(ROOT)
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})


# -- marking content on a canvas


def structure_of(canv: object) -> StructureTree | None:
    """The tree the canvas tags its content in (None: an untagged document)."""
    return getattr(canv, "structure", None)


def begin_marked(canv: object, element: Element, code: list[str] | None = None) -> bool:
    """Open a marked-content sequence for ``element`` on the canvas's current page (into
    ``code``, a text object's operators, if given); False when the document is untagged."""
    tree = structure_of(canv)
    if tree is None:
        return False
    mcid = tree.mark(canv.getPageNumber(), element)  # type: ignore[attr-defined]
    (code if code is not None else canv._code).append(  # type: ignore[attr-defined]
        f"/{element.role} <</MCID {mcid}>> BDC"
    )
    return True


def begin_artifact(canv: object, kind: str | None = None, code: list[str] | None = None) -> bool:
    """Open an Artifact sequence (of ``kind``: Pagination, Layout, Page); False when the
    document is untagged."""
    if structure_of(canv) is None:
        return False
    properties = f"<</Type /{kind}>> BDC" if kind else "BMC"
    (code if code is not None else canv._code).append(f"/Artifact {properties}")  # type: ignore[attr-defined]
    return True


def end_marked(canv: object, code: list[str] | None = None) -> None:
    (code if code is not None else canv._code).append("EMC")  # type: ignore[attr-defined]


@contextmanager
def marked(canv: object, element: Element | None, kind: str = "Layout") -> Iterator[None]:
    """What is drawn inside is content of ``element`` (None: an artifact of ``kind``)."""
    opened = begin_marked(canv, element) if element else begin_artifact(canv, kind)
    try:
        yield
    finally:
        if opened:
            end_marked(canv)


def link_annotation(
    canv: object,
    element: Element,
    rect: tuple[float, float, float, float],
    description: str,
    url: str | None = None,
    destination: str | None = None,
) -> None:
    """A link annotation over ``rect`` (in the current user space) to a web address or a
    named place in the document, described by ``description``, belonging to ``element``."""
    canvas = canv  # reportlab's canvas; its annotation helpers are not public API
    entry = PDFDictionary({
        "Type": PDFName("Annot"),
        "Subtype": PDFName("Link"),
        "Rect": PDFArray(canvas._absRect(rect, 1)),  # type: ignore[attr-defined]
        "Border": PDFArray([0, 0, 0]),
        "F": 4,  # printed with the page
        "Contents": PDFString(description),
    })
    if url is not None:
        entry["A"] = PDFDictionary({"Type": PDFName("Action"), "S": PDFName("URI"),
                                    "URI": PDFString(url)})  # fmt: skip
    else:
        entry["Dest"] = canvas._bookmarkReference(destination)  # type: ignore[attr-defined]
    tree = structure_of(canvas)
    count = canvas._annotationCount + 1  # type: ignore[attr-defined]
    name = f"NUMBER{count}"
    if tree is not None:
        internal = canvas._doc.annotationName(name)  # type: ignore[attr-defined]
        page = canvas.getPageNumber()  # type: ignore[attr-defined]
        entry["StructParent"] = tree.annotation(page, internal, element)
    canvas._addAnnotation(entry, name)  # type: ignore[attr-defined]


class Tagged(Flowable):
    """A flowable that draws as a whole (an image, a drawing, a rule) drawn as the content
    of ``element``, or as an artifact when ``element`` is None (a rule, a decorative image)."""

    def __init__(self, content: Flowable, element: Element | None) -> None:
        super().__init__()
        self.content, self.element = content, element
        self.hAlign = getattr(content, "hAlign", "LEFT")
        self.spaceBefore = content.getSpaceBefore()
        self.spaceAfter = content.getSpaceAfter()
        self.keepWithNext = content.getKeepWithNext()

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.content.wrap(avail_width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        with marked(self.canv, self.element):
            self.content.drawOn(self.canv, 0, 0)


def table_decoration(table: object, event: str, *args: object) -> None:
    """A ``renderCB`` for reportlab tables: their shading and rules are drawn as layout
    artifacts (the cells' text is tagged by the cells)."""
    canv = table.canv  # type: ignore[attr-defined]
    if event in ("startBG", "startLines"):
        begin_artifact(canv, "Layout")
    elif event in ("endBG", "endLines") and structure_of(canv) is not None:
        end_marked(canv)


class TaggedBullet(BulletDrawer):
    """A list item's bullet or number, drawn as the content of its Lbl element."""

    def __init__(self, drawer: BulletDrawer, element: Element) -> None:
        self.__dict__.update(drawer.__dict__)
        self.element = element

    def drawOn(self, indenter: object, canv: object, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        with marked(canv, self.element):
            super().drawOn(indenter, canv, x, y, _sW)


class TaggedList(ListFlowable):
    """reportlab's list, each item's label the content of its Lbl element (``labels``, one
    per item, in order)."""

    def __init__(self, items: list, labels: list[Element], **kw: object) -> None:
        self._labels = iter(labels)
        super().__init__(items, **kw)

    def _makeBullet(self, value: object, params: object = None) -> BulletDrawer:  # noqa: N802
        return TaggedBullet(super()._makeBullet(value, params), next(self._labels))
