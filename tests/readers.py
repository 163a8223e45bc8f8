"""Independent readers: the text a reader of each edition sees, read without the writing library."""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OPF = "{http://www.idpf.org/2007/opf}"


def xml_schema(path: Path) -> etree.XMLSchema:
    """The XML Schema at ``path``, read with every include from the disk (never the network)."""
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))


def pdf_text(data: bytes, top: float = 0.0, bottom: float = 0.0) -> str:
    """Text of every page of a PDF, in page order (pypdf).

    With ``top``/``bottom`` margins (points), only the text block is read: running headers
    and footers drawn in the margins are left out, as a reader skips them.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if not (top or bottom):
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    pages = []
    for page in reader.pages:
        height = float(page.mediabox.height)
        parts: list[str] = []

        def keep(
            text: str, cm: list[float], tm: list[float], *_: object,
            height: float = height, parts: list[str] = parts,
        ) -> None:  # fmt: skip
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if bottom - 2 <= y <= height - top + 2:
                parts.append(text)

        page.extract_text(visitor_text=keep)
        pages.append("".join(parts))
    return "\n".join(pages)


def pdf_raw_text(data: bytes, crop: tuple[float, float, float, float] | None = None) -> str:
    """The PDF's text in content order, as poppler's ``pdftotext -raw`` gives it: hyphens at
    line ends are kept as drawn (the default mode silently joins hyphenated words). With
    ``crop`` (left, top, width, height in points) only that area of each page is read."""
    import shutil
    import subprocess
    import tempfile

    tool = shutil.which("pdftotext")
    if tool is None:
        raise RuntimeError("pdftotext (poppler-utils) is needed to read PDF editions back")
    area: list[str] = []
    if crop:
        x, y, w, h = (str(int(v)) for v in crop)
        area = ["-x", x, "-y", y, "-W", w, "-H", h]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        result = subprocess.run([tool, "-raw", "-enc", "UTF-8", *area, pdf.name, "-"],
                                capture_output=True, text=True, check=True)  # fmt: skip
    return result.stdout


def text_area(page: object, slack: float = 2.0) -> tuple[float, float, float, float]:
    """The crop box (left, top, width, height) of a style's text area, a little larger."""
    left, top = page.margin_left.pt - slack, page.margin_top.pt - slack  # type: ignore[attr-defined]
    width = page.text_width.pt + 2 * slack  # type: ignore[attr-defined]
    height = page.height.pt - page.margin_top.pt - page.margin_bottom.pt + 2 * slack  # type: ignore[attr-defined]
    return (left, top, width, height)


def docx_text(data: bytes) -> str:
    """Every paragraph of word/document.xml, in document order, then the footnotes' (zip +
    lxml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        roots = [etree.fromstring(zf.read("word/document.xml"))]
        if "word/footnotes.xml" in zf.namelist():
            roots.append(etree.fromstring(zf.read("word/footnotes.xml")))
    paragraphs = []
    for root in roots:
        for para in root.iter(f"{W}p"):
            shown = []  # the text, and each footnote's number where Word shows it
            for node in para.iter(f"{W}t", f"{W}footnoteReference"):
                shown.append(node.text or "" if node.tag == f"{W}t" else node.get(f"{W}id"))
            paragraphs.append("".join(shown))
    return "\n".join(paragraphs)


def epub_text(data: bytes) -> str:
    """Text of the spine documents, in spine order (zip + lxml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        container = etree.fromstring(zf.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = etree.fromstring(zf.read(opf_path))
        base = posixpath.dirname(opf_path)
        hrefs = {i.get("id"): i.get("href") for i in opf.iter(f"{OPF}item")}
        texts = []
        for ref in opf.iter(f"{OPF}itemref"):
            doc = etree.fromstring(zf.read(posixpath.join(base, hrefs[ref.get("idref")])))
            body = doc.find("{http://www.w3.org/1999/xhtml}body")
            texts.append(_block_text(body))
    return "\n".join(texts)


_BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "div", "tr", "td", "th", "caption", "br",
           "figcaption"}
_SKIPPED = {"script", "style", "title", "desc"}


def _block_text(element: etree._Element) -> str:
    """Text in document order with a line break after each block, so paragraphs stay apart."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if tag not in _SKIPPED:
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")
        if tag in _BLOCKS:
            parts.append("\n")

    walk(element)
    return "".join(parts)


def html_text(data: bytes) -> str:
    """Text of the page's body as a browser lays it out in blocks (lxml's HTML parser)."""
    import lxml.html

    return _block_text(lxml.html.fromstring(data).find("body"))


READERS = {".pdf": pdf_text, ".docx": docx_text, ".epub": epub_text, ".html": html_text}


def edition_text(path: Path, margins: tuple[float, float] | None = None) -> str:
    """The text of any edition, by its file suffix; for a PDF, ``margins`` (top, bottom)
    leave out what is drawn in the page margins."""
    if path.suffix == ".pdf" and margins:
        return pdf_text(path.read_bytes(), *margins)
    return READERS[path.suffix](path.read_bytes())


# -- tagged PDF: the structure tree and the marks on the pages

PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh",
            "INLINE IMAGE"}  # fmt: skip


def struct_text(path: Path) -> list[tuple[int, str]]:
    """poppler's structure tree with its text: (depth, line) for each element and each
    stretch of text (quoted), in the tree's order."""
    import shutil
    import subprocess

    tool = shutil.which("pdfinfo")
    if tool is None:
        raise RuntimeError("pdfinfo (poppler-utils) is needed to read a PDF's structure tree")
    raw = subprocess.run([tool, "-enc", "UTF-8", "-struct-text", str(path)], capture_output=True,
                         check=True).stdout  # fmt: skip
    # the text is UTF-8; an element's title (/T) is printed as its raw bytes
    out = raw.decode("utf-8", errors="replace")
    lines = []
    for line in out.splitlines():
        stripped = line.lstrip(" ")
        lines.append(((len(line) - len(stripped)) // 2, stripped))
    return lines


def tree_text(path: Path) -> str:
    """The text of the document as its structure tree orders it."""
    return "\n".join(line[1:-1] for _, line in struct_text(path) if line.startswith('"'))


def content_problems(pdf: Any) -> list[str]:
    """Painting outside any marked sequence, MCIDs nested or unbalanced, MCIDs not mapped
    back to an element that claims them, in a PDF opened with pikepdf."""
    import pikepdf

    root = pdf.Root.StructTreeRoot
    nums = list(root.ParentTree.Nums)
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        stack: list[str] = []
        mcids: list[int] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                props = operands[1] if op == "BDC" else None
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    if any(s.startswith("mcid") or s == "/Artifact" for s in stack):
                        problems.append(f"page {number}: MCID nested in another sequence")
                    mcids.append(int(props.MCID))
                    stack.append(f"mcid {tag}")
                else:
                    stack.append(tag)
            elif op == "EMC":
                if not stack:
                    problems.append(f"page {number}: EMC without BDC")
                else:
                    stack.pop()
            elif op in PAINTING and not any(
                s.startswith("mcid") or s == "/Artifact" for s in stack
            ):
                problems.append(f"page {number}: {op} is neither tagged nor an artifact")
        if stack:
            problems.append(f"page {number}: {len(stack)} sequences left open")
        if mcids != list(range(len(mcids))):
            problems.append(f"page {number}: MCIDs are not 0..n-1")
        if not mcids:
            continue
        if page.obj.get("/Tabs") != pikepdf.Name.S:
            problems.append(f"page {number}: annotations not in structure order (/Tabs)")
        parents = tree[int(page.obj.StructParents)]
        if len(parents) != len(mcids):
            problems.append(f"page {number}: {len(mcids)} MCIDs, {len(parents)} in ParentTree")
            continue
        for mcid in mcids:
            element = parents[mcid]
            if not _claims(element, mcid, page.obj):
                problems.append(f"page {number}: MCID {mcid} is not in its element's /K")
    return problems


def _claims(element: Any, mcid: int, page: Any) -> bool:
    import pikepdf

    kids = element.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    home = element.get("/Pg")
    for kid in kids:
        if isinstance(kid, int) and kid == mcid and home is not None and home.objgen == page.objgen:
            return True
        if (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR"
                and int(kid.MCID) == mcid and kid.Pg.objgen == page.objgen):  # fmt: skip
            return True
    return False
