"""Budgets and forecasts: small files with one amount per unit (or cost centre), line (or account) and month.

Default layout, CSV with ';' (',' or tab are recognised from the header), decimal comma or point:

    yksikkö;rivi;kuukausi;summa            # or kustannuspaikka / tili; kuukausi optional
    PESOVA-HALL;Myyntituotot;;1 250 000,00  # empty month = the whole year
    PESOVA-HALL;henkilostokulut;6;-412 000

Header names are matched without regard to case, English names are accepted too. Amounts are in statement
sign (revenues +, costs -) unless the caller says `sign="ledger"`. The files are small, so a Python loop over
the rows is fine here; it gives every problem its exact row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from katsaus.core.errors import Problem
from katsaus.intake.context import IntakeContext, format_ranges
from katsaus.intake.encoding import Checksum, read_text
from katsaus.intake.values import BadValue, parse_plain_amount
from katsaus.intake.xlsx import ROW_COLUMN, column_letters, read_sheet

PlanAmount = tuple[str | None, str | None, str | None, str | None, int | None, int]
PlanSign = Literal["statement", "ledger"]

ALIASES: dict[str, tuple[str, ...]] = {
    "unit": ("yksikkö", "yksikko", "unit"),
    "cost_centre": ("kustannuspaikka", "cost_centre"),
    "line": ("rivi", "line"),
    "account": ("tili", "account"),
    "month": ("kuukausi", "month"),
    "amount": ("summa", "amount"),
}
ALTERNATIVES = (("unit", "cost_centre"), ("line", "account"), ("amount",))
AMOUNT_EXPECTED = "a number like -1 234,56 or -1234.56"


@dataclass(frozen=True)
class PlanResult:
    file: str
    checksum: str
    rows: int
    amounts: list[PlanAmount]
    problems: list[Problem]
    omitted: int = 0

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _header_fields(header: list[str]) -> dict[str, int]:
    folded = [h.strip(" \ufeff\"'").casefold() for h in header]
    fields: dict[str, int] = {}
    for field, names in ALIASES.items():
        for index, name in enumerate(folded):
            if name in names:
                fields[field] = index
                break
    return fields


def _missing(fields: dict[str, int]) -> list[tuple[str, ...]]:
    return [group for group in ALTERNATIVES if not any(f in fields for f in group)]


class _Rows:
    """Records of a CSV or XLSX plan with their row numbers; the header found first."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.header: list[str] = []
        self.sheet: str | None = None
        self.records: Iterator[tuple[int, list[str]]] = iter(())
        self.csv = True

    def open_csv(self, path: Path) -> list[Problem]:
        text, problem = read_text(path, self.label)
        if problem is not None:
            return [problem]
        assert text is not None
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = max((";", ",", "\t"), key=lambda d: (not _missing(_header_fields(_split(first, d))), d == ";"))
        self.header = _split(first, delimiter)
        self.records = _csv_records(text, delimiter)
        return []

    def _column_name(self, index: int, column: int) -> str:
        """The header's name of a sheet column, or its letter where the header has none."""
        name = self.header[index] if 0 <= index < len(self.header) else ""
        return name or column_letters(column)

    def open_xlsx(self, path: Path, sheet: str | None) -> list[Problem]:
        data, problems = read_sheet(path, sheet, 1, self.label)
        if data is None:
            return problems
        self.csv = False
        self.sheet, self.header = data.name, data.header
        errors = [(column, row, shown) for column, row, shown in data.errors if row > data.header_row]
        if errors:  # calamine reads an error cell as empty: a #DIV/0! amount would look like a missing one
            return [Problem(self.label, f"an Excel error cell ({shown}); fix the formula or type the value", row=row,
                            sheet=data.name, column=self._column_name(column - data.first_column, column),
                            expected="a value", found=shown)
                    for column, row, shown in errors]
        names = [c for c in data.rows.columns if c != ROW_COLUMN]

        def records() -> Iterator[tuple[int, list[str]]]:
            for record in data.rows.iter_rows(named=True):
                yield int(record[ROW_COLUMN]), ["" if record[c] is None else str(record[c]) for c in names]

        self.records = records()
        return []


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    for index, fields in enumerate(reader):
        start, previous = previous + 1, reader.line_num
        if index and fields:
            yield start, fields


class _PlanChecker:
    def __init__(self, rows: _Rows, fields: dict[str, int], ctx: IntakeContext, sign: PlanSign) -> None:
        self.rows = rows
        self.fields = fields
        self.ctx = ctx
        self.negate = sign == "ledger"
        self.width = len(rows.header)
        self.units = {u.casefold(): u for u in ctx.unit_codes}
        self.seen: dict[tuple, int] = {}
        self.level: tuple[tuple[bool, bool], int] | None = None  # the first row's level of detail, and its row
        self.whole_year: dict[tuple, int] = {}
        self.monthly: dict[tuple, int] = {}

    def problem(self, row: int, field: str | None, message: str, expected: str | None, found: str | None) -> Problem:
        column = self.rows.header[self.fields[field]] if field else None
        return Problem(self.rows.label, message, row=row, column=column, sheet=self.rows.sheet, expected=expected,
                       found=found)

    def value(self, fields: list[str], field: str) -> str:
        index = self.fields.get(field)
        return fields[index].strip() if index is not None and index < len(fields) else ""

    def structure(self, row: int, fields: list[str], last: bool) -> Problem | None:
        if not self.rows.csv or len(fields) == self.width:
            return None
        if len(fields) > self.width and not any(f.strip() for f in fields[self.width :]):
            return None
        text = ";".join(fields)
        if len(fields) > self.width:
            return Problem(self.rows.label, "the row has too many fields", row=row, expected=f"{self.width} fields",
                           found=text)
        what = "the last line is truncated" if last else "the row has too few fields"
        return Problem(self.rows.label, what, row=row, expected=f"{self.width} fields", found=text)

    def check(self, row: int, fields: list[str], last: bool) -> tuple[PlanAmount | None, list[Problem]]:
        broken = self.structure(row, fields, last)
        if broken is not None:
            return None, [broken]
        problems: list[Problem] = []
        unit, cost_centre = self._organisation(row, fields, problems)
        line, account = self._line(row, fields, problems)
        month = self._month(row, fields, problems)
        cents = self._amount(row, fields, problems)
        if problems or cents is None:
            return None, problems
        duplicate = self._duplicate(row, (unit, cost_centre, line, account), month)
        if duplicate is not None:
            return None, [duplicate]
        mixed = self._mixed_level(row, (unit is not None, line is not None))
        if mixed is not None:
            return None, [mixed]
        return (unit, cost_centre, line, account, month, -cents if self.negate else cents), []

    def _either(self, row: int, fields: list[str], pair: tuple[str, str], what: tuple[str, str],
                problems: list[Problem]) -> tuple[str, str] | None:
        """Exactly one of two alternative columns (unit / cost centre, line / account) must be filled."""
        first, second = (self.value(fields, f) for f in pair)
        if first and second:
            problems.append(self.problem(row, pair[1], f"give either the {what[0]} or the {what[1]}, not both",
                                         f"only one of {what[0]} and {what[1]}", f"{first} / {second}"))
            return None
        if not first and not second:
            present = [(f, w) for f, w in zip(pair, what) if f in self.fields]
            message = f"the {' or '.join(w for _, w in present)} is empty"
            problems.append(self.problem(row, present[0][0], message, "a code", None))
            return None
        return first, second

    def _organisation(self, row: int, fields: list[str], problems: list[Problem]) -> tuple[str | None, str | None]:
        given = self._either(row, fields, ("unit", "cost_centre"), ("unit", "cost centre"), problems)
        if given is None:
            return None, None
        unit, cost_centre = given
        if unit:
            code = self.units.get(unit.casefold())
            if code is None:
                problems.append(self.problem(row, "unit", "unknown unit", "a unit code of the organisation", unit))
            return code, None
        if not self.ctx.cost_centre_known(cost_centre):
            problems.append(self.problem(row, "cost_centre", "unknown cost centre",
                                         "a cost centre of the organisation", cost_centre))
        return None, cost_centre

    def _line(self, row: int, fields: list[str], problems: list[Problem]) -> tuple[str | None, str | None]:
        given = self._either(row, fields, ("line", "account"), ("line", "account"), problems)
        if given is None:
            return None, None
        line, account = given
        if line:
            code = self.ctx.line_for(line)
            if code is None:
                derived = line.strip() in self.ctx.derived_lines or line.strip().casefold() in {
                    d.casefold() for d in self.ctx.derived_lines}
                why = ("a derived line (a sum of other lines): plans are given for the lines it sums" if derived
                       else "unknown statement line")
                problems.append(self.problem(row, "line", why,
                                             "a line code or the Finnish name of a leaf line of the scheme", line))
            return code, None
        if not self.ctx.account_known(account):
            problems.append(self.problem(row, "account", "the account is not in any statement line's account ranges",
                                         f"an account in {format_ranges(self.ctx.leaf_account_ranges)}", account))
        return None, account

    def _month(self, row: int, fields: list[str], problems: list[Problem]) -> int | None:
        text = self.value(fields, "month")
        if not text:
            return None
        number = text[:-2] if text.endswith(".0") else text  # an XLSX number cell
        if not number.isdigit() or not 1 <= int(number) <= 12:
            problems.append(self.problem(row, "month", "not a month", "1-12, or empty for the whole year", text))
            return None
        return int(number)

    def _amount(self, row: int, fields: list[str], problems: list[Problem]) -> int | None:
        text = self.value(fields, "amount")
        try:
            return parse_plain_amount(text)
        except BadValue as bad:
            problems.append(self.problem(row, "amount", bad.reason, AMOUNT_EXPECTED, text or None))
            return None

    def _mixed_level(self, row: int, level: tuple[bool, bool]) -> Problem | None:
        """A unit's figure and a figure of one of its cost centres (or a line's and an account's) in one file
        could be the same money twice: one file gives one level of detail."""
        if self.level is None:
            self.level = (level, row)
            return None
        first, first_row = self.level
        if level == first:
            return None
        def said(of: tuple[bool, bool]) -> str:
            return f"{'unit' if of[0] else 'cost centre'} and {'line' if of[1] else 'account'}"
        return self.problem(row, None, f"another level of detail than row {first_row} ({said(first)}): a file "
                            "gives every figure at one level, or the same money could count twice",
                            f"a figure by {said(first)}", f"a figure by {said(level)}")

    def _duplicate(self, row: int, key: tuple, month: int | None) -> Problem | None:
        """The same target twice, or a whole year next to months, would count an amount twice."""
        if (key, month) in self.seen:
            return self.problem(row, None, f"the same target and month are already on row {self.seen[key, month]}",
                                "each unit/cost centre, line/account and month once", _describe(key, month))
        self.seen[key, month] = row
        other = self.monthly if month is None else self.whole_year
        if key in other:
            return self.problem(row, "month" if "month" in self.fields else None,
                                f"row {other[key]} gives the same target "
                                f"{'by month' if month is None else 'for the whole year'}",
                                "either months or the whole year for one target", _describe(key, month))
        (self.whole_year if month is None else self.monthly).setdefault(key, row)
        return None


def _describe(key: tuple, month: int | None) -> str:
    parts = [p for p in key if p]
    return " / ".join(parts + [f"month {month}" if month else "whole year"])


def _sort_key(amount: PlanAmount) -> tuple:
    unit, cost_centre, line, account, month, _ = amount
    return (unit or "", cost_centre or "", line or "", account or "", month or 0)


def read_plan(
    path: Path | str,
    ctx: IntakeContext,
    *,
    sign: PlanSign = "statement",
    sheet: str | None = None,
    max_problems: int = 50,
) -> PlanResult:
    """Read a budget or forecast file; amounts come back in statement sign, exact cents."""
    path = Path(path)
    label = str(path)
    if not path.is_file():
        return PlanResult(label, "", 0, [], [Problem(label, "file not found")])
    checksum = Checksum(path)
    rows = _Rows(label)
    is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    problems = rows.open_xlsx(path, sheet) if is_xlsx else rows.open_csv(path)
    count, amounts = 0, []
    if not problems:
        count, amounts, problems = _read_rows(rows, ctx, sign)
    cap = max(1, max_problems)
    return PlanResult(label, checksum.result(), count, sorted(amounts, key=_sort_key), problems[:cap],
                      max(0, len(problems) - cap))


def _missing_problem(rows: _Rows, group: tuple[str, ...]) -> Problem:
    shown = ", ".join(rows.header) or "(an empty row)"
    wanted = " or ".join(repr(ALIASES[f][0]) for f in group)
    return Problem(
        rows.label, f"column {wanted} is missing; the header has: {shown}", row=1, sheet=rows.sheet,
        column=ALIASES[group[0]][0], expected=" or ".join(name for f in group for name in ALIASES[f]), found=shown,
    )


def _read_rows(rows: _Rows, ctx: IntakeContext, sign: PlanSign) -> tuple[int, list[PlanAmount], list[Problem]]:
    fields = _header_fields(rows.header)
    missing = _missing(fields)
    if missing:
        shown = ", ".join(rows.header) or "(an empty row)"
        return 0, [], [_missing_problem(rows, group) for group in missing]
    checker = _PlanChecker(rows, fields, ctx, sign)
    amounts: list[PlanAmount] = []
    problems: list[Problem] = []
    count = 0
    records = list(rows.records)
    for position, (row, values) in enumerate(records):
        if not any(v.strip() for v in values):
            continue
        count += 1
        amount, found = checker.check(row, values, last=position == len(records) - 1)
        problems.extend(found)
        if amount is not None:
            amounts.append(amount)
    if count == 0:
        problems.append(Problem(rows.label, "the file has a header but no data rows", row=2, sheet=rows.sheet,
                                expected="data rows after the header", found="nothing"))
    return count, amounts, problems
