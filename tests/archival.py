"""PDF/A-2 (ISO 19005-2) checks of a written PDF, each naming the clause it reads.

Level B, the file itself (clauses 6.1 to 6.6 and 6.8 to 6.11, 144 rules), is checked by
pikepdf's validator, which applies the veraPDF consortium's rules for PDF/A-2b and approves
only what it recognises. Two of its findings are outside its reach and are checked here
instead: it has no reader for XMP extension schemas (6.6.2.3.2), so the declared PDF/UA
identification is reported as an unknown property, and it knows level B only, so the
claim of level A is reported as a mismatch. What levels U and A add is checked here:
Unicode for every character code (6.2.11.7.2) and the logical structure (6.7).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
from lxml import etree

# the validator's findings that this module checks itself (see above)
_EXTENSION = re.compile(
    r"ISO_19005_2:6\.6\.2\.3\.1-1 .*XMP (namespace (pdfaExtension|pdfaSchema|pdfaProperty)="
    r"|property (pdfuaid:part|pdfaExtension:schemas) )"
)
_LEVEL = re.compile(r"ISO_19005_2:6\.6\.4-3 .*pdfaid:conformance is 'A', expected 'B'")

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
# ISO 32000-1, 14.8.4: the structure types a level A file may use without a role map
STANDARD_TYPES = frozenset((
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu",
    "WT", "WP", "Figure", "Formula", "Form",
))


def pdfa_problems(path: Path) -> list[str]:
    """Everything in the PDF at ``path`` that PDF/A-2a forbids, each with its clause."""
    from pikepdf import pdfa

    report = pdfa.validate_written(path, "2b")
    problems = [f"validator: {finding}" for finding in report.findings
                if not _EXTENSION.search(str(finding)) and not _LEVEL.search(str(finding))]
    with pikepdf.open(path) as pdf:
        problems += identification_problems(pdf)
        problems += output_intent_problems(pdf)
        problems += unicode_problems(pdf)
        problems += structure_problems(pdf)
    problems += embedding_problems(path)
    return problems


def xmp_of(pdf: pikepdf.Pdf) -> etree._Element:
    return etree.fromstring(pdf.Root.Metadata.read_bytes())


def identification_problems(pdf: pikepdf.Pdf) -> list[str]:
    """6.6.4: pdfaid:part 2 and conformance A; 6.6.2.3.2 and 6.6.2.3.3: the one property
    of a schema PDF/A does not predefine (pdfuaid:part) is declared by an extension schema
    with every field the container schema asks for."""
    xmp = xmp_of(pdf)
    problems = []
    part = xmp.xpath("string(//pdfaid:part)", namespaces=NS)
    level = xmp.xpath("string(//pdfaid:conformance)", namespaces=NS)
    if (part, level) != ("2", "A"):
        problems.append(f"6.6.4: pdfaid part {part!r} conformance {level!r}, not 2 and A")
    if not xmp.xpath("//pdfuaid:part", namespaces=NS):
        return problems
    schemas = xmp.xpath("//pdfaExtension:schemas/rdf:Bag/rdf:li", namespaces=NS)
    declared = {s.findtext("pdfaSchema:namespaceURI", namespaces=NS): s for s in schemas}
    schema = declared.get(NS["pdfuaid"])
    if schema is None:
        return [*problems, "6.6.2.3.2: pdfuaid:part is used but its schema is not declared"]
    if schema.findtext("pdfaSchema:prefix", namespaces=NS) != "pdfuaid" or not (
            schema.findtext("pdfaSchema:schema", namespaces=NS)):  # fmt: skip
        problems.append("6.6.2.3.3: the pdfuaid schema lacks its prefix or name")
    props = schema.xpath("pdfaSchema:property/rdf:Seq/rdf:li", namespaces=NS)
    fields = {p.findtext("pdfaProperty:name", namespaces=NS): p for p in props}
    prop = fields.get("part")
    if prop is None:
        return [*problems, "6.6.2.3.3: the pdfuaid schema does not declare 'part'"]
    if (prop.findtext("pdfaProperty:valueType", namespaces=NS) != "Integer"
            or prop.findtext("pdfaProperty:category", namespaces=NS) not in ("internal",
                                                                            "external")
            or not prop.findtext("pdfaProperty:description", namespaces=NS)):  # fmt: skip
        problems.append("6.6.2.3.3: pdfuaid:part lacks its value type, category or description")
    return problems


def output_intent_problems(pdf: pikepdf.Pdf) -> list[str]:
    """6.2.3: one PDF/A output intent whose profile is an RGB monitor or printer profile of
    ICC version 4 or earlier, which gives DeviceRGB and DeviceGray their meaning (6.2.4.3)."""
    intents = pdf.Root.get("/OutputIntents")
    if not intents or len(intents) != 1:
        return ["6.2.3: the catalog has no single OutputIntents entry"]
    intent = intents[0]
    problems = []
    if intent.get("/S") != "/GTS_PDFA1" or not str(intent.get("/OutputConditionIdentifier", "")):
        problems.append("6.2.3: the output intent is not GTS_PDFA1 with a condition identifier")
    profile = intent.DestOutputProfile.read_bytes()
    if intent.DestOutputProfile.get("/N") != 3 or profile[16:20] != b"RGB ":
        problems.append("6.2.3: the output profile is not a three-component RGB profile")
    if profile[12:16] not in (b"mntr", b"prtr") or profile[8] >= 5 or profile[36:40] != b"acsp":
        problems.append("6.2.3: the output profile is not an ICC v2–v4 monitor/printer profile")
    return problems


def _used_codes(pdf: pikepdf.Pdf) -> dict[tuple[int, int], tuple[pikepdf.Dictionary, set[int]]]:
    """Every font that shows text on a page or in a form drawn on it, with the character
    codes it shows (one byte each: the editions' fonts are simple TrueType fonts)."""
    used: dict[tuple[int, int], tuple[pikepdf.Dictionary, set[int]]] = {}

    def visit(stream: object, resources: pikepdf.Dictionary, seen: set) -> None:
        fonts = resources.get("/Font", {})
        xobjects = resources.get("/XObject", {})
        font = None
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            if op == "Tf":
                font = fonts[operands[0]]
                used.setdefault(font.objgen, (font, set()))
            elif op in ("Tj", "'", '"', "TJ") and font is not None:
                for item in (operands[-1] if op == "TJ" else operands[-1:]):
                    if isinstance(item, pikepdf.String):
                        used[font.objgen][1].update(bytes(item))
            elif op == "Do":
                form = xobjects.get(operands[0])
                if form is not None and form.get("/Subtype") == "/Form" and (
                        form.objgen not in seen):  # fmt: skip
                    seen.add(form.objgen)
                    visit(form, form.get("/Resources", resources), seen)

    for page in pdf.pages:
        visit(page, page.Resources, set())
    return used


def unicode_problems(pdf: pikepdf.Pdf) -> list[str]:
    """6.2.11.7.2 (levels U and A): every character code shown maps to Unicode, never to
    U+0000, U+FEFF or U+FFFE, in its font's ToUnicode map."""
    problems = []
    for font, codes in _used_codes(pdf).values():
        name = str(font.get("/BaseFont"))
        if "/ToUnicode" not in font:
            problems.append(f"6.2.11.7.2: {name} has no ToUnicode map")
            continue
        cmap = font.ToUnicode.read_bytes().decode("latin-1")
        mapped: dict[int, str] = {}
        for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
            for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                mapped[int(code, 16)] = value
        for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
            for lo, hi, value in re.findall(
                    r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):  # fmt: skip
                for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    mapped[code] = f"{int(value, 16) + offset:04X}"
        lost = sorted(c for c in codes
                      if mapped.get(c, "0000").upper() in ("0000", "FEFF", "FFFE"))  # fmt: skip
        if lost:
            problems.append(f"6.2.11.7.2: {name} shows codes {lost[:5]} with no Unicode value")
    return problems


def structure_problems(pdf: pikepdf.Pdf) -> list[str]:
    """6.7.2: the file says it is tagged (MarkInfo Marked); 6.7.3: a structure tree whose
    every type is standard or role-mapped to one; 6.7.4: the document's language."""
    problems = []
    if not pdf.Root.get("/MarkInfo", {}).get("/Marked"):
        problems.append("6.7.2: MarkInfo Marked is not true")
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return [*problems, "6.7.3: no structure tree"]
    roles = {str(k)[1:]: str(v)[1:] for k, v in root.get("/RoleMap", {}).items()}
    used: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                visit(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            used.add(str(node.S)[1:])
            visit(node.get("/K"))

    visit(root.get("/K"))
    unknown = {t for t in used if roles.get(t, t) not in STANDARD_TYPES}
    if unknown:
        problems.append(f"6.7.3: structure types neither standard nor role-mapped: {unknown}")
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", str(pdf.Root.get("/Lang", ""))):
        problems.append("6.7.4: the catalog names no natural language")
    return problems


def embedding_problems(path: Path) -> list[str]:
    """6.2.11.4.1, as poppler's ``pdffonts`` lists them: every font is embedded."""
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]  # fmt: skip
    return [f"6.2.11.4.1: not embedded: {line}" for line in listing
            if line.split()[-5] != "yes"]  # name type [encoding] emb sub uni object ID
