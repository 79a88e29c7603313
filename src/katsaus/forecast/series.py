"""From stored facts to forecast series (unit × leaf line, monthly, statement sign) and to suggestions.

Forecasts are stored at the units that own cost centres × the scheme's leaf lines; parent units and derived
lines roll up in the report like any plan. History is *restated*: a cost centre that belongs to a unit at
the period's end brings its earlier months to that unit, so a reorganisation does not cut the history of the
cost centres that moved. A cost centre no longer valid keeps its history at the unit it had then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from katsaus.core import forecast_model
from katsaus.core.facts import Balance, Facts, PlanVersion
from katsaus.core.forecast import MONTHS, Estimate, PooledRecord, SeriesData, forecast, pooled_record
from katsaus.core.org import OrgTree
from katsaus.core.periods import Period, month_end
from katsaus.core.scheme import Scheme
from katsaus.core.statement import in_force, include_balance, newest, plan_own_values

Key = tuple[str, str]  # (unit, leaf line)
YEARS_BACK = 5  # how many earlier years a suggestion may read


@dataclass(frozen=True)
class Suggestion:
    unit: str
    line: str
    estimate: Estimate
    budget: int | None
    to_date: int | None  # actual months 1..N in statement sign; None when there were no entries


def owning_units(org: OrgTree) -> list[str]:
    """Units that own cost centres, in the organisation's order: where forecasts are stored."""
    owners = {c.unit for c in org.cost_centres}
    return [u.code for u in org.units if u.code in owners]


def unit_for(org: OrgTree, cost_centre: str, year: int, month: int, period_end: date) -> str | None:
    """The unit today if the cost centre is valid today (restated history), else its unit then."""
    return org.unit_of(cost_centre, period_end) or org.unit_of(cost_centre, month_end(year, month))


def monthly(
    org: OrgTree, scheme: Scheme, balances: Iterable[Balance], period_end: date, internal: str = "exclude"
) -> tuple[dict[Key, dict[int, int]], set[int]]:
    """Statement-sign sums per (unit, leaf line) and month, and the months that had any balance at all."""
    values: dict[Key, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    months: set[int] = set()
    for b in balances:
        months.add(b.month)
        if not include_balance(b.internal, internal):
            continue
        line = scheme.line_of_account(b.account)
        unit = unit_for(org, b.cost_centre, b.year, b.month, period_end)
        if line is None or unit is None:
            continue  # the report warns about these; a forecast has nowhere to put them either
        values[unit, line][b.month] += scheme.to_statement_sign(b.cents)
    return values, months


def year_tuple(by_month: dict[int, int] | None, months: int = MONTHS) -> tuple[int, ...] | None:
    if by_month is None:
        return None
    return tuple(by_month.get(m, 0) for m in range(1, months + 1))


def missing_months(facts: Facts, period: Period) -> list[int]:
    """The months 1..N of the period's year for which the ledger holds no balance at all: a forecast from them
    would take a month not yet imported for a month of zero spending (and at month 12, the half year for the
    year-end)."""
    held = facts.months_held(period)
    return [m for m in range(1, period.month + 1) if m not in held]


def situations(
    facts: Facts, org: OrgTree, scheme: Scheme, period: Period, internal: str = "exclude", years_back: int = YEARS_BACK
) -> dict[Key, SeriesData]:
    """Every series' earlier complete years and this year's months 1..N, as the forecast sees them.

    Earlier years are read back from the previous year until a year is not complete (the ledger does not
    hold all its 12 months): an incomplete year would look like a drop in spending.
    """
    current, _ = monthly(org, scheme, facts.balances(period), period.end, internal)
    earlier: list[dict[Key, dict[int, int]]] = []
    for year in range(period.year - 1, period.year - 1 - years_back, -1):
        values, months = monthly(org, scheme, facts.balances(Period(year, MONTHS)), period.end, internal)
        if len(months) < MONTHS:
            break
        earlier.insert(0, values)
    keys = set(current) | {k for year in earlier for k in year}
    return {
        key: SeriesData(
            tuple(year_tuple(year.get(key)) for year in earlier),
            year_tuple(current.get(key, {}), period.month) or (),
        )
        for key in keys
    }


def unit_line_plan(facts: Facts, org: OrgTree, scheme: Scheme, version: str | None, period: Period,
                   internal: str = "exclude") -> dict[Key, int]:
    """A budget or forecast version's whole-year figures at (unit, leaf line)."""
    if version is None:
        return {}
    own = plan_own_values(org, scheme, facts.plan_amounts(version), period, internal, [])
    return {(unit, line): cents for unit, lines in own.items() for line, cents in lines.items() if cents is not None}


def in_force_budget(versions: Iterable[PlanVersion], period: Period) -> PlanVersion | None:
    """The latest budget version of the year effective by the period's end: the report's "in_force" rule."""
    return newest(in_force(versions, "budget", period.year, period.end))


def suggest(
    facts: Facts,
    org: OrgTree,
    scheme: Scheme,
    period: Period,
    budget_version: str | None,
    internal: str = "exclude",
    years_back: int = YEARS_BACK,
    report: Callable[[str, float], None] = lambda stage, fraction: None,
) -> list[Suggestion]:
    """A suggested year-end figure for every unit × leaf line that has entries or a budget. `report` is told
    the stage and the fraction done (a progress bar)."""
    report("reading the monthly balances", 0.0)
    series = situations(facts, org, scheme, period, internal, years_back)
    report("scoring the methods on the earlier years", 0.1)
    # every unit × line series is a peer of the others: their earlier years tell which methods to trust
    pool = pooled_record([data.history for data in series.values()], period.month)
    budgets = unit_line_plan(facts, org, scheme, budget_version, period, internal)
    order = {code: i for i, code in enumerate(u.code for u in org.units)}
    lines = {line.code: i for i, line in enumerate(scheme.leaf_lines())}
    keys = sorted(set(series) | set(budgets), key=lambda k: (order.get(k[0], len(order)), lines.get(k[1], 0)))
    forecastable = [k for k in keys if k in series and (any(series[k].to_date) or any(y is not None for y in series[k].history))]
    model = None
    if forecast_model.SUGGESTION == "model":
        report("learning the model from all series' earlier years", 0.3)
        model = forecast_model.global_model([series[k].history for k in sorted(series)], period.month)  # sorted: the same model every run
    report("forecasting each unit × line", 0.5)
    made = suggestions_of([SeriesData(series[k].history, series[k].to_date, budgets.get(k)) for k in forecastable],
                          pool, model)
    estimates = dict(zip(forecastable, made))
    out: list[Suggestion] = []
    for key in keys:
        estimate = estimates.get(key)
        if estimate is None:
            # nothing booked yet, ever: the budget is the only information there is
            budget = budgets.get(key)
            if budget is None:
                continue
            estimate = forecast(SeriesData((), (0,) * period.month, budget), "budget")
        to_date = sum(series[key].to_date) if key in series and any(series[key].to_date) else None
        out.append(Suggestion(key[0], key[1], estimate, budgets.get(key), to_date))
    return out


def suggestions_of(datas: list[SeriesData], pool: PooledRecord, model: forecast_model.GlobalModel | None) -> list[Estimate]:
    """Every series' suggestion: version 3.2's pooled combination (round 6 kept it, docs/forecasting.md), or with a
    model (forecast_model.SUGGESTION "model") the global model mixed with it. Either way the units are not moved
    toward a separate forecast of their line's total: a parent's or the county's figure is the sum of its units
    (bottom-up), as the report rolls plans up; the diagonal-MinT reconciliation was scored in the backtest only."""
    if model is not None:
        return forecast_model.global_suggestions(datas, model, pool)
    return [forecast(data, "suggested", pool) for data in datas]
