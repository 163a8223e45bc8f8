"""The style layer: units, inheritance, the handout derived from the default, clear errors."""

from __future__ import annotations

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
        ('[roles.body]\nfont-size = "10pt"', "unknown key 'font-size'"),
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
