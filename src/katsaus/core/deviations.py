"""Which statement lines of a unit need a deviation explanation: the year-end forecast differs from the budget by
more than the template's threshold (docs/configuration.md, `template.deviation_threshold_*`).

Read from the finished report model (the unit's statement tables, their budget and forecast columns of the
report's year): no figure is computed again here, only the forecast minus the budget of each line. Plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .errors import Money, Percent, Problem
from .model import Cell, Column, Report, Table


@dataclass(frozen=True)
class Threshold:
    """A line needs an explanation when its deviation exceeds every threshold given (None: not applied).
    With neither given, no line needs one."""

    percent: Decimal | None = None  # of the budget's absolute value
    cents: int | None = None

    @property
    def applies(self) -> bool:
        return self.percent is not None or self.cents is not None


@dataclass(frozen=True)
class Deviation:
    line_code: str
    label: str
    table: str  # the table the line was read from
    budget: Cell
    forecast: Cell
    budget_column: Column
    forecast_column: Column

    @property
    def cents(self) -> int:
        """Forecast minus budget (an empty cell counts as 0)."""
        return (self.forecast.cents or 0) - (self.budget.cents or 0)

    @property
    def share(self) -> Fraction | None:
        """The deviation as a fraction of the budget's absolute value; None when the budget is 0 or empty."""
        base = abs(self.budget.cents or 0)
        return Fraction(abs(self.cents), base) if base else None


def exceeds(deviation: Deviation, threshold: Threshold) -> bool:
    if not threshold.applies or deviation.cents == 0:
        return False
    if threshold.cents is not None and abs(deviation.cents) <= threshold.cents:
        return False
    if threshold.percent is not None:
        share = deviation.share  # None: a forecast against no budget at all is more than any percentage
        if share is not None and share * 100 <= Fraction(threshold.percent):
            return False
    return True


def year_column(table: Table, kind: str, year: int) -> int | None:
    """The index of the table's first column of `kind` for the report's year."""
    for index, column in enumerate(table.columns):
        if column.kind == kind and column.year in (None, year):
            return index
    return None


def unit_deviations(report: Report, unit_code: str) -> list[Deviation]:
    """Every figure line of the unit's statement tables with its budget and forecast, each line once (the first
    table that shows it), in the tables' order."""
    out: dict[str, Deviation] = {}
    for table in report.tables:
        if table.unit_code != unit_code or table.rows_by != "line":
            continue
        budget = year_column(table, "budget", report.period.year)
        forecast = year_column(table, "forecast", report.period.year)
        if budget is None or forecast is None:
            continue
        for row in table.rows:
            if row.heading or not row.line_code or row.line_code in out:
                continue
            b, f = row.cells[budget], row.cells[forecast]
            if b.is_empty and f.is_empty:
                continue
            out[row.line_code] = Deviation(row.line_code, row.label, table.key, b, f,
                                           table.columns[budget], table.columns[forecast])
    return list(out.values())


def lines_needing_explanation(report: Report, unit_code: str, threshold: Threshold) -> list[Deviation]:
    return [d for d in unit_deviations(report, unit_code) if exceeds(d, threshold)]


def missing_explanations(needed: list[Deviation], explained: set[str], unit_code: str) -> list[Problem]:
    """A warning for each line that needs an explanation and has none (explained: the lines with a text):
    `check.deviation_explanation.missing`, at the line's row and forecast column, with the deviation."""
    return [Problem("check.deviation_explanation.missing",
                    {"deviation": Money(d.cents), "share": Percent(d.share) if d.share is not None else None},
                    "warning", unit=unit_code, table=d.table, row=d.label, column=d.forecast_column.key)
            for d in needed if d.line_code not in explained]
