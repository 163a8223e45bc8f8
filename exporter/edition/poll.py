"""The poll as every edition shows it: its words and figures, and its bar chart drawn once,
as SVG, which the e-book and page embed and Word and the PDF draw from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from exporter.fonts import font_family
from exporter.labels import label, votes_count
from exporter.measure import pil_font, wrap_words
from exporter.model import Image, Poll
from exporter.style import RoleStyle, StyleSheet

SVG_NS = "http://www.w3.org/2000/svg"
_MEASURE_SIZE = 100
# The chart's rhythm, in the poll role's leadings: an answer's lines, a small gap, its bar,
# a wider gap before the next answer (compact enough for a printed column).
LABEL_GAP = 0.15
BAR_HEIGHT = 1.1
ROW_GAP = 0.45

# Fills an SVG ``text`` element with a text in a language: plain, or tagged by script.
TextFiller = Callable[[etree._Element, str, str], None]


@dataclass(frozen=True)
class PollRow:
    """One answer: its label, its figures as printed, and its bar as a fraction of the track."""

    label: str
    votes: str  # "33"
    share: str  # "31%"
    value: str  # what the chart prints after the bar: "31% · 33 votes"
    fraction: float  # the bar's length, 0 to 1


@dataclass(frozen=True)
class PollView:
    """A poll as every edition shows it, in this order: the question, the chart (its rows,
    with ``alt`` for readers who cannot see it), the caption line, then the table
    (``columns``, the rows, then ``total``)."""

    id: str
    name: str  # "Poll": the entry in an outline or table of contents
    question: str
    rows: tuple[PollRow, ...]
    caption: str  # "Poll conducted · 108 votes in total"
    alt: str
    columns: tuple[str, str, str]  # "Answer", "Votes", "Share"
    total: tuple[str, str, str]  # "Total", "108", "100%"


def poll_view(poll: Poll, lang: str) -> PollView:
    """The words and figures of ``poll`` in the edition's language ``lang``."""
    rows = tuple(
        PollRow(
            label=a.label,
            votes=str(a.votes),
            share=f"{a.share}%",
            value=f"{a.share}% \u00b7 {votes_count(a.votes, lang)}",
            fraction=a.share / 100,
        )
        for a in poll.answers
    )
    total = label("total_votes", lang, n=poll.total)
    caption = f"{poll.status} \u00b7 {total}" if poll.status else total
    figures = "; ".join(f"{r.label}: {r.value}" for r in rows)
    return PollView(
        id=f"poll-{poll.id}",
        name=label("poll", lang),
        question=poll.question,
        rows=rows,
        caption=caption,
        alt=f"{label('poll_chart', lang)}. {poll.question} {figures}. {total}.",
        columns=(label("answer", lang), label("votes", lang), label("share", lang)),
        total=(label("total", lang), str(poll.total), f"{sum(a.share for a in poll.answers)}%"),
    )


def plain_filler(element: etree._Element, text: str, lang: str) -> None:
    """A chart's text as it is, untagged (for a drawing that is rasterised or drawn again)."""
    element.text = text


def poll_chart(
    view: PollView, style: StyleSheet, width: float, lang: str, fill: TextFiller = plain_filler
) -> etree._Element:
    """The bar chart, ``width`` points wide, as an SVG element whose ``title`` and ``desc``
    say everything the bars show: each answer above its bar on a light track (the track is
    100%), its share and votes after it. Nothing is carried by hue: the values are printed.
    ``fill`` puts each text into its element (the e-book tags runs of another script)."""
    role, bar = style.role("poll"), style.role("poll-bar")
    size, leading = role.size.pt, role.leading.pt
    measure = _text_width(role)
    track = width - max(measure(row.value) for row in view.rows) - size
    base = view.id
    svg = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS})
    for key, value in (
        ("class", "poll-chart"),
        ("role", "img"),
        ("aria-labelledby", f"{base}-chart-title {base}-chart-desc"),
    ):
        svg.set(key, value)
    _svg_text_el(svg, "title", view.name, id=f"{base}-chart-title")
    _svg_text_el(svg, "desc", view.alt, id=f"{base}-chart-desc")
    kind = next((k for k, family in style.families.items() if family == role.family), "")
    generic = {"serif": "serif", "mono": "monospace"}.get(kind, "sans-serif")
    group = etree.SubElement(svg, f"{{{SVG_NS}}}g", {  # the generic family: the PDF's mapping
        "font-family": f"'{role.family}', {generic}",
        "font-size": _num(size), "fill": role.color.hex,
    })  # fmt: skip
    baseline = leading - (leading - size) / 2 - size * 0.1
    height = leading * BAR_HEIGHT
    y = 0.0
    for row in view.rows:
        for line in wrap_words(row.label, measure, width):
            fill(_svg_text(group, 0, y + baseline), line, lang)
            y += leading
        y += leading * LABEL_GAP
        if bar.background is not None:
            _rect(group, 0, y, track, height, bar.background.hex)
        _rect(group, 0, y, track * row.fraction, height, bar.color.hex)
        fill(_svg_text(group, track + size / 2, y + height / 2 + size * 0.35), row.value, lang)
        y += height + leading * ROW_GAP
    svg.set("viewBox", f"0 0 {_num(width)} {_num(y - leading * ROW_GAP)}")
    return svg


def poll_chart_image(view: PollView, style: StyleSheet, width: float, lang: str) -> Image:
    """The chart as an SVG image of ``width`` × its height in points, as a figure's image is
    given to the editions that draw or rasterise it (its texts untagged)."""
    svg = poll_chart(view, style, width, lang)
    _, _, w, h = (float(v) for v in svg.get("viewBox", "").split())
    svg.set("width", _num(w))
    svg.set("height", _num(h))
    data = etree.tostring(svg, encoding="utf-8", xml_declaration=True)
    return Image(f"{view.id}.svg", "image/svg+xml", round(w), round(h), data)


def _text_width(role: RoleStyle) -> Callable[[str], float]:
    """Width in points of a text set in ``role``'s font, measured with the real font file."""
    font = pil_font(font_family(role.family).face(role.bold, role.italic), _MEASURE_SIZE)
    return lambda text: font.getlength(text) * role.size.pt / _MEASURE_SIZE


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _rect(parent: etree._Element, x: float, y: float, w: float, h: float, fill: str) -> None:
    etree.SubElement(parent, f"{{{SVG_NS}}}rect", {
        "x": _num(x), "y": _num(y), "width": _num(w), "height": _num(h), "fill": fill,
    })  # fmt: skip


def _svg_text_el(parent: etree._Element, name: str, text: str, **attrs: str) -> None:
    element = etree.SubElement(parent, f"{{{SVG_NS}}}{name}", attrs)
    element.text = text


def _svg_text(parent: etree._Element, x: float, y: float) -> etree._Element:
    return etree.SubElement(parent, f"{{{SVG_NS}}}text", {"x": _num(x), "y": _num(y)})
