"""Fonts cut down to what an edition uses: only the faces its text is set in, and in each
only the characters set in it (fontTools' subsetter).

The formats find what their text is set in (``exporter.xhtml.faces`` from the stylesheet,
``exporter.formats.docx.faces`` from the Word styles) as ``Uses``: the characters set in
each (family, face). This module picks the family of the stack that draws each character,
adds what a reader's software may set besides the text (both cases of every letter, for
``text-transform`` and small caps; spaces, hyphens, the ellipsis), and cuts each face.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from exporter.fonts import FACES, cache_dir, coverage, font_family, read_sealed, sealed, write_cache

Uses = dict[tuple[str, str], set[str]]  # (family, face) → the characters set in it

# What a reading system or word processor may set that the text does not hold: spaces,
# the hyphens of automatic hyphenation, the ellipsis of a truncated line.
EXTRA = frozenset(" \u00a0-\u2010\u00ad\u2026")


def face_name(bold: bool, italic: bool) -> str:
    """The face key (``regular``, ``bold``, ``italic``, ``bolditalic``)."""
    return FACES[(1 if bold else 0) + (2 if italic else 0)]


def add_text(
    uses: Uses, text: str, stack: Iterable[str], face: str, known: tuple[str, ...]
) -> None:
    """Record ``text`` as set in ``face`` of the first family of ``stack`` that is one of
    the ``known`` (embedded) families and draws the character."""
    families = [f for f in stack if f in known]
    if not families:
        return
    for char in set(text):
        if char.isspace() and char not in EXTRA:
            continue
        code = ord(char)
        for family in families:
            if code in coverage(font_family(family).files[face]):
                uses.setdefault((family, face), set()).add(char)
                break


def complete(chars: Iterable[str]) -> frozenset[str]:
    """``chars`` with both cases of every letter and the ``EXTRA`` characters."""
    out = set(EXTRA)
    for char in chars:
        out.add(char)
        out.update(c for c in (char.upper(), char.lower()) if len(c) == 1)
    return frozenset(out)


def cut_faces(
    uses: Uses,
    families: tuple[str, ...],
    flavor: str | None = None,
    extra: dict[str, frozenset[str]] | None = None,
) -> list[tuple[str, str, Path, bytes]]:
    """Each face of ``families`` that ``uses`` names, in the families' and faces' order:
    (family, face, its font file, that file cut to what it sets). A file serving several
    faces (a variable font's weights) is cut once, to all they set; ``extra`` adds
    characters to every face of a family."""
    extra = extra or {}
    used = [(family, face, font_family(family).files[face])
            for family in families for face in FACES if (family, face) in uses]  # fmt: skip
    chars: dict[Path, set[str]] = {}
    for family, face, path in used:
        chars.setdefault(path, set()).update(uses[family, face], extra.get(family, ()))
    return [(family, face, path, subset_font(path, complete(chars[path]), flavor))
            for family, face, path in used]  # fmt: skip


CACHED_SUBSETS = 512  # the most subsets kept on disk (the oldest go first)
SUBSET_FORMAT = "2"  # of the cache entries: the subset behind a line with its SHA-256


@lru_cache(maxsize=128)
def subset_font(path: Path, chars: frozenset[str], flavor: str | None = None) -> bytes:
    """``cut_font``, remembered in this process and, between runs, in the cache folder (an
    editor rebuilding an article after a correction finds its subsets there; at most
    ``CACHED_SUBSETS`` are kept). An entry is used only if it matches the digest it is
    stored with; a damaged one is discarded with a warning and cut again."""
    from fontTools import version as tools

    stat = path.stat()
    text = "".join(sorted(chars))
    key = hashlib.sha256(f"{SUBSET_FORMAT}:{path}:{stat.st_size}:{stat.st_mtime_ns}:{flavor}:"
                         f"{tools}:{text}".encode()).hexdigest()  # fmt: skip
    folder = cache_dir().parent / "subsets"
    cached = folder / f"{key}.{flavor or 'ttf'}"
    data = read_sealed(cached, "font subset")
    if data is not None:
        return data
    data = cut_font(path, chars, flavor)
    if write_cache(cached, sealed(data)):
        with contextlib.suppress(OSError):
            if len(os.listdir(folder)) > CACHED_SUBSETS * 9 // 8:  # now and then: the oldest go
                kept = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime_ns)
                for old in kept[:-CACHED_SUBSETS]:
                    old.unlink()
    return data


def cut_font(path: Path, chars: frozenset[str], flavor: str | None = None) -> bytes:
    """The font at ``path`` with only the glyphs ``chars`` need (and what shaping them
    takes: kerning, ligatures, the .notdef glyph), its names kept so software finds it by
    its family name; ``flavor`` "woff2" for the web.

    TrueType hinting is left out: it is a third to half of a subset's bytes, and the
    renderers that read these editions (DirectWrite, Core Text, FreeType, as browsers,
    Word, LibreOffice and reading systems use them) set text well without it."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = flavor
    options.hinting = False
    options.notdef_outline = True
    options.drop_tables += ["meta", "DSIG"]
    font = subset.load_font(str(path), options)
    # The names do not depend on the glyphs: set aside, they are spared the subsetter's walk
    # of every table for the name IDs it refers to (half of its time on a PT face).
    names = font["name"]
    del font["name"]
    names.names = [n for n in names.names if n.nameID < 256 and n.isUnicode()]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    font["name"] = names
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()
