"""The CSS adapter: style-sheet roles as reflowable CSS in em and %, plus @font-face rules."""

from __future__ import annotations

from dataclasses import dataclass

from exporter.style import Length, RoleStyle, StyleSheet

FACE_PROPS = {
    "regular": ("normal", "normal"),
    "bold": ("bold", "normal"),
    "italic": ("normal", "italic"),
    "bolditalic": ("bold", "italic"),
}

# selector, role, the role whose size the selector's parent has
_RULES: tuple[tuple[str, str, str], ...] = (
    (".titlepage h1.title", "title", "body"),
    (".titlepage .subtitle, .titlepage .title-translation", "subtitle", "body"),
    (".titlepage .byline", "byline", "body"),
    (".titlepage .affiliation", "affiliation", "body"),
    (".titlepage .meta", "meta", "body"),
    (".summary", "summary", "body"),
    (".summary h2", "heading-2", "summary"),
    ("h1, .heading-1", "heading-1", "body"),
    ("h2, .heading-2", "heading-2", "body"),
    ("h3, .heading-3", "heading-3", "body"),
    ("h4, h5, h6, .heading-4", "heading-4", "body"),
    ("blockquote.quote", "quote", "body"),
    ("pre.code", "code", "body"),
    ("aside.callout", "callout", "body"),
    ("aside.callout .callout-label", "callout-label", "callout"),
    ("table.data-table", "table", "body"),
    ("section.poll h2.poll-question", "poll-question", "body"),
    ("table.data-table th", "table-header", "table"),
    ("table.data-table caption", "caption", "table"),
    ("figure.poll-figure figcaption, .caption", "caption", "body"),
    ("figure.figure figcaption", "caption", "body"),
    ("figure.figure figcaption .credit", "credit", "caption"),
    ("section.notes aside.note", "note", "body"),
    (".references li", "bibliography", "body"),
)
# the poll's results table is a data table set in the poll's role: each rule here follows the
# data table's it stands for, and is written only where it says something else
_POLL_TABLE_RULES: tuple[tuple[str, str, str, str], ...] = (
    ("table.poll-table", "poll", "body", "table.data-table"),
    ("table.poll-table th", "poll-header", "poll", "table.data-table th"),
)


@dataclass(frozen=True)
class FontFile:
    """One embedded face: its family, face key and its path inside the book."""

    family: str
    face: str
    href: str


def generic_family(family: str) -> str:
    name = family.lower()
    return "monospace" if "mono" in name else "sans-serif" if "sans" in name else "serif"


def font_stack(family: str, fallbacks: tuple[str, ...] = ()) -> str:
    """``family``, the families that set what it lacks, then the generic family."""
    names = "".join(f'"{name}", ' for name in (family, *fallbacks))
    return f"{names}{generic_family(family)}"


def _em(length: Length, base: Length) -> str:
    value = length.pt / base.pt if base.pt else 0.0
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("0", "-0") else f"{text}em"


def role_declarations(
    role: RoleStyle, parent: RoleStyle, fallbacks: tuple[str, ...] = ()
) -> list[str]:
    """CSS declarations for ``role`` inside an element whose font size is ``parent``'s;
    ``fallbacks`` follow its family in the font stack."""
    size = role.size
    decls = [f"font-family: {font_stack(role.family, fallbacks)};"]
    decls.append(f"font-size: {_em(role.size, parent.size)};")  # also 1em: over h4–h6's own
    decls.append(f"line-height: {_ratio(role.leading, size)};")
    decls.append(f"color: {role.color.hex};")
    decls.append(f"font-weight: {'bold' if role.bold else 'normal'};")
    decls.append(f"font-style: {'italic' if role.italic else 'normal'};")
    if role.uppercase:
        decls.append("text-transform: uppercase;")
    decls.append(f"text-align: {role.align};")
    decls.append(f"margin-top: {_em(role.space_before, size)};")
    decls.append(f"margin-bottom: {_em(role.space_after, size)};")
    if role.left_indent.pt:
        decls.append(f"margin-left: {_em(role.left_indent, size)};")
    decls += _box(role, parent)
    if role.keep_with_next:
        decls.append("page-break-after: avoid;")
        decls.append("break-after: avoid;")
    return decls


def _box(role: RoleStyle, parent: RoleStyle) -> list[str]:
    """Background, rule and padding of ``role``, unless it inherits them from the role of
    the box it stands in (a callout's label draws no second box inside the callout)."""
    own = (role.background, role.border_color, role.border_width, role.padding)
    if own == (parent.background, parent.border_color, parent.border_width, parent.padding):
        return []
    decls = []
    if role.background is not None:
        decls.append(f"background-color: {role.background.hex};")
    if role.border_color is not None and role.border_width.pt:
        width = _em(role.border_width, role.size)
        decls.append(f"border-left: {width} solid {role.border_color.hex};")
    if role.padding.pt:
        decls.append(f"padding: {_em(role.padding, role.size)};")
    return decls


def _rule(style: StyleSheet, name: str) -> str:
    """A rule role as a CSS border: width (in em of the body) and colour."""
    role, body = style.role(name), style.role("body")
    ink = role.border_color.hex if role.border_color else role.color.hex
    return f"{_em(role.border_width, body.size)} solid {ink}"


def _thematic_break(style: StyleSheet) -> list[str]:
    role, body = style.role("thematic-break"), style.role("body")
    return [
        "border: 0;",
        f"border-top: {_rule(style, 'thematic-break')};",
        f"margin: {_em(role.space_before, body.size)} 35% {_em(role.space_after, body.size)};",
    ]


def _ratio(length: Length, base: Length) -> str:
    return f"{length.pt / base.pt:.3f}".rstrip("0").rstrip(".")


def _block(selector: str, decls: list[str]) -> str:
    body = "\n".join(f"  {d}" for d in decls)
    return f"{selector} {{\n{body}\n}}\n"


def font_faces(fonts: list[FontFile], css_dir: str = "css") -> str:
    """@font-face rules for the embedded faces, with URLs relative to the stylesheet (a
    ``data:`` URL stands as it is)."""
    out = []
    for font in fonts:
        weight, style = FACE_PROPS[font.face]
        url = font.href if font.href.startswith("data:") else _relative(font.href, css_dir)
        out.append(_block("@font-face", [
            f'font-family: "{font.family}";',
            f"font-weight: {weight};",
            f"font-style: {style};",
            f'src: url("{url}");',
        ]))  # fmt: skip
    return "\n".join(out)


def _relative(href: str, css_dir: str) -> str:
    depth = len([p for p in css_dir.split("/") if p])
    return "../" * depth + href


def _base_rules(style: StyleSheet) -> str:
    body = style.role("body")
    blocks = [
        _block("body", [
            f"font-family: {font_stack(body.family, style.fallback(body.family))};",
            f"line-height: {_ratio(body.leading, body.size)};",
            f"color: {body.color.hex};",
            "margin: 0 5%;",
            "overflow-wrap: break-word;",
        ]),
        _block("p", [
            f"margin: 0 0 {_em(body.space_after, body.size)} 0;",
            f"text-align: {body.align};",
            f"text-indent: {_em(body.first_indent, body.size)};",
            f"hyphens: {'auto' if body.hyphenate else 'manual'};",
            f"-webkit-hyphens: {'auto' if body.hyphenate else 'manual'};",
        ]),
        _block("aside.callout p, .summary p, .titlepage p, table p", [
            "text-indent: 0;", "hyphens: manual;", "-webkit-hyphens: manual;",
        ]),
        _block("aside.callout p", [f"text-align: {style.role('callout').align};"]),
        _block(".summary p", [f"text-align: {style.role('summary').align};"]),
        _block("section.cover", ["margin: 0;", "padding: 0;", "text-align: center;"]),
        _block("section.cover img", ["max-width: 100%;", "max-height: 100%;", "height: auto;"]),
        _block("table.data-table", ["border-collapse: collapse;", "width: 100%;",
                                    "margin-bottom: 1em;"]),
        _block("table.data-table th, table.data-table td", [
            "padding: 0.3em 0.5em 0.3em 0;", f"border-bottom: {_rule(style, 'table-rule')};",
            "vertical-align: top;", "text-align: left;",
        ]),
        _block("table.data-table thead th", [f"border-bottom: {_rule(style, 'table-head-rule')};"]),
        _block("table.data-table tfoot th, table.data-table tfoot td",
               [f"border-top: {_rule(style, 'table-head-rule')};"]),
        _block("table.data-table .number", ["text-align: right;", "white-space: nowrap;"]),
        _block("table.data-table .align-right", ["text-align: right;"]),
        _block("table.data-table .align-center", ["text-align: center;"]),
        _block("table.data-table caption", ["caption-side: top;", "text-align: left;"]),
        _block("table.data-table tfoot th, table.data-table tfoot td", ["font-weight: bold;"]),
        _block("figure.poll-figure", ["margin: 1em 0;"]),
        _block("figure.figure", ["margin: 1em 0;", "page-break-inside: avoid;",
                                 "break-inside: avoid;"]),
        _block("figure.figure img", ["display: block;", "max-width: 100%;", "height: auto;"]),
        _block("figure.figure figcaption .credit", ["display: block;"]),
        _block("section.notes", [f"border-top: {_rule(style, 'note-rule')};", "margin-top: 2em;"]),
        _block("section.notes p", ["text-indent: 0;", "text-align: left;"]),
        _block(".references", ["margin: 1em 0;", "padding-left: 2em;", "text-align: left;"]),
        _block("ul.references", ["list-style: none;"]),
        _block(".references li", ["margin: 0 0 0.5em;", "text-indent: 0;"]),
        _block("ul.references li", ["text-indent: -2em;"]),
        _block("a.backlink", ["text-decoration: none;"]),
        _block("a.noteref", ["text-decoration: none;"]),
        _block("a.noteref sup", ["font-size: 0.75em;", "line-height: 0;"]),
        _block("svg.poll-chart", ["width: 100%;", "height: auto;"]),
        _block("a", [f"color: {style.role('link').color.hex};", "overflow-wrap: anywhere;"]),
        _block("code", [f"font-family: {font_stack(style.role('code').family)};",
                        "overflow-wrap: anywhere;"]),
        _block(":not(pre) > code", [f"font-size: {_em(style.role('code').size, body.size)};"]),
        _block("pre.code", ["white-space: pre-wrap;", "overflow-wrap: anywhere;"]),
        _block("nav ol", ["list-style-type: none;", "padding-left: 1em;"]),
        _block("hr", _thematic_break(style)),
    ]  # fmt: skip
    return "\n".join(blocks)


def stylesheet(style: StyleSheet, fonts: list[FontFile]) -> str:
    """The book's one stylesheet, generated from ``style``; fonts are embedded when given."""
    name = style.name.replace("*/", "* /")
    parts = [f"/* generated from the {name} style */\n"]
    if fonts:
        parts.append(font_faces(fonts))
    parts.append(_base_rules(style))
    written: dict[str, list[str]] = {}
    for selector, name, parent in _RULES:
        role = style.role(name)
        declarations = role_declarations(role, style.role(parent), style.fallback(role.family))
        written[selector] = declarations
        parts.append(_block(selector, declarations))
    for selector, name, parent, same_as in _POLL_TABLE_RULES:
        role = style.role(name)
        declarations = role_declarations(role, style.role(parent), style.fallback(role.family))
        if declarations != written[same_as]:
            parts.append(_block(selector, declarations))
    parts.append(_block(".summary > h2:first-child", ["margin-top: 0;"]))
    return "\n".join(parts)
