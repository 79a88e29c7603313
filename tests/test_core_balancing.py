"""The balancing programme: exact percentages of the target, the total of unrounded measures, missing entries."""

from __future__ import annotations

from fractions import Fraction

from katsaus.core.balancing import BalancingEntry, BalancingMeasure, build_balancing
from katsaus.core.periods import Period

JUNE = Period(2025, 6)


def measure(code: str, target: int, *entries: BalancingEntry, year: int = 2025, position: int = 0) -> BalancingMeasure:
    return BalancingMeasure(code, code.title(), "PESOVA", year, target, entries, position)


def test_percentages_are_exact_fractions_and_the_total_sums_unrounded_cents():
    a = measure("osasto", 340_000_000, BalancingEntry(JUNE, 48_000_000, 235_000_000), position=0)
    b = measure("omaishoito", 130_000_000, BalancingEntry(JUNE, 49_500_000, 98_500_000), position=1)
    table = build_balancing([b, a], JUNE, {"PESOVA": "Toimiala"})
    assert [r.code for r in table.rows] == ["osasto", "omaishoito"]
    assert table.rows[0].actual_ratio == Fraction(48, 340)
    assert table.rows[0].owner_name == "Toimiala"
    assert (table.total.target_cents, table.total.actual_cents, table.total.forecast_cents) == (470_000_000, 97_500_000, 333_500_000)
    assert table.total.forecast_ratio == Fraction(333_500_000, 470_000_000)


def test_the_latest_entry_up_to_the_period_counts_and_a_missing_one_is_empty_not_zero():
    a = measure("a", 100, BalancingEntry(Period(2025, 3), 10, 90), BalancingEntry(JUNE, 20, 80), BalancingEntry(JUNE, 25, 80))
    b = measure("b", 100)
    table = build_balancing([a, b], JUNE, {})
    assert table.rows[0].actual_cents == 25 and table.rows[0].entry_period == JUNE
    assert build_balancing([a], Period(2025, 4), {}).rows[0].actual_cents == 10
    assert (table.rows[1].actual_cents, table.rows[1].actual_ratio, table.rows[1].entry_period) == (None, None, None)
    assert table.total.actual_cents == 25


def test_a_zero_target_has_no_percentage_and_other_years_are_left_out():
    table = build_balancing([measure("a", 0, BalancingEntry(JUNE, 5, 5)), measure("old", 9, year=2024)], JUNE, {})
    assert [r.code for r in table.rows] == ["a"]
    assert table.rows[0].actual_ratio is None
    assert build_balancing([measure("old", 9, year=2024)], JUNE, {}) is None
