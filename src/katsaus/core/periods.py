"""Reporting periods: cumulative months 1..N of a financial year."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Protocol, TypeVar

_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Period:
    """Months 1..`month` of `year` (the model report's 1–6/2025 is Period(2025, 6))."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"period month must be 1..12, got {self.month}")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Parse 'YYYY-MM' (the CLI's --period)."""
        match = _PERIOD.match(text.strip())
        if not match:
            raise ValueError(f"period must look like 2025-06 (year-month), got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def months(self) -> str:
        """'1-6' as the model report prints it."""
        return f"1-{self.month}"

    def label(self) -> str:
        return f"{self.months}/{self.year}"

    def shifted(self, years: int) -> "Period":
        return Period(self.year + years, self.month)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


class Dated(Protocol):
    @property
    def period(self) -> Period: ...


D = TypeVar("D", bound=Dated)


def newest_up_to(entries: Iterable[D], period: Period) -> D | None:
    """The entry of the newest period at or before `period`; of several for that period, the last one given
    (a later entry of the same period supersedes an earlier one)."""
    eligible = [e for e in entries if e.period <= period]
    if not eligible:
        return None
    newest = max(e.period for e in eligible)
    return [e for e in eligible if e.period == newest][-1]
