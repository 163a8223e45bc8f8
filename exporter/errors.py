"""The error types every layer raises and the CLI turns into one line and an exit code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_EXPORT_FAILED = 1
EXIT_BAD_INPUT = 2


class ExportError(Exception):
    """Base of every error the toolkit reports to a user."""

    category = "error"
    exit_code = EXIT_EXPORT_FAILED

    def lines(self) -> list[str]:
        """The one-line messages this error prints, one per problem."""
        return [f"{self.category}: {self}"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class SourceError(ExportError):
    """The article source is invalid; carries every problem found in one pass."""

    category = "source"
    exit_code = EXIT_BAD_INPUT

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str | Path, line: int, column: int, message: str) -> SourceError:
        return cls(Problem(str(path), line, column, message))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class StyleError(ExportError):
    """A style sheet is missing, malformed or names something unknown."""

    category = "style"
    exit_code = EXIT_BAD_INPUT


class UsageError(ExportError):
    """The command line asks for something that does not exist."""

    category = "usage"
    exit_code = EXIT_BAD_INPUT


class FormatError(ExportError):
    """A format could not render or write an edition."""

    category = "format"
    exit_code = EXIT_EXPORT_FAILED


class OutputError(ExportError):
    """An edition could not be written to its output folder."""

    category = "output"
    exit_code = EXIT_EXPORT_FAILED


class RenderError(FormatError):
    """A problem found by a renderer several formats share (the XHTML of the e-book and the
    web page), which does not know the edition it renders: :meth:`Format.write` names it."""
