"""Where each forecast figure came from: the forecast version a report uses, per unit × statement line, with
the figure, its method, the reason given and who entered it (docs/forecasting.md, docs/documents.md).

Plain Python over plain data: the stored figures come in as :class:`BasisFigure`, the organisation tree and the
scheme name and order the rows. Figures stored per cost centre or account (an imported file) are summed to
their unit and line; a row that sums figures of different methods says so (method ``mixed``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .forecast import Explanation
from .org import OrgTree
from .scheme import Scheme

MIXED = "mixed"  # a row summing figures of different methods
SUGGEST_SOURCE = "katsaus forecast suggest"  # the batch name of a suggestion run: its reasons are machine notes


@dataclass(frozen=True)
class BasisFigure:
    """One stored forecast figure as the store holds it, with where it came from."""

    cents: int  # statement sign
    unit: str | None = None
    cost_centre: str | None = None
    line: str | None = None
    account: str | None = None
    method: str = ""  # a forecast method, "budget", "manual", or "" (imported from a file without methods)
    reason: str = ""  # the controller's reason; for a machine suggestion, what the store kept (see `machine`)
    entered_by: str = ""
    source: str = ""  # the file or command the figure was written by
    machine: bool = False  # written by `katsaus forecast suggest`: the reason is the machine's note
    explanation: Explanation | None = None  # how a suggestion was made, for the reader's language


@dataclass(frozen=True)
class BasisRow:
    unit_code: str
    unit_name: str
    line_code: str
    line_name: str
    cents: int
    method: str
    reason: str
    entered_by: str
    source: str
    machine: bool
    explanation: Explanation | None = None  # when every figure of the row has the same one


@dataclass(frozen=True)
class ForecastBasis:
    version: str
    year: int
    author: str | None
    rows: tuple[BasisRow, ...]

    def under(self, units: Iterable[str]) -> ForecastBasis:
        """Only the rows of these units (a section's subtree)."""
        wanted = set(units)
        return ForecastBasis(self.version, self.year, self.author, tuple(r for r in self.rows if r.unit_code in wanted))


def build_forecast_basis(
    version: str,
    year: int,
    author: str | None,
    figures: Iterable[BasisFigure],
    org: OrgTree,
    scheme: Scheme,
    unit: str,
    on: date,
    language: str = "fi",
) -> ForecastBasis:
    """The version's figures under `unit`, one row per unit × line in the organisation's and the scheme's
    order. A cost centre counts for its unit on `on` (the period's end); a figure whose unit or line cannot be
    placed, or that lies outside `unit`, is not shown. Zero rows without a person's reason are left out."""
    groups: dict[tuple[str, str], list[BasisFigure]] = {}
    for figure in figures:
        place = placed(figure, org, scheme, on)
        if place is not None:
            groups.setdefault(place, []).append(figure)
    units = org.descendants(unit) if org.has_unit(unit) else ()
    rows = []
    for unit_code in units:
        for line in scheme.lines:  # figures are normally on leaf lines; an imported file may hold a sum line
            group = groups.get((unit_code, line.code))
            if not group:
                continue
            row = basis_row(group, org.unit(unit_code).name(language), unit_code, line.code, line.name(language))
            if row.cents != 0 or (row.reason and not row.machine):
                rows.append(row)
    return ForecastBasis(version, year, author, tuple(rows))


def placed(figure: BasisFigure, org: OrgTree, scheme: Scheme, on: date) -> tuple[str, str] | None:
    unit = figure.unit if figure.unit and org.has_unit(figure.unit) else None
    if unit is None and figure.cost_centre:
        unit = org.unit_of(figure.cost_centre, on)
    line = figure.line if figure.line and scheme.has_line(figure.line) else None
    if line is None and figure.account:
        line = scheme.line_of_account(figure.account)
    return (unit, line) if unit is not None and line is not None else None


def basis_row(group: list[BasisFigure], unit_name: str, unit_code: str, line_code: str, line_name: str) -> BasisRow:
    def shared(values: list[str]) -> str:
        distinct = list(dict.fromkeys(v for v in values if v))
        return "; ".join(distinct)

    methods = {f.method for f in group}
    explanations = {f.explanation for f in group}
    return BasisRow(
        unit_code=unit_code,
        unit_name=unit_name,
        line_code=line_code,
        line_name=line_name,
        cents=sum(f.cents for f in group),
        method=methods.pop() if len(methods) == 1 else MIXED,
        reason=shared([f.reason for f in group]),
        entered_by=shared([f.entered_by for f in group]),
        source=shared([f.source for f in group]),
        machine=all(f.machine for f in group),
        explanation=explanations.pop() if len(explanations) == 1 else None,
    )
