"""The HTML edition plugin: one self-contained HTML5 page for the web, from the shared XHTML
renderer and edition layer."""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from exporter.errors import FormatError
from exporter.formats import ExportOptions, Format, Rendered

if TYPE_CHECKING:
    from exporter.model import Article
    from exporter.style import StyleSheet


class HtmlFormat(Format):
    """A single HTML5 file: CSS from the style sheet, subset WOFF2 fonts inside, no links out
    but the article's own."""

    name = "html"
    suffix = ".html"
    media_type = "text/html"
    description = "self-contained HTML5 page for the web, fonts and chart inside"
    default_style = "default"

    @classmethod
    def prepare(cls) -> None:
        import exporter.formats.html.page  # noqa: F401

    def write(
        self, article: Article, style: StyleSheet, options: ExportOptions, out: BinaryIO
    ) -> Rendered:
        from exporter.formats.html.page import render_html

        out.write(render_html(article, style, options))
        return Rendered()

    def verify(self, data: bytes) -> None:
        super().verify(data)
        if not data.startswith(b"<!DOCTYPE html>") or b"</html>" not in data[-64:]:
            raise FormatError(f"{self.name}: the edition is not a whole HTML document")
