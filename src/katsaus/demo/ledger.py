"""Monthly (unit, line) amounts -> ledger rows: cost centres, accounts, documents, dates and texts.

Every split is exact in integer cents (money.split_cents), so the rows of a (unit, line, month) sum to its
amount to the cent. Statement sign in, ledger sign out (costs positive, revenues negative).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from katsaus.core.org import CostCentre
from katsaus.demo import profile
from katsaus.demo.inputs import DemoConfig
from katsaus.demo.money import split_cents
from katsaus.demo.plans import COST_LINE, Monthly

SMALL_CENTS = 200_000  # below 2 000 € a month a line is booked on one cost centre and one account


DocKey = tuple[str | int, ...]  # what makes rows one document: its type and a serial, or a month and a run


@dataclass(frozen=True)
class LedgerRow:
    day: date
    cost_centre: str
    account: str
    cents: int  # ledger sign
    doc_type: str
    doc_key: DocKey  # rows with the same key share one document number
    text: str


@dataclass
class Booker:
    """Creates rows for one year; holds the year's random cost-centre and account weights."""

    config: DemoConfig
    year: int
    rng: np.random.Generator

    def __post_init__(self) -> None:
        self.rows: list[LedgerRow] = []
        self._cc_weights: dict[tuple[str, str], dict[str, float]] = {}
        self._serial = 0

    # ---------------------------------------------------------------- weights
    def centre_weights(self, unit: str, line: str) -> dict[str, float]:
        """Fixed for the year: how a unit's line is spread over its cost centres (management smaller)."""
        key = (unit, line)
        if key not in self._cc_weights:
            centres = [cc for cc in self.config.org.cost_centres if cc.unit == unit]
            draws = self.rng.gamma(2.0, 1.0, len(centres))
            self._cc_weights[key] = {
                cc.code: float(w) * (0.4 if i == 0 and len(centres) > 2 else 1.0)
                for i, (cc, w) in enumerate(zip(centres, draws))
            }
        return self._cc_weights[key]

    def valid_centres(self, unit: str, month: int) -> list[CostCentre]:
        centres = self.config.cost_centres_of(unit, date(self.year, month, 1))
        if not centres:
            raise ValueError(f"unit {unit} has no valid cost centre in {month}/{self.year}")
        return centres

    # ---------------------------------------------------------------- booking
    def book(self, unit: str, line: str, month: int, statement_cents: int) -> None:
        """Book one (unit, line, month) amount: cost centres × accounts × documents."""
        if statement_cents == 0:
            return
        ledger = -statement_cents
        centres = self.valid_centres(unit, month)
        weights = self.centre_weights(unit, line)
        if abs(ledger) < SMALL_CENTS:
            chosen = max(centres, key=lambda cc: (weights[cc.code], cc.code))
            self._book_centre(chosen.code, line, month, ledger, small=True)
            return
        parts = split_cents(ledger, [weights[cc.code] for cc in centres])
        for cc, part in zip(centres, parts):
            self._book_centre(cc.code, line, month, part, small=False)

    def _book_centre(self, centre: str, line: str, month: int, cents: int, small: bool) -> None:
        if cents == 0:
            return
        accounts = [a for a in profile.ACCOUNTS[line] if not a.months or month in a.months]
        if small:
            accounts = accounts[:1]
        weights = [a.weight * (a.july_boost if month == 7 else 1.0) * float(self.rng.uniform(0.8, 1.2))
                   for a in accounts]
        for account, part in zip(accounts, split_cents(cents, weights)):
            if part:
                self._documents(centre, line, account, month, part)

    def _documents(self, centre: str, line: str, account: profile.Account, month: int, cents: int) -> None:
        kind = profile.SEASON_OF_LINE.get(line, "financial")
        style = profile.BOOKING.get(line) or profile.BOOKING[kind]
        low, high = profile.DOCUMENTS[kind]
        count = min(int(self.rng.integers(low, high + 1)), abs(cents))
        parts = split_cents(cents, list(self.rng.gamma(2.0, 1.0, count)))
        for run, part in enumerate(parts):
            if not part:
                continue
            accrual = month == 12 and run == len(parts) - 1 and count > 1 and not style.shared
            self._add(centre, account, month, part, style, run, accrual)

    def _add(self, centre: str, account: profile.Account, month: int, cents: int, style: profile.Booking,
             run: int, accrual: bool) -> None:
        last = calendar.monthrange(self.year, month)[1]
        if accrual:  # December accruals: the year's last invoices booked as a memo on the 31st
            self._append(date(self.year, 12, 31), centre, account.code, cents, "MU", ("JA", self.year),
                         f"Jaksotus 12/{self.year}: {account.name}")
            return
        day = self._day(style.day, run, last)
        key = (style.doc_type, month, run) if style.shared else (style.doc_type, self._next_serial())
        partners = profile.CUSTOMERS if style.doc_type == "ML" else profile.SUPPLIERS
        text = style.text.format(account=account.name, month=month, year=self.year,
                                 partner=partners[int(self.rng.integers(0, len(partners)))])
        self._append(date(self.year, month, day), centre, account.code, cents, style.doc_type, key, text)

    def _day(self, rule: str, run: int, last: int) -> int:
        if rule == "payday":  # the regular payroll run on the 15th, a supplementary run at month end
            return profile.PAYDAY if run == 0 else last
        if rule == "first":
            return 1
        if rule == "last":
            return last
        return int(self.rng.integers(1, last + 1))

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def _append(self, day: date, centre: str, account: str, cents: int, doc_type: str, key: DocKey,
                text: str) -> None:
        self.rows.append(LedgerRow(day, centre, account, cents, doc_type, key, text))

    # ---------------------------------------------------------------- special rows
    def correction_pair(self, unit: str, line: str, month: int) -> None:
        """Entries that net to exactly 0: a booking and its reversal at the start of the next month.

        In different months on purpose: each month's balance is then non-zero, so the entries survive any
        aggregation to monthly balances, while the cumulative sum is exactly 0."""
        centre = self.valid_centres(unit, month)[0].code
        account = profile.ACCOUNTS[line][0].code
        cents = int(self.rng.integers(500, 20_001)) * 100
        first, second = profile.CORRECTION_TEXTS
        self._append(date(self.year, month, 20), centre, account, cents, "MU", ("MU", self._next_serial()), first)
        self._append(date(self.year, month + 1, 5), centre, account, -cents, "MU", ("MU", self._next_serial()),
                     second)

    def internal(self, unit: str, month: int, yearly_costs: int) -> None:
        """Internal purchases and sales of the unit (scheme internal_accounts): excluded from the report."""
        centres = self.valid_centres(unit, month)
        for code, name, share in profile.INTERNAL:
            monthly = int(round(yearly_costs * share / 12 * float(self.rng.uniform(0.9, 1.1))))
            weights = self.centre_weights(unit, code)
            parts = split_cents(monthly, [weights[cc.code] for cc in centres]) if monthly else []
            last = calendar.monthrange(self.year, month)[1]
            for cc, part in zip(centres, parts):
                if part:
                    self._append(date(self.year, month, last), cc.code, code, part, "SI", ("SI", month, code),
                                 f"{name} {month}/{self.year}")


def book_year(config: DemoConfig, year: int, amounts: Monthly, corrections: Iterable[tuple[str, str]],
              rng: np.random.Generator) -> list[LedgerRow]:
    """All rows of a year (or part of it): external lines, required correction pairs, internal items."""
    booker = Booker(config, year, rng)
    months = len(next(iter(amounts.values())))
    for unit, line in sorted(amounts):
        for month, cents in enumerate(amounts[(unit, line)], start=1):
            booker.book(unit, line, month, cents)
    for unit, line in sorted(corrections):
        booker.correction_pair(unit, line, int(rng.integers(1, months)))  # reversal still within the period
    cost_lines = set(config.terms(COST_LINE))
    for unit in config.leaf_units:
        costs = sum(abs(sum(v)) for (u, ln), v in amounts.items() if u == unit and ln in cost_lines)
        for month in range(1, months + 1):
            booker.internal(unit, month, costs * 12 // months)
    return booker.rows


def numbered(rows: list[LedgerRow]) -> list[tuple[LedgerRow, str]]:
    """Sort by date (stable) and give documents numbers per type in order of first appearance."""
    ordered = sorted(enumerate(rows), key=lambda item: (item[1].day, item[0]))
    numbers: dict[DocKey, str] = {}
    counters: dict[str, int] = {}
    out = []
    for _, row in ordered:
        if row.doc_key not in numbers:
            counters[row.doc_type] = counters.get(row.doc_type, 0) + 1
            numbers[row.doc_key] = f"{row.doc_type}{row.day.year % 100:02d}-{counters[row.doc_type]:06d}"
        out.append((row, numbers[row.doc_key]))
    return out
