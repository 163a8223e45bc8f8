"""Turns model inlines into styled runs of text for ``TextBlock``: every character kept."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle

from exporter.errors import FormatError
from exporter.formats.pdf.tagging import Element, InlineTag
from exporter.formats.pdf.textblock import Look, Run, TextBlock, look_of
from exporter.labels import label
from exporter.languages import Languages
from exporter.model import (
    Code,
    Emph,
    Inline,
    LineBreak,
    Link,
    NoteRef,
    Span,
    Strong,
    Text,
    plain_text,
)

CALL_SIZE = 0.7  # a note's call: this share of the text size, raised
CALL_RISE = 0.38


def runs(
    inlines: tuple[Inline, ...],
    look: Look,
    code_font: str,
    link_color: object,
    languages: Languages,
    lang: str | None = None,
) -> list[Run]:
    """The runs of ``inlines`` starting from ``look``: emphasis picks the family's italic
    or bold face, code is set in ``code_font``, links take ``link_color``. Each link, note
    call and other-language span gets a tag of its own (an element of the tagged PDF), the
    words of a link describe it, a note call is described in ``lang`` (by default the
    article's), and a stretch in another script is a span in the language the article's
    ``languages`` read it in, as the other editions mark it."""
    lang = lang or languages.lang
    out: list[Run] = []

    def within(role: str, text: str = "", span_lang: str | None = None) -> Look:
        return replace(look, tag=InlineTag(role, look.tag, span_lang, text))

    for node in inlines:
        if isinstance(node, Text):
            for run_lang, text in languages.runs(node.text, lang):
                out.append((text, look if run_lang == lang else within("Span", span_lang=run_lang)))
        elif isinstance(node, Code):
            out.append((node.text, replace(look, font=_same_face(code_font, look.font))))
        elif isinstance(node, LineBreak):
            out.append(("\n", look))
        elif isinstance(node, Emph):
            out += runs(node.children, _face(look, italic=True), code_font, link_color,
                        languages, lang)  # fmt: skip
        elif isinstance(node, Strong):
            out += runs(node.children, _face(look, bold=True), code_font, link_color,
                        languages, lang)  # fmt: skip
        elif isinstance(node, Link):
            words = " ".join(plain_text(node.children).split())
            linked = replace(within("Link", words), link=node.url, color=link_color)
            out += runs(node.children, linked, code_font, link_color, languages, lang)
        elif isinstance(node, Span):
            out += runs(node.children, within("Span", span_lang=node.lang), code_font,
                        link_color, languages, node.lang)  # fmt: skip
        elif isinstance(node, NoteRef):
            words = label("note_call", lang, n=node.number)
            call = replace(within("Link", words), size=look.size * CALL_SIZE,
                           rise=look.size * CALL_RISE, link=f"note:{node.number}")  # fmt: skip
            out.append((str(node.number), call))
        else:
            raise FormatError(f"pdf: cannot render inline {type(node).__name__}")
    return out


def _face(look: Look, bold: bool = False, italic: bool = False) -> Look:
    family, is_bold, is_italic = ps2tt(look.font)
    return replace(look, font=tt2ps(family, is_bold or bold, is_italic or italic))


def _same_face(font: str, like: str) -> str:
    """The face of ``font``'s family that is as bold and italic as ``like``."""
    _, bold, italic = ps2tt(like)
    return tt2ps(ps2tt(font)[0], bold, italic)


def plain(text: str, style: ParagraphStyle, tag: Element | None) -> TextBlock:
    """A paragraph of plain text (a label, a title) in ``style``, every character as given,
    the content of ``tag``."""
    if style.textTransform == "uppercase":
        text = text.upper()
    return TextBlock([(text, look_of(style))], style, tag=tag)


def linked(
    url: str, text: str, style: ParagraphStyle, link_color: object, tag: Element | None
) -> TextBlock:
    """A paragraph (the content of ``tag``) that is one live link showing ``text``."""
    look = replace(look_of(style), link=url, color=link_color, tag=InlineTag("Link", text=text))
    return TextBlock([(text, look)], style, tag=tag)
