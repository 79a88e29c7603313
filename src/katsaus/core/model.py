"""The report model: one typed, immutable result of the computation, presented late by the renderers.

Amounts are exact cents (``int``) or ``None`` when there were no entries at all; ratios are exact
``Fraction`` values or ``None`` with ``zero_base=True`` when the base was 0 or empty. Nothing here is rounded:
rounding belongs to presentation, with the conventions carried in :class:`Conventions`.

The tables' parts (`Cell`, `Column`, `Row`, `Table`, `Conventions`, `VersionInfo`) live in `core.tables` and are
re-exported here; the content results in their own modules (`core.goals`, `core.balancing`, `core.narrative`,
`core.forecast_basis`), none of which imports this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .balancing import BalancingTable
from .errors import NotFound, Problem
from .forecast_basis import ForecastBasis
from .goals import GoalResult, KeyResultRow, Metric
from .narrative import NarrativeResult
from .periods import Period
from .tables import Cell, CellKind, Column, ColumnKind, Conventions, EmptyShow, Row, Table, VersionInfo

__all__ = [
    "Cell", "CellKind", "Column", "ColumnKind", "Conventions", "EmptyShow", "Report", "Row", "Structure", "Table",
    "VersionInfo",
]


@dataclass(frozen=True)
class Structure:
    """What the checks need to know about how the report's figures relate (core.content.describe_structure).

    line_terms: each derived line's terms as (line, sign); unit_parents: (unit, parent or None) in presentation
    order; column_formulas: (column key, kind, first, second) for ratio (numerator, denominator) and difference
    (minuend, subtrahend) columns; column_years: (column key, year offset) of every column.
    """

    line_terms: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
    unit_parents: tuple[tuple[str, str | None], ...] = ()
    column_formulas: tuple[tuple[str, str, str, str], ...] = ()
    column_offsets: tuple[tuple[str, int], ...] = ()

    def terms(self, line: str) -> tuple[tuple[str, int], ...]:
        return dict(self.line_terms).get(line, ())

    def children(self, unit: str) -> tuple[str, ...]:
        return tuple(code for code, parent in self.unit_parents if parent == unit)

    def offset(self, column: str) -> int:
        return dict(self.column_offsets).get(column, 0)


@dataclass(frozen=True)
class Report:
    organisation: str
    unit_code: str
    unit_name: str
    period: Period
    template_code: str
    conventions: Conventions
    tables: tuple[Table, ...]
    versions: tuple[VersionInfo, ...] = field(default=())
    warnings: tuple[Problem, ...] = field(default=())  # balances and plan figures that fit no line or unit
    # goals, key results, the balancing programme and narratives (core.content.attach_content)
    goals: tuple[GoalResult, ...] = field(default=())
    key_results: tuple[KeyResultRow, ...] = field(default=())
    balancing: BalancingTable | None = None
    narratives: tuple[NarrativeResult, ...] = field(default=())
    metrics: tuple[Metric, ...] = field(default=())
    short_names: tuple[tuple[str, str], ...] = field(default=())  # unit code -> the name goal tables print
    structure: Structure = field(default=Structure())
    forecast_basis: ForecastBasis | None = None  # where the forecast column's figures came from (core.forecast_basis)
    narratives_expected: bool = True  # false: the organisation writes none, so none is reported missing

    def outputs(self) -> tuple[str, ...]:
        """Output groups in template order, each once."""
        seen: list[str] = []
        for table in self.tables:
            if table.output not in seen:
                seen.append(table.output)
        return tuple(seen)

    def tables_of(self, output: str) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.output == output)

    def table(self, key: str, unit_code: str) -> Table:
        for table in self.tables:
            if table.key == key and table.unit_code == unit_code:
                return table
        raise NotFound(Problem("report.table_unknown", {"table": key, "unit": unit_code}, unit=unit_code, table=key))
