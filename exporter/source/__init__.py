"""Reading article sources: YAML front matter, Markdown body, schema and positions.

The reader (``loader``, with its parsers and the schema) is imported when first asked for:
a process that is handed articles already read needs only ``loaded``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exporter.source.loaded import LoadedSource

if TYPE_CHECKING:
    from exporter.source.loader import load_article, load_source

__all__ = ["LoadedSource", "load_article", "load_source"]


def __getattr__(name: str) -> Any:
    if name in ("load_article", "load_source"):
        from exporter.source import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
