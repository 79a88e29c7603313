"""The plain data the computation reads: monthly balances and plan (budget/forecast) versions.

The store implements :class:`Facts` over the database; tests implement it over lists. Nothing here knows
where the data came from.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol, TypeVar

from .periods import Period

PlanKind = Literal["budget", "forecast"]
T = TypeVar("T")


@dataclass(frozen=True)
class Balance:
    """A ledger balance of one calendar month (not a period: `year` and `month` name that month), ledger sign,
    exact cents."""

    year: int
    month: int
    cost_centre: str
    account: str
    internal: bool
    cents: int


@dataclass(frozen=True)
class PlanVersion:
    name: str
    kind: PlanKind
    year: int
    effective_date: date | None = None
    decision_ref: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class PlanAmount:
    """One budget or forecast figure in statement sign: for a unit or a cost centre, a line or an account."""

    version: str
    cents: int
    unit: str | None = None
    cost_centre: str | None = None
    line: str | None = None
    account: str | None = None
    month: int | None = None  # None: the whole year


class Facts(Protocol):
    def balances(self, period: Period) -> Iterable[Balance]:
        """Balances of the period's months (1..period.month of period.year), summed over imports."""
        ...

    def months_held(self, period: Period) -> set[int]:
        """The months of 1..period.month of the period's year the ledger holds any balance for."""
        ...

    def plan_versions(self) -> Sequence[PlanVersion]: ...

    def plan_amounts(self, version: str) -> Iterable[PlanAmount]: ...


def remembered(facts: Facts, key: Hashable, compute: Callable[[], T]) -> T:
    """A value derived from the facts (a unit × line sum of every balance, say), kept on the facts object while it
    lives when the object offers a `derived` dict: the store's facts are made anew whenever the data changes, so
    every report of the same data shares one computation. Facts without one compute each time."""
    kept: dict[Hashable, object] | None = getattr(facts, "derived", None)
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]  # type: ignore[return-value]  # what compute() gave for this key


@dataclass
class MemoryFacts:
    """Facts held in lists: for tests and for computing straight from files."""

    balance_rows: list[Balance] = field(default_factory=list)
    versions: list[PlanVersion] = field(default_factory=list)
    amounts: list[PlanAmount] = field(default_factory=list)

    def balances(self, period: Period) -> Iterable[Balance]:
        return [b for b in self.balance_rows if b.year == period.year and b.month <= period.month]

    def months_held(self, period: Period) -> set[int]:
        return {b.month for b in self.balances(period)}

    def plan_versions(self) -> Sequence[PlanVersion]:
        return list(self.versions)

    def plan_amounts(self, version: str) -> Iterable[PlanAmount]:
        return [a for a in self.amounts if a.version == version]
