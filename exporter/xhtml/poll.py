"""The poll in the e-book: an accessible results table and an SVG bar chart with title and desc."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from exporter.edition import PollView, poll_view
from exporter.fonts import font_family
from exporter.formats.measure import pil_font, wrap_words
from exporter.languages import script_runs
from exporter.model import PollBlock
from exporter.style import RoleStyle, StyleSheet
from exporter.xhtml.render import XML_LANG, append_text, sub

SVG_NS = "http://www.w3.org/2000/svg"
_MEASURE_SIZE = 100


class PollRenderer:
    """Renders a :class:`PollBlock` as a section with a table and a chart, styled by ``style``."""

    def __init__(self, style: StyleSheet) -> None:
        self.style = style

    def __call__(self, parent: etree._Element, block: PollBlock, lang: str) -> etree._Element:
        """The poll's section, appended to ``parent``: its question as the heading, then the
        chart with its caption, then the table, as every edition orders them."""
        view = poll_view(block.poll, lang)
        section = sub(parent, "section", class_="poll", id=view.id)
        section.set("aria-labelledby", f"{view.id}-heading")
        heading = sub(section, "h2", class_="heading-2 poll-question", id=f"{view.id}-heading")
        append_text(heading, view.question, lang)
        figure = sub(section, "figure", class_="poll-figure")
        figure.append(self.chart(view, lang))
        append_text(sub(figure, "figcaption", class_="caption"), view.caption, lang)
        self.table(section, view, lang)
        return section

    def table(self, parent: etree._Element, view: PollView, lang: str) -> None:
        table = sub(parent, "table", class_="data-table poll-table")
        table.set("aria-labelledby", f"{view.id}-heading")
        head_row = sub(sub(table, "thead"), "tr")
        for text, css in zip(view.columns, ("answer", "number", "number"), strict=True):
            append_text(sub(head_row, "th", scope="col", class_=css), text, lang)
        body = sub(table, "tbody")
        for answer in view.rows:
            row = sub(body, "tr")
            append_text(sub(row, "th", scope="row", class_="answer"), answer.label, lang)
            sub(row, "td", answer.votes, class_="number")
            sub(row, "td", answer.share, class_="number")
        foot_row = sub(sub(table, "tfoot"), "tr")
        name, votes, share = view.total
        append_text(sub(foot_row, "th", scope="row", class_="answer"), name, lang)
        sub(foot_row, "td", votes, class_="number")
        sub(foot_row, "td", share, class_="number")

    def chart(self, view: PollView, lang: str) -> etree._Element:
        """An SVG bar chart whose ``title`` and ``desc`` say everything the bars show."""
        role, bar = self.style.role("poll"), self.style.role("poll-bar")
        page = self.style.page
        width = page.width.pt - page.margin_left.pt - page.margin_right.pt
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
        group = etree.SubElement(svg, f"{{{SVG_NS}}}g", {
            "font-family": f"'{role.family}', sans-serif",
            "font-size": _num(size), "fill": role.color.hex,
        })  # fmt: skip
        baseline = leading - (leading - size) / 2 - size * 0.1
        y = 0.0
        for row in view.rows:
            for line in wrap_words(row.label, measure, width):
                _svg_label(group, 0, y + baseline, line, lang)
                y += leading
            y += leading * 0.25
            _rect(group, 0, y, track, leading, (bar.background or bar.color).hex)
            _rect(group, 0, y, track * row.fraction, leading, bar.color.hex)
            _svg_label(group, track + size / 2, y + leading / 2 + size * 0.35, row.value, lang)
            y += leading * 1.75
        svg.set("viewBox", f"0 0 {_num(width)} {_num(y - leading * 0.5)}")
        return svg


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


def _svg_label(parent: etree._Element, x: float, y: float, text: str, lang: str) -> None:
    element = etree.SubElement(parent, f"{{{SVG_NS}}}text", {"x": _num(x), "y": _num(y)})
    for run_lang, run in script_runs(text, lang):
        if run_lang == lang:
            if len(element):
                element[-1].tail = (element[-1].tail or "") + run
            else:
                element.text = (element.text or "") + run
        else:
            span = etree.SubElement(element, f"{{{SVG_NS}}}tspan", {XML_LANG: run_lang})
            span.text = run
