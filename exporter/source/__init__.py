"""Reading article sources: YAML front matter, Markdown body, schema and positions."""

from exporter.source.loader import LoadedSource, load_article, load_source

__all__ = ["LoadedSource", "load_article", "load_source"]
