"""Typography by language (``exporter.source.typography``): each rule in English and in
Russian, what is never touched, languages mixed in a paragraph, ``typography: false``,
idempotence, and every edition built from a source typed with straight quotes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from readers import READERS

from conftest import small_article
from exporter import model as m
from exporter.cli import cli
from exporter.formats import edition_names, load_format
from exporter.languages import Languages
from exporter.model import block_texts, plain_text
from exporter.source import load_article
from exporter.source.typography import RULES, typeset_inlines, typeset_text

NB = "\u00a0"
EN = Languages("en", ("en", "ru"))
RU = Languages("ru", ("ru", "en"))


def en(text: str) -> str:
    """Set in English with every rule, no-break spaces too."""
    return typeset_text(text, "en", EN, no_break=True)


def ru(text: str) -> str:
    return typeset_text(text, "ru", RU, no_break=True)


# ---------------------------------------------------------------------------
# quotes and apostrophes


@pytest.mark.parametrize(
    ("typed", "set_"),
    [
        ("Tajikistan's choice", "Tajikistan’s choice"),
        ("don't, can't, the '90s", "don’t, can’t, the ’90s"),
        ('He said "yes".', "He said “yes”."),
        ("He said \"it's 'fine' now\".", "He said “it’s ‘fine’ now”."),
        ("the parents' house", "the parents’ house"),
        ("rock 'n' roll", "rock ’n’ roll"),
        ('“curly” and "straight" mixed', "“curly” and “straight” mixed"),
        ('("quoted")', "(“quoted”)"),
    ],
)
def test_english_quotes_and_apostrophes(typed, set_):
    assert en(typed) == set_


@pytest.mark.parametrize(
    ("typed", "set_"),
    [
        ('Он сказал "да".', "Он сказал «да»."),
        ('"Он сказал "да" ей"', "«Он сказал „да“ ей»"),
        ('«Один» и "два" и “три”', "«Один» и\xa0«два» и\xa0«три»"),
        ("'Слово'", "«Слово»"),  # Russian has no single quotes: the outer marks
        ("«Он сказал «да» ей»", "«Он сказал „да“ ей»"),
        ("Д'Артаньян", "Д’Артаньян"),
    ],
)
def test_russian_quotes_guillemets_outside_and_low_high_inside(typed, set_):
    assert ru(typed) == set_


def test_a_term_takes_the_quotes_of_the_text_a_quotation_its_own_language():
    # "man-in-the-middle" in a Russian sentence is a term: Russian quotes
    assert ru('атака "man-in-the-middle" опасна') == "атака «man-in-the-middle» опасна"
    assert ru('компания "Ernst & Young" за год') == "компания «Ernst & Young» за\xa0год"
    # a Russian quotation of three words or more in an English paragraph: Russian quotes
    assert en('He wrote "расходы тоже растут" then.') == "He wrote «расходы тоже растут» then."
    assert ru('Цитата: "the quick brown fox" и всё.') == "Цитата: “the quick brown fox” и\xa0всё."


def test_a_span_in_another_language_takes_its_quotes_and_pairs_across_emphasis():
    nodes = (
        m.Text("See "),
        m.Span("ru", (m.Text('"слово"'),)),
        m.Text(' and "'),
        m.Emph((m.Text("this"),)),
        m.Text('".'),
    )
    out = typeset_inlines(nodes, "en", EN, no_break=True)
    assert plain_text(out) == "See «слово» and “this”."
    assert isinstance(out[1], m.Span) and isinstance(out[3], m.Emph)


# ---------------------------------------------------------------------------
# dashes and the ellipsis


def test_english_spaced_en_dash_and_ranges():
    assert en("costs - too") == f"costs{NB}– too"
    assert en("costs -- too — and more") == f"costs{NB}– too{NB}– and more"
    assert en("in 1990-1995 and 1990 - 1995") == "in 1990–1995 and 1990–1995"
    assert en("state-of-the-art, 2019-05-01, 1995-1990, 555-1234") == (
        "state-of-the-art, 2019-05-01, 1995-1990, 555-1234"
    )
    assert en("an em—dash between words stays") == "an em—dash between words stays"


def test_russian_em_dash_with_a_no_break_space_before_it():
    assert ru("расходы – тоже") == f"расходы{NB}— тоже"
    assert ru("расходы - тоже, а нарушение -- согласованным") == (
        f"расходы{NB}— тоже, а{NB}нарушение{NB}— согласованным"
    )
    assert ru("в 1728—1730 годах") == f"в{NB}1728–1730{NB}годах"
    assert ru("военно-политические") == "военно-политические"


def test_ellipsis():
    assert en("and so on...") == "and so on…"
    assert ru("и так далее...") == f"и{NB}так далее…"
    assert en("four dots....") == "four dots...."


# ---------------------------------------------------------------------------
# no-break spaces


def test_russian_no_break_spaces():
    assert ru("в Москве и к тому же") == f"в{NB}Москве и{NB}к{NB}тому же"
    assert ru("на столе, за окном, до утра") == f"на{NB}столе, за{NB}окном, до{NB}утра"
    assert ru("в 2019 году, 5 %, 10 км") == f"в{NB}2019{NB}году, 5{NB}%, 10{NB}км"
    assert ru("А. С. Пушкин") == f"А.{NB}С.{NB}Пушкин"
    assert ru("№ 5") == f"№{NB}5"
    assert ru("длинное слово") == "длинное слово"
    # before code (a word the pass never changes), not before a line break
    nodes = (m.Text("Например, с "), m.Code("kubectl"), m.Text(" и"), m.LineBreak(),
             m.Text("и "), m.Link("https://x.org", (m.Text("DaemonSet"),)))  # fmt: skip
    out = typeset_inlines(nodes, "ru", RU, no_break=True)
    assert plain_text(out) == f"Например, с{NB}kubectl и\nи{NB}DaemonSet"


def test_english_no_break_spaces_between_a_number_and_its_unit():
    assert en("5 km, 10 %, 32 bits and 3 GHz.") == f"5{NB}km, 10{NB}%, 32{NB}bits and 3{NB}GHz."
    assert en("5 apples in a box") == "5 apples in a box"
    assert en("J. R. R. Tolkien") == f"J.{NB}R.{NB}R.{NB}Tolkien"


def test_every_rule_is_data_per_language():
    assert set(RULES) == {"en", "ru"}
    assert typeset_text('Er sagte "ja" - oder...', "de") == 'Er sagte "ja" - oder…'


# ---------------------------------------------------------------------------
# never touched


def test_code_urls_and_raw_text_are_never_touched():
    typed = 'See https://example.org/a"b\'c... and x@y.org, <a href="x">, &amp; "here".'
    assert en(typed) == (
        'See https://example.org/a"b\'c... and x@y.org, <a href="x">, &amp; “here”.'
    )
    nodes = (
        m.Text('Run "'),
        m.Code('print("it\'s") - 1...'),
        m.Text('" at '),
        m.Link("https://example.org/?q=\"a\"", (m.Text("https://example.org/'x'"),)),
        m.Text("."),
    )
    out = typeset_inlines(nodes, "en", EN, no_break=True)
    assert out[1] == nodes[1] and out[3] == nodes[3]
    assert plain_text(out) == "Run “print(\"it's\") - 1...” at https://example.org/'x'."


# ---------------------------------------------------------------------------
# idempotence


SAMPLES = [
    'He said "it\'s \'fine\' now" - and left... in 1990-1995 for 5 km.',
    'Атака "man-in-the-middle" и "он сказал "да" ей" - расходы – тоже в 2019 году, А. С. Пушкин',
    "«Ernst & Young» и 'слово' в 1728—1730 годах...",
]


@pytest.mark.parametrize("typed", SAMPLES)
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_twice_is_once(typed, lang):
    langs = EN if lang == "en" else RU
    for no_break in (True, False):
        once = typeset_text(typed, lang, langs, no_break)
        assert typeset_text(once, lang, langs, no_break) == once


_WORDS = {
    "en": ["word", "it's", "2019", "5", "km", "J.", "R.", "Tolkien", "state-of-the-art",
           "1990-1995", "'90s", "a", "https://x.org/\"a\"", "%"],
    "ru": ["слово", "в", "Москве", "2019", "году", "5", "км", "А.", "С.", "Пушкин", "и",
           "на", "военно-политические", "1990-1995", "https://x.org/\"a\"", "%"],
}  # fmt: skip


def _sentence(lang: str) -> st.SearchStrategy[str]:
    """A text in one language: words, quoted or not, between spaces or spaced dashes."""
    token = st.tuples(
        st.sampled_from(["", '"', "'", "«", "(", "„", "“", "‘", '("']),
        st.sampled_from(_WORDS[lang]),
        st.sampled_from(["", '"', "'", "»", ",", ".", "...", "”", "’", "“", '")']),
    ).map("".join)
    gap = st.sampled_from([" ", " ", " - ", " – ", " — "])
    parts = st.lists(st.tuples(token, gap), min_size=1, max_size=12)
    return parts.map(lambda found: "".join(a + b for a, b in found).strip())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["en", "ru"]).flatmap(lambda lang: st.tuples(st.just(lang),
                                                                    _sentence(lang))))
def test_twice_is_once_for_any_sentence(case):
    lang, typed = case
    for no_break in (True, False):
        once = typeset_text(typed, lang, no_break=no_break)
        assert typeset_text(once, lang, no_break=no_break) == once
        assert len(once) <= len(typed)


# ---------------------------------------------------------------------------
# the article: on by default, off with typography: false


BODY = """# Tajikistan's "choice"

He said "it's done" - in 1990-1995... The `code "here"` and <https://example.org/'x'> stay.

Он сказал: "расходы - тоже" в 2019 году.

```
print("it's")
```
"""


def test_the_loader_sets_every_text_and_typography_false_keeps_it_as_typed(tmp_path):
    path = small_article(tmp_path / "on", BODY)
    article = load_article(path)
    texts = list(block_texts(article.body))
    assert texts[0] == "Tajikistan’s “choice”"
    assert texts[1].startswith(f"He said “it’s done”{NB}– in 1990–1995…")
    assert "`" not in texts[1] and 'code "here"' in texts[1]
    assert "https://example.org/'x'" in texts[1]
    assert texts[2] == f"Он сказал: «расходы{NB}— тоже» в{NB}2019{NB}году."
    assert texts[3] == "print(\"it's\")"
    assert article.title["ru"] == "Сноски всюду"

    off = tmp_path / "off" / "article.md"
    off.parent.mkdir()
    off.write_text(path.read_text("utf-8").replace("lang: en\n", "lang: en\ntypography: false\n"))
    typed = list(block_texts(load_article(off).body))
    assert typed[0] == 'Tajikistan\'s "choice"'
    assert typed[2] == 'Он сказал: "расходы - тоже" в 2019 году.'


def test_typography_must_be_true_or_false(tmp_path):
    from exporter.errors import SourceError

    path = small_article(tmp_path, "Text.\n")
    path.write_text(path.read_text("utf-8").replace("lang: en\n", "lang: en\ntypography: no way\n"))
    with pytest.raises(SourceError, match="typography"):
        load_article(path)


def test_no_straight_quote_remains_in_the_prose_of_any_edition(tmp_path: Path):
    body = BODY + "\nThe world's \"northernmost\" desert - 'so to say'.\n"
    path = small_article(tmp_path / "src", body)
    path.write_text(path.read_text("utf-8").replace('title:\n  en: "Notes everywhere"',
                                                    "title:\n  en: \"Tajikistan's Notes\""))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["all", str(path.parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    verbatim = ['code "here"', "https://example.org/'x'", "print(\"it's\")"]
    for name in edition_names():
        suffix = load_format(name).suffix
        edition = out / f"notes-everywhere{suffix}"
        text = READERS["." + suffix.rsplit(".", 1)[1]](edition.read_bytes())
        text = re.sub(r"(?<=[/.])\n(?=[a-z'])", "", text)  # an address set over two lines
        assert "Tajikistan’s" in text and "«расходы" in text, name
        for kept in verbatim:
            assert kept in text, (name, kept)
            text = text.replace(kept, "")
        assert '"' not in text and "'" not in text, (name, [
            line for line in text.splitlines() if '"' in line or "'" in line])


def test_no_break_spaces_keep_every_character_in_the_pdf(tmp_path: Path):
    """A Russian text set with no-break spaces keeps every character in the PDF: a PDF font
    sets U+00A0 with the space's code, so the word spacing of a justified line widens it
    too, and the line is measured so (it once ran past the margin and lost its last
    character to a reader of the text area)."""
    from readers import pdf_raw_text, text_area

    from conftest import missing_as_written
    from exporter.style import load_style

    text = ("Материал, с\u00a0учетом изменений и/или исправлений, а\u00a0также и\u00a0другие "
            "схожие по\u00a0существу права, не\u00a0являющиеся авторскими. ") * 40
    path = small_article(tmp_path / "src", text + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["pdf", str(path.parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    read = pdf_raw_text((out / "notes-everywhere.pdf").read_bytes(),
                        text_area(load_style("default").page))
    assert not missing_as_written(read, [text.strip()])
