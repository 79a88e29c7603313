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
    def parse(cls, text: str | Period, key: str = "period") -> Period:
        """'YYYY-MM' (the stored form; the month may lack its zero) as a Period; `key` names the input in the
        refusal (a command option, a form field, a sheet's cell)."""
        if isinstance(text, Period):
            return text
        match = _PERIOD.match(str(text).strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2100:
            from .errors import Problem, Refused

            raise Refused(Problem("period.invalid", key=key, found=str(text)))
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def key(self) -> str:
        """The stored and addressed form: '2025-06'."""
        return f"{self.year}-{self.month:02d}"

    def __str__(self) -> str:
        return self.key

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
