"""Deterministic packaging: writes every part once into a zip with fixed stamps and order."""

from __future__ import annotations

import datetime as dt

from docx.opc.package import OpcPackage
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.part import Part
from docx.opc.pkgwriter import _ContentTypesItem

from exporter.formats import zipped
from exporter.formats.zipped import BINARY_LEVEL, TEXT_LEVEL, Entry, entry

_FIRST = (CONTENT_TYPES_URI.membername, PACKAGE_URI.rels_uri.membername)


def pack(package: OpcPackage, when: dt.datetime) -> bytes:
    """The package as .docx bytes: every entry stamped ``when`` (UTC), in a fixed order."""
    parts = package.parts
    for part in parts:
        part.before_marshal()
    entries: dict[str, Entry] = {
        _FIRST[0]: entry(_ContentTypesItem.from_parts(parts).blob, TEXT_LEVEL),
        _FIRST[1]: entry(package.rels.xml, TEXT_LEVEL),
    }
    for part in parts:
        entries[part.partname.membername] = _part_entry(part)
        if len(part.rels):
            entries[part.partname.rels_uri.membername] = entry(part.rels.xml, TEXT_LEVEL)
    names = [n for n in _FIRST if n in entries] + sorted(n for n in entries if n not in _FIRST)
    return zipped.pack([(name, entries[name]) for name in names], when)


def _part_entry(part: Part) -> Entry:
    level = TEXT_LEVEL if part.content_type.endswith("xml") else BINARY_LEVEL
    return entry(part.blob, level)
