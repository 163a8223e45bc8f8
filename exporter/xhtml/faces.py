"""Which faces the text of XHTML documents is set in, read from their own stylesheet: the
cascade of ``font-family``, ``font-weight`` and ``font-style`` (a browser's defaults for
headings, emphasis and code first, then the stylesheet by specificity and order, then
inheritance; SVG presentation attributes too), as cssselect2 matches selectors."""

from __future__ import annotations

from collections.abc import Iterable

import cssselect2
import tinycss2
from lxml import etree

from exporter.subset import Uses, add_text, face_name

# A browser's own defaults, before any stylesheet (the part that concerns fonts).
_DEFAULTS = """
h1, h2, h3, h4, h5, h6, b, strong, th, dt { font-weight: bold; }
em, i, cite, var, dfn, address { font-style: italic; }
code, kbd, samp, pre, tt { font-family: monospace; }
"""
_UNSEEN = {"head", "title", "desc", "style", "script", "metadata"}  # never drawn as text
_PROPERTIES = ("font-family", "font-weight", "font-style")

Font = tuple[tuple[str, ...], bool, bool]  # family stack, bold, italic


def _matcher(css: str) -> cssselect2.Matcher:
    matcher = cssselect2.Matcher()
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type != "qualified-rule":
            continue  # @font-face, @media: nothing about which face a text is set in
        declarations = {}
        for item in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True,
                                                    skip_comments=True):  # fmt: skip
            if item.type == "declaration" and item.lower_name in _PROPERTIES:
                declarations[item.lower_name] = tinycss2.serialize(item.value).strip()
        if not declarations:
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:
            continue
        for selector in selectors:
            matcher.add_selector(selector, declarations)
    return matcher


def _stack(value: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in value.split(",") if part.strip())


def _weight(value: str, inherited: bool) -> bool:
    value = value.lower()
    if value in ("bold", "bolder"):
        return True
    if value in ("normal", "lighter"):
        return False
    return int(value) >= 600 if value.isdigit() else inherited


def _apply(font: Font, declarations: dict[str, str]) -> Font:
    stack, bold, italic = font
    if "font-family" in declarations:
        stack = _stack(declarations["font-family"])
    if "font-weight" in declarations:
        bold = _weight(declarations["font-weight"], bold)
    if "font-style" in declarations:
        italic = declarations["font-style"].lower() in ("italic", "oblique")
    return stack, bold, italic


class FaceReader:
    """Reads documents styled by ``css`` and records what their text is set in."""

    def __init__(self, css: str, families: tuple[str, ...]) -> None:
        self.defaults, self.author = _matcher(_DEFAULTS), _matcher(css)
        self.families = families
        self.uses: Uses = {}

    def read(self, roots: Iterable[etree._Element]) -> Uses:
        for root in roots:
            wrapper = cssselect2.ElementWrapper.from_xml_root(root)
            self._visit(wrapper, ((), False, False))
        return self.uses

    def _visit(self, wrapper: cssselect2.ElementWrapper, inherited: Font) -> None:
        node = wrapper.etree_element
        if wrapper.local_name in _UNSEEN:
            return
        font = inherited
        for declarations in self.defaults.match(wrapper):
            font = _apply(font, declarations[3])
        attributes = {name: node.get(name) for name in _PROPERTIES if node.get(name)}
        font = _apply(font, attributes)  # SVG presentation attributes: under any rule
        for declarations in self.author.match(wrapper):
            font = _apply(font, declarations[3])
        stack, bold, italic = font
        face = face_name(bold, italic)
        if node.text:
            add_text(self.uses, node.text, stack, face, self.families)
        for child in wrapper.iter_children():
            self._visit(child, font)
            if child.etree_element.tail:
                add_text(self.uses, child.etree_element.tail, stack, face, self.families)


def xhtml_uses(roots: Iterable[etree._Element], css: str, families: tuple[str, ...]) -> Uses:
    """The characters set in each (family, face) of ``families`` by the text of ``roots``."""
    return FaceReader(css, families).read(roots)
