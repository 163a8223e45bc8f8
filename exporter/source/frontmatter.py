"""An article source's front matter: the YAML between its opening ``---`` line and the next
one, found the same way wherever a source is read (the loader; discovery, for the slug).
Light: it imports neither YAML nor the model."""

from __future__ import annotations

from exporter.errors import SourceError

MAX_FRONT_MATTER_LINES = 5_000
FENCE = "---"


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """The front matter (without its ``---`` lines), the body after it, and the line the
    body starts on; a source that does not open or close its front matter is refused at
    its first line (``shown`` names it)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise SourceError.at(shown, 1, 1, "an article starts with '---' and its YAML front matter")
    for n, line in enumerate(lines[1 : MAX_FRONT_MATTER_LINES + 1], start=1):
        if line.rstrip() == FENCE:
            return "\n".join(lines[1:n]) + "\n", "\n".join(lines[n + 1 :]), n + 1
    raise SourceError.at(shown, 1, 1, "the front matter is not closed by a '---' line")
