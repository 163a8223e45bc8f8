"""Caches are hints, never truth: a damaged font subset, font instance or build record is
discarded with one warning and made again; a cache folder that cannot be written means
working without it (and leaving nothing in /tmp); instances and subsets are the same bytes
on every machine; the fingerprint of an article covers every file an edition may read and
never opens a pipe nor follows a loop of links."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MADE, ROOT
from exporter import builds, fonts, installed, subset
from exporter.cli import cli

ARTICLE = """---
slug: {slug}
lang: en
title: "Baku → Tbilisi: Ərəb letters, φ and Δ"
authors: [{{name: "Əli Həsənov"}}]
publisher: {{name: "Caucasus Desk"}}
published: 2024-01-02
summary: "The ratio φ ≈ 1.618, and Azərbaycan → Gürcüstan."
---

## Ə, φ and → in a heading

Azərbaycan dili: Ə ə Ğ ğ Ş ş; Greek **α β γ** and Δ; arrows → ←.
{extra}
"""


def article(folder: Path, slug: str = "scripts", extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "article.md"
    source.write_text(ARTICLE.format(slug=slug, extra=extra), encoding="utf-8")
    return source


def export(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def warnings_about(caplog: pytest.LogCaptureFixture, what: str) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno >= logging.WARNING and what in r.getMessage()]  # fmt: skip


def forget() -> None:
    """Drop what this process remembers of instances and subsets (a new run on a new
    machine remembers nothing)."""
    fonts._static.cache_clear()
    fonts.coverage.cache_clear()
    subset.subset_font.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of the test's own, and a temporary folder of its own (to
    see what is left there)."""
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    forget()
    yield folder
    forget()


# 0. what a font can draw


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "odd"])
def test_a_damaged_character_map_entry_is_discarded_with_one_warning_and_read_again(
    cache, caplog, damage
):
    from fontTools.ttLib import TTFont

    path = fonts.font_family("PT Serif").files["regular"]
    with TTFont(path, lazy=True) as font:
        truth = frozenset(font.getBestCmap())
    assert fonts.coverage(path) == truth  # read from the font, and kept
    (entry,) = (cache / "exporter" / "coverage").iterdir()
    stored = entry.read_bytes()
    forget()
    assert fonts.coverage(path) == truth  # read from the cache
    data = stored[65:]
    entry.write_bytes({"garbage": b"not a character map", "truncated": stored[:100],
                       "empty": b"", "odd": fonts.sealed(data[:-1])}[damage])  # fmt: skip
    forget()
    assert fonts.coverage(path) == truth
    assert len(warnings_about(caplog, str(entry))) == 1
    assert entry.read_bytes() == stored  # read again, and kept


# 1. font subsets


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
@pytest.mark.parametrize("flavor", subset.FLAVORS)
def test_a_damaged_subset_is_discarded_with_one_warning_and_cut_again(
    cache, caplog, flavor, damage
):
    path = fonts.font_family("PT Serif").files["regular"]
    chars = frozenset("Damaged cache")
    good = subset.subset_font(path, chars, flavor)
    (entry,) = (cache / "exporter" / "subsets").glob(f"*.{flavor or 'ttf'}")
    stored = entry.read_bytes()
    entry.write_bytes({"garbage": b"not a font at all",
                       "truncated": stored[: len(stored) // 2], "empty": b""}[damage])  # fmt: skip
    forget()
    assert subset.subset_font(path, chars, flavor) == good
    assert len(warnings_about(caplog, str(entry))) == 1
    assert entry.read_bytes() == stored  # made again, and kept
    forget()
    assert subset.subset_font(path, chars, flavor) == good
    assert len(warnings_about(caplog, str(entry))) == 1


def test_a_face_is_cut_once_for_every_edition_and_each_flavor_is_derived_from_it(cache):
    from fontTools.ttLib import TTFont

    path = fonts.font_family("PT Serif").files["regular"]
    chars = subset.complete(subset.USUAL | frozenset("Ёж"))
    shared = subset.subset_font(path, chars)
    web = subset.subset_font(path, chars, "woff2")
    word = subset.subset_font(path, chars, "word")
    folder = cache / "exporter" / "subsets"
    assert sorted(p.suffix for p in folder.iterdir()) == [".ttf", ".woff2", ".word"]  # no lock
    with TTFont(io.BytesIO(shared)) as font:
        glyphs, tables = set(font.getGlyphOrder()), set(font.keys())
        assert "GPOS" in font and set(font.getBestCmap()) >= {0x401, 0x436}
    with TTFont(io.BytesIO(web)) as font:
        assert font.flavor == "woff2" and set(font.getGlyphOrder()) == glyphs
        assert set(font.keys()) == tables
    with TTFont(io.BytesIO(word)) as font:  # the Word edition asks for no kerning
        assert set(font.getGlyphOrder()) == glyphs and set(font.keys()) == tables - {"GPOS"}
    with pytest.raises(ValueError, match="no such font flavor"):
        subset.subset_font(path, chars, "otf")


def test_a_drawing_is_drawn_for_word_once_and_a_damaged_one_again(cache, caplog, monkeypatch):
    """An SVG drawn to PNG for the Word edition is kept in the cache folder: the next run
    reads it back instead of drawing it; a damaged entry is discarded with one warning and
    drawn again, to the same pixels."""
    import resvg_py

    from exporter.formats.docx.figure import picture
    from exporter.model import Image
    from exporter.style import load_style

    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
           b'<rect width="200" height="100" fill="#236"/><text x="10" y="60" '
           b'font-size="30" fill="#fff">\xd0\x96 chart</text></svg>')  # fmt: skip
    image = Image("chart.svg", "image/svg+xml", 200, 100, svg)
    style = load_style()
    drawn, width = picture(image, style, 300.0)
    assert drawn.startswith(b"\x89PNG") and width == 300.0
    (entry,) = (cache / "exporter" / "pictures").glob("*.png")
    with monkeypatch.context() as patched:
        patched.setattr(resvg_py, "svg_to_bytes", lambda **_: pytest.fail("drawn again"))
        assert picture(image, style, 300.0)[0] == drawn  # read back
    entry.write_bytes(entry.read_bytes()[:100])
    assert picture(image, style, 300.0)[0] == drawn
    assert len(warnings_about(caplog, str(entry))) == 1
    assert picture(image, style, 200.0)[0] != drawn  # another size is another drawing
    assert len(list(entry.parent.glob("*.png"))) == 2


@pytest.fixture
def patterns(cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """pyphen with nothing parsed (as in a new process), and where the cache keeps its
    parsed dictionaries."""
    import pyphen

    monkeypatch.setattr(pyphen, "hdcache", {})
    yield cache / "exporter" / "hyphenation"


def _hyphenated(lang: str) -> list[str]:
    import pyphen

    words = ["hyphenation", "typesetting", "extraordinary", "независимости", "экономического"]
    dictionary = pyphen.Pyphen(lang=lang, left=2, right=3)
    return [dictionary.inserted(word) for word in words]


@pytest.mark.parametrize("lang", ["en_US", "ru_RU"])
def test_hyphenation_patterns_are_parsed_once_and_read_back_the_same(patterns, lang, monkeypatch):
    """A dictionary's patterns, parsed once, are kept in the cache folder; the next process
    reads them instead of parsing the file, and breaks every word where pyphen would."""
    import pyphen

    from exporter.formats.pdf.patterns import preload

    path = pyphen.LANGUAGES[lang]
    parsed = pyphen.HyphDict(path)
    preload(pyphen, lang)
    (entry,) = patterns.glob("*.json")
    expected = _hyphenated(lang)
    pyphen.hdcache.clear()  # a new process
    with monkeypatch.context() as patched:
        patched.setattr(pyphen.HyphDict, "__init__", lambda *_: pytest.fail("parsed again"))
        preload(pyphen, lang)
        assert _hyphenated(lang) == expected
    read = pyphen.hdcache[path]
    assert (read.patterns, read.maxlen) == (parsed.patterns, parsed.maxlen)
    assert entry.exists()


@pytest.mark.parametrize(
    "stored",
    [
        {"maxlen": 3, "patterns": {"hy": [0, "9"]}},  # its longest pattern is not 3 long
        {"maxlen": 2, "patterns": {"hy": [0, "x9"]}},
        {"maxlen": 2, "patterns": {"hy": ["0", "9"]}},
        {"patterns": []},
        [],
    ],
)
def test_hyphenation_patterns_that_do_not_read_back_are_parsed_from_the_file(patterns, stored):
    """An entry that is sealed but not a set of patterns (written by another program, or
    an older one) is ignored: pyphen parses the dictionary and words break as they should."""
    import pyphen

    from exporter.formats.pdf.patterns import preload

    preload(pyphen, "en_US")
    expected = _hyphenated("en_US")
    (entry,) = patterns.glob("*.json")
    fonts.write_cache(entry, fonts.sealed(json.dumps(stored).encode()))
    pyphen.hdcache.clear()
    preload(pyphen, "en_US")
    assert _hyphenated("en_US") == expected


@pytest.mark.parametrize("stored", [b"", b"0101\n1010", b"01" * 220 + b"\n", b"2" * 21 * 21])
def test_a_qr_code_is_encoded_once_and_read_back_or_else_encoded_again(cache, stored, monkeypatch):
    """A QR code's modules are kept in the cache folder and read back as the encoder made
    them; an entry that is sealed but not a QR code's square is ignored."""
    from reportlab.graphics.barcode import qrencoder

    from exporter.formats.pdf import online

    url = "https://example.org/analysis/central-asia.html"
    first = online._encoded(url)
    (entry,) = (cache / "exporter" / "qr").glob("*.txt")
    with monkeypatch.context() as patched:
        patched.setattr(qrencoder.QRCode, "make", lambda *_: pytest.fail("encoded again"))
        assert online._encoded(url) == first
    fonts.write_cache(entry, fonts.sealed(stored))
    assert online._encoded(url) == first and len(first) in range(21, 178, 4)
    assert {len(row) for row in first} == {len(first)}


def test_articles_written_in_the_usual_alphabets_share_their_subsets(cache):
    """Two texts of different characters, both in the usual alphabets, get the same faces
    (the second run cuts nothing); a text beyond them gets its own."""
    families = ("PT Serif",)

    def faces(text: str, every: bool = False) -> list[bytes]:
        uses = {("PT Serif", "regular"): set(text), ("PT Serif", "italic"): set(text[:5])}
        return [data for *_, data in subset.cut_faces(uses, families, None, families, every)]

    folder = cache / "exporter" / "subsets"
    english = faces("An article about trade, 2024.")
    made = set(folder.iterdir())
    assert faces("Quite another text: “quotes” — and 7 digits!") == english
    assert set(folder.iterdir()) == made
    russian = faces("Статья о торговле, 2024 год.")
    assert russian != english and len(russian[0]) > len(english[0])
    assert faces("Другая статья — «о ценах».") == russian
    assert faces("Trade", every=True) == faces("Торговля", every=True)  # the Word edition's
    assert faces("Café, 2 × 3 §") != english


def test_garbage_subsets_never_reach_the_word_epub_and_web_editions(cache, tmp_path, caplog):
    source = article(tmp_path / "scripts")
    first, second = tmp_path / "first", tmp_path / "second"
    for fmt in ("docx", "epub", "html"):
        code, output = export(fmt, str(source), "-o", str(first))
        assert code == 0, output
    made = {p.name: p.read_bytes() for p in first.iterdir()}
    entries = list((cache / "exporter" / "subsets").iterdir())
    assert entries
    for entry in entries:
        entry.write_bytes(b"\0garbage" * 100)
    forget()
    for fmt in ("docx", "epub", "html"):
        code, output = export(fmt, str(source), "-o", str(second))
        assert code == 0, output
    assert {p.name: p.read_bytes() for p in second.iterdir()} == made
    for entry in entries:
        assert len(warnings_about(caplog, str(entry))) <= 1
    assert warnings_about(caplog, "damaged font subset")


# 2. instances of variable fonts


@pytest.fixture(scope="module")
def instanced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the bold instance of Noto Emoji (made once)."""
    folder = tmp_path_factory.mktemp("instanced")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        forget()
        fonts.font_family("Noto Emoji").static_face(True, False)
        forget()
    return folder


@pytest.mark.parametrize("damage", ["truncated", "digest", "no digest"])
def test_a_damaged_instance_is_discarded_with_one_warning_and_made_again(
    cache, instanced, caplog, damage
):
    from fontTools.ttLib import TTFont
    from reportlab.pdfbase.ttfonts import TTFont as EmbeddedFont

    shutil.copytree(instanced / "exporter", cache / "exporter")
    path = fonts.font_family("Noto Emoji").static_face(True, False)
    assert path.is_relative_to(cache)
    assert not warnings_about(caplog, "damaged")
    good = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(good[:4096])
    else:  # the font changed behind its digest, or the digest is gone
        sidecars = [p for p in path.parent.iterdir() if p != path]
        middle = len(good) // 2
        path.write_bytes(good[:middle] + bytes([good[middle] ^ 0xFF]) + good[middle + 1 :])
        if damage == "no digest":
            for sidecar in sidecars:
                sidecar.unlink()
    forget()
    again = fonts.font_family("Noto Emoji").static_face(True, False)
    assert again.read_bytes() == good
    assert len(warnings_about(caplog, "damaged")) == 1
    with TTFont(again) as font:
        assert "fvar" not in font and font["OS/2"].usWeightClass == 700
    EmbeddedFont("NotoSans-Bold-Check", str(again))  # as the PDF embeds it
    forget()
    assert fonts.font_family("Noto Emoji").static_face(True, False).read_bytes() == good
    assert len(warnings_about(caplog, "damaged")) == 1


# 3. build records


def _manifest_of(out: Path) -> Path:
    key = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:24]
    (found,) = [p for p in builds._cache_dir().glob(f"{key}.*") if not p.name.endswith(".part")]
    return found


def _rewrite(manifest: Path, change, reseal: bool = True) -> None:
    """Give the manifest other contents, with a digest that matches them if it carries
    one (and ``reseal``): only its shape is wrong."""
    stored = manifest.read_bytes()
    sealed = re.fullmatch(rb"[0-9a-f]{64}", stored[:64]) is not None and stored[64:65] == b"\n"
    text = change(json.loads(stored[65:] if sealed else stored))
    data = text.encode() if isinstance(text, str) else json.dumps(text).encode()
    if sealed:
        digest = hashlib.sha256(data).hexdigest().encode() if reseal else stored[:64]
        data = digest + b"\n" + data
    manifest.write_bytes(data)


def _each_edition(change):
    def apply(data):
        for article in data["articles"].values():
            for fmt, entry in article["editions"].items():
                article["editions"][fmt] = change(entry)
        return data

    return apply


def _each_folder(data):
    for article in data["articles"].values():
        article.update(stat=1, digest=None)
    return data


def _replaced(index, value):
    return _each_edition(lambda e: [*e[:index], value, *e[index + 1 :]])


SHAPES = {
    "edition not a list": _each_edition(lambda e: 5),
    "articles a list": lambda d: {**d, "articles": [1]},
    "article a string": lambda d: {**d, "articles": dict.fromkeys(d["articles"], "x")},
    "editions a string": lambda d: {"articles": {k: {**v, "editions": "x"}
                                                 for k, v in d["articles"].items()}},
    "size a string": _replaced(2, "big"),
    "size a boolean": _replaced(2, True),
    "size below zero": _replaced(2, -1),
    "inputs missing": _each_edition(lambda e: e[1:]),
    "file outside the folder": _each_edition(lambda e: [e[0], "../" + e[1], *e[2:]]),
    "file with a NUL": _replaced(1, "a\0b"),
    "folder entry of wrong types": _each_folder,
    "listing a number": lambda d: {"articles": {k: {**v, "listing": 5}
                                                for k, v in d["articles"].items()}},
    "listing without a fingerprint": lambda d: {"articles": {k: {"listing": "", "editions": {}}
                                                             for k in d["articles"]}},
    "an unknown key": lambda d: {**d, "folders": {}},
    "not an object": lambda d: [d],
    "nested 100,000 deep": lambda d: '{"articles": ' + "[" * 100_000 + "]" * 100_000 + "}",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_build_record_of_the_wrong_shape_is_discarded_with_one_warning(
    tmp_path, caplog, shape
):
    source = article(tmp_path / "scripts", extra="\nPlain words only.")
    out = tmp_path / "dist"
    assert export("html", str(source), "-o", str(out))[0] == 0
    manifest = _manifest_of(out)
    _rewrite(manifest, SHAPES[shape])
    code, output = export("html", str(source), "-o", str(out))
    assert code == 0 and "internal error" not in output, output
    assert "dist/" in output  # rebuilt, as with no record
    assert len(warnings_about(caplog, "build record")) == 1
    code, output = export("html", str(source), "-o", str(out))
    assert code == 0 and "1 edition is up to date" in output, output
    assert len(warnings_about(caplog, "build record")) == 1


def test_a_build_record_changed_behind_its_digest_is_discarded(tmp_path, caplog):
    source = article(tmp_path / "scripts")
    out = tmp_path / "dist"
    assert export("html", str(source), "-o", str(out))[0] == 0
    _rewrite(_manifest_of(out), _replaced(2, 0), reseal=False)
    code, output = export("html", str(source), "-o", str(out))
    assert code == 0 and "dist/" in output, output
    assert len(warnings_about(caplog, "build record")) == 1


def test_an_article_that_cannot_be_fingerprinted_is_never_up_to_date(
    tmp_path, monkeypatch
):
    source = article(tmp_path / "scripts")
    out = tmp_path / "dist"

    def unreadable(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(builds, "folder_digest", unreadable)
    assert export("html", str(source), "-o", str(out))[0] == 0
    code, output = export("html", str(source), "-o", str(out))
    assert code == 0 and "dist/" in output and "up to date" not in output, output


def _run(*args: str, env: dict[str, str], cwd: Path, before: str = "", timeout: float = 600):
    """The command in a process of its own (nothing remembered from other tests: fonts
    registered with reportlab stay registered for the life of a process), after the
    Python code ``before``."""
    code = f"{before}\nfrom exporter.cli import main\nmain()\n"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)  # fmt: skip


def _environment(cache: Path, scratch: Path | None = None) -> dict[str, str]:
    """The environment of a run with its own cache folder (and temporary folder)."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["XDG_CACHE_HOME"] = str(cache)
    env["PYTHONPATH"] = str(ROOT)
    if scratch is not None:
        scratch.mkdir(exist_ok=True)
        env["TMPDIR"] = str(scratch)
    return env


def test_the_command_shows_one_warning_for_a_damaged_build_record(tmp_path):
    source = article(tmp_path / "scripts", extra="\nPlain words only.")
    env = _environment(tmp_path / "cache")
    first = _run("html", str(source), "-o", "dist", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    (manifest,) = (tmp_path / "cache" / "exporter" / "builds").iterdir()
    _rewrite(manifest, lambda d: {**d, "articles": [1]})
    second = _run("html", str(source), "-o", "dist", env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    shown = [line for line in second.stderr.splitlines() if line.strip()]
    assert len(shown) == 1 and shown[0].startswith("warning: "), second.stderr
    assert "build record" in shown[0]


# 4. a cache folder that cannot be written


def test_a_cache_under_a_file_means_working_in_memory_and_leaving_nothing(
    cache, tmp_path, monkeypatch
):
    from fontTools.ttLib import TTFont

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = fonts.font_family("Noto Emoji").static_face(True, False)
    with TTFont(path) as font:
        assert "fvar" not in font and font["OS/2"].usWeightClass == 700
    regular = fonts.font_family("PT Serif").files["regular"]
    assert subset.subset_font(regular, frozenset("abc"))
    assert list(Path(tempfile.gettempdir()).iterdir()) == []


# What a read-only disk does to the cache folder (as root, chmod would not stop writing):
# nothing can be created in it, nothing renamed into it.
READ_ONLY = """
import errno, os
_inside = os.environ["XDG_CACHE_HOME"] + os.sep
_open, _replace = os.open, os.replace

def _no_create(path, flags, *args, **kwargs):
    if flags & os.O_CREAT and os.fspath(path).startswith(_inside):
        raise OSError(errno.EROFS, "Read-only file system", os.fspath(path))
    return _open(path, flags, *args, **kwargs)

def _no_rename(src, dst, *args, **kwargs):
    if os.fspath(dst).startswith(_inside):
        raise OSError(errno.EROFS, "Read-only file system", os.fspath(dst))
    return _replace(src, dst, *args, **kwargs)

os.open, os.replace = _no_create, _no_rename
"""


@pytest.fixture
def read_only_cache(cache, monkeypatch) -> Path:
    """The cache folder, existing (with its subfolders) but on a read-only disk."""
    for name in ("fonts", "subsets", "builds"):
        (cache / "exporter" / name).mkdir(parents=True)
    namespace: dict[str, object] = {}
    exec(READ_ONLY, namespace)
    monkeypatch.setattr(os, "open", namespace["_no_create"])
    monkeypatch.setattr(os, "replace", namespace["_no_rename"])
    return cache


def test_a_read_only_cache_means_working_without_it(read_only_cache):
    from fontTools.ttLib import TTFont

    path = fonts.font_family("Noto Emoji").static_face(True, False)
    with TTFont(path) as font:
        assert font["OS/2"].usWeightClass == 700
    regular = fonts.font_family("PT Serif").files["regular"]
    assert subset.subset_font(regular, frozenset("abc"), "woff2")
    assert [p for p in read_only_cache.rglob("*") if p.is_file()] == []
    assert list(Path(tempfile.gettempdir()).iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("where", ["read-only", "under a file"])
def test_the_pdfs_are_made_without_a_writable_cache_leaving_nothing(tmp_path, where):
    source = article(tmp_path / "scripts")
    cache, scratch = tmp_path / "cache", tmp_path / "tmp"
    if where == "read-only":
        for name in ("fonts", "subsets", "builds"):
            (cache / "exporter" / name).mkdir(parents=True)
    else:
        cache.write_text("a file where the cache folder would be")
    done = _run("all", str(source), "-o", "dist", env=_environment(cache, scratch),
                cwd=tmp_path, before=READ_ONLY if where == "read-only" else "")  # fmt: skip
    assert done.returncode == 0 and "Errno" not in done.stderr, done.stderr
    for name in ("scripts.pdf", "scripts-handout.pdf"):
        assert (tmp_path / "dist" / name).read_bytes().startswith(b"%PDF")
    if cache.is_dir():
        assert [p for p in cache.rglob("*") if p.is_file()] == []
    assert list(scratch.iterdir()) == []


# 5. the same editions on every machine


@pytest.mark.slow
def test_two_machines_with_empty_caches_make_the_same_bytes(tmp_path):
    """Each run is a process of its own with an empty cache, the second three days after
    the first (by its clock)."""
    source = article(tmp_path / "scripts")
    made = []
    for machine, later in ((1, 0), (2, 3 * 86_400 + 17)):
        clock = f"import time\n_now = time.time\ntime.time = lambda: _now() + {later}\n"
        done = _run("all", str(source), "-o", f"dist-{machine}", before=clock,
                    env=_environment(tmp_path / f"cache-{machine}"), cwd=tmp_path)  # fmt: skip
        assert done.returncode == 0, done.stderr
        made.append({p.name: p.read_bytes() for p in (tmp_path / f"dist-{machine}").iterdir()})
    assert len(made[0]) == len(MADE)
    for name, data in made[0].items():
        assert made[1][name] == data, f"{name} differs"

    def cached(machine: int) -> dict[str, bytes]:
        folder = tmp_path / f"cache-{machine}" / "exporter"
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
                if p.is_file() and p.parent.name in ("fonts", "subsets")}  # fmt: skip

    assert cached(1) == cached(2)
    assert any(name.startswith("fonts/") for name in cached(1))


# 6. the fingerprint of an article


def _png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_changed_figure_in_a_hidden_folder_rebuilds_the_editions(tmp_path):
    folder = tmp_path / "scripts"
    (folder / ".figures").mkdir(parents=True)
    (folder / ".figures" / "x.png").write_bytes(_png((200, 30, 30)))
    source = article(folder, extra="\n![A red square.](.figures/x.png)\n")
    out = tmp_path / "dist"
    code, output = export("html", str(source), "-o", str(out))
    assert code == 0, output
    first = (out / "scripts.html").read_bytes()
    assert "up to date" in export("html", str(source), "-o", str(out))[1]
    (folder / ".figures" / "x.png").write_bytes(_png((30, 30, 200)))
    code, output = export("html", str(source), "-o", str(out))
    assert code == 0 and "dist/" in output and "up to date" not in output, output
    assert (out / "scripts.html").read_bytes() != first


def test_hidden_files_count_but_other_articles_do_not(tmp_path):
    source = article(tmp_path / "scripts")
    before = builds.folder_digest(source)
    (tmp_path / "scripts" / ".notes").write_text("x")
    with_hidden = builds.folder_digest(source)
    assert with_hidden != before
    article(tmp_path / "scripts" / "inner", slug="inner")
    assert builds.folder_digest(source) == with_hidden


def test_a_named_pipe_in_the_article_folder_is_never_opened(tmp_path):
    source = article(tmp_path / "scripts")
    os.mkfifo(tmp_path / "scripts" / "pipe")
    os.mkfifo(tmp_path / "scripts" / ".hidden-pipe")
    env = _environment(tmp_path / "cache")
    try:
        done = _run("html", str(source), "-o", "dist", env=env, cwd=tmp_path, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the run waited on the named pipe")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dist" / "scripts.html").exists()
    assert builds.folder_digest(source)  # (safe here: the run above did not wait)


def test_links_to_folders_are_not_followed_and_a_loop_ends(tmp_path):
    source = article(tmp_path / "scripts")
    (tmp_path / "scripts" / "figures").mkdir()
    (tmp_path / "scripts" / "figures" / "a.txt").write_text("a")
    plain = builds.folder_digest(source)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "big.txt").write_text("outside")
    os.symlink(".", tmp_path / "scripts" / "loop")
    os.symlink("..", tmp_path / "scripts" / "up")
    os.symlink(tmp_path / "outside", tmp_path / "scripts" / "elsewhere")
    started = time.monotonic()
    assert builds.folder_digest(source) == plain
    assert time.monotonic() - started < 5
    os.symlink("figures/a.txt", tmp_path / "scripts" / "alias.txt")  # a link to a file counts
    assert builds.folder_digest(source) != plain


def test_a_very_large_file_is_fingerprinted_by_its_size_and_time(tmp_path):
    source = article(tmp_path / "scripts")
    large = tmp_path / "scripts" / "video.bin"
    with large.open("wb") as handle:  # sparse: nothing written, nothing to read
        handle.truncate(64 * 1024 * 1024 + 1)  # over builds.LARGE_FILE
    first = builds.folder_digest(source)
    assert builds.folder_digest(source) == first
    os.utime(large, ns=(1_000_000_000, 1_000_000_000))
    assert builds.folder_digest(source) != first


def _settle(folder: Path) -> None:
    """Date ``folder`` and every folder in it an hour back, as an archive's folders are."""
    past = time.time_ns() - 3600 * 10**9
    for place in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        os.utime(place, ns=(past, past))


def _settled_article(tmp_path: Path) -> tuple[Path, Path]:
    """An article with a figures folder holding one file, its folders settled."""
    source = article(tmp_path / "scripts")
    figures = tmp_path / "scripts" / "figures"
    figures.mkdir()
    (figures / "a.txt").write_text("a")
    _settle(tmp_path / "scripts")
    return source, figures


def test_a_settled_folder_is_not_walked_until_a_file_is_added_removed_or_renamed(
    tmp_path, monkeypatch
):
    source, figures = _settled_article(tmp_path)
    known: dict = {}
    first = builds.folder_digest(source, known)
    assert known["listing"] and first == builds.folder_digest(source)
    walk = builds._article_files
    walks: list[str] = []
    monkeypatch.setattr(builds, "_article_files", lambda s: walks.append(s) or walk(s))
    assert builds.folder_digest(source, known) == first and walks == []
    (figures / "a.txt").write_text("b")  # changed in place: no folder changes
    changed = builds.folder_digest(source, known)
    assert changed != first and walks == [] and changed == builds.folder_digest(source)
    for change in (lambda: (figures / ".b.txt").write_text("b"),  # added (hidden)
                   lambda: (figures / ".b.txt").rename(figures / "c.txt"),  # renamed
                   lambda: (figures / "c.txt").unlink()):  # fmt: skip
        _settle(tmp_path / "scripts")
        builds.folder_digest(source, known)
        change()
        walks.clear()
        assert builds.folder_digest(source, known) == builds.folder_digest(source)
        assert len(walks) == 2  # this one, and the one without a record
    assert builds.folder_digest(source, known) == changed
    assert known["listing"] == ""  # just changed: its time may not tell the next change yet


def test_a_folder_put_in_the_place_of_another_is_walked(tmp_path):
    source, figures = _settled_article(tmp_path)
    known: dict = {}
    first = builds.folder_digest(source, known)
    stamp = figures.stat().st_mtime_ns
    shutil.move(figures, tmp_path / "old")
    figures.mkdir()
    (figures / "a.txt").write_text("a")
    (figures / "b.txt").write_text("b")
    for place in (figures, tmp_path / "scripts"):
        os.utime(place, ns=(stamp, stamp))  # the times put back as they were
    assert builds.folder_digest(source, known) != first
    assert builds.folder_digest(source, known) == builds.folder_digest(source)


def test_an_article_with_a_link_in_its_folder_is_always_walked(tmp_path):
    source = article(tmp_path / "scripts")
    (tmp_path / "scripts" / "a.txt").write_text("a")
    os.symlink("a.txt", tmp_path / "scripts" / "alias.txt")
    _settle(tmp_path / "scripts")
    known: dict = {}
    builds.folder_digest(source, known)
    assert known["listing"] == ""


# 7. where the installed packages keep their files


@pytest.fixture
def families(cache: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the families looked up in the installed packages (not remembered)."""
    asked: list[str] = []
    find = fonts._find

    def counted(name: str) -> dict[str, Path]:
        asked.append(name)
        return find(name)

    monkeypatch.setattr(fonts, "_find", counted)
    fonts.font_family.cache_clear()
    yield asked
    fonts.font_family.cache_clear()


def test_a_family_is_looked_up_once_until_a_package_is_installed(families, tmp_path, monkeypatch):
    first = fonts.font_family("PT Serif")
    fonts.font_family.cache_clear()  # a new run
    again = fonts.font_family("PT Serif")
    assert again == first and families == ["PT Serif"]
    assert all(path.is_file() for path in again.files.values())
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    fonts.font_family.cache_clear()
    assert fonts.font_family("PT Serif") == first and len(families) == 2  # a new import path
    (site / "new_package").mkdir()  # a package installed into it: the folder's time moves
    os.utime(site, ns=(time.time_ns() + 10**9,) * 2)
    fonts.font_family.cache_clear()
    assert fonts.font_family("PT Serif") == first and len(families) == 3


@pytest.mark.parametrize("kept", [
    {face: "/etc/hostname" for face in fonts.FACES},  # a file, but no font
    {face: sys.prefix + "/missing.ttf" for face in fonts.FACES},
    {face: "relative.ttf" for face in fonts.FACES},
    {"regular": sys.prefix},
    ["a list"],
])  # fmt: skip
def test_a_kept_family_that_does_not_hold_is_discarded_and_looked_up_again(
    families, kept, caplog
):
    kept_as_it_is = installed.remembered("font family", "PT Serif", lambda: kept, lambda _: True)
    assert kept_as_it_is == kept
    found = fonts.font_family("PT Serif")
    assert families == ["PT Serif"]
    assert all(path.is_file() and path.suffix in (".ttf", ".otf") for path in found.files.values())
    assert "site-packages" in str(found.regular)
    assert len(warnings_about(caplog, "record of installed packages")) == 1
    fonts.font_family.cache_clear()
    assert fonts.font_family("PT Serif") == found and families == ["PT Serif"]  # kept since


def test_a_damaged_record_of_installed_packages_is_discarded_with_one_warning(
    families, cache, caplog
):
    first = fonts.font_family("PT Sans")
    (entry,) = (cache / "exporter" / "installed").glob("*.json")
    entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")
    fonts.font_family.cache_clear()
    assert fonts.font_family("PT Sans") == first and families == ["PT Sans"] * 2
    assert len(warnings_about(caplog, "record of installed packages")) == 1
    fonts.font_family.cache_clear()
    assert fonts.font_family("PT Sans") == first and families == ["PT Sans"] * 2


@pytest.mark.parametrize("kept", [{"reportlab": 1}, ["reportlab"], [3]])
def test_the_toolkit_fingerprint_names_the_installed_libraries_whatever_is_kept(cache, kept):
    assert any(item.startswith("reportlab==") for item in builds._libraries())
    assert installed.remembered("requirements", "exporter", lambda: kept, lambda _: True) == kept
    builds.toolkit_digest.cache_clear()
    try:
        despite = builds.toolkit_digest()
        shutil.rmtree(cache / "exporter" / "installed")
        builds.toolkit_digest.cache_clear()
        assert builds.toolkit_digest() == despite
    finally:
        builds.toolkit_digest.cache_clear()


@pytest.mark.parametrize("damage", ["garbage", "wrong shape", "wrong trace"])
def test_a_damaged_style_fingerprint_is_discarded_with_one_warning(cache, tmp_path, caplog, damage):
    source = article(tmp_path / "scripts", extra="\nPlain words only.")
    out = tmp_path / "dist"
    assert export("html", str(source), "-o", str(out))[0] == 0
    (entry,) = (cache / "exporter" / "styles").glob("*.json")
    kept = json.loads(entry.read_bytes()[65:])
    changed = {
        "garbage": b"{not json",
        "wrong shape": json.dumps({**kept, "families": "PT Serif"}).encode(),
        "wrong trace": json.dumps({**kept, "trace": [["read", "/etc/hostname"]]}).encode(),
    }[damage]
    entry.write_bytes(fonts.sealed(changed))
    code, output = export("html", str(source), "-o", str(out))
    assert code == 0 and "1 edition is up to date" in output, output
    assert len(warnings_about(caplog, "style fingerprint")) == 1
    assert json.loads(entry.read_bytes()[65:]) == kept  # kept again as it was



@pytest.mark.parametrize("kept", [
    {"pdf": ["exporter", "0.1.0", "elsewhere.pdf"]},  # not every format, not where it is
    "a string",
])  # fmt: skip
def test_a_kept_format_origin_that_does_not_hold_is_discarded_and_read_again(
    cache, caplog, monkeypatch, kept
):
    from exporter import __version__, formats

    monkeypatch.setattr(formats, "_origins", {})
    truth = formats._origin(next(p for p in formats._entry_points() if p.name == "pdf"))
    installed.remembered("format origins", formats.ENTRY_POINT_GROUP, lambda: kept, lambda _: True)
    assert formats.format_origin("pdf") == truth == ("exporter", __version__, truth[2])
    assert truth[2] == "exporter.formats.pdf"
    assert len(warnings_about(caplog, "record of installed packages")) == 1
