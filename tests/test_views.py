"""The edition views: title matter as ordered lines, document metadata, the poll chart
drawn once as SVG, which notes are called; and that every format lays them out."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from lxml import etree

from exporter.edition import (
    SVG_NS,
    colophon,
    document_metadata,
    notes_called,
    poll_chart,
    poll_chart_image,
    poll_view,
    title_matter,
)
from exporter.edition import TitleRole as Role
from exporter.formats import ExportOptions, edition_names, load_format
from exporter.model import (
    Article,
    Author,
    BlockQuote,
    LocalizedText,
    Note,
    NoteRef,
    Paragraph,
    Publisher,
    Table,
    Text,
)
from exporter.style import load_style

L = LocalizedText.of


def small(**changes: object) -> Article:
    base = Article(
        slug="s", lang="en", title=L({"en": "Title", "ru": "Заголовок"}),
        authors=(Author(L({"en": "Ann", "ru": "Анна"}), (L({"en": "Uni", "ru": "Унив"}),)),),
        publisher=Publisher(L({"en": "Pub", "ru": "Изд"})), published=dt.date(2024, 5, 1),
        summary=(Paragraph((Text("First."),)), Paragraph((Text("Second."),))), body=(),
    )  # fmt: skip
    return dataclasses.replace(base, **changes)


# --- title matter ---------------------------------------------------------------------------


def test_title_matter_of_the_sample_in_order(article):
    lines = title_matter(article)
    roles = [line.role for line in lines]
    assert roles == ["title", "title-translation", "byline", "affiliation", "meta", "cite", "web"]
    assert lines[0].text == article.title.in_lang(article.lang)
    assert lines[1].lang == "ru" and lines[1].text == article.title["ru"]
    assert all(line.lang == article.lang for line in lines if line.role != Role.TITLE_TRANSLATION)
    web = lines[-1]
    assert [e.url for e in web.editions] == [url for _, url in article.web.items]
    assert all(e.url in web.text for e in web.editions)


def test_title_matter_of_several_authors_shares_numbered_affiliations():
    uni = L({"en": "Uni"})
    one = small(
        subtitle=L({"en": "Sub"}), license="CC-BY-4.0", doi="10.1/x",
        authors=(Author(L({"en": "Ann"}), (uni,)), Author(L({"en": "Bob"}), (uni,)),
                 Author(L({"en": "Cy"}), role="editor")),
    )  # fmt: skip
    lines = title_matter(one)
    assert [line.role for line in lines] == ["title", "subtitle", "title-translation", "byline",
                                             "affiliation", "contributor", "meta", "rights",
                                             "cite"]  # fmt: skip
    byline = lines[3].text
    assert "Ann" in byline and "Bob" in byline and "Cy" not in byline
    assert lines[4].text.endswith("Uni") and "Cy" in lines[5].text


def _title_lines(*affiliations: tuple[str, ...]) -> list[tuple[str, str]]:
    names = ("Ann", "Bob", "Cy")[: len(affiliations)]
    people = tuple(Author(L({"en": name}), tuple(L({"en": x}) for x in xs))
                   for name, xs in zip(names, affiliations, strict=True))  # fmt: skip
    return [(line.role, line.text) for line in title_matter(small(authors=people))
            if line.role in (Role.BYLINE, Role.AFFILIATION)]  # fmt: skip


def test_affiliations_read_unambiguously():
    # all share one: every name, the affiliation once under them
    assert _title_lines(("Uni",), ("Uni",), ("Uni",)) == [
        ("byline", "Ann, Bob, Cy"), ("affiliation", "Uni")]
    # not all share one: marks, and each affiliation once under its number, never an
    # affiliation under the last name that reads as everyone's
    assert _title_lines(("Uni",), ("Uni",), ("Lab",)) == [
        ("byline", "Ann¹, Bob¹, Cy²"), ("affiliation", "¹\u00a0Uni"), ("affiliation", "²\u00a0Lab")]
    # an author without one has no mark
    assert _title_lines(("Uni",), (), ("Uni", "Lab")) == [
        ("byline", "Ann¹, Bob, Cy¹,²"), ("affiliation", "¹\u00a0Uni"),
        ("affiliation", "²\u00a0Lab")]  # fmt: skip
    # none names one: a byline each; one author: each of theirs under the name
    assert _title_lines((), ()) == [("byline", "Ann"), ("byline", "Bob")]
    assert _title_lines(("Uni", "Lab")) == [
        ("byline", "Ann"), ("affiliation", "Uni"), ("affiliation", "Lab")]


def test_the_colophon_holds_the_rights_and_how_to_cite():
    one = small(license="CC-BY-4.0", doi="10.1/x", attribution="After the original.")
    lines = colophon(one)
    assert [line.role for line in lines] == ["rights", "rights", "rights", "cite"]
    assert lines[0].text == "After the original."
    assert "CC-BY-4.0" in lines[1].text and lines[2].text == "DOI: https://doi.org/10.1/x"
    assert lines[3].text.startswith("How to cite: Ann.")
    assert [line.role for line in colophon(one, cite=False)] == ["rights"] * 3
    assert [line.role for line in colophon(small())] == ["cite"]


def test_title_matter_in_the_other_language_tags_the_english_title():
    lines = title_matter(small(lang="ru"))
    assert lines[0].text == "Заголовок" and lines[0].lang == "ru"
    assert (lines[1].role, lines[1].lang, lines[1].text) == (Role.TITLE_TRANSLATION, "en", "Title")


# --- document metadata ----------------------------------------------------------------------


def test_document_metadata_fields():
    meta = document_metadata(small(
        keywords=("a", "b"), license="CC-BY-4.0", doi="10.1/x", series=L({"en": "Notes"}),
        series_number="3", web=L({"en": "https://e/", "ru": "https://r/"}),
        authors=(Author(L({"en": "Ann", "ru": "Анна"}), file_as="Ann, A"),
                 Author(L({"en": "Tom"}), role="translator")),
    ))  # fmt: skip
    assert (meta.title, meta.lang, meta.languages) == ("Title", "en", ("en", "ru"))
    assert meta.creators == ("Ann",)
    assert [(p.name, p.role, p.creator, p.file_as) for p in meta.people] == [
        ("Ann", "author", True, "Ann, A"), ("Tom", "translator", False, None)]
    assert meta.names_in("ru") is None  # Tom has no Russian name
    assert meta.rights == "CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)"
    assert (meta.doi, meta.series, meta.series_number) == ("10.1/x", "Notes", "3")
    assert meta.keywords == ("a", "b") and meta.abstract == "First."
    assert meta.web_url == "https://e/" and meta.publisher == "Pub"
    assert meta.published == dt.date(2024, 5, 1)


def test_document_metadata_in_other_languages():
    meta = document_metadata(small())
    assert meta.names_in("ru") == ("Анна",)
    assert meta.affiliations_in("ru") == ("Унив",)
    assert meta.publishers.get("ru") == "Изд"


# --- the poll chart -------------------------------------------------------------------------


def test_poll_chart_svg_has_a_bar_per_answer_and_says_what_it_shows(article, style):
    view = poll_view(article.polls[0], article.lang)
    svg = poll_chart(view, style, 400.0, article.lang)
    ns = {"s": SVG_NS}
    assert svg.findtext("s:title", namespaces=ns) == view.name
    assert svg.findtext("s:desc", namespaces=ns) == view.alt
    bars = svg.findall(".//s:rect", ns)
    assert len(bars) == 2 * len(view.rows)  # a track and a bar each
    fills = [float(r.get("width")) for r in bars[1::2]]
    assert fills[1] / fills[0] == pytest.approx(view.rows[1].fraction / view.rows[0].fraction,
                                                rel=0.02)  # fmt: skip
    texts = ["".join(t.itertext()) for t in svg.iter(f"{{{SVG_NS}}}text")]
    assert all(row.value in texts for row in view.rows)
    assert svg.get("viewBox").startswith("0 0 400 ")


def test_poll_chart_image_is_the_same_drawing_sized(article, style):
    view = poll_view(article.polls[0], article.lang)
    image = poll_chart_image(view, style, 300.0, article.lang)
    assert image.is_vector and image.width == 300
    root = etree.fromstring(image.data)
    assert root.get("width") == "300" and round(float(root.get("height"))) == image.height
    assert etree.tostring(root.find(f"{{{SVG_NS}}}g")) == etree.tostring(
        poll_chart(view, style, 300.0, article.lang).find(f"{{{SVG_NS}}}g"))


# --- notes called ---------------------------------------------------------------------------


def test_notes_called_in_reading_order_with_notes_calling_notes():
    cell = Table(((Text("h"),),), (((NoteRef(3),),),), ("",))
    body = (Paragraph((NoteRef(2),)), BlockQuote((Paragraph((NoteRef(1), NoteRef(2))),)), cell)
    notes = (Note(1, (Paragraph((NoteRef(4),)),)), Note(2, ()), Note(3, ()), Note(4, ()),
             Note(5, ()))  # fmt: skip
    called = notes_called(small(body=body, footnotes=notes))
    assert called.order == (2, 1, 3)
    assert 5 not in called and 4 not in called
    assert called.within[1] == (4,)
    assert called.with_called([1, 2]) == [1, 4, 2]
    assert called.with_called([9]) == []


# --- every format lays the views out --------------------------------------------------------


@pytest.mark.parametrize("name", edition_names())
def test_every_edition_lays_the_title_matter_out_in_its_order(name, tmp_path):
    """Each line of the title matter, read back from the edition, in the view's order (the
    PDFs' web line is their QR panel, after the text; the handout cites in its footer)."""
    from readers import edition_text

    from conftest import _loose, find_in_order

    article = small(subtitle=L({"en": "Sub"}), license="CC-BY-4.0", dateline=L({"en": "Here"}),
                    authors=(Author(L({"en": "Ann"}), url="https://ann.example/"),
                             Author(L({"en": "Cy"}), role="editor")),
                    web=L({"en": "https://e.example/"}),
                    body=(Paragraph((Text("Body."),)),))  # fmt: skip
    fmt = load_format(name)
    path = tmp_path / fmt.filename(article.slug)
    with path.open("wb") as out:
        fmt().write(article, load_style(fmt.default_style), ExportOptions(), out)
    lines = [line.text for line in title_matter(article) if line.role != Role.WEB]
    if "handout" in name:
        lines = lines[:-1]
    key = lambda text: _loose(text).casefold()  # noqa: E731
    assert find_in_order(edition_text(path), lines, once=False, key=key) == []
