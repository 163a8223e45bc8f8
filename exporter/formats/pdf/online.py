"""The "Read online" panel: labelled QR codes (and addresses) linking to the web editions."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from itertools import groupby

from reportlab.lib.colors import black, white
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from exporter.edition import WebEdition, web_panel
from exporter.fonts import cached
from exporter.formats.pdf.blocks import panel
from exporter.formats.pdf.inlines import linked, plain
from exporter.formats.pdf.pages import OutlineEntry
from exporter.formats.pdf.styles import PdfStyles
from exporter.formats.pdf.tagging import (
    Element,
    StructureTree,
    link_annotation,
    marked,
    table_decoration,
)
from exporter.labels import label
from exporter.model import Article

Box = tuple[float, float, float, float]
QR_BORDER = 4
QR_FORMAT = "1"  # of the cache entries: the modules, a row of 0s and 1s a line
CACHED_QR_CODES = 256


@lru_cache(maxsize=64)
def qr_modules(url: str, size: float) -> tuple[Box, ...]:
    """The dark modules of the QR code for ``url`` in a ``size`` square, as rectangles, one
    per run of dark modules along a row, placed as reportlab's QR widget places them (level M,
    a quiet zone of ``QR_BORDER`` modules).

    Computed once per address and size in a process: encoding is the costly part.
    """
    modules = _encoded(url)
    box = float(size) / (len(modules) + QR_BORDER * 2.0)
    runs: list[Box] = []
    for row, cells in enumerate(modules):
        column = 0
        for dark, run in groupby(map(bool, cells)):
            count = len(list(run))
            if dark:
                y = size - (row + QR_BORDER + 1) * box
                runs.append(((column + QR_BORDER) * box, y, count * box, box))
            column += count
    return tuple(runs)


def _encoded(url: str) -> list[list[bool]]:
    """The modules of the QR code for ``url``, row by row (dark: True), as reportlab's QR
    encoder makes them (level M): about 10 ms an address, so they are kept in the cache
    folder, a row of 0s and 1s a line. An entry that does not read back as a square of a
    QR code's size is ignored and the address encoded again."""
    from reportlab import Version

    key = hashlib.sha256(f"{QR_FORMAT}:{Version}:M:{url}".encode()).hexdigest()[:32]
    stored = cached("qr", f"{key}.txt", lambda: _encode(url), "QR code", CACHED_QR_CODES)
    rows = stored.decode("ascii", "replace").split("\n")
    if (len(rows) - 21) % 4 or not 21 <= len(rows) <= 177 or any(
            len(row) != len(rows) or row.strip("01") for row in rows):  # fmt: skip
        rows = _encode(url).decode("ascii").split("\n")
    return [[cell == "1" for cell in row] for row in rows]


def _encode(url: str) -> bytes:
    from reportlab.graphics.barcode.qr import QrCodeWidget  # only for an address not cached

    widget = QrCodeWidget(url, barLevel="M", barBorder=QR_BORDER)
    widget.qr.make()
    rows = ("".join("1" if cell else "0" for cell in row) for row in widget.qr.modules)
    return "\n".join(rows).encode("ascii")


class LinkedQrCode(Flowable):
    """A QR code for ``url`` on a white ground, clickable in a PDF viewer too: tagged as a
    Link holding a Figure (``alt`` says what it is) and the link's annotation."""

    def __init__(self, url: str, size: float, link: Element, alt: str) -> None:
        super().__init__()
        self.url, self.size, self.link = url, size, link
        self.figure = link.add("Figure", alt=alt)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return (self.size, self.size)

    def draw(self) -> None:
        canv = self.canv
        with marked(canv, self.figure):
            canv.saveState()
            canv.setFillColor(white)
            canv.rect(0, 0, self.size, self.size, stroke=0, fill=1)
            canv.setFillColor(black)
            path = canv.beginPath()
            for box in qr_modules(self.url, self.size):
                path.rect(*box)
            canv.drawPath(path, stroke=0, fill=1)
            canv.restoreState()
        link_annotation(canv, self.link, (0, 0, self.size, self.size), self.figure.alt or "",
                        url=self.url)  # fmt: skip


def _edition_cell(
    styles: PdfStyles, edition: WebEdition, size: float, show_address: bool, parent: Element
) -> list[Flowable]:
    """A QR code with its label: the language, the link's words, and the address."""
    head = styles.para("callout-label", "en")
    text = styles.para("callout", edition.lang)
    link = styles.color("link")
    alt = f"{label('qr_code', styles.lang)}: {edition.language} \u00b7 {edition.url}"
    code = LinkedQrCode(edition.url, size, parent.add("Link"), alt)
    cell: list[Flowable] = [code, plain(edition.language, head, parent.add("P"))]
    cell.append(linked(edition.url, edition.link_text, text, link,
                       parent.add("P", lang=edition.lang)))  # fmt: skip
    if show_address:
        caption = styles.role("caption")
        upright = styles.fonts.name(caption.family, caption.bold, False)
        address = styles.para("caption", "en").clone("web-address", fontName=upright)
        cell.append(linked(edition.url, edition.url, address, link, parent.add("P")))
    return cell


def read_online_panel(
    article: Article,
    styles: PdfStyles,
    width: float,
    qr_size: float,
    show_address: bool,
    structure: StructureTree,
) -> list[Flowable]:
    """A shaded panel headed "Read online" with one labelled QR code per web edition, as
    many to a row as fit side by side with a gap between them (each code carries its own
    quiet zone of ``QR_BORDER`` modules besides), in as many rows as it takes. Tagged as a
    section titled as the panel, its heading, then each edition in turn."""
    view = web_panel(article)
    if view is None:
        return []
    section = structure.root.add("Sect", title=view.heading)
    heading = plain(view.heading, styles.para("callout-label"), section.add("P"))
    role = styles.role("callout")
    gap = role.padding.pt
    inner_width = width - 2 * role.padding.pt - role.border_width.pt
    per_row = max(1, min(len(view.editions), int((inner_width + gap) // (qr_size + gap))))
    size = min(qr_size, inner_width / per_row - gap)
    cells = [_edition_cell(styles, e, size, show_address, section.add("Div"))
             for e in view.editions]  # fmt: skip
    rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [[] for _ in range(per_row - len(rows[-1]))]
    grid = Table(rows, colWidths=[inner_width / per_row] * per_row, hAlign="LEFT",
                 renderCB=table_decoration)  # fmt: skip
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.font("callout")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), gap),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, -1), gap),
            ]
        )
    )
    box = panel([[heading], [grid]], styles, "callout", width, role.padding.pt / 2)
    return [KeepTogether([OutlineEntry("read-online", view.heading), box])]
