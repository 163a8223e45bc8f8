"""The words an edition adds around the article, in the edition's language.

Our own labels live in one catalogue per language (``labels/<code>.toml``), which a translator
extends without code; a label missing from a language's catalogue is printed in English
(``missing_labels`` names them for ``exporter check``). Dates, language names, lists of names
and plural forms come from CLDR through Babel.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list

CATALOGUES = Path(__file__).resolve().parent
FALLBACK = "en"
# the locale a bare language code stands for: English dates and lists as British usage
# writes them ("30 August 2022", "A, B and C"); `lang: en-US` gives American ones
_DEFAULT_REGION = {"en": "en_GB"}


@cache
def locale_of(lang: str) -> Locale:
    """The CLDR locale of a BCP 47 tag (``en`` → en_GB, ``ru`` → ru, ``kk`` → kk)."""
    tag = _DEFAULT_REGION.get(lang, lang).replace("-", "_")
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(tag.split("_")[0])
        except (UnknownLocaleError, ValueError):
            return Locale.parse(_DEFAULT_REGION[FALLBACK])


@cache
def catalogue(lang: str) -> dict[str, object]:
    """The labels of ``lang``'s own catalogue (empty when there is none)."""
    path = CATALOGUES / f"{lang.split('-')[0].lower()}.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load(lang: str) -> None:
    """Read ``lang``'s CLDR data and catalogue now, rather than when a label is first set."""
    locale_of(lang).plural_form  # noqa: B018 (reading it loads the locale's data)
    catalogue(lang)


def missing_labels(lang: str) -> list[str]:
    """The labels ``lang``'s catalogue lacks, which an edition in it prints in English."""
    own = catalogue(lang)
    return [key for key in catalogue(FALLBACK) if key not in own]


def label(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang`` (in English where ``lang``'s catalogue lacks it).

    A value ``n`` also fills ``{votes}`` with "n votes" in the right plural form.
    """
    if "n" in values:
        values = {**values, "votes": votes_count(int(values["n"]), lang)}  # type: ignore[call-overload]
    text = _entry(key, lang)
    if not isinstance(text, str):
        raise KeyError(f"label {key!r} has plural forms; use plural()")
    return text.format(**values)


def _entry(key: str, lang: str) -> object:
    own = catalogue(lang)
    if key in own:
        return own[key]
    return catalogue(FALLBACK)[key]


def plural(key: str, n: int, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang``'s plural form for ``n`` (CLDR plural rules), filled with
    ``n`` and ``values``: "1 vote", "21 голос", "24 голоса", "30 голосов"."""
    own = catalogue(lang).get(key)
    forms = own if isinstance(own, dict) else catalogue(FALLBACK)[key]
    locale = locale_of(lang) if isinstance(own, dict) else locale_of(FALLBACK)
    assert isinstance(forms, dict)
    form = locale.plural_form(n)
    return str(forms.get(form, forms["other"])).format(n=n, **values)


def votes_count(n: int, lang: str) -> str:
    """``n`` with the word for votes in the right plural form: "1 vote", "5 голосов"."""
    return plural("vote_count", n, lang)


def language_name(code: str, lang: str) -> str:
    """The name of the language ``code`` in ``lang`` (CLDR): "English", "английский",
    "казахский"; the code itself for a language CLDR does not name."""
    names = locale_of(lang).languages
    base = code.split("-")[0].lower()
    return names.get(code.replace("-", "_"), names.get(base, code))


def long_date(date: dt.date, lang: str) -> str:
    """A date as readers of ``lang`` write it (CLDR's long form): "30 August 2022",
    "30 августа 2022 г." (a no-break space before "г."; CLDR's narrow one, U+202F, is not
    in every text font)."""
    return format_date(date, format="long", locale=locale_of(lang)).replace("\u202f", "\u00a0")


def author_list(names: list[str], lang: str, short: bool = False) -> str:
    """Names as a reader of ``lang`` lists them (CLDR): "A, B and C" ("А, Б и В"); ``short``:
    the first name only, "A et al." ("А и др."), where there are more than two."""
    if not names:
        return ""
    if short and len(names) > 2:
        return label("et_al", lang, name=names[0])
    return format_list(names, style="standard", locale=locale_of(lang))


def citation(
    authors: str, title: str, publisher: str, year: int, lang: str, series: str = "",
    doi: str = "",
) -> str:  # fmt: skip
    """A one-line citation punctuated as ``lang``'s readers expect: "A and B. “Title?”
    Publisher, 2022." (English), "А и Б. Заглавие // Издатель, 2022." (Russian); a series
    ("Series, No. 3") follows the publisher and a DOI ends it as its address. The title
    ends in the catalogue's ``citation_title_end`` unless it ends in a stop of its own."""
    end = label("citation_title_end", lang)
    if end and not title.endswith(("?", "!", ".", "…")):
        title += end
    if series:
        publisher = f"{publisher} ({series})"
    text = label("citation", lang, authors=authors.rstrip("."), title=title,
                 publisher=publisher, year=year)  # fmt: skip
    return f"{text} https://doi.org/{doi}" if doi else text


def rights(attribution: str, license: str, lang: str, url: str = "", doi: str = "") -> str:
    """Whom a text credits, its licence (with the licence's address) and its DOI, as one
    line ("" when the source names none of them)."""
    return " \u00b7 ".join(rights_parts(attribution, license, lang, url, doi))


def rights_parts(
    attribution: str, license: str, lang: str, url: str = "", doi: str = ""
) -> list[str]:
    """The parts of ``rights``, each a line of its own where there is room (a colophon)."""
    parts = [attribution] if attribution else []
    if license:
        shown = f"{license} ({url})" if url and url != license else license
        parts.append(label("license", lang, license=shown))
    if doi:
        parts.append(f"DOI: https://doi.org/{doi}")
    return parts
