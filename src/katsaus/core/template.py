"""Report templates: which columns, which tables, which rows, and the presentation conventions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import ColumnKind, Conventions

UnitsMode = Literal["self", "children", "self_and_children", "descendants"]


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    kind: ColumnKind
    label: str
    version: str | None = None  # budget: "in_force" or a name; forecast: "latest" or a name
    year_offset: int = 0
    numerator: str | None = None
    denominator: str | None = None
    minuend: str | None = None
    subtrahend: str | None = None

    def depends_on(self) -> tuple[str, ...]:
        return tuple(k for k in (self.numerator, self.denominator, self.minuend, self.subtrahend) if k)


@dataclass(frozen=True)
class RowSpec:
    line: str
    level: int = 0
    label: str | None = None


@dataclass(frozen=True)
class TableSpec:
    key: str
    output: str
    title: str
    units: UnitsMode
    rows: tuple[RowSpec, ...]
    columns: tuple[str, ...] = ()  # empty: every column of the template
    footnotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    code: str
    name_fi: str
    scheme: str
    columns: tuple[ColumnSpec, ...]
    tables: tuple[TableSpec, ...]
    conventions: Conventions = Conventions()
    name_sv: str | None = None

    def column(self, key: str) -> ColumnSpec:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"template {self.code!r} has no column {key!r}; columns are {[c.key for c in self.columns]}")
