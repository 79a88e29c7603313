"""The balancing programme (tasapainottamisohjelma): measures with a euro target, euros achieved and the forecast.

Money is exact cents; percentages are exact fractions of the unrounded amounts (the renderer rounds them to whole
numbers as the model report prints them). The total row is the sum of the unrounded measures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from .periods import Period, newest_up_to


@dataclass(frozen=True)
class BalancingEntry:
    """Euros achieved to date and the year-end forecast of one measure for a period (latest entry wins)."""

    period: Period
    actual_cents: int | None = None
    forecast_cents: int | None = None
    source: str = ""
    entered_by: str = ""
    entered_at: str = ""


@dataclass(frozen=True)
class BalancingMeasure:
    code: str
    name: str
    owner_unit: str
    year: int
    target_cents: int
    entries: tuple[BalancingEntry, ...] = ()
    position: int = 0

    def entry(self, period: Period) -> BalancingEntry | None:
        return newest_up_to((e for e in self.entries if e.period.year == period.year), period)


@dataclass(frozen=True)
class BalancingRow:
    code: str
    name: str
    owner_unit: str
    owner_name: str
    target_cents: int
    actual_cents: int | None
    forecast_cents: int | None
    actual_ratio: Fraction | None  # None: no entry yet, or the target is 0
    forecast_ratio: Fraction | None
    entry_period: Period | None = None


@dataclass(frozen=True)
class BalancingPresentation:
    title: str = "Tasapainottamistoimenpiteet (1000 €)"
    total_label: str = "Yhteensä"
    amount_unit: int = 1000
    percent_decimals: int = 0


@dataclass(frozen=True)
class BalancingTable:
    period: Period
    rows: tuple[BalancingRow, ...]
    total: BalancingRow
    presentation: BalancingPresentation = BalancingPresentation()


def share(part: int | None, whole: int) -> Fraction | None:
    """part / whole exactly; None when there is no part yet or the whole is 0 (the renderer tells them apart)."""
    if part is None or not whole:
        return None
    return Fraction(part, whole)


def measure_row(measure: BalancingMeasure, period: Period, owner_name: str) -> BalancingRow:
    entry = measure.entry(period)
    actual = entry.actual_cents if entry else None
    forecast = entry.forecast_cents if entry else None
    return BalancingRow(
        code=measure.code,
        name=measure.name,
        owner_unit=measure.owner_unit,
        owner_name=owner_name,
        target_cents=measure.target_cents,
        actual_cents=actual,
        forecast_cents=forecast,
        actual_ratio=share(actual, measure.target_cents),
        forecast_ratio=share(forecast, measure.target_cents),
        entry_period=entry.period if entry else None,
    )


def total_row(rows: tuple[BalancingRow, ...], label: str) -> BalancingRow:
    def add(values: Iterable[int | None]) -> int | None:
        present = [v for v in values if v is not None]
        return sum(present) if present else None

    target = sum(r.target_cents for r in rows)
    actual = add(r.actual_cents for r in rows)
    forecast = add(r.forecast_cents for r in rows)
    return BalancingRow("", label, "", "", target, actual, forecast, share(actual, target), share(forecast, target))


def build_balancing(
    measures: Iterable[BalancingMeasure],
    period: Period,
    unit_names: Mapping[str, str],
    presentation: BalancingPresentation = BalancingPresentation(),
) -> BalancingTable | None:
    """The programme's table for the period: the measures of the period's year, in their order, and the total."""
    chosen = sorted((m for m in measures if m.year == period.year), key=lambda m: m.position)
    if not chosen:
        return None
    rows = tuple(measure_row(m, period, unit_names.get(m.owner_unit, m.owner_unit)) for m in chosen)
    return BalancingTable(period, rows, total_row(rows, presentation.total_label), presentation)
