"""One style for every edition: restyling any role reaches every edition that sets text in it."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import ROOT
from exporter.formats import ExportOptions, edition_names, load_format
from exporter.model import BlockQuote, Paragraph, Text, ThematicBreak
from exporter.source import load_article
from exporter.style import REQUIRED_ROLES, RULE_ROLES, Color, Length, load_style

pytestmark = pytest.mark.slow

INK = (0x0A, 0x3B, 0x5C)
HEX = "0a3b5c"
FORMATS = tuple(edition_names())
# roles no edition of that format sets text in: the e-book and the page have no running head;
# Word draws the rule over its footnotes itself
NOT_IN = {"header": {"epub", "html"}, "footer": {"epub", "html"}, "note-rule": {"docx"}}


@pytest.fixture(scope="module")
def everything(article):
    """The seed (poll, related box, summary) with the reproduction's headings, lists, code and
    long addresses, the sample's figures, table and notes, a quotation and a thematic break:
    every role has something to set."""
    faithful = load_article(ROOT / "tests" / "fixtures" / "faithful" / "article.md")
    sample = load_article(ROOT / "source" / "a4-and-letter" / "article.md")
    quote = BlockQuote((Paragraph((Text("A quotation."),)),))
    body = (*article.body, *faithful.body, *sample.body, quote, ThematicBreak())
    return dataclasses.replace(article, body=body, footnotes=sample.footnotes)


def _restyled(fmt, role: str):
    base = load_style(fmt.default_style)
    key = "border_color" if role in RULE_ROLES else "color"
    changed = dataclasses.replace(base.roles[role], **{key: Color(*INK)})
    return dataclasses.replace(base, roles={**base.roles, role: changed})


def _pdf_uses(data: bytes) -> bool:
    wanted = [round(c / 255, 3) for c in INK]
    number = r"(\d*\.?\d+)"
    pattern = re.compile(rf"{number}\s+{number}\s+{number}\s+(?:rg|RG)")
    for page in PdfReader(io.BytesIO(data)).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        for match in pattern.finditer(stream):
            if [round(float(g), 3) for g in match.groups()] == wanted:
                return True
    return False


def _zip_uses(data: bytes) -> bool:
    hexes = (HEX, HEX.upper())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            raw = package.read(name)
            if name.endswith(".png"):
                with Image.open(io.BytesIO(raw)) as image:
                    if any(c == INK for _, c in image.convert("RGB").getcolors(1 << 20) or ()):
                        return True
            elif any(h.encode() in raw for h in hexes):
                return True
    return False


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_restyling_a_role_reaches_every_edition_that_sets_it(everything, role):
    missed = []
    for name in FORMATS:
        if name in NOT_IN.get(role, ()):
            continue
        fmt = load_format(name)
        out = io.BytesIO()
        fmt().write(everything, _restyled(fmt, role), ExportOptions(embed_fonts=False), out)
        data = out.getvalue()
        suffix = fmt.suffix.rsplit(".", 1)[1]
        if suffix == "pdf":
            found = _pdf_uses(data)
        elif suffix == "html":
            found = f"#{HEX}" in data.decode("utf-8")
        else:
            found = _zip_uses(data)
        if not found:
            missed.append(name)
    assert not missed, f"{role} restyled, but not in: {', '.join(missed)}"


def _render_all(article, change) -> dict[str, bytes]:
    out = {}
    for name in FORMATS:
        fmt = load_format(name)
        buffer = io.BytesIO()
        style = change(load_style(fmt.default_style))
        fmt().write(article, style, ExportOptions(embed_fonts=False), buffer)
        out[name] = buffer.getvalue()
    return out


def test_the_body_size_and_the_margins_reach_every_edition_they_apply_to(article):
    same = _render_all(article, lambda style: style)

    def bigger_body(style):
        body = dataclasses.replace(style.roles["body"], size=Length(13.5), leading=Length(18))
        return dataclasses.replace(style, roles={**style.roles, "body": body})

    def wider_margins(style):
        page = dataclasses.replace(style.page, margin_left=Length(90), margin_right=Length(90))
        return dataclasses.replace(style, page=page)

    big = _render_all(article, bigger_body)
    assert b"13.5 Tf" in b"".join(
        p.get_contents().get_data() for p in PdfReader(io.BytesIO(big["pdf"])).pages
    )
    with zipfile.ZipFile(io.BytesIO(big["docx"])) as package:
        assert b'<w:sz w:val="27"/>' in package.read("word/styles.xml")
    for name in ("handout", "epub", "html"):
        assert big[name] != same[name], name
    wide = _render_all(article, wider_margins)
    for name in ("pdf", "handout", "docx"):  # the e-book and the page reflow: no page margins
        assert wide[name] != same[name], name
    with zipfile.ZipFile(io.BytesIO(wide["docx"])) as package:
        assert b'w:left="1800"' in package.read("word/document.xml")
