"""The article's metadata: localized texts, authors, publisher, licence, and the Article
that holds them with its summary, body and notes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from exporter.model.nodes import Block, Note, Poll

# ---------------------------------------------------------------------------
# Localized text


@dataclass(frozen=True)
class LocalizedText:
    """A text in one or more languages, e.g. ``{"en": "Title", "ru": "Заголовок"}``.

    The first language given is the primary one.
    """

    items: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, mapping: Mapping[str, str]) -> LocalizedText:
        return cls(tuple(mapping.items()))

    def get(self, lang: str, default: str | None = None) -> str | None:
        for key, value in self.items:
            if key == lang or key.split("-")[0] == lang.split("-")[0]:
                return value
        return default

    def __getitem__(self, lang: str) -> str:
        value = self.get(lang)
        if value is None:
            raise KeyError(lang)
        return value

    def __contains__(self, lang: object) -> bool:
        return isinstance(lang, str) and self.get(lang) is not None

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.items)

    def in_lang(self, lang: str) -> str:
        """The text in ``lang``, else in the primary language."""
        value = self.get(lang)
        return value if value is not None else self.items[0][1]

    def others(self, lang: str) -> tuple[tuple[str, str], ...]:
        """Every translation except the one in ``lang``."""
        return tuple((k, v) for k, v in self.items if k.split("-")[0] != lang.split("-")[0])



# ---------------------------------------------------------------------------
# Metadata


@dataclass(frozen=True)
class Author:
    """A person or an organisation (``organisation``) credited as ``role``: "author",
    "editor" or "translator"; ``url`` is where readers find them (their ORCID record)."""

    name: LocalizedText
    affiliations: tuple[LocalizedText, ...] = ()
    file_as: str | None = None
    role: str = "author"
    organisation: bool = False
    orcid: str = ""
    url: str = ""

    @property
    def link(self) -> str:
        """The author's page: their ORCID record, else their web address, else ""."""
        return f"https://orcid.org/{self.orcid}" if self.orcid else self.url


@dataclass(frozen=True)
class Publisher:
    name: LocalizedText
    short: LocalizedText | None = None


@dataclass(frozen=True)
class RelatedArticle:
    id: str
    authors: tuple[str, ...]
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Certification:
    """Who evaluated the e-book's accessibility, against what, and where the report is."""

    certified_by: str
    conforms_to: str = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
    report: str = ""


@dataclass(frozen=True)
class Article:
    """One article, everything every edition needs and nothing format-specific."""

    slug: str
    lang: str
    title: LocalizedText
    authors: tuple[Author, ...]
    publisher: Publisher
    published: dt.date
    summary: tuple[Block, ...]
    body: tuple[Block, ...]
    subtitle: LocalizedText | None = None
    short_title: LocalizedText | None = None
    date_note: str = ""
    web: LocalizedText | None = None
    related: tuple[RelatedArticle, ...] = ()
    polls: tuple[Poll, ...] = ()
    keywords: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    license: str = ""
    attribution: str = ""
    footnotes: tuple[Note, ...] = ()
    doi: str = ""
    series: LocalizedText | None = None
    certification: Certification | None = None
    series_number: str = ""
    dateline: LocalizedText | None = None
    source_path: str = field(default="", compare=False)

    @property
    def other_langs(self) -> tuple[str, ...]:
        """Languages of the title other than the body's, in source order."""
        return tuple(k for k, _ in self.title.others(self.lang))

    @property
    def license_url(self) -> str:
        """The licence's address: as given, or the Creative Commons deed of a CC licence
        named by its SPDX id ("CC-BY-SA-4.0") or its usual name ("CC BY-SA 4.0")."""
        text = self.license.strip()
        if text.lower().startswith(("http://", "https://")):
            return text
        match = _CC.match(text.replace(" ", "-").upper())
        if not match:
            return ""
        kind, version = match.group(1).lower(), match.group(2)
        if kind == "zero" or match.group(0).startswith("CC0"):
            return f"https://creativecommons.org/publicdomain/zero/{version}/"
        return f"https://creativecommons.org/licenses/{kind}/{version}/"

    def running_title(self) -> str:
        return (self.short_title or self.title).in_lang(self.lang)

    @property
    def creators(self) -> tuple[Author, ...]:
        """The authors proper (not the editors or translators), in order; everyone credited
        when no one is an author (a volume of editors)."""
        return tuple(a for a in self.authors if a.role == "author") or self.authors

    def author_names(self, lang: str | None = None) -> list[str]:
        """The names of the authors proper: bylines, running heads and citations list these."""
        return [a.name.in_lang(lang or self.lang) for a in self.creators]


_CC = re.compile(r"^CC-?(BY(?:-NC)?(?:-SA|-ND)?|ZERO|0)-(\d\.\d)$")
