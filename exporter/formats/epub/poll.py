"""The poll in the e-book: an accessible results table and an SVG bar chart with title and desc."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from exporter.fonts import font_family
from exporter.formats.epub.xhtml import XML_LANG, append_text, sub
from exporter.formats.measure import pil_font, wrap_words
from exporter.labels import label
from exporter.model import Poll, PollBlock, script_runs
from exporter.style import RoleStyle, StyleSheet

SVG_NS = "http://www.w3.org/2000/svg"
_MEASURE_SIZE = 100


def poll_id(poll: Poll) -> str:
    return f"poll-{poll.id}"


class PollRenderer:
    """Renders a :class:`PollBlock` as a section with a table and a chart, styled by ``style``."""

    def __init__(self, style: StyleSheet) -> None:
        self.style = style

    def __call__(self, parent: etree._Element, block: PollBlock, lang: str) -> etree._Element:
        """The poll's section, appended to ``parent``."""
        poll = block.poll
        base = poll_id(poll)
        section = sub(parent, "section", class_="poll", id=base)
        section.set("aria-labelledby", f"{base}-heading")
        heading = sub(section, "h2", class_="heading-2 poll-heading", id=f"{base}-heading")
        append_text(heading, label("poll", lang), lang)
        if poll.status:
            append_text(sub(section, "p", class_="poll-status"), poll.status, lang)
        self.table(section, poll, lang)
        figure = sub(section, "figure", class_="poll-figure")
        figure.append(self.chart(poll, lang))
        caption = sub(figure, "figcaption", class_="caption")
        total = label("total_votes", lang, n=poll.total)
        append_text(caption, f"{label('poll_chart', lang)}: {total}", lang)
        return section

    def table(self, parent: etree._Element, poll: Poll, lang: str) -> None:
        base = poll_id(poll)
        table = sub(parent, "table", class_="poll-table")
        caption = sub(table, "caption", class_="poll-question", id=f"{base}-question")
        append_text(caption, poll.question, lang)
        head_row = sub(sub(table, "thead"), "tr")
        for key, css in (("answer", "answer"), ("votes", "number"), ("share", "number")):
            append_text(sub(head_row, "th", scope="col", class_=css), label(key, lang), lang)
        body = sub(table, "tbody")
        for answer in poll.answers:
            row = sub(body, "tr")
            append_text(sub(row, "th", scope="row", class_="answer"), answer.label, lang)
            sub(row, "td", str(answer.votes), class_="number")
            sub(row, "td", f"{answer.share}%", class_="number")
        foot_row = sub(sub(table, "tfoot"), "tr")
        append_text(sub(foot_row, "th", scope="row", class_="answer"), label("total", lang), lang)
        sub(foot_row, "td", str(poll.total), class_="number")
        sub(foot_row, "td", f"{sum(a.share for a in poll.answers)}%", class_="number")

    def chart(self, poll: Poll, lang: str) -> etree._Element:
        """An SVG bar chart whose ``title`` and ``desc`` say everything the bars show."""
        role, bar = self.style.role("poll"), self.style.role("poll-bar")
        page = self.style.page
        width = page.width.pt - page.margin_left.pt - page.margin_right.pt
        size, leading = role.size.pt, role.leading.pt
        measure = _text_width(role)
        values = [f"{a.votes} ({a.share}%)" for a in poll.answers]
        track = width - max(measure(v) for v in values) - size
        base = poll_id(poll)
        svg = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS})
        for key, value in (
            ("class", "poll-chart"),
            ("role", "img"),
            ("aria-labelledby", f"{base}-chart-title {base}-chart-desc"),
        ):
            svg.set(key, value)
        title = f"{label('poll_chart', lang)}: {poll.question}"
        _svg_text_el(svg, "title", title, id=f"{base}-chart-title")
        _svg_text_el(svg, "desc", _description(poll, lang), id=f"{base}-chart-desc")
        group = etree.SubElement(svg, f"{{{SVG_NS}}}g", {
            "font-family": f"'{role.family}', sans-serif",
            "font-size": _num(size), "fill": role.color.hex,
        })  # fmt: skip
        baseline = leading - (leading - size) / 2 - size * 0.1
        y = 0.0
        for answer, value in zip(poll.answers, values, strict=True):
            for line in wrap_words(answer.label, measure, width):
                _svg_label(group, 0, y + baseline, line, lang)
                y += leading
            y += leading * 0.25
            _rect(group, 0, y, track, leading, (bar.background or bar.color).hex)
            _rect(group, 0, y, track * answer.share / 100, leading, bar.color.hex)
            _svg_label(group, track + size / 2, y + leading / 2 + size * 0.35, value, lang)
            y += leading * 1.75
        svg.set("viewBox", f"0 0 {_num(width)} {_num(y - leading * 0.5)}")
        return svg


def _text_width(role: RoleStyle) -> Callable[[str], float]:
    """Width in points of a text set in ``role``'s font, measured with the real font file."""
    font = pil_font(font_family(role.family).face(role.bold, role.italic), _MEASURE_SIZE)
    return lambda text: font.getlength(text) * role.size.pt / _MEASURE_SIZE


def _description(poll: Poll, lang: str) -> str:
    parts = [f"{a.label}: {a.votes} ({a.share}%)" for a in poll.answers]
    return f"{poll.question} " + "; ".join(parts) + f". {label('total_votes', lang, n=poll.total)}."


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
