"""The article PDF, read back with poppler (pdftotext, pdffonts, pdfinfo), qpdf, pypdf, pdfminer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import re
import shutil
import subprocess

import pypdf
import pytest
from lxml import etree

from conftest import ROOT, callout_texts, normalize
from exporter.errors import FormatError
from exporter.formats import ExportOptions
from exporter.formats.pdf import PdfFormat
from exporter.measure import measured
from exporter.model import (
    Article,
    BlockQuote,
    Code,
    CodeBlock,
    Emph,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    LocalizedText,
    Paragraph,
    PollBlock,
    Span,
    Strong,
    Text,
    ThematicBreak,
    block_texts,
)
from exporter.source import load_article
from exporter.style import Length

BASE14 = (
    "Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats", "Arial",
)  # fmt: skip
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XMP_NS = {"rdf": RDF, "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
POLL_VOTES = ("33", "30", "24", "21")
POLL_SHARES = ("31%", "28%", "22%", "19%")


def render(fmt: object, article: Article, style, **options) -> bytes:
    out = io.BytesIO()
    rendered = fmt.write(article, style, ExportOptions(**options), out)  # type: ignore[attr-defined]
    data = out.getvalue()
    assert rendered.pages == len(pypdf.PdfReader(io.BytesIO(data)).pages)
    return data


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def run(*args: str, data: bytes, tmp_path) -> str:
    """Run a command-line tool on ``data`` saved as a file; its standard output."""
    pdf = tmp_path / "edition.pdf"
    pdf.write_bytes(data)
    result = subprocess.run(
        [tool(args[0]), *args[1:], str(pdf)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def pdf_text(data: bytes, tmp_path, *extra: str) -> str:
    """The text a reader copies out of the PDF (poppler's pdftotext)."""
    pdf = tmp_path / "text.pdf"
    pdf.write_bytes(data)
    result = subprocess.run(
        [tool("pdftotext"), *extra, "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def body_text(data: bytes, page_style, tmp_path) -> str:
    """The text inside the page margins, page after page, in the order it is drawn (our
    reading order: column after column): what a reader reads without the
    running header and footer that interrupt a paragraph running over a page break."""
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    top, bottom = page_style.margin_top.pt, page_style.margin_bottom.pt
    width, height = int(page_style.width.pt) + 1, int(page_style.height.pt - top - bottom) + 1
    box = ["-raw", "-x", "0", "-y", str(int(top)), "-W", str(width), "-H", str(height)]
    return "\n".join(
        pdf_text(data, tmp_path, "-f", str(n), "-l", str(n), *box) for n in range(1, pages + 1)
    )


def font_problems(data: bytes) -> list[str]:
    """Fonts that are not embedded or are base-14, found by walking every page's resources."""
    problems: list[str] = []
    reader = pypdf.PdfReader(io.BytesIO(data))
    seen: set[int] = set()

    def walk(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            name = str(font.get("/BaseFont", ""))
            if any(b.lower() in name.lower() for b in BASE14):
                problems.append(f"base-14 font {name}")
            descendants = font.get("/DescendantFonts")
            descriptor_font = descendants[0].get_object() if descendants else font
            descriptor = descriptor_font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"not embedded: {name}")
            elif "+" not in name:
                problems.append(f"not subset: {name}")
        for ref in (resources.get("/XObject") or {}).values():
            walk(ref.get_object().get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return problems


def poll_figures_in_order(text: str) -> bool:
    """The vote counts 33 30 24 21 and the shares 31% 28% 22% 19%, each in reading order."""
    votes = r".*".join(rf"\b{v}\b" for v in POLL_VOTES)
    shares = r".*".join(re.escape(s) for s in POLL_SHARES)
    return bool(re.search(votes, text) and re.search(shares, text))


def xmp_tree(meta: str) -> etree._Element:
    start = meta.index("<x:xmpmeta")
    end = meta.index("</x:xmpmeta>") + len("</x:xmpmeta>")
    return etree.fromstring(meta[start:end].encode("utf-8"))


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def link_targets(reader: pypdf.PdfReader) -> set[str]:
    uris: set[str] = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and action.get_object().get("/URI"):
                uris.add(str(action.get_object()["/URI"]))
    return uris


@functools.cache
def text_lines_with_boxes(data: bytes):
    """Every text line and filled rectangle per page, as pdfminer lays them out."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTRect, LTTextContainer, LTTextLine

    pages = []
    for page in extract_pages(io.BytesIO(data)):
        lines, rects = [], []
        stack = list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTTextLine):
                lines.append(item)
            elif isinstance(item, LTTextContainer):
                stack.extend(item)
            elif isinstance(item, LTRect) and item.fill:
                rects.append(item)
            elif hasattr(item, "__iter__"):
                stack.extend(item)
        pages.append((page, lines, rects))
    return pages


def contains(rect, line) -> bool:
    return (
        rect.x0 <= line.x0 + 0.5
        and line.x1 <= rect.x1 + 0.5
        and rect.y0 <= line.y0 + 0.5
        and line.y1 <= rect.y1 + 0.5
    )


@functools.cache
def chars_by_font(data: bytes) -> dict[str, set[float]]:
    """The sizes each face's visible characters are set in (a space shows no size: the
    space a line broke at is kept in the text at a size that takes no room)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    sizes: dict[str, set[float]] = {}
    for page in extract_pages(io.BytesIO(data)):
        stack = list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTChar) and not item.get_text().isspace():
                name = item.fontname.split("+")[-1]
                sizes.setdefault(name, set()).add(round(item.size, 2))
            elif hasattr(item, "__iter__"):
                stack.extend(item)
    return sizes


# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_bytes(article, style) -> bytes:
    return render(PdfFormat(), article, style)


@pytest.fixture(scope="module")
def reader(pdf_bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf_bytes))


@pytest.fixture(scope="module")
def letter_bytes(article, style) -> bytes:
    return render(PdfFormat(), article, style.with_paper("letter"))


def test_plugin_attributes():
    assert (PdfFormat.name, PdfFormat.suffix, PdfFormat.media_type) == (
        "pdf",
        ".pdf",
        "application/pdf",
    )
    assert PdfFormat.filename("x") == "x.pdf"


def test_verify_accepts_the_edition_and_rejects_broken_bytes(pdf_bytes):
    PdfFormat().verify(pdf_bytes)
    for broken in (b"", b"PK\x03\x04 not a pdf", pdf_bytes[: len(pdf_bytes) // 2]):
        with pytest.raises(FormatError):
            PdfFormat().verify(broken)


def test_two_builds_are_byte_identical(article, style, pdf_bytes):
    assert render(PdfFormat(), article, style) == pdf_bytes


def test_qpdf_finds_no_problems(pdf_bytes, tmp_path):
    out = run("qpdf", "--check", data=pdf_bytes, tmp_path=tmp_path)
    assert "No syntax or stream encoding errors" in out


def test_text_holds_every_passage_in_order_once(
    pdf_bytes, style, tmp_path, assert_passages_in_order
):
    assert_passages_in_order(body_text(pdf_bytes, style.page, tmp_path))


def test_summary_is_set_once(article, pdf_bytes, tmp_path):
    text = normalize(pdf_text(pdf_bytes, tmp_path))
    first = normalize("Tajikistan’s overwhelming dependence on foreign subsidies")
    assert text.count(first) == 1


def test_poll_figures_are_printed(article, pdf_bytes, tmp_path):
    text = normalize(pdf_text(pdf_bytes, tmp_path))
    assert article.polls[0].question in text
    assert poll_figures_in_order(text)
    assert "108" in text
    for answer in article.polls[0].answers:
        assert normalize(answer.label) in text


def test_poll_chart_is_vector_with_labels_votes_and_shares(article, style, pdf_bytes, reader):
    pages = text_lines_with_boxes(pdf_bytes)
    page_no = next(
        i
        for i, (_, lines, _) in enumerate(pages)
        if any(article.polls[0].question in line.get_text() for line in lines)
    )
    assert not reader.pages[page_no].images, "the chart must be drawn, not pasted as an image"
    _, lines, rects = pages[page_no]
    texts = [line.get_text().strip() for line in lines]
    for answer in article.polls[0].answers:
        value_line = f"{answer.share}% · {answer.votes} votes"
        assert any(normalize(t) == value_line for t in texts), value_line
    bar_ink = tuple(round(c, 2) for c in style.role("poll-bar").color.rgb_float)
    bars = [r for r in rects if tuple(round(c, 2) for c in r.non_stroking_color) == bar_ink]
    shares = [a.share for a in article.polls[0].answers]
    assert len(bars) == len(shares)
    widths = [b.width for b in sorted(bars, key=lambda b: -b.y0)]
    for width, share in zip(widths, shares, strict=True):
        assert width / widths[0] == pytest.approx(share / shares[0], rel=0.01)


def test_callout_is_a_shaded_box(article, pdf_bytes, tmp_path):
    text = normalize(pdf_text(pdf_bytes, tmp_path))
    for line in callout_texts(article):
        assert normalize(line) in text
    assert "RELATED ARTICLE" in text
    for _, lines, rects in text_lines_with_boxes(pdf_bytes):
        target = [ln for ln in lines if "Grigory Lukyanov" in ln.get_text()]
        if target:
            assert any(contains(r, target[0]) for r in rects), "callout text is not in a box"
            return
    pytest.fail("callout not found")


def test_fonts_are_embedded_subset_and_never_base14(pdf_bytes, letter_bytes, tmp_path):
    for data in (pdf_bytes, letter_bytes):
        assert font_problems(data) == []
        out = run("pdffonts", data=data, tmp_path=tmp_path)
        rows = out.splitlines()[2:]
        assert rows, "no fonts listed"
        for row in rows:
            name, emb, sub = row.split()[0], row.split()[-5], row.split()[-4]
            assert (emb, sub) == ("yes", "yes"), row
            assert name.split("+")[-1].startswith(("PTSerif", "PTSans")), row
        assert b"Helvetica" not in data


def test_body_is_hyphenated_and_justified(article, style, pdf_bytes, tmp_path):
    # the whole-paragraph breaker sets the seed's article without a hyphen at 135 mm: in
    # a column half as wide (the handout's), words are hyphenated, and only at their points
    half = Length(measured(style, article).page.text_width.pt / 2)
    narrow = dataclasses.replace(style, page=dataclasses.replace(style.page, measure=half,
                                                                  measure_chars=0))
    text = pdf_text(render(PdfFormat(), article, narrow), tmp_path, "-raw")
    words = set(re.findall(r"[A-Za-z]+", " ".join(_body_texts(article))))
    breaks = [a + b for a, b in re.findall(r"([A-Za-z]+)\u00ad\n([a-z]+)", text)]
    assert breaks and set(breaks) <= words, "English words are hyphenated at line ends"
    right = style.page.margin_left.pt + measured(style, article).page.text_width.pt
    _, lines, _ = text_lines_with_boxes(pdf_bytes)[1]
    flush = [ln for ln in lines if abs(ln.x1 - right) < 1.0]
    assert len(flush) >= 20, "body lines do not end flush at the right margin"


def _body_texts(article: Article) -> list[str]:
    return list(block_texts(article.body))


def test_info_dictionary(article, reader):
    info = reader.metadata
    assert info["/Title"] == article.title["en"]
    assert info["/Author"] == "Evgeniya Makhmutova (Voyko)"
    assert info["/Subject"].startswith("Tajikistan’s overwhelming dependence")
    assert "Tajikistan" in info["/Keywords"] and "CSTO" in info["/Keywords"]
    assert info["/Creator"].startswith("exporter ")
    assert "exporter" in info["/Producer"]
    assert info["/CreationDate"] == "D:20220830000000+00'00'"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_creation_date_follows_the_build_time(article, style):
    when = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    data = render(PdfFormat(), article, style, timestamp=when)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.metadata["/CreationDate"] == "D:20240506070809+00'00'"
    packet = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<xmp:CreateDate>2024-05-06T07:08:09Z</xmp:CreateDate>" in packet


def test_xmp_has_both_titles_creator_language_and_date(article, pdf_bytes, tmp_path):
    meta = run("pdfinfo", "-meta", data=pdf_bytes, tmp_path=tmp_path)
    assert article.title["en"] in meta and article.title["ru"] in meta
    root = xmp_tree(meta)
    titles = {
        li.get(XML_LANG): li.text for li in root.iterfind(".//dc:title/rdf:Alt/rdf:li", XMP_NS)
    }
    assert titles["en"] == article.title["en"]
    assert titles["ru"] == article.title["ru"]
    assert titles["x-default"] == article.title["en"]
    creators = [li.text for li in root.iterfind(".//dc:creator/rdf:Seq/rdf:li", XMP_NS)]
    assert creators == ["Evgeniya Makhmutova (Voyko)"]
    languages = [li.text for li in root.iterfind(".//dc:language//rdf:li", XMP_NS)]
    assert languages[0] == "en"
    dates = [li.text for li in root.iterfind(".//dc:date//rdf:li", XMP_NS)]
    assert dates == ["2022-08-30"]


def test_outline_has_title_summary_body_and_poll(article, reader):
    titles = outline_titles(reader)
    assert len(titles) >= 4
    for expected in (article.title["en"], "Summary", "Article", "Poll"):
        assert expected in titles


def test_outline_entries_lead_to_the_pages_they_name(article, reader, pdf_bytes, tmp_path):
    destinations = {}
    items = list(reader.outline)
    while items:
        item = items.pop()
        if isinstance(item, list):
            items.extend(item)
        else:
            destinations[item.title] = reader.get_destination_page_number(item) + 1
    poll_page, callout_page = destinations["Poll"], destinations["Related article"]
    question = next(b.poll.question for b in article.body if isinstance(b, PollBlock))
    assert destinations[article.title["en"]] == 1
    assert 1 < callout_page < poll_page == len(reader.pages)
    for title, number in (("Related article", callout_page), ("Poll", poll_page)):
        text = normalize(pdf_text(pdf_bytes, tmp_path, "-f", str(number), "-l", str(number)))
        expected = callout_texts(article)[0] if title == "Related article" else question
        assert normalize(expected) in text, title


def test_web_addresses_are_live_links(article, reader):
    assert {article.web["en"], article.web["ru"]} <= link_targets(reader)


def test_running_header_and_footer_from_page_two(article, reader, pdf_bytes, tmp_path):
    pages = len(reader.pages)
    assert pages >= 2
    first = pdf_text(pdf_bytes, tmp_path, "-f", "1", "-l", "1")
    assert f"Page 1 of {pages}" not in first
    for number in range(2, pages + 1):
        text = pdf_text(pdf_bytes, tmp_path, "-f", str(number), "-l", str(number))
        assert f"Page {number} of {pages}" in text
        assert article.running_title() in text
        assert "Russian International Affairs Council" in text


def test_a4_by_default_and_letter_on_request(
    reader, letter_bytes, style, tmp_path, assert_passages_in_order
):
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (
            595.3,
            841.9,
        )
    letter = pypdf.PdfReader(io.BytesIO(letter_bytes))
    for page in letter.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612.0, 792.0)
    assert_passages_in_order(body_text(letter_bytes, style.with_paper("letter").page, tmp_path))


def test_body_size_comes_from_the_style(article, style, pdf_bytes):
    sizes = chars_by_font(pdf_bytes)
    assert style.role("body").size.pt in sizes["PTSerif-Regular"]
    bigger = dataclasses.replace(
        style,
        roles={
            **style.roles,
            "body": dataclasses.replace(
                style.role("body"), size=type(style.role("body").size)(12.0)
            ),
        },
    )
    assert 12.0 in chars_by_font(render(PdfFormat(), article, bigger))["PTSerif-Regular"]


def test_markup_lookalikes_in_source_text_stay_literal(article, style, tmp_path):
    tricky = "AT&T said <b>not bold</b> &amp; 5 < 6 > 4 &#169; <font name=x>"
    changed = dataclasses.replace(article, body=(Paragraph((Text(tricky),)), *article.body))
    text = normalize(pdf_text(render(PdfFormat(), changed, style), tmp_path))
    assert normalize(tricky) in text


def test_styles_keep_headings_with_text_and_forbid_widows(article, style):
    from exporter.formats.pdf.fonts import register_fonts
    from exporter.formats.pdf.styles import PdfStyles

    styles = PdfStyles(style, register_fonts(style), "en")
    assert styles.para("body").hyphenationLang == "en"
    assert styles.para("summary").hyphenationLang == ""
    assert styles.para("heading-1").keepWithNext


def test_every_block_and_inline_kind_renders(article, style, tmp_path):
    blocks = (
        Heading(2, (Text("A section & its <title>"),)),
        Paragraph((
            Text("Plain, "), Emph((Text("emphasis"),)), Text(", "), Strong((Text("strong"),)),
            Text(", "), Code("x < y"), Text(", "), Span("ru", (Text("по-русски"),)),
            LineBreak(), Link("https://example.org/?a=1&b=2", (Text("a link"),)),
        )),
        BlockQuote((Paragraph((Text("A quoted line."),)),)),
        ListBlock(False, ((Paragraph((Text("first item"),)),), (Paragraph((Text("second"),)),))),
        ListBlock(True, ((Paragraph((Text("numbered one"),)),),), start=3),
        CodeBlock("def f(a, b):\n    return a <= b"),
        ThematicBreak(),
    )  # fmt: skip
    changed = dataclasses.replace(article, body=blocks + article.body)
    data = render(PdfFormat(), changed, style)
    text = normalize(pdf_text(data, tmp_path))
    for expected in (
        "A section & its <title>", "Plain, emphasis, strong, x < y, по-русски", "a link",
        "A quoted line.", "first item", "3. numbered one", "return a <= b",
    ):  # fmt: skip
        assert expected in text, expected
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert "https://example.org/?a=1&b=2" in link_targets(reader)
    assert "A section & its <title>" in outline_titles(reader)
    assert font_problems(data) == []


def test_an_article_without_summary_web_edition_or_poll_still_renders(article, style, tmp_path):
    bare = dataclasses.replace(
        article, summary=(), web=None, polls=(), body=article.body[:3], short_title=None
    )
    data = render(PdfFormat(), bare, style)
    text = normalize(pdf_text(data, tmp_path))
    assert normalize(article.title["en"]) in text and normalize(article.title["ru"]) in text
    assert "Read online" not in text and "READ ONLINE" not in text
    assert outline_titles(pypdf.PdfReader(io.BytesIO(data)))[:2] == [article.title["en"], "Article"]


FAITHFUL = ROOT / "tests" / "fixtures" / "faithful" / "article.md"


@pytest.fixture(scope="module")
def faithful() -> Article:
    return load_article(FAITHFUL)


def _nested_outline(items, depth=0, out=None) -> list[tuple[int, str]]:
    """(depth, title) of every outline entry; a list in pypdf's outline holds the children
    of the entry before it."""
    out = [] if out is None else out
    for item in items:
        if isinstance(item, list):
            _nested_outline(item, depth + 1, out)
        else:
            out.append((depth, item.title))
    return out


def test_the_outline_nests_headings_under_their_sections(faithful, style):
    reader = pypdf.PdfReader(io.BytesIO(render(PdfFormat(), faithful, style)))
    outline = _nested_outline(reader.outline)
    levels = {title: depth for depth, title in outline}
    assert levels["Article"] == 0
    assert levels["Compounds in a paragraph"] == 1
    assert levels["Compounds in a list"] == 2
    assert levels["Long addresses"] == 3
    assert levels["Code"] == 4


def test_heading_levels_one_to_four_look_different(style):
    looks = {
        (r.size.pt, r.bold, r.italic, r.color)
        for r in (style.role(f"heading-{n}") for n in range(1, 5))
    }
    assert len(looks) == 4


def test_code_is_set_in_a_monospaced_face_and_keeps_its_indentation(faithful, style, tmp_path):
    data = render(PdfFormat(), faithful, style)
    assert any(name.endswith("IBMPlexMono-Regular") for name in chars_by_font(data))
    text = pdf_text(data, tmp_path, "-layout")
    lines = {line.strip(): len(line) - len(line.lstrip()) for line in text.splitlines()}
    top = next(v for k, v in lines.items() if k.startswith("def faithful"))
    assert next(v for k, v in lines.items() if k.startswith('"""Every character')) > top
    assert next(v for k, v in lines.items() if k.startswith("return text")) > top


def test_running_head_shortens_rather_than_overprints(faithful, style):
    title = faithful.title["en"]
    longer = dataclasses.replace(faithful, short_title=LocalizedText.of({"en": f"{title} {title}"}))
    pages = text_lines_with_boxes(render(PdfFormat(), longer, style))
    top = style.page.height.pt - style.page.margin_top.pt
    header = [ln for ln in pages[1][1] if ln.y0 > top]
    texts = " ".join(ln.get_text() for ln in header)
    assert "Yelzhan Kabyshev et al." in texts
    assert "\u2026" in texts  # the long running title ends in an ellipsis
    boxes = sorted((ln.x0, ln.x1) for ln in header)
    assert all(a[1] < b[0] for a, b in zip(boxes, boxes[1:], strict=False)), boxes


def test_each_edition_has_its_own_file_identifier_and_subset_names(article, style,
                                                                   handout_style):  # fmt: skip
    """The print PDF and the handout of one article carry different /IDs, each the same on
    every build; every font subset is named after its content (six letters, never the
    AAAAAA+ every first subset used to share), unique within its file."""
    import pikepdf

    from exporter.formats.pdf import HandoutFormat

    builds = {name: [render(fmt(), article, sheet) for _ in range(2)]
              for name, fmt, sheet in (("pdf", PdfFormat, style),
                                       ("handout", HandoutFormat, handout_style))}  # fmt: skip
    ids = {}
    for name, (first, second) in builds.items():
        assert first == second
        with pikepdf.open(io.BytesIO(first)) as pdf:
            ids[name] = bytes(pdf.trailer.ID[0])
            fonts = [str(f.BaseFont)[1:] for page in pdf.pages
                     for f in page.Resources.Font.values()]  # fmt: skip
        tags = {f.split("+")[0] for f in set(fonts)}
        assert len(tags) == len(set(fonts)) and "AAAAAA" not in tags
        assert all(re.fullmatch(r"[A-Z]{6}", t) for t in tags)
    assert ids["pdf"] != ids["handout"]
