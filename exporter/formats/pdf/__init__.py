"""The PDF format plugins: the print article PDF and the two-column print handout."""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from exporter.errors import FormatError
from exporter.formats import ExportOptions, Format, Rendered

if TYPE_CHECKING:
    from exporter.model import Article
    from exporter.style import StyleSheet


class PdfFormat(Format):
    """A print-ready article PDF (A4, or US Letter with ``--paper letter``)."""

    name = "pdf"
    suffix = ".pdf"
    media_type = "application/pdf"
    description = "print-ready article PDF with title block, poll chart, outline and metadata"
    default_style = "default"
    layout = "article"

    @classmethod
    def prepare(cls) -> None:
        import exporter.formats.pdf.render  # noqa: F401

    @classmethod
    def warm(cls, style: StyleSheet, langs: frozenset[str]) -> None:
        from exporter.formats.pdf.render import warm

        warm(style, langs)

    def write(
        self, article: Article, style: StyleSheet, options: ExportOptions, out: BinaryIO
    ) -> Rendered:
        from exporter.formats.pdf.fit import PageBudget
        from exporter.formats.pdf.render import render_pdf

        page = style.page
        budget = PageBudget(page.max_pages, page.min_body_size.pt) if page.max_pages else None
        rendered = render_pdf(article, style, options, out, layout=self.layout, budget=budget)
        if budget and rendered.pages and rendered.pages > budget.max_pages:
            overflow = (
                f"{self.name}: {article.slug} needs {rendered.pages} pages, more than the "
                f"{budget.max_pages} a handout should have, even with the body at "
                f"{budget.min_body_pt:g} pt; consider shortening it"
            )
            return Rendered(rendered.pages, (*rendered.warnings, overflow))
        return rendered

    def verify(self, data: bytes) -> None:
        super().verify(data)
        if not data.startswith(b"%PDF-"):
            raise FormatError(f"{self.name}: the edition does not start with a PDF header")
        if b"%%EOF" not in data[-1024:]:
            raise FormatError(f"{self.name}: the edition has no end-of-file marker (truncated?)")


class HandoutFormat(PdfFormat):
    """The whole article in two columns on a few A4 pages, with QR codes to the web editions."""

    name = "handout"
    suffix = "-handout.pdf"
    description = "two-column print handout with QR codes to the web editions"
    default_style = "handout"
    layout = "handout"
