"""Builds the article PDF and the handout: page geometry, frames, story, one layout pass."""

from __future__ import annotations

import io
from typing import BinaryIO

from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, PageBreak, Spacer
from reportlab.platypus.doctemplate import LayoutError

from exporter.edition import full_citation, link_notes
from exporter.errors import FormatError
from exporter.formats import ExportOptions, Rendered
from exporter.formats.pdf.fit import PageBudget, fitted
from exporter.formats.pdf.floats import floating
from exporter.formats.pdf.fonts import register_fonts
from exporter.formats.pdf.metadata import document_info
from exporter.formats.pdf.online import read_online_panel
from exporter.formats.pdf.pages import (
    EditionDocTemplate,
    Furniture,
    PageLimitExceeded,
    frame,
    furnished_canvas,
    page_templates,
)
from exporter.formats.pdf.story import (
    body_flowables,
    colophon_flowables,
    foot_notes,
    links_section,
    notes_section,
    summary_panel,
    title_block,
)
from exporter.formats.pdf.styles import PdfStyles
from exporter.formats.pdf.tables import TableTooWide, WidePlace
from exporter.formats.pdf.tagging import StructureTree
from exporter.labels import author_list
from exporter.measure import measured
from exporter.model import Article
from exporter.style import PageStyle, StyleSheet


def render_pdf(
    article: Article,
    style: StyleSheet,
    options: ExportOptions,
    out: BinaryIO,
    layout: str,
    budget: PageBudget | None = None,
    tagged: bool = True,
) -> Rendered:
    """Write the ``layout`` ("article" or "handout") edition of ``article`` to ``out``.

    Each candidate is laid out once ("Page X of Y" is drawn when the document is saved).
    With a ``budget``, the text is set smaller (see ``fit.fitted``) until the edition fits
    its pages or the body reaches the budget's smallest size; a trial that runs past the
    budget stops there. The edition is a tagged PDF (PDF/UA-1) and, unless the style turns
    it off, archival (PDF/A-2a); ``tagged=False`` leaves the tags out (and claims PDF/A-2b),
    which only the benchmark does, to measure what they cost.
    """
    style = measured(style, article)  # a measure in characters, for this article's text
    fonts = register_fonts(style)
    edition = "handout" if layout == "handout" else "pdf"
    info = document_info(article, options.build_time(article), edition, tagged, style.pdfa)
    build = _handout if layout == "handout" else _article

    def laid_out(candidate: StyleSheet, limit: int) -> tuple[tuple[bytes, list[str]], int]:
        buffer = io.BytesIO()
        styles = PdfStyles(candidate, fonts, article.lang)
        try:
            pages = build(article, styles, info, buffer, limit, tagged)
        except PageLimitExceeded:
            return (b"", []), limit + 1
        return (buffer.getvalue(), styles.warnings), pages

    try:
        (data, warnings), pages = fitted(laid_out, style, budget)
    except LayoutError as exc:
        raise FormatError(f"{layout}: the content does not fit the page: {exc}") from exc
    except TableTooWide as exc:
        raise FormatError(f"{edition}: {article.slug}: {exc}") from None
    out.write(data)
    return Rendered(pages=pages, warnings=tuple(f"{edition}: {w}" for w in dict.fromkeys(warnings)))


def _columns(page: PageStyle, top: float, bottom: float, prefix: str) -> list:
    """``page.columns`` frames side by side between ``bottom`` and ``top`` (y from the foot)."""
    count, gap, width = max(page.columns, 1), page.column_gap.pt, page.column_width.pt
    return [
        frame(page.margin_left.pt + i * (width + gap), bottom, width, top - bottom, f"{prefix}{i}")
        for i in range(count)
    ]


def wide_place(
    page: PageStyle, top: float, bottom: float, back: str
) -> tuple[dict, dict, WidePlace]:
    """The wider place a table too wide for its column gets: the whole text width on a page
    of its own where the page has several columns, else a landscape page; its frames (by
    template), its page size (by template) and the place."""
    text = page.text_width.pt
    if page.columns > 1:
        frames = {"wide": [frame(page.margin_left.pt, bottom, text, top - bottom, "wide")]}
        return frames, {}, WidePlace("wide", back, text)
    width = page.landscape_text_width.pt
    height = page.width.pt - page.margin_top.pt - page.margin_bottom.pt
    frames = {"landscape": [frame(page.margin_left.pt, page.margin_bottom.pt, width, height,
                                  "landscape")]}  # fmt: skip
    return frames, {"landscape": (page.height.pt, page.width.pt)}, WidePlace("landscape", back,
                                                                              width)


def _document(
    out: BinaryIO,
    article: Article,
    styles: PdfStyles,
    info: object,
    frames: dict[str, list],
    limit: int,
    sizes: dict[str, tuple[float, float]] | None = None,
) -> EditionDocTemplate:
    page = styles.sheet.page
    return EditionDocTemplate(
        out,
        article,
        info,  # type: ignore[arg-type]
        page_limit=limit,
        pagesize=(page.width.pt, page.height.pt),
        leftMargin=page.margin_left.pt,
        rightMargin=page.outer_margin.pt,
        topMargin=page.margin_top.pt,
        bottomMargin=page.margin_bottom.pt,
        pageTemplates=page_templates(frames, sizes or {}),
        initialFontName=styles.font("body"),
        initialFontSize=styles.role("body").size.pt,
        initialLeading=styles.role("body").leading.pt,
    )


def _article(
    article: Article, styles: PdfStyles, info: object, out: BinaryIO, limit: int, tagged: bool
) -> int:
    page = styles.sheet.page
    structure = StructureTree(notes_at_calls=True)
    names = article.author_names()
    furniture = Furniture(
        header_left=(article.running_title(),),
        header_right=(author_list(names, article.lang), author_list(names, article.lang, True)),
        footer_left=(article.publisher.name.in_lang(article.lang),),
        from_page=page.header_from_page,
        lang=article.lang,
    )
    top, bottom = page.height.pt - page.margin_top.pt, page.margin_bottom.pt
    wide_frames, sizes, wide = wide_place(page, top, bottom, "pages")
    frames = {"pages": _columns(page, top, bottom, "col"), **wide_frames}
    doc = _document(out, article, styles, info, frames, limit, sizes)
    width = page.column_width.pt
    links = link_notes(article)
    at_foot = styles.sheet.link_notes == "foot"
    notes = foot_notes(article, styles, width, structure, links, at_foot)
    for column in (*frames["pages"], *(f for fs in wide_frames.values() for f in fs)):
        column.footnotes = notes
    story = title_block(article, styles, structure)
    story += summary_panel(article, styles, width, structure, links)
    if styles.sheet.colophon == "title-verso":
        story += _title_verso(article, styles, structure, width, top - bottom)
    story += body_flowables(article, styles, width, top - bottom, structure, wide, links)
    if not at_foot:
        story += links_section(article, styles, width, structure, links)
    story += floating(read_online_panel(article, styles, width, _qr_size(page, width), True,
                                        structure))  # fmt: skip
    if styles.sheet.colophon != "title-verso":
        story += colophon_flowables(article, styles, structure)
    doc.build(story, canvasmaker=furnished_canvas(styles, furniture, structure if tagged else None))
    return doc.page_count


def _handout(
    article: Article, styles: PdfStyles, info: object, out: BinaryIO, limit: int, tagged: bool
) -> int:
    """The handout: title matter across the page, then two columns read one after the
    other (the summary and the read-online panel first, the notes last)."""
    page = styles.sheet.page
    structure = StructureTree(notes_at_calls=False)
    furniture = Furniture(
        header_left=(),
        header_right=(),
        footer_left=citations(article),
        from_page=page.header_from_page,
        lang=article.lang,
    )
    full = page.text_width.pt
    head = title_block(article, styles, structure)
    head_height = _stack_height(head, full)
    top, bottom = page.height.pt - page.margin_top.pt, page.margin_bottom.pt
    split = top - head_height
    frames = {
        "first": [
            frame(page.margin_left.pt, split, full, head_height, "head"),
            *_columns(page, split - page.column_gap.pt / 2, bottom, "first"),
        ],
        "later": _columns(page, top, bottom, "col"),
    }
    wide_frames, sizes, wide = wide_place(page, top, bottom, "later")
    frames.update(wide_frames)
    doc = _document(out, article, styles, info, frames, limit, sizes)
    width = page.column_width.pt
    story: list[Flowable] = [NextPageTemplate("later"), *head, FrameBreak()]
    links = link_notes(article)
    story += summary_panel(article, styles, width, structure, links)
    story += floating(read_online_panel(article, styles, width, _qr_size(page, width), False,
                                        structure))  # fmt: skip
    story += body_flowables(article, styles, width, top - bottom, structure, wide, links)
    story += notes_section(article, styles, width, structure, links)
    story += links_section(article, styles, width, structure, links)
    story += colophon_flowables(article, styles, structure, cite=False)
    doc.build(story, canvasmaker=furnished_canvas(styles, furniture, structure if tagged else None))
    return doc.page_count


def _title_verso(
    article: Article, styles: PdfStyles, structure: StructureTree, width: float, height: float
) -> list[Flowable]:
    """The colophon on a page of its own after the title page, at its foot, as books set
    their imprint; the text begins on the next page."""
    colophon = colophon_flowables(article, styles, structure, together=False)
    room = height - _stack_height(colophon, width) - 2.0
    return [PageBreak(), Spacer(0, max(room, 0.0)), *colophon, PageBreak()]


def citations(article: Article) -> tuple[str, ...]:
    """The handout's citation line, longest first: every author, then the first and "et
    al.", then without the series, then without the DOI too (the first that fits is used)."""
    return (
        full_citation(article),
        full_citation(article, short=True),
        full_citation(article, short=True, series=False),
        full_citation(article, short=True, series=False, doi=False),
    )


def _stack_height(flowables: list[Flowable], width: float) -> float:
    """The height ``flowables`` take stacked in a frame ``width`` wide, with slack for rounding."""
    height = 0.0
    for i, flowable in enumerate(flowables):
        height += flowable.wrap(width, 10_000)[1] + flowable.getSpaceAfter()
        if i:
            height += flowable.getSpaceBefore()
    return height + 1.0


def _qr_size(page: PageStyle, width: float) -> float:
    """QR codes: half a column wide, at most a sixth of the page width."""
    return min(width * 0.42, page.width.pt / 6)


def warm(style: StyleSheet, langs: frozenset[str]) -> None:
    """What every PDF in ``style`` loads first: its fonts, the hyphenation patterns of
    ``langs``, and the libraries for figures and the output intent."""
    import svglib.svglib  # noqa: F401
    from PIL import ImageCms  # noqa: F401

    from exporter.formats.pdf.linebreak import _dictionary

    register_fonts(style)
    for lang in sorted(langs):
        _dictionary(lang)
