"""Properties of every forecast over arbitrary series (hypothesis): whatever the history — new units, gaps, zero
years, sign changes, one-off spikes, cost lines — a forecast returns whole cents and, where it gives a range, a
range that holds the estimate; and a range calibrated on a pool says so."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from katsaus.core import forecast as fc
from katsaus.core.forecast import SeriesData, forecast

amounts = st.integers(min_value=-10**9, max_value=10**9)
year = st.one_of(st.none(), st.tuples(*[amounts] * 12), st.builds(lambda a: (a,) * 12, amounts))
histories = st.lists(year, min_size=0, max_size=4).map(tuple)
situations = st.builds(lambda h, to_date, budget: SeriesData(h, tuple(to_date), budget),
                       histories, st.lists(amounts, min_size=1, max_size=11), st.one_of(st.none(), amounts))


@st.composite
def pools(draw) -> fc.PooledRecord:
    """A pool from 0–12 peers of steady or noisy series, cost lines among them, at a month the test picks."""
    month = draw(st.integers(min_value=1, max_value=11))
    peers = draw(st.lists(histories, min_size=0, max_size=12))
    return fc.pooled_record(peers, month)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations, st.sampled_from(fc.METHODS))
def test_every_method_gives_whole_cents_and_a_range_that_holds_the_estimate(data, method):
    estimate = forecast(data, method)
    assert isinstance(estimate.cents, int)
    if estimate.low_cents is not None:
        assert estimate.low_cents <= estimate.cents <= estimate.high_cents


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools(), histories, st.data())
def test_a_pooled_suggestion_always_holds_its_estimate_in_its_range(pool, history, data):
    to_date = data.draw(st.lists(amounts, min_size=pool.month, max_size=pool.month))
    estimate = forecast(SeriesData(history, tuple(to_date)), "suggested", pool)
    assert isinstance(estimate.cents, int)
    assert estimate.low_cents is not None and estimate.low_cents <= estimate.cents <= estimate.high_cents
    calibrated = pool.scaled_count >= fc.RANGE_MIN_ERRORS and bool(pool.scaled_quantiles)
    assert estimate.explanation.range_percent == (80 if calibrated else 0)
