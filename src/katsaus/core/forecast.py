"""Year-end forecasts (TPE) of one monthly series, from its earlier years and this year's months to date.

Plain Python over integer cents; no Django, no files. A *series* is one unit × statement line (or, in the
backtest, a council or one of its departments). Months are counted in the **financial year**: month 1 is the
year's first month, whatever calendar month that is (:func:`fiscal_position` converts).

The only way in is :class:`SeriesData`: the earlier years, the months of this year *up to and including*
month N, and optionally the budget. A method therefore cannot see the months it forecasts: they are not in
its input. Every forecast returns a year-end estimate in whole cents, the method actually used (after any
fallback), a range, and notes (`Note`, codes `forecast.note.*`) saying why it fell back or how the combination
chose. An input that cannot be forecast at all is refused (`Refused`, codes `forecast.*`).

Methods (docs/forecasting.md explains each, with its failure modes and the backtest):

``budget``         the budget as the forecast (what controllers start from).
``run_rate``       actual to date × 12 / N.
``profile``        actual to date / the share of the year booked by month N in earlier years (up to 3 years;
                   the median share when there are 3, so that one odd year does not drive it).
``last_year``      the previous year's total.
``recent``         actual to date + the mean of the last 3 months × the months left.
``rest``           actual to date + what earlier years (mean of up to 3) booked in the months left.
``seasonal_rate``  actual to date + a robust (Huber) monthly level of this year's months, each divided by its
                   seasonal index, × the seasonal indices of the months left.
``level``          actual to date + a robust local level (exponential smoothing over the earlier years' and
                   this year's deseasonalised months, one-off spikes capped) × the seasonal indices left.
``level_fast``     the same with a shorter memory.
``suggested``      a per-series weighted combination of the 8 methods above except the budget. Without a pooled
                   record: the two highest and two lowest estimates are left out, the other four weighted by
                   how well each forecast this series' own earlier years (an inner backtest at months
                   N−1..N+1, shrunk toward equal weights). With a :class:`PooledRecord` (the same inner
                   backtest run on the earlier years of all series of the same level, :func:`pooled_record`):
                   the 4 methods with the smallest pooled error are kept and weighted by the inverse of this
                   series' own mean squared error shrunk toward the pooled one (empirical Bayes); when one
                   method is decisively best in the pool (median error at most 2/3 of every other's, 30+
                   errors each), it alone. Neither the series' nor the peers' year being forecast is in the
                   input, so it cannot leak.

The range: with a pool of at least RANGE_MIN_ERRORS inner forecasts, a suggestion's range is an 80 % range —
the pool's quantiles of each method's errors on its peers' own scale, mixed like the estimate and put on this
series' scale (:func:`calibrated_range`); otherwise, and for a single method asked for by name, the span of the
series' own earlier surprises (:func:`spread`), which is not a statistical interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from statistics import median

from .errors import Note, Param, Percent, Problem, Refused, Term
from .rounding import Rounding, round_to

MONTHS = 12
Year = tuple[int, ...]  # 12 monthly amounts in cents, month 1 = the financial year's first month

PROFILE_YEARS = 3  # profiles, remainders and seasonal indices come from at most this many recent years
RECENT_MONTHS = 3  # the "recent" method's window
MIN_SHARE = 0.02  # a share of the year this small (or negative) makes "to date / share" meaningless
MIN_INDEX = 0.05  # a seasonal index below this is not divided by (a month that is normally empty)
HUBER_C = 1.5  # Huber's constant, in robust standard deviations (MAD × 1.4826)
# (smoothing weight of each new month, largest innovation as a share of the level)
LEVEL_SLOW = (0.05, 1.0)
LEVEL_FAST = (0.10, 0.5)
# the combination: every single method except the budget (the backtest data has none, and a budget is a
# target, not an observation); the TRIM highest and TRIM lowest estimates are left out, the rest weighted
COMPONENTS = ("run_rate", "profile", "last_year", "recent", "rest", "seasonal_rate", "level", "level_fast")
TRIM = 2
PRIOR_ERRORS = 3.0  # the pooled record counts like this many inner errors of each method (about one year)
INNER_WINDOW = 1  # the inner backtest scores months N-1..N+1, so one month's luck does not decide
# the pooled suggestion: keep the POOL_KEEP methods with the smallest pooled error; the pooled mean square
# counts as POOL_PRIOR errors beside the series' own; relative errors are capped at ERROR_CAP when scored
POOL_KEEP = 4
POOL_PRIOR = 1.0
# One method alone instead of the mix, when the pool says the data are of its kind: with at least this many
# pooled errors per method, its median error is at most 1/DECISIVE_RATIO of every other method's.
DECISIVE_RATIO = 1.5
DECISIVE_MIN_ERRORS = 30
ERROR_CAP = 1.0
# The range of a pooled suggestion is an 80 % range: the actual year-end fell below it in about 10 % of the
# pool's inner forecasts and above it in about 10 %, once each error is put on the series' own scale. With
# fewer pooled inner forecasts than RANGE_MIN_ERRORS the tails are guesses, and the range is the span of the
# series' own earlier surprises instead. In a series' scale, the pooled mean square counts as RANGE_PRIOR of
# its own errors.
RANGE_LEVEL = 0.80
RANGE_MIN_ERRORS = 30
RANGE_PRIOR = 3.0
METHODS = (
    "budget", "run_rate", "profile", "last_year", "recent", "rest", "seasonal_rate", "level", "level_fast", "suggested",
)


def method_term(name: str) -> Term:
    """A forecast method's name as words (term.forecast_method.*)."""
    return Term(f"forecast_method.{name}")


def months_to_date(count: int) -> Refused:
    """The input cannot be forecast at all (a wrong shape, an unknown method: `Refused`); too little history is
    not a refusal but a fallback."""
    return Refused(Problem("forecast.months_to_date", {"count": count, "most": MONTHS}))


def year_length(index: int, months: int) -> Refused:
    return Refused(Problem("forecast.year_length", {"index": index, "months": months, "expected": MONTHS}))


@dataclass(frozen=True)
class SeriesData:
    """Everything a forecast may know about one series at month N of the year being forecast."""

    history: tuple[Year | None, ...]  # earlier financial years, oldest first, the last is the previous year;
    #                                   None: the series had no entries that year (a unit that did not exist)
    to_date: tuple[int, ...]  # this year's months 1..N, N = len(to_date)
    budget: int | None = None  # this year's budget for the series, if any

    def __post_init__(self) -> None:
        if not 1 <= len(self.to_date) <= MONTHS:
            raise months_to_date(len(self.to_date))
        for index, year in enumerate(self.history):
            if year is not None and len(year) != MONTHS:
                raise year_length(index, len(year))

    @property
    def month(self) -> int:
        return len(self.to_date)

    def at(self, back: int, month: int) -> SeriesData:
        """The situation `back` years ago at `month`: the inner backtest's input (no budget then)."""
        cut = len(self.history) - back
        target = self.history[cut]
        assert target is not None
        return SeriesData(self.history[:cut], tuple(target[:month]))

    def negated(self) -> SeriesData:
        def flip(values: Sequence[int]) -> tuple[int, ...]:
            return tuple(-v for v in values)

        return SeriesData(
            tuple(None if y is None else flip(y) for y in self.history),
            flip(self.to_date),
            None if self.budget is None else -self.budget,
        )


EXPLANATION_KINDS = ("single", "fallback", "actual", "combination", "alone", "trimmed", "equal", "model")


@dataclass(frozen=True)
class Explanation:
    """How an estimate was made, as data, so that a report or a sheet can word it in its reader's language
    (the estimate's `notes` add why it fell back and what was left out).

    kind: ``single`` (one method as asked), ``fallback`` (a simpler method stood in for `fell_back_from`),
    ``actual`` (the year is complete), ``combination`` (the pooled choice weighted by the series' own record of
    `own_years` years), ``alone`` (one method decisively best in the pool), ``trimmed`` (the combination without a
    pool), ``equal`` (equal weights: one earlier year), ``model`` (the global model of `model_rows` training rows,
    mixed with version 3.2's methods by `shares`; "global" names the model). Shares are whole percent, largest first; median errors
    are tenths of a percent. They are words for readers, not figures: the estimate itself is exact cents."""

    kind: str
    method: str = ""
    shares: tuple[tuple[str, int], ...] = ()
    fell_back_from: tuple[str, ...] = ()
    own_years: int = 0
    runner_up: str = ""
    error_tenths: int = 0  # the method's median error in the pool, tenths of a percent (kind "alone")
    runner_up_error_tenths: int = 0
    range_percent: int = 0  # 80: the range is an 80 % range calibrated on the pool; 0: the span of own surprises
    model_rows: int = 0  # kind "model": the global model's training rows (series-years × months)

    def __post_init__(self) -> None:
        if self.kind not in EXPLANATION_KINDS:
            raise Refused(Problem("forecast.explanation_kind", {"kind": self.kind, "kinds": EXPLANATION_KINDS}))

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, for the store."""
        return {"kind": self.kind, "method": self.method, "shares": [list(s) for s in self.shares],
                "fell_back_from": list(self.fell_back_from), "own_years": self.own_years, "runner_up": self.runner_up,
                "error_tenths": self.error_tenths, "runner_up_error_tenths": self.runner_up_error_tenths,
                "range_percent": self.range_percent, "model_rows": self.model_rows}

    @staticmethod
    def from_dict(value: Mapping[str, object] | None) -> Explanation | None:
        if not value:
            return None
        def text(key: str) -> str:
            return str(value.get(key) or "")

        def number(key: str) -> int:
            found = value.get(key) or 0
            return int(found) if isinstance(found, int | str | float) else 0

        def items(key: str) -> list[object]:
            found = value.get(key) or ()
            return list(found) if isinstance(found, list | tuple) else []

        shares = tuple((str(pair[0]), int(pair[1])) for pair in items("shares")
                       if isinstance(pair, list | tuple) and len(pair) == 2 and isinstance(pair[1], int | str | float))
        return Explanation(
            text("kind"), text("method"), shares, tuple(str(m) for m in items("fell_back_from")), number("own_years"),
            text("runner_up"), number("error_tenths"), number("runner_up_error_tenths"), number("range_percent"),
            number("model_rows"),
        )


def percent_shares(share: dict[str, float]) -> tuple[tuple[str, int], ...]:
    """Weights as whole percent, largest first (ties in the methods' order), for an explanation."""
    ordered = sorted(share, key=lambda name: (-share[name], COMPONENTS.index(name)))
    return tuple((name, whole(share[name] * 100)) for name in ordered)


def tenths(error: float) -> int:
    return whole(error * 1000)


def whole(value: float, rule: Rounding = "half_even") -> int:
    """A float (a weight, an error, a model's estimate) as a whole number through the one rounding function:
    the float's exact value, by `rule` (half_even is what Python's round() did here before)."""
    if not math.isfinite(value):
        raise Refused(Problem("forecast.not_a_number", {"value": str(value)}))
    return int(round_to(Fraction(value), 0, rule))


@dataclass(frozen=True)
class Estimate:
    cents: int
    method: str  # the method that produced the figure (after fallback)
    low_cents: int | None  # a range; None when there is nothing to base one on (a budget)
    high_cents: int | None
    requested: str  # the method asked for
    notes: tuple[Note, ...] = ()  # why it fell back, what the combination compared (codes forecast.note.*)
    explanation: Explanation | None = None  # how it was made, as data, for readers in any language

    @property
    def fell_back(self) -> bool:
        """True when a simpler method had to stand in for the one asked for."""
        return self.method != self.requested


@dataclass(frozen=True)
class ForecastFigure:
    """One figure of a forecast version (whole year, statement sign) with where it came from."""

    unit: str
    line: str
    cents: int
    method: str  # a method name for a suggestion, "budget" for a kept budget, "manual" for an own value
    reason: str = ""  # the controller's reason; empty only for machine suggestions
    low_cents: int | None = None
    high_cents: int | None = None
    entered_by: str = ""
    explanation: Explanation | None = None  # how a suggestion was made (kept when a controller takes it)


# --- calendar -------------------------------------------------------------------------------------------


def fiscal_position(year: int, month: int, start_month: int = 1) -> tuple[int, int]:
    """(financial year, month of the financial year) of a calendar month.

    A financial year is named by the calendar year it starts in: with start_month=4, April 2013–March 2014
    is financial year 2013 and March 2014 is its month 12.
    """
    if not 1 <= start_month <= MONTHS or not 1 <= month <= MONTHS:
        raise Refused(Problem("forecast.calendar_month", {"month": month, "start": start_month}))
    offset = month - start_month
    return (year, offset + 1) if offset >= 0 else (year - 1, offset + MONTHS + 1)


def calendar_position(fiscal_year: int, fiscal_month: int, start_month: int = 1) -> tuple[int, int]:
    """The inverse of :func:`fiscal_position`."""
    zero_based = start_month - 1 + fiscal_month - 1
    return fiscal_year + zero_based // MONTHS, zero_based % MONTHS + 1


# --- history helpers ------------------------------------------------------------------------------------


def full_years(data: SeriesData) -> list[Year]:
    """Earlier years usable as a pattern, newest last.

    A year is left out when the series had no entries or summed to 0 in it, and when it is the series' first
    year and its first two months are empty: a unit that began mid-year has no full year's pattern then.
    """
    years: list[Year] = []
    previous: Year | None = None
    for index, year in enumerate(data.history):
        started_late = year is not None and (index == 0 or previous is None) and year[0] == 0 and year[1] == 0
        if year is not None and sum(year) != 0 and not started_late:
            years.append(year)
        previous = year
    return years


def recent_years(data: SeriesData) -> list[Year]:
    return full_years(data)[-PROFILE_YEARS:]


def seasonal_indices(years: Sequence[Year]) -> list[float]:
    """Each month's amount relative to its year's monthly mean, averaged over the years and shrunk toward 1
    by k/(k+1) for k years: one year's pattern is half noise, so it counts half."""
    ratios = [[v * MONTHS / sum(y) for v in y] for y in years if sum(y) > 0]
    if not ratios:
        return [1.0] * MONTHS
    k = len(ratios)
    weight = k / (k + 1)
    return [1 + weight * (sum(r[m] for r in ratios) / k - 1) for m in range(MONTHS)]


def deseasonalised(values: Sequence[int], indices: Sequence[float]) -> list[float]:
    return [v / s if s > MIN_INDEX else float(v) for v, s in zip(values, indices)]


def huber_location(values: Sequence[float]) -> float:
    """Huber's M-estimate of the centre: a mean in which values far from the median count less."""
    centre = median(values)
    scale = median(abs(v - centre) for v in values) * 1.4826
    if scale <= 0:
        return centre  # most values are equal: the others are all "far" from them
    for _ in range(30):
        trust = [1.0 if abs(v - centre) <= HUBER_C * scale else HUBER_C * scale / abs(v - centre) for v in values]
        updated = sum(t * v for t, v in zip(trust, values)) / sum(trust)
        if abs(updated - centre) <= 1e-9 * (abs(centre) + 1):
            return updated
        centre = updated
    return centre


# --- the single methods ----------------------------------------------------------------------------------
# Each takes the series data (sign-normalised: the series sums to >= 0) and returns a float estimate in
# cents, or None when it cannot be applied.

Method = Callable[[SeriesData], "float | None"]


def by_budget(data: SeriesData) -> float | None:
    return None if data.budget is None else float(data.budget)


def by_run_rate(data: SeriesData) -> float:
    return sum(data.to_date) * MONTHS / data.month


def year_share(year: Year, month: int) -> float | None:
    total = sum(year)
    return None if total == 0 else sum(year[:month]) / total


def by_profile(data: SeriesData) -> float | None:
    """To date divided by the share of the year earlier years had booked by this month."""
    shares = [s for y in recent_years(data) if (s := year_share(y, data.month)) is not None]
    if not shares:
        return None
    # with 3 years the median ignores one odd year; with 1–2 the mean is all there is
    share = median(shares) if len(shares) >= 3 else sum(shares) / len(shares)
    if share < MIN_SHARE:
        return None
    return sum(data.to_date) / share


def by_last_year(data: SeriesData) -> float | None:
    previous = data.history[-1] if data.history else None
    return None if previous is None else float(sum(previous))


def by_recent(data: SeriesData) -> float:
    window = data.to_date[-RECENT_MONTHS:]
    return sum(data.to_date) + (MONTHS - data.month) * sum(window) / len(window)


def by_rest(data: SeriesData) -> float | None:
    """To date plus what earlier years booked in the months still to come."""
    years = recent_years(data)
    if not years:
        return None
    rests = [sum(y[data.month :]) for y in years]
    return sum(data.to_date) + sum(rests) / len(rests)


def by_seasonal_rate(data: SeriesData) -> float | None:
    """A run-rate that knows the season and ignores this year's one-off months."""
    years = recent_years(data)
    if not years:
        return None
    indices = seasonal_indices(years)
    level = huber_location(deseasonalised(data.to_date, indices))
    return sum(data.to_date) + level * sum(indices[data.month :])


def local_level(data: SeriesData, alpha: float, cap: float) -> float | None:
    """Exponential smoothing of the deseasonalised months of earlier years and of this year.

    Each month moves the level by `alpha` × the surprise, the surprise capped at `cap` × the level, so a
    single huge payment does not carry into the months left. Memory reaches back over the earlier years,
    which steadies noisy series; the level still follows a lasting change within the year.
    """
    years = recent_years(data)
    if not years:
        return None
    indices = seasonal_indices(years)
    level = sum(years[0]) / MONTHS
    months = [v for y in years for v in y] + list(data.to_date)
    for value in deseasonalised(months, indices * (len(months) // MONTHS + 1)):
        surprise = value - level
        if level > 0:  # a cap relative to a level of 0 would freeze it
            surprise = max(-cap * level, min(cap * level, surprise))
        level += alpha * surprise
    return sum(data.to_date) + level * sum(indices[data.month :])


def by_level(data: SeriesData) -> float | None:
    return local_level(data, *LEVEL_SLOW)


def by_level_fast(data: SeriesData) -> float | None:
    return local_level(data, *LEVEL_FAST)


SINGLE: dict[str, Method] = {
    "budget": by_budget,
    "run_rate": by_run_rate,
    "profile": by_profile,
    "last_year": by_last_year,
    "recent": by_recent,
    "rest": by_rest,
    "seasonal_rate": by_seasonal_rate,
    "level": by_level,
    "level_fast": by_level_fast,
}

# When a method cannot be applied, the next simpler one is tried, and the estimate says so.
FALLBACK: dict[str, tuple[str, ...]] = {
    "budget": ("level", "run_rate"),
    "profile": ("run_rate",),
    "last_year": ("run_rate",),
    "rest": ("run_rate",),
    "seasonal_rate": ("run_rate",),
    "level": ("run_rate",),
    "level_fast": ("run_rate",),
    "recent": (),
    "run_rate": (),
    "suggested": ("run_rate",),
}

# why a method could not be applied: the words are term.forecast_why.* (a method not listed: not_applicable)
WHY = {
    "budget": "no_budget",  # no budget
    "profile": "no_profile",  # no earlier year with a usable monthly profile
    "last_year": "no_last_year",  # no entries in the previous year
    "rest": "no_earlier_year",  # no earlier year with a non-zero total
    "seasonal_rate": "no_earlier_year",
    "level": "no_earlier_year",
    "level_fast": "no_earlier_year",
    "suggested": "no_earlier_year",
}


# --- the combination -------------------------------------------------------------------------------------


def inner_errors(data: SeriesData, methods: Sequence[str]) -> dict[str, list[float]]:
    """Relative errors each method made on this series' own earlier years, at months N-1..N+1.

    Earlier year k is forecast from the years before k only. The year being forecast now is not in `data`
    at all, so nothing about it can leak into the weights.
    """
    return history_errors(data.history, data.month, methods)


def inner_window(month: int) -> range:
    return range(max(1, month - INNER_WINDOW), min(MONTHS - 1, month + INNER_WINDOW) + 1)


def history_errors(
    history: Sequence[Year | None], month: int, methods: Sequence[str], whole_years: bool = False
) -> dict[str, list[float]]:
    """The inner backtest on a history alone: every year that has a year before it, forecast from the years
    before it at months month-1..month+1. Only `history` is read (no month of the year being forecast).

    whole_years: score only years with an amount in every month; a year in which a unit started, stopped
    or paused has errors that say nothing about the methods (the pooled suggestion uses this)."""
    errors: dict[str, list[float]] = {m: [] for m in methods}
    history = tuple(history)
    for cut in range(1, len(history)):
        if whole_years and not is_whole(history[cut]):
            continue
        for name, values in target_errors(history[: cut + 1], month).items():
            if name in errors:
                errors[name] += values
    return errors


def is_whole(year: Year | None) -> bool:
    """A year with an amount in every month: one a unit started, stopped or paused in says nothing about the
    methods, so pooled and own records score whole years only."""
    return year is not None and 0 not in year


@lru_cache(maxsize=200_000)
def inner_estimates(prefix: tuple[Year | None, ...], month: int) -> tuple[dict[str, float | None], ...]:
    """Every component's estimate (None where it does not apply) of the last year of `prefix`, from the years
    before it at months month-1..month+1 (cached: a pooled record re-uses each series' earlier years)."""
    target = prefix[-1]
    if target is None or sum(target) == 0:
        return ()
    return tuple(
        {name: SINGLE[name](past) for name in COMPONENTS}
        for past in (SeriesData(prefix[:-1], tuple(target[:inner_month])) for inner_month in inner_window(month))
    )


def target_errors(prefix: tuple[Year | None, ...], month: int) -> dict[str, list[float]]:
    """The relative errors of every component that applies on the last year of `prefix` (see inner_estimates)."""
    errors: dict[str, list[float]] = {m: [] for m in COMPONENTS}
    estimates = inner_estimates(prefix, month)
    target = prefix[-1]
    if estimates and target is not None:  # inner_estimates gives none for a missing year
        actual = sum(target)
        for values in estimates:
            for name, value in values.items():
                if value is not None:
                    errors[name].append((value - actual) / abs(actual))
    return errors


def mean_square(values: Sequence[float]) -> float:
    return sum(e * e for e in values) / len(values)


def weights(errors: dict[str, list[float]]) -> dict[str, float]:
    """Inverse mean squared error weights, each method's record shrunk toward the pooled record.

    PRIOR_ERRORS pooled errors are added to every method's own, so a method with one lucky year does not
    take over, and a method with no record gets the pooled error (an average weight).
    """
    pooled_values = [e for values in errors.values() for e in values]
    pooled = mean_square(pooled_values) if pooled_values else 0.0
    raw = {
        name: 1 / ((PRIOR_ERRORS * pooled + sum(e * e for e in values)) / (PRIOR_ERRORS + len(values)) + 1e-12)
        for name, values in errors.items()
    }
    total = sum(raw.values())
    return {name: w / total for name, w in raw.items()}


# --- the pooled record (other series' earlier years) ------------------------------------------------------


@dataclass(frozen=True)
class PooledRecord:
    """How each component did at months N-1..N+1 on the earlier years of many series (the same level: all
    council totals, or all units), built by :func:`pooled_record` from their *earlier years only*.

    It holds no month of the year being forecast, of any series: the peers' histories end with the year
    before it. `month` is the N it was built for; a forecast at another month refuses it.
    """

    month: int
    mean_square: dict[str, float]  # method -> mean squared (capped) relative error over all peers' years
    count: int  # inner errors per method behind it (the most any method has)
    median_error: dict[str, float] = field(default_factory=dict)  # method -> median absolute (capped) error
    fewest: int = 0  # inner errors of the method with the fewest
    # the range: each method's lower and upper quantile of its inner errors on the series' own scale
    # (see calibration), the mean square the scales shrink toward, and how many inner forecasts are behind it
    scaled_quantiles: dict[str, tuple[float, float]] = field(default_factory=dict)
    scale_mean_square: float = 0.0
    scaled_count: int = 0

    def decisive(self) -> str | None:
        """The method that is decisively best on the pool, or None: with at least DECISIVE_MIN_ERRORS errors
        of every method, its median error is at most 1/DECISIVE_RATIO of the next best method's. A structurally
        right method (a stable seasonal ledger and the profile) looks like this; mixing others in only adds
        their errors. Ties in the order of COMPONENTS."""
        if self.fewest < DECISIVE_MIN_ERRORS or len(self.median_error) != len(COMPONENTS):
            return None
        ranked = self.by_median_error()
        best, second = self.median_error[ranked[0]], self.median_error[ranked[1]]
        return ranked[0] if second > 0 and second >= DECISIVE_RATIO * best else None  # a tie at 0 decides nothing

    def by_median_error(self) -> list[str]:
        """The methods from the smallest pooled median error up; ties in the order of COMPONENTS."""
        return sorted(self.median_error, key=lambda name: (self.median_error[name], COMPONENTS.index(name)))


def capped(error: float) -> float:
    return max(-ERROR_CAP, min(ERROR_CAP, error))


def pooled_record(histories: Sequence[Sequence[Year | None]], month: int) -> PooledRecord:
    """The pooled inner backtest over the peers' histories (each: the series' years before the forecast year,
    oldest first, like :attr:`SeriesData.history`) at months month-1..month+1."""
    if not 1 <= month <= MONTHS:
        raise months_to_date(month)
    for history in histories:
        for index, year in enumerate(history):
            if year is not None and len(year) != MONTHS:
                raise year_length(index, len(year))
    years = scored_years(histories)
    errors: dict[str, list[float]] = {m: [] for m in COMPONENTS}
    for prefix, target in years:
        for name, values in target_errors(prefix + (target,), month).items():
            errors[name] += [capped(e) for e in values]
    scores = {name: mean_square(v) for name, v in errors.items() if v}
    medians = {name: median(abs(e) for e in v) for name, v in errors.items() if v}
    counts = [len(v) for v in errors.values()]
    quantiles, scale_square, rows = calibration(years, month)
    return PooledRecord(month, scores, max(counts, default=0), medians, min(counts, default=0),
                        quantiles, scale_square, rows)


# --- the range ---------------------------------------------------------------------------------------------


def scored_years(histories: Sequence[Sequence[Year | None]]) -> list[tuple[tuple[Year | None, ...], Year]]:
    """Every peer year the pool scores, with the years before it: whole years only (an amount in every month;
    a year in which a unit started, stopped or paused says nothing about the methods), each mirrored when its
    series sums to a negative amount, as forecast() mirrors a cost line (so the methods are scored as they are
    used: on positive amounts)."""
    years = []
    for series in histories:
        history = tuple(series)
        for cut in range(1, len(history)):
            target = history[cut]
            if target is not None and is_whole(target):
                years.append(oriented(history[:cut], target))
    return years


def calibration(
    years: Sequence[tuple[tuple[Year | None, ...], Year]], month: int
) -> tuple[dict[str, tuple[float, float]], float, int]:
    """The pool's record for the range: every scored peer year (scored_years), forecast at months
    month-1..month+1 by each component (after its fallback, as the suggestion uses it), its capped relative
    error divided by the peer's scale *as it was then* (from the years before that year). Returns each
    method's lower and upper quantile of these scaled errors (RANGE_LEVEL in the middle, with the
    finite-sample margin of a conformal quantile), the pooled mean square and the number of inner forecasts."""
    rows: list[tuple[dict[str, float], tuple[float, int]]] = []
    for prefix, target in years:
        own = own_squares(prefix, month)
        rows += [(errors, own) for errors in point_errors(prefix + (target,), month)]
    if not rows:
        return {}, 0.0, 0
    squares = [e * e for errors, _ in rows for e in errors.values()]
    pooled = sum(squares) / len(squares)
    scales = [scale(own, pooled) for _, own in rows]
    upper = min(1.0, math.ceil((len(rows) + 1) * (1 + RANGE_LEVEL) / 2) / len(rows))
    quantiles = {}
    for name in COMPONENTS:
        scaled = sorted(errors[name] / s for (errors, _), s in zip(rows, scales))
        quantiles[name] = (quantile(scaled, 1 - upper), quantile(scaled, upper))
    return quantiles, pooled, len(rows)


def oriented(history: tuple[Year | None, ...], target: Year) -> tuple[tuple[Year | None, ...], Year]:
    """A peer's year as the forecast sees it: a series summing to a negative amount is mirrored (as forecast()
    mirrors a cost line), so that errors above and below mean the same for costs and revenues."""
    if sum(target) + sum(sum(y) for y in history if y is not None) >= 0:
        return history, target
    return tuple(None if y is None else tuple(-v for v in y) for y in history), tuple(-v for v in target)


def point_errors(prefix: tuple[Year | None, ...], month: int) -> list[dict[str, float]]:
    """Per inner month, every component's capped relative error on the last year of `prefix`, a component that
    does not apply replaced by its fallback (the run-rate), as point() does."""
    estimates = inner_estimates(prefix, month)
    target = prefix[-1]
    if not estimates or target is None:  # inner_estimates gives none for a missing year
        return []
    actual = sum(target)

    def applied(values: Mapping[str, float | None], name: str) -> float:
        value = values[name]
        run_rate = values["run_rate"]
        assert run_rate is not None  # the run-rate always applies
        return value if value is not None else run_rate

    return [{name: capped((applied(values, name) - actual) / abs(actual)) for name in COMPONENTS}
            for values in estimates]


def own_squares(history: Sequence[Year | None], month: int) -> tuple[float, int]:
    """The sum of squared capped inner errors of all components on a series' own whole earlier years, and
    their number: how forecastable the series has been."""
    errors = history_errors(history, month, COMPONENTS, whole_years=True)
    squares = [capped(e) ** 2 for values in errors.values() for e in values]
    return sum(squares), len(squares)


def scale(own: tuple[float, int], pooled: float) -> float:
    """A series' typical relative error: its own root mean square shrunk toward the pool's (empirical Bayes;
    a series without a record gets the pool's)."""
    total, count = own
    return math.sqrt((RANGE_PRIOR * pooled + total) / (RANGE_PRIOR + count)) or 1e-9


def quantile(ordered: Sequence[float], level: float) -> float:
    """The level-quantile of sorted values, interpolated linearly between neighbours."""
    position = level * (len(ordered) - 1)
    below = int(math.floor(position))
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def calibrated_range(
    data: SeriesData, value: float, share: dict[str, float], pool: PooledRecord | None
) -> tuple[int, int] | None:
    """The 80 % range of an estimate that mixes the components with `share`: the pool's scaled error
    quantiles, mixed with the same weights, on this series' scale. None when the pool is too small for tails
    (the caller then uses the span of own surprises). Mixing quantiles by weight is the quantile of the mix
    when the components' errors move together (they forecast the same year), and wider otherwise."""
    if pool is None or pool.scaled_count < RANGE_MIN_ERRORS or not pool.scaled_quantiles:
        return None
    size = scale(own_squares(data.history, data.month), pool.scale_mean_square)
    low = size * sum(w * pool.scaled_quantiles[name][0] for name, w in share.items())
    high = size * sum(w * pool.scaled_quantiles[name][1] for name, w in share.items())
    # When the pool's errors lean one way the range may leave the estimate out; bounds() widens it to hold it,
    # since a suggestion outside its own range reads as a mistake
    return bounds(value, low, high)


def ranged(data: SeriesData, value: float, share: dict[str, float], pool: PooledRecord | None,
           own_errors: Sequence[float]) -> tuple[int, int, int]:
    """The range of an estimate and its kind (80, or 0 for the span of own surprises)."""
    found = calibrated_range(data, value, share, pool)
    if found is not None:
        return found[0], found[1], whole(RANGE_LEVEL * 100)
    low, high = spread(data, value, own_errors)
    return low, high, 0


# --- the combination -----------------------------------------------------------------------------------------


def suggested(data: SeriesData, pool: PooledRecord | None = None) -> Estimate | None:
    """The suggestion (see the module docstring): with a pooled record, the pooled choice of four methods
    weighted by this series' own record shrunk toward the pool; without one, the trimmed combination."""
    if not full_years(data):
        return None  # with no earlier year every method is a run-rate: fall back to it and say so
    values = {name: point(data, name) for name in COMPONENTS}
    if pool is not None and len(pool.mean_square) == len(COMPONENTS) and pool.count > 0:
        if pool.month != data.month:
            raise Refused(Problem("forecast.pool_month", {"pool_month": pool.month, "month": data.month}))
        return pooled_suggestion(data, values, pool)
    ranked = sorted(COMPONENTS, key=lambda name: (values[name], COMPONENTS.index(name)))
    kept, dropped = ranked[TRIM:-TRIM], ranked[:TRIM] + ranked[-TRIM:]
    errors = inner_errors(data, kept)
    if any(errors.values()):
        share = weights(errors)
        kind = "trimmed"  # weighted by earlier years
    else:
        share = {name: 1 / len(kept) for name in kept}
        kind = "equal"  # only 1 earlier year, none to score the methods on
    value = sum(share[name] * values[name] for name in kept)
    order = sorted(kept, key=lambda n: -share[n])
    params: dict[str, Param] = {"kept": tuple(method_term(n) for n in order),
                                "left_out": tuple(method_term(n) for n in sorted(dropped))}
    note = Note("forecast.note.trimmed", params) if kind == "trimmed" else Note("forecast.note.equal", params)
    record = [e for name in kept for e in errors[name]]
    low, high = spread(data, value, record)
    return Estimate(cents(value), "suggested", low, high, "suggested", (note,),
                    Explanation(kind, shares=percent_shares(share)))


def shrunk_scores(own: dict[str, list[float]], pool: PooledRecord) -> dict[str, float]:
    """Empirical Bayes: each method's mean squared (capped) error on this series' own earlier years, with
    the pooled mean square counted as POOL_PRIOR errors; a method with no own record gets the pooled one."""
    return {
        name: (POOL_PRIOR * pool.mean_square[name] + sum(capped(e) ** 2 for e in own[name]))
        / (POOL_PRIOR + len(own[name]))
        for name in own
    }


def pooled_suggestion(data: SeriesData, values: dict[str, float], pool: PooledRecord) -> Estimate:
    winner = pool.decisive()
    if winner is not None:
        return decisive_suggestion(data, values[winner], winner, pool)
    kept = sorted(COMPONENTS, key=lambda name: (pool.mean_square[name], COMPONENTS.index(name)))[:POOL_KEEP]
    own = history_errors(data.history, data.month, kept, whole_years=True)
    score = shrunk_scores(own, pool)
    raw = {name: 1 / (score[name] + 1e-12) for name in kept}
    share = {name: w / sum(raw.values()) for name, w in raw.items()}
    value = sum(share[name] * values[name] for name in kept)
    years = sum(len(v) for v in own.values()) // max(1, len(kept) * len(inner_window(data.month)))
    note = Note("forecast.note.pooled", {"count": POOL_KEEP, "years": years,
                                         "kept": tuple(method_term(n) for n in sorted(kept, key=lambda n: -share[n]))})
    record = [e for name in kept for e in own[name]]
    low, high, level = ranged(data, value, share, pool, record)
    explanation = Explanation("combination", shares=percent_shares(share), own_years=years, range_percent=level)
    return Estimate(cents(value), "suggested", low, high, "suggested", (note,), explanation)


def decisive_suggestion(data: SeriesData, value: float, winner: str, pool: PooledRecord) -> Estimate:
    runner_up = next(name for name in pool.by_median_error() if name != winner)
    note = Note("forecast.note.alone", {
        "method": method_term(winner), "error": Percent(Fraction(pool.median_error[winner])),
        "ratio": Fraction(DECISIVE_RATIO), "runner_up": method_term(runner_up),
        "runner_up_error": Percent(Fraction(pool.median_error[runner_up]))})
    own = history_errors(data.history, data.month, (winner,), whole_years=True)[winner]
    low, high, level = ranged(data, value, {winner: 1.0}, pool, own)
    explanation = Explanation("alone", method=winner, runner_up=runner_up, error_tenths=tenths(pool.median_error[winner]),
                              runner_up_error_tenths=tenths(pool.median_error[runner_up]), range_percent=level)
    return Estimate(cents(value), "suggested", low, high, "suggested", (note,), explanation)


# --- the public entry -----------------------------------------------------------------------------------


def forecast(data: SeriesData, method: str = "suggested", pool: PooledRecord | None = None) -> Estimate:
    """The year-end estimate of a series by `method`, falling back to simpler methods when it must.

    `pool` (optional, only used by ``suggested``): the pooled record of other series' earlier years at the
    same month, from :func:`pooled_record`."""
    if method not in METHODS:
        raise Refused(Problem("forecast.method_unknown", {"method": method,
                                                          "methods": tuple(method_term(m) for m in METHODS)},
                              key="method", found=method))
    if data.month == MONTHS:
        total = sum(data.to_date)
        return Estimate(total, "actual", total, total, method, (Note("forecast.note.complete"),),
                        Explanation("actual", method="actual"))
    # the methods reason about positive amounts (shares, caps); a cost line in statement sign is negative
    if sum(data.to_date) + sum(sum(y) for y in data.history if y is not None) < 0:
        return flipped(forecast(data.negated(), method, pool))
    tried: list[str] = []  # methods that could not be applied, in the order tried
    for name in (method, *FALLBACK[method]):
        # a suggestion's fallback is ranged on the pool like the suggestion itself
        estimate = suggested(data, pool) if name == "suggested" else single(data, name, method, tried,
                                                                            pool if method == "suggested" else None)
        if estimate is not None:
            return estimate
        tried.append(name)
    raise AssertionError("run_rate always applies")  # pragma: no cover


def flipped(estimate: Estimate) -> Estimate:
    def negate(value: int | None) -> int | None:
        return None if value is None else -value

    return Estimate(-estimate.cents, estimate.method, negate(estimate.high_cents), negate(estimate.low_cents),
                    estimate.requested, estimate.notes, estimate.explanation)


def single(data: SeriesData, name: str, requested: str, tried: Sequence[str] = (),
           pool: PooledRecord | None = None) -> Estimate | None:
    """One method's estimate; `pool` (a suggestion's fallback) gives it the pool's 80 % range."""
    value = SINGLE[name](data)
    if value is None:
        return None
    level = 0
    if name == "budget":
        low = high = None  # a budget is a decision, not an estimate with a record
    else:
        low, high, level = ranged(data, value, {name: 1.0}, pool, inner_errors(data, (name,))[name])
    notes = (Note("forecast.note.fell_back", {"method": method_term(name), "tried": tuple(method_term(t) for t in tried),
                                              "why": tuple(Term(f"forecast_why.{WHY.get(t, 'not_applicable')}")
                                                           for t in tried)}),) if tried else ()
    explanation = (Explanation("fallback", method=name, fell_back_from=tuple(tried), range_percent=level) if tried
                   else Explanation("single", method=name, range_percent=level))
    return Estimate(cents(value), name, low, high, requested, notes, explanation)


def point(data: SeriesData, method: str) -> float:
    """A single method's estimate after its fallbacks, without the range (the combination's input)."""
    for name in (method, *FALLBACK[method]):
        value = SINGLE[name](data)
        if value is not None:
            return value
    raise AssertionError("run_rate always applies")  # pragma: no cover


def spread(data: SeriesData, value: float, relative_errors: Sequence[float]) -> tuple[int, int]:
    """A range: the estimate less the largest over- and under-estimate the method made on the series'
    earlier years; with no such record, the span of the simple methods' estimates. Not a statistical
    interval, but it shows how far this series has surprised before."""
    if not relative_errors:
        others = [v for m in ("run_rate", "profile", "rest", "level") if (v := SINGLE[m](data)) is not None]
        return cents(min(others + [value])), cents(max(others + [value]))
    over = max((e for e in relative_errors if e > 0), default=0.0)
    under = min((e for e in relative_errors if e < 0), default=0.0)
    return bounds(value, under, over)


def bounds(value: float, under: float, over: float) -> tuple[int, int]:
    """The actual year-ends that would make the estimate `value` err by `under` (≤ 0 or any) and `over` relative
    to the actual — value / (1 + e) — as (low, high), holding the estimate itself. An error of −90 % or worse
    (the actual ten times the estimate or more, or of the other sign) is taken as ten times the estimate. An
    estimate of the other sign than the series (this year turned negative) makes the ends swap; they are
    ordered, so low ≤ estimate ≤ high always."""
    ends = [value / (1 + over), value / (1 + under) if under > -0.9 else value * 10, value]
    return cents(min(ends)), cents(max(ends))


def cents(value: float) -> int:
    """Whole cents, half away from zero (floats only inside the estimation), through the one rounding function
    (`forecast.not_a_number` refuses an estimate that is not a finite number)."""
    return whole(value, "half_up")


def estimate_all(
    data: SeriesData, methods: Sequence[str] = METHODS, pool: PooledRecord | None = None
) -> dict[str, Estimate]:
    return {m: forecast(data, m, pool) for m in methods}
