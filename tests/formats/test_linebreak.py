"""The PDF line breaker: where a line may end, and that filling lines never changes a word."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.formats.pdf.linebreak import (
    AFTER,
    HYPHENATE,
    Line,
    NewLine,
    Space,
    Word,
    break_points,
    fill,
    rest,
    tokens,
)


def measure(text: str, look: object) -> float:
    """A monospaced measure: every character is 5 points wide, code (look "code") 6."""
    return len(text) * (6.0 if look == "code" else 5.0)


def points(text: str, lang: str = "en", hyphenate: bool = True) -> dict[str, str]:
    """Each break point as "head|tail" with its kind."""
    return {f"{text[:i]}|{text[i:]}": kind for i, kind in break_points(text, lang, hyphenate)}


def test_a_compound_breaks_after_its_own_hyphens_which_stay():
    found = points("state-of-the-art", hyphenate=False)
    assert found == {"state-|of-the-art": AFTER, "state-of-|the-art": AFTER,
                     "state-of-the-|art": AFTER}  # fmt: skip


def test_a_word_breaks_at_the_dictionarys_points_in_its_script():
    assert points("relations")["rela|tions"] == HYPHENATE
    russian = points("вмешательства")  # Cyrillic: the Russian dictionary, in an English text
    assert "вмеша|тельства" in russian and set(russian.values()) == {HYPHENATE}
    mixed = points("TLS-вмешательства")
    assert mixed["TLS-|вмешательства"] == AFTER
    assert all(kind == HYPHENATE for key, kind in mixed.items() if key != "TLS-|вмешательства")


def test_an_address_breaks_only_after_url_characters_and_is_never_hyphenated():
    url = "https://www.mid.ru/ru/foreign_policy/news/?lang=ru&utm_source=x"
    found = points(url)
    assert set(found.values()) == {AFTER}
    assert {key.split("|")[0][-1] for key in found} <= set("/.?&=-_")
    assert "https://|www.mid.ru/ru/foreign_policy/news/?lang=ru&utm_source=x" in found
    assert not any(key.startswith("https:/|") for key in found)  # never between "//"


def test_numbers_and_short_tokens_are_not_broken():
    """HTTP/1.1 moves to the next line whole; an address never breaks inside a number."""
    assert points("HTTP/1.1,") == {}
    doi = points("http://dx.doi.org/10.6028/NIST.SP.800-63b")
    assert "http://dx.doi.org/|10.6028/NIST.SP.800-63b" in doi
    assert "http://dx.doi.org/10.|6028/NIST.SP.800-63b" not in doi
    assert "http://dx.doi.org/10.6028/NIST.SP.800-|63b" not in doi
    assert points("800-63-2", hyphenate=False) == {}  # a standard's number, a date
    assert points("NIST-800", hyphenate=False) == {"NIST-|800": AFTER}


def test_no_hyphenation_where_the_role_turns_it_off():
    assert points("relations", hyphenate=False) == {}


def _text_of(lines: list[Line]) -> str:
    """The lines as drawn, joined as a reader joins them: a hyphen added at a line end is
    shown as "\u00ad" and every line break as "\n"."""
    out = []
    for line in lines:
        drawn = "".join(
            item.text if isinstance(item, Space)
            else "".join(p.text for p in item.pieces)
            for item in line.items
        )  # fmt: skip
        out.append(drawn + ("\u00ad" if line.hyphen is not None else ""))
    return "\n".join(out)


texts = st.lists(
    st.sampled_from(["state-of-the-art", "man-in-the-middle", "TLS-вмешательства", "up-to-date",
                     "relations", "independently", "https://example.org/a_b/c?d=e&f=g-h",
                     "a", "I", "военно-политический", "x" * 40]),
    min_size=1, max_size=40,
).map(" ".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(min_value=8, max_value=400))
def test_filling_lines_never_changes_a_character(text, width):
    lines = fill(tokens([(text, "body")], measure, "en", True), lambda _: float(width), measure)
    drawn = _text_of(lines)
    assert drawn.count("\u00ad") == drawn.count("\u00ad\n")  # added hyphens end lines only
    assert _flat(drawn) == text.replace(" ", "")
    for line in lines:
        hyphen = measure("\u00ad", line.hyphen) if line.hyphen is not None else 0.0
        alone = len([i for i in line.items if isinstance(i, Word)]) == 1
        assert line.width + hyphen <= width + 1e-6 or alone


def test_a_word_wider_than_the_line_is_broken_between_characters_only_when_it_must():
    lines = fill(tokens([("x" * 30, "body")], measure, "en", True), lambda _: 50.0, measure)
    assert [_text_of([line]) for line in lines] == ["x" * 10] * 3


def test_forced_breaks_and_code_indentation_are_kept():
    code = "def f():\n    return 1"
    lines = fill(tokens([(code, "code")], measure, "en", False, keep_spaces=True),
                 lambda _: 400.0, measure, indent=True)  # fmt: skip
    assert _text_of(lines) == "def f():\n    return 1"
    assert lines[0].last and lines[1].last


def _flat(text: str) -> str:
    return text.replace("\u00ad", "").replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("width", [30.0, 60.0, 90.0])
def test_the_rest_of_a_paragraph_from_any_line_is_what_follows(width):
    items = tokens([("state-of-the-art relations " * 4, "body")], measure, "en", True)
    lines = fill(items, lambda _: width, measure)
    whole = _flat(_text_of(lines))
    for index in range(1, len(lines)):
        tail = fill(rest(items, lines[index]), lambda _: width, measure)
        assert _flat(_text_of(lines[:index])) + _flat(_text_of(tail)) == whole


def test_tokens_keep_newlines_and_drop_soft_hyphens():
    items = tokens([("a\u00adb c\nd", "body")], measure, "en", True)
    assert [type(t).__name__ for t in items] == ["Word", "Space", "Word", "NewLine", "Word"]
    assert items[0].text == "ab" and isinstance(items[3], NewLine)


def test_a_character_wider_than_the_line_is_set_rather_than_looping():
    lines = fill(tokens([("a W bb", "body")], measure, "en", True), lambda _: 3.0, measure)
    assert [_text_of([line]) for line in lines] == ["a", "W", "b", "b"]


# -- hyphenation by language and region (issue 22, item 2)


def test_english_is_hyphenated_with_american_patterns_unless_british():
    assert "literat|ure" not in points("literature", "en")
    assert "liter|ature" in points("literature", "en")  # lit-er-a-ture
    assert "literat|ure" in points("literature", "en-GB")  # lit-er-at-ure


def test_russian_keeps_two_letters_before_and_after_a_break():
    found = points("вмешательства", "ru")
    assert found and all(len(key.split("|")[0]) >= 2 and len(key.split("|")[1]) >= 2
                         for key in found)  # fmt: skip
    assert all(len(key.split("|")[1]) >= 3 for key in points("relations", "en"))


@pytest.mark.parametrize("name", ["Russia", "Helsinki", "Tajikistan", "Казахстане", "NATO-led"])
def test_capitalised_words_are_not_hyphenated(name):
    assert HYPHENATE not in points(name, "ru" if name[0] == "К" else "en").values()


def test_a_compound_breaks_only_at_its_own_hyphen():
    assert points("human-engineered") == {"human-|engineered": AFTER}
    assert points("военно-политический", "ru") == {"военно-|политический": AFTER}


@settings(max_examples=100, deadline=None)
@given(texts, st.integers(min_value=8, max_value=400))
def test_no_capitalised_or_compound_word_is_hyphenated(text, width):
    lines = fill(tokens([(text, "body")], measure, "en", True), lambda _: float(width), measure)
    for line in lines:
        if line.hyphen is not None:
            word = line.items[-1].text
            if not word[0].isalpha():  # the rest of a word already cut where nothing fits
                continue
            assert not word[0].isupper() and "-" not in word


def test_our_text_output_writes_what_reportlabs_does():
    """``text_out`` skips steps of reportlab's ``textOut``: every operator it writes, and
    the cursor, must be reportlab's own, in one face and across faces, with characters
    that need escaping, no-break spaces, Cyrillic and more characters than a subset holds."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from exporter.formats.pdf.fonts import face_name, register_fonts
    from exporter.formats.pdf.textblock import Look, measure, text_out
    from exporter.style import load_style

    register_fonts(load_style("default"))
    regular, bold = face_name("PT Serif", False, False), face_name("PT Serif", True, False)
    many = "".join(chr(c) for c in range(0x410, 0x450)) + "".join(chr(c) for c in range(0x21, 0x7F))
    many += "".join(chr(c) for c in range(0xC0, 0x17F))  # past 256 codes: a second subset
    chunks = [("Plain words, (parens) and a back\\slash", regular, 10.5),
              ("Слово\u00a0и\u00a0слово", regular, 10.5), ("bold — “quoted”", bold, 9.0),
              (many, regular, 10.5), (many[::-1], bold, 12.0), ("\u00ad", regular, 10.5),
              ("", regular, 10.5)]  # fmt: skip
    written = []
    for ours in (False, True):
        canvas = Canvas(io.BytesIO())
        text = canvas.beginText(0, 0)
        for chunk, font, size in chunks:
            text.setFont(font, size)
            if ours:
                text_out(text, chunk, measure(chunk, Look(font, size, None)))
            else:
                text.textOut(chunk)
        written.append((text._code, text._x, text._curSubset))
    assert written[0] == written[1]
    assert sum(" Tf " in part for part in written[1][0]) >= 4  # faces and subsets changed
