"""Names and small readers of WordprocessingML the python-docx API does not expose."""

from __future__ import annotations

from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
}
_FALSE = {"0", "false", "off", "none"}


def qn(name: str) -> str:
    """``w:p`` → ``{namespace}p``."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def local(node: Any) -> str:
    """An element's name without its namespace ("" for a comment or processing instruction)."""
    tag = node.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def wval(node: Any, default: str | None = None) -> str | None:
    """An element's ``w:val`` (None: no element)."""
    if node is None:
        return None
    return node.get(qn("w:val"), default)


def on(node: Any) -> bool:
    """Whether a toggle property (``w:b``, ``w:i``) is on: present, and not ``w:val="0"``."""
    return node is not None and (wval(node) or "1").lower() not in _FALSE


def text_of(node: Any) -> str:
    """Every ``w:t`` under ``node``, joined."""
    return "".join(t.text or "" for t in node.iter(qn("w:t")))
