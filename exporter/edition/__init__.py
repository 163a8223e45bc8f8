"""What every edition shows beyond the body's own blocks, computed once for all formats.

Each format lays these views out; none words, orders or measures them itself, so every
edition says the same thing in the same order. This package knows the model and the labels,
never an output library (lxml draws the poll chart as SVG, as the XHTML renderer writes it).
"""

from exporter.edition.captions import figure_caption, table_caption
from exporter.edition.links import (
    LinkNotes,
    link_notes,
    needs_address,
    printed_text,
    printed_texts,
    shown_address,
    with_printed_addresses,
)
from exporter.edition.metadata import DocumentMetadata, Person, document_metadata
from exporter.edition.notes import NotesCalled, calls_in, notes_called
from exporter.edition.poll import (
    SVG_NS,
    PollRow,
    PollView,
    TextFiller,
    plain_filler,
    poll_chart,
    poll_chart_image,
    poll_view,
)
from exporter.edition.title import (
    Byline,
    TitleBlock,
    TitleLine,
    TitleRole,
    WebEdition,
    WebPanel,
    colophon,
    full_citation,
    series_line,
    title_block,
    title_matter,
    web_panel,
)

__all__ = [
    "SVG_NS", "Byline", "DocumentMetadata", "LinkNotes", "NotesCalled", "Person", "PollRow",
    "PollView", "TextFiller", "TitleBlock", "TitleLine", "TitleRole", "WebEdition", "WebPanel",
    "calls_in", "colophon", "document_metadata", "figure_caption", "full_citation",
    "link_notes", "needs_address", "notes_called", "printed_text", "printed_texts",
    "shown_address", "with_printed_addresses",
    "plain_filler", "poll_chart", "poll_chart_image", "poll_view", "series_line",
    "table_caption", "title_block", "title_matter", "web_panel",
]  # fmt: skip
