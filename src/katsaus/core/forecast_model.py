"""The global forecasting model (round 6, docs/forecasting.md): one gradient-boosted regression learned across
every series' earlier years, and the reconciliation that makes units add up to their total.

Plain Python over integer cents at the boundaries; the model computes in floats inside (it is a statistical
estimate) and every figure it hands out is whole cents, rounded once, half away from zero.

What the model learns: for a series at month N, how the year's actual total relates to the run-rate, given
how the other simple methods' estimates relate to it (a series with a June bonus has a profile estimate below
its run-rate at month 6, and so on) and how lumpy the months to date are. It learns this from every series of
the ledger on every whole earlier year (years before the forecast year only), at months N−1..N+1 — the rows
the pooled record already computes — so a series with no history of its own still gets what all the others
taught. The year being forecast, of any series, is not in its training data: :func:`global_model` takes only
the peers' earlier years.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from .errors import Note, Percent, Problem, Refused
from .forecast import (
    MONTHS,
    SINGLE,
    Estimate,
    Explanation,
    PooledRecord,
    SeriesData,
    Year,
    cents,
    forecast,
    full_years,
    inner_estimates,
    inner_window,
    months_to_date,
    own_squares,
    scale,
    scored_years,
    whole,
)

# the other methods whose estimate, relative to the run-rate, the model reads (a method that does not apply
# reads as the run-rate itself)
FEATURE_METHODS = ("profile", "last_year", "recent", "rest", "seasonal_rate", "level", "level_fast")
RATIO_CLIP = math.log(10.0)  # log ratios are clipped to ±log 10: a ratio beyond that is a broken series
CV_CLIP = 5.0
MAX_YEARS = 5
MIN_ROWS = 200  # with fewer training rows the model is not trusted; version 3.2's suggestion stands in
# fixed before any run (docs/forecasting.md, round 6 protocol); not searched
MODEL_PARAMS = {"loss": "absolute_error", "max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15,
                "min_samples_leaf": 20, "l2_regularization": 1.0, "early_stopping": False, "random_state": 0}
# what Katsaus suggests (round 6's choice, docs/forecasting.md): "model" (the global model, with MODEL_WEIGHT its
# share beside version 3.2's estimate: 1.0 alone, 0.5 half and half) or "v3.2" (the pooled combination alone)
SUGGESTION = "v3.2"
MODEL_WEIGHT = 0.5


def log_ratio(value: float | None, base: float) -> float:
    if value is None or value <= 0:
        return 0.0 if value is None else -RATIO_CLIP
    return max(-RATIO_CLIP, min(RATIO_CLIP, math.log(value / base)))


def features(data: SeriesData, known: dict[str, float | None] | None = None) -> list[float] | None:
    """The model's inputs for a series (sign-normalised: it sums to ≥ 0), or None when the run-rate is not
    positive (the model predicts a ratio to it). `known`: the methods' estimates when already computed."""
    run_rate = sum(data.to_date) * MONTHS / data.month
    if run_rate <= 0:
        return None
    values = known if known is not None else {name: SINGLE[name](data) for name in FEATURE_METHODS}
    return [log_ratio(values[name], run_rate) for name in FEATURE_METHODS] + shape(data)


def shape(data: SeriesData) -> list[float]:
    """Month N ÷ 12, the months to date's coefficient of variation, their share of zeros, usable earlier years."""
    months = data.to_date
    mean = sum(months) / len(months)
    spread = math.sqrt(sum((v - mean) ** 2 for v in months) / len(months))
    variation = min(CV_CLIP, spread / mean) if mean > 0 else CV_CLIP
    zeros = sum(v == 0 for v in months) / len(months)
    return [data.month / MONTHS, variation, zeros, float(min(MAX_YEARS, len(full_years(data))))]


def training_rows(histories: Sequence[Sequence[Year | None]], month: int) -> tuple[list[list[float]], list[float]]:
    """One row per peer whole year (with a year before it) and inner month N−1..N+1: the features as they were
    then, and log(actual ÷ run-rate). Cost lines are mirrored as the forecast mirrors them."""
    rows: list[list[float]] = []
    targets: list[float] = []
    for prefix, target in scored_years(histories):
        actual = sum(target)
        if actual <= 0:
            continue
        # the pooled record has computed (and cached) every method's estimate of these rows already
        known = inner_estimates(prefix + (target,), month)
        for inner_month, values in zip(inner_window(month), known):
            past = SeriesData(prefix, tuple(target[:inner_month]))
            row = features(past, values)
            if row is not None:
                rows.append(row)
                targets.append(log_ratio(actual, sum(past.to_date) * MONTHS / inner_month))
    return rows, targets


class Regressor(Protocol):
    """What the model needs of a fitted scikit-learn regressor (numpy in, an array of floats out)."""

    def predict(self, rows: object) -> Sequence[float]: ...


@dataclass(frozen=True)
class GlobalModel:
    """The model learned for one month N from the peers' earlier years; `regressor` is None when there were
    fewer than MIN_ROWS rows (every forecast then falls back)."""

    month: int
    rows: int
    regressor: Regressor | None

    def log_ratios(self, rows: Sequence[list[float]]) -> list[float]:
        if self.regressor is None or not rows:
            return [0.0] * len(rows)
        import numpy

        return [float(v) for v in self.regressor.predict(numpy.asarray(rows, dtype=float))]


def global_model(histories: Sequence[Sequence[Year | None]], month: int) -> GlobalModel:
    """Learn the model at month `month` from the peers' histories (each: a series' years before the forecast
    year, oldest first). Deterministic: the same histories give the same model."""
    if not 1 <= month <= MONTHS:
        raise months_to_date(month)
    rows, targets = training_rows(histories, month)
    if len(rows) < MIN_ROWS:
        return GlobalModel(month, len(rows), None)
    import numpy
    from sklearn.ensemble import HistGradientBoostingRegressor

    regressor = HistGradientBoostingRegressor(**MODEL_PARAMS)
    regressor.fit(numpy.asarray(rows, dtype=float), numpy.asarray(targets, dtype=float))
    return GlobalModel(month, len(rows), regressor)


def oriented_data(data: SeriesData) -> tuple[SeriesData, int]:
    """The series as the methods see it (a cost line mirrored) and the sign to turn the estimate back."""
    if sum(data.to_date) + sum(sum(y) for y in data.history if y is not None) < 0:
        return data.negated(), -1
    return data, 1


def model_values(datas: Sequence[SeriesData], model: GlobalModel) -> list[float | None]:
    """The model's estimate of each series in statement sign (floats), None where it does not apply (no
    positive run-rate, a complete year, no model). One batch: the regressor is called once."""
    if any(d.month not in (model.month, MONTHS) for d in datas):
        raise Refused(Problem("forecast.model_month", {"model_month": model.month}))
    found: list[tuple[int, list[float], float, int]] = []
    for index, data in enumerate(datas):
        if data.month == MONTHS or model.regressor is None:
            continue
        positive, sign = oriented_data(data)
        row = features(positive)
        if row is not None:
            found.append((index, row, sum(positive.to_date) * MONTHS / positive.month, sign))
    values: list[float | None] = [None] * len(datas)
    for (index, _, run_rate, sign), ratio in zip(found, model.log_ratios([row for _, row, _, _ in found])):
        values[index] = sign * run_rate * math.exp(ratio)
    return values


def global_suggestions(datas: Sequence[SeriesData], model: GlobalModel, pool: PooledRecord | None,
                       weight: float = MODEL_WEIGHT) -> list[Estimate]:
    """The suggestion of every series: the model's estimate mixed with version 3.2's (`weight` the model's
    share), its range version 3.2's moved with the estimate; version 3.2's alone where the model does not
    apply (and the note says so)."""
    values = model_values(datas, model)
    return [combined(forecast(data, "suggested", pool), value, model, weight) for data, value in zip(datas, values)]


def combined(base: Estimate, value: float | None, model: GlobalModel, weight: float) -> Estimate:
    """Version 3.2's estimate `base` and the model's `value` mixed; the range keeps base's relative distances."""
    if base.method == "actual":
        return base  # the year is complete
    if value is None:  # no positive run-rate, or too few training rows
        why = Note("forecast.note.model_not_applied", {"rows": model.rows, "least": MIN_ROWS})
        return Estimate(base.cents, base.method, base.low_cents, base.high_cents, base.requested,
                        (why, *base.notes), base.explanation)
    estimate = cents(weight * value + (1 - weight) * base.cents)  # the model's float, rounded once
    low, high = moved(base, estimate)
    shares = {"global": weight}
    if weight < 1 and base.explanation is not None:
        for name, percent in base.explanation.shares or ((base.explanation.method or base.method, 100),):
            shares[name] = shares.get(name, 0.0) + (1 - weight) * percent / 100
    change = Fraction(value / base.cents - 1) if base.cents else Fraction(0)  # the model against version 3.2
    note = Note("forecast.note.model", {"rows": model.rows, "weight": Percent(Fraction(weight)),
                                        "base_weight": Percent(1 - Fraction(weight)), "change": Percent(change)})
    level = base.explanation.range_percent if base.explanation else 0
    explanation = Explanation("model", method="global", shares=model_shares(shares), model_rows=model.rows,
                              range_percent=level)
    return Estimate(estimate, "suggested", low, high, "suggested", (note, *base.notes), explanation)


def model_shares(shares: dict[str, float]) -> tuple[tuple[str, int], ...]:
    """Whole-percent shares, largest first, the model first among equals."""
    ordered = sorted(shares, key=lambda name: (-shares[name], name != "global", name))
    return tuple((name, whole(shares[name] * 100)) for name in ordered)


def moved(base: Estimate, estimate: int) -> tuple[int | None, int | None]:
    """Base's range at the same relative distances around `estimate`, holding it."""
    if base.low_cents is None or base.high_cents is None or base.cents == 0:
        return base.low_cents, base.high_cents
    ends = [cents(estimate * base.low_cents / base.cents), cents(estimate * base.high_cents / base.cents), estimate]
    return min(ends), max(ends)


# --- reconciliation ------------------------------------------------------------------------------------------


def series_scale(data: SeriesData, pool: PooledRecord) -> float:
    """Version 3.2's typical relative error of a series (own inner record shrunk toward the pool)."""
    positive, _ = oriented_data(data)
    return scale(own_squares(positive.history, positive.month), pool.scale_mean_square)


def reconcile(total: int, units: dict[str, int], total_variance: float,
              variances: dict[str, float]) -> tuple[int, dict[str, int]]:
    """Diagonal MinT (weighted least squares): the council's estimate `total` and its units' `units` (cents)
    made coherent. The difference total − Σ units is shared among the council and the units in proportion to
    their variances; a unit of variance 0 does not move. The units then sum to the returned total exactly, in
    cents: each unit's share is rounded down and the remaining cents go to the largest remainders (ties in
    key order)."""
    gap = total - sum(units.values())
    weight = total_variance + sum(variances.get(k, 0.0) for k in units)
    if gap == 0 or weight <= 0:
        return sum(units.values()), dict(units)
    # the units take gap × their share of the variance; the total gives up the rest
    taken = {k: gap * variances.get(k, 0.0) / weight for k in units}
    moved_cents = round_shares(taken, whole(gap * (weight - total_variance) / weight))
    result = {k: units[k] + moved_cents[k] for k in units}
    return sum(result.values()), result


def round_shares(shares: dict[str, float], whole: int) -> dict[str, int]:
    """Whole cents for real-valued shares that sum to `whole`: floors, then one cent each to the largest
    remainders (largest-remainder rounding, ties in key order)."""
    floors = {k: math.floor(v) for k, v in shares.items()}
    left = whole - sum(floors.values())
    order = sorted(shares, key=lambda k: (-(shares[k] - floors[k]), k))
    for k in order[: max(0, left)]:
        floors[k] += 1
    if left < 0:  # cannot happen when `whole` is the rounded sum, but never hand out more than asked
        for k in sorted(shares, key=lambda k: (shares[k] - floors[k], k))[: -left]:
            floors[k] -= 1
    return floors


def bottom_up(units: dict[str, int]) -> int:
    """The council's total as the sum of its units (the units' estimates stand)."""
    return sum(units.values())

