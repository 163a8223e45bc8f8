"""Which notes are called, and where: the one answer every edition places its notes by."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from exporter.model import Article, block_note_calls

calls_in = block_note_calls  # the notes ``blocks`` call, in reading order


@dataclass(frozen=True)
class NotesCalled:
    """The notes of an article by where they are called: ``order`` is every note the text
    (summary, then body) calls, in the order of its first call; ``within`` gives, for each
    note, the notes its own text calls."""

    order: tuple[int, ...]
    within: dict[int, tuple[int, ...]]

    def __contains__(self, number: object) -> bool:
        return number in self.order

    def with_called(self, numbers: Iterable[int]) -> list[int]:
        """``numbers`` and, after each, the notes its text calls (a note that cites another
        brings it along), each once; numbers of no note are left out."""
        out: list[int] = []
        pending = list(reversed(list(numbers)))
        while pending:
            number = pending.pop()
            if number in out or number not in self.within:
                continue
            out.append(number)
            pending += reversed(self.within[number])
        return out


def notes_called(article: Article) -> NotesCalled:
    """Which of the article's notes its text calls, and which each note calls in turn."""
    within = {note.number: tuple(dict.fromkeys(calls_in(note.blocks)))
              for note in article.footnotes}  # fmt: skip
    called = dict.fromkeys(n for n in calls_in(article.summary) + calls_in(article.body)
                           if n in within)  # fmt: skip
    return NotesCalled(tuple(called), within)
