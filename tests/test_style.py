"""The style layer: units, inheritance, the handout derived from the default, clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exporter.errors import StyleError
from exporter.style import REQUIRED_ROLES, Length, load_style, parse_color, parse_length


@pytest.mark.parametrize(
    ("text", "points"),
    [("10pt", 10.0), ("25.4mm", 72.0), ("1in", 72.0), ("2.54cm", 72.0), (12, 12.0), ("16px", 12.0)],
)
def test_lengths_convert_to_points(text, points):
    assert parse_length(text, "x").pt == pytest.approx(points, abs=1e-3)


@pytest.mark.parametrize("bad", ["ten", "10 parsecs", "", "1e3pt"])
def test_bad_length_names_the_place(bad):
    with pytest.raises(StyleError, match="roles.body.size"):
        parse_length(bad, "roles.body.size")


def test_colours_parse_and_print_as_hex():
    assert parse_color("#8C1D18", "x").hex == "#8c1d18"
    with pytest.raises(StyleError):
        parse_color("red", "x")


def test_default_style_has_every_role_with_fonts_and_colours(style):
    assert set(REQUIRED_ROLES) <= set(style.roles)
    assert style.role("body").family == "PT Serif"
    assert style.role("summary").family == "PT Sans"
    assert style.page.size == "a4"
    assert style.page.width.pt == pytest.approx(595.28, abs=0.01)


def test_child_role_inherits_what_it_does_not_set(style):
    body, quote = style.role("body"), style.role("quote")
    assert quote.size == body.size and quote.family == body.family
    assert quote.italic and not body.italic


def test_handout_extends_default_and_changes_only_what_it_says(style, handout_style):
    assert handout_style.page.columns == 2
    assert handout_style.role("body").size == Length(9.0)
    assert handout_style.role("body").size.pt >= 8.5
    assert handout_style.colors == style.colors
    assert handout_style.role("heading-1").color == style.role("heading-1").color


def test_paper_override_gives_us_letter(style):
    letter = style.with_paper("letter").page
    assert (letter.width.pt, letter.height.pt) == (612.0, 792.0)
    assert letter.margin_left == style.page.margin_left


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[roles.body]\nfont = "comic"', "unknown font 'comic'"),
        ('[roles.body]\nsize = "big"', "roles.body.size: 'big' is not a length"),
        ('[roles.body]\nalign = "middle"', "'middle' is not one of"),
        ('[roles.body]\nbold = "yes"', "expected true or false"),
        ('[roles.body]\nparent = "nothing"', "unknown parent role 'nothing'"),
        ('[roles.body]\nfont-size = "10pt"', "font-size .* is not a role property"),
        ('[page]\nsize = "a5"', "unknown paper 'a5'"),
        ("[page\n", "Expected"),
    ],
)
def test_broken_style_is_refused_with_the_place(tmp_path, toml, message):
    path = tmp_path / "broken.toml"
    path.write_text(f'extends = "default"\n{toml}\n', encoding="utf-8")
    with pytest.raises(StyleError, match=message):
        load_style(str(path))


def test_unknown_style_name_lists_the_available_ones():
    with pytest.raises(StyleError, match="available: default, handout"):
        load_style("fancy")


def test_a_style_in_the_project_folder_is_found_by_name(tmp_path, monkeypatch):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "house.toml").write_text(
        'extends = "default"\nname = "house"\n[colors]\naccent = "#224466"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    sheet = load_style("house")
    assert sheet.name == "house"
    assert sheet.role("heading-1").color.hex == "#224466"
    assert sheet.role("body").family == "PT Serif"  # the rest comes from the built-in default


def test_a_colour_the_editions_draw_with_is_required(tmp_path):
    default = (Path(__file__).resolve().parent.parent / "styles" / "default.toml").read_text()
    path = tmp_path / "norule.toml"
    path.write_text("\n".join(ln for ln in default.splitlines() if not ln.startswith("rule =")))
    with pytest.raises(StyleError, match=r"norule.toml: missing colours: rule$"):
        load_style(str(path))


# Ranges: every value of a style out of its range is refused at the line that sets it.

OUT_OF_RANGE = {
    # name: (what the style sets after `extends = "default"`, the key reported, the message)
    "size zero": ('[roles.body]\nsize = "0pt"', "size", "is not a type size of 1 to 200 pt"),
    "size huge": ('[roles.title]\nsize = "201pt"', "size", "is not a type size of 1 to 200 pt"),
    "leading zero": ('[roles.body]\nleading = "0pt"', "leading", "is not more than 0 pt"),
    "leading huge": ('[roles.title]\nleading = "401pt"', "leading", "is more than 400 pt"),
    "leading under size": ('[roles.body]\nleading = "8pt"', "leading",
                           r"is less than 0.8 × the size \(11 pt\)"),
    "size over inherited leading": ('[roles.quote]\nsize = "30pt"', "size",
                                    r"too large for the leading \(15.5 pt, from roles.body\)"),
    "space before negative": ('[roles.body]\nspace-before = "-1pt"', "space-before",
                              "is negative"),
    "space after huge": ('[roles.title]\nspace-after = "51mm"', "space-after",
                         "is more than 50 mm"),
    "first indent negative": ('[roles.body]\nfirst-indent = "-1pt"', "first-indent",
                              "is negative"),
    "left indent negative": ('[roles.quote]\nleft-indent = "-5pt"', "left-indent", "is negative"),
    "padding negative": ('[roles.callout]\npadding = "-1pt"', "padding", "is negative"),
    "border negative": ('[roles.header]\nborder-width = "-0.5pt"', "border-width", "is negative"),
    "insets over half a column": ('[roles.callout]\npadding = "45mm"', "padding",
                                  r"take 91 mm of a 160 mm column on A4"),
    "margin negative": ('[page]\nmargin-top = "-1mm"', "margin-top", "is negative"),
    "margins too wide on A4": ('[page]\nmargin-left = "300mm"', "margin-left",
                               r"leaves no room for text on A4: 210 mm wide .* is -115 mm"),
    "margins too tall on US Letter": ('[page]\nmargin-top = "130mm"\nmargin-bottom = "120mm"',
                                      "margin-top",
                                      r"on US Letter \(with --paper letter\): 279 mm tall"),
    "letter style too wide for --paper a4": (
        '[page]\nsize = "letter"\nmargin-left = "81mm"\nmargin-right = "81mm"', "margin-right",
        r"on A4 \(with --paper a4\): 210 mm wide"),
    "no columns": ("[page]\ncolumns = 0", "columns", "is not 1 to 4 columns"),
    "five columns": ("[page]\ncolumns = 5", "columns", "is not 1 to 4 columns"),
    "columns not whole": ("[page]\ncolumns = 2.5", "columns", "is not a whole number"),
    "columns a word": ('[page]\ncolumns = "two"', "columns", "is not a whole number"),
    "columns a flag": ("[page]\ncolumns = true", "columns", "is not a whole number"),
    "column gap negative": ('[page]\ncolumns = 2\ncolumn-gap = "-1mm"', "column-gap",
                            "is negative"),
    "column gap too wide": ('[page]\ncolumns = 4\ncolumn-gap = "30mm"', "column-gap",
                            "leaves columns 18 mm wide on A4, less than the 25 mm"),
    "columns too narrow with the default gap": (
        '[page]\nmargin-left = "55mm"\nmargin-right = "55mm"\ncolumns = 4', "columns",
        "leaves columns 19 mm wide"),
    "body size over the leading it inherits": ('[roles.body]\nsize = "20pt"', "size",
                                               "too large for the leading"),
    "columns too narrow": ('[page]\nmargin-left = "60mm"\nmargin-right = "60mm"\ncolumns = 4',
                           "columns", "leaves columns 16 mm wide"),
    "header from page zero": ("[page]\nheader-from-page = 0", "header-from-page",
                              "is not a page"),
    "max pages negative": ("[page]\nmax-pages = -1", "max-pages", "is negative"),
    "measure of too few characters": ("[page]\nmeasure = 12", "measure",
                                      "is not a measure of 30 to 150 characters"),
    "measure too narrow": ('[page]\nmeasure = "30mm"', "measure",
                           "is not 0 \\(margin to margin\\) nor a text width of 50 mm"),
    "columns too narrow in the measure": ('[page]\nmeasure = "60mm"\ncolumns = 3', "columns",
                                          "leaves columns 15 mm wide"),
    "page budget without a floor": ("[page]\nmax-pages = 3", "max-pages",
                                    "needs a min-body-size of 1 pt or more"),
    "page budget floor too small": ('[page]\nmax-pages = 3\nmin-body-size = "0.5pt"',
                                    "min-body-size", "needs a min-body-size of 1 pt or more"),
    "body floor huge": ('[page]\nmin-body-size = "300pt"', "min-body-size",
                        "is not 0 \\(none\\) nor a type size"),
    "unknown page key": ('[page]\nmargin-lft = "10mm"', "margin-lft", "is not a page setting"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(OUT_OF_RANGE))
def test_a_value_out_of_range_is_refused_at_its_line(tmp_path, case):
    toml, key, message = OUT_OF_RANGE[case]
    path = tmp_path / "bad.toml"
    text = f'# a house style\nextends = "default"\n\n{toml}\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StyleError) as caught:
        load_style(str(path))
    line = next(n for n, t in enumerate(text.split("\n"), 1) if t.startswith(f"{key} ="))
    assert caught.value.lines() == [caught.value.lines()[0]]  # one problem, one line
    shown = caught.value.lines()[0]
    assert shown.startswith(f"{path}:{line}: ["), shown
    assert f"] {key} = " in shown
    assert re.search(message, shown), shown


def test_the_styles_that_ship_are_within_every_range():
    for name in ("default", "handout"):
        sheet = load_style(name)
        assert sheet.page.columns in (1, 2)
        assert sheet.with_paper("letter").page.width.pt == 612.0


def test_every_problem_of_a_style_is_reported_each_on_its_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('extends = "default"\n[page]\nmargin-top = "-1mm"\n[roles.body]\n'
                    'size = "0pt"\n[roles.callout]\npadding = "-2pt"\n', encoding="utf-8")
    with pytest.raises(StyleError) as caught:
        load_style(str(path))
    assert [line.split(": ", 1)[0] for line in caught.value.lines()] == [
        f"{path}:3", f"{path}:5", f"{path}:7"]


def test_a_value_from_the_style_extended_is_reported_in_that_file(tmp_path):
    base = tmp_path / "base.toml"
    base.write_text('extends = "default"\n[fallback]\nserif = [\n  "Noto Serif",\n  '
                    '"IBM Plex Serif",\n]\n[page]\nmargin-left = "300mm"\n', encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "./base.toml"\n[colors]\naccent = "#224466"\n')
    with pytest.raises(StyleError) as caught:
        load_style(str(child))
    assert caught.value.lines()[0].startswith(f"{base}:8: [page] margin-left = \"300mm\" ")
    child.write_text('extends = "./base.toml"\n[page]\nmargin-left = "20mm"\n')
    assert load_style(str(child)).page.margin_left == parse_length("20mm", "x")


def test_dotted_keys_and_inline_tables_are_found_on_their_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('extends = "default"\n"roles".body.size = "0pt"\n', encoding="utf-8")
    with pytest.raises(StyleError, match=rf"^{re.escape(str(path))}:2: \[roles.body\] size"):
        load_style(str(path))
    path.write_text('extends = "default"\n\n[roles]\nquote = { left-indent = "-1pt" }\n')
    with pytest.raises(StyleError, match=rf"^{re.escape(str(path))}:4: \[roles.quote\]"):
        load_style(str(path))


@pytest.mark.parametrize(
    ("toml", "key"),
    [('[roles.body]\nsize = "0pt"', "size"), ('[page]\nmargin-left = "300mm"', "margin-left"),
     ('[page]\nmargin-tpo = "10mm"', "margin-tpo")],
)
def test_the_cli_refuses_the_style_in_one_line_and_leaves_dist(tmp_path, toml, key):
    from click.testing import CliRunner

    from conftest import SEED
    from exporter.cli import cli

    style = tmp_path / "bad.toml"
    style.write_text(f'extends = "default"\n{toml}\n', encoding="utf-8")
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "tajikistan-choice-amid-sanctions.pdf").write_bytes(b"%PDF- previous edition")
    before = {p.name: p.read_bytes() for p in dist.iterdir()}
    result = CliRunner().invoke(cli, ["all", str(SEED), "-o", str(dist), "--style", str(style)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert result.output.startswith(f"{style}:3: [{toml[1:toml.index(']')]}] {key} = ")
    assert {p.name: p.read_bytes() for p in dist.iterdir()} == before


def test_every_key_of_the_shipped_styles_is_found_on_its_line():
    import tomllib

    from exporter.stylefile import key_lines, places

    for path in sorted((Path(__file__).resolve().parent.parent / "styles").glob("*.toml")):
        text = path.read_text("utf-8")
        lines = text.split("\n")
        found = places(tomllib.loads(text), key_lines(text), str(path))
        assert found
        for keys, (_, line) in found.items():
            assert line and lines[line - 1].lstrip().startswith(f"{keys[-1]} ="), (path, keys)


# The schema: a name the style file may not use is refused at its line, with the closest one.

UNKNOWN_NAMES = {
    # name: (what the style sets after `extends = "default"`, the line, the message)
    "page key": ('[page]\nmargin-tpo = "10mm"', 4,
                 r'\[page\] margin-tpo = "10mm" is not a page setting: did you mean margin-top\?'),
    "page columns": ("[page]\ncolums = 2", 4, "colums = 2 is not a page setting: did you mean "
                     "columns"),
    "section": ("[captoins]\nnumbered = false", 3,
                r"\[captoins\] is not a section of a style: did you mean \[captions\]\?"),
    "captions key": ("[captions]\nnumberd = false", 4, "did you mean numbered"),
    "role": ('[roles.captoin]\nsize = "9pt"', 3,
             r"\[roles.captoin\] is not a role: did you mean caption\?"),
    "role property": ('[roles.body]\nleadng = "15pt"', 4,
                      "leadng = \"15pt\" is not a role property: did you mean leading"),
    "dotted role property": ('roles.title.colour = "accent"', 3, "did you mean color"),
    "top-level key": ('nmae = "house"', 3, r'nmae = "house" is not a section of a style: did '
                      r"you mean \[name\]\?"),
    "section not a table": ("page = 3", 3, r"page = 3 is not a table"),
    "nothing close": ('[page]\nzzz = 1', 4, r"is not a page setting \(those are: size, "),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(UNKNOWN_NAMES))
def test_an_unknown_name_is_refused_at_its_line_with_the_closest_known_one(tmp_path, case):
    toml, line, message = UNKNOWN_NAMES[case]
    path = tmp_path / "house.toml"
    path.write_text(f'# a house style\nextends = "default"\n{toml}\n', encoding="utf-8")
    with pytest.raises(StyleError) as caught:
        load_style(str(path))
    assert caught.value.exit_code == 2
    (shown,) = caught.value.lines()
    assert shown.startswith(f"{path}:{line}: "), shown
    assert re.search(message, shown), shown


def test_every_unknown_name_of_a_style_and_of_the_style_it_extends_is_found(tmp_path):
    base = tmp_path / "base.toml"
    base.write_text('extends = "default"\n[roles.body]\nsiez = "10pt"\n', encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "./base.toml"\n[page]\ncolums = 2\n[captoins]\n',
                     encoding="utf-8")
    with pytest.raises(StyleError) as caught:
        load_style(str(child))
    assert [shown.split(": ", 1)[0] for shown in caught.value.lines()] == [
        f"{child}:3", f"{child}:4"]
    child.write_text('extends = "./base.toml"\n')
    with pytest.raises(StyleError, match=rf"^{re.escape(str(base))}:3: .* did you mean size"):
        load_style(str(child))


def test_the_shipped_styles_use_only_names_the_schema_knows():
    import tomllib

    from exporter.stylefile import ROLES, key_lines, schema_problems

    root = Path(__file__).resolve().parent.parent / "styles"
    for path in sorted(root.glob("*.toml")):
        text = path.read_text("utf-8")
        assert schema_problems(tomllib.loads(text), key_lines(text), str(path)) == []
    assert set(load_style("default").roles) == set(ROLES)
