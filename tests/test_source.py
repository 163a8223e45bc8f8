"""The loader: the seed article read correctly, and every broken source refused precisely."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import SEED
from exporter.errors import SourceError
from exporter.languages import Languages
from exporter.model import Callout, Paragraph, PollBlock, block_texts, plain_text
from exporter.source import load_article, load_source
from exporter.source.typography import typeset_text

SEED_TEXT = SEED.read_text(encoding="utf-8")
CAPTURE = Path(__file__).parent / "fixtures" / "article-seed.txt"  # the web page as captured
SEED_LINES = SEED_TEXT.split("\n")


def seed_paragraphs() -> list[str]:
    """The 15 body paragraphs exactly as the captured web page has them."""
    text = CAPTURE.read_text("utf-8")
    paras = [line for line in text.split("\n") if line.strip()]
    start = next(i for i, p in enumerate(paras) if p.startswith("For a while now"))
    end = paras.index("***")
    callout = {"Grigory Lukyanov, Nubara Kulieva, Artemy Mironov:",
               "Turkey’s Policy in Central Asia: Are Ambitions Well-Founded?"}  # fmt: skip
    return [p for p in paras[start:end] if p not in callout]


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    assert old in SEED_TEXT, old
    path = tmp_path / "article.md"
    path.write_text(SEED_TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(fragment: str) -> int:
    return next(n for n, line in enumerate(SEED_LINES, start=1) if fragment in line)


def test_seed_has_fifteen_body_paragraphs_character_for_character(article):
    """As captured, set as the loader sets every text (``exporter.source.typography``)."""
    body = [plain_text(b.children) for b in article.body if isinstance(b, Paragraph)]
    langs = Languages.of(article)
    assert body == [typeset_text(p, article.lang, langs) for p in seed_paragraphs()]


def test_seed_metadata_is_typed_and_bilingual(article):
    # the Russian title as typeset: no-break spaces after its one-letter words
    assert article.title["ru"] == ("Есть ли у\u00a0Таджикистана выбор в\u00a0условиях санкций "
                                   "против России?")
    assert article.published == dt.date(2022, 8, 30)
    assert "reprint" in article.date_note.lower()
    assert article.authors[0].name["ru"] == "Евгения Махмутова (Войко)"
    assert article.web is not None and article.web["ru"].startswith("https://russiancouncil.ru/")
    assert any("editorial rendering" in note for note in article.notes)


def test_summary_is_four_paragraphs_stored_once(article):
    summary = list(block_texts(article.summary))
    assert len(summary) == 4
    assert summary[0].startswith("Tajikistan’s overwhelming dependence")
    assert summary[3].endswith("remains quite solid.")
    assert "overwhelming dependence" not in " ".join(block_texts(article.body))


def test_callout_and_poll_stand_where_the_page_shows_them(article):
    kinds = [type(b).__name__ for b in article.body]
    assert kinds.index("Callout") == 6  # after "…regional security issues."
    assert plain_text(article.body[5].children).endswith("regional security issues.")
    assert isinstance(article.body[-1], PollBlock)
    callout = article.body[6]
    assert isinstance(callout, Callout)
    assert list(block_texts(callout.blocks)) == [
        "Grigory Lukyanov, Nubara Kulieva, Artemy Mironov:",
        "Turkey’s Policy in Central Asia: Are Ambitions Well-Founded?",
    ]


def test_poll_shares_are_computed_and_match_the_published_ones(article):
    poll = article.polls[0]
    assert [a.votes for a in poll.answers] == [33, 30, 24, 21]
    assert [a.share for a in poll.answers] == [31, 28, 22, 19]
    assert poll.total == 108
    assert load_source(SEED).warnings == ()


def test_published_share_that_disagrees_is_reported(tmp_path):
    path = write_variant(tmp_path, "published-share: 28", "published-share: 30")
    loaded = load_source(path)
    assert len(loaded.warnings) == 1
    warning = str(loaded.warnings[0])
    assert warning.startswith(f"{loaded.path}:{line_of('published-share: 28')}:")
    assert "polls[0].answers[1].published-share: published share 30% differs from 28%" in warning


def test_lang_no_stays_a_string(tmp_path):
    article = load_article(write_variant(tmp_path, "lang: en", "lang: no"))
    assert article.lang == "no"


def test_numeric_title_stays_text(tmp_path):
    article = load_article(write_variant(tmp_path, '  en: "RIAC"', "  en: 2022"))
    assert article.publisher.short is not None and article.publisher.short["en"] == "2022"


def test_raw_html_and_entities_stay_literal_text(tmp_path):
    text = "A <script>alert(1)</script> & R&D &amp; a<b &#169; <b>bold</b>"
    path = tmp_path / "article.md"
    path.write_text(SEED_TEXT + "\n" + text + "\n", encoding="utf-8")
    last = load_article(path).body[-1]
    assert isinstance(last, Paragraph) and plain_text(last.children) == text


BROKEN = [
    # (what is changed, into what, expected message, the line it must name)
    ("votes: 24", "votes: -3", "polls[0].answers[2].votes: -3 is less than 0", "votes: 24"),
    ("votes: 33", "votes: many", "votes: expected a whole number, got 'many'", "votes: 33"),
    ("lang: en", "lang: en\nlang: ru", "duplicate key 'lang' (first given at line 5)", None),
    ("lang: en", "lang: en\ncolour: red", "colour: unknown field", None),
    ("published: 2022-08-30", "published: 2022-02-30", "is not a real date", "published:"),
    ("slug: tajikistan-choice-amid-sanctions\n", "", "missing required field 'slug'", None),
    ("lang: en", "lang: &l en\nx: *l", "anchors and aliases are not allowed", "lang: en"),
    ("slug: tajik", "slug: !!python/object/apply:os.system\n  - x\nx: tajik",
     "YAML tag !!python/object/apply:os.system is not allowed", "slug: tajik"),
    ("slug: tajikistan-choice", "slug: Tajikistan Choice", "is not a name of lower-case", "slug:"),
    ("  en: \"https://russiancouncil.ru/en/", "  en: \"ftp://russiancouncil.ru/en/",
     "web.en: 'ftp://", "  en: \"https://russiancouncil.ru/en/"),
    ("::: poll us-long-term-goals", "::: poll us-goals", "no poll 'us-goals' in the front matter",
     "::: poll us-long-term-goals"),
    ("::: related turkey-central-asia", "::: aside turkey-central-asia",
     "unknown container 'aside'", "::: related turkey-central-asia"),
    ("For a while now", "For a\x07 while now", "U+0007 (control character)", "For a while now"),
    ("For a while now", "For [a while](javascript:alert(1)) now",
     "only http, https and mailto addresses are allowed", "For a while now"),
    ("For a while now", "For ![a while](/etc/passwd) now", "stands alone in its paragraph",
     "For a while now"),
    ('authors: ["Grigory Lukyanov"', 'authors: ["  "', "related[0].authors[0]: '  ' is blank",
     'authors: ["Grigory Lukyanov"'),
    ('  en: "RIAC"', '  en: ""', "publisher.short.en: is empty", '  en: "RIAC"'),
    ("    Russia is still a highly",
     "    ::: poll us-long-term-goals\n    :::\n\n    Russia is still a highly",
     "summary: a poll cannot stand in the summary", None),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "message", "at"), BROKEN, ids=[b[2][:40] for b in BROKEN])
def test_broken_source_is_refused_with_file_line_column(tmp_path, old, new, message, at):
    path = write_variant(tmp_path, old, new)
    with pytest.raises(SourceError) as caught:
        load_article(path)
    lines = caught.value.lines()
    assert any(message in line for line in lines), lines
    for line in lines:
        assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: \S", line), line
        assert "\n" not in line
    if at is not None:
        expected_line = line_of(at)
        hit = next(line for line in lines if message in line)
        assert hit.startswith(f"{path}:{expected_line}:"), (hit, expected_line)


def test_every_problem_is_reported_in_one_pass(tmp_path):
    text = SEED_TEXT.replace("votes: 24", "votes: -3").replace("lang: en", "lang: en\nfoo: 1")
    text = text.replace("published: 2022-08-30", "published: 2022-13-01")
    path = tmp_path / "article.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_article(path)
    assert len(caught.value.problems) == 3


def test_invalid_utf8_names_the_byte_and_place(tmp_path):
    raw = SEED_TEXT.encode()
    cut = raw.index(b"For a while")
    path = tmp_path / "article.md"
    path.write_bytes(raw[:cut] + b"\xff" + raw[cut:])
    with pytest.raises(SourceError) as caught:
        load_article(path)
    assert caught.value.lines() == [f"{path}:{line_of('For a while now')}:1: invalid UTF-8 "
                                    "(byte 0xFF); save the file as UTF-8"]  # fmt: skip


def test_lone_surrogate_from_a_yaml_escape_is_refused(tmp_path):
    path = write_variant(tmp_path, '  en: "RIAC"', '  en: "RI\\ud800AC"')
    with pytest.raises(SourceError, match="U\\+D800"):
        load_article(path)


def test_oversized_document_is_refused(tmp_path):
    path = tmp_path / "article.md"
    path.write_text(SEED_TEXT + ("x" * 80 + "\n") * 60_000, encoding="utf-8")
    with pytest.raises(SourceError, match="larger than 4 MiB"):
        load_article(path)


def test_missing_front_matter_is_refused(tmp_path):
    path = tmp_path / "article.md"
    path.write_text("Just text\n", encoding="utf-8")
    with pytest.raises(SourceError, match=":1:1: an article starts with '---'"):
        load_article(path)


def test_heading_levels_follow_the_outline_not_the_number_of_hashes():
    """Levels never skip, and headings written alike stay alike: ``##`` ``##`` ``####``
    ``###`` ``##`` are sections 1, 1, 2, 2, 1."""
    from exporter.source.markdown import parse_markdown

    text = "## a\n\n## b\n\n#### c\n\n### d\n\n## e\n"
    blocks = parse_markdown(text, lambda place: "").blocks
    assert [b.level for b in blocks] == [1, 1, 2, 2, 1]


def test_a_link_s_words_may_hold_a_phrase_in_another_language(tmp_path):
    """`[[Grundgesetz]{lang=de}](…)` is a link whose words are German, in every edition's
    model, not brackets printed around a span."""
    from exporter.model import Link, Span, Text

    source = tmp_path / "article.md"
    source.write_text(
        "---\nslug: link-span\nlang: en\ntitle: Links\nauthors: [{name: A. Author}]\n"
        "publisher: {name: P}\npublished: 2024-01-31\nsummary: S.\n---\n\n"
        "See the [[Grundgesetz]{lang=de}](https://example.org/gg) today.\n", encoding="utf-8")
    (paragraph,) = load_article(source).body
    assert paragraph.children == (
        Text("See the "),
        Link("https://example.org/gg", (Span("de", (Text("Grundgesetz"),)),)),
        Text(" today."),
    )
