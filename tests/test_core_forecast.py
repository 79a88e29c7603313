"""The forecasting methods on small hand-made series whose answers are worked out by hand, the fallbacks, and
the guarantee that no method can see the months it forecasts."""

from __future__ import annotations

import dataclasses
import math
import random
import statistics

import pytest

from katsaus.core import forecast as fc
from katsaus.core.errors import Note, Percent, Refused, Term
from katsaus.core.forecast import SeriesData, forecast

FLAT = (100,) * 12


def m(name: str) -> Term:
    """A method's name as a note names it."""
    return Term(f"forecast_method.{name}")


def codes(estimate: fc.Estimate) -> list[str]:
    return [note.code for note in estimate.notes]
SEASONAL = (50,) * 6 + (150,) * 6  # 300 in the first half, 900 in the second


def flat_situation(**changes) -> SeriesData:
    base = SeriesData((FLAT, FLAT), (110,) * 6)
    return dataclasses.replace(base, **changes)


# --- the calendar ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "calendar, fiscal",
    [((2013, 4), (2013, 1)), ((2014, 3), (2013, 12)), ((2013, 12), (2013, 9)), ((2014, 1), (2013, 10))],
)
def test_financial_years_starting_in_april(calendar, fiscal):
    assert fc.fiscal_position(*calendar, start_month=4) == fiscal
    assert fc.calendar_position(*fiscal, start_month=4) == calendar


def test_a_calendar_financial_year_is_the_identity():
    assert [fc.fiscal_position(2025, m) for m in (1, 6, 12)] == [(2025, 1), (2025, 6), (2025, 12)]


# --- each method, by hand -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, expected",
    [
        ("run_rate", 660 * 12 // 6),  # 1320
        ("profile", 1320),  # earlier years had booked half by June
        ("last_year", 1200),
        ("recent", 660 + 6 * 110),
        ("rest", 660 + 600),  # what earlier years booked in July–December
        ("seasonal_rate", 660 + 6 * 110),  # flat season: the robust level is 110
        # level 100 for 24 months, then six months of 110 move it by 10 × (1 − 0.95^6)
        ("level", round(660 + 6 * (100 + 10 * (1 - 0.95**6)))),
        ("level_fast", round(660 + 6 * (100 + 10 * (1 - 0.9**6)))),
    ],
)
def test_each_method_on_a_flat_series(method, expected):
    estimate = forecast(flat_situation(), method)
    assert (estimate.cents, estimate.method, estimate.fell_back) == (expected, method, False)
    assert isinstance(estimate.cents, int)


def test_profile_and_seasonal_rate_know_the_season():
    data = SeriesData((SEASONAL,), (60,) * 6)
    # a quarter of the year is booked by June: 360 / 0.25
    assert forecast(data, "profile").cents == 1440
    # one year's pattern counts half: indices 0.75 (Jan–Jun) and 1.25 (Jul–Dec); level 60 / 0.75 = 80
    assert forecast(data, "seasonal_rate").cents == 360 + 80 * 6 * 1.25
    # the run-rate does not know the season and is far off
    assert forecast(data, "run_rate").cents == 720


def test_profile_uses_the_median_share_of_three_years_so_one_odd_year_does_not_count():
    odd = (300,) * 6 + (0,) * 6  # everything booked in the first half
    data = SeriesData((SEASONAL, odd, SEASONAL), (60,) * 6)
    assert forecast(data, "profile").cents == 1440


def test_seasonal_rate_ignores_a_one_off_month():
    spike = SeriesData((FLAT,), (100, 100, 5000, 100, 100, 100))
    assert forecast(spike, "seasonal_rate").cents == 5500 + 6 * 100
    assert forecast(spike, "run_rate").cents == 11000


def test_budget_is_the_forecast_and_without_one_falls_back():
    assert forecast(flat_situation(budget=-5_000_00), "budget").cents == -5_000_00
    estimate = forecast(flat_situation(), "budget")
    assert estimate.method == "level" and estimate.fell_back
    assert estimate.notes == (Note("forecast.note.fell_back", {"method": m("level"), "tried": (m("budget"),),
                                                               "why": (Term("forecast_why.no_budget"),)}),)
    assert estimate.explanation == fc.Explanation("fallback", method="level", fell_back_from=("budget",))
    assert forecast(flat_situation(budget=-5_000_00), "budget").explanation == fc.Explanation("single", method="budget")


def test_a_fallback_says_why_in_finnish():
    from katsaus.render.messages import note_text

    (note,) = forecast(flat_situation(), "budget").notes
    assert note_text(note, "fi") == (
        "talousarvio ei ollut käytettävissä (ei talousarviota); käytettiin menetelmää tasoitettu kuukausitaso")


def test_a_complete_year_is_its_actual():
    estimate = forecast(SeriesData((), (10,) * 12), "suggested")
    assert estimate.explanation == fc.Explanation("actual", method="actual")
    assert (estimate.cents, estimate.method) == (120, "actual")
    assert codes(estimate) == ["forecast.note.complete"]


def test_rounding_is_to_whole_cents_half_away_from_zero():
    assert [fc.cents(x) for x in (2.5, -2.5, 2.4999, -0.5)] == [3, -3, 2, -1]
    assert fc.cents(0.49999999999999994) == 0  # the float's exact value, not floor(x + 0.5) in floats
    with pytest.raises(Refused) as refused:
        fc.cents(float("nan"))
    assert refused.value.codes == ("forecast.not_a_number",)


def test_costs_in_statement_sign_are_the_mirror_image():
    data = SeriesData((SEASONAL, FLAT), (60, 70, 55, 65, 80, 40))
    for method in fc.METHODS:
        plus, minus = forecast(data, method), forecast(data.negated(), method)
        assert minus.cents == -plus.cents, method
        assert (minus.low_cents, minus.high_cents) == (
            None if plus.high_cents is None else -plus.high_cents,
            None if plus.low_cents is None else -plus.low_cents,
        )


# --- structure changes and too little history ------------------------------------------------------------


@pytest.mark.parametrize("method", [m for m in fc.METHODS if m not in ("run_rate", "recent")])
def test_a_new_unit_falls_back_to_the_run_rate_and_says_so(method):
    estimate = forecast(SeriesData((None, None), (10, 20, 30)), method)
    assert (estimate.cents, estimate.method, estimate.fell_back) == (240, "run_rate", True)
    (note,) = estimate.notes
    assert note.code == "forecast.note.fell_back" and note.params["method"] == m("run_rate")
    assert note.params["tried"][0] == m(method)


def test_a_unit_that_began_mid_year_has_no_pattern_from_that_year():
    started = (0, 0, 0) + (100,) * 9
    estimate = forecast(SeriesData((None, started), (100,) * 6), "profile")
    assert estimate.method == "run_rate" and estimate.notes[0].params["tried"] == (m("profile"),)
    assert estimate.notes[0].params["why"] == (Term("forecast_why.no_profile"),)
    # with a full year after it, the full year gives the pattern and the started year is left out
    assert fc.full_years(SeriesData((started, FLAT), (1,))) == [FLAT]


def test_a_renamed_unit_with_a_gap_and_a_zero_year_does_not_crash():
    data = SeriesData((FLAT, None, (0,) * 12, SEASONAL), (0, 0, 0, 0))
    for method in fc.METHODS:
        assert isinstance(forecast(data, method).cents, int)


def test_a_series_with_nothing_booked_yet_forecasts_zero():
    assert forecast(SeriesData((), (0,) * 6), "suggested").cents == 0


def test_the_input_has_a_fixed_shape():
    with pytest.raises(Refused) as none:
        SeriesData((), ())
    assert none.value.problems[0].code == "forecast.months_to_date" and none.value.problems[0].params["count"] == 0
    with pytest.raises(Refused) as thirteen:
        SeriesData((), (1,) * 13)
    assert thirteen.value.problems[0].params == {"count": 13, "most": 12}
    with pytest.raises(Refused) as short:
        SeriesData(((1,) * 11,), (1,))
    assert (short.value.codes, short.value.problems[0].params) == (
        ("forecast.year_length",), {"index": 0, "months": 11, "expected": 12})
    with pytest.raises(Refused) as unknown:
        forecast(flat_situation(), "crystal_ball")
    (problem,) = unknown.value.problems
    assert (problem.code, problem.found, problem.key) == ("forecast.method_unknown", "crystal_ball", "method")
    assert m("suggested") in problem.params["methods"]


# --- the combination --------------------------------------------------------------------------------------


def history_with_growth(years: int) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(v * (100 + 5 * k) // 100 for v in SEASONAL) for k in range(years))


def test_suggested_with_one_earlier_year_uses_equal_weights_and_says_so():
    estimate = forecast(SeriesData((SEASONAL,), (60,) * 6), "suggested")
    assert estimate.method == "suggested" and codes(estimate) == ["forecast.note.equal"]
    assert estimate.explanation.kind == "equal" and [p for _, p in estimate.explanation.shares] == [25] * 4


def test_suggested_with_no_earlier_year_is_the_run_rate():
    estimate = forecast(SeriesData((None,), (60,) * 6), "suggested")
    assert (estimate.method, estimate.cents) == ("run_rate", 720)
    assert estimate.explanation == fc.Explanation("fallback", method="run_rate", fell_back_from=("suggested",))


def test_suggested_is_a_weighted_mean_of_the_middle_four_methods():
    data = SeriesData(history_with_growth(4), (63, 61, 66, 64, 60, 65))
    estimate = forecast(data, "suggested")
    values = sorted(fc.point(data, m) for m in fc.COMPONENTS)
    assert values[2] <= estimate.cents <= values[-3]
    (note,) = estimate.notes
    assert note.code == "forecast.note.trimmed"  # weighted by earlier years
    assert len(note.params["kept"]) == 4 and len(note.params["left_out"]) == 4
    assert estimate.low_cents <= estimate.cents <= estimate.high_cents


def test_inner_backtest_forecasts_each_earlier_year_from_the_years_before_it_only():
    history = history_with_growth(3)
    data = SeriesData(history, (60,) * 6)
    past = data.at(1, 5)
    assert past.history == history[:2] and past.to_date == history[2][:5] and past.budget is None
    # the oldest year has nothing before it, so 2 inner years × months 5..7 for every method that applies
    errors = fc.inner_errors(data, ("run_rate", "profile"))
    assert len(errors["run_rate"]) == 6 and len(errors["profile"]) == 6


def test_weights_favour_the_method_with_the_smaller_record_but_keep_a_prior():
    share = fc.weights({"good": [0.01, -0.01, 0.01], "bad": [0.3, -0.3, 0.3]})
    assert share["good"] > share["bad"] > 0.05 and abs(sum(share.values()) - 1) < 1e-12


# --- no method can look at the months it forecasts --------------------------------------------------------


def sliced(full_years: list[tuple[int, ...]], current: tuple[int, ...], month: int) -> SeriesData:
    """The only way the backtest and the store build an input: months after `month` are not passed."""
    return SeriesData(tuple(full_years), current[:month])


@pytest.mark.parametrize("poison", [10**15, -(10**15), 0])
def test_future_months_cannot_change_any_estimate(poison):
    history = [SEASONAL, FLAT, SEASONAL]
    year = (60, 70, 55, 65, 80, 40, 90, 95, 100, 130, 140, 160)
    for month in (3, 6, 9):
        poisoned = year[:month] + (poison,) * (12 - month)
        clean, dirty = sliced(history, year, month), sliced(history, poisoned, month)
        pool = fc.pooled_record([history, [FLAT, SEASONAL]], month)
        for method in fc.METHODS:
            assert forecast(clean, method) == forecast(dirty, method), (method, month)
            assert forecast(clean, method, pool) == forecast(dirty, method, pool), (method, month)


def test_the_input_has_no_room_for_future_months():
    fields = {f.name for f in dataclasses.fields(SeriesData)}
    assert fields == {"history", "to_date", "budget"}
    assert SeriesData((), (1, 2, 3)).month == 3  # N is the number of months given, nothing more


# --- the pooled suggestion (other series' earlier years) ---------------------------------------------------


def hand_pool(month: int = 6) -> fc.PooledRecord:
    scores = {"run_rate": 0.04, "profile": 0.01, "last_year": 0.5, "recent": 0.02, "rest": 0.3,
              "seasonal_rate": 0.01, "level": 0.09, "level_fast": 0.2}
    return fc.PooledRecord(month, scores, 10)


def test_pooled_suggestion_keeps_the_four_best_pooled_methods_weighted_by_inverse_error():
    # one earlier year: no own record, so the weights are the pooled ones, 1/ms normalised
    data = SeriesData((SEASONAL,), (60,) * 6)
    estimate = forecast(data, "suggested", hand_pool())
    kept = {"profile": 1 / 0.01, "seasonal_rate": 1 / 0.01, "recent": 1 / 0.02, "run_rate": 1 / 0.04}
    expected = sum(w * fc.point(data, m) for m, w in kept.items()) / sum(kept.values())
    assert estimate.cents == round(expected) and codes(estimate) == ["forecast.note.pooled"]
    kept = estimate.notes[0].params["kept"]
    assert kept == (m("profile"), m("seasonal_rate"), m("recent"), m("run_rate"))  # not level, not last_year
    assert estimate.notes[0].params["count"] == 4
    # the same weights as data, whole percent, largest first: 100, 100, 50, 25 of 275
    assert estimate.explanation == fc.Explanation(
        "combination", shares=(("profile", 36), ("seasonal_rate", 36), ("recent", 18), ("run_rate", 9)), own_years=0)


def test_pooled_weights_shrink_the_series_own_record_toward_the_pool():
    own = {"good": [0.0] * 9, "bad": [0.5] * 9}
    pool = fc.PooledRecord(6, {"good": 0.1, "bad": 0.1}, 100)
    scores = fc.shrunk_scores(own, pool)
    # the pooled mean square counts as POOL_PRIOR errors beside the nine own ones
    assert scores["good"] == pytest.approx(fc.POOL_PRIOR * 0.1 / (fc.POOL_PRIOR + 9))
    assert scores["bad"] == pytest.approx((fc.POOL_PRIOR * 0.1 + 9 * 0.25) / (fc.POOL_PRIOR + 9))


def seasonal_years(count: int, growth: float = 0.05, noise: int = 0) -> tuple[tuple[int, ...], ...]:
    """A June bonus and December accruals on a level growing `growth` a year: the profile is the true model
    (its shares are the same every year); `noise` adds a fixed ± wiggle so no method is exact."""
    shape = (100, 97, 100, 100, 100, 145, 115, 88, 100, 100, 100, 106)
    wiggle = (1, -1, 0, 1, -1, 0, -1, 1, 0, -1, 1, 0)
    return tuple(tuple(round(v * 1000 * (1 + growth) ** k) + noise * w for v, w in zip(shape, wiggle))
                 for k in range(count))


def test_a_decisively_best_method_is_taken_alone():
    """On series whose monthly profile never changes, the profile is exact and every other method errs; with
    enough pooled errors the suggestion is the profile's estimate, not a mix, and says why."""
    peers = [seasonal_years(4, growth=0.03 + 0.01 * k) for k in range(6)]  # 6 peers × 3 scored years × 3 months
    pool = fc.pooled_record(peers, 6)
    assert pool.fewest == 54 and pool.median_error["profile"] < 1e-5 and pool.decisive() == "profile"
    own = seasonal_years(5, growth=0.04)
    data = SeriesData(own[:4], own[4][:6])
    estimate = forecast(data, "suggested", pool)
    assert estimate.cents == forecast(data, "profile").cents
    assert abs(estimate.cents - sum(own[4])) <= 2  # the true total, up to the rounding of the hand-made months
    (note,) = estimate.notes
    assert note.code == "forecast.note.alone" and note.params["method"] == m("profile")
    assert note.params["runner_up"] == m(pool.by_median_error()[1]) and note.params["ratio"] == fc.DECISIVE_RATIO
    assert note.params["error"] == Percent(pool.median_error["profile"])
    how = estimate.explanation
    assert (how.kind, how.method, how.error_tenths) == ("alone", "profile", 0)
    assert how.runner_up == pool.by_median_error()[1]
    assert how.runner_up_error_tenths == round(pool.median_error[how.runner_up] * 1000) > 0
    assert fc.Explanation.from_dict(how.as_dict()) == how  # what the store keeps comes back the same


def test_no_method_is_taken_alone_on_too_few_errors_or_a_close_race():
    few = fc.pooled_record([seasonal_years(4)], 6)  # 3 years × 3 months = 9 errors per method
    assert few.fewest == 9 and few.median_error["profile"] < 1e-5 and few.decisive() is None
    close = fc.PooledRecord(6, {m: 0.01 for m in fc.COMPONENTS}, 100,
                            {m: 0.10 + 0.01 * i for i, m in enumerate(fc.COMPONENTS)}, 100)
    assert close.decisive() is None  # 0.10 against 0.11: a race, so the mix stays
    decisive = dataclasses.replace(close, median_error={**close.median_error, "rest": 0.07})
    assert decisive.decisive() is None  # 0.07 against 0.10 is 1/1.43, short of 1/1.5
    assert dataclasses.replace(close, median_error={**close.median_error, "rest": 0.06}).decisive() == "rest"
    exact = dataclasses.replace(close, median_error={**close.median_error, "rest": 0.0, "level": 0.0})
    assert exact.decisive() is None  # two exact methods: neither is decisively better than the other
    data = SeriesData(seasonal_years(3), (60,) * 6)
    assert codes(forecast(data, "suggested", close)) == ["forecast.note.pooled"]


def test_a_pool_for_another_month_is_refused():
    with pytest.raises(Refused) as refused:
        forecast(SeriesData((SEASONAL, SEASONAL), (60,) * 5), "suggested", hand_pool(6))
    assert refused.value.problems[0].code == "forecast.pool_month"
    assert refused.value.problems[0].params == {"pool_month": 6, "month": 5}


def test_the_pooled_record_scores_only_whole_years_of_the_peers():
    steady = history_with_growth(3)
    started = (steady[0], (0, 0, 0) + steady[1][3:], steady[2])  # a peer whose unit began in month 4
    whole = fc.pooled_record([steady], 6)
    assert whole.count == 2 * 3  # two scored years × months 5..7
    assert fc.pooled_record([started], 6).count == 1 * 3  # the year that began late is not scored
    assert fc.pooled_record([], 6).count == 0 and codes(forecast(SeriesData((SEASONAL,), (60,) * 6), "suggested",
                                                                    fc.pooled_record([], 6))) == ["forecast.note.equal"]


def test_without_a_pool_the_suggestion_is_the_per_series_combination():
    data = SeriesData(history_with_growth(4), (63, 61, 66, 64, 60, 65))
    assert forecast(data, "suggested") == forecast(data, "suggested", None)
    assert codes(forecast(data, "suggested")) == ["forecast.note.trimmed"]  # weighted by earlier years


def backtest_bench():
    """bench/forecast_backtest.py as a module (the bench folder is not a package)."""
    import importlib
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    return importlib.import_module("forecast_backtest")


@pytest.mark.parametrize("poison", [10**15, 0])
def test_the_pool_never_sees_the_forecast_year_of_other_series(poison):
    """The bench builds the pool from every series' years strictly before the forecast year: poisoning the
    other series' forecast-year months after N (and later years) changes neither the pool nor the forecast."""
    fb = backtest_bench()

    def dataset(poisoned: bool) -> fb.Dataset:
        series = []
        for k, base in enumerate((SEASONAL, FLAT, (80, 90) * 6)):
            months = {}
            for y in range(2010, 2015):
                for m in range(1, 13):
                    value = base[m - 1] * (10 + k + y - 2010)
                    if poisoned and (y > 2013 or (y == 2013 and m > 6)) and k > 0:
                        value = poison
                    months[y, m] = value
            series.append(fb.Series("units", "c", f"u{k}", months))
        return fb.Dataset(series, {"c": list(range(2010, 2015))})

    clean, dirty = dataset(False), dataset(True)
    pool_clean, pool_dirty = fb.pools(clean, "units", 2013, 6, {}), fb.pools(dirty, "units", 2013, 6, {})
    assert pool_clean == pool_dirty and pool_clean.count > 0
    own = clean.series[0]
    data = SeriesData(tuple(fb.year_of(own, y) for y in (2010, 2011, 2012)), fb.year_of(own, 2013)[:6])
    assert forecast(data, "suggested", pool_clean) == forecast(data, "suggested", pool_dirty)


def test_the_bench_interval_resamples_whole_series():
    """The bench's interval of suggested ÷ best naive: exactly 0.5 when the suggestion halves every error,
    and wide when one series decides the median; a single series gives no interval."""
    from collections import defaultdict

    fb = backtest_bench()

    def outcome(naive: list[float], suggested: list[float], names: list[str]) -> fb.Outcome:
        errors = defaultdict(list)
        for method in fb.NAIVE:
            errors["units", method, 6] = list(naive)
        errors["units", "suggested", 6] = list(suggested)
        return fb.Outcome(errors, 0, defaultdict(int), {}, {("units", 6): names})

    names = [f"s{i // 2}" for i in range(20)]  # 10 series, 2 years each
    naive = [float(i + 1) for i in range(20)]
    assert fb.ratio_interval(outcome(naive, [e / 2 for e in naive], names), "units") == (0.5, 0.5)
    mixed = [e / 2 if i < 10 else e * 2 for i, e in enumerate(naive)]  # better on half the series, worse on half
    low, high = fb.ratio_interval(outcome(naive, mixed, names), "units")
    assert low < 1 < high
    assert fb.ratio_interval(outcome(naive, naive, ["one"] * 20), "units") is None


# --- the range ----------------------------------------------------------------------------------------------


def step_year(level: int, after: int) -> tuple[int, ...]:
    """Seven months at `level`, then five at `after`: the run-rate at months 5..7 is 12 × level, so its
    relative error on the year is 12 × level / (7 × level + 5 × after) − 1, the same at each inner month."""
    return (level,) * 7 + (after,) * 5


def test_the_range_is_the_pools_conformal_quantile_of_the_methods_errors():
    """Peers with one earlier (flat) year and one scored year whose second half steps by a known amount: the
    run-rate's errors are known by hand, and every peer has the same scale (no own record), so the range of
    a run-rate estimate of a series without a record is value / (1 + q) for the 10 % and 90 % quantiles q of
    those errors, at the conformal level ceil((n + 1) × 0.9) / n."""
    afters = [60, 70, 80, 85, 90, 95, 100, 105, 110, 120, 130, 150]
    peers = [((1000,) * 12, step_year(1000, 10 * a)) for a in afters]
    pool = fc.pooled_record(peers, 6)
    assert pool.scaled_count == 3 * len(afters)  # one scored year × months 5..7 each
    errors = sorted(12 * 1000 / (7 * 1000 + 5 * 10 * a) - 1 for a in afters for _ in range(3))
    n = len(errors)
    upper = math.ceil((n + 1) * 0.9) / n

    def by_hand(level: float) -> float:
        position = level * (n - 1)
        below = math.floor(position)
        return errors[below] + (errors[below + 1] - errors[below]) * (position - below)

    data = SeriesData(((1000,) * 12,), (1000,) * 6)
    low, high = fc.calibrated_range(data, 12_000.0, {"run_rate": 1.0}, pool)
    assert low == round(12_000 / (1 + by_hand(upper)))
    assert high == round(12_000 / (1 + by_hand(1 - upper)))


def noisy_years(count: int, noise: float, rng: random.Random, level: int = 100_000) -> tuple[tuple[int, ...], ...]:
    """A flat series whose every month is the level times a random factor of ± `noise` (uniform), growing a
    random −5…+10 % a year: no method is exact, and a noisier series errs more."""
    years, current = [], level
    for _ in range(count):
        years.append(tuple(round(current * (1 + rng.uniform(-noise, noise))) for _ in range(12)))
        current = round(current * (1 + rng.uniform(-0.05, 0.10)))
    return tuple(years)


def test_the_80_percent_range_holds_about_4_in_5_new_years_and_widens_with_noise():
    """An independent check of the calibration: 160 series, half quiet (± 10 % a month) and half noisy (± 60 %),
    three years each. The pool is built from years 1–2, and year 3 (which no part of the pool has seen) is
    forecast at month 6: the range holds the actual in about 80 % of them, and the noisy half's ranges are
    wider. On data this short the span of a series' own earlier surprises (the range without a pool) holds
    far fewer: one scored year is too little to show how far a series can surprise."""
    rng = random.Random(20261128)
    series = [noisy_years(3, 0.1 if k % 2 else 0.6, rng) for k in range(160)]
    pool = fc.pooled_record([s[:2] for s in series], 6)
    inside = own_span_inside = 0
    widths: dict[float, list[float]] = {0.1: [], 0.6: []}
    for k, years in enumerate(series):
        data, actual = SeriesData(years[:2], years[2][:6]), sum(years[2])
        estimate = forecast(data, "suggested", pool)
        assert estimate.explanation.range_percent == 80
        inside += estimate.low_cents <= actual <= estimate.high_cents
        widths[0.1 if k % 2 else 0.6].append((estimate.high_cents - estimate.low_cents) / actual)
        own = [e for name, _ in estimate.explanation.shares for e in fc.inner_errors(data, (name,))[name]]
        low, high = fc.spread(data, estimate.cents, own)
        own_span_inside += low <= actual <= high
    assert 0.72 <= inside / len(series) <= 0.88
    assert own_span_inside / len(series) < 0.65
    assert statistics.median(widths[0.6]) > 2 * statistics.median(widths[0.1])


def test_too_small_a_pool_gives_the_span_of_own_surprises():
    """Fewer than RANGE_MIN_ERRORS pooled inner forecasts: the tails would be guesses, so the range is the old
    span (range_percent 0), and the explanation says which it is, also after the store's round trip."""
    rng = random.Random(7)
    small = fc.pooled_record([noisy_years(4, 0.2, rng) for _ in range(3)], 6)  # 3 peers × 3 years × 3 months
    assert small.scaled_count == 27 < fc.RANGE_MIN_ERRORS
    data = SeriesData(noisy_years(3, 0.2, rng), (100_000,) * 6)
    estimate = forecast(data, "suggested", small)
    assert estimate.explanation.range_percent == 0
    assert fc.calibrated_range(data, 600_000.0, {"run_rate": 1.0}, small) is None
    bigger = fc.pooled_record([noisy_years(4, 0.2, rng) for _ in range(4)], 6)
    how = forecast(data, "suggested", bigger).explanation
    assert how.range_percent == 80 and fc.Explanation.from_dict(how.as_dict()) == how
    assert fc.Explanation.from_dict({"kind": "single", "method": "profile"}).range_percent == 0  # stored before


def test_a_cost_line_gets_the_mirror_image_of_its_range():
    """A cost line (negative in statement sign) is forecast as its mirror image: its range is the revenue
    range negated. The pool reads a mirrored peer exactly as the original: the methods assume positive amounts
    (a negative year has no seasonal indices), so a pool that scored cost lines unmirrored ranked the seasonal
    methods by their seasonless errors."""
    rng = random.Random(11)
    peers = [noisy_years(4, 0.3, rng) for _ in range(12)]
    mirrored = [tuple(tuple(-v for v in y) for y in p) for p in peers]
    assert fc.pooled_record(mirrored, 6) == fc.pooled_record(peers, 6)
    years = noisy_years(4, 0.3, rng)
    revenue = forecast(SeriesData(years[:3], years[3][:6]), "suggested", fc.pooled_record(peers, 6))
    cost = forecast(SeriesData(tuple(tuple(-v for v in y) for y in years[:3]), tuple(-v for v in years[3][:6])),
                    "suggested", fc.pooled_record(mirrored, 6))
    assert (cost.cents, cost.low_cents, cost.high_cents) == (-revenue.cents, -revenue.high_cents, -revenue.low_cents)
    assert cost.low_cents < cost.cents < cost.high_cents
