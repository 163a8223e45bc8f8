"""The poll in the e-book: an accessible results table and an SVG bar chart with title and desc."""

from __future__ import annotations

from lxml import etree

from exporter.edition import SVG_NS, PollView, poll_chart, poll_view
from exporter.languages import Languages
from exporter.model import PollBlock
from exporter.style import StyleSheet
from exporter.xhtml.render import XML_LANG, append_text, sub


class PollRenderer:
    """Renders a :class:`PollBlock` as a section with a table and a chart, styled by ``style``."""

    def __init__(self, style: StyleSheet) -> None:
        self.style = style

    def __call__(
        self, parent: etree._Element, block: PollBlock, languages: Languages
    ) -> etree._Element:
        """The poll's section, appended to ``parent``: its question as the heading, then the
        chart with its caption, then the table, as every edition orders them; ``languages``
        (the article's) says what each run of text is in."""
        lang = languages.lang
        view = poll_view(block.poll, lang)
        section = sub(parent, "section", class_="poll", id=view.id)
        section.set("aria-labelledby", f"{view.id}-heading")
        heading = sub(section, "h2", class_="heading-2 poll-question", id=f"{view.id}-heading")
        append_text(heading, view.question, lang, languages)
        figure = sub(section, "figure", class_="poll-figure")
        figure.append(self.chart(view, languages))
        append_text(sub(figure, "figcaption", class_="caption"), view.caption, lang, languages)
        self.table(section, view, languages)
        return section

    def table(self, parent: etree._Element, view: PollView, languages: Languages) -> None:
        lang = languages.lang
        table = sub(parent, "table", class_="data-table poll-table")
        table.set("aria-labelledby", f"{view.id}-heading")
        head_row = sub(sub(table, "thead"), "tr")
        for text, css in zip(view.columns, ("answer", "number", "number"), strict=True):
            append_text(sub(head_row, "th", scope="col", class_=css), text, lang, languages)
        body = sub(table, "tbody")
        for answer in view.rows:
            row = sub(body, "tr")
            append_text(sub(row, "th", scope="row", class_="answer"), answer.label, lang,
                        languages)  # fmt: skip
            sub(row, "td", answer.votes, class_="number")
            sub(row, "td", answer.share, class_="number")
        foot_row = sub(sub(table, "tfoot"), "tr")
        name, votes, share = view.total
        append_text(sub(foot_row, "th", scope="row", class_="answer"), name, lang, languages)
        sub(foot_row, "td", votes, class_="number")
        sub(foot_row, "td", share, class_="number")

    def chart(self, view: PollView, languages: Languages) -> etree._Element:
        """The edition layer's SVG bar chart, as wide as the text, its texts' runs in another
        script tagged with their language."""

        def fill(element: etree._Element, text: str, lang: str) -> None:
            _svg_label(element, text, lang, languages)

        width = self.style.page.text_width.pt
        return poll_chart(view, self.style, width, languages.lang, fill)


def _svg_label(element: etree._Element, text: str, lang: str, languages: Languages) -> None:
    """Fill a chart's ``text`` element: runs in another script become ``tspan``s tagged with
    the language the article's ``languages`` read them in."""
    for run_lang, run in languages.runs(text, lang):
        if run_lang == lang:
            if len(element):
                element[-1].tail = (element[-1].tail or "") + run
            else:
                element.text = (element.text or "") + run
        else:
            span = etree.SubElement(element, f"{{{SVG_NS}}}tspan", {XML_LANG: run_lang})
            span.text = run
