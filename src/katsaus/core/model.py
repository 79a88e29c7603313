"""The report model: one typed, immutable result of the computation, presented late by the renderers.

Amounts are exact cents (``int``) or ``None`` when there were no entries at all; ratios are exact
``Fraction`` values or ``None`` with ``zero_base=True`` when the base was 0 or empty. Nothing here is rounded:
rounding belongs to presentation, with the conventions carried in :class:`Conventions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the content results live in their own modules, which import this one
    from .balancing import BalancingTable
    from .forecast_basis import ForecastBasis
    from .goals import GoalResult, KeyResultRow, Metric
    from .narrative import NarrativeResult

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
        for column, cell in zip(columns, self.cells):
            if column.key == key:
                return cell
        raise KeyError(f"no column {key!r}; columns are {[c.key for c in columns]}")


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
        for row in self.rows:
            if row.line_code == line_code:
                return row
        raise KeyError(f"table {self.key!r} of unit {self.unit_code!r} has no line {line_code!r}")


@dataclass(frozen=True)
class VersionInfo:
    name: str
    kind: Literal["budget", "forecast"]
    year: int
    effective_date: str | None = None
    decision_ref: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Structure:
    """What the checks need to know about how the report's figures relate (core.content.describe_structure).

    line_terms: each derived line's terms as (line, sign); unit_parents: (unit, parent or None) in presentation
    order; column_formulas: (column key, kind, first, second) for ratio (numerator, denominator) and difference
    (minuend, subtrahend) columns; column_years: (column key, year offset) of every column.
    """

    line_terms: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
    unit_parents: tuple[tuple[str, str | None], ...] = ()
    column_formulas: tuple[tuple[str, str, str, str], ...] = ()
    column_offsets: tuple[tuple[str, int], ...] = ()

    def terms(self, line: str) -> tuple[tuple[str, int], ...]:
        return dict(self.line_terms).get(line, ())

    def children(self, unit: str) -> tuple[str, ...]:
        return tuple(code for code, parent in self.unit_parents if parent == unit)

    def offset(self, column: str) -> int:
        return dict(self.column_offsets).get(column, 0)


@dataclass(frozen=True)
class Report:
    organisation: str
    unit_code: str
    unit_name: str
    period_year: int
    period_month: int
    template_code: str
    conventions: Conventions
    tables: tuple[Table, ...]
    versions: tuple[VersionInfo, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    # goals, key results, the balancing programme and narratives (core.content.attach_content)
    goals: tuple["GoalResult", ...] = field(default=())
    key_results: tuple["KeyResultRow", ...] = field(default=())
    balancing: "BalancingTable | None" = None
    narratives: tuple["NarrativeResult", ...] = field(default=())
    metrics: tuple["Metric", ...] = field(default=())
    short_names: tuple[tuple[str, str], ...] = field(default=())  # unit code -> the name goal tables print
    structure: Structure = field(default=Structure())
    forecast_basis: "ForecastBasis | None" = None  # where the forecast column's figures came from (core.forecast_basis)
    narratives_expected: bool = True  # false: the organisation writes none, so none is reported missing

    @property
    def period_label(self) -> str:
        return f"1-{self.period_month}/{self.period_year}"

    def outputs(self) -> tuple[str, ...]:
        """Output groups in template order, each once."""
        seen: list[str] = []
        for table in self.tables:
            if table.output not in seen:
                seen.append(table.output)
        return tuple(seen)

    def tables_of(self, output: str) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.output == output)

    def table(self, key: str, unit_code: str) -> Table:
        for table in self.tables:
            if table.key == key and table.unit_code == unit_code:
                return table
        raise KeyError(f"no table {key!r} for unit {unit_code!r}")
