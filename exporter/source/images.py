"""Reads a figure's image file: checks where it is and what it is, and makes it ready for the
editions (rasters turned upright, stripped of metadata and scaled down when huge; SVG checked
to be a drawing that needs nothing outside itself)."""

from __future__ import annotations

import io
import warnings
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from exporter import model as m

if TYPE_CHECKING:  # Pillow and lxml are loaded only for an article that has figures
    from PIL import Image as PILImage

FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "SVG": "image/svg+xml"}
MAX_BYTES = 32 * 1024 * 1024
MAX_PIXELS = 40_000_000  # larger images are refused before they are decoded
MAX_SIDE = 2400  # pixels: a raster's longest side in the editions (A4 text width at 300 ppi)
SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_FORBIDDEN_SVG = {"script", "foreignObject", "iframe", "handler"}


class ImageProblem(Exception):
    """An image the editions cannot carry; the message says why."""


def load_image(folder: Path, ref: str) -> m.Image:
    """The image ``ref`` names, relative to the article's ``folder``."""
    path = _inside(folder, ref)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ImageProblem(f"image {ref!r}: a figure is a PNG, JPEG or SVG file "
                           "(.png, .jpg, .jpeg, .svg)")  # fmt: skip
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImageProblem(f"image {ref!r}: no such file in the article's folder") from None
    if not path.is_file():
        raise ImageProblem(f"image {ref!r}: not a file")
    if size > MAX_BYTES:
        raise ImageProblem(f"image {ref!r}: the file is larger than "
                           f"{MAX_BYTES // 1024 // 1024} MiB")  # fmt: skip
    data = path.read_bytes()
    if kind == "SVG":
        return _svg(ref, data)
    return _raster(ref, data, kind)


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
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImageProblem(f"image {ref!r}: not well-formed SVG ({exc.msg})") from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype and "ENTITY" in docinfo.doctype:
        raise ImageProblem(f"image {ref!r}: an SVG with a DOCTYPE or entities is refused")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageProblem(f"image {ref!r}: the file is not SVG (its root is not <svg> in "
                           "the SVG namespace)")  # fmt: skip
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in _FORBIDDEN_SVG:
            raise ImageProblem(f"image {ref!r}: an SVG with <{local}> is refused; a figure "
                               "is a drawing")  # fmt: skip
        for name, value in element.attrib.items():
            local_name = etree.QName(name).localname
            if local_name.lower().startswith("on"):
                raise ImageProblem(f"image {ref!r}: an SVG with script ({local_name}) is refused")
            if name in (_XLINK, "href") and not value.startswith(("#", "data:image/")):
                raise ImageProblem(f"image {ref!r}: the SVG refers to {value!r}; a figure "
                                   "needs nothing outside itself")  # fmt: skip
    width, height = _svg_size(ref, data)
    return m.Image(ref, MEDIA_TYPES["SVG"], width, height, data)


def _svg_size(ref: str, data: bytes) -> tuple[int, int]:
    """The drawing's size in CSS pixels, as svglib reads it (which proves it can draw it)."""
    from svglib.svglib import svg2rlg

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            drawing = svg2rlg(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - svglib raises many kinds; each is a refusal
        raise ImageProblem(f"image {ref!r}: the SVG cannot be drawn ({_reason(exc)})") from None
    if drawing is None or drawing.width <= 0 or drawing.height <= 0:
        raise ImageProblem(f"image {ref!r}: the SVG has no size (give width and height or "
                           "a viewBox)")  # fmt: skip
    return round(drawing.width / 0.75), round(drawing.height / 0.75)


def _name(kind: str) -> str:
    return {"PNG": "a PNG image", "JPEG": "a JPEG image", "SVG": "an SVG drawing"}.get(
        kind, f"a {kind} image" if kind != "unknown" else "not an image Pillow knows"
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().rstrip(".") or type(exc).__name__
    return text.splitlines()[0][:120]
