"""Whole-paragraph line breaking: every guarantee of the greedy breaker kept, and the lines
a reader sees evener, with fewer hyphens and never three hyphenated lines in a row."""

from __future__ import annotations

import functools
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_linebreak import _flat, _text_of, measure, texts

from exporter.formats.pdf.linebreak import Line, Space, Word, fill, rest, tokens
from exporter.formats.pdf.totalfit import (
    EXPAND,
    MOST_IN_A_ROW,
    SHRINK,
    adjustment,
    total_fit,
    word_spaces,
)

PROSE = (
    "The conflict is essentially glossed over in the country's state-owned media, which "
    "virtually avoids mentioning the operation. Its leadership attempts to distance itself "
    "from public discussions of events, thereby upholding its neutral stance towards the "
    "situation, while also leaving room for strategic maneuvering. Even though critical "
    "posts occasionally make it to social media outlets, there is no blatant country-wide "
    "campaign, and the independent press remains marginal in comparison with television. "
)
RUSSIAN = (
    "Сейчас хотел бы отдельно остановиться на вопросах регионального развития. Также "
    "считаю, что регионам нужно предоставить более широкие возможности распоряжаться "
    "средствами в рамках достижения целей национальных проектов. Приведу конкретный "
    "пример: если при этом остались средства, их можно будет не возвращать в бюджет, а "
    "направить, скажем, на закупку оборудования для отремонтированной поликлиники. "
)


def _lines(text: str, width: float, lang: str = "en", justify: bool = True) -> list[Line]:
    items = tokens([(text, "body")], measure, lang, True)
    return total_fit(items, lambda _: width, measure, justify, em=10.0)


def _hyphenated(lines: list[Line]) -> int:
    return sum(1 for line in lines if line.hyphen is not None)


def _runs(lines: list[Line]) -> int:
    longest = run = 0
    for line in lines:
        run = run + 1 if line.hyphen is not None else 0
        longest = max(longest, run)
    return longest


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(min_value=8, max_value=400), st.booleans())
def test_breaking_a_whole_paragraph_never_changes_a_character(text, width, justify):
    lines = _lines(text, float(width), justify=justify)
    drawn = _text_of(lines)
    assert drawn.count("\u00ad") == drawn.count("\u00ad\n")  # added hyphens end lines only
    assert _flat(drawn) == text.replace(" ", "")
    assert lines[-1].last and not any(line.last for line in lines[:-1])
    for line in lines:  # a line is no wider than its room once its spaces shrink their most
        spaces = sum(i.width for i in line.items if isinstance(i, Space))
        letters = line.width - spaces
        least = line.width - spaces * SHRINK - letters * EXPAND
        alone = len([i for i in line.items if isinstance(i, Word)]) == 1
        assert least <= width + 1e-6 or alone


@pytest.mark.parametrize("width", [150.0, 240.0, 330.0])
def test_the_rest_of_a_paragraph_from_any_line_is_what_follows(width):
    items = tokens([(PROSE * 2, "body")], measure, "en", True)
    lines = total_fit(items, lambda _: width, measure)
    whole = _flat(_text_of(lines))
    for index in range(1, len(lines)):
        tail = total_fit(rest(items, lines[index]), lambda _: width, measure)
        assert _flat(_text_of(lines[:index])) + _flat(_text_of(tail)) == whole


@pytest.mark.parametrize("text,lang", [(PROSE * 3, "en"), (RUSSIAN * 3, "ru")])
@pytest.mark.parametrize("width", [190.0, 260.0, 340.0])
def test_fewer_hyphens_and_loose_lines_than_filling_greedily(text, lang, width):
    items = tokens([(text, "body")], measure, lang, True)
    whole = total_fit(items, lambda _: width, measure)
    greedy = fill(items, lambda _: width, measure)
    assert _hyphenated(whole) <= _hyphenated(greedy)
    assert _runs(whole) <= MOST_IN_A_ROW

    def loose(lines: list[Line]) -> int:  # justified lines whose spaces grow past twice
        return sum(1 for line in lines[:-1] if line.spaces and not line.ragged
                   and adjustment(line, width, measure)[0] > 5.0)  # fmt: skip

    assert loose(whole) <= loose(greedy)


def test_never_three_hyphenated_lines_in_a_row():
    # long words and a narrow measure: the greedy breaker hyphenates line after line
    text = "internationalisation telecommunications institutionalisation " * 12
    items = tokens([(text, "body")], measure, "en", True)
    for width in (150.0, 180.0, 240.0):
        room = functools.partial(float, width)
        assert _runs(fill(items, lambda _, r=room: r(), measure)) > MOST_IN_A_ROW
        assert _runs(total_fit(items, lambda _, r=room: r(), measure)) <= MOST_IN_A_ROW


def test_the_last_full_line_is_not_hyphenated_where_it_need_not_be():
    lines = _lines(PROSE, 260.0)
    assert len(lines) > 3 and lines[-2].hyphen is None


def test_a_word_wider_than_the_line_is_broken_between_characters_only_when_it_must():
    lines = _lines("x" * 30, 50.0)
    assert [_text_of([line]) for line in lines] == ["x" * 10] * 3
    assert _text_of(_lines("ab cd", 50.0)) == "ab cd"


def test_forced_breaks_end_lines_and_a_trailing_one_adds_none():
    lines = _lines("first line\nsecond\n", 400.0)
    assert _text_of(lines) == "first line\nsecond"
    assert lines[0].last and lines[1].last


def test_a_justified_line_fills_its_room_exactly_with_letters_changed_two_percent_at_most():
    width = 260.0
    for line in _lines(PROSE * 2, width)[:-1]:
        if line.ragged or not line.spaces:
            continue
        word_space, scale = adjustment(line, width, measure)
        spaces = word_spaces(line, measure)
        drawn = (line.width + (5.0 if line.hyphen is not None else 0.0)
                 + word_space * len(spaces)) * scale  # fmt: skip
        assert drawn == pytest.approx(width)
        assert abs(scale - 1) <= EXPAND + 1e-9
        space = statistics.fmean(spaces)
        assert space + word_space >= space * (1 - SHRINK) - 1e-9


def test_no_break_spaces_widen_with_the_spaces():
    lines = _lines("a\u00a0b " * 40, 200.0)
    line = lines[0]
    assert len(word_spaces(line, measure)) > line.spaces  # the no-break ones count too


def test_ragged_text_is_rarely_hyphenated_and_no_line_is_left_short():
    items = tokens([(PROSE * 2, "body")], measure, "en", True)
    whole = total_fit(items, lambda _: 240.0, measure, justify=False, em=10.0)
    greedy = fill(items, lambda _: 240.0, measure)
    assert _hyphenated(whole) < _hyphenated(greedy)
    assert all(line.width >= 240.0 - 4 * 10.0 for line in whole[:-1])  # 4 ems at most


tied = st.lists(
    st.sampled_from(["в\u00a0Москве", "2019\u00a0году", "расходы\u00a0—", "А.\u00a0С.\u00a0Пушкин",
                     "политического", "и\u00a0распространены", "внимания", "https://example.org/a"]),
    min_size=1, max_size=30,
).map(" ".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(tied, st.integers(min_value=20, max_value=400))
def test_no_line_ends_at_a_no_break_space_and_every_character_stays(text, width):
    items = tokens([(text, "body")], measure, "ru", True)
    lines = total_fit(items, lambda _: float(width), measure)
    drawn = _text_of(lines)
    assert _flat(drawn) == text.replace(" ", "")
    rows = drawn.split("\n")
    for row, following in zip(rows, rows[1:], strict=False):
        if len(row.rstrip("\u00ad")) > 1 and following:  # not a word cut where nothing fits
            assert not row.endswith("\u00a0") and not following.startswith("\u00a0")


TITLE = "Does Tajikistan Have a Choice Amid Anti-Russian Sanctions or Counter-Measures?"


def _title_lines(width: float, words_only: bool) -> list[str]:
    items = tokens([(TITLE, "body")], measure, "en", True, words_only=words_only)
    return _text_of(total_fit(items, lambda _: width, measure, False, em=10.0)).split("\n")


@pytest.mark.parametrize("width", [90.0, 110.0, 130.0, 170.0, 230.0])
def test_a_title_breaks_only_between_words(width):
    """A title's words stay whole: no hyphen added, and a compound is not broken after its
    own hyphen ("Anti-Russian"): every line ends at a space."""
    lines = _title_lines(width, words_only=True)
    assert [word for line in lines for word in line.split()] == TITLE.split()


def test_body_text_at_those_widths_does_break_inside_words():
    inside = [width for width in (90.0, 110.0, 130.0, 170.0, 230.0)
              if [w for line in _title_lines(width, False) for w in line.split()]
              != TITLE.split()]  # fmt: skip
    assert inside
