"""The Crossref deposit: the metadata a publisher sends Crossref to register (or update)
an article's DOI, made for articles that have one and only when asked for by name."""

from __future__ import annotations

from exporter.formats import Format


class CrossrefFormat(Format):
    """The article as a Crossref deposit (schema 5.3.1): a report with its titles,
    contributors, date, licence, landing page and the DOIs of the works it cites."""

    name = "crossref"
    display_name = "Crossref deposit"
    suffix = ".crossref.xml"
    media_type = "application/xml"
    description = "a Crossref DOI deposit (schema 5.3.1); needs a DOI and [publisher] settings"
    kind = "deposit"
    renderer = "exporter.formats.crossref.deposit:render_deposit"
