"""Languages from the article, not from the script: a run's language is what the source
says (``lang:``, ``{lang=xx}`` spans, the title's keys), and only then CLDR's language for
its script. A Kazakh article's Cyrillic is Kazakh in every edition."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from lxml import etree
from readers import struct_text

from conftest import small_article
from exporter.cli import cli
from exporter.formats import edition_names, load_format
from exporter.formats.docx.ooxml import word_lang
from exporter.languages import Languages
from exporter.source import load_article

QUOTE = "«Бір рет көрген жақсы»"  # a Kazakh saying: Cyrillic the article reads as Kazakh
RUSSIAN = "Лучше один раз увидеть"
KAZAKH = f"""---
slug: qazaq-maqala
lang: kk
title:
  kk: "Тіл туралы мақала"
  ru: "Статья о языке"
authors:
  - name:
      kk: "Әсел Нұрланқызы"
publisher:
  name:
    kk: "Сынақ баспасы"
published: 2026-11-30
summary: "Қысқаша мазмұны."
---
Мақал айтады: {QUOTE}. Орысша: [{RUSSIAN}]{{lang=ru}}, дейді.
"""

_CYRILLIC = re.compile(r"[^\W\d_]", re.UNICODE)


def _article(tmp_path: Path, front: str) -> Languages:
    path = tmp_path / "a" / "article.md"
    path.parent.mkdir(parents=True)
    path.write_text(front, encoding="utf-8")
    return Languages.of(load_article(path))


# -- the model


def test_an_english_article_reads_cyrillic_in_its_titles_language(tmp_path):
    languages = Languages.of(load_article(small_article(tmp_path, "Text.\n")))
    assert languages.declared[:2] == ("en", "ru")
    assert languages.runs("Read «Есть ли выбор?» online") == [
        ("en", "Read "), ("ru", "«Есть ли выбор?»"), ("en", " online")]  # fmt: skip


def test_an_english_article_with_a_ukrainian_title_reads_cyrillic_as_ukrainian(tmp_path):
    front = small_article(tmp_path, "Text.\n").read_text(encoding="utf-8").replace("  ru:", "  uk:")
    languages = _article(tmp_path, front)
    assert ("uk", "«Привіт»") in languages.runs("Say «Привіт» twice")


def test_a_russian_article_reads_latin_in_its_titles_language(tmp_path):
    front = KAZAKH.replace("lang: kk", "lang: ru").replace("  kk: \"Тіл", "  en: \"On")
    languages = _article(tmp_path, front)
    assert languages.for_script("Latn") == "en"
    assert languages.runs("Статья «Does Tajikistan Have a Choice?» о ОДКБ.")[:2] == [
        ("ru", "Статья "), ("en", "«Does Tajikistan Have a Choice?»")]  # fmt: skip


def test_a_kazakh_articles_cyrillic_is_kazakh_and_a_russian_span_russian(tmp_path):
    languages = _article(tmp_path, KAZAKH)
    assert languages.declared[:2] == ("kk", "ru")
    assert languages.runs(f"Мақал: {QUOTE}.") == [("kk", f"Мақал: {QUOTE}.")]
    assert languages.runs(RUSSIAN, "ru") == [("ru", RUSSIAN)]
    assert languages.runs("Абай and Pushkin") == [("kk", "Абай "), ("en", "and Pushkin")]


def test_a_german_article_reads_an_undeclared_cyrillic_quotation_as_cldr_says(tmp_path):
    front = KAZAKH.replace("lang: kk", "lang: de").replace("  ru: \"Статья о языке\"\n", "")
    languages = _article(tmp_path, front.replace("  kk:", "  de:").replace("    kk:", "    de:"))
    assert languages.for_script("Cyrl") == "ru"
    assert languages.runs("Er sagte «Привет, мир» laut") == [
        ("de", "Er sagte "), ("ru", "«Привет, мир»"), ("de", " laut")]  # fmt: skip
    assert languages.runs("Привет, Welt", "ru") == [("ru", "Привет, "), ("de", "Welt")]


def test_word_tags_languages_with_their_cldr_region():
    assert [word_lang(lang) for lang in ("en", "ru", "kk", "de", "en-GB")] == [
        "en-US", "ru-RU", "kk-KZ", "de-DE", "en-GB"]  # fmt: skip


# -- every edition of a Kazakh article


def _xml_runs(root: etree._Element, inherited: str) -> list[tuple[str, str]]:
    """(language, text) of every stretch of text under ``root``, by lang/xml:lang."""
    out: list[tuple[str, str]] = []

    def visit(element: etree._Element, lang: str) -> None:
        if not isinstance(element.tag, str):
            return
        lang = element.get("{http://www.w3.org/XML/1998/namespace}lang") or element.get(
            "lang") or lang  # fmt: skip
        if element.text:
            out.append((lang, element.text))
        for child in element:
            visit(child, lang)
            if child.tail:
                out.append((lang, child.tail))

    visit(root, inherited)
    return out


def _html_runs(data: bytes) -> list[tuple[str, str]]:
    return _xml_runs(etree.fromstring(data, etree.HTMLParser()), "")


def _epub_runs(data: bytes) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.endswith(".xhtml"):
                out += _xml_runs(etree.fromstring(zf.read(name)), "")
    return out


def _docx_runs(data: bytes) -> list[tuple[str, str]]:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        styles = etree.fromstring(zf.read("word/styles.xml"))
        document = etree.fromstring(zf.read("word/document.xml"))
    default = styles.find(f"{w}docDefaults//{w}lang").get(f"{w}val")
    out = []
    for run in document.iter(f"{w}r"):
        tag = run.find(f"{w}rPr/{w}lang")
        text = "".join(t.text or "" for t in run.iter(f"{w}t"))
        out.append((default if tag is None else tag.get(f"{w}val"), text))
    return out


def _pdf_runs(path: Path) -> list[tuple[str, str]]:
    """(language, text) of every stretch of text in the structure tree: pikepdf gives each
    element's /Lang (inherited from the document's), poppler its text, in the same order."""
    with pikepdf.open(path) as pdf:
        langs: list[str] = []

        def visit(element: pikepdf.Dictionary, lang: str) -> None:
            lang = str(element.get("/Lang", lang))
            langs.append(lang)
            kids = element.get("/K")
            for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in (
                    "/MCR", "/OBJR"
                ):  # fmt: skip
                    visit(kid, lang)

        visit(pdf.Root.StructTreeRoot.K, str(pdf.Root.get("/Lang", "")))
    out, stack, index = [], [], -1
    for depth, line in struct_text(path):
        if line.startswith('"'):
            while stack and stack[-1][0] >= depth:
                stack.pop()
            out.append((stack[-1][1] if stack else langs[0], line[1:-1]))
        else:
            index += 1
            while stack and stack[-1][0] >= depth:
                stack.pop()
            stack.append((depth, langs[index]))
    assert index + 1 == len(langs), "poppler and pikepdf see different trees"
    return out


_READ = {"text/html": _html_runs, "application/epub+zip": _epub_runs}


def _runs(path: Path, media_type: str) -> list[tuple[str, str]]:
    if media_type == "application/pdf":
        return _pdf_runs(path)
    if "wordprocessingml" in media_type:
        return _docx_runs(path.read_bytes())
    if media_type in _READ:
        return _READ[media_type](path.read_bytes())
    pytest.fail(f"no reader for {media_type}: teach this test to read the new format")


@pytest.fixture(scope="module")
def kazakh_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kk")
    (folder / "qazaq-maqala").mkdir()
    (folder / "qazaq-maqala" / "article.md").write_text(KAZAKH, encoding="utf-8")
    result = CliRunner().invoke(cli, ["all", str(folder / "qazaq-maqala"), "-o",
                                      str(folder / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    return folder / "out"


@pytest.mark.parametrize("name", edition_names())
def test_every_edition_tags_kazakh_as_kazakh_and_only_the_quotation_as_russian(
    kazakh_editions, name
):
    fmt = load_format(name)
    runs = _runs(kazakh_editions / f"qazaq-maqala{fmt.suffix}", fmt.media_type)
    kazakh, russian = word_lang("kk"), word_lang("ru")
    if not fmt.media_type.startswith("application/vnd.openxml"):
        kazakh, russian = "kk", "ru"
    text = {lang: " ".join(t for lg, t in runs if lg == lang) for lang in {lg for lg, _ in runs}}
    assert QUOTE in text.get(kazakh, ""), f"{name}: the Kazakh saying is not read as Kazakh"
    assert RUSSIAN in text.get(russian, ""), f"{name}: the Russian quotation is not Russian"
    for lang, chunk in runs:
        letters = "".join(_CYRILLIC.findall(chunk))
        if not re.search(r"[\u0400-\u04ff]", letters):
            continue
        assert lang in (kazakh, russian), f"{name}: {chunk!r} is tagged {lang!r}"
        if lang == russian:
            assert chunk.strip(" ,.").replace("\u00a0", " ") in (RUSSIAN, "Статья о языке"), (
                f"{name}: {chunk!r} is tagged Russian")  # fmt: skip
