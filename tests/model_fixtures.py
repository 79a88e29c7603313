"""Report-model pieces the renderer tests build their hand-made tables from (not a test module)."""

from __future__ import annotations

from fractions import Fraction

from katsaus.core.model import Cell, Column

COLUMNS = (
    Column("mta", "MTA I 2025", "budget", version="MTA I 2025", year=2025),
    Column("tot", "TOT 1-6/2025", "actual", year=2025),
    Column("tot_pct", "TOT-%", "ratio"),
)


def a(cents: int | None) -> Cell:
    """An amount cell; None: no entries."""
    return Cell("amount", cents=cents)


def r(value: Fraction | None) -> Cell:
    """A ratio cell; None: a zero base."""
    return Cell("ratio", ratio=value, zero_base=value is None)
