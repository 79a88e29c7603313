"""Report templates: which columns, which tables, which rows, and the presentation conventions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .errors import NotFound, Problem
from .tables import ColumnKind, Conventions, EmptyShow

UnitsMode = Literal["self", "children", "self_and_children", "descendants"]
RowsBy = Literal["line", "unit"]
Sign = Literal["as_statement", "reversed"]


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
    label_sv: str | None = None  # the Swedish document's header (same placeholders); default `label`
    line: str | None = None  # the scheme line it shows whatever the row (a block of a unit-row table)
    sign: Sign = "as_statement"  # "reversed": costs print as positive appropriations
    empty: EmptyShow | None = None  # what an empty cell of this column shows (None: the template's `empty`)
    zero: EmptyShow | None = None  # what an amount of exactly 0 shows (None: the template's `zero`)
    text: str | None = None  # a text column's words; placeholders {unit_code} {unit} {line_code} {line}

    def depends_on(self) -> tuple[str, ...]:
        return tuple(k for k in (self.numerator, self.denominator, self.minuend, self.subtrahend) if k)


@dataclass(frozen=True)
class RowSpec:
    line: str  # "" in a heading row
    level: int = 0
    label: str | None = None
    label_sv: str | None = None
    heading: bool = False  # a heading row: its label only, no figures


@dataclass(frozen=True)
class TableSpec:
    key: str
    output: str
    title: str
    units: UnitsMode
    rows: tuple[RowSpec, ...]
    columns: tuple[str, ...] = ()  # empty: every column of the template
    footnotes: tuple[str, ...] = ()
    title_sv: str | None = None
    footnotes_sv: tuple[str, ...] = ()
    rows_by: RowsBy = "line"  # "unit": one table with a row per unit of `units`, each column on its `line`
    line: str | None = None  # rows_by "unit": the line of the columns that name none
    label_header: str | None = None  # the label column's header (default: the title or the unit's name)


PartKind = Literal["narrative", "table", "chart", "goals", "key_results", "balancing", "forecast_basis"]
ChartKind = Literal["cumulative", "realisation", "balancing"]
SectionUnits = Literal["self", "children"]


@dataclass(frozen=True)
class PartSpec:
    """One part of a document section, in the order the section shows them (docs/documents.md)."""

    kind: PartKind
    section: str | None = None  # narrative: the narratives' section key ("katsaus", "talous" …)
    table: str | None = None  # table: a template table's key
    chart: ChartKind | None = None
    line: str = "toimintakate"  # cumulative and realisation charts: the scheme line they follow
    heading: str | None = None  # a sub-heading above the part; placeholders {unit} {period} {year}
    heading_sv: str | None = None
    style: Literal["normal", "footnote"] = "normal"  # narrative: "footnote" prints it small, as a note

    def heading_in(self, language: str) -> str | None:
        return self.heading_sv if language == "sv" and self.heading_sv else self.heading


@dataclass(frozen=True)
class SectionSpec:
    """A numbered section: one for the reported unit ("self"), one per child unit ("children")."""

    title: str  # placeholders {unit} {period} {year} {organisation}
    parts: tuple[PartSpec, ...]
    units: SectionUnits = "self"
    level: int = 1  # 1 -> "1.1", 2 -> "1.1.1" (under the previous level-1 section)
    title_sv: str | None = None

    def title_in(self, language: str) -> str:
        return self.title_sv if language == "sv" and self.title_sv else self.title


CumulativeProfile = Literal["last_year", "time"]


@dataclass(frozen=True)
class DocumentSpec:
    """The published document's frame: its title, numbering, table of contents and chart conventions."""

    title: str | None = None  # default: the template's name
    title_sv: str | None = None
    number_prefix: str = "1"  # sections are numbered "1.1", "1.1.1" …; "" numbers them "1", "1.1" …
    toc: bool = True
    profile: CumulativeProfile = "last_year"  # the budget and forecast lines' shape in cumulative charts
    licence: str = "CC-BY-4.0"  # the open-data package's licence (core.licences)


@dataclass(frozen=True)
class Template:
    code: str
    name_fi: str
    scheme: str
    columns: tuple[ColumnSpec, ...]
    tables: tuple[TableSpec, ...]
    conventions: Conventions = Conventions()
    name_sv: str | None = None
    document: DocumentSpec = DocumentSpec()
    sections: tuple[SectionSpec, ...] = ()  # empty: default_sections() (the tables, unit by unit)
    narratives: bool = True  # false: the organisation writes no narratives, and `katsaus check` expects none
    # a statement line whose forecast differs from its budget by more than these (each given one) needs a
    # deviation explanation on the unit's page (core.deviations); None: not applied
    deviation_threshold_percent: Decimal | None = None
    deviation_threshold_cents: int | None = None

    def table_spec(self, key: str) -> TableSpec:
        for table in self.tables:
            if table.key == key:
                return table
        raise NotFound(Problem("template.table_unknown", {"template": self.code, "table": key,
                                                           "tables": tuple(t.key for t in self.tables)},
                               key="table", found=key))

    def document_sections(self) -> tuple[SectionSpec, ...]:
        return self.sections or default_sections(self)

    def column(self, key: str) -> ColumnSpec:
        for column in self.columns:
            if column.key == key:
                return column
        raise NotFound(Problem("template.column_unknown", {"template": self.code, "column": key,
                                                            "columns": tuple(c.key for c in self.columns)},
                               key="column", found=key))


def default_sections(template: Template) -> tuple[SectionSpec, ...]:
    """Without [[template.sections]]: the reported unit's tables, then each child unit's, as numbered sections."""
    # A table with a row per unit is one table of the reported unit, whichever units its rows are.
    own = tuple(PartSpec("table", table=t.key) for t in template.tables
                if t.rows_by == "unit" or t.units in ("self", "self_and_children"))
    children = tuple(PartSpec("table", table=t.key) for t in template.tables
                     if t.rows_by == "line" and t.units in ("children", "self_and_children", "descendants"))
    sections = []
    if own:
        sections.append(SectionSpec("{unit}", own, "self", 1))
    if children:
        sections.append(SectionSpec("{unit}", children, "children", 2 if own else 1))
    return tuple(sections)
