"""The floor: the least honest work with python-docx, reportlab and ebooklib for one article's
five editions: an A4 PDF, a two-column PDF handout, a Word file, an e-book and a web page."""

from __future__ import annotations

import argparse
import re
from html import escape
from pathlib import Path

FORMATS = ("pdf", "handout", "docx", "epub", "html")


def read_text(source: Path) -> tuple[str, list[str]]:
    """The English title and every paragraph (summary, then body) of a canonical source.

    No YAML and no Markdown parser: string operations only, the least a converter must do.
    """
    _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
    title = re.search(r'^title:\n\s+en: "(.*)"$', front, re.M)
    summary = re.search(r"^summary: \|\n((?:[ \t]+.*\n|\n)+)", front, re.M)
    paragraphs = summary.group(1).split("\n\n") if summary else []
    paragraphs += [b for b in body.split("\n\n") if b.strip() and not b.startswith(":::")]
    return (title.group(1) if title else ""), [p.strip() for p in paragraphs if p.strip()]


def write_pdf(title: str, paragraphs: list[str], out: Path, regular: Path, bold: Path) -> None:
    """Platypus paragraphs in PT Serif (regular and bold embedded), A4."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(TTFont("PTSerif", str(regular)))
    pdfmetrics.registerFont(TTFont("PTSerif-Bold", str(bold)))
    body = ParagraphStyle("body", fontName="PTSerif", fontSize=10.5, leading=14, spaceAfter=6)
    head = ParagraphStyle("title", fontName="PTSerif-Bold", fontSize=20, leading=24, spaceAfter=12)
    story = [Paragraph(escape(title, quote=False), head)]
    story += [Paragraph(escape(p, quote=False), body) for p in paragraphs]
    doc = SimpleDocTemplate(
        str(out), pagesize=A4, title=title, invariant=1, initialFontName="PTSerif"
    )
    doc.build(story)


def write_handout(title: str, paragraphs: list[str], out: Path, regular: Path, bold: Path
                  ) -> None:  # fmt: skip
    """Platypus paragraphs in PT Serif, 9 pt, in two columns of an A4 page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    pdfmetrics.registerFont(TTFont("PTSerif", str(regular)))
    pdfmetrics.registerFont(TTFont("PTSerif-Bold", str(bold)))
    body = ParagraphStyle("body", fontName="PTSerif", fontSize=9, leading=11.6, spaceAfter=3.5)
    head = ParagraphStyle("title", fontName="PTSerif-Bold", fontSize=18, leading=21, spaceAfter=8)
    margin, gap = 14 * mm, 7 * mm
    width = (A4[0] - 2 * margin - gap) / 2
    height = A4[1] - 2 * margin
    frames = [Frame(margin + i * (width + gap), margin, width, height, id=f"c{i}")
              for i in range(2)]  # fmt: skip
    doc = BaseDocTemplate(str(out), pagesize=A4, title=title, invariant=1,
                          initialFontName="PTSerif")  # fmt: skip
    doc.addPageTemplates([PageTemplate("columns", frames)])
    story = [Paragraph(escape(title, quote=False), head)]
    story += [Paragraph(escape(p, quote=False), body) for p in paragraphs]
    doc.build(story)


def write_html(title: str, paragraphs: list[str], out: Path) -> None:
    """One HTML page: the title and the paragraphs, escaped."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    out.write_text(f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>\n"
                   f"{body}\n</body></html>\n", encoding="utf-8")  # fmt: skip


def write_docx(title: str, paragraphs: list[str], out: Path) -> None:
    """python-docx's default template, a title and the paragraphs."""
    from docx import Document

    document = Document()
    document.core_properties.title = title
    document.add_heading(title, 0)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(out))


def write_epub(title: str, paragraphs: list[str], out: Path) -> None:
    """One XHTML chapter with the paragraphs, NCX and navigation document."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("floor")
    book.set_title(title)
    book.set_language("en")
    chapter = epub.EpubHtml(title=title, file_name="text.xhtml", lang="en")
    html = [f"<h1>{escape(title)}</h1>"] + [f"<p>{escape(p)}</p>" for p in paragraphs]
    chapter.content = "\n".join(html)
    book.add_item(chapter)
    book.toc = [chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", chapter]
    epub.write_epub(str(out), book)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("format", choices=[*FORMATS, "all"])
    parser.add_argument("source", type=Path)
    parser.add_argument("-o", "--out-dir", type=Path, required=True)
    parser.add_argument("--regular", type=Path, required=True, help="PT Serif regular .ttf")
    parser.add_argument("--bold", type=Path, required=True, help="PT Serif bold .ttf")
    args = parser.parse_args()
    title, paragraphs = read_text(args.source)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    wanted = FORMATS if args.format == "all" else (args.format,)
    if "pdf" in wanted:
        write_pdf(title, paragraphs, args.out_dir / "floor.pdf", args.regular, args.bold)
    if "handout" in wanted:
        write_handout(title, paragraphs, args.out_dir / "floor-handout.pdf", args.regular,
                      args.bold)  # fmt: skip
    if "docx" in wanted:
        write_docx(title, paragraphs, args.out_dir / "floor.docx")
    if "epub" in wanted:
        write_epub(title, paragraphs, args.out_dir / "floor.epub")
    if "html" in wanted:
        write_html(title, paragraphs, args.out_dir / "floor.html")


if __name__ == "__main__":
    main()
