"""Monthly cumulative series for the document's charts: actual against budget and forecast, month by month.

Computed here, in core, from the same balances and the same report model as the tables, so that a chart can never
show a figure the tables do not: the actual at the period's last month is the table's actual, the budget and
forecast lines end at the tables' annual figures. Renderers only draw.

The budget and forecast are annual figures; a cumulative line needs a shape through the year. "time" spreads them
evenly (month m holds m/12 of the year); "last_year" follows the unit's own cumulative actual of the previous year
(its seasonality: holiday pay in June, summer substitutes in July, December accruals), and falls back to "time"
for a unit whose previous year is incomplete or sums to zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from .errors import Problem
from .facts import Balance, Facts, remembered
from .model import Cell, Report, Table
from .org import OrgTree
from .periods import Period
from .rounding import round_to
from .scheme import Scheme
from .statement import actual_own_values, all_lines, roll_up
from .template import Template

Profile = Literal["last_year", "time"]


@dataclass(frozen=True)
class CumulativeSeries:
    """One unit's line (e.g. toimintakate) month by month, cumulative, in exact cents (statement sign)."""

    unit_code: str
    unit_name: str
    line_code: str
    line_label: str
    period: Period  # the report's: `actual` has period.month values
    actual: tuple[int | None, ...]  # months 1..period.month; None: no entries at all by then
    budget_name: str | None
    budget_total: int | None  # the year's budget as the tables show it (unrounded cents)
    budget: tuple[int, ...]  # 12 cumulative values in the profile's shape (empty without a budget)
    forecast_name: str | None
    forecast_total: int | None
    forecast: tuple[int, ...]
    profile: Profile  # the shape actually used (a unit without a usable previous year gets "time")
    profile_year: int | None = None  # the year whose months gave the shape

    @property
    def actual_to_date(self) -> int | None:
        return self.actual[-1] if self.actual else None

    @property
    def realisation(self) -> Fraction | None:
        """Actual to date / the year's budget, exactly (the tables' TOT-%); None without a base."""
        if not self.budget_total or self.actual_to_date is None:
            return None
        return Fraction(self.actual_to_date, self.budget_total)

    @property
    def benchmark(self) -> Fraction:
        """The time-proportional share of the year after the period's months: 1/2 at 1–6."""
        return Fraction(self.period.month, 12)

    @property
    def budget_to_date(self) -> int | None:
        return self.budget[self.period.month - 1] if self.budget else None


@dataclass(frozen=True)
class RealisationBar:
    unit_code: str
    unit_name: str
    ratio: Fraction | None  # actual / budget, exact; None when the budget is 0 or missing
    actual: int | None
    budget: int | None


@dataclass(frozen=True)
class RealisationChart:
    """Realisation % by unit (the reported unit first, then its children) against the time-proportional line."""

    line_code: str
    line_label: str
    period: Period
    bars: tuple[RealisationBar, ...]

    @property
    def benchmark(self) -> Fraction:
        return Fraction(self.period.month, 12)


@dataclass(frozen=True)
class SeriesSet:
    """Every series the document's charts may ask for, keyed by (unit code, line code)."""

    cumulative: Mapping[tuple[str, str], CumulativeSeries]
    realisation: Mapping[str, RealisationChart]  # by line code

    def cumulative_of(self, unit: str, line: str) -> CumulativeSeries | None:
        return self.cumulative.get((unit, line))


EMPTY = SeriesSet({}, {})


# --- figures from the report's tables --------------------------------------------------------------------


def table_cell(report: Report, unit: str, line: str, kind: str) -> tuple[Cell | None, str | None]:
    """The first cell of a this-year column of `kind` for a unit's line in any table, and its version name."""
    for table in report.tables:
        if table.unit_code != unit or not any(r.line_code == line for r in table.rows):
            continue
        for column, cell in zip(table.columns, table.row(line).cells):
            if column.kind == kind and column.year == report.period.year:
                return cell, column.version
    return None, None


def ratio_cell(report: Report, unit: str, line: str) -> Cell | None:
    """The unit's realisation: the ratio column whose numerator is this year's actual (TOT-%)."""
    for table in report.tables:
        if table.unit_code != unit or not any(r.line_code == line for r in table.rows):
            continue
        row = table.row(line)
        for column, cell in zip(table.columns, row.cells):
            if column.kind == "ratio" and column.year == report.period.year and realisation_column(report, table, column.key):
                return cell
    return None


def realisation_column(report: Report, table: Table, key: str) -> bool:
    """A ratio column of actual over budget (read from the report's structure when it is known)."""
    formulas = {k: (first, second) for k, kind, first, second in report.structure.column_formulas if kind == "ratio"}
    kinds = {c.key: c.kind for c in table.columns}
    if key in formulas:
        numerator, denominator = formulas[key]
        return kinds.get(numerator) == "actual" and kinds.get(denominator) == "budget"
    return key == next((c.key for c in table.columns if c.kind == "ratio"), None)  # without structure: the first


def line_label(report: Report, scheme: Scheme, line: str, language: str) -> str:
    for table in report.tables:
        for row in table.rows:
            if row.line_code == line:
                return row.label
    return scheme.line(line).name(language)


# --- monthly actuals -----------------------------------------------------------------------------------


UnitLines = dict[str, dict[str, int | None]]  # unit -> line -> cents of one month


def monthly_values(
    org: OrgTree, scheme: Scheme, facts: Facts, period: Period, internal: str, units: tuple[str, ...]
) -> list[UnitLines]:
    """Month 1..period.month: every unit's line values of that month alone (rolled up, derived lines evaluated)."""
    own = remembered(facts, ("monthly own", period, internal),
                     lambda: monthly_own_values(org, scheme, facts.balances(period), internal, period.month))
    return [all_lines(scheme, roll_up(org, units, month)) for month in own]


def monthly_own_values(
    org: OrgTree, scheme: Scheme, balances: Iterable[Balance], internal: str, months: int
) -> list[dict[str, dict[str, int | None]]]:
    """Month 1..`months`: every unit's own leaf-line values of that month alone."""
    by_month: dict[int, list[Balance]] = defaultdict(list)
    for balance in balances:
        by_month[balance.month].append(balance)
    ignored: list[Problem] = []  # the report already warned about unplaced balances
    return [actual_own_values(org, scheme, by_month.get(m, ()), internal, ignored) for m in range(1, months + 1)]


def cumulate(monthly: list[UnitLines], unit: str, line: str) -> tuple[int | None, ...]:
    """Running sums; None until the first month with entries (an empty month after that adds 0)."""
    out: list[int | None] = []
    total: int | None = None
    for values in monthly:
        value = values.get(unit, {}).get(line)
        if value is not None:
            total = (total or 0) + value
        out.append(total)
    return tuple(out)


def shape(previous: tuple[int | None, ...] | None, wanted: Profile) -> tuple[tuple[Fraction, ...], Profile]:
    """The cumulative share of the year at each month 1..12, and the profile it follows."""
    time = tuple(Fraction(m, 12) for m in range(1, 13))
    if wanted == "time" or previous is None or len(previous) < 12:
        return time, "time"
    total = previous[-1]
    if not total or any(v is None for v in previous):
        return time, "time"
    return tuple(Fraction(v or 0, total) for v in previous), "last_year"


def spread(total: int | None, shares: tuple[Fraction, ...]) -> tuple[int, ...]:
    """An annual figure as cumulative cents along the shares (the last is the total exactly)."""
    if total is None:
        return ()
    # half to even, as round() did here before; the last share is 1, so the last value is the total exactly
    return tuple(int(round_to(total * share, 0, "half_even")) for share in shares)


# --- building -----------------------------------------------------------------------------------------


def build_series(
    org: OrgTree,
    scheme: Scheme,
    template: Template,
    report: Report,
    facts: Facts,
    lines: Iterable[str] | None = None,
    language: str = "fi",
) -> SeriesSet:
    """The cumulative series of the reported unit and its children, and their realisation chart, per line.

    `lines` defaults to the lines the template's chart parts name.
    """
    wanted = tuple(dict.fromkeys(lines if lines is not None else chart_lines(template)))
    if not wanted or not org.has_unit(report.unit_code):
        return EMPTY
    units = (report.unit_code, *org.children(report.unit_code))
    rolled = org.descendants(report.unit_code)
    internal = template.conventions.internal
    period = report.period
    current = monthly_values(org, scheme, facts, period, internal, rolled)
    previous = None
    if template.document.profile == "last_year":
        last_year = period.shifted(-1).whole_year()
        previous = monthly_values(org, scheme, facts, last_year, internal, rolled)
    cumulative = {}
    realisation = {}
    for line in wanted:
        label = line_label(report, scheme, line, language)
        for unit in units:
            cumulative[(unit, line)] = unit_series(report, org, unit, line, label, current, previous, template, language)
        realisation[line] = realisation_chart(report, org, units, line, label, language)
    return SeriesSet(cumulative, realisation)


def chart_lines(template: Template) -> tuple[str, ...]:
    return tuple(
        part.line
        for section in template.document_sections()
        for part in section.parts
        if part.kind == "chart" and part.chart in ("cumulative", "realisation")
    )


def unit_series(
    report: Report,
    org: OrgTree,
    unit: str,
    line: str,
    label: str,
    current: list[UnitLines],
    previous: list[UnitLines] | None,
    template: Template,
    language: str,
) -> CumulativeSeries:
    budget, budget_name = table_cell(report, unit, line, "budget")
    forecast, forecast_name = table_cell(report, unit, line, "forecast")
    shares, used = shape(cumulate(previous, unit, line) if previous is not None else None, template.document.profile)
    budget_total = budget.cents if budget else None
    forecast_total = forecast.cents if forecast else None
    return CumulativeSeries(
        unit_code=unit,
        unit_name=org.unit(unit).name(language),
        line_code=line,
        line_label=label,
        period=report.period,
        actual=cumulate(current, unit, line),
        budget_name=budget_name,
        budget_total=budget_total,
        budget=spread(budget_total, shares),
        forecast_name=forecast_name,
        forecast_total=forecast_total,
        forecast=spread(forecast_total, shares),
        profile=used,
        profile_year=report.period.year - 1 if used == "last_year" else None,
    )


def realisation_chart(
    report: Report, org: OrgTree, units: tuple[str, ...], line: str, label: str, language: str
) -> RealisationChart:
    bars = []
    for unit in units:
        budget, _ = table_cell(report, unit, line, "budget")
        actual, _ = table_cell(report, unit, line, "actual")
        ratio = ratio_cell(report, unit, line)
        if budget is None and actual is None:
            continue  # the unit has no table with this line: nothing to show
        bars.append(
            RealisationBar(
                unit_code=unit,
                unit_name=org.unit(unit).name(language),
                ratio=ratio.ratio if ratio is not None else None,
                actual=actual.cents if actual else None,
                budget=budget.cents if budget else None,
            )
        )
    return RealisationChart(line, label, report.period, tuple(bars))
