"""The front matter of an imported manuscript: from the title-matter paragraphs (Title,
Subtitle, Byline, Affiliation, Meta and Summary styles), the core, extended and custom
document properties (everything the Word edition stores there), and the options given;
never the clock."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from exporter import model as m
from exporter.importer.read import Item
from exporter.labels import catalogue, label
from exporter.source.outline import id_problem

_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
# "Glick-Stal, Leah": a name as Word's author property often holds it, surname first
_SORT_FORM = re.compile(r"([^\W\d][\w'’.-]*(?: [^\W\d][\w'’.-]*){0,2}), "
                        r"([^\W\d][\w'’.-]*(?: [^\W\d][\w'’.-]*){0,1})")
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "inc", "ltd", "llc"}
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_PER_LANG = re.compile(r"^(Title|Author|Affiliation|Publisher|Web edition|Short title|"
                       r"Publisher short) \(([A-Za-z0-9-]+)\)$")


@dataclass(frozen=True)
class Given:
    """What the options say (empty: take it from the manuscript)."""

    slug: str = ""
    title: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    lang: str = ""
    publisher: str = ""
    summary: str = ""


@dataclass
class Front:
    data: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # one line each: what, and the option


def properties(doc: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The custom properties (name → text) and the extended ones (Company, …)."""
    custom: dict[str, str] = {}
    app: dict[str, str] = {}
    for part in doc.part.package.iter_parts():
        name = str(part.partname)
        if name not in ("/docProps/custom.xml", "/docProps/app.xml"):
            continue
        try:
            root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError:
            continue
        if name.endswith("custom.xml"):
            for prop in root.iter(f"{_CUSTOM}property"):
                value = "".join(prop.itertext()).strip()
                if prop.get("name") and value:
                    custom[prop.get("name", "")] = value
        else:
            for child in root:
                if isinstance(child.tag, str) and child.text:
                    app[child.tag.replace(_APP, "")] = child.text.strip()
    return custom, app


def front_matter(
    doc: Any, front: list[Item], lang: str, given: Given, stem: str,
    first_heading: str, markdown: Callable[[tuple[m.Inline, ...]], str],
    summary: list[str],
) -> Front:  # fmt: skip
    """The front matter, in the order an editor reads it, and what is missing."""
    core = doc.core_properties
    custom, app = properties(doc)
    texts = {k: [m.plain_text(i.content.inlines) for i in front if i.kind == k and i.content]
             for k in ("title", "subtitle", "byline", "affiliation", "meta")}  # fmt: skip
    out = Front()
    d = out.data
    slug = given.slug or custom.get("Slug", "") or _slugified(stem)
    if not slug or id_problem(slug) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        out.missing.append(f"no usable slug from the file name {stem!r}: give one with --slug")
    d["slug"] = slug
    d["lang"] = lang
    others = {match.group(2): value for key, value in custom.items()
              if (match := _PER_LANG.match(key)) and match.group(1) == "Title"}  # fmt: skip
    title = given.title or next(iter(texts["title"]), "") or (core.title or "").strip() or (
        first_heading)
    if not title:
        out.missing.append("the manuscript has no title (no Title-style paragraph, no title "
                           "property, no heading): give it with --title")  # fmt: skip
    d["title"] = {lang: title, **others} if others else title
    subtitles = [s for s in texts["subtitle"] if s not in others.values()]
    if subtitles:
        d["subtitle"] = subtitles[0]
    running = _running_title(doc)
    if running and running != title:
        shorts = _in_langs(custom, "Short title")
        d["short-title"] = {lang: running, **shorts} if shorts else running
    d["authors"] = _authors(core, custom, front, texts, lang, given, markdown)
    if not d["authors"]:
        out.missing.append("the manuscript names no author (no author property, no byline): "
                           "give one with --author (repeat it for more)")  # fmt: skip
    publisher = given.publisher or app.get("Company", "")
    if not publisher:
        out.missing.append("the manuscript names no publisher (no Company property): give it "
                           "with --publisher")  # fmt: skip
    pubs = {match.group(2): v for k, v in custom.items()
            if (match := _PER_LANG.match(k)) and match.group(1) == "Publisher"}  # fmt: skip
    d["publisher"] = {"name": {lang: publisher, **pubs} if pubs else publisher}
    meta = texts["meta"][0] if texts["meta"] else ""
    if publisher and meta.startswith(f"{publisher} ("):
        short = meta[len(publisher) + 2:].split(")", 1)[0]
        shorts = _in_langs(custom, "Publisher short")
        d["publisher"]["short"] = {lang: short, **shorts} if shorts else short
    webs = {match.group(2): v for k, v in custom.items()
            if (match := _PER_LANG.match(k)) and match.group(1) == "Web edition"}  # fmt: skip
    if webs:
        d["web"] = webs
    published = given.date or custom.get("Published", "") or _date(core.created) or _date(
        core.modified)
    if not published:
        out.missing.append("the manuscript has no date (no Published, created or modified "
                           "property): give it with --date YYYY-MM-DD")  # fmt: skip
    elif not _is_date(published):
        out.missing.append(f"--date {published!r} is not a date: give it as YYYY-MM-DD")
    d["published"] = published
    date_note = custom.get("Date note", "") or (core.comments or "").strip()
    if date_note:
        d["date-note"] = date_note
    dateline = _dateline(meta, publisher, custom, lang)
    if dateline:
        d["dateline"] = dateline
    if custom.get("DOI"):
        d["doi"] = custom["DOI"]
    if custom.get("Series"):
        d["series"] = {"name": custom["Series"]}
        if custom.get("Series number"):
            d["series"]["number"] = custom["Series number"]
    keywords = [k.strip() for k in re.split(r"[,;]", core.keywords or "") if k.strip()]
    if keywords:
        d["keywords"] = list(dict.fromkeys(keywords))
    text = given.summary or "\n\n".join(summary) or (
        "" if (core.subject or "").endswith("\u2026") else (core.subject or "").strip())
    if not text:
        out.missing.append("the manuscript has no summary (no Summary or Abstract paragraph, "
                           "no subject property): give it with --summary")  # fmt: skip
    d["summary"] = text
    if custom.get("License"):
        d["license"] = custom["License"]
    attribution = _attribution(texts["meta"], custom, lang)
    if attribution:
        d["attribution"] = attribution
    d["typography"] = False
    return out


def _in_langs(custom: dict[str, str], what: str) -> dict[str, str]:
    """The Word edition's ``<what> (<lang>)`` properties, by language."""
    return {match.group(2): value for key, value in custom.items()
            if (match := _PER_LANG.match(key)) and match.group(1) == what}  # fmt: skip


def _slugified(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:120].strip("-")


def _date(value: dt.datetime | None) -> str:
    return value.date().isoformat() if isinstance(value, dt.datetime) else ""


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


def _running_title(doc: Any) -> str:
    try:
        header = doc.sections[0].header
        if header.is_linked_to_previous:
            return ""
        return " ".join(p.text for p in header.paragraphs).strip()
    except (IndexError, AttributeError, KeyError):
        return ""


def _contributors(text: str, lang: str) -> tuple[str, list[str]] | None:
    """"Editors: A and B" → ("editor", ["A", "B"]), as the edition words it in ``lang``."""
    entries = catalogue(lang)
    for key, role in (("edited_by", "editor"), ("translated_by", "translator")):
        forms = entries.get(key) or catalogue("en").get(key) or {}
        for form in (forms.values() if isinstance(forms, dict) else [forms]):
            prefix = str(form).split("{names}")[0]
            if prefix and text.startswith(prefix):
                names = re.split(r",\s*|\s+(?:and|и|&)\s+", text[len(prefix):])
                return role, [n.strip() for n in names if n.strip()]
    return None


def _authors(
    core: Any, custom: dict[str, str], front: list[Item], texts: dict[str, list[str]],
    lang: str, given: Given, markdown: Callable[[tuple[m.Inline, ...]], str],
) -> list[dict[str, Any]]:  # fmt: skip
    if given.authors:
        return [{"name": name} for name in given.authors]
    names = [n.strip() for n in re.split(r";", core.author or "") if n.strip()]
    links: dict[str, str] = {}
    groups: list[tuple[str, list[str]]] = []  # a byline's text and the affiliations under it
    contributors: list[tuple[str, str]] = []
    numbered: dict[str, str] = {}
    for item in front:
        text = m.plain_text(item.content.inlines) if item.content else ""
        if item.kind == "byline" and item.content:
            groups.append((text, []))
            for node in item.content.inlines:
                if isinstance(node, m.Link):
                    links[m.plain_text(node.children)] = node.url
        elif item.kind == "affiliation":
            found = _contributors(text, lang)
            if found:
                contributors += [(found[0], name) for name in found[1]]
            elif text[:1] in _SUPERSCRIPT:
                mark = re.match(f"[{_SUPERSCRIPT}]+", text).group()  # type: ignore[union-attr]
                numbered[mark] = text[len(mark):].strip()
            elif groups:
                groups[-1][1].append(text)
    if not names:
        names = [g[0] for g in groups if g[0]]
    people: list[dict[str, Any]] = []
    for name in names:
        person: dict[str, Any] = {"name": name}
        inverted = _SORT_FORM.fullmatch(name)
        if (inverted and inverted.group(2).rstrip(".").lower() not in _SUFFIXES
                and not any(name in byline for byline, _ in groups)):  # not printed so
            person = {"name": f"{inverted.group(2)} {inverted.group(1)}", "file-as": name}
        places: list[str] = []
        for byline, under in groups:
            at = byline.find(name)
            if at < 0:
                continue
            marks = re.match(f"[{_SUPERSCRIPT},]*", byline[at + len(name):]).group()  # type: ignore[union-attr]
            places += [numbered[mk] for mk in marks.split(",") if mk in numbered]
            places += under
        if places:
            person["affiliation"] = places[0] if len(places) == 1 else places
        url = links.get(name, "")
        orcid = re.fullmatch(r"https://orcid\.org/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", url)
        if orcid:
            person["orcid"] = orcid.group(1)
        elif url:
            person["url"] = url
        people.append(person)
    people += [{"name": name, "role": role} for role, name in contributors]
    _other_languages(people, custom, lang)
    sort_forms = custom.get("File as", "").split("; ")
    if len(sort_forms) == len(people):
        for person, sort_form in zip(people, sort_forms, strict=True):
            if sort_form.strip():
                person["file-as"] = sort_form.strip()
    organisations = set(custom.get("Organisations", "").split("; ")) - {""}
    for person in people:
        name = person["name"]
        if (name.get(lang) if isinstance(name, dict) else name) in organisations:
            person["organisation"] = True
    return people


def _other_languages(people: list[dict[str, Any]], custom: dict[str, str], lang: str) -> None:
    """Names and affiliations in the other languages the Word edition stored."""
    for key, value in custom.items():
        match = _PER_LANG.match(key)
        if not match or match.group(1) not in ("Author", "Affiliation"):
            continue
        other = match.group(2)
        values = [v.strip() for v in value.split("; ")]
        if match.group(1) == "Author" and len(values) == len(people):
            for person, name in zip(people, values, strict=True):
                person["name"] = {lang: person["name"], other: name}
        if match.group(1) == "Affiliation":
            places = list(dict.fromkeys(
                p for person in people for p in _as_list(person.get("affiliation"))))
            if len(places) != len(values):
                continue
            table = dict(zip(places, values, strict=True))
            for person in people:
                mine = _as_list(person.get("affiliation"))
                localized = [{lang: p, other: table[p]} for p in mine]
                if localized:
                    person["affiliation"] = localized[0] if len(localized) == 1 else localized


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [i for i in items if isinstance(i, str)]


def _dateline(meta: str, publisher: str, custom: dict[str, str], lang: str) -> str:
    """The place printed before the date on the edition's meta line, if any."""
    parts = meta.split(" \u00b7 ")
    if len(parts) < 3 or not parts[0].startswith(publisher or "\0"):
        return ""
    published = label("published", lang, date="\0").split("\0")[0]
    middle = [p for p in parts[1:] if not (published and p.startswith(published))]
    if custom.get("Series"):
        middle = [p for p in middle if not p.startswith(custom["Series"])]
    return middle[-1] if middle else ""


def _attribution(meta: list[str], custom: dict[str, str], lang: str) -> str:
    """The attribution on the edition's rights line: what comes before its licence part."""
    if len(meta) < 2:
        return ""
    cite = label("how_to_cite", lang, citation="\0").split("\0")[0]
    for line in meta[1:]:
        if cite and line.startswith(cite):
            continue
        licence = label("license", lang, license="\0").split("\0")[0]
        parts = line.split(" \u00b7 ")
        kept = [p for p in parts if not p.startswith(licence) and not p.startswith("DOI: ")]
        if kept and (custom.get("License") or custom.get("DOI") or len(parts) == 1):
            return " \u00b7 ".join(kept)
    return ""
