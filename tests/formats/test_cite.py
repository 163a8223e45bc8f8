"""The citation files (BibTeX, RIS, CSL-JSON) read back by readers that are not the
writer: pybtex and pandoc for BibTeX, rispy for RIS, pandoc and citeproc-py for CSL-JSON;
and the web page that offers them."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import rispy
from click.testing import CliRunner
from lxml import html as lxml_html
from pybtex.database import parse_file

from exporter.cli import cli
from exporter.formats import citation_names, load_format

# specials LaTeX would take for commands, a Cyrillic translation, an organisation and an
# editor, a DOI with LaTeX specials in it, a series with its number
FRONT = """---
slug: grain-corridor
lang: en
title:
  en: "Grain & Fuel: 50% of #1 Exports_2023 ~ {Costs} at $5^2 \\\\ Reality"
  ru: "Зерно и топливо: «половина» экспорта"
authors:
  - name:
      en: "Anna Maria Ivanova"
    file-as: "Ivanova, Anna Maria"
    orcid: "0000-0002-1825-0097"
  - name:
      en: "Eurasia Research Group"
    organisation: true
  - name:
      en: "Pyotr Smirnov"
    role: editor
publisher:
  name:
    en: "Institute of Examples"
web:
  en: "https://example.org/en/grain-corridor"
  ru: "https://example.org/ru/grain-corridor"
doi: "10.1234/grain_2023.5%x"
series:
  name:
    en: "Policy Briefs"
  number: "12"
keywords: [grain, fuel, exports]
published: 2023-11-07
summary: "Exports doubled & costs fell."
---
The body.
"""
TITLE = "Grain & Fuel: 50% of #1 Exports_2023 ~ {Costs} at $5^2 \\ Reality"
PANDOC = shutil.which("pandoc")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cite")
    (root / "grain-corridor").mkdir()
    (root / "grain-corridor" / "article.md").write_text(FRONT, encoding="utf-8")
    out = root / "dist"
    result = CliRunner().invoke(cli, ["all", str(root / "grain-corridor"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_every_citation_format_is_made_by_all(dist):
    names = citation_names()
    assert {"bib", "ris", "csl-json"} <= set(names)
    for name in names:
        assert (dist / load_format(name).filename("grain-corridor")).stat().st_size > 200


def test_bibtex_reads_back_in_pybtex(dist):
    entry = parse_file(dist / "grain-corridor.bib", "bibtex").entries["grain-corridor"]
    assert entry.type == "techreport"
    assert [str(p) for p in entry.persons["author"]] == ["Ivanova, Anna Maria",
                                                         "{Eurasia Research Group}"]  # fmt: skip
    assert [str(p) for p in entry.persons["editor"]] == ["Smirnov, Pyotr"]
    fields = entry.fields
    assert fields["year"] == "2023" and fields["date"] == "2023-11-07"
    assert fields["institution"] == "Institute of Examples"
    assert fields["series"] == "Policy Briefs" and fields["number"] == "12"
    assert fields["doi"] == "10.1234/grain_2023.5%x"  # verbatim, as biblatex reads it
    assert fields["url"] == "https://example.org/en/grain-corridor"
    assert fields["langid"] == "english"


@pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")
@pytest.mark.parametrize("reader", ["bibtex", "biblatex"])
def test_bibtex_reads_back_in_pandoc_as_written(dist, reader):
    """pandoc decodes the LaTeX: the title comes back character for character."""
    out = subprocess.run([PANDOC, "-f", reader, "-t", "csljson",
                          str(dist / "grain-corridor.bib")],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    (item,) = json.loads(out)
    assert item["title"] == TITLE
    assert item["author"][0] == {"family": "Ivanova", "given": "Anna Maria"}
    assert item["author"][1] == {"literal": "Eurasia Research Group"}
    assert item["issued"]["date-parts"][0][:2] == [2023, 11]
    assert item["DOI"] == "10.1234/grain_2023.5%x"


def test_ris_reads_back_in_rispy(dist):
    raw = (dist / "grain-corridor.ris").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CR LF line ends, as RIS asks
    (record,) = rispy.loads(raw.decode("utf-8"))
    assert record["type_of_reference"] == "RPRT"
    assert record["title"] == TITLE
    assert record["translated_title"] == "Зерно и топливо: «половина» экспорта"
    assert record["authors"] == ["Ivanova, Anna Maria", "Eurasia Research Group"]
    assert record["secondary_authors"] == ["Smirnov, Pyotr"]
    assert record["year"] == "2023" and record["date"] == "2023/11/07"
    assert record["publisher"] == "Institute of Examples"
    assert record["doi"] == "10.1234/grain_2023.5%x"
    assert record["urls"] == ["https://example.org/en/grain-corridor"]
    assert record["keywords"] == ["grain", "fuel", "exports"]
    assert record["language"] == "en"


def test_csl_json_reads_back_in_citeproc(dist):
    """citeproc-py formats the item in the shipped Chicago author-date style as a reader's
    reference list would show it."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    from exporter.source.citations import SHIPPED

    items = json.loads((dist / "grain-corridor.csl.json").read_text(encoding="utf-8"))
    style = CitationStylesStyle(str(SHIPPED / "chicago-author-date.csl"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem("grain-corridor")]))
    (entry,) = [str(e) for e in bibliography.bibliography()]
    # (given names initialised or not: the toolkit's corrections to citeproc-py may be loaded)
    assert re.match(rf"Ivanova, A(\. M\.|nna Maria), and Eurasia Research Group\. 2023\. "
                    rf"{re.escape(TITLE)}\. No\. 12\. Edited by P(\.|yotr) Smirnov\. "
                    r"Policy Briefs\. Institute of Examples\.", entry), entry
    assert entry.endswith("https://doi.org/10.1234/grain_2023.5%x.")


@pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")
def test_csl_json_reads_back_in_pandoc(dist):
    out = subprocess.run([PANDOC, "-f", "csljson", "-t", "csljson",
                          str(dist / "grain-corridor.csl.json")],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    (item,) = json.loads(out)
    assert item["title"] == TITLE and item["type"] == "report"
    assert item["collection-title"] == "Policy Briefs" and item["number"] == "12"
    assert item["editor"] == [{"family": "Smirnov", "given": "Pyotr"}]


def test_the_web_page_offers_every_citation_file(dist):
    """After "How to cite": one link a citation file, the file itself inside the link (a
    copied page still offers them), the same bytes as the file beside the page."""
    page = lxml_html.parse(str(dist / "grain-corridor.html")).getroot()
    (para,) = page.find_class("cite-files")
    assert para.getprevious().get("class") == "meta cite"
    shown = " · ".join(load_format(n).display_name for n in citation_names())
    assert para.text_content() == f"Download the citation: {shown}"
    assert {"BibTeX", "RIS", "CSL-JSON"} <= set(shown.split(" · "))
    links = para.findall(".//a")
    assert [a.get("download") for a in links] == [
        load_format(n).filename("grain-corridor") for n in citation_names()]
    for link in links:
        head, data = link.get("href").split(";base64,")
        assert head.startswith(f"data:{link.get('type')}")
        assert base64.b64decode(data) == (dist / link.get("download")).read_bytes()


def test_a_russian_article_offers_them_in_russian(tmp_path):
    source = tmp_path / "ru-article"
    source.mkdir()
    text = FRONT.replace("lang: en", "lang: ru").replace("slug: grain-corridor",
                                                        "slug: ru-article")  # fmt: skip
    (source / "article.md").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["html", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    page = lxml_html.parse(str(tmp_path / "out" / "ru-article.html")).getroot()
    (para,) = page.find_class("cite-files")
    assert para.text_content().startswith("Скачать библиографическую запись: BibTeX")
    (link,) = [a for a in para.findall(".//a") if a.get("download").endswith(".ris")]
    ris = base64.b64decode(link.get("href").split(",")[1]).decode()
    (record,) = rispy.loads(ris)
    assert record["title"] == "Зерно и топливо: «половина» экспорта"  # the edition's language
    assert record["language"] == "ru"
