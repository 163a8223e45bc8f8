"""The JATS format: the article as JATS XML (NISO Z39.96, Archiving and Interchange 1.3),
what repositories and archives ingest and Crossref's similarity check reads."""

from __future__ import annotations

from exporter.formats import Format


class JatsFormat(Format):
    """The article in JATS: front matter in both languages, the body in sections, its
    notes and works cited in the back."""

    name = "jats"
    display_name = "JATS XML"
    suffix = ".jats.xml"
    media_type = "application/jats+xml"
    description = "JATS XML (Archiving 1.3) for repositories and archives"
    kind = "record"
    renderer = "exporter.formats.jats.article:render_jats"
