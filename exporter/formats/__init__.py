"""The format plugin contract and the registry that finds plugins by entry point."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar

from exporter.errors import FormatError, RenderError, UsageError

if TYPE_CHECKING:  # the CLI lists formats without loading the model or the style layer
    from exporter.model import Article
    from exporter.style import StyleSheet

ENTRY_POINT_GROUP = "exporter.formats"


@dataclass(frozen=True)
class ExportOptions:
    """What the command line adds to the style: one object for every format."""

    embed_fonts: bool = True
    timestamp: dt.datetime | None = None  # SOURCE_DATE_EPOCH; else the article date is used

    def build_time(self, article: Article) -> dt.datetime:
        """The one instant an edition records: SOURCE_DATE_EPOCH, else the article's date."""
        if self.timestamp is not None:
            return self.timestamp
        return dt.datetime.combine(article.published, dt.time(0, 0), tzinfo=dt.UTC)


@dataclass(frozen=True)
class Rendered:
    """What a format reports about the edition it wrote."""

    pages: int | None = None
    warnings: tuple[str, ...] = ()  # written, but not as the style asks (e.g. over a page budget)


class Format:
    """Base of every format plugin.

    A plugin sets the class attributes and implements :meth:`write`, which renders one
    article onto a binary stream it is given. It never opens output files itself.
    Heavy libraries are imported inside ``write`` so that listing formats stays fast.
    """

    name: ClassVar[str]
    suffix: ClassVar[str]  # appended to the slug: ".pdf", "-handout.pdf"
    media_type: ClassVar[str]
    description: ClassVar[str]
    default_style: ClassVar[str] = "default"
    # "edition": read by people (its text is the article's); "citation": the article as a
    # reference, for reference managers (the web page offers each); "record": the article
    # for machines (JATS XML); these are made together. "deposit": a file sent to a
    # registry (a DOI deposit), made only when asked for by name
    kind: ClassVar[str] = "edition"
    display_name: ClassVar[str] = ""  # what a reader knows the format as ("BibTeX")
    # "module:function" that renders the edition: ``function(article, style, options)``
    # returns its bytes. A format that sets it needs no ``write`` or ``prepare`` of its own.
    renderer: ClassVar[str] = ""

    def write(
        self, article: Article, style: StyleSheet, options: ExportOptions, out: BinaryIO
    ) -> Rendered:
        if not self.renderer:
            raise NotImplementedError(f"{type(self).__name__} sets no renderer and no write")
        module, function = self.renderer.split(":")
        render = getattr(importlib.import_module(module), function)
        try:
            out.write(render(article, style, options))
        except RenderError as exc:
            raise FormatError(f"{self.name}: {exc}") from exc
        except (ValueError, KeyError, OSError) as exc:
            raise FormatError(f"{self.name}: could not render {article.slug}: {exc}") from exc
        return Rendered()

    @classmethod
    def prepare(cls) -> None:
        """Import what :meth:`write` needs. Called while the sources are read in another
        process, before the worker processes are forked (so they start with it); optional."""
        if cls.renderer:
            importlib.import_module(cls.renderer.split(":")[0])

    @classmethod
    def warm(cls, style: StyleSheet, langs: frozenset[str]) -> None:
        """Load what rendering in ``style`` needs first and every process would load again
        for itself (fonts, hyphenation patterns for ``langs``, the modules it imports when it
        first meets a figure). Called by ``exporter serve`` as it starts, so that every
        command made there starts with it; optional."""

    def verify(self, data: bytes) -> None:
        """Raise :class:`FormatError` if ``data`` is not a plausible edition of this format."""
        if not data:
            raise FormatError(f"{self.name}: the edition is empty")

    @classmethod
    def filename(cls, slug: str) -> str:
        return f"{slug}{cls.suffix}"


_found: dict[tuple[tuple[str, int], ...], list[EntryPoint]] = {}  # by the import path's state
_origins: dict[str, tuple[str, str, str]] = {}  # format -> its origin, while _found holds


def _entry_points() -> list[EntryPoint]:
    """The registered formats, read again only when the import path or a folder on it has
    changed (a distribution installed, upgraded or removed renames a folder in it): reading
    every installed distribution's metadata costs milliseconds, and a run asks many times."""
    from exporter.installed import import_path_state

    state = import_path_state()
    if state not in _found:
        _found.clear()
        _origins.clear()
        _found[state] = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
    return _found[state]


def format_names() -> list[str]:
    """Names of every registered format; raises on duplicates."""
    names = [ep.name for ep in _entry_points()]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise UsageError(f"more than one format is registered as {', '.join(dupes)}")
    return names


def edition_names() -> list[str]:
    """Names of the registered formats people read (``kind`` "edition")."""
    return [name for name in format_names() if load_format(name).kind == "edition"]


def citation_names() -> list[str]:
    """Names of the registered citation files (``kind`` "citation")."""
    return [name for name in format_names() if load_format(name).kind == "citation"]


def default_names() -> list[str]:
    """The formats ``exporter all`` makes: every one but the deposits."""
    return [name for name in format_names() if load_format(name).kind != "deposit"]


def _entry_point(name: str) -> EntryPoint:
    """The one entry point registered as ``name``."""
    matches = [ep for ep in _entry_points() if ep.name == name]
    if not matches:
        known = ", ".join(format_names()) or "none"
        raise UsageError(f"unknown format {name!r} (available: {known})")
    if len(matches) > 1:
        raise UsageError(f"more than one format is registered as {name!r}")
    return matches[0]


def format_origin(name: str) -> tuple[str, str, str]:
    """Where the format ``name`` comes from: the name and version of the distribution that
    registers it (empty when its entry point has none) and the module it is defined in.
    Read once per installation (``installed``): a distribution's metadata holds its whole
    description, and every run asks for every format's."""
    _entry_point(name)
    if name not in _origins:
        from exporter.installed import remembered

        points = _entry_points()
        modules = {point.name: point.module for point in points}

        def find() -> dict[str, list[str]]:
            return {point.name: list(_origin(point)) for point in points}

        def holds(kept: object) -> bool:
            return isinstance(kept, dict) and kept.keys() == modules.keys() and all(
                type(origin) is list and len(origin) == 3 and origin[2] == modules[fmt]
                and all(type(part) is str for part in origin)
                for fmt, origin in kept.items()
            )  # fmt: skip

        kept = remembered("format origins", ENTRY_POINT_GROUP, find, holds)
        _origins.update({fmt: tuple(origin) for fmt, origin in kept.items()})
    return _origins[name]


def _origin(point: EntryPoint) -> tuple[str, str, str]:
    dist = point.dist
    return ("", "", point.module) if dist is None else (*distribution_label(dist), point.module)


def distribution_label(dist: Any) -> tuple[str, str]:
    """The name and version of an installed distribution, read from its metadata's header
    alone (``dist.name`` and ``dist.version`` each put the whole file, its description
    too, through an e-mail parser)."""
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    fields = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(":")
        if key in ("Name", "Version") and key not in fields:
            fields[key] = value.strip()
    if len(fields) < 2:  # not the usual header: the parser's answer
        return dist.name, dist.version
    return fields["Name"], fields["Version"]


def load_format(name: str) -> type[Format]:
    """The plugin class registered under ``name``."""
    point = _entry_point(name)
    try:
        cls = point.load()
    except Exception as exc:  # a broken third-party plugin must not crash the CLI
        raise FormatError(f"format {name!r} could not be loaded: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Format)):
        raise FormatError(f"format {name!r} ({point.value}) is not an exporter Format")
    return cls
