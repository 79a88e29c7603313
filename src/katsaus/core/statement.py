"""The income statement of any unit for any period, rolled up the organisation tree, as a report model.

Everything is exact cents until the renderers present it: percentages are exact fractions of unrounded
amounts, totals are sums of unrounded amounts, and "no entries" (None) is kept apart from 0.

A report that cannot be computed as asked is refused (`Refused`, `NotFound` for an unknown unit) with coded
problems (`report.*`); balances and plan figures that fit no line or unit are the report's `warnings`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from types import SimpleNamespace

from .errors import Money, NotFound, Param, Problem, Refused, Term
from .facts import Balance, Facts, PlanAmount, PlanVersion, remembered
from .model import Cell, Column, Report, Row, Table, VersionInfo
from .org import OrgTree
from .periods import Period, month_end
from .scheme import Scheme
from .template import ColumnSpec, RowSpec, TableSpec, Template

LineValues = dict[str, int | None]
UnitValues = dict[str, LineValues]


@dataclass(frozen=True)
class ResolvedColumn:
    spec: ColumnSpec
    period: Period  # the report's period shifted by the column's year offset
    version: PlanVersion | None = None


def build_report(
    org: OrgTree,
    scheme: Scheme,
    template: Template,
    period: Period,
    unit_code: str,
    facts: Facts,
    language: str = "fi",
    as_of: date | None = None,
) -> Report:
    if not org.has_unit(unit_code):
        raise NotFound(Problem("report.unit_unknown", {"unit": unit_code, "units": tuple(u.code for u in org.units)},
                               key="unit", found=unit_code), outcome="outcome.report_not_computed")
    if template.scheme != scheme.code:
        raise Refused(Problem("report.template_scheme_mismatch",
                              {"template": template.code, "template_scheme": template.scheme, "scheme": scheme.code},
                              key="template"), outcome="outcome.report_not_computed")
    resolved = resolve_columns(template, period, facts.plan_versions(), as_of)
    warnings: list[Problem] = []
    units = org.descendants(unit_code)
    amounts = compute_amount_columns(org, scheme, template, resolved, units, facts, warnings)
    columns = tuple(make_column(c, resolved) for c in resolved.values())
    tables = tuple(
        table
        for spec in template.tables
        for table in make_tables(spec, org, scheme, unit_code, columns, resolved, amounts, language)
    )
    if not any(table.rows for table in tables):
        raise Refused(nothing_to_show(template, org, unit_code), outcome="outcome.report_not_computed")
    used = {r.version.name: r.version for r in resolved.values() if r.version is not None}
    return Report(
        organisation=org.name_sv if language == "sv" and org.name_sv else org.name_fi,
        unit_code=unit_code,
        unit_name=org.unit(unit_code).name(language),
        period=period,
        template_code=template.code,
        conventions=template.conventions,
        tables=tables,
        versions=tuple(version_info(v) for v in used.values()),
        warnings=tuple(warnings),
        narratives_expected=template.narratives,
    )


def nothing_to_show(template: Template, org: OrgTree, unit_code: str) -> Problem:
    """Why a report would have no table at all: which units each table wants, and what the unit has below it."""
    return Problem("report.nothing_to_show", {
        "template": template.code, "unit": unit_code, "tables": tuple(t.key for t in template.tables),
        "units": tuple(t.units for t in template.tables), "children": len(org.children(unit_code)),
    }, key="unit", found=unit_code)


# --- columns and versions -------------------------------------------------------------------------


def resolve_columns(
    template: Template, period: Period, versions: Iterable[PlanVersion], as_of: date | None = None
) -> dict[str, ResolvedColumn]:
    versions = list(versions)
    resolved: dict[str, ResolvedColumn] = {}
    for spec in template.columns:
        shifted = period.shifted(spec.year_offset)
        version = None
        if spec.kind in ("budget", "forecast"):
            version = choose_version(spec, shifted, versions, as_of)
        resolved[spec.key] = ResolvedColumn(spec, shifted, version)
    return resolved


def choose_version(
    spec: ColumnSpec, period: Period, versions: list[PlanVersion], as_of: date | None = None
) -> PlanVersion:
    """The version a budget or forecast column shows.

    `as_of` makes a report reproducible: versions are taken as they stood on that date, so a report rerun
    later shows the same figures. A budget `in_force` then also needs its date on or before `as_of`, and
    `latest` considers only versions dated on or before it (an undated version's date is unknown). A version
    named in the template is taken whatever its date: the template asked for it.
    """
    kind = spec.kind
    wanted = spec.version or ("in_force" if kind == "budget" else "latest")
    of_year = [v for v in versions if v.kind == kind and v.year == period.year]
    if wanted == "in_force":
        candidates = in_force(of_year, kind, period.year, min(period.end, as_of) if as_of else period.end)
    elif wanted == "latest":
        candidates = [v for v in of_year if v.effective_date is not None and v.effective_date <= as_of] if as_of else of_year
    else:
        name = wanted.replace("{year}", str(period.year))
        candidates = [v for v in versions if v.kind == kind and v.name == name]
    if not candidates:
        raise Refused(version_missing(spec, wanted, period, versions, as_of), outcome="outcome.report_not_computed")
    chosen = newest(candidates)
    assert chosen is not None  # there are candidates here
    return chosen


def in_force(versions: Iterable[PlanVersion], kind: str, year: int, cutoff: date) -> list[PlanVersion]:
    """The versions of `kind` and `year` in force by `cutoff` (an undated version always is)."""
    return [v for v in versions if v.kind == kind and v.year == year
            and (v.effective_date is None or v.effective_date <= cutoff)]


def newest(versions: Iterable[PlanVersion]) -> PlanVersion | None:
    """The version with the latest date (an undated one counts as earliest; ties by name)."""
    return max(versions, key=lambda v: (v.effective_date or date.min, v.name), default=None)


def version_missing(spec: ColumnSpec, wanted: str, period: Period, versions: Iterable[PlanVersion],
                    as_of: date | None) -> list[Problem]:
    """A column's version is not there: the problem, then each version there is (`report.version_known`, info),
    so that the reader sees what could be chosen."""
    params: dict[str, Param] = {"column": spec.key, "kind": Term(f"plan_kind.{spec.kind}"), "wanted": wanted,
                                "year": period.year, "period_end": period.end}
    main = (Problem("report.version_missing_as_of", {**params, "as_of": as_of}) if as_of
            else Problem("report.version_missing", params))
    return [main] + [Problem("report.version_known", {"name": v.name, "kind": Term(f"plan_kind.{v.kind}"),
                                                      "year": v.year, "date": v.effective_date}, severity="info")
                     for v in versions]


def version_short(name: str) -> str:
    """'MTA I 2025' -> 'MTA I': the version name without its trailing year."""
    return re.sub(r"\s*\b\d{4}$", "", name).strip() or name


def make_column(column: ResolvedColumn, resolved: Mapping[str, ResolvedColumn]) -> Column:
    return Column(
        key=column.spec.key,
        label=column_label(column, resolved),
        kind=column.spec.kind,
        version=column.version.name if column.version else None,
        year=column.period.year,
        empty=column.spec.empty,
        zero=column.spec.zero,
        sign=column.spec.sign,
    )


def column_label(column: ResolvedColumn, resolved: Mapping[str, ResolvedColumn]) -> str:
    def names(c: ResolvedColumn) -> dict[str, str]:
        name = c.version.name if c.version else ""
        return {"version": name, "version_short": version_short(name) if name else ""}

    namespace: dict[str, object] = {key: SimpleNamespace(**names(c)) for key, c in resolved.items()}
    namespace.update(names(column))
    namespace.update(
        year=str(column.period.year), months=column.period.months, period=column.period.label()
    )
    try:
        return column.spec.label.format(**namespace)
    except (KeyError, AttributeError, IndexError) as exc:
        raise Refused(Problem("report.column_label_placeholder", {"column": column.spec.key, "placeholder": str(exc)},
                              key=f"columns.{column.spec.key}.label", found=column.spec.label),
                      outcome="outcome.report_not_computed") from None


def version_info(version: PlanVersion) -> VersionInfo:
    return VersionInfo(
        name=version.name,
        kind=version.kind,
        year=version.year,
        effective_date=version.effective_date.isoformat() if version.effective_date else None,
        decision_ref=version.decision_ref,
        author=version.author,
    )


# --- amounts ------------------------------------------------------------------------------------------


def compute_amount_columns(
    org: OrgTree,
    scheme: Scheme,
    template: Template,
    resolved: Mapping[str, ResolvedColumn],
    units: tuple[str, ...],
    facts: Facts,
    warnings: list[Problem],
) -> dict[str, UnitValues]:
    """Every amount column (budget, forecast, actual) for every unit and every line."""
    internal = template.conventions.internal
    cache: dict[tuple[str, str, Period], UnitValues] = {}
    out: dict[str, UnitValues] = {}
    for key, column in resolved.items():
        kind = column.spec.kind
        if kind == "actual":
            cache_key = ("actual", "", column.period)
            if cache_key not in cache:
                own, unplaced = actual_own(org, scheme, facts, column.period, internal)
                warnings += unplaced
                cache[cache_key] = all_lines(scheme, roll_up(org, units, own))
        elif kind in ("budget", "forecast"):
            assert column.version is not None
            cache_key = ("plan", column.version.name, column.period)
            if cache_key not in cache:
                own, unplaced = plan_own(org, scheme, facts, column.version.name, column.period, internal)
                warnings += unplaced
                cache[cache_key] = all_lines(scheme, roll_up(org, units, own))
        else:
            continue
        out[key] = reversed_values(cache[cache_key]) if column.spec.sign == "reversed" else cache[cache_key]
    for key, column in resolved.items():
        if column.spec.kind == "difference":
            out[key] = difference(out[column.spec.minuend or ""], out[column.spec.subtrahend or ""])
    return out


def actual_own(org: OrgTree, scheme: Scheme, facts: Facts, period: Period,
               internal: str) -> tuple[UnitValues, tuple[Problem, ...]]:
    """Every unit's own actual leaf values of the period, with the warnings computing them gave: computed once for
    all the reports of the same facts (core.facts.remembered), and a report that takes them still warns."""
    def compute() -> tuple[UnitValues, tuple[Problem, ...]]:
        found: list[Problem] = []
        return actual_own_values(org, scheme, facts.balances(period), internal, found), tuple(found)

    return remembered(facts, ("actual own", period, internal), compute)


def plan_own(org: OrgTree, scheme: Scheme, facts: Facts, version: str, period: Period,
             internal: str) -> tuple[UnitValues, tuple[Problem, ...]]:
    """Every unit's own plan leaf values of a version, as actual_own."""
    def compute() -> tuple[UnitValues, tuple[Problem, ...]]:
        found: list[Problem] = []
        return plan_own_values(org, scheme, facts.plan_amounts(version), period, internal, found), tuple(found)

    return remembered(facts, ("plan own", version, period, internal), compute)


def reversed_values(values: UnitValues) -> UnitValues:
    """A column with sign "reversed" prints the opposite figures (costs as positive appropriations); its
    differences and ratios are computed from these printed figures, so every printed relation still holds."""
    return {unit: {line: None if v is None else -v for line, v in lines.items()} for unit, lines in values.items()}


def include_balance(internal_flag: bool, rule: str) -> bool:
    if rule == "exclude":
        return not internal_flag
    if rule == "only":
        return internal_flag
    return True


def actual_own_values(
    org: OrgTree, scheme: Scheme, balances: Iterable[Balance], internal: str, warnings: list[Problem]
) -> UnitValues:
    """Each unit's own leaf-line values (statement sign) from the balances of its cost centres; what fits no line
    (by account) or no unit (by cost centre and month) is left out and warned about, with its sum in ledger sign."""
    own: UnitValues = defaultdict(dict)
    accounts: dict[str, int] = defaultdict(int)
    centres: dict[tuple[str, int, int], int] = defaultdict(int)
    for b in balances:
        if not include_balance(b.internal, internal):
            continue
        line = scheme.line_of_account(b.account)
        unit = org.unit_of(b.cost_centre, month_end(b.year, b.month))
        if line is None:
            accounts[b.account] += b.cents
            continue
        if unit is None:
            centres[(b.cost_centre, b.year, b.month)] += b.cents
            continue
        values = own[unit]
        values[line] = (values.get(line) or 0) + scheme.to_statement_sign(b.cents)
    for account, cents in sorted(accounts.items()):
        warnings.append(Problem("report.account_unplaced", {"account": account, "amount": Money(cents)},
                                severity="warning"))
    for (centre, year, month), cents in sorted(centres.items()):
        warnings.append(Problem("report.cost_centre_unplaced", {"cost_centre": centre, "year": year, "month": month,
                                                                "amount": Money(cents)}, severity="warning"))
    return own


def plan_own_values(
    org: OrgTree, scheme: Scheme, rows: Iterable[PlanAmount], period: Period, internal: str, warnings: list[Problem]
) -> UnitValues:
    """Each unit's own leaf-line plan values for the whole year (plans are already in statement sign).

    A figure given by account follows the same internal-items rule as the ledger; one given by line is external.
    """
    own: UnitValues = defaultdict(dict)
    for row in rows:
        if row.account and not include_balance(scheme.is_internal(row.account), internal):
            continue
        unit = row.unit or plan_unit_of(org, row.cost_centre or "", period)
        line = row.line or scheme.line_of_account(row.account or "")
        if unit is None or line is None:
            warnings.append(Problem("report.plan_figure_unplaced", {
                "version": row.version, "place": row.unit or row.cost_centre or "", "line": row.line or row.account or "",
                "amount": Money(row.cents)}, severity="warning"))
            continue
        values = own[unit]
        values[line] = (values.get(line) or 0) + row.cents
    return own


def plan_unit_of(org: OrgTree, cost_centre: str, period: Period) -> str | None:
    """A plan is for a year: the cost centre's unit at the period's end, else at any point of that year."""
    for day in (period.end, date(period.year, 12, 31), date(period.year, 1, 1)):
        unit = org.unit_of(cost_centre, day)
        if unit is not None:
            return unit
    return None


def roll_up(org: OrgTree, units: tuple[str, ...], own: Mapping[str, LineValues]) -> UnitValues:
    """Each unit's leaf values plus all its descendants' — a line present anywhere below is present above."""
    totals: UnitValues = {}
    for code in reversed(units):  # children before parents
        merged: LineValues = dict(own.get(code, {}))
        for child in org.children(code):
            for line, value in totals.get(child, {}).items():
                if value is None:
                    merged.setdefault(line, None)
                else:
                    merged[line] = (merged.get(line) or 0) + value
        totals[code] = merged
    return totals


def all_lines(scheme: Scheme, leaves: UnitValues) -> UnitValues:
    return {unit: scheme.evaluate(values) for unit, values in leaves.items()}


def difference(minuend: UnitValues, subtrahend: UnitValues) -> UnitValues:
    out: UnitValues = {}
    for unit in minuend.keys() | subtrahend.keys():
        a, b = minuend.get(unit, {}), subtrahend.get(unit, {})
        out[unit] = {
            line: None if a.get(line) is None and b.get(line) is None else (a.get(line) or 0) - (b.get(line) or 0)
            for line in a.keys() | b.keys()
        }
    return out


def ratio(numerator: int | None, denominator: int | None) -> Cell:
    if not denominator:
        return Cell("ratio", zero_base=True)
    return Cell("ratio", ratio=Fraction(numerator or 0, denominator))


# --- tables ---------------------------------------------------------------------------------------------


def table_units(spec: TableSpec, org: OrgTree, unit_code: str) -> tuple[str, ...]:
    children = org.children(unit_code)
    return {
        "self": (unit_code,),
        "children": children,
        "self_and_children": (unit_code, *children),
        "descendants": org.descendants(unit_code),
    }[spec.units]


def make_tables(
    spec: TableSpec,
    org: OrgTree,
    scheme: Scheme,
    unit_code: str,
    columns: tuple[Column, ...],
    resolved: Mapping[str, ResolvedColumn],
    amounts: Mapping[str, UnitValues],
    language: str,
) -> list[Table]:
    shown = tuple(c for c in columns if not spec.columns or c.key in spec.columns)
    if spec.columns:
        shown = tuple(sorted(shown, key=lambda c: spec.columns.index(c.key)))
    if spec.rows_by == "unit":
        return [unit_rows_table(spec, org, unit_code, shown, resolved, amounts, language)]
    return [
        table_of(spec, org, unit, shown, tuple(line_row(r, scheme, org, unit, shown, resolved, amounts, language) for r in spec.rows), language)
        for unit in table_units(spec, org, unit_code)
    ]


def table_of(spec: TableSpec, org: OrgTree, unit: str, columns: tuple[Column, ...], rows: tuple[Row, ...], language: str) -> Table:
    return Table(
        key=spec.key,
        output=spec.output,
        title=spec.title,
        unit_code=unit,
        unit_name=org.unit(unit).name(language),
        columns=columns,
        rows=rows,
        footnotes=spec.footnotes,
        rows_by=spec.rows_by,
        label_header=spec.label_header,
    )


def line_row(
    r: RowSpec, scheme: Scheme, org: OrgTree, unit: str, shown: tuple[Column, ...],
    resolved: Mapping[str, ResolvedColumn], amounts: Mapping[str, UnitValues], language: str,
) -> Row:
    """A row of a table of lines: its line's figures for the table's unit, or a heading row without figures."""
    label = r.label or scheme.line(r.line).name(language)
    if r.heading:
        return Row(line_code="", label=label, level=r.level, cells=tuple(Cell("text") for _ in shown), heading=True)
    where = Where(unit, r.line, org.unit(unit).name(language), label)
    return Row(r.line, label, r.level, tuple(cell(c, resolved, amounts, where, None) for c in shown))


def unit_rows_table(
    spec: TableSpec, org: OrgTree, unit_code: str, shown: tuple[Column, ...],
    resolved: Mapping[str, ResolvedColumn], amounts: Mapping[str, UnitValues], language: str,
) -> Table:
    """One table with a row per unit of `units`; each column shows its own line (or the table's), so a revenue
    block and a cost block can stand side by side, each with its own columns and deviation sign."""
    rows = []
    where_line = Where(unit_code, "", "", "")
    shown = tuple(replace(c, line=column_line(c.key, resolved, where_line, spec.line)) if c.kind != "text" else c for c in shown)
    for unit in table_units(spec, org, unit_code):
        name = org.unit(unit).name(language)
        where = Where(unit, "", name, name)
        rows.append(Row(unit, name, 0, tuple(cell(c, resolved, amounts, where, spec.line) for c in shown)))
    return table_of(spec, org, unit_code, shown, tuple(rows), language)


@dataclass(frozen=True)
class Where:
    """The place a cell shows: its unit and line, with the names a text column may print."""

    unit: str
    line: str
    unit_name: str
    line_name: str


def column_line(key: str, resolved: Mapping[str, ResolvedColumn], where: Where, table_line: str | None) -> str:
    """The line a column shows at a place: its own line, else the table's, else the row's; a difference
    follows its minuend's."""
    spec = resolved[key].spec
    if spec.kind in ("difference", "ratio"):
        return column_line((spec.minuend if spec.kind == "difference" else spec.numerator) or "", resolved, where, table_line)
    return spec.line or table_line or where.line


def cell(
    column: Column, resolved: Mapping[str, ResolvedColumn], amounts: Mapping[str, UnitValues], where: Where,
    table_line: str | None,
) -> Cell:
    def amount(key: str) -> int | None:
        return amounts[key].get(where.unit, {}).get(column_line(key, resolved, where, table_line))

    spec = resolved[column.key].spec
    if column.kind == "text":
        return Cell("text", text=(spec.text or "").format(unit_code=where.unit, unit=where.unit_name, line_code=where.line, line=where.line_name))
    if column.kind == "ratio":
        return ratio(amount(spec.numerator or ""), amount(spec.denominator or ""))
    return Cell("amount", cents=amount(column.key))
