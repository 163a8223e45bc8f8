"""The few words an edition adds around the article, in each language the toolkit speaks."""

from __future__ import annotations

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "Summary",
        "article": "Article",
        "poll": "Poll",
        "related": "Related article",
        "answer": "Answer",
        "votes": "Votes",
        "share": "Share",
        "total": "Total",
        "total_votes": "{votes} in total",
        "page_of": "Page {page} of {pages}",
        "read_online": "Read online",
        "read_in": "Read in {language}",
        "web_edition": "Web edition",
        "published": "Published {date}",
        "title_page": "Title page",
        "cover": "Cover",
        "contents": "Contents",
        "poll_chart": "Bar chart of the poll results",
        "language_en": "English",
        "language_ru": "Russian",
        "and": "{first} and {last}",
        "et_al": "{name} et al.",
        "citation": "{authors}. “{title}” {publisher}, {year}.",
        "license": "Licence: {license}",
        "table": "Table {n}",
        "figure": "Figure {n}",
        "notes": "Notes",
        "note_call": "Note {n}",
        "note_back": "Back to the text of note {n}",
    },
    "ru": {
        "summary": "Аннотация",
        "article": "Статья",
        "poll": "Опрос",
        "related": "Статья по теме",
        "answer": "Ответ",
        "votes": "Голоса",
        "share": "Доля",
        "total": "Всего",
        "total_votes": "Всего: {votes}",
        "page_of": "Страница {page} из {pages}",
        "read_online": "Читать онлайн",
        "read_in": "Читать на языке: {language}",
        "web_edition": "Веб-версия",
        "published": "Опубликовано {date}",
        "title_page": "Титульная страница",
        "cover": "Обложка",
        "contents": "Содержание",
        "poll_chart": "Столбчатая диаграмма результатов опроса",
        "language_en": "английском",
        "language_ru": "русском",
        "and": "{first} и {last}",
        "et_al": "{name} и др.",
        "citation": "{authors}. {title} // {publisher}, {year}.",
        "license": "Лицензия: {license}",
        "table": "Таблица {n}",
        "figure": "Рисунок {n}",
        "notes": "Примечания",
        "note_call": "Примечание {n}",
        "note_back": "Вернуться к тексту примечания {n}",
    },
}

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "ru": [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
}


def label(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang`` (English where the language is not known).

    A value ``n`` also fills ``{votes}`` with "n votes" in the right grammatical number.
    """
    table = _LABELS.get(lang.split("-")[0], _LABELS["en"])
    if "n" in values:
        values = {**values, "votes": votes_count(int(values["n"]), lang)}  # type: ignore[call-overload]
    return table.get(key, _LABELS["en"][key]).format(**values)


_VOTE_FORMS = {"en": ("vote", "votes", "votes"), "ru": ("голос", "голоса", "голосов")}


def votes_count(n: int, lang: str) -> str:
    """``n`` with the word for votes in the right grammatical number: "1 vote", "21 голос",
    "24 голоса", "30 голосов"."""
    one, few, many = _VOTE_FORMS.get(lang.split("-")[0], _VOTE_FORMS["en"])
    if lang.split("-")[0] != "ru":
        return f"{n} {one if n == 1 else many}"
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} {few}"
    return f"{n} {many}"


def language_name(code: str, lang: str) -> str:
    """The name of the language ``code`` as readers of ``lang`` say it ("English",
    "русском"); the code itself for a language the toolkit has no name for."""
    key = f"language_{code.split('-')[0]}"
    if key not in _LABELS["en"]:
        return code
    return label(key, lang)


def long_date(date: object, lang: str) -> str:
    """A date as readers of ``lang`` write it: "30 August 2022", "30 августа 2022 г."."""
    day, month, year = date.day, date.month, date.year  # type: ignore[attr-defined]
    if lang.split("-")[0] == "ru":
        return f"{day} {_MONTHS['ru'][month - 1]} {year} г."
    return f"{day} {_MONTHS['en'][month - 1]} {year}"


def author_list(names: list[str], lang: str, short: bool = False) -> str:
    """Names as a reader of ``lang`` lists them: "A, B and C" ("А, Б и В"); ``short``:
    the first name only, "A et al." ("А и др."), where there are more than two."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if short and len(names) > 2:
        return label("et_al", lang, name=names[0])
    return label("and", lang, first=", ".join(names[:-1]), last=names[-1])


def citation(authors: str, title: str, publisher: str, year: int, lang: str) -> str:
    """A one-line citation punctuated as ``lang``'s readers expect: "A and B. “Title?”
    Publisher, 2022." (English), "А и Б. Заглавие // Издатель, 2022." (Russian)."""
    if lang.split("-")[0] != "ru" and not title.endswith(("?", "!", ".", "…")):
        title += "."
    return label("citation", lang, authors=authors.rstrip("."), title=title,
                 publisher=publisher, year=year)  # fmt: skip


def rights(attribution: str, license: str, lang: str) -> str:
    """Whom a text credits and its licence, as one line ("" when the source names neither)."""
    parts = [attribution] if attribution else []
    if license:
        parts.append(label("license", lang, license=license))
    return " \u00b7 ".join(parts)
