"""What the source format cannot carry, each with where it stood in the manuscript: collected
while reading, printed as warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

FIRST_WORDS = 6


@dataclass(frozen=True)
class Finding:
    """One thing not carried (or carried differently), at paragraph ``paragraph`` of the
    manuscript (0: the document as a whole) whose text begins ``words``."""

    paragraph: int
    words: str
    message: str
    story: str = ""  # "" for the body, "note 3" for a note

    def where(self) -> str:
        if not self.paragraph:
            return self.story or "document"
        place = f"{self.story}, paragraph {self.paragraph}" if self.story else (
            f"paragraph {self.paragraph}")
        return f"{place} ({self.words!r})" if self.words else place


@dataclass
class Report:
    """The findings of one import, in the order they were met (each once)."""

    findings: list[Finding] = field(default_factory=list)
    _seen: set[Finding] = field(default_factory=set)

    def add(self, paragraph: int, text: str, message: str, story: str = "") -> None:
        finding = Finding(paragraph, first_words(text), message, story)
        if finding not in self._seen:
            self._seen.add(finding)
            self.findings.append(finding)

    def lines(self, shown: str) -> list[str]:
        return [f"{shown}: {f.where()}: {f.message}" for f in self.findings]


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    words = text.split()
    shown = " ".join(words[:count])
    return f"{shown}…" if len(words) > count else shown
