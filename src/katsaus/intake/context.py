"""What intake needs to know about the organisation and the scheme, as plain data built by the caller.

Kept free of Django and of the config objects so that intake can be tested with a few literals and so that
the same context drives both the fast DuckDB checks and the slow row-by-row error pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from katsaus.intake.values import BadValue

Interval = tuple[date | None, date | None]
AccountRange = tuple[str, str]

# Far-away stand-ins for open interval ends, so SQL comparisons need no NULL handling.
OPEN_START = date(1, 1, 1)
OPEN_END = date(9999, 12, 31)


def parse_range(text: str) -> AccountRange:
    """'30-31' -> ('30', '31'); '39' -> ('39', '39'). Both bounds must have the same length (BadValue, a
    ValueError, says which rule the text breaks)."""
    lo, sep, hi = text.strip().partition("-")
    lo, hi = lo.strip(), (hi.strip() if sep else lo.strip())
    if not lo or not hi or len(lo) != len(hi):
        raise BadValue("scheme.account_range_form", {"examples": ("30-31", "4")})  # core.scheme's codes
    if lo > hi:
        raise BadValue("scheme.account_range_backwards", {"low": lo, "high": hi})
    return lo, hi


def parse_ranges(texts: Iterable[str]) -> tuple[AccountRange, ...]:
    return tuple(parse_range(t) for t in texts)


def range_texts(ranges: Iterable[AccountRange]) -> tuple[str, ...]:
    """('30', '34'), ('39', '39') -> ('30-34', '39'): account ranges as the configuration writes them."""
    return tuple(lo if lo == hi else f"{lo}-{hi}" for lo, hi in ranges)


def in_ranges(account: str, ranges: Iterable[AccountRange]) -> bool:
    """Prefix-range membership: the account's first len(lo) characters lie between lo and hi."""
    return any(lo <= account[: len(lo)] <= hi for lo, hi in ranges)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def ranges_sql(column: str, ranges: Iterable[AccountRange]) -> str:
    """The same test as `in_ranges` as a DuckDB predicate, so it runs inside the query."""
    parts = []
    for lo, hi in ranges:
        prefix = f"substr({column}, 1, {len(lo)})"
        if lo == hi:
            parts.append(f"{prefix} = {_sql_text(lo)}")
        else:
            parts.append(f"{prefix} BETWEEN {_sql_text(lo)} AND {_sql_text(hi)}")
    return "(" + " OR ".join(parts) + ")" if parts else "FALSE"


def merge_intervals(intervals: Iterable[Interval]) -> list[tuple[date, date]]:
    """Overlapping or adjacent validity intervals merged, open ends made concrete, sorted.

    Merging makes "one interval covers all these dates" equivalent to "every date is valid", which the
    aggregated checks in ledger.py rely on.
    """
    concrete = sorted((lo or OPEN_START, hi or OPEN_END) for lo, hi in intervals)
    merged: list[tuple[date, date]] = []
    for lo, hi in concrete:
        if merged and lo.toordinal() <= merged[-1][1].toordinal() + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def format_day(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def interval_texts(intervals: Iterable[Interval]) -> tuple[str, ...]:
    """Validity intervals merged, as Finnish and Swedish both write them: ('1.1.2024–30.6.2025', '1.3.2026–');
    an open end is left blank."""
    parts = []
    for lo, hi in merge_intervals(intervals):
        start = "" if lo == OPEN_START else format_day(lo)
        end = "" if hi == OPEN_END else format_day(hi)
        parts.append(f"{start}–{end}")
    return tuple(parts)


@dataclass(frozen=True)
class IntakeContext:
    """Known codes and account ranges that intake checks every row against."""

    # cost centre code -> validity intervals (inclusive; None = open end)
    cost_centres: Mapping[str, tuple[Interval, ...]] = field(default_factory=dict)
    unit_codes: frozenset[str] = frozenset()
    # statement line code -> Finnish name
    line_codes: Mapping[str, str] = field(default_factory=dict)
    # derived lines (sums of other lines), code and Finnish name: named in messages, never given figures
    derived_lines: frozenset[str] = frozenset()
    # prefix ranges of the accounts that feed some leaf line
    leaf_account_ranges: tuple[AccountRange, ...] = ()
    internal_ranges: tuple[AccountRange, ...] = ()

    def account_known(self, account: str) -> bool:
        """An account is digits ('44abc' is not 44...) within a leaf line's ranges."""
        return account.isascii() and account.isdigit() and in_ranges(account, self.leaf_account_ranges)

    def account_internal(self, account: str) -> bool:
        return in_ranges(account, self.internal_ranges)

    def known_sql(self, column: str) -> str:
        return f"(regexp_full_match({column}, '[0-9]+') AND {ranges_sql(column, self.leaf_account_ranges)})"

    def internal_sql(self, column: str) -> str:
        return ranges_sql(column, self.internal_ranges)

    def cost_centre_known(self, code: str) -> bool:
        return code in self.cost_centres

    def validity(self, code: str) -> list[tuple[date, date]]:
        """Merged validity; a known code given no intervals at all is valid always, an unknown one never."""
        if code not in self.cost_centres:
            return []
        return merge_intervals(self.cost_centres[code] or ((None, None),))

    def cost_centre_valid(self, code: str, day: date) -> bool:
        return any(lo <= day <= hi for lo, hi in self.validity(code))

    def cost_centre_valid_in(self, code: str, first: date, last: date) -> bool:
        """Valid on at least one day of first..last (used when the file gives only a month)."""
        return any(lo <= last and first <= hi for lo, hi in self.validity(code))

    def validity_texts(self, code: str) -> tuple[str, ...]:
        return interval_texts(self.validity(code))

    def line_for(self, reference: str) -> str | None:
        """A plan file names a line by its code or its Finnish name, in any case."""
        wanted = reference.strip().casefold()
        for code, name in self.line_codes.items():
            if code.casefold() == wanted or name.strip().casefold() == wanted:
                return code
        return None

    def range_texts(self) -> tuple[str, ...]:
        return range_texts(self.leaf_account_ranges)
