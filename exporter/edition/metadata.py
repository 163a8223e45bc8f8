"""What an edition says about itself, beyond its text: the one document-metadata view that
the PDF's Info and XMP, the EPUB's package document, Word's properties and the web page's
head all read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from exporter.model import Article, LocalizedText, block_texts


@dataclass(frozen=True)
class Person:
    """Someone credited: ``name`` in the edition's language, ``names`` in every language;
    ``role`` "author", "editor" or "translator"; ``creator`` when an author proper (the rest
    are contributors); ``file_as`` how a catalogue sorts them."""

    name: str
    names: LocalizedText
    role: str
    creator: bool
    file_as: str
    affiliations: tuple[LocalizedText, ...]


@dataclass(frozen=True)
class DocumentMetadata:
    """The document's metadata, its texts in the edition's language ``lang``; a
    ``LocalizedText`` where a format states every language."""

    slug: str
    lang: str
    languages: tuple[str, ...]  # the edition's, then the title's others
    title: str
    titles: LocalizedText
    subtitle: str
    subtitles: LocalizedText | None
    summary: tuple[str, ...]  # the summary's paragraphs
    people: tuple[Person, ...]
    publisher: str
    publishers: LocalizedText
    published: dt.date
    date_note: str
    keywords: tuple[str, ...]
    license: str
    license_url: str
    doi: str
    series: str
    series_number: str
    web: LocalizedText | None

    @property
    def other_langs(self) -> tuple[str, ...]:
        return self.languages[1:]

    @property
    def creators(self) -> tuple[str, ...]:
        """The names of the authors proper, in order."""
        return tuple(p.name for p in self.people if p.creator)

    @property
    def abstract(self) -> str:
        """The summary's first paragraph ("" without a summary)."""
        return self.summary[0] if self.summary else ""

    @property
    def rights(self) -> str:
        """The licence, with its address after it when that says more: "CC BY 4.0 (URL)"."""
        url = self.license_url
        return f"{self.license} ({url})" if url and url != self.license else self.license

    @property
    def web_url(self) -> str:
        """The web edition in the edition's language ("" without one)."""
        return self.web.in_lang(self.lang) if self.web is not None else ""

    def names_in(self, lang: str) -> tuple[str, ...] | None:
        """Every credited person's name in ``lang``, or None when someone has none in it."""
        names = [p.names.get(lang) for p in self.people]
        return tuple(n for n in names if n) if all(names) else None

    def affiliations_in(self, lang: str) -> tuple[str, ...] | None:
        """Every affiliation in ``lang``, each once, or None when one has none in it."""
        places = [x.get(lang) for p in self.people for x in p.affiliations]
        if not places or not all(places):
            return None
        return tuple(dict.fromkeys(p for p in places if p))


def document_metadata(article: Article) -> DocumentMetadata:
    """The metadata of ``article``'s editions."""
    lang = article.lang
    creators = article.creators
    people = tuple(
        Person(a.name.in_lang(lang), a.name, a.role, a in creators, a.file_as, a.affiliations)
        for a in article.authors
    )
    languages = (lang, *(other for other in article.title.langs if other != lang))
    return DocumentMetadata(
        slug=article.slug,
        lang=lang,
        languages=languages,
        title=article.title.in_lang(lang),
        titles=article.title,
        subtitle=article.subtitle.in_lang(lang) if article.subtitle else "",
        subtitles=article.subtitle,
        summary=tuple(block_texts(article.summary)),
        people=people,
        publisher=article.publisher.name.in_lang(lang),
        publishers=article.publisher.name,
        published=article.published,
        date_note=article.date_note,
        keywords=article.keywords,
        license=article.license,
        license_url=article.license_url,
        doi=article.doi,
        series=article.series.in_lang(lang) if article.series is not None else "",
        series_number=article.series_number,
        web=article.web,
    )
