"""Reproducible zip containers for the zip-based formats (DOCX, EPUB): fixed times and order,
each entry compressed once."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass

STORED = 0
DEFLATED = 8
TEXT_LEVEL = 6  # markup and CSS: small, and level 9 gains nothing on them
BINARY_LEVEL = 1  # fonts and pictures: level 1 is 3x faster than 6 for 7% more bytes
VERSION = 20  # zip 2.0: deflate
MADE_BY = (3 << 8) | VERSION  # Unix, so the permission bits below are read
FILE_MODE = 0o100644 << 16
UTF8_NAMES = 0x800
LIMIT = 0xFFFFFFFF  # beyond this a plain (non-ZIP64) archive cannot point
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class Entry:
    """One file's content as it goes into the archive: compressed, with its CRC and size."""

    method: int
    crc: int
    size: int
    payload: bytes


def entry(content: bytes, level: int | None = TEXT_LEVEL) -> Entry:
    """``content`` deflated at ``level``, or stored when ``level`` is None."""
    crc = zlib.crc32(content)
    if level is None:
        return Entry(STORED, crc, len(content), content)
    packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Entry(DEFLATED, crc, len(content), packer.compress(content) + packer.flush())


def dos_time(moment: dt.datetime) -> tuple[int, int]:
    """(time, date) fields of a zip header for ``moment`` in UTC, kept within 1980–2107."""
    stamp = moment.astimezone(dt.UTC)
    if stamp.year < 1980:
        stamp = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
    elif stamp.year > 2107:
        stamp = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)
    time = (stamp.hour << 11) | (stamp.minute << 5) | (stamp.second // 2)
    date = ((stamp.year - 1980) << 9) | (stamp.month << 5) | stamp.day
    return time, date


def pack(entries: list[tuple[str, Entry]], moment: dt.datetime) -> bytes:
    """The zip archive of named ``entries`` in the given order, every one dated ``moment``."""
    time, date = dos_time(moment)
    parts: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, item in entries:
        raw = name.encode("utf-8")
        if max(offset, item.size, len(item.payload)) > LIMIT:
            raise ValueError(f"{name} is too large for a zip archive without ZIP64")
        flags = 0 if raw.isascii() else UTF8_NAMES
        fields = (VERSION, flags, item.method, time, date, item.crc, len(item.payload), item.size)
        header = _LOCAL.pack(b"PK\x03\x04", *fields, len(raw), 0)
        record = (MADE_BY, *fields, len(raw), 0, 0, 0, 0, FILE_MODE, offset)
        directory.append(_CENTRAL.pack(b"PK\x01\x02", *record) + raw)
        parts += (header, raw, item.payload)
        offset += len(header) + len(raw) + len(item.payload)
    central = b"".join(directory)
    count = len(entries)
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), offset, 0)
    return b"".join(parts) + central + end
