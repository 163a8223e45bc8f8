"""The format-neutral article: metadata, blocks, inlines and polls, typed and immutable
(``nodes``: the text as a tree; ``article``: the metadata and the Article; ``texts``: what
renderers ask of them, through ``exporter.walk``)."""

from exporter.model.article import (
    Article,
    Author,
    Certification,
    LocalizedText,
    Publisher,
    RelatedArticle,
)
from exporter.model.nodes import (
    Answer,
    Bibliography,
    Block,
    BlockQuote,
    Callout,
    Cell,
    Cite,
    CiteItem,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Note,
    NoteRef,
    Paragraph,
    Poll,
    PollBlock,
    Reference,
    Span,
    Strong,
    Table,
    Text,
    ThematicBreak,
    is_internal,
)
from exporter.model.texts import (
    anchors,
    block_note_calls,
    block_texts,
    code_texts,
    figure_images_of,
    largest_remainder_shares,
    note_calls,
    note_texts,
    plain_text,
    walk_blocks,
)

__all__ = [
    "Answer", "Article", "Author", "Bibliography", "Block", "BlockQuote", "Callout", "Cell",
    "Certification", "Cite", "CiteItem", "Code", "CodeBlock", "Emph", "Figure", "Heading",
    "Image", "Inline", "LineBreak", "Link", "ListBlock", "LocalizedText", "Note", "NoteRef",
    "Paragraph", "Poll", "PollBlock", "Publisher", "Reference", "RelatedArticle", "Span",
    "Strong", "Table", "Text", "ThematicBreak", "anchors", "block_note_calls", "block_texts",
    "code_texts", "figure_images_of", "is_internal", "largest_remainder_shares", "note_calls",
    "note_texts", "plain_text", "walk_blocks",
]
