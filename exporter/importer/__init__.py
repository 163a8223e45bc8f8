"""``exporter import``: a Word manuscript (.docx) as an article source, ``<out>/<slug>/
article.md`` with its ``figures/``; what the source cannot carry is reported, never dropped
in silence."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from exporter import model as m
from exporter.errors import Problem, SourceError
from exporter.importer.arrange import Arranged, arrange, described, restore_ids
from exporter.importer.context import Context
from exporter.importer.ids import named
from exporter.importer.markdown import MarkdownWriter
from exporter.importer.meta import Given, front_matter, properties
from exporter.importer.package import Manuscript, open_manuscript
from exporter.importer.pictures import column_width
from exporter.importer.read import StoryReader
from exporter.importer.report import Report
from exporter.importer.styles import Styles, source_lang
from exporter.importer.write import article_text, write_article
from exporter.importer.xml import qn, text_of
from exporter.languages import Languages
from exporter.source.outline import outline_levels

__all__ = ["Given", "Imported", "import_docx", "read_manuscript"]

_SUMMARY_HEADINGS = {"summary", "abstract", "резюме", "аннотация", "краткое содержание"}


@dataclass(frozen=True)
class Imported:
    """Where the article was written, and the report of what it could not carry."""

    path: Path
    figures: int
    notes: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Read:
    """A manuscript read: the front matter, the body's Markdown, the pictures to write."""

    data: dict[str, object]
    body: str
    pictures: list[tuple[str, bytes]]
    notes: int
    report: Report
    missing: list[str]


def import_docx(
    path: Path, out_dir: Path, given: Given | None = None, accept_changes: bool = False,
    force: bool = False,
) -> Imported:  # fmt: skip
    """Import the manuscript at ``path`` into ``out_dir``/<slug>/; a :class:`SourceError`
    (one line per problem, nothing written) when it cannot."""
    from exporter.source.images import ImageProblem, load_image
    from exporter.source.loader import display_path, load_source

    given = given or Given()
    shown = display_path(path)
    read = read_manuscript(path, shown, given, accept_changes)
    if read.missing:
        raise SourceError([Problem(shown, 1, 1, line) for line in read.missing])
    target = out_dir / str(read.data["slug"])

    def check(folder: Path) -> None:
        for ref, _ in read.pictures:
            try:
                load_image(folder, ref)
            except ImageProblem as exc:
                raise SourceError.at(shown, 1, 1, f"a picture of the manuscript is refused: "
                                     f"{exc}") from None  # fmt: skip
        try:
            load_source(folder / "article.md")
        except SourceError as exc:
            raise SourceError([
                Problem(shown, 1, 1, f"the imported source would not load ({p.message}, at "
                        f"article.md:{p.line}:{p.column})") for p in exc.problems
            ]) from None  # fmt: skip

    text = article_text(read.data, read.body, path.name)
    write_article(target, text, read.pictures, force, check)
    return Imported(target / "article.md", len(read.pictures), read.notes,
                    tuple(read.report.lines(shown)))  # fmt: skip


def read_manuscript(path: Path, shown: str, given: Given, accept_changes: bool = False) -> Read:
    """Everything an import writes, read from the manuscript (nothing is written)."""
    manuscript = open_manuscript(path, shown, accept_changes)
    doc = manuscript.doc
    styles = Styles(doc)
    word_lang = styles.word_lang or (doc.core_properties.language or "") or "en-US"
    lang = given.lang or source_lang(word_lang)
    custom, _ = properties(doc)
    others = [key[len("Title ("):-1] for key in custom if key.startswith("Title (")]
    report = Report()
    ctx = Context(styles, report, Languages(lang, tuple(dict.fromkeys([lang, *others]))),
                  word_lang, doc.part, {}, _comments(manuscript))  # fmt: skip
    column = column_width(doc)
    arranged = arrange(StoryReader(ctx, column).read(doc.element.body), ctx, lang)
    restore_ids(arranged, custom)
    arranged.blocks = described(arranged.blocks)
    notes = _notes(manuscript, ctx, column, lang)
    blocks = outline_levels(tuple(arranged.blocks))
    title_heading = ""
    has_title = any(i.kind == "title" for i in arranged.front) or bool(
        (doc.core_properties.title or "").strip()) or bool(given.title)
    if not has_title and blocks and isinstance(blocks[0], m.Heading):
        title_heading = m.plain_text(blocks[0].children)
        blocks = outline_levels(blocks[1:])
    blocks, summary_blocks = _summary_section(blocks, arranged)
    blocks, notes, explicit = named(blocks, notes, report, custom.get("Anchor ids", "").split())
    writer = MarkdownWriter(explicit)
    written = writer.document(blocks, notes)
    summary = [writer.inlines(i.content.inlines) for i in arranged.front
               if i.kind == "summary" and i.content] or [writer.block(b) for b in summary_blocks]
    front = front_matter(doc, arranged.front, lang, given, path.stem, title_heading,
                         writer.inlines, summary)  # fmt: skip
    data = front.data
    if arranged.related:
        data["related"] = arranged.related
    if written.figures:
        data["figures"] = written.figures
    if arranged.polls:
        data["polls"] = arranged.polls
    pictures = [(figure.image.path, figure.image.data) for figure, _ in arranged.pictures]
    return Read(data, written.text, pictures, len(notes), report, front.missing)


def _comments(manuscript: Manuscript) -> dict[str, str]:
    story = manuscript.story("comments")
    if story is None:
        return {}
    return {c.get(qn("w:id"), ""): " ".join(text_of(c).split())[:80]
            for c in story.findall(qn("w:comment"))}  # fmt: skip


def _notes(manuscript: Manuscript, ctx: Context, column: float,
           lang: str) -> tuple[m.Note, ...]:
    """Every note the text calls, footnotes and endnotes alike, numbered in call order
    (a note may call another; it is read in its turn)."""
    notes: list[m.Note] = []
    done = 0
    while done < len(ctx.notes):
        (kind, ident), number = list(ctx.notes.items())[done]
        done += 1
        story = manuscript.story(kind)
        tag = qn("w:footnote" if kind == "footnotes" else "w:endnote")
        node = next((n for n in story.findall(tag) if n.get(qn("w:id")) == ident),
                    None) if story is not None else None  # fmt: skip
        note_ctx = replace(ctx, part=manuscript.part_of(kind) or ctx.part,
                           story=f"note {number}", paragraph=0, words="", fields=[])
        if node is None:
            ctx.report.add(0, "", f"note {number} is called but missing from the Word file; "
                           "its text is empty")  # fmt: skip
            notes.append(m.Note(number, (m.Paragraph((m.Text("?"),)),)))
            continue
        arranged = arrange(StoryReader(note_ctx, column).read(node), note_ctx, lang)
        blocks = [b for b in arranged.blocks if not isinstance(b, m.Figure)]
        if len(blocks) < len(arranged.blocks):
            note_ctx.warn("a picture in a note (not kept: a figure stands in the body)")
        if arranged.front:
            blocks = [m.Paragraph(i.content.inlines) for i in arranged.front if i.content] + blocks
        notes.append(m.Note(number, tuple(blocks) or (m.Paragraph((m.Text("?"),)),)))
    return tuple(notes)


def _summary_section(
    blocks: tuple[m.Block, ...], arranged: Arranged
) -> tuple[tuple[m.Block, ...], tuple[m.Block, ...]]:
    """Without a Summary-style paragraph, a first section headed "Abstract" or "Summary"
    is the summary (taken out of the body)."""
    if any(i.kind == "summary" for i in arranged.front):
        return blocks, ()
    for at, block in enumerate(blocks):
        if isinstance(block, m.Heading) and (
                m.plain_text(block.children).strip().lower().rstrip(":") in _SUMMARY_HEADINGS):
            end = at + 1
            while end < len(blocks) and isinstance(blocks[end], m.Paragraph):
                end += 1
            if end > at + 1:
                return blocks[:at] + blocks[end:], blocks[at + 1:end]
        if isinstance(block, m.Heading):
            break
    return blocks, ()

