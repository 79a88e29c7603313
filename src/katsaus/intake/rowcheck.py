"""The row-by-row ledger check of the slow error pass: the same rules as the SQL of ledger.py, in Python.

It exists to give every problem its row; the SQL decides whether there are problems at all and how many.
Problems are made only for the rows that have one, and only until the pass reaches its cap.
"""

from __future__ import annotations

import re
from datetime import date

from katsaus.core.errors import Param, Problem, Term
from katsaus.core.periods import month_end
from katsaus.intake.context import IntakeContext, in_ranges
from katsaus.intake.layout import Layout, delimiter_param
from katsaus.intake.mapping import LedgerMapping
from katsaus.intake.values import BadValue, amount_example, date_example, parse_amount, parse_date

_SPACES = " \u00a0"
# A record the csv module could not read: the code of its problem in place of its fields.
FIELD_TOO_LONG = "file.field_too_long"
UNPARSABLE = "file.row_unparsable"
FIELD_LIMIT = 131_072  # characters in one field (Python's default): a longer one is a damaged or foreign file
Record = tuple[int, "list[str] | str"]  # (first line, fields) or (first line, the code of why it cannot be read)


class LedgerRowChecker:
    def __init__(self, label: str, mapping: LedgerMapping, ctx: IntakeContext, layout: Layout, *, xlsx: bool) -> None:
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
        self.delimiter = delimiter_param(mapping.delimiter)
        # what a readable amount and date look like in this file (an XLSX file may also hold Excel dates)
        self.amount_example: Param = amount_example(mapping.decimal, mapping.thousands)
        example = date_example(mapping.date_format)
        self.date_example: Param = (example, Term("intake.excel_date")) if xlsx else example

    def _problem(self, row: int, field: str, code: str, params: dict[str, Param] | None = None,
                 found: str | None = None) -> Problem:
        return Problem(code, params or {}, file=self.label, sheet=self.sheet, row=row,
                       column=self.layout.column(field), found=found)

    def _structure(self, row: int, fields: list[str] | str, last: bool) -> Problem | None:
        """Rows DuckDB rejects: unparsable, too few fields, or extra fields that are not empty."""
        if isinstance(fields, str):
            params: dict[str, Param] = {"delimiter": self.delimiter}
            if fields == FIELD_TOO_LONG:
                params = {"limit": FIELD_LIMIT}
            return Problem(fields, params, file=self.label, row=row)
        found = self.m.delimiter.join(fields)
        if len(fields) < self.width:
            code = "file.last_line_truncated" if last else "file.row_too_few_fields"
            return Problem(code, {"count": self.width, "delimiter": self.delimiter}, file=self.label, row=row,
                           found=found)
        if any(f != "" for f in fields[self.width :]):
            return Problem("file.row_too_many_fields", {"count": self.width, "delimiter": self.delimiter},
                           file=self.label, row=row, found=found)
        return None

    def _undecodable(self, row: int, values: dict[str, str]) -> Problem | None:
        """Bytes the encoding could not decode, in a column that is read (other columns do not matter)."""
        for field, value in values.items():
            bad = [ch for ch in value if "\udc80" <= ch <= "\udcff"]
            if bad:
                hexes = " ".join(f"{ord(ch) - 0xDC00:02x}" for ch in bad)
                return self._problem(row, field, "ledger.bytes_not_utf8", {"bytes": hexes})
        return None

    def check(self, row: int, fields: list[str] | str, *, last: bool = False) -> list[Problem]:
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
            problems.append(self._problem(row, "date", bad.code, {**bad.params, "example": self.date_example},
                                          raw or None))
            return None

    def _cost_centre(self, row: int, values: dict[str, str], day: date | None, problems: list[Problem]) -> None:
        if self.m.unknown.cost_centre_catch_all:
            return
        raw = values["cost_centre"]
        code = self._code(raw, self.cc_pattern)
        if not code:
            if raw.strip():
                problems.append(self._problem(row, "cost_centre", "ledger.cost_centre_no_match",
                                              {"pattern": self.m.cost_centre_pattern}, raw))
            else:
                problems.append(self._problem(row, "cost_centre", "ledger.cost_centre_empty", found=raw or None))
        elif not self.ctx.cost_centre_known(code):
            problems.append(self._problem(row, "cost_centre", "ledger.cost_centre_unknown", found=code))
        elif self.m.fixed is not None:
            year, month = self.m.fixed.year, self.m.fixed.month
            if not self.ctx.cost_centre_valid_in(code, date(year, month, 1), month_end(year, month)):
                problems.append(self._problem(row, "cost_centre", "ledger.cost_centre_not_valid_in", {
                    "code": code, "month": month, "year": year, "validity": self.ctx.validity_texts(code)}, code))
        elif day is not None and not self.ctx.cost_centre_valid(code, day):
            problems.append(self._problem(row, "cost_centre", "ledger.cost_centre_not_valid_on", {
                "code": code, "day": day, "validity": self.ctx.validity_texts(code)}, code))

    def _account(self, row: int, raw: str, account: str, problems: list[Problem]) -> None:
        if self.m.unknown.account_catch_all:
            return
        if not account:
            if raw.strip():
                problems.append(self._problem(row, "account", "ledger.account_no_match",
                                              {"pattern": self.m.account_pattern}, raw))
            else:
                problems.append(self._problem(row, "account", "ledger.account_empty", found=raw or None))
        elif not (account.isascii() and account.isdigit()):
            problems.append(self._problem(row, "account", "ledger.account_not_number", found=account))
        elif not self.ctx.account_known(account):
            problems.append(self._problem(row, "account", "ledger.account_unknown",
                                          {"ranges": self.ctx.range_texts()}, account))

    def _amount(self, row: int, values: dict[str, str], problems: list[Problem]) -> None:
        chars = self.m.thousands_chars()
        if self.m.sign != "debit_credit":
            try:
                parse_amount(values["amount"], self.m.decimal, chars)
            except BadValue as bad:
                problems.append(self._problem(row, "amount", bad.code, {**bad.params, "example": self.amount_example},
                                              values["amount"] or None))
            return
        empty = [f for f in ("debit", "credit") if not values[f].strip(" ")]
        if len(empty) == 2:
            problems.append(self._problem(row, "debit", "ledger.debit_and_credit_empty",
                                          {"example": self.amount_example}))
            return
        for field in ("debit", "credit"):
            if field not in empty:
                try:
                    parse_amount(values[field], self.m.decimal, chars)
                except BadValue as bad:
                    problems.append(self._problem(row, field, bad.code, {**bad.params, "example": self.amount_example},
                                                  values[field]))
