"""Errors are data with a location: collected, never raised one at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    key: str | None = None
    expected: str | None = None
    found: str | None = None
    severity: Severity = "error"

    def location(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.key is not None:
            parts.append(f"key {self.key!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            text += f", found {self.found!r}"
        return text


class ProblemsError(Exception):
    """Raised at a boundary (CLI, store) when a collected list of problems means nothing may be written."""

    def __init__(self, problems: list[Problem], omitted: int = 0) -> None:
        self.problems = problems
        self.omitted = omitted
        lines = [str(p) for p in problems]
        if omitted:
            lines.append(f"... and {omitted} more problems")
        super().__init__("\n".join(lines))
