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

from katsaus.core.errors import Param, Problem, Term
from katsaus.intake.context import IntakeContext
from katsaus.intake.encoding import Checksum, read_text
from katsaus.intake.layout import delimiter_param
from katsaus.intake.values import BadValue, parse_plain_amount
from katsaus.intake.xlsx import ROW_COLUMN, column_letters, error_cell, read_sheet

PlanAmount = tuple[str | None, str | None, str | None, str | None, int | None, int]
PlanSign = Literal["statement", "ledger"]
Target = tuple[str | None, str | None, str | None, str | None]  # unit, cost centre, line, account

ALIASES: dict[str, tuple[str, ...]] = {
    "unit": ("yksikkö", "yksikko", "unit"),
    "cost_centre": ("kustannuspaikka", "cost_centre"),
    "line": ("rivi", "line"),
    "account": ("tili", "account"),
    "month": ("kuukausi", "month"),
    "amount": ("summa", "amount"),
}
ALTERNATIVES = (("unit", "cost_centre"), ("line", "account"), ("amount",))
AMOUNT_EXAMPLE = ("-1 234,56", "-1234.56")


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
        self.delimiter = ";"

    def open_csv(self, path: Path) -> list[Problem]:
        text, problem = read_text(path, self.label)
        if problem is not None:
            return [problem]
        assert text is not None
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = max((";", ",", "\t"), key=lambda d: (not _missing(_header_fields(_split(first, d))), d == ";"))
        self.delimiter = delimiter
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
            return [error_cell(self.label, data.name, row, self._column_name(column - data.first_column, column), shown)
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
        self.seen: dict[tuple[Target, int | None], int] = {}
        self.level: tuple[tuple[bool, bool], int] | None = None  # the first row's level of detail, and its row
        self.whole_year: dict[Target, int] = {}
        self.monthly: dict[Target, int] = {}

    def problem(self, row: int, field: str | None, code: str, params: dict[str, Param] | None = None,
                found: str | None = None) -> Problem:
        column = self.rows.header[self.fields[field]] if field else None
        return Problem(code, params or {}, file=self.rows.label, sheet=self.rows.sheet, row=row, column=column,
                       found=found)

    def value(self, fields: list[str], field: str) -> str:
        index = self.fields.get(field)
        return fields[index].strip() if index is not None and index < len(fields) else ""

    def structure(self, row: int, fields: list[str], last: bool) -> Problem | None:
        if not self.rows.csv or len(fields) == self.width:
            return None
        if len(fields) > self.width and not any(f.strip() for f in fields[self.width :]):
            return None
        text = self.rows.delimiter.join(fields)
        params: dict[str, Param] = {"count": self.width, "delimiter": delimiter_param(self.rows.delimiter)}
        if len(fields) > self.width:
            return Problem("file.row_too_many_fields", params, file=self.rows.label, row=row, found=text)
        code = "file.last_line_truncated" if last else "file.row_too_few_fields"
        return Problem(code, params, file=self.rows.label, row=row, found=text)

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

    def _either(self, row: int, fields: list[str], pair: tuple[str, str], codes: tuple[str, str],
                problems: list[Problem]) -> tuple[str, str] | None:
        """Exactly one of two alternative columns (unit / cost centre, line / account) must be filled: `codes`
        say both filled, and neither."""
        first, second = (self.value(fields, f) for f in pair)
        if first and second:
            problems.append(self.problem(row, pair[1], codes[0], found=f"{first} / {second}"))
            return None
        if not first and not second:
            present = [f for f in pair if f in self.fields]
            problems.append(self.problem(row, present[0], codes[1]))
            return None
        return first, second

    def _organisation(self, row: int, fields: list[str], problems: list[Problem]) -> tuple[str | None, str | None]:
        given = self._either(row, fields, ("unit", "cost_centre"),
                             ("plan.unit_and_cost_centre", "plan.unit_or_cost_centre_missing"), problems)
        if given is None:
            return None, None
        unit, cost_centre = given
        if unit:
            code = self.units.get(unit.casefold())
            if code is None:
                problems.append(self.problem(row, "unit", "plan.unit_unknown", found=unit))
            return code, None
        if not self.ctx.cost_centre_known(cost_centre):
            problems.append(self.problem(row, "cost_centre", "plan.cost_centre_unknown", found=cost_centre))
        return None, cost_centre

    def _line(self, row: int, fields: list[str], problems: list[Problem]) -> tuple[str | None, str | None]:
        given = self._either(row, fields, ("line", "account"),
                             ("plan.line_and_account", "plan.line_or_account_missing"), problems)
        if given is None:
            return None, None
        line, account = given
        if line:
            code = self.ctx.line_for(line)
            if code is None:
                derived = line.strip() in self.ctx.derived_lines or line.strip().casefold() in {
                    d.casefold() for d in self.ctx.derived_lines}
                problems.append(self.problem(row, "line", "plan.line_derived" if derived else "plan.line_unknown",
                                             found=line))
            return code, None
        if not self.ctx.account_known(account):
            problems.append(self.problem(row, "account", "plan.account_unknown", {"ranges": self.ctx.range_texts()},
                                         account))
        return None, account

    def _month(self, row: int, fields: list[str], problems: list[Problem]) -> int | None:
        text = self.value(fields, "month")
        if not text:
            return None
        number = text[:-2] if text.endswith(".0") else text  # an XLSX number cell
        if not number.isdigit() or not 1 <= int(number) <= 12:
            problems.append(self.problem(row, "month", "plan.month_invalid", found=text))
            return None
        return int(number)

    def _amount(self, row: int, fields: list[str], problems: list[Problem]) -> int | None:
        text = self.value(fields, "amount")
        try:
            return parse_plain_amount(text)
        except BadValue as bad:
            problems.append(self.problem(row, "amount", bad.code, {**bad.params, "example": AMOUNT_EXAMPLE},
                                         text or None))
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
        return self.problem(row, None, "plan.level_mixed",
                            {"first_row": first_row, "first": _level_term(first), "level": _level_term(level)})

    def _duplicate(self, row: int, key: Target, month: int | None) -> Problem | None:
        """The same target twice, or a whole year next to months, would count an amount twice."""
        target = _describe(key)
        if (key, month) in self.seen:
            first_row = self.seen[key, month]
            if month is None:
                return self.problem(row, None, "plan.duplicate_year", {"target": target, "first_row": first_row})
            return self.problem(row, None, "plan.duplicate_month",
                                {"target": target, "month": month, "first_row": first_row})
        self.seen[key, month] = row
        other = self.monthly if month is None else self.whole_year
        if key in other:
            column = "month" if "month" in self.fields else None
            code = "plan.year_beside_months" if month is None else "plan.months_beside_year"
            return self.problem(row, column, code, {"target": target, "other_row": other[key]})
        (self.whole_year if month is None else self.monthly).setdefault(key, row)
        return None


LEVELS = {(True, True): Term("intake.level.unit_line"), (True, False): Term("intake.level.unit_account"),
          (False, True): Term("intake.level.cost_centre_line"),
          (False, False): Term("intake.level.cost_centre_account")}


def _level_term(level: tuple[bool, bool]) -> Term:
    """(by unit, by line) as words: "yksikkö ja rivi", "kustannuspaikka ja tili"."""
    return LEVELS[level]


def _describe(key: Target) -> str:
    """A plan figure's target as the file names it: 'PESOVA / myyntituotot'."""
    return " / ".join(part for part in key if part)


def _sort_key(amount: PlanAmount) -> tuple[str, str, str, str, int]:
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
        return PlanResult(label, "", 0, [], [Problem("file.not_found", file=label)])
    checksum = Checksum(path)
    rows = _Rows(label)
    is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    problems = rows.open_xlsx(path, sheet) if is_xlsx else rows.open_csv(path)
    count, amounts = 0, list[PlanAmount]()
    if not problems:
        count, amounts, problems = _read_rows(rows, ctx, sign)
    cap = max(1, max_problems)
    return PlanResult(label, checksum.result(), count, sorted(amounts, key=_sort_key), problems[:cap],
                      max(0, len(problems) - cap))


def _missing_problem(rows: _Rows, group: tuple[str, ...]) -> Problem:
    """No column of an alternative (a unit or a cost centre column): the names it may have, the header found."""
    names = tuple(name for f in group for name in ALIASES[f])
    return Problem("plan.column_missing", {"column": ALIASES[group[0]][0], "names": names}, file=rows.label,
                   sheet=rows.sheet, row=1, column=ALIASES[group[0]][0], found=", ".join(rows.header) or None)


def _read_rows(rows: _Rows, ctx: IntakeContext, sign: PlanSign) -> tuple[int, list[PlanAmount], list[Problem]]:
    fields = _header_fields(rows.header)
    missing = _missing(fields)
    if missing:
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
        problems.append(Problem("file.no_data_rows", file=rows.label, sheet=rows.sheet, row=2))
    return count, amounts, problems
