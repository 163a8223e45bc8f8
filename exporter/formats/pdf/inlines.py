"""Turns model inlines into styled runs of text for ``TextBlock``: every character kept."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle

from exporter.edition.links import LinkNotes, mark
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
from exporter.walk import visitor

CALL_SIZE = 0.7  # a note's call: this share of the text size, raised
CALL_RISE = 0.38
# Link note n is the page's note LINK_NOTES + n: at a page's foot, after the article's own
# notes, or in the Links section at the end (its place named "note-…" either way).
LINK_NOTES = 1_000_000


def runs(
    inlines: tuple[Inline, ...],
    look: Look,
    code_font: str,
    link_color: object,
    languages: Languages,
    lang: str | None = None,
    link_notes: LinkNotes | None = None,
) -> list[Run]:
    """The runs of ``inlines`` starting from ``look``: emphasis picks the family's italic
    or bold face, code is set in ``code_font``, links take ``link_color``. Each link, note
    call and other-language span gets a tag of its own (an element of the tagged PDF), the
    words of a link describe it, a note call is described in ``lang`` (by default the
    article's), and a stretch in another script is a span in the language the article's
    ``languages`` read it in, as the other editions mark it. With ``link_notes``, a link
    whose address paper must print is followed by its link note's mark, "[12]" (a no-break
    space before it), itself a link to the note and described as one."""
    return _Runs(code_font, link_color, languages, link_notes).of(inlines, look,
                                                                  lang or languages.lang)


@dataclass(frozen=True)
class _Runs:
    """The inline visitors (``visit_<kind>``, as every renderer dispatches): each returns
    the runs of one node in ``look``, read in ``lang``."""

    code_font: str
    link_color: object
    languages: Languages
    link_notes: LinkNotes | None = None

    def of(self, inlines: tuple[Inline, ...], look: Look, lang: str) -> list[Run]:
        out: list[Run] = []
        for node in inlines:
            out += visitor(self, node, "pdf: ")(node, look, lang)
        return out

    def visit_text(self, node: Text, look: Look, lang: str) -> list[Run]:
        return [(text, look if run_lang == lang else _within(look, "Span", span_lang=run_lang))
                for run_lang, text in self.languages.runs(node.text, lang)]  # fmt: skip

    def visit_code(self, node: Code, look: Look, lang: str) -> list[Run]:
        return [(node.text, replace(look, font=_same_face(self.code_font, look.font)))]

    def visit_line_break(self, node: LineBreak, look: Look, lang: str) -> list[Run]:
        return [("\n", look)]

    def visit_emph(self, node: Emph, look: Look, lang: str) -> list[Run]:
        return self.of(node.children, _face(look, italic=True), lang)

    def visit_strong(self, node: Strong, look: Look, lang: str) -> list[Run]:
        return self.of(node.children, _face(look, bold=True), lang)

    def visit_link(self, node: Link, look: Look, lang: str) -> list[Run]:
        words = " ".join(plain_text(node.children).split())
        linked = replace(_within(look, "Link", words), link=node.url, color=self.link_color)
        out = self.of(node.children, linked, lang)
        number = self.link_notes.number(node) if self.link_notes is not None else None
        if number is not None:
            words = label("link_note", lang, n=number)
            note = replace(_within(look, "Link", words), link=f"note:{LINK_NOTES + number}")
            out += [("\u00a0", look), (mark(number), note)]
        return out

    def visit_span(self, node: Span, look: Look, lang: str) -> list[Run]:
        return self.of(node.children, _within(look, "Span", span_lang=node.lang), node.lang)

    def visit_note_ref(self, node: NoteRef, look: Look, lang: str) -> list[Run]:
        words = label("note_call", lang, n=node.number)
        call = replace(_within(look, "Link", words), size=look.size * CALL_SIZE,
                       rise=look.size * CALL_RISE, link=f"note:{node.number}")  # fmt: skip
        return [(str(node.number), call)]


def _within(look: Look, role: str, text: str = "", span_lang: str | None = None) -> Look:
    return replace(look, tag=InlineTag(role, look.tag, span_lang, text))


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
