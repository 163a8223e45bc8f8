"""What reading one story of the manuscript (its body, or a note) needs to know and collects:
the styles, the languages, the notes called, the bookmarks met, the open fields, the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from exporter.importer.report import Report
from exporter.importer.styles import Styles
from exporter.languages import Languages

INTERNAL = "\x00"  # a link to a bookmark, until the bookmark is known to be a heading's, …


@dataclass
class Field:
    """A complex field being read: its instruction, and whether its result has begun."""

    instruction: str = ""
    result: bool = False

    @property
    def kind(self) -> str:
        words = self.instruction.split()
        return words[0].upper() if words else ""


@dataclass
class Context:
    styles: Styles
    report: Report
    languages: Languages
    word_lang: str  # the document's language, as Word names it ("en-US")
    part: Any  # the part links and pictures of this story are related from
    notes: dict[tuple[str, str], int]  # ("footnotes", Word id) → note number, in call order
    comments: dict[str, str] = field(default_factory=dict)  # comment id → its text
    story: str = ""  # "" for the body, "note 3" for a note
    paragraph: int = 0  # the paragraph being read, counted from 1 in its story
    words: str = ""  # its text, for the report
    fields: list[Field] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.report.add(self.paragraph, self.words, message, self.story)

    def note_number(self, kind: str, ident: str) -> int:
        """The number of the note Word calls ``ident`` in ``kind`` (footnotes, endnotes),
        given on its first call."""
        key = (kind, ident)
        if key not in self.notes:
            self.notes[key] = len(self.notes) + 1
        return self.notes[key]

    @property
    def skipping(self) -> bool:
        """Inside the result of a field whose result is not text (a table of contents)."""
        return any(f.result and f.kind in SKIPPED_FIELDS for f in self.fields)


SKIPPED_FIELDS = {"TOC", "INDEX", "TOA", "BIBLIOGRAPHY"}
