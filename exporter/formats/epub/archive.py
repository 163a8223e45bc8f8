"""The reproducible zip container: fixed times and order, each entry compressed once."""

from __future__ import annotations

import datetime as dt
import functools
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

STORED = 0
DEFLATED = 8
TEXT_LEVEL = 6  # markup and CSS: small, and level 9 gains nothing on them
FONT_LEVEL = 1  # TrueType fonts: 3 MB; level 1 is 3x faster than 6 for 7% more bytes
VERSION = 20  # zip 2.0: deflate
MADE_BY = (3 << 8) | VERSION  # Unix, so the permission bits below are read
FILE_MODE = 0o100644 << 16
UTF8_NAMES = 0x800


@dataclass(frozen=True)
class Entry:
    """One file of the archive, already compressed."""

    name: str
    method: int
    crc: int
    size: int
    payload: bytes


def entry(name: str, content: bytes, level: int | None = TEXT_LEVEL) -> Entry:
    """``content`` deflated at ``level``, or stored when ``level`` is None."""
    crc = zlib.crc32(content)
    if level is None:
        return Entry(name, STORED, crc, len(content), content)
    packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Entry(name, DEFLATED, crc, len(content), packer.compress(content) + packer.flush())


@functools.lru_cache(maxsize=64)
def file_entry(name: str, path: Path, level: int = FONT_LEVEL) -> Entry:
    """A file that does not depend on the article (a font), read and deflated once a process."""
    return entry(name, path.read_bytes(), level)


def dos_time(moment: dt.datetime) -> tuple[int, int]:
    """(time, date) fields of a zip header for ``moment`` in UTC; years before 1980 become 1980."""
    stamp = moment.astimezone(dt.UTC)
    time = (stamp.hour << 11) | (stamp.minute << 5) | (stamp.second // 2)
    date = ((max(stamp.year, 1980) - 1980) << 9) | (stamp.month << 5) | stamp.day
    return time, date


def pack(entries: list[Entry], moment: dt.datetime) -> bytes:
    """The zip archive of ``entries`` in the given order, every one dated ``moment``."""
    time, date = dos_time(moment)
    parts: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for item in entries:
        name = item.name.encode("utf-8")
        flags = 0 if name.isascii() else UTF8_NAMES
        fields = (VERSION, flags, item.method, time, date, item.crc, len(item.payload), item.size)
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, len(name), 0)
        record = (MADE_BY, *fields, len(name), 0, 0, 0, 0, FILE_MODE, offset)
        directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", *record) + name)
        parts += (header, name, item.payload)
        offset += len(header) + len(name) + len(item.payload)
    central = b"".join(directory)
    count = len(entries)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), offset, 0)
    return b"".join(parts) + central + end
