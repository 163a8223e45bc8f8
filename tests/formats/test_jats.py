"""The JATS edition: valid against the JATS schema (Archiving and Interchange 1.3, the
schema files in ``tests/schemas/jats``), and read back by a JATS reader that is not the
writer (pandoc's ``-f jats``) with every paragraph, note, cell and caption in order."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html
from readers import xml_schema

from conftest import ROOT, missing_as_written
from exporter.cli import cli
from exporter.edition import poll_view
from exporter.model import (
    Article,
    Bibliography,
    Figure,
    PollBlock,
    block_texts,
    note_texts,
    plain_text,
)
from exporter.source import load_article
from exporter.walk import blocks

SCHEMA = ROOT / "tests" / "schemas" / "jats" / "JATS-archivearticle1-3-mathml3.xsd"
SOURCES = {
    "tajikistan-choice-amid-sanctions": ROOT / "source" / "tajikistan-choice-amid-sanctions",
    "a4-and-letter": ROOT / "source" / "a4-and-letter",  # figures, a table, notes, references
    "volunteer-survey-2025": ROOT / "tests" / "fixtures" / "reports" / "survey-en",
    "obrashcheniya-2025": ROOT / "tests" / "fixtures" / "reports" / "rights-ru",
    "spaghetti-joss-2021": ROOT / "tests" / "citations" / "spaghetti-joss-2021",
}
PANDOC = shutil.which("pandoc")
NS = {"xlink": "http://www.w3.org/1999/xlink", "ali": "http://www.niso.org/schemas/ali/1.0/"}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("jats")
    result = CliRunner().invoke(cli, ["jats", *map(str, SOURCES.values()), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return xml_schema(SCHEMA)


def article_of(slug: str) -> Article:
    return load_article(SOURCES[slug] / "article.md")


@pytest.mark.parametrize("slug", SOURCES)
def test_the_jats_file_is_valid_against_the_schema(made, schema, slug):
    document = etree.parse(str(made / f"{slug}.jats.xml"), etree.XMLParser(no_network=True))
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log[:10])
    assert document.docinfo.public_id.startswith("-//NLM//DTD JATS (Z39.96) Journal Archiving")


def _read_back(path: Path) -> str:
    """The text pandoc reads from the JATS file, as HTML's text in document order (notes
    last, each call its number; superscripts as the digits they are)."""
    out = subprocess.run([PANDOC, "-f", "jats", "-t", "html", str(path)],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    text = lxml_html.fromstring(f"<div>{out}</div>").text_content()
    return unicodedata.normalize("NFKC", text)


def _read(blocks_: tuple) -> tuple:
    """The blocks pandoc 2.17 reads from JATS as written: a figure without its credit
    (``attrib``, which it drops) and no works cited (it parses ``mixed-citation`` into
    fields and sets them again in a style of its own); both are checked in the XML."""
    return tuple(replace(b, credit=()) if isinstance(b, Figure) else b for b in blocks_
                 if not isinstance(b, Bibliography))  # fmt: skip


@pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")
@pytest.mark.parametrize("slug", SOURCES)
def test_pandoc_reads_back_every_paragraph_cell_caption_and_note(made, slug):
    article = article_of(slug)
    text = _read_back(made / f"{slug}.jats.xml")
    body = _read(article.body)
    nfkc = [unicodedata.normalize("NFKC", t) for t in block_texts(body, calls=True)]
    problems = missing_as_written(text, [t for t in nfkc if t.strip()])
    notes = [unicodedata.normalize("NFKC", t) for t in note_texts(article.footnotes)]
    problems += missing_as_written(text, [t for t in notes if t.strip()])
    for block in blocks(article.body):
        if isinstance(block, PollBlock):
            view = poll_view(block.poll, article.lang)
            problems += missing_as_written(text, [view.question, *(r.label for r in view.rows),
                                                  view.caption])  # fmt: skip
    assert not problems, "\n".join(problems[:5])


@pytest.mark.parametrize("slug", SOURCES)
def test_credits_and_works_cited_are_in_the_xml_as_written(made, slug):
    """What pandoc does not read back as written: each figure's credit (``attrib``) and
    each work cited (``mixed-citation``), read with lxml, in order."""
    article = article_of(slug)
    root = etree.parse(str(made / f"{slug}.jats.xml")).getroot()
    credits = [plain_text(b.credit) for b in blocks(article.body)
               if isinstance(b, Figure) and b.credit]  # fmt: skip
    assert ["".join(a.itertext()) for a in root.iter("attrib")] == credits
    cited = [plain_text(e.children) for b in blocks(article.body)
             if isinstance(b, Bibliography) for e in b.entries]  # fmt: skip
    assert ["".join(c.itertext()) for c in root.iter("mixed-citation")] == cited


def test_the_front_matter_carries_both_languages_and_every_contributor(made):
    root = etree.parse(str(made / "tajikistan-choice-amid-sanctions.jats.xml")).getroot()
    meta = root.find("front/article-meta")
    assert meta.findtext("title-group/article-title") == (
        "Does Tajikistan Have a Choice Amid Anti-Russian Sanctions?")
    (trans,) = meta.findall("title-group/trans-title-group")
    assert trans.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    assert trans.findtext("trans-title") == article_of(
        "tajikistan-choice-amid-sanctions").title.get("ru")
    (contrib,) = meta.findall("contrib-group/contrib")
    assert contrib.findtext("name/surname") == "Makhmutova"
    assert contrib.findtext("name/given-names") == "Evgeniya"
    assert contrib.findtext("string-name") == "Евгения Махмутова (Войко)"
    aff = meta.find(f"aff[@id='{contrib.find('xref').get('rid')}']")
    assert aff.text.startswith("PhD in Political Science")
    assert meta.find("pub-date").get("iso-8601-date") == "2022-08-30"
    assert len(meta.findall("abstract/p")) == 4
    assert [k.text for k in meta.findall("kwd-group/kwd")][:2] == ["Tajikistan", "Russia"]


def test_doi_orcid_licence_series_and_references(tmp_path):
    """An article with a DOI, an author's ORCID, a licence, a series and works cited."""
    source = SOURCES["spaghetti-joss-2021"]
    result = CliRunner().invoke(cli, ["jats", str(source), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    root = etree.parse(str(tmp_path / "spaghetti-joss-2021.jats.xml")).getroot()
    article = article_of("spaghetti-joss-2021")
    meta = root.find("front/article-meta")
    if article.doi:
        assert meta.findtext("article-id[@pub-id-type='doi']") == article.doi
    orcids = [a.orcid for a in article.authors if a.orcid]
    assert [c.text.rsplit("/", 1)[-1] for c in
            meta.findall("contrib-group/contrib/contrib-id[@contrib-id-type='orcid']")] == orcids
    if article.license_url:
        assert meta.findtext("permissions/license/ali:license_ref", namespaces=NS) == (
            article.license_url)
    refs = root.findall("back/ref-list/ref")
    (bibliography,) = [b for b in blocks(article.body) if isinstance(b, Bibliography)]
    assert len(refs) == len(bibliography.entries) == 18
    linked = {x.get("rid") for x in root.iter("xref") if x.get("ref-type") == "bibr"}
    assert linked <= {r.get("id") for r in refs}
