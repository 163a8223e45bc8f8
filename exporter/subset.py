"""Fonts cut down to what an edition uses: only the faces its text is set in, and in each
only the characters set in it (fontTools' subsetter).

The formats find what their text is set in (``exporter.xhtml.faces`` from the stylesheet,
``exporter.formats.docx.faces`` from the Word styles) as ``Uses``: the characters set in
each (family, face). This module picks the family of the stack that draws each character,
adds what a reader's software may set besides the text (both cases of every letter, for
``text-transform`` and small caps; spaces, hyphens, the ellipsis), and cuts each face.
"""

from __future__ import annotations

import functools
import hashlib
import io
import types
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from exporter.fonts import FACES, cached, coverage, font_family

Uses = dict[tuple[str, str], set[str]]  # (family, face) → the characters set in it

# What a reading system or word processor may set that the text does not hold: spaces,
# the hyphens of automatic hyphenation, the ellipsis of a truncated line.
EXTRA = frozenset(" \u00a0-\u2010\u00ad\u2026")
# The usual alphabets, which most articles are written in and an editor may type in a
# correction: ASCII with the typographic marks of both languages, and the Russian alphabet.
USUAL = frozenset([chr(c) for c in range(0x20, 0x7F)] + list("–—‘’“”«»„…№"))
RUSSIAN = frozenset([chr(c) for c in range(0x410, 0x450)] + list("Ёё"))


def usual(chars: Iterable[str], every: bool) -> frozenset[str]:
    """The usual alphabets a face setting ``chars`` carries: ASCII and the marks, and the
    Russian alphabet if it sets a Cyrillic letter (or ``every``: always)."""
    if every or any("\u0400" <= c <= "\u04ff" for c in chars):
        return USUAL | RUSSIAN
    return USUAL


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
    text: tuple[str, ...] = (),
    every: bool = False,
) -> list[tuple[str, str, Path, bytes]]:
    """Each face of ``families`` that ``uses`` names, in the families' and faces' order:
    (family, face, its font file, that file cut to what it sets, in ``flavor``). A file
    serving several faces (a variable font's weights) is cut once, to all they set.

    The faces of the ``text`` families also carry the ``usual`` alphabets of what they set
    (``every``: both), so that articles written in them share one subset of each face, cut
    once by whichever edition or run needs it first; and a correction typed into the Word
    file (which carries both) is set in its own font."""
    used = [(family, face, font_family(family).files[face])
            for family in families for face in FACES if (family, face) in uses]  # fmt: skip
    chars: dict[Path, set[str]] = {}
    for family, face, path in used:
        chars.setdefault(path, set()).update(uses[family, face])
        if family in text:
            chars[path].update(usual(uses[family, face], every))
    return [(family, face, path, subset_font(path, complete(chars[path]), flavor))
            for family, face, path in used]  # fmt: skip


CACHED_SUBSETS = 512  # the most subsets kept on disk (the oldest go first)
SUBSET_FORMAT = "3"  # of the cache entries: the subset behind a line with its SHA-256
WOFF2_QUALITY = 10  # Brotli's: 11 makes files 0.04 % smaller in 40 % more time (the README)
FLAVORS = (None, "woff2", "word")


@lru_cache(maxsize=128)
def subset_font(path: Path, chars: frozenset[str], flavor: str | None = None) -> bytes:
    """The font at ``path`` cut to ``chars`` (``cut_font``), in ``flavor``: None for the
    subset itself, with every table a reader's software shapes with (the e-book's
    TrueType); "woff2" for the web, compressed from it; "word" for the Word edition, the
    same without the OpenType positioning table (GPOS): Word kerns only text whose style
    asks for it (``w:kern``), which the edition's styles do not.

    The subset is cut once and each flavor derived from it, all remembered in this process
    and, between runs, in the cache folder (an editor rebuilding an article after a
    correction finds them there; at most ``CACHED_SUBSETS`` are kept). An entry is used
    only if it matches the digest it is stored with; a damaged one is discarded with a
    warning and made again. Two workers that need the same subset at once cut it once:
    the second waits for the first and reads what it stored."""
    if flavor not in FLAVORS:
        raise ValueError(f"no such font flavor: {flavor!r}")
    from fontTools import version as tools

    stat = path.stat()
    text = "".join(sorted(chars))
    key = hashlib.sha256(f"{SUBSET_FORMAT}:{path}:{stat.st_size}:{stat.st_mtime_ns}:"
                         f"{tools}:{text}".encode()).hexdigest()  # fmt: skip
    data = _cached(f"{key}.ttf", lambda: cut_font(path, chars))
    if flavor is None:
        return data
    derive = without_positioning if flavor == "word" else woff2
    key = hashlib.sha256(f"{SUBSET_FORMAT}:{flavor}:{WOFF2_QUALITY}:{tools}:".encode() + data)
    return _cached(f"{key.hexdigest()}.{flavor}", lambda: derive(data))


def _cached(name: str, make: Callable[[], bytes]) -> bytes:
    return cached("subsets", name, make, "font subset", CACHED_SUBSETS)


def without_positioning(data: bytes) -> bytes:
    """The font ``data`` without its GPOS table (the others copied as they are, its time
    stamp too)."""
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False) as font:
        if "GPOS" not in font:
            return data
        del font["GPOS"]
        buffer = io.BytesIO()
        font.save(buffer, reorderTables=False)
    return buffer.getvalue()


def woff2(data: bytes) -> bytes:
    """The font ``data`` as WOFF2, compressed at ``WOFF2_QUALITY``."""
    import brotli
    from fontTools.ttLib import woff2 as writer

    ours = types.ModuleType("brotli")  # what fontTools' WOFF2 writer calls, at our quality
    ours.__dict__.update(vars(brotli))
    ours.compress = functools.partial(brotli.compress, quality=WOFF2_QUALITY)
    out = io.BytesIO()
    saved, writer.brotli = writer.brotli, ours
    try:
        writer.compress(io.BytesIO(data), out)
    finally:
        writer.brotli = saved
    return out.getvalue()


def cut_font(path: Path, chars: frozenset[str]) -> bytes:
    """The font at ``path`` with only the glyphs ``chars`` need (and what shaping them
    takes: kerning, ligatures, the .notdef glyph), its names kept so software finds it by
    its family name, as TrueType.

    TrueType hinting is left out: it is a third to half of a subset's bytes, and the
    renderers that read these editions (DirectWrite, Core Text, FreeType, as browsers,
    Word, LibreOffice and reading systems use them) set text well without it."""
    from fontTools import subset

    options = subset.Options()
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
