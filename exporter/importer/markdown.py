"""The model's blocks and inlines as the Markdown the loader reads back to the same model:
every character that Markdown would take for markup escaped, emphasis opened and closed
where CommonMark allows, notes as ``[^n]``, language spans as ``[text]{lang=xx}``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from exporter import model as m
from exporter.source.outline import slug

_ESCAPED = re.compile(r"([\\`*_\[\]<>{}|!])")
_LINE_START = re.compile(r"^(\s*)([#>+=:~-]|\d+(?=[.)]))")


@dataclass
class Written:
    """The body's Markdown, and the figures that go in the front matter (``figures``)."""

    text: str
    figures: list[dict[str, object]] = field(default_factory=list)


class MarkdownWriter:
    def __init__(self, explicit: set[str] | None = None) -> None:
        self.explicit = explicit or set()  # heading ids to write as {#id}
        self.figures: list[dict[str, object]] = []

    # -- blocks ------------------------------------------------------------------------

    def document(self, blocks: tuple[m.Block, ...], notes: tuple[m.Note, ...]) -> Written:
        parts = [self.block(b) for b in blocks]
        for note in notes:
            parts.append(self.note(note))
        return Written("\n\n".join(p for p in parts if p) + "\n", self.figures)

    def blocks(self, blocks: tuple[m.Block, ...]) -> str:
        return "\n\n".join(p for p in (self.block(b) for b in blocks) if p)

    def block(self, block: m.Block) -> str:
        if isinstance(block, m.Paragraph):
            return self.inlines(block.children)
        if isinstance(block, m.Heading):
            text = "#" * min(block.level, 6) + " " + _line_start(
                self.inlines(block.children, cell=True))
            if block.ident and (block.ident in self.explicit
                                or block.ident != slug(m.plain_text(block.children))):
                return f"{{#{block.ident}}}\n{text}"
            return text
        if isinstance(block, m.BlockQuote):
            inner = self.blocks(block.blocks)
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if isinstance(block, m.ListBlock):
            return self.list_block(block)
        if isinstance(block, m.CodeBlock):
            fence = "`" * max(3, _longest_run(block.text, "`") + 1)
            return f"{fence}\n{block.text}\n{fence}"
        if isinstance(block, m.ThematicBreak):
            return "* * *"
        if isinstance(block, m.Table):
            return self.table(block)
        if isinstance(block, m.Figure):
            return self.figure(block)
        if isinstance(block, m.PollBlock):
            return f"::: poll {block.poll.id}\n:::"
        if isinstance(block, m.Callout):
            return f"::: {block.role} {block.related_id}\n:::"
        raise TypeError(f"no Markdown for {type(block).__name__}")

    def list_block(self, block: m.ListBlock) -> str:
        out = []
        tight = all(isinstance(item[0], m.Paragraph) and all(
            isinstance(b, m.ListBlock) for b in item[1:]) for item in block.items if item)
        for index, item in enumerate(block.items):
            marker = f"{block.start + index}. " if block.ordered else "- "
            pad = " " * len(marker)
            body = "\n".join(self.block(b) for b in item) if tight else self.blocks(item)
            lines = body.split("\n") if body else [""]
            text = marker + lines[0] + "".join(
                f"\n{pad}{line}" if line else "\n" for line in lines[1:])
            out.append(text)
        return ("\n" if tight else "\n\n").join(out)

    def table(self, table: m.Table) -> str:
        def row(cells: tuple[m.Cell, ...]) -> str:
            return "| " + " | ".join(self.inlines(c, cell=True) or " " for c in cells) + " |"

        marks = {"left": ":---", "right": "---:", "center": ":---:"}
        lines = [row(table.header),
                 "| " + " | ".join(marks.get(a, "---") for a in table.align) + " |"]
        lines += [row(r) for r in table.rows]
        text = "\n".join(lines)
        if table.ident:
            text = f"{{#{table.ident}}}\n{text}"
        if table.caption:
            text += "\n\nTable: " + self.inlines(table.caption).lstrip()
        return text

    def figure(self, figure: m.Figure) -> str:
        plain = all(isinstance(n, m.Text) for n in figure.caption)
        if not figure.credit and plain and figure.width == 1.0:
            alt = _escape(figure.alt)
            title = m.plain_text(figure.caption).replace("\\", "\\\\").replace('"', '\\"')
            attrs = []
            if figure.ident:
                attrs.append(f"#{figure.ident}")
            if not figure.alt:
                attrs.append(".decorative")
            text = f"![{alt}]({figure.image.path}" + (f' "{title}"' if title else "") + ")"
            return text + (f"{{{' '.join(attrs)}}}" if attrs else "")
        ident = figure.ident or f"figure-{len(self.figures) + 1}"
        while any(f["id"] == ident for f in self.figures):
            ident += "-1"
        entry: dict[str, object] = {"id": ident, "src": figure.image.path, "alt": figure.alt}
        if figure.caption:
            entry["caption"] = self.inlines(figure.caption)
        if figure.credit:
            entry["credit"] = self.inlines(figure.credit)
        if figure.width != 1.0:
            entry["width"] = f"{round(figure.width * 100)}%"
        self.figures.append(entry)
        return f"::: figure {ident}\n:::"

    def note(self, note: m.Note) -> str:
        body = self.blocks(note.blocks) or "\u00a0"
        lines = body.split("\n")
        return f"[^{note.number}]: " + lines[0] + "".join(
            f"\n    {line}" if line else "\n" for line in lines[1:])

    # -- inlines -----------------------------------------------------------------------

    def inlines(self, nodes: tuple[m.Inline, ...], cell: bool = False) -> str:
        """Inlines as Markdown; ``cell``: on one line (a table cell, a heading)."""
        text = self._run(nodes, cell, False)
        if cell:
            return text
        return "\n".join(_line_start(line) for line in text.split("\n"))

    def _run(self, nodes: tuple[m.Inline, ...], cell: bool, in_strong: bool) -> str:
        return "".join(self.inline(n, i == 0 or i == len(nodes) - 1, cell, in_strong)
                       for i, n in enumerate(nodes))  # fmt: skip

    def inline(self, node: m.Inline, edge: bool, cell: bool, in_strong: bool) -> str:
        if isinstance(node, m.Text):
            return _escape(node.text.replace("\n", " "))
        if isinstance(node, m.Code):
            return _code(node.text.replace("|", "\\|") if cell else node.text)
        if isinstance(node, m.LineBreak):
            return " " if cell else "\\\n"
        if isinstance(node, m.NoteRef):
            return f"[^{node.number}]"
        children = node.children  # type: ignore[union-attr]
        inner = self._run(children, cell, isinstance(node, m.Strong))
        if isinstance(node, m.Strong):
            return f"**{inner}**"
        if isinstance(node, m.Emph):
            mark = "_" if in_strong and edge else "*"  # "***" would read the other way round
            return f"{mark}{inner}{mark}"
        if isinstance(node, m.Span):
            return f"[{inner}]{{lang={node.lang}}}"
        if isinstance(node, m.Link):
            url = node.url
            if re.search(r"[\s()<>]", url):
                url = "<" + url.replace(">", "%3E").replace("<", "%3C") + ">"
            return f"[{inner}]({url})"
        raise TypeError(f"no Markdown for {type(node).__name__}")


def _escape(text: str) -> str:
    return _ESCAPED.sub(r"\\\1", text)


def _line_start(line: str) -> str:
    """A line that Markdown would read as a heading, quote, list, rule or container with
    its first mark escaped."""
    match = _LINE_START.match(line)
    if not match:
        return line
    lead, mark = match.group(1), match.group(2)
    if mark.isdecimal():
        return f"{lead}{mark}\\{line[len(lead) + len(mark):]}"
    return f"{lead}\\{line[len(lead):]}"


def _code(text: str) -> str:
    ticks = "`" * (_longest_run(text, "`") + 1)
    pad = " " if (text.startswith(("`", " ")) or text.endswith(("`", " "))) and text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)
