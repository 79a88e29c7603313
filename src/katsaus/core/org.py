"""The organisation tree: units of any depth and the cost centres under them, with validity dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from .errors import NotFound, Problem


@dataclass(frozen=True)
class Unit:
    code: str
    name_fi: str
    parent: str | None = None
    name_sv: str | None = None

    def name(self, language: str = "fi") -> str:
        return self.name_sv if language == "sv" and self.name_sv else self.name_fi


@dataclass(frozen=True)
class CostCentre:
    code: str
    name: str
    unit: str
    valid_from: date | None = None
    valid_to: date | None = None  # inclusive

    def valid_on(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to


@dataclass(frozen=True)
class OrgTree:
    code: str
    name_fi: str
    units: tuple[Unit, ...]
    cost_centres: tuple[CostCentre, ...] = ()
    name_sv: str | None = None

    @cached_property
    def _by_code(self) -> dict[str, Unit]:
        return {u.code: u for u in self.units}

    @cached_property
    def _children(self) -> dict[str | None, tuple[str, ...]]:
        children: dict[str | None, list[str]] = {}
        for unit in self.units:
            children.setdefault(unit.parent, []).append(unit.code)
        return {k: tuple(v) for k, v in children.items()}

    @cached_property
    def _centres_by_code(self) -> dict[str, tuple[CostCentre, ...]]:
        grouped: dict[str, list[CostCentre]] = {}
        for centre in self.cost_centres:
            grouped.setdefault(centre.code, []).append(centre)
        return {k: tuple(v) for k, v in grouped.items()}

    def unit(self, code: str) -> Unit:
        """The unit of a code; NotFound (`org.unit_unknown`, naming the units there are) for another code."""
        try:
            return self._by_code[code]
        except KeyError:
            raise NotFound(Problem("org.unit_unknown", {"unit": code, "units": tuple(sorted(self._by_code))},
                                   key="unit", found=code)) from None

    def has_unit(self, code: str) -> bool:
        return code in self._by_code

    def roots(self) -> tuple[str, ...]:
        return self._children.get(None, ())

    def children(self, code: str) -> tuple[str, ...]:
        return self._children.get(code, ())

    def descendants(self, code: str) -> tuple[str, ...]:
        """The unit itself and every unit below it, parents before children."""
        order = [code]
        for child in self.children(code):
            order.extend(self.descendants(child))
        return tuple(order)

    def depth(self, code: str) -> int:
        depth = 0
        while (parent := self.unit(code).parent) is not None:
            depth += 1
            code = parent
        return depth

    def unit_of(self, cost_centre: str, day: date) -> str | None:
        """The unit a cost centre belongs to on a day, or None if it is unknown or not valid then."""
        for centre in self._centres_by_code.get(cost_centre, ()):
            if centre.valid_on(day):
                return centre.unit
        return None

    def cost_centre_validity(self) -> dict[str, tuple[tuple[date | None, date | None], ...]]:
        return {
            code: tuple((c.valid_from, c.valid_to) for c in centres)
            for code, centres in self._centres_by_code.items()
        }
