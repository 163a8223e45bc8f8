"""The Crossref deposit: valid against Crossref's deposit schema 5.3.1 (the files in
``tests/schemas/crossref``), carrying what the source says (titles, contributors with ORCID,
date, licence, DOI, landing page), and the DOIs of the works cited as the bibliography file
gives them (read with pybtex, not through the toolkit). Refused, with the line to fix, for
an article without a DOI or a web address and for a style without a depositor."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from pybtex.database import parse_file
from readers import xml_schema

from conftest import ROOT
from exporter.cli import cli
from exporter.formats import default_names, load_format
from exporter.model import plain_text
from exporter.source import load_article
from exporter.source.citations import _ref_id as reference_id

SCHEMA = ROOT / "tests" / "schemas" / "crossref" / "crossref5.3.1.xsd"
NS = {"c": "http://www.crossref.org/schema/5.3.1", "jats": "http://www.ncbi.nlm.nih.gov/JATS1",
      "ai": "http://www.crossref.org/AccessIndicators.xsd"}  # fmt: skip
# article → (its folder, what its front matter gains: a DOI, and a web address if it has none)
SOURCES = {
    "tajikistan-choice-amid-sanctions": (ROOT / "source" / "tajikistan-choice-amid-sanctions",
                                         "doi: 10.5555/riac.2022.0830\n"),
    "obrashcheniya-2025": (ROOT / "tests" / "fixtures" / "reports" / "rights-ru",
                           "doi: 10.5555/exporter.ru.2025\n"
                           "web: {ru: \"https://example.org/obrashcheniya-2025/\"}\n"),
    "spaghetti-joss-2021": (ROOT / "tests" / "citations" / "spaghetti-joss-2021",
                            "web: {en: \"https://joss.theoj.org/papers/10.21105/joss.02826\"}\n"),
}
HOUSE = """name = "house"
extends = "default"
[publisher]
depositor = "Exporter sample publications"
email = "doi@example.org"
files = "https://example.org/files/"
"""


def _with_front_matter(folder: Path, target: Path, extra: str) -> Path:
    """A copy of the article folder whose front matter gains ``extra`` before ``published``."""
    shutil.copytree(folder, target)
    source = target / "article.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\npublished:", f"\n{extra}published:", 1), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("style") / "house.toml"
    path.write_text(HOUSE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sources")
    return {slug: _with_front_matter(folder, root / slug, extra)
            for slug, (folder, extra) in SOURCES.items()}  # fmt: skip


@pytest.fixture(scope="module")
def made(tmp_path_factory, sources, house) -> Path:
    out = tmp_path_factory.mktemp("crossref")
    args = ["crossref", *map(str, sources.values()), "--style", str(house), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return xml_schema(SCHEMA)


def deposit(made: Path, slug: str) -> etree._Element:
    return etree.parse(str(made / f"{slug}.crossref.xml"), etree.XMLParser(no_network=True))


@pytest.mark.parametrize("slug", SOURCES)
def test_the_deposit_is_valid_against_crossrefs_schema(made, schema, slug):
    document = deposit(made, slug)
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log[:10])


@pytest.mark.parametrize("slug", SOURCES)
def test_the_deposit_says_what_the_source_says(made, sources, slug):
    article = load_article(sources[slug] / "article.md")
    root = deposit(made, slug).getroot()
    head = root.find("c:head", NS)
    assert head.findtext("c:depositor/c:depositor_name", namespaces=NS) == (
        "Exporter sample publications")
    assert head.findtext("c:depositor/c:email_address", namespaces=NS) == "doi@example.org"
    report = root.find("c:body/c:report-paper/c:report-paper_metadata", NS)
    assert report.get("language") == article.lang
    assert report.findtext("c:titles/c:title", namespaces=NS) == article.title.in_lang(article.lang)
    date = report.find("c:publication_date", NS)
    assert tuple(int(date.findtext(f"c:{part}", namespaces=NS)) for part in
                 ("year", "month", "day")) == article.published.timetuple()[:3]  # fmt: skip
    assert report.findtext("c:doi_data/c:doi", namespaces=NS) == article.doi
    assert report.findtext("c:doi_data/c:resource", namespaces=NS) == (
        article.web.in_lang(article.lang))
    pdf = f"https://example.org/files/{load_format('pdf').filename(article.slug)}"
    assert report.findtext("c:doi_data/c:collection/c:item/c:resource", namespaces=NS) == pdf
    people = report.find("c:contributors", NS)
    assert len(people) == len(article.authors)
    assert [p.get("sequence") for p in people] == ["first"] + ["additional"] * (len(people) - 1)
    for shown, author in zip(people, article.authors, strict=True):
        name = author.name.in_lang(article.lang)
        if author.organisation:
            assert etree.QName(shown).localname == "organization" and shown.text == name
            continue
        given = shown.findtext("c:given_name", default="", namespaces=NS)
        surname = shown.findtext("c:surname", namespaces=NS)
        if author.file_as:  # as a catalogue files the author: "Makhmutova, Evgeniya"
            assert f"{surname}, {given}" == author.file_as
        else:
            assert " ".join(f"{given} {surname}".split()) == " ".join(name.split())
        others = [text for _lang, text in author.name.others(article.lang)]
        assert shown.xpath("c:alt-name/c:string-name/text()", namespaces=NS) == others
    summary = [" ".join(plain_text(p.children).split()) for p in article.summary]
    assert [" ".join(p.split()) for p in
            report.xpath("jats:abstract/jats:p/text()", namespaces=NS)] == summary  # fmt: skip


def test_orcid_licence_and_every_cited_doi_as_the_bibliography_gives_it(made, sources):
    """The works cited are the bibliography's, each with the DOI of the BibTeX file's entry
    (read with pybtex): 18 works, of which those with a DOI carry it."""
    root = deposit(made, "spaghetti-joss-2021").getroot()
    report = root.find("c:body/c:report-paper/c:report-paper_metadata", NS)
    assert report.xpath("ai:program/ai:license_ref/text()", namespaces=NS) == [
        "https://creativecommons.org/licenses/by/4.0/"] * 2
    entries = parse_file(str(sources["spaghetti-joss-2021"] / "paper.bib")).entries
    citations = report.findall("c:citation_list/c:citation", NS)
    assert len(citations) == 18
    dois = 0
    by_ident = {reference_id(key): entry.fields for key, entry in entries.items()}
    for citation in citations:
        key = citation.get("key")
        fields = by_ident[key]
        expected = fields.get("doi", fields.get("DOI", "")).lower()
        assert citation.findtext("c:doi", default="", namespaces=NS).lower() == expected, key
        assert citation.findtext("c:unstructured_citation", namespaces=NS).strip()
        dois += bool(expected)
    assert dois >= 5


def test_an_organisation_is_an_organization_and_a_name_keeps_its_initials(made):
    russian = deposit(made, "obrashcheniya-2025").getroot()
    (group,) = russian.xpath("//c:contributors/c:organization", namespaces=NS)
    assert group.text == "Аналитическая группа" and group.get("contributor_role") == "author"
    english = deposit(made, "spaghetti-joss-2021").getroot()
    first = english.find(".//c:contributors/c:person_name", NS)
    assert (first.findtext("c:given_name", namespaces=NS),  # "James D.\u00a0Gaboardi" in the text
            first.findtext("c:surname", namespaces=NS)) == ("James D.", "Gaboardi")  # fmt: skip


def test_the_same_source_gives_the_same_deposit_and_the_epoch_stamps_it(
    sources, house, tmp_path, monkeypatch
):
    source = str(sources["tajikistan-choice-amid-sanctions"])
    name = "tajikistan-choice-amid-sanctions.crossref.xml"
    runs = []
    for run in ("one", "two"):
        result = CliRunner().invoke(cli, ["crossref", source, "--style", str(house),
                                          "-o", str(tmp_path / run), "--force"])  # fmt: skip
        assert result.exit_code == 0, result.output
        runs.append((tmp_path / run / name).read_bytes())
    assert runs[0] == runs[1]
    assert b"<timestamp>20220830000000</timestamp>" in runs[0]  # the publication date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # a correction, deposited later
    result = CliRunner().invoke(cli, ["crossref", source, "--style", str(house),
                                      "-o", str(tmp_path / "three")])  # fmt: skip
    assert result.exit_code == 0, result.output
    later = (tmp_path / "three" / name).read_bytes()
    assert b"<timestamp>20231114221320</timestamp>" in later


def test_what_a_deposit_cannot_do_without_is_refused_with_the_line_to_fix(house, tmp_path):
    """No DOI, no web address, no depositor: exit 2, one line, nothing written."""
    seed = ROOT / "source" / "tajikistan-choice-amid-sanctions"
    result = CliRunner().invoke(cli, ["crossref", str(seed), "--style", str(house),
                                      "-o", str(tmp_path / "a")])  # fmt: skip
    assert result.exit_code == 2
    assert "article.md:1:1: a Crossref deposit needs the article's DOI" in result.output
    assert "Traceback" not in result.output and not list((tmp_path / "a").glob("*.xml"))

    bare = _with_front_matter(ROOT / "tests" / "citations" / "spaghetti-joss-2021",
                              tmp_path / "bare", "")  # a DOI, no web address
    result = CliRunner().invoke(cli, ["crossref", str(bare), "--style", str(house),
                                      "-o", str(tmp_path / "b")])  # fmt: skip
    assert result.exit_code == 2 and "needs the article's web address" in result.output

    with_doi = _with_front_matter(seed, tmp_path / "seed", "doi: 10.5555/riac.1\n")
    result = CliRunner().invoke(cli, ["crossref", str(with_doi), "-o", str(tmp_path / "c")])
    assert result.exit_code == 2
    assert "a Crossref deposit needs [publisher] depositor and email" in result.output

    wrong = tmp_path / "wrong.toml"
    wrong.write_text(HOUSE.replace("doi@example.org", "doi at example.org"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["crossref", str(with_doi), "--style", str(wrong),
                                      "-o", str(tmp_path / "d")])  # fmt: skip
    assert result.exit_code == 2 and "publisher.email" in result.output
    assert "Traceback" not in result.output


def test_all_never_makes_a_deposit():
    assert "crossref" not in default_names()
    assert load_format("crossref").kind == "deposit"
