"""Model helpers every edition relies on: shares, plain text, language runs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exporter.languages import script_runs
from exporter.model import LocalizedText, largest_remainder_shares


def test_published_poll_shares_come_out_of_the_votes():
    assert largest_remainder_shares([33, 30, 24, 21]) == [31, 28, 22, 19]


def test_shares_of_no_votes_are_zero():
    assert largest_remainder_shares([0, 0]) == [0, 0]


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12))
def test_shares_always_sum_to_100_and_stay_within_one_point(votes):
    shares = largest_remainder_shares(votes)
    total = sum(votes)
    if total == 0:
        assert shares == [0] * len(votes)
        return
    assert sum(shares) == 100
    for share, vote in zip(shares, votes, strict=True):
        assert abs(share - vote * 100 / total) < 1


def test_russian_phrases_are_split_out_for_language_tagging():
    runs = script_runs("Read «Есть ли выбор?» online", "en")
    assert ("ru", "«Есть ли выбор?»") in runs
    assert "".join(text for _, text in runs) == "Read «Есть ли выбор?» online"


def test_russian_text_in_a_russian_article_is_one_run():
    assert script_runs("Есть ли выбор?", "ru") == [("ru", "Есть ли выбор?")]


@given(st.text(alphabet="abc АБВ ,.«»-", max_size=60))
def test_language_runs_always_rebuild_the_text(text):
    assert "".join(t for _, t in script_runs(text, "en")) == text


def test_localized_text_falls_back_to_the_primary_language():
    title = LocalizedText.of({"en": "Title", "ru": "Заголовок"})
    assert title.in_lang("ru-RU") == "Заголовок"
    assert title.in_lang("de") == "Title"
    assert title.others("en") == (("ru", "Заголовок"),)


def test_english_phrases_in_a_russian_text_are_split_out():
    runs = script_runs("Статья «Does Tajikistan Have a Choice?» о ОДКБ.", "ru")
    assert ("en", "«Does Tajikistan Have a Choice?»") in runs
    assert runs[0] == ("ru", "Статья ")
