"""The open-data package's resources: each a Table Schema and its rows, built from the report model.

Rows are lists of text exactly as the CSV files hold them (decimal point, ISO dates, no thousands separators,
euros with cents), so that the files, the zip and the JSON rows of the publish step say the same thing. Nothing
here rounds an amount: cents are exact euros / 100. Shares and changes (exact fractions) are given as decimals
with RATIO_PLACES places, rounded by the template's rule. The check findings' texts are made here, at the
edge, from their codes and parameters in both of the package's languages (katsaus.render.messages).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from katsaus.core.checks import rule_of
from katsaus.core.errors import SEVERITIES, Problem
from katsaus.core.goals import GoalResult, KeyResultRow
from katsaus.core.model import Column, Report, Row, Table
from katsaus.core.org import OrgTree
from katsaus.core.periods import Period
from katsaus.core.rounding import round_to
from katsaus.core.scheme import Scheme
from katsaus.render.content_tables import actual_text, plan_text
from katsaus.render.messages import shown

RATIO_PLACES = 6
AMOUNT_KINDS = ("budget", "actual", "forecast")
# a code: no whitespace or control character anywhere (a resource value a foreign key can match exactly)
CODE_PATTERN = r"[^\s\x00-\x1f\x7f]+"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str = ""

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "number":
            out["decimalChar"] = "."
            out["groupChar"] = ""
        if self.type == "boolean":
            out["trueValues"], out["falseValues"] = ["true"], ["false"]
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Resource:
    name: str  # also the CSV file's stem
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()  # (fields, resource, its fields)
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def header(self) -> list[str]:
        return [f.name for f in self.fields]

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [f.descriptor() for f in self.fields],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": list(own), "reference": {"resource": other, "fields": list(theirs)}}
                for own, other, theirs in self.foreign_keys
            ]
        return schema

    def descriptor(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "title": self.title,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
            "schema": self.schema(),
        }

    def json_rows(self) -> list[dict[str, str | None]]:
        """The rows as JSON objects keyed by field name; an empty value is null."""
        names = self.header()
        return [{n: (v if v != "" else None) for n, v in zip(names, row)} for row in self.rows]


# --- text of values ---------------------------------------------------------------------------------------


def euros(cents: int | None) -> str:
    return "" if cents is None else format(Decimal(cents).scaleb(-2), "f")


def decimal_text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def ratio_text(value: Fraction | None, rounding: str) -> str:
    return "" if value is None else format(round_to(value, RATIO_PLACES, rounding), "f")


def day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def month_text(period: Period | None) -> str:
    return "" if period is None else period.key


def code_field(name: str, description: str, required: bool = True) -> Field:
    return Field(name, "string", description, required, pattern=CODE_PATTERN)


# --- units ------------------------------------------------------------------------------------------------


def report_units(report: Report) -> list[str]:
    """The reported unit and the units of its tables and content, each once, in the organisation's presentation
    order (the report's structure) where it has them."""
    shown = {report.unit_code, *(t.unit_code for t in report.tables)}
    shown |= {r.line_code for t in report.tables if t.rows_by == "unit" for r in t.rows if not r.heading}
    shown |= {g.goal.unit_code for g in report.goals} | {k.unit_goal.unit_code for k in report.key_results}
    order = {code: i for i, (code, _) in enumerate(report.structure.unit_parents)}
    first = [report.unit_code] + [t.unit_code for t in report.tables]  # then table order for the rest
    rest = sorted(shown - {report.unit_code}, key=lambda c: (order.get(c, len(order)), first.index(c) if c in first else 0))
    return [report.unit_code, *rest]


def with_ancestors(codes: list[str], org: OrgTree) -> list[str]:
    """The codes, then the organisation units above them that are not among them (so every parent is a row)."""
    out = list(codes)
    for code in codes:
        parent = org.unit(code).parent if org.has_unit(code) else None
        while parent is not None and parent not in out:
            out.append(parent)
            parent = org.unit(parent).parent
    return out


def validity(code: str, org: OrgTree) -> tuple[date | None, date | None]:
    """The unit's validity from its cost centres: the earliest start and the latest end; open (None) when any
    centre is open-ended or the unit has no cost centres of its own."""
    centres = [c for c in org.cost_centres if c.unit == code]
    if not centres:
        return None, None
    starts = [c.valid_from for c in centres]
    ends = [c.valid_to for c in centres]
    start = None if any(s is None for s in starts) else min(s for s in starts if s is not None)
    end = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
    return start, end


UNIT_FIELDS = (
    code_field("unit_code", "The organisation unit's code in the county's organisation."),
    Field("name_fi", "string", "The unit's name in Finnish.", True),
    Field("name_sv", "string", "The unit's name in Swedish (empty when the organisation has none)."),
    Field("short_name", "string", "The shorter name the goal and key-result tables print, if any."),
    code_field("parent_code", "The code of the unit above it; empty for the top of the organisation.", False),
    Field("level", "integer", "Depth in the organisation: 0 for the top unit.", True),
    Field("in_report", "boolean", "true: the report shows this unit; false: listed only as a parent.", True),
    Field("valid_from", "date", "First day of the unit's cost centres (ISO date); empty when open or not known."),
    Field("valid_to", "date", "Last day of the unit's cost centres, inclusive; empty when open-ended."),
)


def units_resource(report: Report, org: OrgTree) -> Resource:
    shown = report_units(report)
    short = dict(report.short_names)
    rows = []
    for code in with_ancestors(shown, org):
        unit = org.unit(code) if org.has_unit(code) else None
        start, end = validity(code, org)
        rows.append((
            code,
            unit.name_fi if unit else _table_unit_name(report, code),
            (unit.name_sv or "") if unit else "",
            short.get(code, ""),
            (unit.parent or "") if unit else "",
            str(org.depth(code)) if unit else "0",
            flag(code in shown),
            day(start),
            day(end),
        ))
    return Resource(
        "units", "Organisaatioyksiköt – Organisationsenheter",
        "The organisation units of the report with their names in Finnish and Swedish and their place in the "
        "organisation.",
        UNIT_FIELDS, ("unit_code",), ((("parent_code",), "", ("unit_code",)),), tuple(rows),
    )


def _table_unit_name(report: Report, code: str) -> str:
    return next((t.unit_name for t in report.tables if t.unit_code == code), code)


# --- statement lines --------------------------------------------------------------------------------------


LINE_FIELDS = (
    code_field("line_code", "The statement line's code in the statement scheme."),
    Field("name_fi", "string", "The line's name in Finnish.", True),
    Field("name_sv", "string", "The line's name in Swedish (empty when the scheme has none)."),
    code_field("parent_code", "The line it is printed under (the nearest line above it with a lower level in "
                              "the first table that shows it); empty for a main line.", False),
    Field("level", "integer", "Indentation in print: 0 main line, 1 sub-line.", True),
    Field("position", "integer", "Order of the line in the report, from 1.", True),
    Field("derived", "boolean", "true: the line is computed from other lines (see sum_of).", True),
    Field("sum_of", "string", "For a derived line its terms, e.g. 'toimintatuotot+toimintakulut'; "
                              "a minus sign subtracts the line."),
)


def shown_lines(report: Report) -> list[tuple[str, int, str]]:
    """(line, level, printed parent) of every line the report's tables show, in first-seen order."""
    out: dict[str, tuple[int, str]] = {}
    for table in report.tables:
        if table.rows_by == "unit":  # a row per unit: the lines are the columns'
            for column in table.columns:
                if column.line and column.kind in AMOUNT_KINDS:
                    out.setdefault(column.line, (0, ""))
            continue
        stack: list[tuple[int, str]] = []
        for row in table.rows:
            if row.heading:  # a label above its sub-lines: no line, no figures
                continue
            while stack and stack[-1][0] >= row.level:
                stack.pop()
            if row.line_code not in out:
                out[row.line_code] = (row.level, stack[-1][1] if stack else "")
            stack.append((row.level, row.line_code))
    return [(code, level, parent) for code, (level, parent) in out.items()]


def sum_text(scheme: Scheme, code: str) -> str:
    terms = scheme.line(code).sum_of if scheme.has_line(code) else ()
    text = "".join(("+" if t.sign > 0 else "-") + t.line for t in terms)
    return text[1:] if text.startswith("+") else text


def lines_resource(report: Report, scheme: Scheme) -> Resource:
    rows = []
    for position, (code, level, parent) in enumerate(shown_lines(report), start=1):
        line = scheme.line(code) if scheme.has_line(code) else None
        rows.append((
            code,
            line.name_fi if line else code,
            (line.name_sv or "") if line else "",
            parent,
            str(level),
            str(position),
            flag(bool(line and line.is_derived)),
            sum_text(scheme, code),
        ))
    return Resource(
        "lines", "Tuloslaskelman rivit – Resultaträkningens rader",
        "The statement lines the report shows, with their names in Finnish and Swedish, their printed hierarchy "
        "and, for computed lines, the lines they sum.",
        LINE_FIELDS, ("line_code",), ((("parent_code",), "", ("line_code",)),), tuple(rows),
    )


# --- figures in long form ---------------------------------------------------------------------------------


FIGURE_FIELDS = (
    code_field("unit_code", "The unit (units.unit_code)."),
    code_field("line_code", "The statement line (lines.line_code)."),
    code_field("column", "The report column the figure is printed in (the template's column key)."),
    Field("measure", "string", "budget: the budget version in force; actual: booked for the period; forecast: "
                               "the year's forecast version.", True, enum=AMOUNT_KINDS),
    Field("year", "integer", "The year the figure is of (the report's year, or the previous year).", True),
    Field("previous_year", "boolean", "true: a figure of the previous year, for comparison.", True),
    Field("period_start", "date", "First day the figure covers.", True),
    Field("period_end", "date", "Last day the figure covers (budget and forecast: the whole year).", True),
    Field("version", "string", "The budget or forecast version's name; empty for actuals."),
    Field("amount_eur", "number", "Amount in euros with cents, in the statement's sign: income positive, costs "
                                  "negative. Empty: no entries at all (not the same as 0)."),
)


def figure_records(report: Report) -> Iterable[tuple[str, ...]]:
    """One record per unit, line and amount column of the report's tables; a figure printed in several tables
    (the division's line in two of them) is one record."""
    seen: set[tuple[str, str, str]] = set()
    for table in report.tables:
        amounts = [(i, c) for i, c in enumerate(table.columns) if c.kind in AMOUNT_KINDS]
        for row in table.rows:
            if row.heading:
                continue
            for index, column in amounts:
                unit, line = place(table, row, column)
                key = (unit, line, column.key)
                if key in seen:
                    continue
                seen.add(key)
                yield figure_record(report, unit, line, column, statement_sign(column, row.cells[index].cents))


def statement_sign(column: Column, cents: int | None) -> int | None:
    """The figure in the statement's sign, also where the column prints it reversed (costs as appropriations)."""
    return -cents if column.sign == "reversed" and cents is not None else cents


def place(table: Table, row: Row, column: Column) -> tuple[str, str]:
    """(unit, line) of a cell: in a table of units the row is the unit and the column says the line."""
    if table.rows_by == "unit":
        return row.line_code, column.line or ""
    return table.unit_code, row.line_code


def figure_record(report: Report, unit: str, line: str, column: Column, cents: int | None) -> tuple[str, ...]:
    year = column.year or report.period.year
    last = Period(year, 12 if column.kind != "actual" else report.period.month).end
    return (
        unit, line, column.key, column.kind, str(year), flag(year < report.period.year),
        date(year, 1, 1).isoformat(), last.isoformat(), column.version or "", euros(cents),
    )


def figures_resource(report: Report) -> Resource:
    return Resource(
        "figures", "Tuloslaskelman luvut – Resultaträkningens siffror",
        "Every amount of the report's statement tables in long form: one row per unit, line and column, in "
        "euros with cents. Ratios and differences of the printed tables are computed from these "
        "(e.g. actual / budget).",
        FIGURE_FIELDS, ("unit_code", "line_code", "column"),
        ((("unit_code",), "units", ("unit_code",)), (("line_code",), "lines", ("line_code",))),
        tuple(figure_records(report)),
    )


# --- goals ------------------------------------------------------------------------------------------------


STATUSES = ("met", "not_met", "progress", "not_measurable")

GOAL_FIELDS = (
    code_field("goal_code", "The operational goal's code."),
    code_field("unit_code", "The unit whose goal it is (units.unit_code)."),
    Field("year", "integer", "The goal's year.", True),
    Field("indicator", "string", "The indicator as printed.", True),
    Field("rule", "string", "How the target is decided: at_least, decrease, full_year, text …", True),
    Field("target_value", "number", "The rule's number N (a count, a percentage or a ratio, per the rule)."),
    Field("baseline_value", "number", "The comparison value of the baseline year."),
    Field("baseline_year", "integer", "The baseline year."),
    Field("main_measure", "string", "The measure the rule is about (goal_values.measure)."),
    Field("actual_period", "string", "The month of the actual used, YYYY-MM; empty: no actual yet."),
    Field("status", "string", "The status the report shows.", True, enum=STATUSES),
    Field("status_computed", "string", "The status the rule gives (differs from status when a person "
                                       "decided otherwise).", True, enum=STATUSES),
    Field("status_reason", "string", "The reason a person gave for deciding the status."),
    Field("share", "number", "Progress: the value as a share of the target (0.33 = 33 %)."),
    Field("change", "number", "Change against the baseline as a share (0.31 = +31 %)."),
    Field("shown_as", "string", "How the printed actual is phrased: status (the status, then the values or the "
                                "change), change, values, or period_values.", True,
          enum=("status", "change", "values", "period_values")),
    Field("value_separator", "string", "What separates several measures' values in print."),
    Field("percent_decimals", "integer", "Decimals of the printed share or change.", True),
    Field("plan_text_fi", "string", "The target as printed (Finnish)."),
    Field("actual_text_fi", "string", "The actual as printed (Finnish)."),
    Field("actual_is_wording", "boolean", "true: the printed actual is a wording a person entered, not phrased "
                                          "from the values.", True),
)

GOAL_VALUE_FIELDS = (
    code_field("goal_code", "The goal (goals.goal_code)."),
    code_field("measure", "The measure's key."),
    Field("label", "string", "What follows the number in print."),
    Field("unit_of_measure", "string", "The measure's unit (kpl, %, vrk …)."),
    Field("value", "number", "The actual value as entered, with its decimals.", True),
)


def goal_record(result: GoalResult, rounding: str) -> tuple[str, ...]:
    goal, status, rule = result.goal, result.status, result.goal.rule
    return (
        goal.code, goal.unit_code, str(goal.year), goal.indicator, rule.kind, decimal_text(rule.value),
        decimal_text(rule.baseline), str(rule.baseline_year or ""), goal.main_measure.key,
        month_text(result.actual.period if result.actual else None), status.code, status.computed,
        status.override.reason if status.override else "", ratio_text(status.share, rounding),
        ratio_text(status.change, rounding), goal.presentation.show, goal.presentation.separator,
        str(goal.presentation.percent_decimals), plan_text(result, "fi"), actual_text(result, "fi"),
        flag(bool(result.actual and result.actual.wording)),
    )


def goals_resources(report: Report) -> tuple[Resource, Resource]:
    rounding = report.conventions.rounding
    goals = tuple(goal_record(r, rounding) for r in report.goals)
    values = tuple(
        (r.goal.code, m.key, m.label, m.unit_of_measure, decimal_text(r.actual.value(m.key)))
        for r in report.goals if r.actual is not None
        for m in r.goal.measures if r.actual.value(m.key) is not None
    )
    return (
        Resource("goals", "Toiminnalliset tavoitteet – Verksamhetsmål",
                 "The operational goals of the report's units: the rule, the status for the period and the "
                 "printed texts.", GOAL_FIELDS, ("goal_code",), ((("unit_code",), "units", ("unit_code",)),), goals),
        Resource("goal_values", "Tavoitteiden toteumat – Målens utfall",
                 "The measured values of each goal's actual for the period, one row per measure.",
                 GOAL_VALUE_FIELDS, ("goal_code", "measure"), ((("goal_code",), "goals", ("goal_code",)),), values),
    )


# --- key results ------------------------------------------------------------------------------------------


KEY_RESULT_FIELDS = (
    code_field("key_result_code", "The key result's code."),
    code_field("strategic_goal_code", "The county's strategic goal."),
    Field("strategic_goal", "string", "The strategic goal as printed.", True),
    code_field("unit_goal_code", "The unit's goal under the strategic goal."),
    Field("unit_goal", "string", "The unit's goal as printed.", True),
    code_field("unit_code", "The unit (units.unit_code)."),
    Field("key_result", "string", "The key result as printed.", True),
    Field("unit_of_measure", "string", "The unit of the measured value and the target (%, kpl …)."),
    Field("comparison", "string", "How the measured value compares with the target: at_least, at_most …"),
    Field("measured_value", "number", "The latest measured value up to the period."),
    Field("measured_period", "string", "The month of the measured value, YYYY-MM."),
    Field("target_value", "number", "The latest target up to the period."),
    Field("confidence_value", "number", "The latest confidence estimate (luottavaisuusarvio), 0–100."),
    Field("confidence_period", "string", "The month of the confidence estimate, YYYY-MM."),
    Field("met", "boolean", "Measured against target, when both and a comparison are known."),
)


def key_result_record(row: KeyResultRow) -> tuple[str, ...]:
    kr = row.key_result
    return (
        kr.code, row.strategic_goal.code, row.strategic_goal.name, row.unit_goal.code, row.unit_goal.text,
        row.unit_goal.unit_code, kr.text, kr.unit, kr.target_kind or "",
        decimal_text(row.measured.value if row.measured else None), month_text(row.measured.period if row.measured else None),
        decimal_text(row.target.value if row.target else None),
        decimal_text(row.confidence.value if row.confidence else None),
        month_text(row.confidence.period if row.confidence else None), flag(row.met),
    )


def key_results_resource(report: Report) -> Resource:
    return Resource(
        "key_results", "Avaintulokset – Nyckelresultat",
        "The key results under the county's strategic goals: measured value, target and confidence kept apart.",
        KEY_RESULT_FIELDS, ("key_result_code",), ((("unit_code",), "units", ("unit_code",)),),
        tuple(key_result_record(r) for r in report.key_results),
    )


# --- balancing programme ----------------------------------------------------------------------------------


BALANCING_FIELDS = (
    code_field("measure_code", "The balancing measure's code."),
    Field("name", "string", "The measure as printed.", True),
    code_field("owner_unit_code", "The unit responsible for the measure."),
    Field("target_eur", "number", "The year's target saving in euros with cents.", True),
    Field("actual_eur", "number", "Realised saving for the period in euros with cents; empty: no entry yet."),
    Field("forecast_eur", "number", "Forecast saving for the year in euros with cents; empty: no entry yet."),
    Field("entry_period", "string", "The month of the entry used, YYYY-MM."),
)


def balancing_resource(report: Report) -> Resource:
    table = report.balancing
    rows = () if table is None else tuple(
        (r.code, r.name, r.owner_unit, euros(r.target_cents), euros(r.actual_cents), euros(r.forecast_cents),
         month_text(r.entry_period))
        for r in table.rows
    )
    return Resource(
        "balancing_measures", "Tasapainottamistoimenpiteet – Balanseringsåtgärder",
        "The balancing programme's measures: target, realised and forecast savings in euros with cents. The "
        "printed total is the sum of the rows.",
        BALANCING_FIELDS, ("measure_code",), (), rows,
    )


# --- check findings ---------------------------------------------------------------------------------------


FINDING_FIELDS = (
    Field("number", "integer", "The finding's number in the check's order.", True),
    code_field("code", "The finding's stable code, check.<rule>.<situation> (docs/checks.md): what a program "
                       "matches on; the message says it in words."),
    Field("rule", "string", "The consistency rule that found it (docs/checks.md).", True),
    Field("severity", "string", "error, warning or info.", True, enum=SEVERITIES),
    Field("message_fi", "string", "What was found, in Finnish.", True),
    Field("message_sv", "string", "What was found, in Swedish.", True),
    Field("expected_fi", "string", "What the rule expected, in Finnish; empty when the message says it all."),
    Field("expected_sv", "string", "What the rule expected, in Swedish; empty when the message says it all."),
    Field("unit_code", "string", "The unit it concerns (its code, or its printed name), if any."),
    Field("table", "string", "The table it concerns, if any."),
    Field("row", "string", "The row it concerns (its line code or printed label), if any."),
    Field("column", "string", "The column it concerns, if any."),
    Field("passage", "string", "The words of a text (a narrative, a goal's wording) it is about, if any."),
    Field("found", "string", "What the report shows, verbatim."),
)


def finding_record(number: int, finding: Problem) -> tuple[str, ...]:
    fi, sv = shown(finding, "fi"), shown(finding, "sv")
    return (str(number), finding.code, rule_of(finding), finding.severity, fi.text, sv.text, fi.expected,
            sv.expected, fi.unit, fi.table, fi.row, fi.column, fi.passage, fi.found)


def findings_resource(findings: Iterable[Problem]) -> Resource:
    return Resource(
        "check_findings", "Tarkistusten havainnot – Kontrollernas fynd",
        "What Katsaus's consistency checks found in this report (sums, ratios, goal statuses, narratives): each "
        "finding's code and rule, its message in Finnish and Swedish, and where it is.",
        FINDING_FIELDS, ("number",), (), tuple(finding_record(n, f) for n, f in enumerate(findings, start=1)),
    )


# --- sources ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedFile:
    """One import the figures come from (the store's import log)."""

    kind: str  # ledger, budget, forecast
    file_name: str
    rows: int
    imported_at: str  # ISO date-time, UTC
    sha256: str
    version: str = ""


SOURCE_FIELDS = (
    Field("number", "integer", "The import's number in import order.", True),
    Field("kind", "string", "ledger: booked actuals; budget or forecast: a plan version.", True,
          enum=("ledger", "budget", "forecast")),
    Field("version", "string", "The plan version the import wrote; empty for the ledger."),
    Field("file_name", "string", "The imported file's name.", True),
    Field("rows", "integer", "Rows read from the file.", True),
    Field("imported_at", "datetime", "When it was imported (UTC).", True),
    Field("sha256", "string", "SHA-256 of the imported file, hexadecimal.", True),
)


def sources_resource(sources: Iterable[ImportedFile]) -> Resource:
    rows = tuple(
        (str(n), s.kind, s.version, s.file_name, str(s.rows), s.imported_at, s.sha256)
        for n, s in enumerate(sources, start=1)
    )
    return Resource(
        "sources", "Lähteet – Källor",
        "Every imported file the report's figures come from, with its SHA-256 so that a reader can check it.",
        SOURCE_FIELDS, ("number",), (), rows,
    )
