"""The published document as data: a title page and numbered sections of parts, built from the template and a Report.

The template's `[[template.sections]]` say which sections there are, in which order, and what each shows (its
narratives, statement tables, goals, charts …); the Report (and the chart series of core.series) supply the
content. Every renderer (HTML, PDF, Word, Excel) presents this one object, so all formats show the same figures in
the same order. Nothing here formats a number: parts hold the report model's exact cells and results.

A part whose content the Report does not have (no narrative written, no goals, no balancing programme) is left
out, and a section left with no parts is left out with its number, so a report without content still reads well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from types import SimpleNamespace
from typing import Literal

from .balancing import BalancingTable
from .forecast_basis import ForecastBasis
from .goals import GoalResult, KeyResultRow
from .model import Column, Conventions, Report, Table
from .narrative import NarrativeResult
from .periods import Period
from .series import EMPTY, CumulativeSeries, RealisationChart, SeriesSet
from .statement import version_short
from .template import PartSpec, SectionSpec, TableSpec, Template

Status = Literal["draft", "approved"]


@dataclass(frozen=True)
class TitlePage:
    organisation: str
    unit_code: str
    unit_name: str
    title: str  # the document's name: "Osavuosikatsaus"
    period: Period
    status: Status = "draft"
    status_date: date | None = None  # the approval's date (approved); the draft's date (draft), if given
    correction: str = ""  # a published correction's note, printed on the title page and in the colophon


@dataclass(frozen=True)
class Source:
    """Where figures come from: an imported file (kind ledger, budget or forecast) and when it was imported."""

    kind: str
    name: str
    rows: int | None = None
    imported_at: str = ""
    checksum: str = ""


@dataclass(frozen=True)
class NarrativePart:
    narrative: NarrativeResult
    heading: str | None = None
    style: Literal["normal", "footnote"] = "normal"
    kind: Literal["narrative"] = "narrative"


@dataclass(frozen=True)
class TablePart:
    table: Table  # labels in the document's language
    title: str  # the table's own title: "Käyttötalous (1000 €)"
    caption: str  # what names it in the document: "Perhekeskuspalvelut – Käyttötalous (1000 €)"
    number: int  # tables are numbered through the document
    heading: str | None = None
    footnotes: tuple[str, ...] = ()
    kind: Literal["table"] = "table"


@dataclass(frozen=True)
class ChartPart:
    chart: Literal["cumulative", "realisation", "balancing"]
    data: CumulativeSeries | RealisationChart | BalancingTable
    number: int  # figures are numbered through the document
    unit_name: str
    heading: str | None = None
    kind: Literal["chart"] = "chart"

    @property
    def key(self) -> str:
        return f"kuvio-{self.number}"


@dataclass(frozen=True)
class GoalsPart:
    goals: tuple[GoalResult, ...]  # of one unit
    unit_name: str
    number: int
    heading: str | None = None
    kind: Literal["goals"] = "goals"


@dataclass(frozen=True)
class KeyResultGroup:
    strategic_goal: str
    rows: tuple[KeyResultRow, ...]


@dataclass(frozen=True)
class KeyResultsPart:
    groups: tuple[KeyResultGroup, ...]
    number: int  # the first group's table number; each group is a table
    heading: str | None = None
    kind: Literal["key_results"] = "key_results"


@dataclass(frozen=True)
class BalancingPart:
    table: BalancingTable
    number: int
    heading: str | None = None
    kind: Literal["balancing"] = "balancing"


@dataclass(frozen=True)
class ForecastBasisPart:
    basis: ForecastBasis  # the rows of the section's units
    unit_name: str
    number: int
    heading: str | None = None
    kind: Literal["forecast_basis"] = "forecast_basis"


Part = NarrativePart | TablePart | ChartPart | GoalsPart | KeyResultsPart | BalancingPart | ForecastBasisPart


@dataclass(frozen=True)
class Section:
    number: str  # "1.1.2"
    title: str
    level: int  # 1 or 2
    unit_code: str
    parts: tuple[Part, ...]

    @property
    def anchor(self) -> str:
        return "osio-" + self.number.replace(".", "-")


@dataclass(frozen=True)
class Document:
    title_page: TitlePage
    sections: tuple[Section, ...]
    language: str
    conventions: Conventions  # the report's, with the document language's locale
    report: Report  # for what the frame shows: versions, the unit, the period
    toc: bool = True
    sources: tuple[Source, ...] = ()
    software: str = ""  # "katsaus 0.1.0"

    @property
    def period_label(self) -> str:
        """'1-6/2025', the model report's notation."""
        return self.report.period.label()

    def parts(self, kind: str | None = None) -> Iterable[tuple[Section, Part]]:
        for section in self.sections:
            for part in section.parts:
                if kind is None or part.kind == kind:
                    yield section, part


@dataclass
class _Counters:
    """Running numbers: sections per level, tables and figures through the document."""

    level1: int = 0
    level2: int = 0
    tables: int = 0
    figures: int = 0
    prefix: str = ""

    def section_number(self, level: int) -> str:
        if level == 1:
            self.level1, self.level2 = self.level1 + 1, 0
            parts = [str(self.level1)]
        else:
            self.level2 += 1
            parts = [str(max(self.level1, 1)), str(self.level2)]
        return ".".join(([self.prefix] if self.prefix else []) + parts)

    def table(self) -> int:
        self.tables += 1
        return self.tables

    def figure(self) -> int:
        self.figures += 1
        return self.figures


@dataclass(frozen=True)
class _Context:
    report: Report
    template: Template
    series: SeriesSet
    language: str
    unit_names: dict[str, str] = field(default_factory=dict)

    def unit_name(self, code: str) -> str:
        return self.unit_names.get(code, code)

    def fill(self, text: str, unit: str) -> str:
        """Placeholders of titles and headings: {unit} {period} {year} {months} {organisation}."""
        report = self.report
        values = {
            "unit": self.unit_name(unit),
            "period": report.period.label(),
            "year": str(report.period.year),
            "months": report.period.months,
            "organisation": report.organisation,
        }
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text  # an unknown placeholder prints as written; the template check names keys, not texts


# --- building ---------------------------------------------------------------------------------------------


def build_document(
    report: Report,
    template: Template,
    series: SeriesSet = EMPTY,
    language: str = "fi",
    status: Status = "draft",
    status_date: date | None = None,
    sources: Iterable[Source] = (),
    software: str = "",
    correction: str = "",
) -> Document:
    """The document of a computed report: the template's sections filled from the report and its chart series."""
    context = _Context(report, template, series, language, unit_names(report, series))
    counters = _Counters(prefix=template.document.number_prefix)
    sections = []
    for spec in template.document_sections():
        for unit in section_units(spec, report):
            parts = tuple(p for part in spec.parts for p in make_parts(part, unit, context, counters))
            if parts:
                title = context.fill(spec.title_in(language), unit)
                sections.append(Section(counters.section_number(spec.level), title, spec.level, unit, parts))
    title_page = TitlePage(
        organisation=report.organisation,
        unit_code=report.unit_code,
        unit_name=report.unit_name,
        title=document_title(template, language),
        period=report.period,
        status=status,
        status_date=status_date,
        correction=correction,
    )
    return Document(
        title_page=title_page,
        sections=tuple(sections),
        language=language,
        conventions=replace(report.conventions, locale=language),
        report=report,
        toc=template.document.toc,
        sources=tuple(sources),
        software=software,
    )


def document_title(template: Template, language: str) -> str:
    doc = template.document
    if language == "sv":
        return doc.title_sv or template.name_sv or doc.title or template.name_fi
    return doc.title or template.name_fi


def unit_names(report: Report, series: SeriesSet) -> dict[str, str]:
    names = {t.unit_code: t.unit_name for t in report.tables}
    names.update({s.unit_code: s.unit_name for s in series.cumulative.values()})
    names[report.unit_code] = report.unit_name
    return names


def section_units(spec: SectionSpec, report: Report) -> tuple[str, ...]:
    return units_of_section(spec, report.unit_code, lambda: child_units(report))


def units_of_section(spec: SectionSpec, unit: str, children: Callable[[], Sequence[str]]) -> tuple[str, ...]:
    """The units a section of `unit`'s document is about: "self", the unit; "children", its child units in the
    organisation's order. Also what the services ask, from the organisation tree, before any report is built."""
    if spec.units == "self":
        return (unit,)
    return tuple(children())


def child_units(report: Report) -> tuple[str, ...]:
    children = tuple(code for code, parent in report.structure.unit_parents if parent == report.unit_code)
    if children:
        return children
    # Without the structure: the units of the report's tables, in table order, other than the reported one.
    seen: list[str] = []
    for table in report.tables:
        if table.unit_code != report.unit_code and table.unit_code not in seen:
            seen.append(table.unit_code)
    return tuple(seen)


def make_parts(spec: PartSpec, unit: str, ctx: _Context, counters: _Counters) -> list[Part]:
    words = spec.heading_in(ctx.language)
    heading = ctx.fill(words, unit) if words else None
    makers = {
        "narrative": narrative_parts,
        "table": table_parts,
        "chart": chart_parts,
        "goals": goals_parts,
        "key_results": key_results_parts,
        "balancing": balancing_parts,
        "forecast_basis": forecast_basis_parts,
    }
    return makers[spec.kind](spec, unit, ctx, counters, heading)


def narrative_parts(spec: PartSpec, unit: str, ctx: _Context, counters: _Counters, heading: str | None) -> list[Part]:
    found = [
        n for n in ctx.report.narratives
        if n.narrative.unit_code == unit and n.narrative.section == spec.section
    ]
    return [NarrativePart(n, heading if i == 0 else None, spec.style) for i, n in enumerate(found)]


def table_parts(spec: PartSpec, unit: str, ctx: _Context, counters: _Counters, heading: str | None) -> list[Part]:
    table_spec = ctx.template.table_spec(spec.table or "")
    parts: list[Part] = []
    for table in ctx.report.tables:
        if table.key != table_spec.key or table.unit_code != unit:
            continue
        translated = translate_table(table, table_spec, ctx)
        title = table_spec.title_sv if ctx.language == "sv" and table_spec.title_sv else table.title
        footnotes = table_spec.footnotes_sv if ctx.language == "sv" and table_spec.footnotes_sv else table.footnotes
        caption = f"{translated.unit_name} – {title}" if title else translated.unit_name
        parts.append(TablePart(translated, title, caption, counters.table(), heading if not parts else None, footnotes))
    return parts


def chart_parts(spec: PartSpec, unit: str, ctx: _Context, counters: _Counters, heading: str | None) -> list[Part]:
    data: CumulativeSeries | RealisationChart | BalancingTable | None = None
    if spec.chart == "cumulative":
        series = ctx.series.cumulative_of(unit, spec.line)
        data = series if series is not None and series.actual else None
    elif spec.chart == "realisation" and unit == ctx.report.unit_code:
        chart = ctx.series.realisation.get(spec.line)
        data = chart if chart is not None and chart.bars else None
    elif spec.chart == "balancing" and unit == ctx.report.unit_code:
        data = ctx.report.balancing
    if data is None or spec.chart is None:
        return []
    return [ChartPart(spec.chart, data, counters.figure(), ctx.unit_name(unit), heading)]


def goals_parts(spec: PartSpec, unit: str, ctx: _Context, counters: _Counters, heading: str | None) -> list[Part]:
    goals = tuple(g for g in ctx.report.goals if g.goal.unit_code == unit)
    if not goals:
        return []
    return [GoalsPart(goals, ctx.unit_name(unit), counters.table(), heading)]


def key_results_parts(spec: PartSpec, unit: str, ctx: _Context, counters: _Counters, heading: str | None) -> list[Part]:
    rows = [r for r in ctx.report.key_results if in_subtree(r.unit_goal.unit_code, unit, ctx.report)]
    if not rows:
        return []
    groups: list[KeyResultGroup] = []
    for row in rows:  # the model orders them by strategic goal: consecutive rows share a group
        name = row.strategic_goal.name
        if groups and groups[-1].strategic_goal == name:
            groups[-1] = KeyResultGroup(name, groups[-1].rows + (row,))
        else:
            groups.append(KeyResultGroup(name, (row,)))
    first = counters.table()
    for _ in groups[1:]:
        counters.table()
    return [KeyResultsPart(tuple(groups), first, heading)]


def balancing_parts(spec: PartSpec, unit: str, ctx: _Context, counters: _Counters, heading: str | None) -> list[Part]:
    table = ctx.report.balancing
    # The programme is the reported unit's whole table; a child's section does not repeat it.
    if table is None or unit != ctx.report.unit_code:
        return []
    return [BalancingPart(table, counters.table(), heading)]


def forecast_basis_parts(spec: PartSpec, unit: str, ctx: _Context, counters: _Counters, heading: str | None) -> list[Part]:
    basis = ctx.report.forecast_basis
    if basis is None:
        return []
    mine = basis.under(r.unit_code for r in basis.rows if in_subtree(r.unit_code, unit, ctx.report))
    if not mine.rows:
        return []
    return [ForecastBasisPart(mine, ctx.unit_name(unit), counters.table(), heading)]


def in_subtree(unit: str, root: str, report: Report) -> bool:
    parents = dict(report.structure.unit_parents)
    seen = set()
    at: str | None = unit
    while at is not None and at not in seen:
        if at == root:
            return True
        seen.add(at)
        at = parents.get(at)
    return root == report.unit_code and not parents  # no structure: everything is under the reported unit


# --- labels in the document's language --------------------------------------------------------------------


def translate_table(table: Table, spec: TableSpec, ctx: _Context) -> Table:
    """The table with the template's Swedish column and row labels where it has them (unit and line names are
    already in the report's language)."""
    if ctx.language != "sv":
        return table
    columns = tuple(translate_column(c, ctx) for c in table.columns)
    labels = {r.line: r.label_sv for r in spec.rows if r.label_sv}
    rows = tuple(replace(r, label=labels[r.line_code]) if r.line_code in labels else r for r in table.rows)
    return replace(table, columns=columns, rows=rows)


def translate_column(column: Column, ctx: _Context) -> Column:
    spec = next((c for c in ctx.template.columns if c.key == column.key), None)
    if spec is None or not spec.label_sv:
        return column
    return replace(column, label=column_label(spec.label_sv, column, ctx.report))


def column_label(pattern: str, column: Column, report: Report) -> str:
    """A label pattern filled as core.statement fills `label` ({version}, {period}, {KEY.version_short} …)."""
    columns = {c.key: c for t in report.tables for c in t.columns}

    def names(c: Column) -> dict[str, str]:
        name = c.version or ""
        return {"version": name, "version_short": version_short(name) if name else ""}

    year = column.year or report.period.year
    namespace: dict[str, object] = {key: SimpleNamespace(**names(c)) for key, c in columns.items()}
    namespace.update(names(column))
    shown = Period(year, report.period.month)
    namespace.update(year=str(year), months=shown.months, period=shown.label())
    try:
        return pattern.format(**namespace)
    except (KeyError, AttributeError, IndexError, ValueError):
        return column.label
