"""Reproducible zip containers for the zip-based formats (DOCX, EPUB): written with the
standard library's ``zipfile``, every entry given a fixed date (the build time), Unix
permissions and its own compression, in a fixed order."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

TEXT_LEVEL = 6  # markup and CSS: small, and level 9 gains nothing on them
BINARY_LEVEL = 1  # fonts and pictures: level 1 is 3x faster than 6 for 7% more bytes
FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--
_UNIX = 3  # the system the permission bits are read as
_FIRST_DAY = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the range a zip header can date
_LAST_DAY = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Entry:
    """One file's content as it goes into the archive, and how: deflated at ``level``, or
    stored when ``level`` is None."""

    content: bytes
    level: int | None = TEXT_LEVEL


def entry(content: bytes, level: int | None = TEXT_LEVEL) -> Entry:
    """``content`` to be deflated at ``level``, or stored when ``level`` is None."""
    return Entry(content, level)


def zip_date(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """``moment`` in UTC as a zip entry's ``date_time``, kept within 1980–2107."""
    stamp = min(max(moment.astimezone(dt.UTC), _FIRST_DAY), _LAST_DAY)
    return stamp.timetuple()[:6]


def pack(entries: list[tuple[str, Entry]], moment: dt.datetime) -> bytes:
    """The zip archive of named ``entries`` in the given order, every one dated ``moment``."""
    when = zip_date(moment)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, item in entries:
            info = zipfile.ZipInfo(name, date_time=when)
            info.create_system = _UNIX
            info.external_attr = FILE_MODE
            if item.level is None:
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, item.content)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, item.content, compresslevel=item.level)
    return buffer.getvalue()
