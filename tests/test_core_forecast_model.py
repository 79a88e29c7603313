"""The global forecasting model and the reconciliation (katsaus.core.forecast_model) on small constructed series
with answers worked out by hand."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katsaus.core import forecast_model as fm
from katsaus.core.errors import Note, Percent
from katsaus.core.forecast import Explanation, SeriesData, forecast, pooled_record

# a seasonal shape (sums to 12: a June bonus and a quiet July) and a flat one
SHAPE = (1.0, 1.0, 1.0, 1.0, 1.0, 1.5, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0)
FLAT = (1.0,) * 12


def year(shape: tuple[float, ...], level: int) -> tuple[int, ...]:
    return tuple(round(s * level) for s in shape)


def histories(shape: tuple[float, ...], series: int = 40, years: int = 4) -> list[tuple[tuple[int, ...], ...]]:
    """`series` series of the same shape, each at its own level, growing 5 % a year (levels in cents)."""
    return [tuple(year(shape, round(100_000 * (1 + k) * 1.05 ** y)) for y in range(years)) for k in range(series)]


# --- reconciliation -------------------------------------------------------------------------------------


def test_the_difference_goes_to_the_units_by_variance_when_the_total_is_certain():
    # total 1000, units 300 + 500 = 800: the gap of 200 split 1 : 3 by the units' variances (50 and 150)
    total, units = fm.reconcile(1000, {"a": 300, "b": 500}, 0.0, {"a": 1.0, "b": 3.0})
    assert (total, units) == (1000, {"a": 350, "b": 650})


def test_the_total_gives_up_its_share_of_the_difference():
    # variances total 4, a 1, b 3 (sum 8): the units take 200 × 4/8 = 100 (25 and 75), the total 200 × 4/8 less
    total, units = fm.reconcile(1000, {"a": 300, "b": 500}, 4.0, {"a": 1.0, "b": 3.0})
    assert (total, units) == (900, {"a": 325, "b": 575})


def test_cents_that_do_not_divide_go_to_the_largest_remainders():
    # 100 cents in thirds: 33.33 each; the one left goes to the first in key order (equal remainders)
    total, units = fm.reconcile(100, {"a": 0, "b": 0, "c": 0}, 0.0, {"a": 1.0, "b": 1.0, "c": 1.0})
    assert (total, units) == (100, {"a": 34, "b": 33, "c": 33})
    assert fm.round_shares({"a": 0.6, "b": 0.2, "c": 0.2}, 1) == {"a": 1, "b": 0, "c": 0}


def test_a_unit_without_variance_does_not_move_and_bottom_up_is_the_sum():
    assert fm.reconcile(1000, {"a": 300, "b": 500}, 0.0, {"a": 0.0, "b": 2.0}) == (1000, {"a": 300, "b": 700})
    assert fm.bottom_up({"a": 300, "b": -500}) == -200


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**12, 10**12), st.dictionaries(st.sampled_from("abcdefgh"), st.integers(-10**11, 10**11), min_size=1),
       st.floats(0, 1e6), st.lists(st.floats(0, 1e6), min_size=8, max_size=8))
def test_the_units_always_sum_to_the_total_exactly_in_cents(total, units, total_variance, spread):
    variances = dict(zip("abcdefgh", spread))
    figure, result = fm.reconcile(total, units, total_variance, variances)
    assert sum(result.values()) == figure
    assert all(isinstance(v, int) for v in result.values())
    if total_variance == 0 and sum(variances[k] for k in units) > 0:
        assert figure == total  # a certain total is kept, the units move to it


# --- the model ---------------------------------------------------------------------------------------------


def test_a_flat_series_is_forecast_exactly():
    # every training year is flat, so the actual is always the run-rate: the model learns a ratio of exactly 1
    model = fm.global_model(histories(FLAT), 6)
    assert model.rows >= fm.MIN_ROWS and model.regressor is not None
    data = SeriesData(year_list(FLAT, 250_000, 3), year(FLAT, 260_000)[:6])
    assert fm.model_values([data], model) == [pytest.approx(12 * 260_000, abs=0)]


def test_a_perfect_seasonal_profile_is_forecast_to_within_a_hundredth_of_a_percent():
    # the run-rate at month 6 overstates a year with a June bonus: 6.5/6 × 12 … the model learns the 12/13 back
    model = fm.global_model(histories(SHAPE), 6)
    data = SeriesData(year_list(SHAPE, 250_000, 3), year(SHAPE, 260_000)[:6])
    actual = sum(year(SHAPE, 260_000))
    run_rate = sum(data.to_date) * 2
    assert abs(run_rate - actual) / actual > 0.08  # the naive rule misses by 8 %
    (value,) = fm.model_values([data], model)
    assert value == pytest.approx(actual, rel=1e-4)


def year_list(shape: tuple[float, ...], level: int, count: int) -> tuple[tuple[int, ...], ...]:
    return tuple(year(shape, round(level / 1.05 ** (count - y))) for y in range(count))


def test_the_same_input_gives_the_same_output():
    rng = random.Random(3)
    noisy = [tuple(tuple(round(v * rng.uniform(0.7, 1.3)) for v in y) for y in h) for h in histories(SHAPE, 60)]
    data = [SeriesData(h[:-1], h[-1][:6]) for h in noisy[:10]]
    first = [e.cents for e in fm.global_suggestions(data, fm.global_model(noisy, 6), pooled_record(noisy, 6))]
    second = [e.cents for e in fm.global_suggestions(data, fm.global_model(noisy, 6), pooled_record(noisy, 6))]
    assert first == second


def test_the_months_after_n_never_reach_the_model():
    model = fm.global_model(histories(SHAPE), 6)
    clean = SeriesData(year_list(SHAPE, 250_000, 3), year(SHAPE, 260_000)[:6])
    assert fm.model_values([clean], model) == fm.model_values([SeriesData(clean.history, clean.to_date)], model)
    # the year being forecast is not an argument of global_model: its training rows are the histories' years
    rows, _ = fm.training_rows(histories(SHAPE, 2, 3), 6)
    assert len(rows) == 2 * 2 * 3  # 2 series × 2 years with a year before them × months 5, 6, 7


def test_a_cost_line_is_the_mirror_of_its_revenue_twin():
    model = fm.global_model(histories(SHAPE), 6)
    data = SeriesData(year_list(SHAPE, 250_000, 3), year(SHAPE, 260_000)[:6])
    (value,) = fm.model_values([data], model)
    (mirrored,) = fm.model_values([data.negated()], model)
    assert mirrored == -value


def test_too_few_rows_fall_back_to_version_3_2_and_say_so():
    few = histories(SHAPE, 3, 3)
    model = fm.global_model(few, 6)
    assert model.regressor is None and model.rows == 3 * 2 * 3
    data = SeriesData(few[0][:-1], few[0][-1][:6])
    (estimate,) = fm.global_suggestions([data], model, pooled_record(few, 6))
    base = forecast(data, "suggested", pooled_record(few, 6))
    assert estimate.cents == base.cents
    assert estimate.notes == (Note("forecast.note.model_not_applied", {"rows": 18, "least": fm.MIN_ROWS}), *base.notes)


def test_the_mix_is_half_model_half_version_3_2_in_whole_cents_and_explains_itself():
    hist = histories(SHAPE)
    model, pool = fm.global_model(hist, 6), pooled_record(hist, 6)
    data = SeriesData(year_list(SHAPE, 250_000, 3), year(SHAPE, 260_003)[:6])
    (value,) = fm.model_values([data], model)
    base = forecast(data, "suggested", pool)
    (estimate,) = fm.global_suggestions([data], model, pool, 0.5)
    expected = (value + base.cents) / 2
    assert isinstance(estimate.cents, int) and abs(estimate.cents - expected) <= 0.5
    assert estimate.explanation.kind == "model" and estimate.explanation.model_rows == model.rows
    shares = dict(estimate.explanation.shares)
    assert shares["global"] == 50 and 99 <= sum(shares.values()) <= 101
    assert estimate.low_cents <= estimate.cents <= estimate.high_cents
    # the range keeps version 3.2's relative distances
    assert estimate.low_cents == pytest.approx(estimate.cents * base.low_cents / base.cents, abs=1)
    assert Explanation.from_dict(estimate.explanation.as_dict()) == estimate.explanation
    note = estimate.notes[0]
    assert note.code == "forecast.note.model" and note.params["rows"] == model.rows
    assert (note.params["weight"], note.params["base_weight"]) == (Percent(Fraction(1, 2)), Percent(Fraction(1, 2)))
    assert note.params["change"] == Percent(Fraction(value / base.cents - 1)) and estimate.notes[1:] == base.notes
