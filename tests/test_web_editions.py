"""Any number of web editions: every QR code of every PDF edition decodes at 150 dpi, each
with its quiet zone, none touching another, in rows when they do not fit in one."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess

import pytest

from exporter.formats import ExportOptions, load_format
from exporter.model import LocalizedText
from exporter.style import load_style

URLS = {
    "en": "https://example.org/en/analytics/does-tajikistan-have-a-choice-amid-sanctions/",
    "ru": "https://example.org/ru/analytics/est-li-u-tadzhikistana-vybor/",
    "kk": "https://example.org/kk/analytics/tajikstannyn-tandauy-bar-ma/",
    "tg": "https://example.org/tg/analytics/intikhobi-tojikiston/",
}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def _decoded(pdf: bytes, tmp_path) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    path = tmp_path / "edition.pdf"
    path.write_bytes(pdf)
    subprocess.run([tool("pdftoppm"), "-png", "-r", "150", str(path), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    found = []
    for page in sorted(tmp_path.glob("page*.png")):
        found += [r.text for r in zxingcpp.read_barcodes(Image.open(page))
                  if r.format.name == "QRCode"]  # fmt: skip
    return sorted(found)


@pytest.mark.parametrize("count", [1, 2, 4])
@pytest.mark.parametrize("name", ["pdf", "handout"])
def test_every_qr_code_decodes(article, tmp_path, name, count):
    urls = dict(list(URLS.items())[:count])
    web = dataclasses.replace(article, web=LocalizedText.of(urls))
    fmt = load_format(name)
    out = io.BytesIO()
    fmt().write(web, load_style(fmt.default_style), ExportOptions(), out)
    assert _decoded(out.getvalue(), tmp_path) == sorted(urls.values())
