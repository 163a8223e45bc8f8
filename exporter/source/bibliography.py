"""The works an article may cite, read from the bibliography files its front matter names
(``bibliography: references.bib``, or a list): BibTeX and BibLaTeX (``.bib``, as Zotero,
JabRef and Mendeley export them; read with pybtex, LaTeX accents decoded with latexcodec),
CSL-JSON (``.json``) and CSL-YAML (``.yaml``, ``.yml``). Every entry becomes a CSL-JSON
item, the form a CSL processor takes, keeping where it was written.

Refused, each with its file and line: a file that cannot be read or parsed, a key given
twice (in one file or across several), an entry without a title or without a date (an
undated work says so: ``year = {n.d.}``, or CSL's ``"issued": {"literal": "n.d."}``)."""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import latexcodec  # noqa: F401  (registers the "latex" codec)

MAX_BYTES = 8 * 1024 * 1024  # a bibliography larger than this is refused
MAX_ENTRIES = 20_000
UNDATED = ("n.d.", "nd", "no date", "б. г.", "б.г.", "б. д.")

# BibLaTeX entry types → CSL types (as pandoc's citeproc and Zotero map them).
TYPES = {
    "article": "article-journal", "book": "book", "mvbook": "book", "booklet": "pamphlet",
    "inbook": "chapter", "incollection": "chapter", "bookinbook": "chapter",
    "suppbook": "chapter", "collection": "book", "mvcollection": "book",
    "proceedings": "book", "mvproceedings": "book", "inproceedings": "paper-conference",
    "conference": "paper-conference", "report": "report", "techreport": "report",
    "manual": "report", "thesis": "thesis", "phdthesis": "thesis",
    "mastersthesis": "thesis", "online": "webpage", "www": "webpage",
    "electronic": "webpage", "misc": "document", "unpublished": "manuscript",
    "patent": "patent", "periodical": "periodical", "dataset": "dataset",
    "software": "software", "standard": "standard", "legislation": "legislation",
    "jurisdiction": "legal_case", "newspaper": "article-newspaper",
    "magazine": "article-magazine",
}  # fmt: skip
# BibLaTeX ``langid``/``language`` names → language tags.
LANGUAGES = {
    "english": "en", "american": "en-US", "USenglish": "en-US", "british": "en-GB",
    "UKenglish": "en-GB", "russian": "ru", "german": "de", "ngerman": "de", "french": "fr",
    "spanish": "es", "italian": "it", "ukrainian": "uk", "kazakh": "kk", "polish": "pl",
    "chinese": "zh", "japanese": "ja",
}  # fmt: skip
_FIELDS = {  # plain BibLaTeX fields → CSL variables
    "doi": "DOI", "url": "URL", "isbn": "ISBN", "issn": "ISSN", "volume": "volume",
    "edition": "edition", "note": "note", "shorttitle": "title-short",
    "shortjournal": "container-title-short", "series": "collection-title",
    "eventtitle": "event-title", "venue": "event-place", "version": "version",
    "pagetotal": "number-of-pages", "volumes": "number-of-volumes", "origtitle": "original-title",
    "abstract": "abstract",
}  # fmt: skip


class BibliographyError(Exception):
    """A bibliography that cannot be used: ``path``, ``line`` (from 1) and what is wrong."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class Entry:
    """One work: its CSL-JSON item (``id`` its key) and where it is written."""

    item: dict[str, Any]
    path: str
    line: int

    @property
    def key(self) -> str:
        return str(self.item["id"])

    @property
    def lang(self) -> str:
        return str(self.item.get("language", ""))


def read_bibliographies(paths: list[tuple[Path, str]]) -> dict[str, Entry]:
    """Every entry of the files ``paths`` (each with the name to show), by key; a key given
    twice is refused, naming both places."""
    entries: dict[str, Entry] = {}
    for path, shown in paths:
        for entry in read_bibliography(path, shown):
            if entry.key in entries:
                first = entries[entry.key]
                raise BibliographyError(shown, entry.line, f"key {entry.key!r} is given twice "
                                        f"(first at {first.path}:{first.line})")  # fmt: skip
            entries[entry.key] = entry
    return entries


def read_bibliography(path: Path, shown: str) -> list[Entry]:
    """The entries of one file, by its suffix."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BibliographyError(shown, 1, f"{size:,} bytes: a bibliography may have at "
                                    f"most {MAX_BYTES:,}")  # fmt: skip
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise BibliographyError(shown, line, "not UTF-8 text (save it as UTF-8)") from None
    except OSError as exc:
        raise BibliographyError(shown, 1, f"cannot be read: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if suffix == ".bib":
        entries = _bibtex(text, shown)
    elif suffix == ".json":
        entries = _csl_json(text, shown)
    elif suffix in (".yaml", ".yml"):
        entries = _csl_yaml(text, shown)
    else:
        raise BibliographyError(shown, 1, f"unknown bibliography format {suffix or '(none)'!r}"
                                " (use .bib, .json or .yaml)")  # fmt: skip
    if len(entries) > MAX_ENTRIES:
        raise BibliographyError(shown, 1, f"{len(entries):,} entries: at most {MAX_ENTRIES:,}")
    for entry in entries:
        _check(entry)
    return entries


def _check(entry: Entry) -> None:
    item = entry.item
    if not str(item.get("title", "")).strip():
        raise BibliographyError(entry.path, entry.line, f"entry {entry.key!r} has no title")
    if not item.get("issued"):
        raise BibliographyError(entry.path, entry.line, f"entry {entry.key!r} has no date "
                                "(year or date)")  # fmt: skip


# -- BibTeX and BibLaTeX ----------------------------------------------------------------------

_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s]+)\s*,", re.M)


def _bibtex(text: str, shown: str) -> list[Entry]:
    from pybtex.database import BibliographyDataError, parse_string
    from pybtex.errors import capture
    from pybtex.scanner import PybtexError, PybtexSyntaxError

    lines: dict[str, list[int]] = {}
    for found in _ENTRY_START.finditer(text):
        if found.group(1).lower() not in ("comment", "preamble", "string"):
            lines.setdefault(found.group(2).lower(), []).append(
                text.count("\n", 0, found.start()) + 1)
    for key, where in lines.items():
        if len(where) > 1:
            raise BibliographyError(shown, where[1], f"key {key!r} is given twice (first on "
                                    f"line {where[0]})")  # fmt: skip
    try:
        with capture() as reported:
            data = parse_string(text, "bibtex")
        for problem in reported:  # a field given twice (as exports often do) keeps its first
            if not _DUPLICATE_FIELD.search(str(problem)):
                raise problem
    except PybtexSyntaxError as exc:
        message = str(exc).split(": ", 1)[-1]
        raise BibliographyError(shown, exc.lineno or 1, f"not BibTeX: {message}") from None
    except (BibliographyDataError, PybtexError) as exc:
        raise BibliographyError(shown, 1, f"not BibTeX: {exc}") from None
    entries = []
    for key, entry in data.entries.items():
        line = lines.get(key.lower(), [1])[0]
        entries.append(Entry(_csl_item(key, entry, shown, line), shown, line))
    return entries


_DUPLICATE_FIELD = re.compile(r"duplicate \S+ field")
_SINGLE_QUOTED = re.compile(r"`([^`']*)'")  # TeX's `quoted'
_URL_COMMAND = re.compile(r"\\(?:url|path)\s*\{([^{}]*)\}")


def _latex(value: str) -> str:
    """A BibTeX field's value as text: accents and dashes decoded, case braces dropped."""
    value = _URL_COMMAND.sub(r"\1", value)
    text = value
    if "\\" in value or "--" in value or "~" in value or "`" in value or "''" in value:
        try:
            text = codecs.decode(value, "ulatex")
        except (ValueError, TypeError, UnicodeError):  # LaTeX it cannot read: kept as written
            text = value
    text = _SINGLE_QUOTED.sub(r"‘\1’", text.replace("{", "").replace("}", ""))
    return re.sub(r"\s+", " ", text).strip()


def _csl_item(key: str, entry: Any, shown: str, line: int) -> dict[str, Any]:
    fields = {name.lower(): _latex(str(value)) for name, value in entry.fields.items()}
    kind = entry.type.lower()
    item: dict[str, Any] = {"id": key, "type": TYPES.get(kind, "article")}
    title = fields.get("title", "")
    if fields.get("subtitle"):
        title = f"{title}: {fields['subtitle']}"
    if fields.get("titleaddon"):
        title = f"{title}. {fields['titleaddon']}"
    item["title"] = title
    container = fields.get("journaltitle") or fields.get("journal")
    if kind in ("inbook", "incollection", "bookinbook", "inproceedings", "conference",
                "suppbook"):  # fmt: skip
        container = fields.get("booktitle") or fields.get("maintitle") or container
    if container:
        item["container-title"] = container
    for role in ("author", "editor", "translator"):
        people = entry.persons.get(role)
        if people:
            item[role] = [_person(p) for p in people]
    if "editor" not in item and fields.get("editor"):
        item["editor"] = [{"literal": fields["editor"]}]
    date = fields.get("date") or fields.get("year", "")
    if date:
        item["issued"] = _date(date, fields.get("month", ""), shown, line, key)
    if fields.get("urldate"):
        item["accessed"] = _date(fields["urldate"], "", shown, line, key)
    publisher = fields.get("publisher")
    if kind in ("report", "techreport", "manual"):
        publisher = publisher or fields.get("institution") or fields.get("organization")
    if kind in ("thesis", "phdthesis", "mastersthesis"):
        publisher = publisher or fields.get("school") or fields.get("institution")
        item["genre"] = fields.get("type") or {"phdthesis": "PhD diss.",
                                               "mastersthesis": "Master's thesis"}.get(kind, "")
    elif fields.get("type"):
        item["genre"] = fields["type"]
    if kind in ("misc", "online") and not publisher:
        publisher = fields.get("organization") or fields.get("institution") or fields.get(
            "howpublished") if not str(fields.get("howpublished", "")).startswith("\\url") \
            else None  # fmt: skip
    if publisher:
        item["publisher"] = publisher
    place = fields.get("location") or fields.get("address")
    if place:
        item["publisher-place"] = place
    if fields.get("pages"):
        item["page"] = fields["pages"].replace("--", "–").replace("-", "–")
    number = fields.get("number") or fields.get("issue")
    if number:
        item["issue" if item["type"].startswith("article") else "number"] = number
    for name, variable in _FIELDS.items():
        if fields.get(name):
            item[variable] = fields[name]
    if "DOI" in item:
        item["DOI"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", item["DOI"], flags=re.I)
    lang = fields.get("langid") or fields.get("language") or fields.get("hyphenation")
    if lang:
        item["language"] = LANGUAGES.get(lang, LANGUAGES.get(lang.lower(), lang))
    return item


def _person(person: Any) -> dict[str, str]:
    last = " ".join(_latex(n) for n in person.last_names)
    given = " ".join(_latex(n) for n in (*person.first_names, *person.middle_names))
    particle = " ".join(_latex(n) for n in person.prelast_names)
    if not given and not particle and str(person).strip().startswith("{"):
        return {"literal": last}  # {World Bank}: an organisation, never inverted
    name = {"family": last}
    if given:
        name["given"] = given
    if particle:
        name["non-dropping-particle"] = particle
    if person.lineage_names:
        name["suffix"] = " ".join(_latex(n) for n in person.lineage_names)
    return name


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul",
                                         "aug", "sep", "oct", "nov", "dec"), 1)}  # fmt: skip


def _date(value: str, month: str, shown: str, line: int, key: str) -> dict[str, Any]:
    """A BibLaTeX date (``2020``, ``2020-05-17``, ``2019/2020``) as CSL date parts."""
    if value.strip().lower() in UNDATED:
        return {"literal": value.strip()}
    ranges = []
    for part in value.split("/")[:2]:
        found = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*", part)
        dotted = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", part)  # 19.01.2015
        if found is None and dotted is None:
            raise BibliographyError(shown, line, f"entry {key!r}: date {value!r} is not a "
                                    "year, YYYY-MM-DD or DD.MM.YYYY")  # fmt: skip
        groups = found.groups() if found else dotted.groups()[::-1]  # type: ignore[union-attr]
        ranges.append([int(g) for g in groups if g])
    if month and len(ranges[0]) == 1:
        number = _MONTHS.get(month.strip().lower()[:3]) or (int(month) if month.isdigit() else 0)
        if 1 <= number <= 12:
            ranges[0].append(number)
    return {"date-parts": ranges}


# -- CSL-JSON and CSL-YAML --------------------------------------------------------------------


def _csl_json(text: str, shown: str) -> list[Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BibliographyError(shown, exc.lineno, f"not JSON: {exc.msg}") from None
    return _csl_items(data, text, shown)


def _csl_yaml(text: str, shown: str) -> list[Entry]:
    from exporter.source.yamlsafe import YamlProblem, load_located

    try:
        located = load_located(text)
    except YamlProblem as exc:
        raise BibliographyError(shown, exc.line + 1, f"not {exc.message}") from None
    if located.problems:
        problem = located.problems[0]
        raise BibliographyError(shown, problem.line + 1, problem.message)
    data = located.data
    if isinstance(data, dict) and "references" in data:
        data = data["references"]
    return _csl_items(data, text, shown)


def _csl_items(data: Any, text: str, shown: str) -> list[Entry]:
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise BibliographyError(shown, 1, "a CSL bibliography is a list of items, each with "
                                "an id")  # fmt: skip
    entries, seen = [], {}
    for index, item in enumerate(data):
        key = str(item.get("id", "")).strip()
        line = _line_of(text, key) if key else 1
        if not key:
            raise BibliographyError(shown, line, f"item {index + 1} has no id")
        if key in seen:
            raise BibliographyError(shown, line, f"key {key!r} is given twice (first on line "
                                    f"{seen[key]})")  # fmt: skip
        seen[key] = line
        item = {**item, "id": key}
        if "language" in item:
            item["language"] = str(item["language"])
        entries.append(Entry(_shaped(item, shown, line), shown, line))
    return entries


def _shaped(item: dict[str, Any], shown: str, line: int) -> dict[str, Any]:
    """A CSL item whose every value has the shape CSL gives it: names a list of mappings
    of texts, dates ``date-parts`` of whole numbers (or a ``literal``), every other
    variable a text or a number (made a text); anything else is refused with the item."""
    from citeproc import DATES, NAMES

    key = item["id"]

    def refuse(name: str, shape: str) -> BibliographyError:
        return BibliographyError(shown, line, f"entry {key!r}: {name} must be {shape}")

    out: dict[str, Any] = {}
    for name, value in item.items():
        variable = name.replace("-", "_")
        if variable in NAMES:
            if not isinstance(value, list) or not all(
                    isinstance(p, dict) and all(isinstance(v, str | int | bool)
                                                for v in p.values()) for p in value):  # fmt: skip
                raise refuse(name, "a list of names ({family: …, given: …} or {literal: …})")
            out[name] = [{k: str(v) if not isinstance(v, bool) else v for k, v in p.items()}
                         for p in value]  # fmt: skip
        elif variable in DATES:
            if isinstance(value, str | int) or hasattr(value, "isoformat"):  # 2020-05-17
                text = value.isoformat() if hasattr(value, "isoformat") else str(value)
                found = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*", text)
                value = ({"date-parts": [[int(g) for g in found.groups() if g]]} if found
                         else {"literal": text})  # fmt: skip
            if not isinstance(value, dict):
                raise refuse(name, "a date ({date-parts: [[2020, 5]]} or {literal: …})")
            parts = value.get("date-parts")
            if parts is not None:
                try:
                    value = {**value, "date-parts": [[int(n) for n in part][:3]
                                                     for part in parts][:2]}  # fmt: skip
                except (TypeError, ValueError):
                    raise refuse(name, "date parts of whole numbers ([[2020, 5, 17]])") from None
                if not value["date-parts"] or not value["date-parts"][0]:
                    raise refuse(name, "a date with at least a year")
            elif not isinstance(value.get("literal"), str):
                raise refuse(name, "a date ({date-parts: [[2020, 5]]} or {literal: …})")
            out[name] = value
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            raise refuse(name, "a text or a number")
        else:
            out[name] = value if isinstance(value, str) else str(value)
    return out


def _line_of(text: str, key: str) -> int:
    found = re.search(rf"""(?:"id"|\bid)\s*:\s*["']?{re.escape(key)}\b""", text)
    return text.count("\n", 0, found.start()) + 1 if found else 1
