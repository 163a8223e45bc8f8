"""Typed values of the front matter: localized texts, authors, polls, related articles
and the accessibility claim, from the YAML fields the schema has checked."""

from __future__ import annotations

from typing import Any

from exporter import model as m
from exporter.labels import label


def certification(given: dict | None) -> m.Certification | None:
    if not given:
        return None
    claim = {"certified_by": given["certified-by"], "report": given.get("report", "")}
    if "conforms-to" in given:
        claim["conforms_to"] = given["conforms-to"]
    return m.Certification(**claim)


def localized(value: str | dict[str, str], lang: str) -> m.LocalizedText:
    return m.LocalizedText.of({lang: value} if isinstance(value, str) else value)


def author(raw: dict[str, Any], lang: str) -> m.Author:
    affiliation = raw.get("affiliation") or []
    affiliations = affiliation if isinstance(affiliation, list) else [affiliation]
    return m.Author(
        name=localized(raw["name"], lang),
        affiliations=tuple(localized(a, lang) for a in affiliations),
        file_as=raw.get("file-as"),
        role=raw.get("role", "author"),
        organisation=bool(raw.get("organisation", False)),
        orcid=raw.get("orcid", ""),
        url=raw.get("url", ""),
    )


def poll(raw: dict[str, Any]) -> m.Poll:
    votes = [a["votes"] for a in raw["answers"]]
    shares = m.largest_remainder_shares(votes)
    answers = tuple(
        m.Answer(a["label"], a["votes"], share, a.get("published-share"))
        for a, share in zip(raw["answers"], shares, strict=True)
    )
    return m.Poll(raw["id"], raw["question"], answers, raw.get("status", ""))


def related(raw: dict[str, Any]) -> m.RelatedArticle:
    return m.RelatedArticle(raw["id"], tuple(raw["authors"]), raw["title"], raw.get("url"))


def callout(item: m.RelatedArticle, lang: str, line: int) -> m.Callout:
    byline: tuple[m.Inline, ...] = (m.Text(", ".join(item.authors) + ":"),)
    title: m.Inline = m.Strong((m.Text(item.title),))
    if item.url:
        title = m.Link(item.url, (title,))
    blocks = (m.Paragraph(byline, line), m.Paragraph((title,), line))
    return m.Callout(
        "related", label("related", lang), blocks if item.authors else blocks[1:], line, item.id
    )
