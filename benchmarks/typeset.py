"""Measure, don't guess: typesetting quality of the print editions, read back from the PDFs.

    .venv/bin/python benchmarks/typeset.py [PDF ...] [--write] [--style NAME]

With no PDF, every article of tests/corpus/*/ and source/*/ is built with `exporter all`
into a temporary folder and its article PDF and handout are measured. ``--write`` puts the
table into benchmarks/RESULTS.md as the section "Typesetting" (replacing an older one).

How a PDF is read (poppler only):

* words and lines with their boxes from ``pdftotext -bbox-layout``; the fonts of the text
  from ``pdftohtml -xml`` (a word is *mono* if its centre lies in a run set in a face whose
  name holds "Mono"). The toolkit draws an added hyphen as U+00AD and a text's own hyphen
  as U+002D, so a line ending in U+00AD was hyphenated by the line breaker (the words'
  text is what ``pdftotext -raw`` gives, line ends included).
* the text area is the page less the style's margins and what its measure leaves
  (``styles/default.toml``, or ``handout.toml`` for a ``*-handout.pdf``; ``--style`` to
  choose); a measure in characters is as wide as the article's text made it, so its right
  edge is read from the PDF: where most long lines end. A line whose centre is above or
  below the text area is a running head or footer and is left out of everything.
* a *code* line is one most of whose words are mono; it is left out of everything.
* a *body* line is a line, not code, most of whose words have the body's word height (the
  commonest height of non-mono words, ±1 %): the running text at the body size, without
  headings, captions, tables, notes and callouts set in other sizes or faces.
* lines are ordered by page, column (the style's columns, each line in the one its centre
  is in) and height on the page.
* a *full* (justified) body line ends at its column's right edge (within 1 pt); the others
  are the last lines of paragraphs, set with natural word spaces: the *natural space* is
  the median gap between the words of those ragged lines (about 0.25 em of the body size
  when there are fewer than 20 such gaps). A full line is *loose* when its widest word gap
  is more than twice the natural space. The gap after a list item's marker (``1.``, ``a)``,
  a bullet or dash first on the line) is the list's indent, not a word space, and a space
  between two mono words is inline code's own: both are left out.
* characters per line: the median length of the full body lines, words joined by one space.
* empty foot: each page but the last is rendered (``pdftoppm``, 36 dpi, grey); in each
  column of the text area, the height of blank rows under the last inked row (text,
  pictures, rules), as a share of the text area; the table gives the largest, and its page.
* straight quotes: ' and " in the words of every line of the text area but mono words.
* for a Russian text (most letters Cyrillic): full body lines ending with a one-letter word,
  and body lines starting with a dash (— or –) that continue a paragraph (the line before
  is a full body line).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SECTION = "## Typesetting"
SOFT_HYPHEN = "\u00ad"
DASHES = ("\u2014", "\u2013")
MM = 72 / 25.4


@dataclass(frozen=True)
class Area:
    """The style's margins (points) and columns: the text area of every page."""

    top: float
    bottom: float
    left: float
    right: float
    columns: int = 1
    gap: float = 0.0


# The house style's, if exporter cannot be imported (styles/default.toml, handout.toml).
_MARGINS = {"default": Area(22 * MM, 24 * MM, 25 * MM, 25 * MM),
            "handout": Area(14 * MM, 16 * MM, 14 * MM, 14 * MM, 2, 7 * MM)}
_ZOOM = 2  # of pdftohtml's coordinates, for half-point precision
_XHTML = "{http://www.w3.org/1999/xhtml}"
# a list item's number or bullet: followed by the list's indent, not by a word space
_MARKER = re.compile(r"(\d{1,3}|[a-zа-я]|[ivxlc]{1,6})[.)]|[\u2022\u25e6\u25aa\u2023\u2013\u2014-]",
                     re.IGNORECASE)


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    mono: bool = False

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Line:
    page: int
    words: list[Word]
    kind: str = "other"  # furniture, code, body, other
    full: bool = False
    column: int = 0

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def gaps(self) -> list[float]:
        """The spaces between the words: not the one after a list item's marker, nor those
        inside inline code (the mono face's own space, 0.6 em)."""
        pairs = list(zip(self.words, self.words[1:], strict=False))
        if _MARKER.fullmatch(self.words[0].text):
            pairs = pairs[1:]
        return [b.x0 - a.x1 for a, b in pairs if not (a.mono and b.mono)]


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


@dataclass
class Row:
    """One measured PDF: a row of the table."""

    name: str
    pages: int = 0
    body: int = 0
    full: int = 0
    hyphenated: int = 0
    hyphen_run: int = 0
    loose: int = 0
    natural: float = 0.0
    chars: float = 0.0
    empty: float = 0.0
    empty_page: int = 0
    quotes: int = 0  # straight double quotes
    apostrophes: int = 0  # straight single quotes (and primes)
    russian: bool = False
    one_letter: int = 0
    dash_starts: int = 0


def _run(args: list[str]) -> str:
    out = subprocess.run(args, check=True, capture_output=True).stdout
    return out.decode("utf-8", errors="replace")


_FONTSPEC = re.compile(r'<fontspec id="(\d+)"[^>]*family="([^"]*)"')
_PAGE = re.compile(r'<page number="(\d+)"')
_RUN = re.compile(r'<text top="(-?[\d.]+)" left="(-?[\d.]+)" width="(-?[\d.]+)" '
                  r'height="(-?[\d.]+)" font="(\d+)"')


def read_words(pdf: Path) -> list[Page]:
    """The pages of ``pdf`` with their lines of words (``pdftotext -bbox-layout``)."""
    root = ET.fromstring(_run(["pdftotext", "-bbox-layout", str(pdf), "-"]))
    pages = []
    for number, node in enumerate(root.iter(f"{_XHTML}page"), 1):
        page = Page(number, float(node.get("width")), float(node.get("height")))
        for line in node.iter(f"{_XHTML}line"):
            words = [Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax",
                                                                    "yMax")))
                     for w in line.iter(f"{_XHTML}word")]  # fmt: skip
            if words:
                page.lines.append(Line(number, words))
        pages.append(page)
    return pages


def mark_mono(pdf: Path, pages: list[Page]) -> None:
    """Mark the words set in a mono face (``pdftohtml -xml``: runs with their fonts)."""
    # read with patterns: pdftohtml's XML is not always well-formed (bytes of the text)
    out = _run(["pdftohtml", "-xml", "-i", "-stdout", "-q", "-zoom", str(_ZOOM), str(pdf)])
    mono = {i for i, family in _FONTSPEC.findall(out) if "mono" in family.lower()}
    starts = [(m.start(), int(m.group(1))) for m in _PAGE.finditer(out)]
    for index, (start, number) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(out)
        if number > len(pages):
            continue
        boxes = []
        for match in _RUN.finditer(out, start, end):
            if match.group(5) not in mono:
                continue
            top, left, width, height = (float(v) / _ZOOM for v in match.groups()[:4])
            boxes.append((top, top + height, left, left + width))
        if not boxes:
            continue
        boxes.sort()
        tops = [b[0] for b in boxes]
        for line in pages[number - 1].lines:
            for word in line.words:
                cx, cy = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
                near = boxes[bisect_left(tops, cy - 40):bisect_right(tops, cy + 1)]
                word.mono = any(t - 1 <= cy <= b + 1 and lft - 1 <= cx <= r + 1
                                for t, b, lft, r in near)  # fmt: skip


def margins(pdf: Path, style: str | None) -> Area:
    """The margins and columns of the style the PDF is set in (the handout's for a
    ``*-handout.pdf``)."""
    name = style or ("handout" if pdf.stem.endswith("-handout") else "default")
    try:
        sys.path.insert(0, str(ROOT))
        from exporter.style import load_style

        page = load_style(name).page
        area = Area(page.margin_top.pt, page.margin_bottom.pt, page.margin_left.pt,
                    page.outer_margin.pt, page.columns, page.column_gap.pt)
        if page.measure_chars:  # a measure in characters: as wide as the article's text made it
            area = replace(area, right=_right_margin(read_words(pdf)) or area.right)
        return area
    except Exception:  # noqa: BLE001 - without the toolkit, the house style's numbers
        return _MARGINS.get(name, _MARGINS["default"])


def _right_margin(pages: list[Page]) -> float | None:
    """The right margin of a text block whose width the PDF alone tells: where most of the
    long lines end (the justified ones end at its edge)."""
    ends = Counter(round(page.width - line.x1) for page in pages for line in page.lines
                   if len(line.words) >= 6)  # fmt: skip
    return float(ends.most_common(1)[0][0]) if ends else None


def classify(pages: list[Page], area: Area) -> list[Line]:
    """Sort every line into furniture, code, body or other; mark the full body lines and
    their columns. Returns the lines of the text area in reading order."""
    lines: list[Line] = []
    for page in pages:
        for line in page.lines:
            centre = (line.y0 + line.y1) / 2
            if centre < area.top or centre > page.height - area.bottom:
                line.kind = "furniture"
            elif sum(w.mono for w in line.words) * 2 > len(line.words):
                line.kind = "code"
            lines.append(line)
    heights = Counter(round(w.height, 1) for ln in lines if ln.kind == "other"
                      for w in ln.words if not w.mono)  # fmt: skip
    if not heights:
        return []
    body = heights.most_common(1)[0][0]
    for line in lines:
        if line.kind != "other":
            continue
        prose = [w for w in line.words if not w.mono] or line.words
        if sum(abs(w.height - body) <= max(0.1, body * 0.01) for w in prose) * 2 > len(prose):
            line.kind = "body"
    for line in lines:
        page = pages[line.page - 1]
        width = (page.width - area.left - area.right - area.gap * (area.columns - 1))
        width /= area.columns
        centre = (line.x0 + line.x1) / 2
        line.column = min(area.columns - 1, max(0, int((centre - area.left) // (width + area.gap))))
        if line.kind == "body":
            edge = area.left + line.column * (width + area.gap) + width
            line.full = abs(line.x1 - edge) <= 1.0 and len(line.words) > 1
    ordered = sorted((ln for ln in lines if ln.kind != "furniture"),
                     key=lambda ln: (ln.page, ln.column, ln.y0, ln.x0))  # fmt: skip
    return ordered


def _blank_foot(pdf: Path, pages: list[Page], area: Area) -> tuple[float, int]:
    """The largest blank foot of a column of the text area, as a share of the text area,
    over every page but the last; and that page."""
    from PIL import Image

    if len(pages) < 2:
        return 0.0, 0
    dpi = 36
    scale = dpi / 72
    worst, where = 0.0, 0
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-l", str(len(pages) - 1),
                        str(pdf), f"{folder}/p"], check=True)  # fmt: skip
        for image_path in sorted(Path(folder).iterdir()):
            number = int(image_path.stem.rsplit("-", 1)[1])
            page = pages[number - 1]
            image = Image.open(image_path)
            pixels = image.load()
            y_top = round(area.top * scale)
            y_bottom = round((page.height - area.bottom) * scale)
            text_width = page.width - area.left - area.right
            col_width = (text_width - area.gap * (area.columns - 1)) / area.columns
            blank_share = 0.0
            for col in range(area.columns):
                x_left = area.left + col * (col_width + area.gap)
                x0, x1 = round(x_left * scale), round((x_left + col_width) * scale)
                last = y_top
                for y in range(y_top, min(y_bottom, image.height)):
                    if any(pixels[x, y] < 200 for x in range(x0, min(x1, image.width))):
                        last = y
                blank = (y_bottom - last - 1) / max(1, y_bottom - y_top)
                blank_share += max(0.0, blank) / area.columns
            if blank_share > worst:
                worst, where = blank_share, number
    return worst, where


def measure(pdf: Path, style: str | None = None, show: bool = False) -> Row:
    pages = read_words(pdf)
    mark_mono(pdf, pages)
    area = margins(pdf, style)
    lines = classify(pages, area)
    row = Row(pdf.name, pages=len(pages))
    body = [ln for ln in lines if ln.kind == "body"]
    full = [ln for ln in body if ln.full]
    row.body, row.full = len(body), len(full)
    run = 0
    for line in body:
        if line.words[-1].text.endswith(SOFT_HYPHEN):
            row.hyphenated += 1
            run += 1
            row.hyphen_run = max(row.hyphen_run, run)
        else:
            run = 0
    ragged = [g for ln in body if not ln.full for g in ln.gaps()]
    if len(ragged) >= 20:
        row.natural = statistics.median(ragged)
    elif body:
        row.natural = 0.25 * statistics.median(w.height for ln in body for w in ln.words) / 1.3
    loose = [ln for ln in full if max(ln.gaps(), default=0) > 2 * row.natural]
    row.loose = len(loose)
    if show:  # the lines behind the figures, to look at
        for line in loose:
            print(f"{pdf.name}: loose ({max(line.gaps()) / row.natural:.1f}×): {line.text}")
        for line in body:
            if line.words[-1].text.endswith(SOFT_HYPHEN):
                print(f"{pdf.name}: hyphenated: {line.text}")
    if full:
        row.chars = statistics.median(len(ln.text) for ln in full)
    row.empty, row.empty_page = _blank_foot(pdf, pages, area)
    prose = [w.text for ln in lines if ln.kind != "code" for w in ln.words if not w.mono]
    row.quotes = sum(text.count('"') for text in prose)
    row.apostrophes = sum(text.count("'") for text in prose)
    letters = "".join(ch for ln in body for ch in ln.text if ch.isalpha())
    row.russian = bool(letters) and sum("\u0400" <= c <= "\u04ff" for c in letters) * 2 > len(
        letters)
    if row.russian:
        row.one_letter = sum(1 for ln in full if re.fullmatch(r"[^\W\d_]", ln.words[-1].text))
        previous: Line | None = None
        for line in lines:
            if (line.kind == "body" and line.words[0].text.startswith(DASHES)
                    and previous is not None and previous.kind == "body" and previous.full):
                row.dash_starts += 1
            previous = line
    return row


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


HEADER = ("PDF", "pages", "body lines", "hyphenated", "longest hyphen run", "loose (gap > 2×)",
          "natural space pt", "median chars", "largest empty foot (page)", "straight \" / '",
          "ru: 1-letter line end", "ru: dash starts line")  # fmt: skip


def cells(row: Row) -> tuple[str, ...]:
    ru = (str(row.one_letter), str(row.dash_starts)) if row.russian else ("–", "–")
    empty = f"{100 * row.empty:.0f} % (p. {row.empty_page})" if row.empty_page else "–"
    return (row.name, str(row.pages), str(row.body), _percent(row.hyphenated, row.body),
            str(row.hyphen_run), _percent(row.loose, row.full), f"{row.natural:.2f}",
            f"{row.chars:.0f}", empty, f"{row.quotes} / {row.apostrophes}", *ru)  # fmt: skip


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |",
             "|---|" + "--:|" * (len(HEADER) - 1)]  # fmt: skip
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def plain(rows: list[Row]) -> str:
    data = [HEADER, *(cells(row) for row in rows)]
    widths = [max(len(r[i]) for r in data) for i in range(len(HEADER))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths, strict=True)))
                     for r in data)  # fmt: skip


def build_corpus(folder: Path) -> list[Path]:
    """Every article of tests/corpus and source/ built with ``exporter all``: its PDFs."""
    sources = sorted(ROOT.glob("tests/corpus/*/article.md")) + sorted(
        ROOT.glob("source/*/article.md"))
    command = [sys.executable, "-m", "exporter", "all", "-o", str(folder), "-j", "2"]
    subprocess.run([*command, *map(str, sources)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return sorted(folder.glob("*.pdf"))


def section(rows: list[Row], sources: str) -> str:
    when = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return "\n".join([
        SECTION, "",
        f"Written by `benchmarks/typeset.py` (issue 22, \"Measure, don't guess\") on "
        f"{when}, {platform.node() or 'this machine'}, {os.cpu_count()} cores; {sources}. "
        "Body lines: the running text at the body size, without running heads, footers, "
        "code, headings, captions, tables and notes. *Hyphenated*: body lines ending with "
        "an added hyphen (U+00AD). *Loose*: full (justified) body lines whose widest word "
        "space is over twice the natural space (the median space of the last lines of "
        "paragraphs). *Median chars*: of full body lines. *Largest empty foot*: the blank "
        "foot of the text area's columns, largest over the pages but the last. *Straight "
        "quotes*: ' and \" outside code. For Russian texts: full lines ending with a "
        "one-letter word, and lines starting with a dash inside a paragraph. The method is "
        "in the script's docstring.",
        "", table(rows), "",
    ])


def write_results(text: str, path: Path = RESULTS) -> None:
    """Put ``text`` in ``path`` as its "Typesetting" section (replacing an older one)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    start = old.find(f"\n{SECTION}\n")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + 1)
        rest = old[end:] if end >= 0 else "\n"
        new = old[:start + 1] + text + rest
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDFs to measure (default: build "
                        "the corpus and the fixtures and measure their PDFs)")  # fmt: skip
    parser.add_argument("--style", help="the style the PDFs are set in (default: handout "
                        "for *-handout.pdf, else default)")  # fmt: skip
    parser.add_argument("--write", action="store_true",
                        help=f"write the table into {RESULTS.relative_to(ROOT)}")
    parser.add_argument("--lines", action="store_true",
                        help="print the loose and the hyphenated lines too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="typeset-") as folder:
        if args.pdfs:
            pdfs, sources = args.pdfs, ", ".join(html.escape(p.name) for p in args.pdfs)
        else:
            pdfs = build_corpus(Path(folder))
            sources = ("every article of tests/corpus/ and source/, built with `exporter all` "
                       "in the house style (article PDF and handout)")
        rows = [measure(pdf, args.style, args.lines) for pdf in pdfs]
    print(plain(rows))
    if args.write:
        write_results(section(rows, sources))
        print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
