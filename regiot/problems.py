"""Problems found in contributors' files, reported all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, in words a non-programmer can act on."""

    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        loc = f"{self.file}:{self.line}" if self.line else self.file
        return f"{loc}: {self.where}: {self.message}" if self.where else f"{loc}: {self.message}"

    def github(self) -> str:
        """The same problem as a GitHub Actions annotation."""
        msg = (f"{self.where}: {self.message}" if self.where else self.message)
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={self.line}" if self.line else ""
        return f"::error file={self.file}{line}::{msg}"


class ValidationFailed(Exception):
    """Raised when data has problems; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found in the site's data:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])
