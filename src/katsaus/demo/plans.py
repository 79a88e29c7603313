"""From the solved 2025 figures to every amount the demo data needs, in exact cents (statement sign).

* MTA I 2025 and TPE 2025 are the solution; TA 2025 is MTA I minus the amendments MTA I made.
* TA 2024 is MTA I 2025 scaled by profile factors, with the remaining cost factor solved so that the
  division's TA 2024 toimintakate is exactly what the prior-year sentence needs.
* Actual 2024: the whole year is TA 2024 × a small overrun; its January–June part follows the seasonality and
  is then scaled so that the division's toimintakate 1–6/2024 is the prior-year target to the cent.
* Monthly amounts: each (unit, line) total split over months by its seasonal weights, exactly.
* Earlier years (the forecasts' history): backwards from 2024's totals by yearly growth with noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from katsaus.demo import profile
from katsaus.demo.inputs import DemoConfig
from katsaus.demo.money import split_cents
from katsaus.demo.solve import Solution

Amounts = dict[tuple[str, str], int]  # (leaf unit, leaf line) -> cents, statement sign
Monthly = dict[tuple[str, str], list[int]]  # (leaf unit, leaf line) -> cents per month

MARGIN_LINE = "toimintakate"
REVENUE_LINE = "toimintatuotot"
COST_LINE = "toimintakulut"


@dataclass(frozen=True)
class PriorYearTarget:
    """The sentence 'Edellisenä vuonna vastaavana aikana toteuma oli -77,7 miljoonaa euroa ja
    toteumaprosentti 49,8 %': the division's toimintakate 1–6 of the previous year and its ratio to that
    year's budget."""

    unit: str = "PESOVA"
    million_eur: Decimal = Decimal("-77.7")
    percent: Decimal = Decimal("49.8")


@dataclass(frozen=True)
class Plans:
    budgets: dict[str, Amounts]  # version name -> yearly amounts
    forecasts: dict[str, Amounts]
    actual_2024: Monthly  # 12 months
    actual_2025: Monthly  # January..June
    prior_year_cents: int  # the division's toimintakate 1–6/2024
    prior_year_budget_cents: int  # the division's toimintakate in TA 2024


def column_of_kind(config: DemoConfig, solution: Solution, kind: str) -> Amounts:
    keys = {k for k in solution.cents if config.columns[k[2]].kind == kind}
    columns = {k[2] for k in keys}
    if len(columns) != 1:
        raise ValueError(f"the reference must print exactly one {kind} column of the year, found {columns}")
    return {(u, ln): solution.cents[(u, ln, c)] for u, ln, c in keys}


def _leaves(config: DemoConfig, line: str) -> set[str]:
    return set(config.terms(line))


def _round_euros(value: float) -> int:
    return int(round(value)) * 100


def budget_2025_original(amended: Amounts) -> Amounts:
    """TA 2025: MTA I 2025 before the amendments (profile.TA2025_CHANGES, euros, statement sign)."""
    return {key: cents + profile.TA2025_CHANGES.get(key, 0) * 100 for key, cents in amended.items()}


def budget_2024(config: DemoConfig, amended_2025: Amounts, margin_target: int) -> Amounts:
    """TA 2024 in whole euros whose division toimintakate is exactly `margin_target` cents."""
    revenues, costs = _leaves(config, REVENUE_LINE), _leaves(config, COST_LINE)
    margin = _leaves(config, MARGIN_LINE)
    fixed: dict[tuple[str, str], float] = {}
    free: dict[tuple[str, str], float] = {}
    for (unit, line), cents in amended_2025.items():
        if line in costs and unit not in profile.TA2024_COST_FACTOR:
            free[(unit, line)] = cents
        elif line in costs:
            fixed[(unit, line)] = cents * profile.TA2024_COST_FACTOR[unit]
        elif line in revenues:
            fixed[(unit, line)] = cents * profile.TA2024_REVENUE_FACTOR
        elif line == "poistot":
            fixed[(unit, line)] = cents * profile.TA2024_DEPRECIATION_FACTOR
        else:
            fixed[(unit, line)] = cents
    fixed_margin = sum(v for (u, ln), v in fixed.items() if ln in margin)
    factor = (margin_target - fixed_margin) / sum(free.values())
    result = {key: _round_euros(v / 100) for key, v in fixed.items()}
    result.update({key: _round_euros(v * factor / 100) for key, v in free.items()})
    _absorb(result, margin, margin_target)
    return result


def _absorb(amounts: Amounts, lines: set[str], target: int) -> None:
    """Put the rounding residual (a few euros or cents) on the largest amount among `lines`."""
    keys = sorted((k for k in amounts if k[1] in lines), key=lambda k: (-abs(amounts[k]), k))
    amounts[keys[0]] += target - sum(amounts[k] for k in keys)


def month_weights(line: str, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """Twelve positive weights: the line's seasonal profile with multiplicative noise. Financial items are
    sporadic: a few months in each half-year."""
    kind = profile.SEASON_OF_LINE.get(line, "financial")
    base = np.array(profile.SEASON[kind])
    noise = rng.normal(0.0, profile.NOISE[kind], 12)
    trend = 1.0 + profile.TREND.get(kind, 0.0) * np.arange(12)
    weights: npt.NDArray[np.float64] = base * trend * np.clip(1.0 + noise, 0.3, 1.7)
    if kind == "financial":
        mask = rng.random(12) < 0.4
        mask[rng.integers(0, 6)] = True
        mask[rng.integers(6, 12)] = True
        weights = np.where(mask, weights, 0.0)
    return weights


def monthly_2025(h1: Amounts, rng: np.random.Generator, months: int) -> Monthly:
    out: Monthly = {}
    for key in sorted(h1):
        weights = month_weights(key[1], rng)[:months]
        out[key] = split_cents(h1[key], list(weights)) if h1[key] else [0] * months
    return out


def actual_2024(config: DemoConfig, budget: Amounts, h1_2025: Amounts, h1_margin_target: int,
                rng: np.random.Generator) -> Monthly:
    """Twelve months of 2024 per (unit, line): year = TA 2024 × overrun, H1 scaled to the exact target."""
    revenues, costs, margin = (_leaves(config, REVENUE_LINE), _leaves(config, COST_LINE),
                               _leaves(config, MARGIN_LINE))
    year: Amounts = {}
    for key in sorted(budget):
        unit, line = key
        if line in costs:
            factor = profile.ACTUAL2024_COST_FACTOR.get(unit, profile.ACTUAL2024_DEFAULT_COST_FACTOR)
        elif line in revenues:
            factor = profile.ACTUAL2024_REVENUE_FACTOR
        else:
            factor = 1.0
        # Items without a budget (financial items) ran at about the 2025 half-year pace, twice a year.
        year[key] = _round_cents(budget[key] * factor) if budget[key] else 2 * h1_2025.get(key, 0)
    weights = {key: month_weights(key[1], rng) for key in sorted(year)}
    h1 = {key: _round_cents(year[key] * weights[key][:6].sum() / weights[key].sum()) for key in sorted(year)}
    # The seasonal H1 share lands near, not on, the prior-year sentence; a uniform scale (close to 1) of the
    # operating lines' H1 closes the gap, the rounding residual goes on the largest line.
    scale = Fraction(h1_margin_target, sum(v for k, v in h1.items() if k[1] in margin))
    for key in h1:
        if key[1] in margin:
            h1[key] = _round_cents(h1[key] * scale)
    _absorb(h1, margin, h1_margin_target)
    return {key: _split_halves(h1[key], year[key] - h1[key], weights[key]) for key in sorted(year)}


def _round_cents(value: float | Fraction) -> int:
    return int(round(value))


def _split_halves(first: int, second: int, weights: np.ndarray) -> list[int]:
    return _split(first, weights[:6]) + _split(second, weights[6:])


def _split(total: int, weights: np.ndarray) -> list[int]:
    if total == 0:
        return [0] * len(weights)
    if weights.sum() <= 0:
        weights = np.ones(len(weights))
    return split_cents(total, list(weights))


def prior_year_targets(target: PriorYearTarget, rng: np.random.Generator) -> tuple[int, int]:
    """(toimintakate 1–6 of the previous year, its budget) in cents, both well inside their rounding
    intervals: the actual within ±15 000 € of the printed millions (interval ±50 000 €), the budget chosen
    so that the ratio is the printed percentage to ~1e-8 (interval ±0,05 percentage points)."""
    actual = int(target.million_eur * 100_000_000) + int(rng.integers(-1_500_000, 1_500_001))
    budget = _round_euros(float(Fraction(actual) / (Fraction(target.percent) / 100)) / 100)
    return actual, budget


def build_plans(config: DemoConfig, solution: Solution, target: PriorYearTarget, months: int,
                names: dict[str, str], rng: np.random.Generator) -> Plans:
    """`names`: version names by role: ta_prev, ta, mta, tpe (e.g. 'TA 2024', 'TA 2025', ...)."""
    amended = column_of_kind(config, solution, "budget")
    forecast = column_of_kind(config, solution, "forecast")
    h1 = column_of_kind(config, solution, "actual")
    prior_actual, prior_budget = prior_year_targets(target, rng)
    ta_prev = budget_2024(config, amended, prior_budget)
    return Plans(
        budgets={names["ta_prev"]: ta_prev, names["ta"]: budget_2025_original(amended), names["mta"]: amended},
        forecasts={names["tpe"]: forecast},
        actual_2024=actual_2024(config, ta_prev, h1, prior_actual, rng),
        actual_2025=monthly_2025(h1, rng, months),
        prior_year_cents=prior_actual,
        prior_year_budget_cents=prior_budget,
    )


def earlier_years(actual_2024: Monthly, years: Sequence[int], rng: np.random.Generator) -> dict[int, Monthly]:
    """Twelve months per (unit, line) for each of `years` (all before 2024): the year's total is the next
    year's divided by 1 + its line kind's growth + noise, split over months like any year."""
    out: dict[int, Monthly] = {}
    totals = {key: sum(months) for key, months in sorted(actual_2024.items())}
    for year in sorted(years, reverse=True):
        for key in sorted(totals):
            kind = profile.SEASON_OF_LINE.get(key[1], "financial")
            growth = profile.HISTORY_GROWTH[kind] + rng.normal(0.0, profile.HISTORY_GROWTH_NOISE)
            totals[key] = _round_cents(totals[key] / (1.0 + growth))
        out[year] = {key: _split(totals[key], month_weights(key[1], rng)) for key in sorted(totals)}
    return dict(sorted(out.items()))
