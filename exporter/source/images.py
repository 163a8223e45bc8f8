"""Reads a figure's image file: checks where it is and what it is, and makes it ready for the
editions (rasters turned upright, stripped of metadata and scaled down when huge; SVG cleaned
by ``exporter.source.svg`` into a drawing that needs nothing outside itself)."""

from __future__ import annotations

import io
import os
import re
import stat
import warnings
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote

from exporter import model as m

if TYPE_CHECKING:  # Pillow and lxml are loaded only for an article that has figures
    from PIL import Image as PILImage

FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "SVG": "image/svg+xml"}
MAX_BYTES = 32 * 1024 * 1024
MAX_PIXELS = 40_000_000  # larger images are refused before they are decoded
MAX_SIDE = 2400  # pixels: a raster's longest side in the editions (A4 text width at 300 ppi)


class ImageProblem(Exception):
    """An image the editions cannot carry; the message says why."""


def load_image(folder: Path, ref: str) -> m.Image:
    """The image ``ref`` names, relative to the article's ``folder``. A ``ref`` with
    %-escapes (Markdown writes ``figures/рисунок.png`` as ``figures/%D1%80…``) names the
    file it spells once unescaped, when no file has the name as written."""
    path = _inside(folder, ref)
    if re.search(r"%[0-9A-Fa-f]{2}", ref) and not os.path.lexists(path):
        plain = unquote(ref)
        if plain != ref and os.path.lexists(found := _inside(folder, plain)):
            path, ref = found, plain
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ImageProblem(f"image {ref!r}: a figure is a PNG, JPEG or SVG file "
                           "(.png, .jpg, .jpeg, .svg)")  # fmt: skip
    data = _read(ref, path)
    if kind == "SVG":
        return _svg(ref, data)
    return _raster(ref, data, kind)


def _read(ref: str, path: Path) -> bytes:
    """The file's bytes: only a regular file (not a pipe, a device or a folder, which is
    refused before it is opened), and no more than ``MAX_BYTES`` of it."""
    too_large = ImageProblem(f"image {ref!r}: the file is larger than "
                             f"{MAX_BYTES // 1024 // 1024} MiB")  # fmt: skip
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ImageProblem(f"image {ref!r}: not a regular file")
        if info.st_size > MAX_BYTES:
            raise too_large
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(path, flags), "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):  # swapped since the stat
                raise ImageProblem(f"image {ref!r}: not a regular file")
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ImageProblem(f"image {ref!r}: no such file in the article's folder") from None
    except OSError as exc:
        raise ImageProblem(f"image {ref!r}: cannot be read ({_reason(exc)})") from None
    if len(data) > MAX_BYTES:
        raise too_large
    return data


def _inside(folder: Path, ref: str) -> Path:
    if "://" in ref or ref.lower().startswith(("data:", "//", "mailto:")):
        raise ImageProblem(f"image {ref!r}: a figure is a file in the article's folder, "
                           "not a web address")  # fmt: skip
    posix = PurePosixPath(ref.replace("\\", "/"))
    if posix.is_absolute() or (len(ref) > 1 and ref[1] == ":"):
        raise ImageProblem(f"image {ref!r}: an absolute path; name the file relative to "
                           "the article's folder")  # fmt: skip
    base = folder.resolve()
    path = (base / Path(*posix.parts)).resolve()
    if path != base and base not in path.parents:
        raise ImageProblem(f"image {ref!r}: the file is outside the article's folder")
    return path


def _raster(ref: str, data: bytes, kind: str) -> m.Image:
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            image = PILImage.open(io.BytesIO(data))
            found = image.format or "unknown"
            if found != kind:
                raise ImageProblem(f"image {ref!r}: the file is {_name(found)}, not "
                                   f"{_name(kind)} as its name says")  # fmt: skip
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageProblem(
                    f"image {ref!r}: {width} × {height} pixels is more than the "
                    f"{MAX_PIXELS // 1_000_000} megapixels an edition can carry; scale it down"
                )
            image.load()
    except ImageProblem:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(f"image {ref!r}: cannot be read as {_name(kind)} "
                           f"({_reason(exc)})") from None  # fmt: skip
    except PILImage.DecompressionBombError:
        raise ImageProblem(f"image {ref!r}: too many pixels; scale it down") from None
    return _ready(ref, image, data, kind)


def _ready(ref: str, image: PILImage.Image, data: bytes, kind: str) -> m.Image:
    """The image as the editions take it: upright, RGB or grey (not CMYK), no longer side
    than ``MAX_SIDE``, and a JPEG without its metadata (camera, place). An image that
    needs none of this is kept byte for byte."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    changed = False
    if image.getexif():
        upright = ImageOps.exif_transpose(image)
        changed = True
        image = upright if upright is not None else image
    if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
        changed = True
    if max(image.size) > MAX_SIDE:
        image = image.copy()
        image.thumbnail((MAX_SIDE, MAX_SIDE), PILImage.Resampling.LANCZOS)
        changed = True
    if changed:
        out = io.BytesIO()
        if kind == "JPEG":
            image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
        else:
            image.save(out, format="PNG", optimize=True)
        data = out.getvalue()
    return m.Image(ref, MEDIA_TYPES[kind], image.size[0], image.size[1], data)


def _svg(ref: str, data: bytes) -> m.Image:
    """The SVG cleaned (``exporter.source.svg``), and proved drawable by svglib."""
    from exporter.source.svg import clean_svg

    clean = clean_svg(ref, data)
    try:
        from svglib.svglib import svg2rlg

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            drawing = svg2rlg(io.BytesIO(clean.data))
    except Exception as exc:  # noqa: BLE001 - svglib raises many kinds; each is a refusal
        raise ImageProblem(f"image {ref!r}: the SVG cannot be drawn ({_reason(exc)})") from None
    if drawing is None or drawing.width <= 0 or drawing.height <= 0:
        raise ImageProblem(f"image {ref!r}: the SVG has no size (give width and height or "
                           "a viewBox)")  # fmt: skip
    width, height = max(1, round(clean.width)), max(1, round(clean.height))
    return m.Image(ref, MEDIA_TYPES["SVG"], width, height, clean.data)


def _name(kind: str) -> str:
    return {"PNG": "a PNG image", "JPEG": "a JPEG image", "SVG": "an SVG drawing"}.get(
        kind, f"a {kind} image" if kind != "unknown" else "not an image Pillow knows"
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().rstrip(".") or type(exc).__name__
    return text.splitlines()[0][:120]
