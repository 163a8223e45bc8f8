"""Regressions of the Word edition (issue 22, item 9), read back from the package's XML:
styles referenced by id, the mono face embedded with the code, no stray hairline beside the
running head and footer."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, SEED, small_article
from exporter.formats import ExportOptions
from exporter.formats.docx import DocxFormat
from exporter.source import load_article

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
CODE_ARTICLE = ROOT / "tests" / "corpus" / "kubernetes-minikube-labels-ru" / "article.md"
_STORIES = ("word/document.xml", "word/header", "word/footer", "word/footnotes.xml")


def _build(path: Path, style) -> dict[str, bytes]:
    out = io.BytesIO()
    DocxFormat().write(load_article(path), style, ExportOptions(), out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as package:
        return {name: package.read(name) for name in package.namelist()}


def _xml(parts: dict[str, bytes], name: str) -> etree._Element:
    return etree.fromstring(parts[name])


def _stories(parts: dict[str, bytes]) -> list[str]:
    return sorted(n for n in parts if n.startswith(_STORIES) and n.endswith(".xml"))


@pytest.fixture(scope="module")
def code_parts(style) -> dict[str, bytes]:
    return _build(CODE_ARTICLE, style)


@pytest.fixture(scope="module")
def seed_parts(style) -> dict[str, bytes]:
    return _build(SEED, style)


def _style_ids(parts: dict[str, bytes]) -> dict[str, set[str]]:
    """The style ids styles.xml defines, by type (paragraph, character, table)."""
    ids: dict[str, set[str]] = {}
    for node in _xml(parts, "word/styles.xml").iterfind("w:style", NS):
        ids.setdefault(node.get(f"{{{W}}}type"), set()).add(node.get(f"{{{W}}}styleId"))
    return ids


@pytest.mark.parametrize("which", ["code_parts", "seed_parts"])
def test_every_style_reference_is_a_defined_style_id(which, request):
    parts = request.getfixturevalue(which)
    ids = _style_ids(parts)
    kinds = {"pStyle": "paragraph", "rStyle": "character", "tblStyle": "table"}
    seen: dict[str, set[str]] = {kind: set() for kind in kinds}
    wrong = []
    for name in [*_stories(parts), "word/styles.xml"]:
        for tag, kind in kinds.items():
            for node in _xml(parts, name).iter(f"{{{W}}}{tag}"):
                value = node.get(f"{{{W}}}val")
                seen[tag].add(value)
                if value not in ids.get(kind, ()):
                    wrong.append((name, tag, value))
    assert not wrong, wrong
    assert seen["pStyle"] and seen["rStyle"]  # the check looked at something


def test_inline_code_runs_are_in_the_inline_code_style(code_parts):
    runs = _xml(code_parts, "word/document.xml").findall(".//w:rStyle", NS)
    values = {node.get(f"{{{W}}}val") for node in runs}
    assert "InlineCode" in values and "Inline Code" not in values
    styles = _xml(code_parts, "word/styles.xml")
    (inline,) = styles.xpath("w:style[@w:styleId='InlineCode']", namespaces=NS)
    fonts = inline.find("w:rPr/w:rFonts", NS)
    assert fonts is not None and fonts.get(f"{{{W}}}ascii") == "IBM Plex Mono"


def _embedded(parts: dict[str, bytes]) -> dict[str, list[str]]:
    """Each family of the font table with an embedded face → the font parts it names."""
    rels = etree.fromstring(parts["word/_rels/fontTable.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    out: dict[str, list[str]] = {}
    for font in _xml(parts, "word/fontTable.xml").iterfind("w:font", NS):
        faces = [targets[e.get(f"{{{R}}}id")] for e in font
                 if etree.QName(e).localname.startswith("embed")]  # fmt: skip
        if faces:
            out[font.get(f"{{{W}}}name")] = faces
    return out


def _assert_mono_embedded(parts: dict[str, bytes]) -> None:
    embedded = _embedded(parts)
    assert "IBM Plex Mono" in embedded, sorted(embedded)
    for target in embedded["IBM Plex Mono"]:
        assert f"word/{target}" in parts and target.startswith("fonts/")


def test_mono_face_is_embedded_for_inline_code_only(tmp_path, style):
    """An article whose only code is inline: its runs name the mono face through the
    Inline Code style alone, so the face is embedded only if that style is applied."""
    path = small_article(tmp_path / "inline", "Run `kubectl get pods` and `minikube start`.\n")
    parts = _build(path, style)
    _assert_mono_embedded(parts)


def test_mono_face_is_embedded_with_code(code_parts):
    _assert_mono_embedded(code_parts)


def test_no_mono_face_without_code(seed_parts):
    assert "IBM Plex Mono" not in _embedded(seed_parts)


def _side_borders(ppr: etree._Element | None) -> list[str]:
    """The sides of a paragraph's border that draw something."""
    if ppr is None:
        return []
    return [etree.QName(side).localname for side in ppr.iterfind("w:pBdr/*", NS)
            if side.get(f"{{{W}}}val") not in ("nil", "none")]  # fmt: skip


@pytest.mark.parametrize("which", ["code_parts", "seed_parts"])
def test_running_head_and_footer_draw_no_vertical_hairline(which, request):
    parts = request.getfixturevalue(which)
    styles = _xml(parts, "word/styles.xml")
    drawn = {}
    for ident in ("header", "footer"):
        (node,) = styles.xpath(f"w:style[@w:styleId='{ident}']", namespaces=NS)
        drawn[ident] = _side_borders(node.find("w:pPr", NS))
    # the rule under the running head and over the footer, as the PDF draws them; no box
    assert drawn == {"header": ["bottom"], "footer": ["top"]}
    furniture = [n for n in _stories(parts) if n.startswith(("word/header", "word/footer"))]
    assert furniture
    for name in furniture:
        for para in _xml(parts, name).iter(f"{{{W}}}p"):
            sides = _side_borders(para.find("w:pPr", NS))
            assert not {"left", "right", "between", "bar"} & set(sides), (name, sides)
            if not "".join(para.itertext()).strip():  # the first page's empty head and foot
                bdr = para.find("w:pPr/w:pBdr", NS)
                assert bdr is not None and not sides, name
