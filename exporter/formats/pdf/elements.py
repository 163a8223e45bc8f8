"""The elements of a tagged PDF's structure tree (see ``tagging``) and the /StructElem
dictionaries they are written as."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObjectReference, PDFString

ROOT = "StructTreeRoot"  # the name of its object in the document
# Elements kept in the tree even with no content: a table keeps its grid whole.
KEPT_EMPTY = frozenset({"Table", "THead", "TBody", "TFoot", "TR", "TH", "TD"})


@dataclass(frozen=True, eq=False)
class InlineTag:
    """A stretch of text inside a paragraph that is an element of its own: a ``Link`` (with
    the words that describe it) or a ``Span`` in another language. Each occurrence is its
    own tag (compared by identity); ``parent`` is the tag it sits in, if any."""

    role: str
    parent: InlineTag | None = None
    lang: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Content:
    page: int
    mcid: int


@dataclass(frozen=True)
class Annotation:
    page: int
    name: str


class Element:
    """A structure element: its standard type (``role``), its place in the tree and its
    attributes; its kids are elements and, once drawn, the content marked for it."""

    __slots__ = ("role", "parent", "kids", "trailing", "alt", "lang", "title", "scope",
                 "ident", "inlines")  # fmt: skip

    def __init__(
        self,
        role: str,
        parent: Element | None = None,
        *,
        alt: str | None = None,
        lang: str | None = None,
        title: str | None = None,
        scope: str | None = None,
        ident: str | None = None,
    ) -> None:
        self.role, self.parent = role, parent
        self.alt, self.lang, self.title, self.scope, self.ident = alt, lang, title, scope, ident
        self.kids: list[Element | Content | Annotation] = []
        self.trailing: list[Element] = []  # read after everything else in it (its notes)
        self.inlines: dict[InlineTag, Element] | None = None
        if parent is not None:
            parent.kids.append(self)

    def add(self, role: str, **attributes: str | None) -> Element:
        """A new last child of this element."""
        return Element(role, self, **attributes)

    def follow_with(self, element: Element) -> None:
        """Make ``element`` (a note) the last thing read in this one."""
        element.parent = self
        self.trailing.append(element)

    def inline(self, tag: InlineTag) -> Element:
        """The element of ``tag`` in this block, made (in reading order) the first time its
        text is drawn; the pieces of a split paragraph share it."""
        if self.inlines is None:
            self.inlines = {}
        element = self.inlines.get(tag)
        if element is None:
            owner = self if tag.parent is None else self.inline(tag.parent)
            element = owner.add(tag.role, lang=tag.lang)
            self.inlines[tag] = element
        return element

    def children(self) -> Iterator[Element | Content | Annotation]:
        yield from self.kids
        yield from self.trailing

    def has_content(self) -> bool:
        return any(
            not isinstance(kid, Element) or kid.has_content() for kid in self.children()
        )


def kept(element: Element) -> bool:
    return element.role in KEPT_EMPTY or element.has_content()


def _page_ref(page: int) -> PDFObjectReference:
    return PDFObjectReference(f"Page{page}")


def element_dict(element: Element, ref: object, names: dict[int, str]) -> PDFDictionary:
    """The /StructElem dictionary: MCIDs on the element's own page (its /Pg) as numbers,
    others as marked-content references, annotations as object references."""
    home = next((k.page for k in element.kids if isinstance(k, Content)), None)
    kids: list[object] = []
    for kid in element.children():
        if isinstance(kid, Element):
            if id(kid) in names:
                kids.append(ref(kid))  # type: ignore[operator]
        elif isinstance(kid, Content):
            if kid.page == home:
                kids.append(kid.mcid)
            else:
                kids.append(PDFDictionary({"Type": PDFName("MCR"), "Pg": _page_ref(kid.page),
                                           "MCID": kid.mcid}))  # fmt: skip
        else:
            kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Pg": _page_ref(kid.page),
                                       "Obj": PDFObjectReference(kid.name)}))  # fmt: skip
    entry: dict[str, object] = {"Type": PDFName("StructElem"), "S": PDFName(element.role)}
    parent = element.parent
    entry["P"] = PDFObjectReference(ROOT) if parent is None else ref(parent)  # type: ignore[operator]
    if kids:
        entry["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
    if home is not None:
        entry["Pg"] = _page_ref(home)
    if element.alt is not None:
        entry["Alt"] = PDFString(element.alt)
    if element.lang:
        entry["Lang"] = PDFString(element.lang)
    if element.title:
        entry["T"] = PDFString(element.title)
    if element.ident:
        entry["ID"] = PDFString(element.ident)
    if element.scope:
        entry["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(element.scope)})
    return PDFDictionary(entry)
