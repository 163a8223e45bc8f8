"""Deterministic packaging: re-zips a saved document with fixed timestamps and a stable order."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

_FIRST = ("[Content_Types].xml", "_rels/.rels")
_EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def repack(data: bytes, when: dt.datetime) -> bytes:
    """The same package with every entry stamped ``when`` (UTC) and stored in a fixed order."""
    stamp = max(when.astimezone(dt.UTC), _EARLIEST).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    names = [n for n in _FIRST if n in entries] + sorted(n for n in entries if n not in _FIRST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=9)
    return out.getvalue()
