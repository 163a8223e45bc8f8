"""The words an edition adds: lists of names and the citation line, in English and Russian."""

from __future__ import annotations

import pytest

from exporter.labels import author_list, citation


@pytest.mark.parametrize(
    ("names", "lang", "short", "expected"),
    [
        (["A"], "en", False, "A"),
        (["A", "B"], "en", False, "A and B"),
        (["A", "B", "C"], "en", False, "A, B and C"),
        (["А", "Б", "В"], "ru", False, "А, Б и В"),
        (["A", "B", "C"], "en", True, "A et al."),
        (["А", "Б", "В"], "ru", True, "А и др."),
        (["A", "B"], "en", True, "A and B"),
    ],
)
def test_author_lists_read_as_readers_of_the_language_write_them(names, lang, short, expected):
    assert author_list(names, lang, short) == expected


def test_a_citation_is_punctuated_as_a_citation():
    title = "Does Tajikistan Have a Choice Amid Anti-Russian Sanctions?"
    assert citation("E. Makhmutova", title, "RIAC", 2022, "en") == (
        "E. Makhmutova. “Does Tajikistan Have a Choice Amid Anti-Russian Sanctions?” RIAC, 2022."
    )
    assert citation("A and B", "A Title", "P", 2024, "en") == "A and B. “A Title.” P, 2024."
    assert citation("А и Б", "Заглавие", "РСМД", 2022, "ru") == "А и Б. Заглавие // РСМД, 2022."
