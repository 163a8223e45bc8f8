"""Emoji: set in the monochrome Noto Emoji face (the last fallback of the text fonts) in every
edition, like any other fallback, and never refused; a character no font has still is."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from readers import READERS, pdf_raw_text

from conftest import MADE, SEED, SUFFIXES
from exporter.cli import cli
from exporter.fonts import coverage, family_coverage, font_family, missing_glyphs
from exporter.style import load_style

SLUG = "tajikistan-choice-amid-sanctions"
HEART = "\U0001f499"  # 💙 BLUE HEART: outside the Basic Multilingual Plane
RED_HEART = "\u2764\ufe0f"  # ❤️ with VARIATION SELECTOR-16 (emoji presentation)
CLOSING = f"Thank you for taking part in our survey {HEART} and for reading to the end {RED_HEART}"
EDITIONS = SUFFIXES


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, bytes]:
    """Every edition of the seed article with an emoji in its closing line (serif, regular)
    and in a heading after it (sans, bold), exported with ``exporter all``."""
    folder = tmp_path_factory.mktemp("emoji")
    source = folder / SLUG / "article.md"
    source.parent.mkdir()
    text = SEED.read_text("utf-8").rstrip("\n")
    source.write_text(f"{text}\n\n{CLOSING}\n\n## With thanks {HEART}\n", encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    found = {p.name.removeprefix(SLUG): p.read_bytes() for p in out.glob(f"{SLUG}*")}
    assert sorted(found) == sorted(MADE)
    return {suffix: data for suffix, data in found.items() if suffix in EDITIONS}


def test_noto_emoji_comes_from_the_manimgx_fonts_package():
    import manimgx_fonts

    family = font_family("Noto Emoji")
    assert set(family.files.values()) == {
        Path(manimgx_fonts.__file__).resolve().parent / "NotoEmoji[wght].ttf"
    }
    assert {ord(HEART), 0x2764, 0xFE0F} <= family_coverage(("Noto Emoji",))
    assert 0x2648 in family_coverage(("Noto Sans Symbols",))  # ♈: the other file it ships


def test_the_bold_emoji_face_is_an_instance_of_the_variable_font():
    from fontTools.ttLib import TTFont

    family = font_family("Noto Emoji")
    regular, bold = family.static_face(False, False), family.static_face(True, False)
    assert regular == family.regular  # its default instance: the file as it is
    with TTFont(bold) as font:
        assert "fvar" not in font and font["OS/2"].usWeightClass == 700
    assert ord(HEART) in coverage(bold)


@pytest.mark.parametrize("name", ["default", "handout"])
def test_noto_emoji_is_the_last_fallback_of_the_text_fonts(name):
    style = load_style(name)
    for family in style.text_families:
        assert style.fallback(family)[-1] == "Noto Emoji", family


def test_an_emoji_and_its_variation_selector_are_not_refused():
    style = load_style("default")
    text = f"---\ntitle: x\n---\n{CLOSING}\n"
    assert missing_glyphs("a.md", text, style.text_families, style.fallbacks) == []


@pytest.mark.parametrize("suffix", [".docx", ".epub", ".html"])
def test_the_word_and_web_editions_hold_the_emoji(editions, suffix):
    text = READERS["." + suffix.rsplit(".", 1)[1]](editions[suffix])
    assert HEART in text, suffix
    assert "\u2764" in text, suffix


@pytest.mark.parametrize("suffix", [".pdf", "-handout.pdf"])
def test_the_pdf_embeds_a_noto_emoji_subset(editions, suffix):
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(io.BytesIO(editions[suffix])).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    emoji = {f for f in fonts if f.split("+")[-1].startswith("NotoEmoji-")}
    assert emoji, fonts
    assert all(re.fullmatch(r"/[A-Z]{6}\+NotoEmoji-\w+", f) for f in emoji)  # subsets


@pytest.mark.parametrize("suffix", [".pdf", "-handout.pdf"])
def test_the_pdf_reads_the_emoji_back(editions, suffix):
    for text in (pdf_raw_text(editions[suffix]), READERS[".pdf"](editions[suffix])):
        assert "\u2764" in text  # in the Basic Multilingual Plane: read back already
        assert HEART in text


def _font_cmap(data: bytes) -> dict[int, str]:
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(data)) as font:
        return font.getBestCmap()


def test_the_epub_carries_a_noto_emoji_subset(editions):
    with zipfile.ZipFile(io.BytesIO(editions[".epub"])) as zf:
        css = zf.read("EPUB/css/book.css").decode()
        fonts = [n for n in zf.namelist() if n.startswith("EPUB/fonts/NotoEmoji")]
        assert len(fonts) == 1  # one file for the regular and the bold face
        cmap = _font_cmap(zf.read(fonts[0]))
    assert '"PT Serif", "Noto Serif", "IBM Plex Serif", "Noto Emoji", serif' in css
    assert ord(HEART) in cmap and len(cmap) < 100  # a subset, not the whole font


def test_the_web_page_carries_a_noto_emoji_subset(editions):
    page = editions[".html"].decode()
    faces = re.findall(r'font-family: "Noto Emoji";[^}]*?base64,([A-Za-z0-9+/=]+)', page)
    assert faces
    cmap = _font_cmap(base64.b64decode(faces[0]))
    assert ord(HEART) in cmap and len(cmap) < 100


def test_word_sets_the_emoji_in_noto_emoji_and_embeds_it(editions):
    with zipfile.ZipFile(io.BytesIO(editions[".docx"])) as zf:
        document = zf.read("word/document.xml").decode()
        table = zf.read("word/fontTable.xml").decode()
    assert re.search(rf'w:ascii="Noto Emoji"[^<]*/></w:rPr><w:t[^>]*>{HEART}</w:t>', document)
    assert re.search(r'w:name="Noto Emoji".*?<w:embedRegular', table, re.S)


def test_a_character_no_font_has_is_still_refused(tmp_path):
    """U+10000 LINEAR B SYLLABLE B008 A: in none of the families the default style sets
    text in, fallbacks included (tests/test_hostile_input.py refuses it end to end)."""
    style = load_style("default")
    for family in style.families_with_fallbacks():
        assert 0x10000 not in family_coverage((family,)), family
    text = f"---\ntitle: x\n---\n{HEART} \U00010000\n"
    problems = missing_glyphs("a.md", text, style.text_families, style.fallbacks)
    assert [(p.line, p.column) for p in problems] == [(4, 3)]
    assert "U+10000 LINEAR B SYLLABLE B008 A" in problems[0].message
    assert "Noto Emoji" in problems[0].message
