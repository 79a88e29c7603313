"""The row-by-row ledger check of the slow error pass: the same rules as the SQL of ledger.py, in Python.

It exists to give every problem its row; the SQL decides whether there are problems at all and how many.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from katsaus.core.errors import Problem
from katsaus.core.periods import month_end
from katsaus.intake.context import IntakeContext, format_day, format_ranges, in_ranges
from katsaus.intake.mapping import LedgerMapping
from katsaus.intake.values import BadValue, amount_example, date_example, parse_amount, parse_date

if TYPE_CHECKING:
    from katsaus.intake.ledger import Layout

_SPACES = " \u00a0"


class LedgerRowChecker:
    def __init__(self, label: str, mapping: LedgerMapping, ctx: IntakeContext, layout: "Layout", *, xlsx: bool) -> None:
        self.label = label
        self.m = mapping
        self.ctx = ctx
        self.layout = layout
        self.xlsx = xlsx
        self.sheet = layout.sheet
        self.width = len(layout.header)
        self.required = list(mapping.required_columns())
        self.ignore = mapping.unknown.ignore_ranges
        self.cc_pattern = re.compile(mapping.cost_centre_pattern) if mapping.cost_centre_pattern else None
        self.acc_pattern = re.compile(mapping.account_pattern) if mapping.account_pattern else None
        self.amount_expected = (
            f"a number like {amount_example(mapping.decimal, mapping.thousands)} (decimal {mapping.decimal!r})"
        )
        self.date_expected = f"a date like {date_example(mapping.date_format)}"
        if xlsx:
            self.date_expected += " or an Excel date"

    def _problem(self, row: int, field: str, message: str, expected: str | None, found: str | None) -> Problem:
        return Problem(
            self.label, message, row=row, column=self.layout.column(field), sheet=self.sheet,
            expected=expected, found=found,
        )

    def _structure(self, row: int, fields: "list[str] | str", last: bool) -> Problem | None:
        """Rows DuckDB rejects: unparsable, too few fields, or extra fields that are not empty."""
        sep = self.m.delimiter
        if isinstance(fields, str):
            return Problem(self.label, f"the row cannot be read as CSV: {fields}", row=row,
                           expected="fields separated by " + repr(sep) + ", quotes closed")
        found = sep.join(fields)
        if len(fields) < self.width:
            what = "the last line is truncated" if last else "the row has too few fields"
            return Problem(self.label, f"{what} (delimiter {sep!r})", row=row, expected=f"{self.width} fields",
                           found=found)
        if any(f != "" for f in fields[self.width :]):
            return Problem(self.label, f"the row has too many fields (delimiter {sep!r})", row=row,
                           expected=f"{self.width} fields", found=found)
        return None

    def _undecodable(self, row: int, values: dict[str, str]) -> Problem | None:
        """Bytes the encoding could not decode, in a column that is read (other columns do not matter)."""
        for field, value in values.items():
            bad = [ch for ch in value if "\udc80" <= ch <= "\udcff"]
            if bad:
                hexes = " ".join(f"{ord(ch) - 0xDC00:02x}" for ch in bad)
                return self._problem(row, field, "bytes that are not UTF-8; set encoding in the mapping",
                                     "UTF-8 text", f"bytes {hexes}")
        return None

    def check(self, row: int, fields: "list[str] | str", *, last: bool = False) -> list[Problem]:
        broken = None if self.xlsx else self._structure(row, fields, last)
        if broken is not None or isinstance(fields, str):
            return [broken] if broken else []
        values = {field: fields[index] for field, index in self.layout.fields.items()}
        undecodable = self._undecodable(row, values)
        if undecodable is not None:
            return [undecodable]
        if all(values.get(f, "") == "" for f in self.required):
            return []  # a blank row (e.g. ';;;;' left by Excel) is skipped, as the SQL skips it
        account = self._code(values["account"], self.acc_pattern)
        if account and in_ranges(account, self.ignore):
            return []
        problems: list[Problem] = []
        day = self._date(row, values, problems)
        self._cost_centre(row, values, day, problems)
        self._account(row, values["account"], account, problems)
        self._amount(row, values, problems)
        return problems

    @staticmethod
    def _code(raw: str, pattern: re.Pattern[str] | None) -> str:
        text = raw.strip(_SPACES)
        if pattern is not None:
            match = pattern.search(text)
            text = (match.group(1) or "") if match else ""
        return text.strip(_SPACES)

    def _date(self, row: int, values: dict[str, str], problems: list[Problem]) -> date | None:
        if self.m.fixed is not None:
            return None
        raw = values["date"]
        try:
            return parse_date(raw, self.m.date_format, xlsx=self.xlsx)
        except BadValue as bad:
            problems.append(self._problem(row, "date", bad.reason, self.date_expected, raw or None))
            return None

    def _cost_centre(self, row: int, values: dict[str, str], day: date | None, problems: list[Problem]) -> None:
        if self.m.unknown.cost_centre_catch_all:
            return
        raw = values["cost_centre"]
        code = self._code(raw, self.cc_pattern)
        if not code:
            reason = "the cost centre is empty" if not raw.strip() else "no cost centre code matches the pattern"
            problems.append(self._problem(row, "cost_centre", reason, "a cost centre code", raw or None))
        elif not self.ctx.cost_centre_known(code):
            problems.append(
                self._problem(row, "cost_centre", "unknown cost centre", "a cost centre of the organisation", code)
            )
        elif self.m.fixed is not None:
            year, month = self.m.fixed.year, self.m.fixed.month
            if not self.ctx.cost_centre_valid_in(code, date(year, month, 1), month_end(year, month)):
                problems.append(self._invalid(row, code, f"{month}/{year}"))
        elif day is not None and not self.ctx.cost_centre_valid(code, day):
            problems.append(self._invalid(row, code, format_day(day)))

    def _invalid(self, row: int, code: str, when: str) -> Problem:
        return self._problem(
            row, "cost_centre", f"cost centre {code} is not valid on {when}",
            f"a cost centre valid then (it is valid {self.ctx.validity_text(code)})", code,
        )

    def _account(self, row: int, raw: str, account: str, problems: list[Problem]) -> None:
        if self.m.unknown.account_catch_all:
            return
        if not account:
            reason = "the account is empty" if not raw.strip() else "no account code matches the pattern"
            problems.append(self._problem(row, "account", reason, "an account code", raw or None))
        elif not (account.isascii() and account.isdigit()):
            problems.append(self._problem(row, "account", "the account is not a number", "an account code of digits",
                                          account))
        elif not self.ctx.account_known(account):
            problems.append(
                self._problem(
                    row, "account", "the account is not in any statement line's account ranges",
                    f"an account in {format_ranges(self.ctx.leaf_account_ranges)}", account,
                )
            )

    def _amount(self, row: int, values: dict[str, str], problems: list[Problem]) -> None:
        chars = self.m.thousands_chars()
        if self.m.sign != "debit_credit":
            try:
                parse_amount(values["amount"], self.m.decimal, chars)
            except BadValue as bad:
                problems.append(self._problem(row, "amount", bad.reason, self.amount_expected, values["amount"] or None))
            return
        empty = [f for f in ("debit", "credit") if not values[f].strip(" ")]
        if len(empty) == 2:
            problems.append(self._problem(row, "debit", "both debit and credit are empty", self.amount_expected, None))
            return
        for field in ("debit", "credit"):
            if field not in empty:
                try:
                    parse_amount(values[field], self.m.decimal, chars)
                except BadValue as bad:
                    problems.append(self._problem(row, field, bad.reason, self.amount_expected, values[field]))
