"""Formats come from the ``exporter.formats`` entry points, built-ins and third parties alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exporter.errors import UsageError
from exporter.formats import Format, format_names, load_format

PLUGIN_DIR = Path(__file__).parent / "fixtures" / "plugin"


def test_builtin_formats_are_registered_as_entry_points():
    assert {"pdf", "handout", "docx", "epub", "html"} <= set(format_names())


@pytest.mark.parametrize("name", format_names())
def test_builtin_format_declares_its_capabilities(name):
    fmt = load_format(name)
    assert issubclass(fmt, Format)
    assert fmt.name == name
    assert "." in fmt.suffix and fmt.suffix.rsplit(".", 1)[1].isalnum()
    assert fmt.media_type and fmt.description


def test_unknown_format_lists_what_is_available():
    with pytest.raises(UsageError, match=r"unknown format 'odt' \(available: .*docx.*epub"):
        load_format("odt")


def test_third_party_format_is_discovered(monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGIN_DIR))
    assert "plaintext" in format_names()
    assert load_format("plaintext").suffix == ".txt"


def test_duplicate_format_names_are_an_error(monkeypatch, tmp_path):
    twin = tmp_path / "twin_format-1.0.dist-info"
    shutil.copytree(PLUGIN_DIR / "plaintext_format-1.0.dist-info", twin)
    (twin / "entry_points.txt").write_text("[exporter.formats]\npdf = plaintext_format:X\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(UsageError, match="more than one format is registered as pdf"):
        format_names()


@pytest.mark.parametrize("name", ["epub", "html"])
def test_the_shared_xhtml_renderer_names_the_edition_it_renders(name, article):
    """The e-book and the page share one XHTML renderer; what it cannot render is reported
    with the edition's name, not always ``epub:``."""
    import dataclasses
    import io

    from exporter.errors import FormatError
    from exporter.formats import ExportOptions
    from exporter.style import load_style

    @dataclasses.dataclass(frozen=True)
    class Unknown:
        line: int = 7

    broken = dataclasses.replace(article, body=(*article.body, Unknown()))
    with pytest.raises(FormatError, match=rf"^{name}: cannot render Unknown \(source line 7\)$"):
        load_format(name)().write(broken, load_style(), ExportOptions(embed_fonts=False),
                                  io.BytesIO())  # fmt: skip
