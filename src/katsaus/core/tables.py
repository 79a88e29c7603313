"""The report model's tables: cells, columns, rows and tables, and the conventions they are presented by.

The parts of the report model that the rest of it is built from, in a module of their own so that both the
report (`core.model`) and what is resolved against its tables (`core.narrative`) import them without importing
each other. `core.model` re-exports every name here.

Amounts are exact cents (``int``) or ``None`` when there were no entries at all; ratios are exact ``Fraction``
values or ``None`` with ``zero_base=True`` when the base was 0 or empty. Nothing here is rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from .errors import NotFound, Problem

ColumnKind = Literal["budget", "forecast", "actual", "ratio", "difference", "text"]
CellKind = Literal["amount", "ratio", "text"]
EmptyShow = Literal["blank", "zero", "dash"]


@dataclass(frozen=True)
class Conventions:
    """How the template wants numbers presented."""

    amount_unit: int = 1000
    percent_decimals: int = 1
    zero_base: EmptyShow = "zero"
    empty: EmptyShow = "blank"
    rounding: Literal["half_up", "half_even"] = "half_up"
    internal: Literal["exclude", "include", "only"] = "exclude"
    locale: str = "fi"
    style: Literal["print", "plain"] = "print"  # plain: machine-readable numbers (open data)
    amount_decimals: int = 0  # 2 prints cents: "6 228 970,36"
    zero: EmptyShow = "zero"  # what an amount of exactly 0 shows


@dataclass(frozen=True)
class Cell:
    kind: CellKind
    cents: int | None = None
    ratio: Fraction | None = None
    zero_base: bool = False
    text: str = ""  # a text cell's words (a unit's code, a binding-level marker); blank in a heading row

    @property
    def is_empty(self) -> bool:
        if self.kind == "text":
            return not self.text
        return self.cents is None if self.kind == "amount" else self.ratio is None and not self.zero_base


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind
    version: str | None = None  # the plan version a budget/forecast column shows
    year: int | None = None
    empty: EmptyShow | None = None  # the column's own `empty` and `zero` conventions (None: the template's)
    zero: EmptyShow | None = None
    line: str | None = None  # in a table of units: the line the column shows
    sign: Literal["as_statement", "reversed"] = "as_statement"  # "reversed": the cells print the opposite sign


@dataclass(frozen=True)
class Row:
    line_code: str
    label: str
    level: int
    cells: tuple[Cell, ...]
    heading: bool = False  # a heading row: a label above its sub-lines, no figures

    def cell(self, columns: tuple[Column, ...], key: str) -> Cell:
        """The row's cell in column `key`; NotFound (`report.column_unknown`) when the table has no such column."""
        for column, cell in zip(columns, self.cells):
            if column.key == key:
                return cell
        raise NotFound(Problem("report.column_unknown", {"column": key, "columns": tuple(c.key for c in columns)},
                               row=self.label, found=key))


@dataclass(frozen=True)
class Table:
    key: str
    output: str
    title: str
    unit_code: str
    unit_name: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    footnotes: tuple[str, ...] = ()
    rows_by: Literal["line", "unit"] = "line"  # "unit": a row per unit (row.line_code is the unit's code)
    label_header: str | None = None  # the label column's header, when the template gives one

    def row(self, line_code: str) -> Row:
        """The row of a line; NotFound (`report.line_not_in_table`) when the table does not show it."""
        for row in self.rows:
            if row.line_code == line_code:
                return row
        raise NotFound(Problem("report.line_not_in_table", {"line": line_code}, unit=self.unit_code, table=self.key,
                               found=line_code))


@dataclass(frozen=True)
class VersionInfo:
    name: str
    kind: Literal["budget", "forecast"]
    year: int
    effective_date: str | None = None
    decision_ref: str | None = None
    author: str | None = None
