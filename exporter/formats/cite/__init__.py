"""The citation files: the article as one reference, for a reader's reference manager
(BibTeX, RIS) and for citation processors (CSL-JSON), from the shared metadata view."""

from __future__ import annotations

from exporter.formats import Format


class BibtexFormat(Format):
    """The article as a BibTeX entry (what LaTeX, JabRef and Zotero import)."""

    name = "bib"
    display_name = "BibTeX"
    suffix = ".bib"
    media_type = "application/x-bibtex"
    description = "the article as a BibTeX entry, for LaTeX and reference managers"
    kind = "citation"
    renderer = "exporter.formats.cite.records:render_bibtex"


class RisFormat(Format):
    """The article as an RIS record (what EndNote, Mendeley and Zotero import)."""

    name = "ris"
    display_name = "RIS"
    suffix = ".ris"
    media_type = "application/x-research-info-systems"
    description = "the article as an RIS record, for EndNote, Mendeley and Zotero"
    kind = "citation"
    renderer = "exporter.formats.cite.records:render_ris"


class CslJsonFormat(Format):
    """The article as a CSL-JSON item (what citeproc processors and pandoc read)."""

    name = "csl-json"
    display_name = "CSL-JSON"
    suffix = ".csl.json"
    media_type = "application/vnd.citationstyles.csl+json"
    description = "the article as a CSL-JSON item, for pandoc and citation processors"
    kind = "citation"
    renderer = "exporter.formats.cite.records:render_csl_json"
