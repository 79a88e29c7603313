"""Reporting periods: cumulative months 1..N of a financial year.

`Period` is the one period type of the code base: every layer passes it, never a year and a month apart or a
"2025-06" text. `Period.key` is the stored (and URL and command line) form; `Period.parse` reads it back and
refuses anything else with a coded problem (`period.invalid`).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from .errors import Problem, Refused

_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Period:
    """Months 1..`month` of `year` (the model report's 1–6/2025 is Period(2025, 6))."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise Refused(Problem("period.month_invalid", {"year": self.year, "month": self.month}))

    @classmethod
    def parse(cls, text: str | Period, key: str = "period") -> Period:
        """'YYYY-MM' (or 'YYYY-M'), the form of `key`: what the command line's --period, the forms and the web's
        URLs carry; `key` names the input in the refusal (a command option, a form field, a sheet's cell).

        Anything else is refused: `period.invalid`, with the text as it was found."""
        if isinstance(text, Period):
            return text
        match = _PERIOD.match(str(text).strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2100:
            raise Refused(Problem("period.invalid", {"example": "2025-06"}, key=key, found=str(text)[:40]))
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def key(self) -> str:
        """The stored form: Period(2025, 6).key == "2025-06" (what `parse` reads back)."""
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.key

    @property
    def end(self) -> date:
        return month_end(self.year, self.month)

    @property
    def months(self) -> str:
        """'1-6' as the model report prints it."""
        return f"1-{self.month}"

    def label(self) -> str:
        """'1-6/2025': the model report's notation (the same in Finnish and Swedish), for column labels."""
        return f"{self.months}/{self.year}"

    def shifted(self, years: int) -> Period:
        return Period(self.year + years, self.month)

    def whole_year(self) -> Period:
        """Months 1..12 of the same year."""
        return Period(self.year, 12)


def month_end(year: int, month: int) -> date:
    """The last day of one calendar month (of a monthly balance, which is a month, not a period)."""
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
