"""One dispatch rule: every format renders every block and inline type of the model, or fails
with the source line; none silently drops one."""

from __future__ import annotations

import dataclasses
import io
import typing

import pytest
from readers import READERS

from conftest import normalize
from exporter import model as m
from exporter.formats import ExportOptions, edition_names, load_format
from exporter.style import load_style


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 80), (140, 29, 24)).save(out, format="PNG")
    return out.getvalue()


IMAGE = m.Image("figures/marker.png", "image/png", 120, 80, _png())
NOTE = m.Note(1, (m.Paragraph((m.Text("note-marker"),)),), 12)
POLL = m.Poll("p", "Marker poll question?", (m.Answer("Yes", 3, 75), m.Answer("No", 1, 25)))

INLINES: dict[type, m.Inline] = {
    m.Text: m.Text("text-marker"),
    m.Code: m.Code("code-marker"),
    m.LineBreak: m.LineBreak(),
    m.Emph: m.Emph((m.Text("emph-marker"),)),
    m.Strong: m.Strong((m.Text("strong-marker"),)),
    m.Link: m.Link("https://example.org/", (m.Text("link-marker"),)),
    m.Span: m.Span("ru", (m.Text("спан-маркер"),)),
    m.NoteRef: m.NoteRef(1),
}

BLOCKS: dict[type, m.Block] = {
    m.Paragraph: m.Paragraph(tuple(INLINES.values()), 1),
    m.Heading: m.Heading(1, (m.Text("heading-marker"),), 2),
    m.BlockQuote: m.BlockQuote((m.Paragraph((m.Text("quote-marker"),)),), 3),
    m.ListBlock: m.ListBlock(False, ((m.Paragraph((m.Text("item-marker"),)),),), 1, 4),
    m.CodeBlock: m.CodeBlock("codeblock-marker", 5),
    m.ThematicBreak: m.ThematicBreak(6),
    m.Callout: m.Callout("note", "Note", (m.Paragraph((m.Text("callout-marker"),)),), 7),
    m.PollBlock: m.PollBlock(POLL, 8),
    m.Table: m.Table(((m.Text("th-marker"),), (m.Text("th2-marker"),)),
                     (((m.Text("td-marker"),), (m.Code("td2-marker"),)),), ("", "right"),
                     (m.Text("caption-marker"),), 1, 9),  # fmt: skip
    m.Figure: m.Figure(IMAGE, "alt-marker", (m.Text("figure-marker"),),
                       (m.Text("credit-marker"),), 0.5, 1, 10, "fig"),  # fmt: skip
    m.Bibliography: m.Bibliography((m.Reference("ref-x", "1.", (m.Text("reference-marker"),)),
                                    m.Reference("ref-y", "2.", (m.Text("ссылка-маркер"),), "ru")),
                                   11),  # fmt: skip
}
# resolved by the source layer (into text, links and notes): no edition meets one
RESOLVED = {m.Cite}

MARKERS = ["text-marker", "code-marker", "emph-marker", "strong-marker", "link-marker",
           "спан-маркер", "heading-marker", "quote-marker", "item-marker", "codeblock-marker",
           "callout-marker", "Marker poll question?", "th-marker", "th2-marker", "td-marker",
           "td2-marker", "Table 1. caption-marker", "Figure 1. figure-marker",
           "credit-marker", "note-marker", "reference-marker", "ссылка-маркер"]  # fmt: skip


def test_the_cases_cover_every_type_of_the_model():
    assert set(BLOCKS) == set(typing.get_args(m.Block))
    assert set(INLINES) | RESOLVED == set(typing.get_args(m.Inline))


@pytest.mark.parametrize("name", [n for n in edition_names() if n != "plaintext"])
def test_every_format_renders_every_block_and_inline(name, article):
    fmt = load_format(name)
    every = dataclasses.replace(article, body=tuple(BLOCKS.values()), polls=(POLL,),
                                footnotes=(NOTE,))  # fmt: skip
    out = io.BytesIO()
    fmt().write(every, load_style(fmt.default_style), ExportOptions(), out)
    read = READERS["." + fmt.suffix.rsplit(".", 1)[1]]
    text = normalize(read(out.getvalue()))
    missing = [marker for marker in MARKERS if marker not in text]
    assert not missing, missing


@pytest.mark.parametrize("name", [n for n in edition_names() if n != "plaintext"])
def test_an_unknown_block_fails_with_its_source_line(name, article):
    @dataclasses.dataclass(frozen=True)
    class Unknown:
        line: int = 42

    fmt = load_format(name)
    odd = dataclasses.replace(article, body=(Unknown(),))  # type: ignore[arg-type]
    with pytest.raises(Exception, match="42"):
        fmt().write(odd, load_style(fmt.default_style), ExportOptions(), io.BytesIO())
