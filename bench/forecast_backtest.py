"""Backtest of the year-end forecast methods on real monthly series.

    .venv/bin/python bench/forecast_backtest.py --data reference/public/uk-council-spending-monthly.csv \
        --fiscal-year-start 4
    .venv/bin/python bench/forecast_backtest.py --data reference/public/uk-council-spending-monthly.csv \
        reference/public/uk-council-spending-monthly-2.csv      # several files: each, then all pooled
    .venv/bin/python bench/forecast_backtest.py --demo

Input (--data): CSV with columns council, month (YYYY-MM), organisational_unit, amount_gbp (the shape of
uk-council-spending-monthly.csv). Every council's total and every council × organisational unit is a series.
A financial year is *complete* for a series when the series has rows in all of its 12 months (for a council
total: the council has rows in every month). For every series and every complete year with at least two
earlier complete years, the year's total is forecast from months 1–3, 1–6 and 1–9 by every method, and the
absolute percentage error against the actual total is recorded. The methods see the series' history as the
ledger held it: every council-complete year before the forecast year (unbroken run), partial years of a unit
included, a year without rows as None. A year whose actual total is 0 has no percentage error and is skipped.

Each method is given only SeriesData(history=earlier complete years, to_date=months 1..N): the months it
forecasts are not in its input. The table is the median absolute percentage error per method and month, at
two levels (council totals; organisational units). A second table says how often the actual year-end fell
inside the suggestion's range (below it, above it) and how wide the range was. The last line compares the
suggested combination with the best of the naive methods (run-rate, profile, last year) at month 6.

The suggested method also gets a pooled record (katsaus.core.forecast.pooled_record): for each level, forecast
year Y and month N, the inner backtest over the earlier years of every series of that level in all councils,
each history ending with its council's last complete year before Y. No month of year Y or later, of any
series, goes into it. --no-pool scores the suggestion without it (the per-series combination).

Round 6 (docs/forecasting.md): "v3.2" is the pooled combination above; "global" the global model (one
gradient-boosted model learned for each forecast year and month from every series of the file, both levels,
on their whole years before it); "blend" the two half and half. The two global candidates are reconciled per
council (--reconcile bu: the council's total is the sum of its live units' estimates; wls: diagonal MinT).
"suggested" repeats the column Katsaus suggests (--suggest to score another). Several --data files are each
backtested on their own (their own pools and models), then their rows are pooled; each report ends with a line
per council (suggested ÷ best naive on its rows at months 6, 3, 9 and 90 % intervals) and the last line.

--demo runs the same backtest on the demo county's synthetic ledger (generated into a temporary folder):
unit × leaf line series and the division's operating costs, calendar years 2021–2024 (2023 and 2024 have
two earlier complete years); January–June 2025 has no year-end to score against.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from katsaus.core.forecast import MONTHS, Estimate, PooledRecord, SeriesData, fiscal_position, forecast, pooled_record
from katsaus.core.forecast_model import (
    MODEL_WEIGHT,
    SUGGESTION,
    GlobalModel,
    bottom_up,
    combined,
    global_model,
    model_values,
    moved,
    reconcile,
    series_scale,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "reference" / "public" / "uk-council-spending-monthly.csv"
FORECAST_MONTHS = (3, 6, 9)
NAIVE = ("run_rate", "profile", "last_year")
# "v3.2" is the pooled combination (forecast(..., "suggested", pool)); "global" the global model alone, "blend"
# the global model and v3.2 half and half (round 6's candidates, both reconciled per council by --reconcile);
# "suggested" is a copy of the one Katsaus suggests (ADOPTED, or --suggest)
CANDIDATES = ("global", "blend")
CANDIDATE_WEIGHT = {"global": 1.0, "blend": 0.5}
ADOPTED = "v3.2" if SUGGESTION == "v3.2" else {1.0: "global", 0.5: "blend"}[MODEL_WEIGHT]
METHODS = ("run_rate", "profile", "last_year", "recent", "rest", "seasonal_rate", "level", "level_fast", "v3.2",
           *CANDIDATES, "suggested")
RECONCILIATIONS = ("bu", "wls", "none")
LEVELS = ("total", "units")

Months = dict[tuple[int, int], int]  # (financial year, month of the financial year) -> cents


@dataclass
class Series:
    level: str  # "total" or "units"
    group: str  # council (or organisation)
    name: str
    months: Months


@dataclass
class Dataset:
    series: list[Series]
    complete: dict[str, list[int]]  # group -> its complete financial years, ascending


# --- reading ---------------------------------------------------------------------------------------------


def read_councils(path: Path, start_month: int) -> Dataset:
    """Council totals and council × unit series in pence, by financial year and month."""
    units: dict[tuple[str, str], Months] = defaultdict(lambda: defaultdict(int))
    seen: dict[str, set[tuple[int, int]]] = defaultdict(set)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year, month = (int(p) for p in row["month"].split("-"))
            position = fiscal_position(year, month, start_month)
            pence = int((Decimal(row["amount_gbp"]) * 100).to_integral_value())
            units[row["council"], row["organisational_unit"]][position] += pence
            seen[row["council"]].add(position)
    return assemble(units, seen)


def assemble(units: dict[tuple[str, str], Months], seen: dict[str, set[tuple[int, int]]]) -> Dataset:
    complete = {g: complete_years(months) for g, months in seen.items()}
    series: list[Series] = []
    totals: dict[str, Months] = defaultdict(lambda: defaultdict(int))
    for (group, name), months in sorted(units.items()):
        series.append(Series("units", group, name, dict(months)))
        for key, cents in months.items():
            totals[group][key] += cents
    series += [Series("total", group, group, dict(months)) for group, months in sorted(totals.items())]
    return Dataset(series, complete)


def complete_years(positions: set[tuple[int, int]]) -> list[int]:
    years = {y for y, _ in positions}
    return sorted(y for y in years if all((y, m) in positions for m in range(1, MONTHS + 1)))


# --- the backtest ----------------------------------------------------------------------------------------


def year_of(series: Series, year: int) -> tuple[int, ...] | None:
    """12 months of a year, or None when the series has no entries in it (a unit not existing then)."""
    values = tuple(series.months.get((year, m), 0) for m in range(1, MONTHS + 1))
    present = any((year, m) in series.months for m in range(1, MONTHS + 1))
    return values if present else None


def series_complete(series: Series, year: int) -> bool:
    """The series has entries in every month of the year (a unit that existed all year)."""
    return all((year, m) in series.months for m in range(1, MONTHS + 1))


def consecutive_before(years: list[int], year: int) -> list[int]:
    """The unbroken run of complete years just before `year` (a gap would shift 'last year')."""
    run: list[int] = []
    wanted = year - 1
    for y in reversed([y for y in years if y < year]):
        if y != wanted:
            break
        run.insert(0, y)
        wanted -= 1
    return run


@dataclass
class Outcome:
    errors: dict[tuple[str, str, int], list[float]]  # (level, method, month) -> absolute % errors
    skipped_zero: int
    fallbacks: dict[tuple[str, str, int], int]
    evaluated_years: dict[str, set[int]]
    members: dict[tuple[str, int], list[str]]  # (level, month) -> the series of each error, in their order
    # (level, month) -> where the actual fell against the suggestion's range: -1 below, 0 inside, 1 above,
    # and the range's width in % of the actual
    ranges: dict[tuple[str, int], list[tuple[int, float]]] = field(default_factory=lambda: defaultdict(list))


def peer_history(series: Series, complete: list[int], year: int) -> tuple[tuple[int, ...] | None, ...]:
    """A peer's earlier years as the pool sees them: its group's unbroken run of complete years ending with
    the last one before `year` (strictly before: no month of the forecast year, of any series)."""
    before = [y for y in complete if y < year]
    return tuple(year_of(series, y) for y in consecutive_before(complete, before[-1] + 1)) if before else ()


def pools(data: Dataset, level: str, year: int, month: int, cache: dict) -> PooledRecord:
    """The pooled record of every series of the level (all groups) on years before `year`, at `month`."""
    key = (level, year, month)
    if key not in cache:
        histories = [peer_history(s, data.complete.get(s.group, []), year) for s in data.series if s.level == level]
        cache[key] = pooled_record([h for h in histories if any(y is not None for y in h)], month)
    return cache[key]


@dataclass(frozen=True)
class Settings:
    pooled: bool = True  # False: v3.2 without the pooled record (the per-series combination, version 2)
    suggest: str = ADOPTED  # which column the last line calls "suggested"
    reconcile: str = "wls"  # how the candidates' units and council totals are made to add up (round 6 chose wls)


def alive(series: Series, year: int, month: int) -> bool:
    """The series has an amount in months 1..N of the year: a unit the reconciliation must count."""
    return any(series.months.get((year, m), 0) != 0 for m in range(1, month + 1))


def situation_of(series: Series, complete: list[int], year: int, month: int) -> SeriesData:
    """Months 1..N of the year and the unbroken run of complete years before it, as the ledger held them."""
    history = tuple(year_of(series, y) for y in consecutive_before(complete, year))
    return SeriesData(history, tuple(series.months.get((year, m), 0) for m in range(1, month + 1)))


def models(data: Dataset, year: int, month: int, cache: dict) -> GlobalModel:
    """The global model for (year, month): every series of both levels, years before `year` only."""
    key = ("model", year, month)
    if key not in cache:
        histories = [peer_history(s, data.complete.get(s.group, []), year) for s in data.series]
        cache[key] = global_model([h for h in histories if any(y is not None for y in h)], month)
    return cache[key]


def candidate_estimates(data: Dataset, year: int, month: int, settings: Settings, cache: dict) -> dict:
    """Each candidate's estimate of every live series of every group whose year `year` is complete, reconciled
    per group: {(candidate, group, name, level): Estimate}."""
    key = ("candidates", year, month)
    if key in cache:
        return cache[key]
    model = models(data, year, month, cache)
    found: dict = {}
    for group in sorted(g for g, years in data.complete.items() if year in years):
        members = [s for s in data.series if s.group == group and alive(s, year, month)]
        situations = [situation_of(s, data.complete[group], year, month) for s in members]
        level_pools = [pools(data, s.level, year, month, cache) for s in members]
        values = model_values(situations, model)  # one batch: the regressor is called once per group
        bases = [forecast(d, "suggested", p) for d, p in zip(situations, level_pools)]
        found.update({("v3.2", group, s.name, s.level): b for s, b in zip(members, bases)})  # the main loop's v3.2
        for name in CANDIDATES:
            estimates = [combined(b, v, model, CANDIDATE_WEIGHT[name]) for b, v in zip(bases, values)]
            found.update(reconciled(name, group, members, situations, level_pools, estimates, settings.reconcile))
    cache[key] = found
    return found


def reconciled(name: str, group: str, members: list[Series], situations: list[SeriesData],
               level_pools: list[PooledRecord], estimates: list[Estimate], how: str) -> dict:
    """The candidate's estimates of one group made to add up: units and the council total."""
    units = {s.name: e.cents for s, e in zip(members, estimates) if s.level == "units"}
    totals = [(s, e) for s, e in zip(members, estimates) if s.level == "total"]
    out = {(name, group, s.name, s.level): e for s, e in zip(members, estimates)}
    if not totals or how == "none":
        return out
    total_series, total_estimate = totals[0]
    if how == "bu":
        figure, adjusted = bottom_up(units), units
    else:
        variance = {s.name: (e.cents * series_scale(d, p)) ** 2
                    for s, d, p, e in zip(members, situations, level_pools, estimates) if s.level == "units"}
        index = members.index(total_series)
        total_variance = (total_estimate.cents * series_scale(situations[index], level_pools[index])) ** 2
        figure, adjusted = reconcile(total_estimate.cents, units, total_variance, variance)
    for s, e in zip(members, estimates):
        if s.level == "units":
            out[name, group, s.name, "units"] = with_cents(e, adjusted[s.name])
    out[name, group, total_series.name, "total"] = with_cents(total_estimate, figure)
    return out


def with_cents(estimate: Estimate, figure: int) -> Estimate:
    low, high = moved(estimate, figure)
    return Estimate(figure, estimate.method, low, high, estimate.requested, estimate.notes, estimate.explanation)


def backtest(data: Dataset, years: set[int] | None = None, min_earlier: int = 2,
             settings: Settings = Settings()) -> Outcome:
    cache: dict = {}
    errors: dict[tuple[str, str, int], list[float]] = defaultdict(list)
    fallbacks: dict[tuple[str, str, int], int] = defaultdict(int)
    evaluated: dict[str, set[int]] = defaultdict(set)
    members: dict[tuple[str, int], list[str]] = defaultdict(list)
    ranges: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
    skipped = 0
    for series in data.series:
        complete = data.complete.get(series.group, [])
        for year in complete:
            if years is not None and year not in years:
                continue
            actual_year = year_of(series, year)
            earlier = consecutive_before(complete, year)
            if not series_complete(series, year) or sum(series_complete(series, y) for y in earlier) < min_earlier:
                continue
            assert actual_year is not None
            actual = sum(actual_year)
            if actual == 0:
                skipped += 1
                continue
            evaluated[series.level].add(year)
            for month in FORECAST_MONTHS:
                # only months 1..N of the year go in: the method cannot see what it forecasts; the history is
                # everything the ledger held then, partial years of a unit included
                situation = situation_of(series, complete, year, month)
                pool = pools(data, series.level, year, month, cache) if settings.pooled else None
                members[series.level, month].append(f"{series.group}/{series.name}")
                found = candidate_estimates(data, year, month, settings, cache) if settings.pooled else {}
                estimates: dict[str, Estimate] = {}
                for method in METHODS:
                    known = found.get((method, series.group, series.name, series.level))
                    if known is not None:  # a candidate, or v3.2 as computed for the candidates
                        estimate = known
                    elif method in CANDIDATES:
                        estimate = estimates["v3.2"]
                    elif method == "suggested":
                        estimate = estimates[settings.suggest]
                    else:
                        estimate = forecast(situation, "suggested" if method == "v3.2" else method, pool)
                    estimates[method] = estimate
                    errors[series.level, method, month].append(abs(estimate.cents - actual) / abs(actual) * 100)
                    fallbacks[series.level, method, month] += estimate.fell_back
                    if method == "suggested":
                        ranges[series.level, month].append(against_range(estimate, actual))
    return Outcome(errors, skipped, fallbacks, evaluated, members, ranges)


def against_range(estimate: Estimate, actual: int) -> tuple[int, float]:
    """Where the actual year-end fell against the estimate's range (-1 below, 0 inside, 1 above) and the
    range's width in % of the actual."""
    low, high = estimate.low_cents, estimate.high_cents
    if low is None or high is None:
        return (0 if actual == estimate.cents else (-1 if actual < estimate.cents else 1)), 0.0
    low, high = min(low, high), max(low, high)
    where = -1 if actual < low else (1 if actual > high else 0)
    return where, (high - low) / abs(actual) * 100


# --- output ----------------------------------------------------------------------------------------------


def mdape(outcome: Outcome, level: str, method: str, month: int) -> float | None:
    values = outcome.errors.get((level, method, month))
    return statistics.median(values) if values else None


def table(outcome: Outcome, title: str) -> list[str]:
    header = "| method | " + " | ".join(f"{lvl} m{m}" for lvl in LEVELS for m in FORECAST_MONTHS) + " |"
    lines = [f"Median absolute percentage error (%), {title}", "", header, "|---" * (1 + len(LEVELS) * 3) + "|"]
    for method in METHODS:
        cells = [fmt(mdape(outcome, lvl, method, m)) for lvl in LEVELS for m in FORECAST_MONTHS]
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    counts = [str(len(outcome.errors.get((lvl, "run_rate", m), []))) for lvl in LEVELS for m in FORECAST_MONTHS]
    lines.append("| *n (series × years)* | " + " | ".join(counts) + " |")
    falls = [str(outcome.fallbacks.get((lvl, "suggested", m), 0)) for lvl in LEVELS for m in FORECAST_MONTHS]
    lines.append("| *suggested fell back* | " + " | ".join(falls) + " |")
    return lines


def range_table(outcome: Outcome) -> list[str]:
    """How often the actual year-end fell inside the suggestion's range, below or above it, and how wide the
    range was: what a controller may read into the range (it is not a statistical interval by construction)."""
    lines = ["The suggestion's range against the actual year-end (share of series-years; width: median, % of the actual)",
             "", "| level, month | n | inside | below | above | width |", "|---|---|---|---|---|---|"]
    for level in LEVELS:
        for month in FORECAST_MONTHS:
            found = outcome.ranges.get((level, month), [])
            if found:
                share = lambda side, found=found: f"{100 * sum(w == side for w, _ in found) / len(found):.1f} %"  # noqa: E731
                width = statistics.median(width for _, width in found)
                lines.append(f"| {level} m{month} | {len(found)} | {share(0)} | {share(-1)} | {share(1)} | {width:.1f} % |")
    return lines


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def summary(outcome: Outcome, method: str = "suggested") -> str:
    parts: list[str] = []
    ratios: list[str] = []
    for level in LEVELS:
        suggested = mdape(outcome, level, method, 6)
        naive = [v for m in NAIVE if (v := mdape(outcome, level, m, 6)) is not None]
        best = min(naive) if naive else None
        parts += [f"suggested_{level}_m6={fmt(suggested)}", f"best_naive_{level}_m6={fmt(best)}"]
        ratio = suggested / best if suggested is not None and best else None
        ratios.append(f"ratio_{level}={'–' if ratio is None else f'{ratio:.3f}'}")
    return " ".join(parts + ratios)


def ratio_of(outcome: Outcome, level: str, month: int, rows: list[int] | None = None,
             suggested: str = "suggested") -> float | None:
    """Suggested ÷ the best naive method, medians over `rows` (all rows when None)."""
    found = outcome.errors.get((level, suggested, month), [])
    rows = list(range(len(found))) if rows is None else rows
    if not rows:
        return None
    best = min(statistics.median([outcome.errors[level, m, month][i] for i in rows]) for m in NAIVE)
    return statistics.median([found[i] for i in rows]) / best if best > 0 else None


def ratio_interval(outcome: Outcome, level: str, month: int = 6, draws: int = 2000, group: str | None = None,
                   by_row: bool = False, method: str = "suggested") -> tuple[float, float] | None:
    """A 90 % interval of suggested ÷ best naive: the series are drawn with replacement (all years of a drawn
    series together, since one series' years are not independent) and the ratio recomputed. Fixed seed.
    group: only that council's rows; by_row: draw rows (years) instead of series — a council's total is one
    series, so its interval can only resample its years."""
    names = outcome.members.get((level, month), [])
    rows_of: dict[str, list[int]] = defaultdict(list)
    for index, name in enumerate(names):
        if group is None or name.split("/", 1)[0] == group:
            rows_of[str(index) if by_row else name].append(index)
    series = sorted(rows_of)
    if len(series) < 2:
        return None
    draw = random.Random(20251130)
    ratios = []
    for _ in range(draws):
        rows = [i for _ in series for i in rows_of[draw.choice(series)]]
        ratio = ratio_of(outcome, level, month, rows, method)
        if ratio is not None:
            ratios.append(ratio)
    ratios.sort()
    return ratios[int(0.05 * len(ratios))], ratios[int(0.95 * len(ratios)) - 1]


def intervals(outcome: Outcome) -> str:
    parts = []
    for level in LEVELS:
        found = ratio_interval(outcome, level)
        count = len(set(outcome.members.get((level, 6), [])))
        parts.append(f"ratio_{level} {'–' if found is None else f'{found[0]:.3f}–{found[1]:.3f}'} ({count} series)")
    return "90 % interval of the month-6 ratios, resampling whole series (2000 draws): " + "; ".join(parts)


def groups_of(outcome: Outcome) -> list[str]:
    return sorted({name.split("/", 1)[0] for names in outcome.members.values() for name in names})


def council_lines(outcome: Outcome, method: str = "suggested") -> list[str]:
    """One line per council: suggested ÷ best naive on its own rows at month 6 (then 3 and 9), each level; the
    units' 90 % interval resampling its units, the total's resampling its years (one series)."""
    lines = []
    for group in groups_of(outcome):
        parts = [f"council={group}"]
        for month in (6, 3, 9):
            for level in LEVELS:
                rows = [i for i, n in enumerate(outcome.members.get((level, month), [])) if n.split("/", 1)[0] == group]
                ratio = ratio_of(outcome, level, month, rows, method)
                parts.append(f"ratio_{level}_m{month}={'–' if ratio is None else f'{ratio:.3f}'}")
        for level, by_row, what in (("total", True, "years"), ("units", False, "series")):
            found = ratio_interval(outcome, level, 6, group=group, by_row=by_row, method=method)
            parts.append(f"interval_{level}_m6={'–' if found is None else f'{found[0]:.3f}–{found[1]:.3f}'}({what})")
        lines.append(" ".join(parts))
    return lines


def merged(outcomes: list[Outcome]) -> Outcome:
    """The rows of several backtests as one (their councils differ, so the series names stay apart)."""
    out = Outcome(defaultdict(list), 0, defaultdict(int), defaultdict(set), defaultdict(list))
    for outcome in outcomes:
        for key, values in outcome.errors.items():
            out.errors[key] += values
        for key, count in outcome.fallbacks.items():
            out.fallbacks[key] += count
        for key, values in outcome.members.items():
            out.members[key] += values
        for key, values in outcome.ranges.items():
            out.ranges[key] += values
        for key, values in outcome.evaluated_years.items():
            out.evaluated_years[key] |= values
        out.skipped_zero += outcome.skipped_zero
    return out


def report(outcome: Outcome, title: str, also: tuple[str, ...] = ()) -> list[str]:
    """The month-3/6/9 table, the range table, the intervals, the per-council lines and the last line; for each
    column in `also`, its per-council lines and summary first, each prefixed with [its name]."""
    lines = table(outcome, title) + [""]
    lines.append(f"evaluated financial years: totals {sorted(outcome.evaluated_years['total'])}; "
                 f"{outcome.skipped_zero} series-years with a zero total skipped")
    lines += [""] + range_table(outcome) + [""]
    lines.append(intervals(outcome))
    for method in also:
        lines += [f"[{method}] {line}" for line in council_lines(outcome, method) + [summary(outcome, method)]]
    lines += council_lines(outcome)
    lines.append(summary(outcome))
    return lines


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today().isoformat()}"


# --- demo ------------------------------------------------------------------------------------------------


def read_demo(folder: Path) -> Dataset:
    """The demo's ledgers read by the real intake, as unit × leaf-line series in statement sign, plus the
    division's operating costs (toimintakulut) as the 'total' level."""
    from katsaus.config import load_config_dir
    from katsaus.demo.generate import generate
    from katsaus.demo.pipeline import DEMO_CONFIG, PUBLISHED
    from katsaus.intake import IntakeContext, load_mapping, read_ledger

    generate(PUBLISHED, DEMO_CONFIG, folder)
    config = load_config_dir(DEMO_CONFIG)
    org, scheme = config.organisation, config.scheme()
    leaves = scheme.leaf_lines()
    context = IntakeContext(
        cost_centres=org.cost_centre_validity(),
        unit_codes=frozenset(u.code for u in org.units),
        line_codes={line.code: line.name_fi for line in leaves},
        leaf_account_ranges=tuple((r.low, r.high) for line in leaves for r in line.accounts),
        internal_ranges=tuple((r.low, r.high) for r in scheme.internal_accounts),
    )
    costs = {t.line for t in scheme.line("toimintakulut").sum_of}
    costs |= {t.line for c in list(costs) if scheme.line(c).is_derived for t in scheme.line(c).sum_of}
    units: dict[tuple[str, str], Months] = defaultdict(lambda: defaultdict(int))
    seen: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for path in sorted(folder.glob("kirjanpito-*.csv")):
        result = read_ledger(path, load_mapping(None), context)
        if result.problems:
            raise SystemExit("\n".join(str(p) for p in result.problems))
        for year, month, centre, account, internal, ledger_cents in result.balances:
            line = scheme.line_of_account(account)
            unit = org.unit_of(centre, date(year, month, 1))
            if internal or line is None or unit is None:
                continue
            units["PESOVA", f"{unit} × {line}"][year, month] += scheme.to_statement_sign(ledger_cents)
            seen["PESOVA"].add((year, month))
            if line in costs:
                units["PESOVA (toimintakulut)", "total"][year, month] += scheme.to_statement_sign(ledger_cents)
    data = assemble({k: v for k, v in units.items() if k[0] == "PESOVA"}, {"PESOVA": seen["PESOVA"]})
    total = units["PESOVA (toimintakulut)", "total"]
    data.series = [s for s in data.series if s.level == "units"] + [Series("total", "PESOVA", "toimintakulut", dict(total))]
    return data


def run_demo(settings: Settings = Settings()) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        data = read_demo(Path(folder))
    # the demo's total (operating costs) is not the sum of its unit × line series (revenues are among them):
    # there is nothing to reconcile the units to
    outcome = backtest(data, settings=replace(settings, reconcile="none"))
    lines = [
        f"Demo county: {sum(s.level == 'units' for s in data.series)} unit × line series and the division's "
        f"operating costs (toimintakulut); complete years {data.complete['PESOVA']} (2025 has January–June "
        "only, so its forecasts cannot be scored).",
        "",
    ]
    lines += table(outcome, "demo county, calendar year")
    lines += ["", f"evaluated years: totals {sorted(outcome.evaluated_years['total'])}, "
              f"units {sorted(outcome.evaluated_years['units'])}; {outcome.skipped_zero} series-years with a zero "
              "total skipped"]
    lines += [""] + range_table(outcome) + [""]
    lines.append(intervals(outcome))
    lines.append(summary(outcome))
    return lines


# --- main ------------------------------------------------------------------------------------------------


def parse_years(text: str | None) -> set[int] | None:
    if not text:
        return None
    low, _, high = text.partition("-")
    return set(range(int(low), int(high or low) + 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, nargs="+", action="extend",
                        help="monthly series CSV (council,month,organisational_unit,amount_gbp); several files: each "
                             "backtested on its own, then all pooled (default: the first UK file)")
    parser.add_argument("--fiscal-year-start", type=int, default=4, help="first calendar month of the financial year (default 4, April)")
    parser.add_argument("--years", help="evaluate only these financial years, e.g. 2013-2015 (the development split)")
    parser.add_argument("--by-group", action="store_true", help="also print a table per council")
    parser.add_argument("--no-pool", action="store_true", help="suggested without the pooled record (the per-series trimmed combination, version 2)")
    parser.add_argument("--suggest", choices=("v3.2", *CANDIDATES), default=ADOPTED,
                        help=f"which estimate the last line and the range table score as 'suggested' (default {ADOPTED}, what Katsaus suggests)")
    parser.add_argument("--reconcile", choices=RECONCILIATIONS, default="wls",
                        help="how the global candidates' units and council totals are made to add up: bu (the total is the sum "
                             "of the units), wls (diagonal MinT) or none (the demo always: its total is not the sum of its series)")
    parser.add_argument("--also", choices=METHODS, nargs="+", default=[],
                        help="also print the per-council lines and the last line of these columns (prefixed [name])")
    parser.add_argument("--demo", action="store_true", help="backtest the demo county's synthetic ledger instead")
    args = parser.parse_args(argv)
    settings = Settings(pooled=not args.no_pool, suggest="v3.2" if args.no_pool else args.suggest, reconcile=args.reconcile)
    started = time.perf_counter()
    if args.demo:
        lines = run_demo(settings)
    else:
        lines = run_files(args.data or [DEFAULT_DATA], args.fiscal_year_start, parse_years(args.years), args.years,
                          args.by_group, settings, tuple(args.also))
    lines.insert(0, f"{machine()}; {time.perf_counter() - started:.1f} s; suggested = {settings.suggest}, "
                    f"reconciliation {settings.reconcile}")
    lines.insert(1, "")
    print("\n".join(lines))
    return 0


def run_files(paths: list[Path], start: int, years: set[int] | None, years_text: str | None, by_group: bool,
              settings: Settings, also: tuple[str, ...] = ()) -> list[str]:
    """Each file's report, then (with several files) the report of all their rows pooled."""
    lines: list[str] = []
    outcomes = []
    for path in paths:
        data = read_councils(path, start)
        outcome = backtest(data, years, settings=settings)
        outcomes.append(outcome)
        described = f"{path.name}, financial year starting in month {start}" + (f", years {years_text}" if years_text else "")
        lines += [f"## {path.name}", ""] + report(outcome, described, also) + [""]
        if by_group:
            for group in sorted(data.complete):
                sub = Dataset([s for s in data.series if s.group == group], data.complete)
                lines += table(backtest(sub, years, settings=settings), group) + [""]
    if len(paths) > 1:
        lines += [f"## all {len(paths)} files pooled", ""]
        lines += report(merged(outcomes), "all files pooled (each file backtested on its own)", also)
    return lines


if __name__ == "__main__":
    sys.exit(main())
