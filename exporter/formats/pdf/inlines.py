"""Turns model inlines into reportlab paragraph markup, escaping every character of source text."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from exporter.errors import FormatError
from exporter.model import Code, Emph, Inline, LineBreak, Link, Span, Strong, Text


def escape_text(text: str) -> str:
    """Source text as reportlab markup that shows it literally (``&``, ``<``, ``>`` included)."""
    return escape(text)


def markup(inlines: tuple[Inline, ...], code_font: str = "", link_color: str = "") -> str:
    """The reportlab markup for ``inlines``.

    ``code_font`` is the face for inline code; ``link_color`` the hex colour of links.
    """
    return "".join(_node(node, code_font, link_color) for node in inlines)


def _node(node: Inline, code_font: str, link_color: str) -> str:
    if isinstance(node, Text):
        return escape_text(node.text)
    if isinstance(node, Code):
        text = escape_text(node.text)
        return f"<font name={quoteattr(code_font)}>{text}</font>" if code_font else text
    if isinstance(node, LineBreak):
        return "<br/>"
    inner = markup(node.children, code_font, link_color)
    if isinstance(node, Emph):
        return f"<i>{inner}</i>"
    if isinstance(node, Strong):
        return f"<b>{inner}</b>"
    if isinstance(node, Link):
        color = f" color={quoteattr(link_color)}" if link_color else ""
        return f"<a href={quoteattr(node.url)}{color}>{inner}</a>"
    if isinstance(node, Span):
        return inner
    raise FormatError(f"pdf: cannot render inline {type(node).__name__}")


def link_markup(url: str, text: str | None = None, link_color: str = "") -> str:
    """A live link whose visible text is ``text`` (the address itself by default)."""
    color = f" color={quoteattr(link_color)}" if link_color else ""
    return f"<a href={quoteattr(url)}{color}>{escape_text(text or url)}</a>"
