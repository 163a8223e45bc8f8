"""Figures in the PDFs at their own size: a drawing is scaled down to fit its column but never
up beyond its size, and a figure whose text would print under 6 pt is said in a warning."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import cli

SURVEY = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "survey-en"


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("survey")
    outputs = []
    for fmt in ("pdf", "handout"):
        result = CliRunner().invoke(cli, [fmt, str(SURVEY), "-o", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    return out, "\n".join(outputs)


def _word_boxes(pdf: Path, word: str) -> list[tuple[float, float]]:
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    return [(float(m[1]), float(m[2])) for m in re.finditer(
        rf'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>{word}<', boxes)]  # fmt: skip


def test_a_drawing_is_scaled_down_to_fit_the_column_and_never_up(survey):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from exporter.formats.pdf.fonts import register_fonts
    from exporter.measure import measured
    from exporter.source import load_article
    from exporter.style import load_style

    out, _ = survey
    # svglite's chart is 432 pt wide with 8.8-unit labels: in a column at least that wide
    # they print at 8.8 pt (stretched to a 453 pt column, they printed at 9.2 pt); in a
    # narrower one, smaller by as much as the column is
    style = load_style("default")
    register_fonts(style)
    page = measured(style, load_article(SURVEY / "article.md")).page
    size = 8.8 * min(1.0, page.column_width.pt / 432)
    (left, right), *_ = _word_boxes(out / "volunteer-survey-2025.pdf", "Agree")
    assert abs((right - left) - stringWidth("Agree", "PTSans-Regular", size)) < 0.2


def test_a_figure_whose_text_would_print_under_6_pt_is_said(survey):
    _, output = survey
    warnings = [line for line in output.splitlines() if "under 6 pt" in line]
    assert any(line.startswith("warning: handout: figure 'figures/agreement.svg'")
               for line in warnings), output  # fmt: skip
    assert not [line for line in warnings if line.startswith("warning: pdf:")]


def test_a_drawing_in_the_styles_families_asks_no_system_font(tmp_path, monkeypatch):
    """The poll chart names the style's families: svglib finds them as the edition's own
    faces, and never asks fontconfig for a system font (another machine has others)."""
    from svglib.fonts import FontMap

    asked: list[str] = []
    monkeypatch.setattr(FontMap, "use_fontconfig",
                        lambda self, name, *_: asked.append(name) or (None, False))  # fmt: skip
    seed = Path(__file__).resolve().parents[2] / "source" / "tajikistan-choice-amid-sanctions"
    result = CliRunner().invoke(cli, ["pdf", str(seed), "-o", str(tmp_path), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert asked == []
