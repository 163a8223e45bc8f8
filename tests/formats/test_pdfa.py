"""Both PDFs are archival, PDF/A-2a, and still PDF/UA-1: checked clause by clause (see
``tests/archival.py``) on the seed, the sample and a report whose SVG figures name fonts."""

from __future__ import annotations

import struct
from pathlib import Path

import pikepdf
import pytest
from archival import NS, pdfa_problems, xmp_of
from click.testing import CliRunner

from conftest import ROOT
from exporter.cli import cli
from exporter.formats import edition_names, load_format

SOURCES = {
    "tajikistan-choice-amid-sanctions": ROOT / "source" / "tajikistan-choice-amid-sanctions",
    "a4-and-letter": ROOT / "source" / "a4-and-letter",  # figures, a table, notes
    "volunteer-survey-2025": ROOT / "tests" / "fixtures" / "reports" / "survey-en",  # SVG text
}
# every registered format that makes a PDF
SUFFIXES = {name: load_format(name).suffix for name in edition_names()
            if load_format(name).media_type == "application/pdf"}  # fmt: skip


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdfa")
    for fmt in SUFFIXES:
        result = CliRunner().invoke(cli, [fmt, *map(str, SOURCES.values()), "-o", str(out)])
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("fmt", SUFFIXES)
@pytest.mark.parametrize("slug", SOURCES)
def test_every_pdf_meets_pdfa_2a_clause_by_clause(editions, slug, fmt):
    problems = pdfa_problems(editions / f"{slug}{SUFFIXES[fmt]}")
    assert not problems, "\n".join(problems)


def test_a_pdf_with_every_fault_is_caught(editions, tmp_path):
    """The checks can fail: the seed's PDF stripped of its output intent and its PDF/A
    identification, with a font's Unicode map and the document language removed."""
    path = tmp_path / "broken.pdf"
    with pikepdf.open(editions / "tajikistan-choice-amid-sanctions.pdf") as pdf:
        del pdf.Root.OutputIntents
        del pdf.Root.Lang
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        del font.ToUnicode
        packet = pdf.Root.Metadata.read_bytes().replace(b"<pdfaid:part>2</pdfaid:part>", b"")
        pdf.Root.Metadata.write(packet)
        pdf.save(path)
    clauses = {problem.split(":")[0] for problem in pdfa_problems(path)}
    assert {"6.2.3", "6.2.11.7.2", "6.7.4", "6.6.4"} <= clauses
    assert "validator" in clauses  # the validator sees device colour with no intent, too


def test_the_info_dictionary_and_the_xmp_say_the_same(editions):
    """What a library's catalogue reads from either place agrees: title, dates, tools; the
    file is not encrypted (6.1.3)."""
    with pikepdf.open(editions / "a4-and-letter.pdf") as pdf:
        info, xmp = pdf.docinfo, xmp_of(pdf)
        ns = {"dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
              "pdf": "http://ns.adobe.com/pdf/1.3/", "rdf": NS["rdf"]}
        title = xmp.xpath("string(//dc:title/rdf:Alt/rdf:li[@xml:lang='x-default'])",
                          namespaces=ns)  # fmt: skip
        assert str(info.Title) == title
        assert str(info.Creator) == xmp.xpath("string(//xmp:CreatorTool)", namespaces=ns)
        assert str(info.Producer) == xmp.xpath("string(//pdf:Producer)", namespaces=ns)
        created = str(info.CreationDate)  # D:YYYYMMDDHHmmSS+00'00'
        iso = xmp.xpath("string(//xmp:CreateDate)", namespaces=ns)
        assert iso == f"{created[2:6]}-{created[6:8]}-{created[8:10]}T{created[10:12]}:" \
                      f"{created[12:14]}:{created[14:16]}Z"  # fmt: skip
        assert "/Encrypt" not in pdf.trailer
        # the colour profile is stamped with the build time too, not the clock's (the same
        # source gives the same bytes on any day)
        profile = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
        stamp = struct.unpack(">6H", profile[24:36])
        assert stamp == tuple(int(created[i:i + n]) for i, n in
                              ((2, 4), (6, 2), (8, 2), (10, 2), (12, 2), (14, 2)))  # fmt: skip


def test_a_style_may_leave_the_archival_claim_out(tmp_path):
    """``[archive] pdfa = false``: no output intent and no PDF/A identification; the file
    is still a tagged PDF/UA-1 file."""
    style = tmp_path / "plain.toml"
    style.write_text('extends = "default"\nname = "plain"\n[archive]\npdfa = false\n')
    result = CliRunner().invoke(cli, ["pdf", str(SOURCES["a4-and-letter"]), "--style",
                                      str(style), "-o", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    with pikepdf.open(tmp_path / "a4-and-letter.pdf") as pdf:
        assert "/OutputIntents" not in pdf.Root
        packet = pdf.Root.Metadata.read_bytes()
        assert b"pdfaid" not in packet.replace(b'xmlns:pdfaid="', b"")
        assert b"<pdfuaid:part>1</pdfuaid:part>" in packet


def test_a_style_that_says_neither_true_nor_false_is_refused(tmp_path):
    style = tmp_path / "odd.toml"
    style.write_text('extends = "default"\nname = "odd"\n[archive]\npdfa = "yes"\n')
    result = CliRunner().invoke(cli, ["pdf", str(SOURCES["a4-and-letter"]), "--style",
                                      str(style), "-o", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 2
    assert "archive.pdfa: true or false" in result.output
