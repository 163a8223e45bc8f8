"""Document metadata: the Info dictionary, the XMP packet (bilingual dc:title), dates, and
what makes the file archival (PDF/A-2): its identification and the sRGB output intent."""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from exporter import __version__
from exporter.edition import DocumentMetadata, document_metadata
from exporter.model import Article

_XMP_HEAD = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_XMP_TAIL = '<?xpacket end="w"?>'
_NAMESPACES = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
    'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" '
    'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
    'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"'
)
# PDF/A admits only the XMP schemas it predefines and those a file declares (ISO 19005-2,
# 6.6.2.3): PDF/UA's identification is not predefined, so it is declared here
_PDFUA_SCHEMA = """  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Indicates which part of ISO 14289 standard is followed\
</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>
"""


@dataclass(frozen=True)
class DocumentInfo:
    """Everything the Info dictionary and the XMP packet say about one edition."""

    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    producer: str
    created: dt.datetime
    meta: DocumentMetadata
    tagged: bool = True  # a tagged PDF claims PDF/UA-1 in its XMP
    archival: bool = True  # PDF/A-2: level A when tagged (the tags are what A asks for), else B

    @property
    def pdfa_level(self) -> str | None:
        """The PDF/A-2 conformance level the file claims ("A" or "B"), None when not archival."""
        if not self.archival:
            return None
        return "A" if self.tagged else "B"

    @property
    def pdf_date(self) -> str:
        """The build time as a PDF date string, in UTC."""
        return self.created.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")

    @property
    def iso_date(self) -> str:
        return self.created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def document_info(
    article: Article,
    created: dt.datetime,
    edition: str,
    tagged: bool = True,
    archival: bool = True,
) -> DocumentInfo:
    """The Info dictionary values for ``article`` built at ``created``, from the edition
    layer's document metadata; ``archival`` claims PDF/A-2."""
    from reportlab import Version as reportlab_version

    meta = document_metadata(article)
    return DocumentInfo(
        title=meta.title,
        author=", ".join(meta.creators),
        subject=meta.subtitle if meta.subtitles is not None else meta.abstract,
        keywords=", ".join(meta.keywords),
        creator=f"exporter {__version__} ({edition})",
        producer=f"exporter {__version__} with ReportLab {reportlab_version}",
        created=created,
        meta=meta,
        tagged=tagged,
        archival=archival,
    )


def _li(values: list[str]) -> str:
    return "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)


def _alt(items: list[tuple[str, str]]) -> str:
    lis = "".join(
        f"<rdf:li xml:lang={quoteattr(lang)}>{escape(text)}</rdf:li>" for lang, text in items
    )
    return f"<rdf:Alt>{lis}</rdf:Alt>"


def xmp_packet(info: DocumentInfo) -> bytes:
    """The XMP metadata stream: dc:title in every language, creator, language and dates."""
    meta = info.meta
    fields = [
        "<dc:format>application/pdf</dc:format>",
        f"<dc:title>{_alt([('x-default', meta.title), *meta.titles.items])}</dc:title>",
        f"<dc:creator><rdf:Seq>{_li(list(meta.creators))}</rdf:Seq></dc:creator>",
        f"<dc:description>{_alt([('x-default', info.subject)])}</dc:description>",
        f"<dc:publisher><rdf:Bag>{_li([meta.publisher])}</rdf:Bag></dc:publisher>",
        f"<dc:language><rdf:Bag>{_li(list(meta.languages))}</rdf:Bag></dc:language>",
        f"<dc:date><rdf:Seq>{_li([meta.published.isoformat()])}</rdf:Seq></dc:date>",
        f"<dc:subject><rdf:Bag>{_li(list(meta.keywords))}</rdf:Bag></dc:subject>",
        f"<xmp:CreateDate>{info.iso_date}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{info.iso_date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{info.iso_date}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>",
        f"<pdf:Producer>{escape(info.producer)}</pdf:Producer>",
        f"<pdf:Keywords>{escape(info.keywords)}</pdf:Keywords>",
    ]
    if meta.license:
        fields.append(f"<dc:rights>{_alt([('x-default', meta.license)])}</dc:rights>")
        fields.append("<xmpRights:Marked>True</xmpRights:Marked>")
        if meta.license_url:
            fields.append(f"<xmpRights:WebStatement>{escape(meta.license_url)}"
                          "</xmpRights:WebStatement>")  # fmt: skip
    if meta.doi:
        fields.append(f"<dc:identifier>{escape('doi:' + meta.doi)}</dc:identifier>")
    if info.tagged:
        fields.append("<pdfuaid:part>1</pdfuaid:part>")
    if info.pdfa_level:
        fields.append("<pdfaid:part>2</pdfaid:part>")
        fields.append(f"<pdfaid:conformance>{info.pdfa_level}</pdfaid:conformance>")
    body = "\n".join(f"   {f}" for f in fields)
    extension = _PDFUA_SCHEMA if info.tagged and info.archival else ""
    text = (
        f'{_XMP_HEAD}<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'  <rdf:Description rdf:about="" {_NAMESPACES}>\n{body}\n  </rdf:Description>\n'
        f"{extension} </rdf:RDF>\n</x:xmpmeta>\n{_XMP_TAIL}"
    )
    return text.encode("utf-8")


def apply_metadata(canvas: object, article: Article, info: DocumentInfo) -> None:
    """Put the dates, the XMP packet and (archival) the output intent on a reportlab
    canvas's document."""
    from reportlab.pdfbase.pdfdoc import XMP

    pdf_date = info.pdf_date
    canvas.setDateFormatter(lambda *_ignored: pdf_date)  # type: ignore[attr-defined]
    packet = xmp_packet(info)
    catalog = canvas._doc.Catalog  # type: ignore[attr-defined]
    catalog.Metadata = XMP(creator=lambda _doc: packet)
    if info.archival:
        catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]
        catalog.OutputIntents = _output_intents(canvas._doc, info.created)  # type: ignore[attr-defined]


SRGB = "sRGB IEC61966-2.1"  # the colour space every colour and image of the editions is in


def _output_intents(doc: object, created: dt.datetime) -> object:
    """The PDF/A output intent: the sRGB profile (Pillow's, built by Little CMS), which
    declares what DeviceRGB and DeviceGray colours mean (ISO 19005-2, 6.2.3). Little CMS
    stamps the profile with the clock; the edition's build time stands there instead."""
    from PIL import ImageCms
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFDictionary,
        PDFName,
        PDFStream,
        PDFString,
        PDFZCompress,
    )

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    when = created.astimezone(dt.UTC)
    stamp = struct.pack(">6H", when.year, when.month, when.day, when.hour, when.minute,
                        when.second)  # fmt: skip
    profile = profile[:24] + stamp + profile[36:]  # the header's creation date (ICC.1, 7.2.8)
    stream = PDFStream(PDFDictionary({"N": 3}), profile, [PDFZCompress])
    intent = PDFDictionary({
        "Type": PDFName("OutputIntent"),
        "S": PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": PDFString(SRGB),
        "Info": PDFString(SRGB),
        "RegistryName": PDFString("http://www.color.org"),
        "DestOutputProfile": doc.Reference(stream, "sRGBOutputProfile"),  # type: ignore[attr-defined]
    })  # fmt: skip
    return PDFArray([intent])
