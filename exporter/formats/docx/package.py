"""Deterministic packaging: writes every part once into a zip with fixed stamps and order."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections.abc import Hashable
from dataclasses import dataclass

from docx.opc.package import OpcPackage
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from docx.opc.part import Part
from docx.opc.pkgwriter import _ContentTypesItem

_FIRST = (CONTENT_TYPES_URI.membername, PACKAGE_URI.rels_uri.membername)
_EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_LATEST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)
XML_LEVEL = 6
BINARY_LEVEL = 1
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_VERSION = 20  # deflate; "made by" MS-DOS, as Word writes it
_UTF8_NAME = 0x800
_LIMIT = 0xFFFFFFFF


class StaticPart(Part):
    """A part whose bytes are the same in every build of the process, such as an embedded font:
    it is compressed once per process and reused."""

    def __init__(self, partname: PackURI, content_type: str, blob: bytes, package: OpcPackage,
                 key: Hashable) -> None:
        super().__init__(partname, content_type, blob, package)
        self.key = key


@dataclass(frozen=True)
class _Entry:
    """One zip member's payload: deflated bytes with the CRC and size of the original."""

    crc: int
    size: int
    data: bytes


_STATIC: dict[Hashable, _Entry] = {}


def pack(package: OpcPackage, when: dt.datetime) -> bytes:
    """The package as .docx bytes: every entry stamped ``when`` (UTC), in a fixed order."""
    parts = package.parts
    for part in parts:
        part.before_marshal()
    entries: dict[str, _Entry] = {
        _FIRST[0]: _deflate(_ContentTypesItem.from_parts(parts).blob, XML_LEVEL),
        _FIRST[1]: _deflate(package.rels.xml, XML_LEVEL),
    }
    for part in parts:
        entries[part.partname.membername] = _part_entry(part)
        if len(part.rels):
            entries[part.partname.rels_uri.membername] = _deflate(part.rels.xml, XML_LEVEL)
    names = [n for n in _FIRST if n in entries] + sorted(n for n in entries if n not in _FIRST)
    return _zip([(name, entries[name]) for name in names], when)


def _part_entry(part: Part) -> _Entry:
    if isinstance(part, StaticPart):
        entry = _STATIC.get(part.key)
        if entry is None:
            entry = _STATIC[part.key] = _deflate(part.blob, BINARY_LEVEL)
        return entry
    level = XML_LEVEL if part.content_type.endswith("xml") else BINARY_LEVEL
    return _deflate(part.blob, level)


def _deflate(data: bytes, level: int) -> _Entry:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return _Entry(zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def _zip(entries: list[tuple[str, _Entry]], when: dt.datetime) -> bytes:
    """A plain (non-ZIP64) archive of deflated entries, all with the same DOS time stamp."""
    stamp = min(max(when.astimezone(dt.UTC), _EARLIEST), _LATEST)
    dos_time = stamp.hour << 11 | stamp.minute << 5 | stamp.second // 2
    dos_date = (stamp.year - 1980) << 9 | stamp.month << 5 | stamp.day
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, entry in entries:
        raw = name.encode("utf-8")
        flags = 0 if raw.isascii() else _UTF8_NAME
        fields = (_VERSION, flags, zlib.DEFLATED, dos_time, dos_date, entry.crc,
                  len(entry.data), entry.size)
        if max(offset, entry.size, len(entry.data)) > _LIMIT:
            raise ValueError(f"{name} is too large for a .docx package")
        chunks += [_LOCAL.pack(0x04034B50, *fields, len(raw), 0), raw, entry.data]
        directory += [_CENTRAL.pack(0x02014B50, _VERSION, *fields, len(raw), 0, 0, 0, 0, 0,
                                    offset), raw]
        offset += _LOCAL.size + len(raw) + len(entry.data)
    central = b"".join(directory)
    end = _END.pack(0x06054B50, 0, 0, len(entries), len(entries), len(central), offset, 0)
    return b"".join(chunks) + central + end
