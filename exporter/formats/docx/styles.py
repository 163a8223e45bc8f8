"""The style adapter: turns the style sheet's roles into named Word styles in the document."""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles import BabelFish
from lxml.etree import _Element

from exporter.formats.docx.ooxml import border, element, shading, twips, word_lang
from exporter.style import Color, Length, RoleStyle, StyleSheet

# (Word style name, style-sheet role, the Word style it is based on)
PARAGRAPH_STYLES: tuple[tuple[str, str, str | None], ...] = (
    ("Normal", "body", None),
    ("Title", "title", "Normal"),
    ("Subtitle", "subtitle", "Title"),
    ("Byline", "byline", "Normal"),
    ("Affiliation", "affiliation", "Byline"),
    ("Meta", "meta", "Affiliation"),
    ("Summary", "summary", "Normal"),
    ("Heading 1", "heading-1", "Normal"),
    ("Heading 2", "heading-2", "Heading 1"),
    ("Heading 3", "heading-3", "Heading 1"),
    ("Heading 4", "heading-4", "Heading 1"),
    ("Quote", "quote", "Normal"),
    ("Bibliography", "bibliography", "Normal"),
    ("Code", "code", "Normal"),
    ("Callout", "callout", "Normal"),
    ("Callout Label", "callout-label", "Callout"),
    ("Caption", "caption", "Normal"),
    ("Credit", "credit", "Caption"),
    ("footnote text", "note", "Normal"),
    ("Poll Question", "poll-question", "Caption"),
    ("Poll", "poll", "Normal"),
    ("Poll Header", "poll-header", "Poll"),
    ("Table", "table", "Normal"),
    ("Table Header", "table-header", "Table"),
    ("Header", "header", "Normal"),
    ("Footer", "footer", "Header"),
)
NOTE_TEXT, NOTE_REFERENCE = "footnote text", "footnote reference"  # Word's own names
HYPERLINK, INLINE_CODE = "Hyperlink", "Inline Code"
# Styles are named here by their UI names; raw OOXML (w:pStyle, w:rStyle, w:tblStyle) must
# reference them by style id ("Inline Code" → "InlineCode"): ``StyleIndex.id`` gives it.
CHARACTER_STYLES: tuple[tuple[str, str], ...] = (
    (HYPERLINK, "link"), (INLINE_CODE, "code"), (NOTE_REFERENCE, "note"),
)
POLL_TABLE_STYLE = "Poll Table"
DATA_TABLE_STYLE = "Data Table"  # the tables of the text, apart from the poll's
_NEXT_IS_NORMAL = {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4",
                   "Caption"}
_OUTLINE = {"Heading 1": "0", "Heading 2": "1", "Heading 3": "2", "Heading 4": "3"}
_PPR_ORDER = ("keepNext", "pBdr", "shd", "suppressAutoHyphens", "spacing", "ind", "jc", "outline")
_RPR_ORDER = ("rFonts", "b", "i", "caps", "color", "sz", "u")
_BUILT_IN = {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Quote",
             "Caption", "footnote text", "footnote reference",
             "Header", "Footer", "Hyperlink"}
# roles drawn with a single rule, and its side: the rule under the running head and over
# the footer (a box would draw an accent bar down the left of the head: a stray hairline)
_RULED = {"header": "bottom", "footer": "top"}
_THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")

Items = dict[str, list[_Element] | None]


def apply_styles(doc: Document, style: StyleSheet, lang: str) -> StyleIndex:
    """Create every Word style the edition uses from ``style``; set the document defaults."""
    index = StyleIndex(doc.styles.element)
    _set_defaults(doc, style.role("body"), lang)
    for name, role, base in PARAGRAPH_STYLES:
        base_role = style.role(role_of(base)) if base else None
        _paragraph_style(index, name, style.role(role), base, base_role)
    for name, role in CHARACTER_STYLES:
        _character_style(index, name, style.role(role), style.role("body"))
    _table_style(index, style, POLL_TABLE_STYLE, "poll")
    _table_style(index, style, DATA_TABLE_STYLE, "table")
    return index


class StyleIndex:
    """The document's styles by UI name ("Heading 1"), read once from styles.xml.

    python-docx finds a style by walking every style of the template on each lookup; the
    edition looks styles up for every paragraph, so it keeps this index instead.
    """

    def __init__(self, root: _Element) -> None:
        self.root = root
        self._by_name: dict[str, list[_Element]] = {}
        self._names: dict[str, str] | None = None  # style id → name, once the styles are made
        for node in root.findall(qn("w:style")):
            self._by_name.setdefault(BabelFish.internal2ui(node.name_val or ""), []).append(node)
        self._links: dict[str, list[_Element]] = {}
        for link in root.iter(qn("w:link")):
            self._links.setdefault(link.get(qn("w:val")), []).append(link)

    def element(self, name: str) -> _Element:
        """The ``w:style`` named ``name``; KeyError if the document has none."""
        found = self._by_name.get(name)
        if not found:
            raise KeyError(f"no style with name {name!r}")
        return found[0]

    def name_of(self, style_id: str | None) -> str:
        """The UI name of the paragraph style with ``style_id`` (None: the default, Normal)."""
        if style_id is None:
            return "Normal"
        if self._names is None:  # the styles are all made before the first paragraph
            self._names = {n.styleId: name for name, nodes in self._by_name.items() for n in nodes}
        return self._names.get(style_id, "Normal")

    def id(self, name: str) -> str | None:
        """The style id to reference ``name`` by; None for the default style of its type."""
        node = self.element(name)
        return None if node.default else node.styleId

    def replace(self, name: str, kind: WD_STYLE_TYPE) -> _Element:
        """Remove every style named ``name`` (and links to it) and add an empty one."""
        for old in self._by_name.pop(name, []):
            for link in self._links.pop(old.styleId, []):
                link.getparent().remove(link)
            old.getparent().remove(old)
        node = self.root.add_style_of_type(BabelFish.ui2internal(name), kind, False)
        self._by_name[name] = [node]
        self._names = None
        return node


def boxed(role: RoleStyle) -> bool:
    """Whether a role is drawn as a shaded, bordered box."""
    bordered = role.border_color is not None and role.border_width.pt > 0
    return role.background is not None or bordered


def role_of(style_name: str) -> str:
    """The style sheet's role a Word paragraph style is made from (the body's for a style
    of the template, such as "List Bullet", that builds on Normal)."""
    return next((role for name, role, _ in PARAGRAPH_STYLES if name == style_name), "body")


def _set_defaults(doc: Document, body: RoleStyle, lang: str) -> None:
    root = doc.styles.element
    for fonts in root.iter(qn("w:rFonts")):
        for attr in _THEME_FONT_ATTRS:
            fonts.attrib.pop(qn(f"w:{attr}"), None)
    rpr = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for child in list(rpr):
        rpr.remove(child)
    rpr.extend(_fonts(body.family) + _size(body.size))
    rpr.append(element("w:lang", val=word_lang(lang), eastAsia=word_lang(lang), bidi="ar-SA"))
    ppr = root.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
    for child in list(ppr):
        ppr.remove(child)
    ppr.append(element("w:spacing", after="0", line="240", lineRule="auto"))


def _fresh_style(index: StyleIndex, name: str, kind: WD_STYLE_TYPE, base: str | None
                 ) -> _Element:
    if name == "Normal":
        node = index.element(name)
        for tag in ("w:pPr", "w:rPr"):
            for old in node.findall(qn(tag)):
                node.remove(old)
        return node
    node = index.replace(name, kind)
    if name in _BUILT_IN:
        node.attrib.pop(qn("w:customStyle"), None)
    if base:
        node.basedOn_val = index.element(base).styleId
    node.qFormat_val = True
    node.semiHidden_val = False
    node.unhideWhenUsed_val = False
    return node


def _paragraph_style(
    index: StyleIndex, name: str, role: RoleStyle, base: str | None, base_role: RoleStyle | None
) -> None:
    node = _fresh_style(index, name, WD_STYLE_TYPE.PARAGRAPH, base)
    if name in _NEXT_IS_NORMAL:
        node.get_or_add_next().val = index.element("Normal").styleId
    ppr_items = _ppr_items(role)
    if name in _OUTLINE:
        ppr_items["outline"] = [element("w:outlineLvl", val=_OUTLINE[name])]
    base_ppr = _ppr_items(base_role) if base_role else None
    _append(node, "w:pPr", _diff(ppr_items, base_ppr, _PPR_NEUTRAL, _PPR_ORDER))
    base_rpr = _rpr_items(base_role) if base_role else None
    _append(node, "w:rPr", _diff(_rpr_items(role), base_rpr, _RPR_NEUTRAL, _RPR_ORDER))


def _character_style(index: StyleIndex, name: str, role: RoleStyle, body: RoleStyle) -> None:
    node = _fresh_style(index, name, WD_STYLE_TYPE.CHARACTER, "Default Paragraph Font")
    items = _rpr_items(role)
    if name == "Hyperlink":
        items["u"] = [element("w:u", val="single")]
    if name == NOTE_REFERENCE:  # the text's own look, raised
        _append(node, "w:rPr", [element("w:vertAlign", val="superscript")])
        return
    _append(node, "w:rPr", _diff(items, _rpr_items(body), _RPR_NEUTRAL, _RPR_ORDER))


def _append(node: _Element, tag: str, children: list[_Element]) -> None:
    if children:
        props = OxmlElement(tag)
        props.extend(children)
        node.append(props)


def _diff(items: Items, base: Items | None, neutral: dict[str, Callable[[], list[_Element]]],
          order: tuple[str, ...]) -> list[_Element]:
    """The elements of ``items`` that differ from what the base style already gives."""
    from lxml.etree import tostring

    out: list[_Element] = []
    for key in order:
        mine, theirs = items.get(key), (base or {}).get(key)
        if mine is None and (base is None or theirs is None):
            continue
        chosen = mine if mine is not None else neutral[key]()
        if base is not None and theirs is not None and [tostring(e) for e in chosen] == [
            tostring(e) for e in theirs
        ]:
            continue
        out.extend(chosen)
    return out


def _ppr_items(role: RoleStyle) -> Items:
    ruled = role.name in _RULED  # running head and footer: one rule, not a box
    box = boxed(role) and not ruled
    pad = role.padding if box else Length(0)
    edge = role.border_width if box and role.border_color else Length(0)
    ind = {"left": twips(Length(role.left_indent.pt + pad.pt + edge.pt)), "right": twips(pad)}
    if role.first_indent.pt:
        ind["firstLine"] = twips(role.first_indent)
    borders = [_rule_borders(role)] if ruled else [_box_borders(role)] if box else None
    return {
        "keepNext": [element("w:keepNext")] if role.keep_with_next else None,
        "pBdr": borders,
        "shd": [shading(role.background)] if role.background else None,
        "suppressAutoHyphens": None if role.hyphenate else [element("w:suppressAutoHyphens")],
        "spacing": [element("w:spacing", before=twips(role.space_before),
                            after=twips(role.space_after), line=twips(role.leading),
                            lineRule="atLeast")],
        "ind": [element("w:ind", **ind)],
        "jc": [element("w:jc", val={"justify": "both"}.get(role.align, role.align))],
    }  # fmt: skip


def _rule_borders(role: RoleStyle) -> _Element:
    """The running head's rule under it, the footer's over it (as the PDF draws them): only
    that side, the others nil, so the footer (based on the header) does not draw the
    header's rule as well."""
    rule_side = _RULED[role.name]
    bdr = OxmlElement("w:pBdr")
    drawn = role.border_color is not None and role.border_width.pt > 0
    for side in ("top", "left", "bottom", "right"):
        if side == rule_side and drawn:
            bdr.append(border(side, role.border_color, role.border_width, Length(3)))
        else:
            bdr.append(element(f"w:{side}", val="nil"))
    return bdr


def _box_borders(role: RoleStyle) -> _Element:
    """A box: an accent bar on the left; the other sides in the fill colour, as padding."""
    fill = role.background or Color(255, 255, 255)
    accent = role.border_color or fill
    bdr = OxmlElement("w:pBdr")
    hairline = Length(0.5)
    bdr.append(border("top", fill, hairline, role.padding))
    bdr.append(border("left", accent, role.border_width or hairline, role.padding))
    bdr.append(border("bottom", fill, hairline, role.padding))
    bdr.append(border("right", fill, hairline, role.padding))
    return bdr


def _rpr_items(role: RoleStyle) -> Items:
    return {
        "rFonts": _fonts(role.family),
        "b": [element("w:b"), element("w:bCs")] if role.bold else None,
        "i": [element("w:i"), element("w:iCs")] if role.italic else None,
        "caps": [element("w:caps")] if role.uppercase else None,
        "color": [element("w:color", val=role.color.hex[1:].upper())],
        "sz": _size(role.size),
    }


def _fonts(family: str) -> list[_Element]:
    return [element("w:rFonts", ascii=family, hAnsi=family, cs=family, eastAsia=family)]


def _size(size: Length) -> list[_Element]:
    half_points = str(round(size.pt * 2))
    return [element("w:sz", val=half_points), element("w:szCs", val=half_points)]


def _nil_borders() -> list[_Element]:
    bdr = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        bdr.append(element(f"w:{side}", val="nil"))
    return [bdr]


_PPR_NEUTRAL: dict[str, Callable[[], list[_Element]]] = {
    "keepNext": lambda: [element("w:keepNext", val="0")],
    "pBdr": _nil_borders,
    "shd": lambda: [element("w:shd", val="clear", color="auto", fill="auto")],
    "suppressAutoHyphens": lambda: [element("w:suppressAutoHyphens", val="0")],
}
_RPR_NEUTRAL: dict[str, Callable[[], list[_Element]]] = {
    "b": lambda: [element("w:b", val="0"), element("w:bCs", val="0")],
    "i": lambda: [element("w:i", val="0"), element("w:iCs", val="0")],
    "caps": lambda: [element("w:caps", val="0")],
    "u": lambda: [element("w:u", val="none")],
}


def _table_style(index: StyleIndex, style: StyleSheet, name: str, cells: str) -> None:
    """A table style ``name``: rules between rows, a stronger rule under the header row,
    cell margins from the role its ``cells`` are set in."""
    cell = style.role(cells)
    row, head = style.role("table-rule"), style.role("table-head-rule")
    node = _fresh_style(index, name, WD_STYLE_TYPE.TABLE, None)
    tblpr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "bottom", "insideH"):
        borders.append(border(side, row.border_color, row.border_width, Length(0)))
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    vertical = Length(max(0.0, (cell.leading.pt - cell.size.pt) / 2))
    horizontal = Length(cell.size.pt / 2)
    for side, length in (("top", vertical), ("left", horizontal), ("bottom", vertical),
                         ("right", horizontal)):
        margins.append(element(f"w:{side}", w=twips(length), type="dxa"))
    tblpr.append(margins)
    node.append(tblpr)
    first = OxmlElement("w:tblStylePr")
    first.set(qn("w:type"), "firstRow")
    tcpr, tcborders = OxmlElement("w:tcPr"), OxmlElement("w:tcBorders")
    tcborders.append(border("bottom", head.border_color, head.border_width, Length(0)))
    tcpr.append(tcborders)
    first.append(tcpr)
    node.append(first)
