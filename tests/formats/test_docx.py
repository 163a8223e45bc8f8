"""The Word edition, read back with python-docx, zipfile + lxml and LibreOffice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Pt
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from conftest import SEED, callout_texts
from exporter.cli import cli
from exporter.errors import FormatError
from exporter.fonts import font_family
from exporter.formats import ExportOptions
from exporter.formats.docx import DocxFormat
from exporter.measure import measured
from exporter.model import (
    Article,
    BlockQuote,
    CodeBlock,
    Emph,
    Heading,
    Link,
    ListBlock,
    Paragraph,
    Span,
    Strong,
    Text,
    ThematicBreak,
    block_texts,
    plain_text,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def render(article: Article, style, **options) -> bytes:
    out = io.BytesIO()
    DocxFormat().write(article, style, ExportOptions(**options), out)
    return out.getvalue()


@pytest.fixture(scope="module")
def data(article, style) -> bytes:
    return render(article, style)


@pytest.fixture(scope="module")
def document(data):
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def parts(data) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def xml(parts: dict[str, bytes], name: str):
    return etree.fromstring(parts[name])


def by_style(document, name: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == name]


# --- plugin contract -------------------------------------------------------------------------


def test_plugin_attributes():
    assert DocxFormat.name == "docx"
    assert DocxFormat.filename("x") == "x.docx"
    assert DocxFormat.media_type.endswith("wordprocessingml.document")


def test_verify_accepts_the_edition_and_rejects_other_bytes(data):
    DocxFormat().verify(data)
    for junk in (b"", b"not a zip", _zip_without_document()):
        with pytest.raises(FormatError):
            DocxFormat().verify(junk)


def _zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


# --- text and styles ---------------------------------------------------------------------------


def test_title_and_russian_title(document, article):
    first, second = document.paragraphs[:2]
    assert first.style.name == "Title" and first.text == article.title["en"]
    assert second.style.name == "Subtitle" and second.text == article.title["ru"]


def test_byline_affiliation_publisher_and_date(document, article):
    assert by_style(document, "Byline") == [article.author_names()[0]]
    assert by_style(document, "Affiliation") == [article.authors[0].affiliations[0]["en"]]
    meta = "\n".join(by_style(document, "Meta"))
    assert "Russian International Affairs Council (RIAC)" in meta
    assert "30 August 2022" in meta


def test_summary_once_then_fifteen_body_paragraphs_in_order(document, article):
    assert by_style(document, "Summary") == list(block_texts(article.summary))
    body = [plain_text(b.children) for b in article.body if isinstance(b, Paragraph)]
    assert len(body) == 15
    assert by_style(document, "Normal") == body


def test_callout_is_a_bordered_shaded_box(document, article, parts, style):
    assert by_style(document, "Callout Label") == ["Related article"]
    assert by_style(document, "Callout") == callout_texts(article)
    styles = xml(parts, "word/styles.xml")
    ppr = styles.find("w:style[@w:styleId='Callout']/w:pPr", NS)
    left = ppr.find("w:pBdr/w:left", NS)
    callout = style.role("callout")
    assert left.get(f"{{{W}}}color") == callout.border_color.hex[1:].upper()
    assert ppr.find("w:shd", NS).get(f"{{{W}}}fill") == callout.background.hex[1:].upper()


def test_body_runs_carry_no_direct_font_or_size(document, parts):
    for para in document.paragraphs:
        for run in para.runs:
            assert run.font.name is None and run.font.size is None, para.text[:40]
    body = xml(parts, "word/document.xml")
    assert not body.xpath("//w:r/w:rPr/w:rFonts | //w:r/w:rPr/w:sz", namespaces=NS)


def test_styles_come_from_the_style_layer(document, style):
    normal = document.styles["Normal"]
    assert normal.font.name == style.role("body").family == "PT Serif"
    assert normal.font.size == Pt(style.role("body").size.pt)
    title = document.styles["Title"]
    assert title.font.size == Pt(style.role("title").size.pt) and title.font.bold
    assert document.styles["Heading 1"].font.name == style.role("heading-1").family
    for name in ("Heading 2", "Heading 3", "Caption", "Summary", "Callout", "Poll Table"):
        assert name in [s.name for s in document.styles]
    accent = style.role("heading-1").color.hex[1:].upper()
    assert str(document.styles["Heading 1"].font.color.rgb) == accent


def test_default_language_and_russian_runs(parts, article):
    styles = xml(parts, "word/styles.xml")
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert default.get(f"{{{W}}}val") == "en-US"
    body = xml(parts, "word/document.xml")
    russian = body.xpath("//w:r[w:rPr/w:lang/@w:val='ru-RU']", namespaces=NS)
    texts = ["".join(r.xpath("w:t/text()", namespaces=NS)) for r in russian]
    assert article.title["ru"] in texts
    english = body.xpath("//w:r[w:rPr/w:lang/@w:val='en-US']", namespaces=NS)
    assert not english  # the default needs no tag


def test_hyperlinks_to_both_web_editions(document, parts, article):
    body = xml(parts, "word/document.xml")
    ids = body.xpath("//w:hyperlink/@r:id", namespaces={**NS, "r": _R})
    rels = document.part.rels
    targets = {rels[i].target_ref for i in ids}
    assert targets == {article.web["en"], article.web["ru"]}
    assert all(rels[i].is_external for i in ids)


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# --- poll ------------------------------------------------------------------------------------


def test_poll_question_chart_caption_then_table(document, article):
    poll = article.polls[0]
    (table,) = document.tables
    assert table.style.name == "Poll Table"
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Answer", "Votes", "Share"]
    assert rows[1] == [poll.answers[0].label, "33", "31%"]
    assert [r[1] for r in rows[1:5]] == ["33", "30", "24", "21"]
    assert [r[2] for r in rows[1:5]] == ["31%", "28%", "22%", "19%"]
    assert rows[-1][1:] == ["108", "100%"]
    assert by_style(document, "Poll Question") == [poll.question]
    body = list(document.element.body)
    question = next(p for p in document.paragraphs if p.style.name == "Poll Question")
    at = body.index(question._p)
    assert body[at + 1].xpath(".//pic:pic")  # the chart picture
    texts = {p._p: p.text for p in document.paragraphs}
    assert texts[body[at + 2]] == "Poll conducted · 108 votes in total"
    assert body.index(table._tbl) == at + 3


def test_poll_chart_picture_with_alt_text(document, parts, style, article):
    (shape,) = document.inline_shapes
    descr = shape._inline.docPr.get("descr")
    for figure in ("33", "30", "24", "21", "31%", "28%", "22%", "19%", "108"):
        assert figure in descr
    media = [n for n in parts if n.startswith("word/media/")]
    assert len(media) == 1 and media[0].endswith(".png")
    image = Image.open(io.BytesIO(parts[media[0]]))
    assert image.format == "PNG" and image.width > 1000
    assert abs(shape.width.pt - measured(style, article).page.text_width.pt) < 1


# --- page, header and footer ----------------------------------------------------------------


def test_page_setup_from_the_style(document, style):
    section = document.sections[0]
    assert abs(section.page_width.pt - style.page.width.pt) < 0.1
    assert abs(section.page_height.pt - 841.89) < 0.1
    assert abs(section.left_margin.pt - style.page.margin_left.pt) < 0.1
    assert abs(section.top_margin.pt - style.page.margin_top.pt) < 0.1


def test_letter_paper(article, style):
    section = docx.Document(io.BytesIO(render(article, style.with_paper("letter")))).sections[0]
    assert (round(section.page_width.pt), round(section.page_height.pt)) == (612, 792)


def test_header_has_short_title_and_footer_page_fields(document, article):
    section = document.sections[0]
    assert section.header.paragraphs[0].text == article.running_title()
    assert section.header.paragraphs[0].style.name == "Header"
    footer = section.footer.paragraphs[0]._p
    instructions = [t.strip() for t in footer.xpath(".//w:instrText/text()")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert len(footer.xpath(".//w:fldChar")) == 6
    assert section.footer.paragraphs[0].text.startswith("Page ")


def test_first_page_has_no_running_header(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""


# --- properties ------------------------------------------------------------------------------


def test_core_properties(document, article, parts):
    core = document.core_properties
    when = dt.datetime(2022, 8, 30, 0, 0, tzinfo=dt.UTC)
    assert core.title == article.title["en"]
    assert core.author == "Evgeniya Makhmutova (Voyko)"
    assert core.subject == next(block_texts(article.summary))
    assert "Tajikistan" in core.keywords and "sanctions" in core.keywords
    assert core.language == "en-US"
    assert core.created == when and core.modified == when
    assert core.last_modified_by == "" and core.last_printed is None
    raw = parts["docProps/core.xml"].decode()
    assert "python-docx" not in raw and "2013" not in raw


def test_custom_properties(parts, article):
    custom = xml(parts, "docProps/custom.xml")
    props = {
        p.get("name"): p.findtext("vt:lpwstr", namespaces=NS)
        for p in custom.findall("cp:property", NS)
    }
    assert props["Title (ru)"] == article.title["ru"]
    assert props["Author (ru)"] == "Евгения Махмутова (Войко)"
    assert props["Slug"] == article.slug
    assert props["Web edition (en)"] == article.web["en"]
    assert props["Web edition (ru)"] == article.web["ru"]
    types = parts["[Content_Types].xml"].decode()
    assert "/docProps/custom.xml" in types and "custom-properties+xml" in types
    assert b"docProps/custom.xml" in parts["_rels/.rels"]


def test_no_template_leftovers(parts):
    for name in parts:
        assert "thumbnail" not in name and "customXml" not in name
        assert "stylesWithEffects" not in name
    app = parts["docProps/app.xml"].decode()
    assert "Microsoft" not in app and "Normal.dotm" not in app


def _embedded_faces(parts) -> dict[tuple[str, str], TTFont]:
    """Each embedded face, its ECMA-376 obfuscation undone with its w:embed* key, read back
    with fontTools: (family, embed tag) → the font."""
    table = xml(parts, "word/fontTable.xml")
    rels = xml(parts, "word/_rels/fontTable.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    faces = {}
    for font in table.findall("w:font", NS):
        for embed in font.xpath("w:embedRegular | w:embedBold | w:embedItalic"
                                " | w:embedBoldItalic", namespaces=NS):
            assert embed.get(f"{{{W}}}subsetted") == "1"
            name = targets[embed.get(f"{{{_R}}}id")]
            assert name.startswith("fonts/") and name.endswith(".odttf")
            blob = parts["word/" + name]
            guid = bytes.fromhex(embed.get(f"{{{W}}}fontKey").strip("{}").replace("-", ""))[::-1]
            plain = bytes(b ^ guid[i % 16] for i, b in enumerate(blob[:32])) + blob[32:]
            faces[font.get(f"{{{W}}}name"), etree.QName(embed).localname] = TTFont(
                io.BytesIO(plain))
    return faces


def test_only_the_faces_the_text_uses_are_embedded_as_subsets(parts):
    """The seed sets text in PT Serif and PT Sans, regular, bold and italic, never bold
    italic: those six faces are embedded, each a subset of its PT face, named as it."""
    faces = _embedded_faces(parts)
    assert set(faces) == {(f, t) for f in ("PT Serif", "PT Sans")
                          for t in ("embedRegular", "embedBold", "embedItalic")}  # fmt: skip
    subfamilies = {"embedRegular": "Regular", "embedBold": "Bold", "embedItalic": "Italic"}
    for (family, tag), font in faces.items():
        names = font["name"]
        assert names.getDebugName(1) == family and names.getDebugName(2) == subfamilies[tag]
        whole = TTFont(font_family(family).face("Bold" in tag, "Italic" in tag))
        assert len(font.getGlyphOrder()) < len(whole.getGlyphOrder()) / 2
    settings = xml(parts, "word/settings.xml")
    assert settings.find("w:embedTrueTypeFonts", NS) is not None
    assert settings.find("w:saveSubsetFonts", NS) is not None
    assert sum(len(v) for k, v in parts.items() if k.startswith("word/fonts/")) < 400_000


def test_the_subsets_draw_every_character_and_what_an_editor_types(parts):
    """Every character of the text is drawn by an embedded face of its family; the regular
    faces also carry ASCII and the Russian alphabet for corrections."""
    faces = _embedded_faces(parts)
    text = "".join(xml(parts, "word/document.xml").itertext())
    drawn = set().union(*(f.getBestCmap() for f in faces.values()))
    assert {c for c in text if not c.isspace() and ord(c) not in drawn} == set()
    for family in ("PT Serif", "PT Sans"):
        cmap = faces[family, "embedRegular"].getBestCmap()
        typed = "The quick brown fox, 1234567890; Съешь же ещё этих мягких французских булок ЁЖ"
        assert all(ord(c) in cmap for c in typed if not c.isspace())


def test_no_embed_fonts_leaves_the_fonts_out(article, tmp_path):
    result = CliRunner().invoke(cli, ["docx", str(SEED), "-o", str(tmp_path), "--no-embed-fonts"])
    assert result.exit_code == 0, result.output
    edition = tmp_path / f"{article.slug}.docx"
    with zipfile.ZipFile(edition) as package:
        plain = {name: package.read(name) for name in package.namelist()}
    assert not [n for n in plain if n.startswith("word/fonts/")]
    assert "word/_rels/fontTable.xml.rels" not in plain
    assert b"obfuscatedFont" not in plain["[Content_Types].xml"]
    table = xml(plain, "word/fontTable.xml")
    assert not table.xpath("//w:embedRegular | //w:embedBold | //w:embedItalic"
                           " | //w:embedBoldItalic", namespaces=NS)
    assert xml(plain, "word/settings.xml").find("w:embedTrueTypeFonts", NS) is None
    assert docx.Document(str(edition)).paragraphs[0].text == article.title["en"]


# --- reproducibility -------------------------------------------------------------------------


def test_two_builds_are_byte_identical(data, article, style):
    assert render(article, style) == data


def test_zip_entries_are_stamped_with_the_build_time(data):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2022, 8, 30, 0, 0, 0)}


def test_source_date_epoch_sets_the_dates(article, style):
    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    core = docx.Document(io.BytesIO(render(article, style, timestamp=when))).core_properties
    assert core.created == when == core.modified


# --- every kind of block, literal text --------------------------------------------------------


def test_blocks_inlines_and_literal_text(article, style):
    tricky = "Fish & chips <b>bold?</b> &amp; &#169; say «Привет, мир»"
    body = (
        Heading(1, (Text("Part one"),)),
        Paragraph((Text(tricky), Emph((Text("em"),)), Strong((Text("strong"),)),
                   Link("https://example.org/?a=1&b=2", (Text("a link"),)),
                   Span("ru", (Text("Москва"),)))),
        BlockQuote((Paragraph((Text("Quoted"),)),)),
        ListBlock(False, ((Paragraph((Text("one"),)),), (Paragraph((Text("two"),)),))),
        ListBlock(True, ((Paragraph((Text("first"),)),),)),
        ListBlock(True, ((Paragraph((Text("fifth"),)),),), start=5),
        CodeBlock("x < y && z\nnext"),
        ThematicBreak(),
    )
    small = dataclasses.replace(article, body=body)
    document = docx.Document(io.BytesIO(render(small, style, embed_fonts=False)))
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Part one") in texts
    assert ("Normal", f"{tricky}emstronga linkМосква") in texts
    assert ("Quote", "Quoted") in texts
    assert ("List Bullet", "one") in texts and ("List Bullet", "two") in texts
    assert ("Code", "x < y && z\nnext") in texts
    numbered = {p.text: p._p.pPr.numPr.numId.val for p in document.paragraphs
                if p.style.name == "List Number"}
    assert numbered.keys() == {"first", "fifth"} and len(set(numbered.values())) == 2
    numbering = document.part.numbering_part.element
    fifth = numbering.num_having_numId(numbered["fifth"])
    assert fifth.xpath("w:lvlOverride/w:startOverride/@w:val") == ["5"]
    body_xml = document.element.body
    russian = body_xml.xpath(".//w:r[w:rPr/w:lang/@w:val='ru-RU']/w:t/text()")
    assert "Привет, мир»" in russian or "«Привет, мир»" in russian
    assert "Москва" in russian
    assert body_xml.xpath(".//w:r[w:rPr/w:i]/w:t/text()") == ["em"]
    assert body_xml.xpath(".//w:r[w:rPr/w:b]/w:t/text()") == ["strong"]
    link = body_xml.xpath(".//w:hyperlink[w:r/w:t/text()='a link']")
    assert link and document.part.rels[link[0].get(f"{{{_R}}}id")].target_ref.endswith("&b=2")
    assert not [n for n in _names(document) if n.startswith("word/fonts/")]


def _names(document) -> list[str]:
    out = io.BytesIO()
    document.save(out)
    return zipfile.ZipFile(out).namelist()


# --- LibreOffice -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice_pdf(data, tmp_path_factory) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    work = tmp_path_factory.mktemp("libreoffice")
    source = work / "edition.docx"
    source.write_bytes(data)
    profile = (work / "profile").as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(work), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    pdf = work / "edition.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    return pdf


def _pdf_text(pdf: Path, *crop: str) -> str:
    return subprocess.run(["pdftotext", "-r", "72", *crop, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.slow
def test_libreoffice_pdf_holds_every_passage_in_order(
    libreoffice_pdf, article, style, assert_passages_in_order
):
    page = style.page
    top = page.margin_top.pt - 2
    height = page.height.pt - page.margin_top.pt - page.margin_bottom.pt
    text_area = ("-x", "0", "-y", str(round(top)), "-W", str(round(page.width.pt)),
                 "-H", str(round(height + 4)))
    text = _pdf_text(libreoffice_pdf, *text_area)
    assert "Page 2 of" not in text and article.running_title() not in text
    assert_passages_in_order(text)
    assert article.polls[0].question in text
    figures = re.findall(r"^(\d+%?)$", text, flags=re.M)
    assert figures[:8] == ["33", "31%", "30", "28%", "24", "22%", "21", "19%"]


@pytest.mark.slow
def test_libreoffice_pdf_has_running_heads_and_page_numbers(libreoffice_pdf, article):
    pages = [p for p in _pdf_text(libreoffice_pdf).split("\f") if p.strip()]
    assert len(pages) >= 3
    assert "Page 1 of" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page
        assert article.running_title() in page


@pytest.mark.slow
def test_libreoffice_uses_the_embedded_pt_fonts(libreoffice_pdf):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    fonts = subprocess.run(["pdffonts", str(libreoffice_pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert "PTSerif-Regular" in fonts and "PTSans-Regular" in fonts


FAITHFUL = SEED.parent.parent.parent / "tests" / "fixtures" / "faithful" / "article.md"


def test_a_long_summary_fits_the_properties_and_the_edition_is_written(article, style):
    summary = " ".join(["A summary sentence that goes on for a while, as real ones do."] * 12)
    long = dataclasses.replace(article, summary=(Paragraph((Text(summary),)),))
    document = docx.Document(io.BytesIO(render(long, style)))
    subject = document.core_properties.subject
    assert len(subject) <= 255 and subject.endswith("\u2026")
    assert summary.startswith(subject[:-1].rstrip())  # cut at a word boundary
    assert summary in "\n".join(p.text for p in document.paragraphs)


def test_headings_one_to_four_are_word_headings_with_outline_levels(style):
    from exporter.source import load_article

    document = docx.Document(io.BytesIO(render(load_article(FAITHFUL), style)))
    used = [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert used == ["Heading 1", "Heading 2", "Heading 3", "Heading 4"]
    styles = etree.fromstring(document.styles.element.xml.encode())
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    for level in range(1, 5):
        found = styles.xpath(f"//w:style[w:name/@w:val='heading {level}']//w:outlineLvl/@w:val",
                             namespaces=ns)  # fmt: skip
        assert found == [str(level - 1)], level
    code = [p for p in document.paragraphs if p.style.name == "Code"]
    assert code and document.styles["Code"].font.name == "IBM Plex Mono"


@pytest.mark.slow
def test_a_tagged_pdf_from_the_word_file_has_its_headings_table_and_figures(tmp_path):
    """LibreOffice exports the sample's Word file as a tagged PDF: its structure tree (read
    by poppler) holds each section as a heading, the table with header cells, and a figure
    for each picture: what a screen reader finds in the Word file itself."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdfinfo") is None:
        pytest.skip("LibreOffice or poppler's pdfinfo is not installed")
    from exporter.source import load_article
    from exporter.style import load_style

    sample = load_article(Path(__file__).resolve().parents[2] / "source" / "a4-and-letter"
                          / "article.md")  # fmt: skip
    source = tmp_path / "sample.docx"
    source.write_bytes(render(sample, load_style("default")))
    export = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--convert-to", export, "--outdir", str(tmp_path),
                    str(source)], capture_output=True, timeout=180, check=True)  # fmt: skip
    tree = subprocess.run(["pdfinfo", "-struct-text", str(tmp_path / "sample.pdf")],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    lines = tree.splitlines()
    headings = []
    for index, line in enumerate(lines):
        if re.match(r"^\s*H1\b", line):
            text = next(n.strip() for n in lines[index + 1:] if n.strip().startswith('"'))
            headings.append(text.strip('"'))
    assert headings == ["Two sheets that almost agree", "The sizes an editor meets",
                        "One source, every edition", "References"]  # fmt: skip
    assert len(re.findall(r"^\s*TH\b", tree, flags=re.M)) == 5
    assert len(re.findall(r"^\s*Figure\b", tree, flags=re.M)) == 2
