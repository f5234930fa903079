"""Every failure shanzhi reports to a user. Only ``cli.py`` turns these into exit codes.

Exit codes (docs/cli.md): 1 not found / data problem, 2 usage or ambiguity, 3 store unreachable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AccessDeniedError",
    "AmbiguousError",
    "BrowserError",
    "DataError",
    "GuessError",
    "ModelError",
    "NotFoundError",
    "OutputError",
    "Problem",
    "ShanzhiError",
    "StoreBusyError",
    "StoreUnavailableError",
    "UsageError",
    "WriteRefusedError",
]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a dataset, printed as ``FILE:LINE: column: message``."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class ShanzhiError(Exception):
    """Base of every error a user may see; ``exit_code`` is what the CLI returns."""

    exit_code = 1


class ModelError(ShanzhiError):
    """The domain model itself (or a mapping) is inconsistent; raised at start, never later."""

    exit_code = 2


class DataError(ShanzhiError):
    """A dataset has problems; all of them are listed, nothing was written."""

    exit_code = 1

    def __init__(self, problems: Sequence[Problem], summary: str | None = None) -> None:
        self.problems = sorted(problems)
        n = len(self.problems)
        super().__init__(
            summary or f"the dataset has {n} problem{'s' if n != 1 else ''}; nothing was written"
        )


class NotFoundError(ShanzhiError):
    """Something asked for by name or id does not exist."""

    exit_code = 1

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = list(suggestions)


class AmbiguousError(ShanzhiError):
    """A name matched several things; the candidates are listed."""

    exit_code = 2

    def __init__(self, message: str, candidates: Sequence[dict[str, str]] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


class GuessError(AmbiguousError):
    """The one building that fits is only a guess (a typo, a bare number): asked, not answered;
    ``candidates`` holds it."""


class UsageError(ShanzhiError):
    """A command or function was called with wrong arguments or parameters."""

    exit_code = 2


class WriteRefusedError(UsageError):
    """A query would write to the graph and ``--write`` was not given."""


class AccessDeniedError(UsageError):
    """The account may not do this (the web page's roles: a phone in full, the Cypher forms)."""


class BrowserError(UsageError):
    """Chromium is missing, did not start, or a page did not answer in time (pictures)."""


class OutputError(ShanzhiError):
    """A file or folder could not be written (no permission, a read-only or full disk)."""

    exit_code = 1


class StoreUnavailableError(ShanzhiError):
    """The graph store cannot be reached (server down, wrong credentials, unreadable file)."""

    exit_code = 3


class StoreBusyError(StoreUnavailableError):
    """Another load of the same dataset committed while this one was planned; nothing written."""
