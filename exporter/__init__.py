"""Exporter: one canonical article source, every edition (PDF, handout, DOCX, EPUB, HTML)."""

__version__ = "0.1.0"
