"""The HTML edition plugin: one self-contained HTML5 page for the web, from the shared XHTML
renderer and edition layer."""

from __future__ import annotations

from exporter.errors import FormatError
from exporter.formats import Format


class HtmlFormat(Format):
    """A single HTML5 file: CSS from the style sheet, subset WOFF2 fonts inside, no links out
    but the article's own."""

    name = "html"
    suffix = ".html"
    media_type = "text/html"
    description = "self-contained HTML5 page for the web, fonts and chart inside"
    renderer = "exporter.formats.html.page:render_html"

    def verify(self, data: bytes) -> None:
        super().verify(data)
        if not data.startswith(b"<!DOCTYPE html>") or b"</html>" not in data[-64:]:
            raise FormatError(f"{self.name}: the edition is not a whole HTML document")
