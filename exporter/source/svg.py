"""An SVG figure made safe and plain, once, for every edition: ``clean_svg`` returns the SVG
the editions receive (``m.Image.data``) and its size in CSS pixels.

Refused (``ImageProblem`` naming the figure), wherever in the file it stands:

- what runs or loads: ``<script>``, ``<foreignObject>``, ``<iframe>`` and other HTML
  embedding (``REFUSED``), event handlers (``on…`` attributes), XInclude, a DOCTYPE with an
  internal subset or entities, an ``<?xml-stylesheet?>``;
- an outside reference: an ``href`` that is not ``#id`` (``<image>``/``<feImage>`` may
  also take a ``data:image/`` PNG, JPEG, GIF or WebP of at most ``MAX_AREA`` pixels), a CSS
  ``@import``, a ``url(…)`` in CSS or in an attribute that is not ``url(#id)`` or such a
  ``data:image/`` picture;
- an animation of a link or a handler (``<animate>``/``<set>`` whose ``attributeName`` is
  ``href``, ``xlink:href`` or ``on…``);
- a file beyond the limits: more than ``MAX_ELEMENTS`` elements, nesting deeper than
  ``MAX_DEPTH``, more than ``MAX_DRAWN`` elements drawn once each ``<use>`` is counted as a
  copy of what it shows (or a ``<use>`` that shows itself), a size of more than
  ``svgsize.MAX_SIDE`` pixels a side or ``MAX_AREA`` pixels in all, or no size at all.

Dropped quietly, as harmless but of no use to an edition: elements outside the allow-list
``ELEMENTS`` (``<metadata>``, RDF, ``sodipodi:``/``inkscape:`` elements, ``<font>``…) with
what they hold, attributes outside ``ATTRIBUTES`` (any namespaced one but ``xlink:href``,
``xml:space`` and ``xml:lang``), CSS properties outside ``svgcss.PROPERTIES`` or calling a
function outside ``svgcss.FUNCTIONS``, CSS at-rules other than ``@media``, comments and
processing instructions, an ``href`` to an id the figure does not have, and an animation of
an attribute not in the allow-list.

Rewritten: every id, to ``fig-<8 hex>-<n>`` (the hex from the figure's name and bytes), so
that ids are valid XML names (svglite writes ``cpMC4w…=``) and two figures in one page never
share one; every reference with it (``href``, ``url(#…)`` in attributes and CSS, ``#id``
selectors, ``aria-labelledby`` and the other ARIA id lists). A later duplicate id is dropped.
``width`` and ``height`` become CSS pixels (from px, pt, pc, mm, cm, in, em = 16 px, ex =
8 px; ``%`` or a missing one from the ``viewBox``), and a missing ``viewBox`` is added, so
svglib, resvg and browsers agree on the drawing's size. SMIL ``begin``/``end`` timing that
names an element (``id.click``) is not rewritten; such an animation just never starts."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, unquote_to_bytes

from exporter.source.images import ImageProblem
from exporter.source.svgcss import PROPERTIES, CssRefused
from exporter.source.svgsize import MAX_AREA, svg_size

if TYPE_CHECKING:
    from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XINCLUDE_NS = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
MAX_ELEMENTS = 50_000  # in the file
MAX_DRAWN = 100_000  # once each <use> counts as a copy of what it shows
MAX_DEPTH = 64  # elements inside one another


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ANIMATIONS = frozenset({"animate", "animateColor", "animateMotion", "animateTransform", "set"})
ELEMENTS = ANIMATIONS | _words("""
svg g defs symbol use switch a title desc style path rect circle ellipse line polyline polygon
text tspan textPath linearGradient radialGradient stop pattern clipPath mask marker image
mpath filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset
fePointLight feSpecularLighting feSpotLight feTile feTurbulence
""")
REFUSED = _words("""
script foreignObject iframe handler listener embed object applet frame frameset audio video
canvas link base
""")
ID_LISTS = _words("""
aria-labelledby aria-describedby aria-details aria-flowto aria-owns aria-controls
aria-activedescendant aria-errormessage
""")
ATTRIBUTES = (
    PROPERTIES
    | ID_LISTS
    | _words("""
id class style lang xml:lang xml:space href xlink:href role aria-label aria-hidden
aria-roledescription x y width height rx ry cx cy r fx fy fr x1 y1 x2 y2 d points pathLength
viewBox preserveAspectRatio version baseProfile transform gradientUnits gradientTransform
spreadMethod offset patternUnits patternContentUnits patternTransform clipPathUnits
maskUnits maskContentUnits markerUnits markerWidth markerHeight refX refY orient dx dy
rotate textLength lengthAdjust startOffset method spacing side type media
requiredFeatures requiredExtensions systemLanguage filterUnits primitiveUnits in in2 result
stdDeviation mode operator k1 k2 k3 k4 values tableValues slope intercept amplitude exponent
scale xChannelSelector yChannelSelector order kernelMatrix divisor bias targetX targetY
edgeMode kernelUnitLength preserveAlpha radius surfaceScale specularConstant
specularExponent diffuseConstant azimuth elevation pointsAtX pointsAtY pointsAtZ
limitingConeAngle baseFrequency numOctaves seed stitchTiles attributeName attributeType
begin end dur min max restart repeatCount repeatDur fill calcMode keyTimes keySplines
keyPoints from to by additive accumulate path
""")
)
ANIMATABLE = ATTRIBUTES - {"id", "class", "style", "href", "xlink:href", "attributeName"}
CSS_VALUED = PROPERTIES | {"from", "to", "by", "values"}
RASTERS = frozenset({"image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp"})
_DATA = re.compile(r"data:([^;,]*)((?:;[^,]*)?),(.*)", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class CleanSvg:
    """The SVG as every edition receives it, and its size in CSS pixels."""

    data: bytes
    width: float
    height: float


def clean_svg(ref: str, data: bytes) -> CleanSvg:
    """The figure ``ref``'s SVG ``data``, checked and rewritten as the module says."""
    from lxml import etree

    root = _parse(ref, data)
    _refuse(ref, root)
    _prune(root)
    digest = hashlib.sha256(ref.encode("utf-8", "replace") + b"\0" + data).hexdigest()
    prefix = f"fig-{digest[:8]}"
    ids: dict[str, str] = {}
    for element in root.iter():
        old = element.get("id")
        if old is not None and old in ids:
            del element.attrib["id"]
        elif old is not None:
            ids[old] = f"{prefix}-{len(ids) + 1}"
    try:
        _Rewriter(ref, ids).run(root)
    except CssRefused as exc:
        raise ImageProblem(f"image {ref!r}: an SVG with {exc} is refused") from None
    _count_drawn(ref, root)
    width, height = svg_size(ref, root)
    etree.cleanup_namespaces(root)
    return CleanSvg(etree.tostring(root, encoding="utf-8", xml_declaration=True), width, height)


def _parse(ref: str, data: bytes) -> etree._Element:
    """The document's root, its elements counted and their nesting measured while it is
    read, so that a huge file is refused before it is all in memory."""
    from lxml import etree

    events = etree.iterparse(
        io.BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True,
        load_dtd=False, huge_tree=False, remove_comments=True,
    )  # fmt: skip
    count = depth = 0
    try:
        for event, element in events:
            if event == "end":
                depth -= 1
                continue
            if count == 0:
                docinfo = element.getroottree().docinfo
                if docinfo.internalDTD is not None or "ENTITY" in (docinfo.doctype or ""):
                    raise ImageProblem(f"image {ref!r}: an SVG with a DOCTYPE or entities "
                                       "is refused")  # fmt: skip
            count, depth = count + 1, depth + 1
            if count > MAX_ELEMENTS:
                raise ImageProblem(f"image {ref!r}: the SVG has more than {MAX_ELEMENTS:,} "
                                   "elements; simplify the drawing")  # fmt: skip
            if depth > MAX_DEPTH:
                raise ImageProblem(f"image {ref!r}: the SVG nests elements more than "
                                   f"{MAX_DEPTH} deep")  # fmt: skip
    except etree.XMLSyntaxError as exc:
        raise ImageProblem(f"image {ref!r}: not well-formed SVG ({exc.msg})") from None
    root = events.root
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageProblem(f"image {ref!r}: the file is not SVG (its root is not <svg> in "
                           "the SVG namespace)")  # fmt: skip
    for node in root.itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-stylesheet":
            raise ImageProblem(f"image {ref!r}: an SVG that loads a style sheet "
                               "(<?xml-stylesheet?>) is refused")  # fmt: skip
    return root


def _refuse(ref: str, root: etree._Element) -> None:
    """Raises for the first thing in the file a figure must never carry."""
    from lxml import etree

    for element in root.iter(tag=etree.Element):
        name = etree.QName(element)
        if name.namespace in XINCLUDE_NS:
            raise ImageProblem(f"image {ref!r}: an SVG with XInclude is refused")
        if name.localname in REFUSED:
            raise ImageProblem(f"image {ref!r}: an SVG with <{name.localname}> is refused; "
                               "a figure is a drawing")  # fmt: skip
        for attribute in element.attrib:
            local = etree.QName(attribute).localname
            if local.lower().startswith("on"):
                raise ImageProblem(f"image {ref!r}: an SVG with script ({local}) is refused")
        if name.localname in ANIMATIONS:
            target = element.get("attributeName", "").strip().rsplit(":", 1)[-1].lower()
            if target == "href" or target.startswith("on"):
                raise ImageProblem(f"image {ref!r}: an SVG that animates a link or a handler "
                                   f"(<{name.localname} attributeName="
                                   f"{element.get('attributeName')!r}>) is refused")  # fmt: skip


def _prune(element: etree._Element) -> None:
    """Drops what ``element`` holds that is not in the allow-list (see the module)."""
    from lxml import etree

    for child in list(element):
        if not isinstance(child.tag, str):
            _remove(child)
            continue
        name = etree.QName(child)
        known = name.namespace == SVG_NS and name.localname in ELEMENTS
        if not known or (name.localname in ANIMATIONS and not _animatable(child)):
            _remove(child)
        elif name.localname == "style":
            for inner in list(child):
                _remove(inner)
            if child.get("type", "text/css").strip().lower() != "text/css":
                _remove(child)
        else:
            _prune(child)


def _animatable(element: etree._Element) -> bool:
    target = element.get("attributeName")
    if target is None:
        return _local(element) == "animateMotion"
    return target.strip() in ANIMATABLE


def _local(element: etree._Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _remove(node: etree._Element) -> None:
    """Removes ``node`` and what it holds, keeping the text after it."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        before = node.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


class _Rewriter:
    """Rewrites the attributes and style sheets of a pruned SVG: ids and references to
    them, CSS through the allow-list; raises for an outside reference."""

    def __init__(self, ref: str, ids: dict[str, str]) -> None:
        self.ref = ref
        self.ids = ids
        self.styles: dict[str, str] = {}  # svglite repeats one style on every element
        self.pictures: set[str] = set()

    def run(self, root: etree._Element) -> None:
        from exporter.source.svgcss import clean_sheet

        for element in root.iter():
            self._attributes(element)
            if _local(element) == "style" and element.text:
                element.text = clean_sheet(element.text, self.url, self.ids)

    def _attributes(self, element: etree._Element) -> None:
        from exporter.source.svgcss import clean_declarations, clean_value

        for name, value in list(element.attrib.items()):
            key = _key(name)
            if key not in ATTRIBUTES:
                del element.attrib[name]
                continue
            new: str | None = value
            if key == "id":
                new = self.ids[value]
            elif key in ("href", "xlink:href"):
                new = self._href(element, value)
            elif key == "style":
                if value not in self.styles:
                    self.styles[value] = clean_declarations(value, self.url)
                new = self.styles[value] or None
            elif key in ID_LISTS:
                new = " ".join(self.ids.get(part, part) for part in value.split()) or None
            elif key in CSS_VALUED and "(" in value:
                new = clean_value(value, self.url)
            if new is None:
                del element.attrib[name]
            elif new != value:
                element.set(name, new)

    def _href(self, element: etree._Element, value: str) -> str | None:
        address = value.strip()
        if address.startswith("#"):
            fragment = address[1:]
            target = self.ids.get(fragment) or self.ids.get(unquote(fragment))
            return None if target is None else "#" + target
        if _local(element) in ("image", "feImage") and _is_picture(address):
            self._picture(address)
            return value
        raise ImageProblem(f"image {self.ref!r}: the SVG refers to {_short(address)!r}; "
                           "a figure needs nothing outside itself")  # fmt: skip

    def url(self, address: str) -> str:
        """The address to write for a CSS url(…); raises for one outside the figure."""
        address = address.strip()
        if address.startswith("#"):
            return "#" + self.ids.get(address[1:], address[1:])
        if _is_picture(address):
            self._picture(address)
            return address
        raise ImageProblem(f"image {self.ref!r}: the SVG refers to url({_short(address)}); "
                           "a figure needs nothing outside itself")  # fmt: skip

    def _picture(self, uri: str) -> None:
        """Raises unless ``uri`` is a PNG, JPEG, GIF or WebP of at most ``MAX_AREA`` pixels."""
        if uri in self.pictures:
            return
        from PIL import Image, UnidentifiedImageError

        match = _DATA.fullmatch(uri)
        media = match.group(1).strip().lower() if match else ""
        if match is None or media not in RASTERS:
            raise ImageProblem(f"image {self.ref!r}: an SVG holding {_short(uri)!r} is "
                               "refused; embed a PNG, JPEG, GIF or WebP picture")  # fmt: skip
        try:
            payload = match.group(3)
            if ";base64" in match.group(2).lower():
                raw = base64.b64decode(re.sub(r"\s+", "", unquote(payload)))
            else:
                raw = unquote_to_bytes(payload)
            with Image.open(io.BytesIO(raw)) as picture:
                width, height = picture.size
        except (ValueError, OSError, UnidentifiedImageError, Image.DecompressionBombError):
            raise ImageProblem(f"image {self.ref!r}: the SVG holds a picture that cannot be "
                               "read") from None  # fmt: skip
        if width * height > MAX_AREA:
            raise ImageProblem(f"image {self.ref!r}: the SVG holds a picture of {width} × "
                               f"{height} pixels, more than {MAX_AREA // 1_000_000} "
                               "megapixels")  # fmt: skip
        self.pictures.add(uri)


def _key(name: str) -> str:
    """An attribute's name as the allow-list spells it: ``xlink:href``, ``xml:lang``; a
    name in another namespace is never in it."""
    if not name.startswith("{"):
        return name
    namespace, local = name[1:].split("}", 1)
    prefix = {XLINK_NS: "xlink", XML_NS: "xml"}.get(namespace, "-")
    return f"{prefix}:{local}"


def _is_picture(address: str) -> bool:
    return address[:11].lower() == "data:image/"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def _count_drawn(ref: str, root: etree._Element) -> None:
    """Raises when drawing the SVG means more than ``MAX_DRAWN`` elements, each ``<use>``
    counted as a copy of what it shows (a few nested uses can multiply one path a billion
    times), or when a ``<use>`` shows itself."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    use = f"{{{SVG_NS}}}use"
    counts: dict[etree._Element, int] = {}
    open_: set[etree._Element] = set()

    def drawn(element: etree._Element, level: int) -> int:
        if element in counts:
            return counts[element]
        if element in open_ or level > 4 * MAX_DEPTH:
            raise ImageProblem(f"image {ref!r}: the SVG has a <use> that shows itself or "
                               "uses nested too deep")  # fmt: skip
        open_.add(element)
        total = 1 + sum(drawn(child, level + 1) for child in element)
        if element.tag == use:
            href = element.get("href") or element.get(f"{{{XLINK_NS}}}href") or ""
            target = by_id.get(href[1:])
            total += drawn(target, level + 1) if target is not None else 0
        if total > MAX_DRAWN:
            raise ImageProblem(f"image {ref!r}: the SVG draws more than {MAX_DRAWN:,} "
                               "elements once its <use> copies are counted; simplify "
                               "the drawing")  # fmt: skip
        open_.discard(element)
        counts[element] = total
        return total

    drawn(root, 0)
