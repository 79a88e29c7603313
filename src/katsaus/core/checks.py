"""Consistency checks over the report model: every rule reads a finished `Report` and returns findings.

A finding is a `Problem` of the one family (`core.errors`): its code is `check.<rule>.<situation>` (`rule_of`
gives the rule, which docs/checks.md and the open data name), its severity says how bad it is (`error`,
`warning`, `info`), its location is the report's unit, table, row and column (and `passage`, the sentence of a
text), and what it compares is in its parameters as data: `Money` for euros, `Percent` for shares, `Decimal` and
`Fraction` numbers, `Term` for a status. `found` quotes, verbatim, what a text or a printed wording says. Nothing
here is worded or formatted: the catalogue (render/catalogue/check.toml) does that at the edge.

A finding never stops a report: `run_checks` catches a rule that fails and reports that as a finding too
(`check.<rule>.failed`). Differences that come only from presenting rounded numbers are not errors (docs/checks.md
says how each rule decides); every rounding goes through `core.rounding.round_to`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypedDict

from .errors import Money, Param, Percent, Problem, Severity, Term
from .goals import GoalResult
from .model import Cell, Column, Conventions, Report, Row, Table
from .narrative import NARRATIVE_TABLE, NarrativeResult, Sentence, StatedNumber, sentences, stated_numbers
from .rounding import Rounding, round_to

Agreement = Literal["same", "rounding", "truncated", "differs"]
AMOUNT_KINDS = ("budget", "forecast", "actual", "difference")
BALANCING_TABLE = "tasapainottamistoimenpiteet"
GOALS_TABLE = "toiminnalliset_tavoitteet"
KEY_RESULTS_TABLE = "avaintulokset"
CONFIDENCE_COLUMN = "luottavaisuusarvio"


class Where(TypedDict, total=False):
    """A finding's location in the report."""

    unit: str
    table: str
    row: str
    column: str
    passage: str


def with_passage(where: Where, passage: str) -> Where:
    """The location with the words of a text the finding is about."""
    located = where.copy()
    located["passage"] = passage
    return located


def rule_of(problem: Problem) -> str:
    """The rule a finding comes from: the second part of its code ("check.derived_line.not_sum" -> "derived_line");
    "" for a problem that is not a finding."""
    parts = problem.code.split(".")
    return parts[1] if len(parts) >= 3 and parts[0] == "check" else ""


# --- numbers -------------------------------------------------------------------------------------------


def decimals(value: Decimal) -> int:
    """How many decimals a stated number has ("49,6" has 1)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def is_cut(stated: Decimal, exact: Fraction) -> bool:
    """Whether a stated number is the exact value cut (truncated toward zero) to the stated decimals instead of
    rounded: not a rounding, but the check of a mistake people make ("10 %" printed for 10,53 %)."""
    scaled = exact * 10 ** decimals(stated)
    whole = abs(scaled.numerator) // scaled.denominator
    return Fraction(whole if scaled >= 0 else -whole, 10 ** decimals(stated)) == Fraction(stated)


def compare(stated: Decimal, exact: Fraction, approx: str = "exact") -> Agreement:
    """How a number stated with some decimals agrees with an exact value.

    "rounding": it is the exact value rounded to the stated decimals (not an error). "truncated": it is the exact
    value cut, not rounded. Qualified numbers: "about" ("noin 10 %") allows 10 % of the number, "over" ("yli 90 %")
    and "under" ("alle 1,6 %") are bounds.
    """
    s = Fraction(stated)
    half = Fraction(1, 2 * 10 ** decimals(stated))
    if approx == "over":
        return "same" if exact >= s else "differs"
    if approx == "under":
        return "same" if exact <= s else "differs"
    if exact == s:
        return "same"
    if abs(exact - s) <= half or (approx == "about" and abs(exact - s) <= max(half, abs(s) / 10)):
        return "rounding"
    if is_cut(stated, exact):
        return "truncated"
    return "differs"


def agree_values(a: Decimal, b: Decimal) -> bool:
    """Two stated numbers agree when the more precise one rounds to the other (1,36 and 1,4)."""
    places = min(decimals(a), decimals(b))
    return round_to(a, places) == round_to(b, places)


def shown(cents: int | None, unit: int | Fraction, rule: Rounding = "half_up") -> int:
    """What an amount prints as, in steps of `unit` euros, by the template's rounding rule (as the renderers)."""
    return int(round_to(Fraction(cents or 0) / (100 * unit), 0, rule))


def printed_step(conventions: Conventions) -> Fraction:
    """The smallest printed amount in euros: 1000 for 1000 €, 1 for whole euros, 1/100 for cents."""
    return Fraction(conventions.amount_unit, 10**conventions.amount_decimals)


def money(cents: int | None) -> Money | None:
    return None if cents is None else Money(cents)


def percent(ratio: Fraction | None) -> Percent | None:
    return None if ratio is None else Percent(ratio)


def status_term(status: str) -> Term:
    """A goal status as words: term.goal_status.met …"""
    return Term(f"goal_status.{status}")


@dataclass
class RoundingOnly:
    """Printed figures that differ from the sum of their printed parts only because each is rounded: one `info`
    per table (or per parent unit) listing them, so a long statement does not repeat the same note."""

    cells: list[str]
    printed: list[Decimal]
    sums: list[Decimal]

    def add(self, cell: str, printed: int, total: int) -> None:
        self.cells.append(cell)
        self.printed.append(Decimal(printed))
        self.sums.append(Decimal(total))

    def params(self) -> dict[str, Param]:
        return {"count": len(self.cells), "cells": tuple(self.cells), "printed": tuple(self.printed),
                "sums": tuple(self.sums)}


# --- statement tables -------------------------------------------------------------------------------------


def expand(terms: Iterable[tuple[str, int]], shown_lines: set[str], report: Report) -> tuple[list[tuple[str, int]], list[str]]:
    """A derived line's terms as lines of the table: derived terms not shown are expanded; leaf terms not shown
    are hidden (a reader of the table cannot see them)."""
    visible: list[tuple[str, int]] = []
    hidden: list[str] = []
    for line, sign in terms:
        if line in shown_lines:
            visible.append((line, sign))
        elif report.structure.terms(line):
            more, gone = expand(((term, s * sign) for term, s in report.structure.terms(line)), shown_lines, report)
            visible += more
            hidden += gone
        else:
            hidden.append(line)
    return visible, hidden


def amount_columns(table: Table) -> list[int]:
    return [i for i, c in enumerate(table.columns) if c.kind in AMOUNT_KINDS]


def rule_derived_lines(report: Report) -> list[Problem]:
    out: list[Problem] = []
    unit = printed_step(report.conventions)
    rule = report.conventions.rounding
    for table in report.tables:
        rows = {r.line_code: r for r in table.rows}
        rounding = RoundingOnly([], [], [])
        for row in table.rows:
            visible, hidden = expand(report.structure.terms(row.line_code), set(rows), report)
            if not visible:
                continue
            for i in amount_columns(table):
                parts = [(sign, rows[line].cells[i].cents) for line, sign in visible]
                if row.cells[i].cents is None and all(c is None for _, c in parts):
                    continue
                total = sum(sign * (c or 0) for sign, c in parts)
                value = row.cells[i].cents or 0
                where = Where(unit=table.unit_code, table=table.key, row=row.label, column=table.columns[i].key)
                if value != total:
                    if hidden:  # lines not shown in the table would have to hold the difference
                        out.append(Problem("check.derived_line.not_sum_hidden", {
                            "expected": Money(total), "found": Money(value), "hidden": tuple(hidden)}, "warning", **where))
                    else:
                        out.append(Problem("check.derived_line.not_sum", {"expected": Money(total), "found": Money(value)},
                                           "error", **where))
                else:
                    printed = shown(value, unit, rule)
                    summed = sum(sign * shown(c, unit, rule) for sign, c in parts)
                    if printed != summed:
                        rounding.add(f"{row.label} / {table.columns[i].key}", printed, summed)
        if rounding.cells:  # totals come from unrounded euros
            out.append(Problem("check.derived_line.rounding_only", rounding.params(), "info", unit=table.unit_code,
                               table=table.key))
    return out


def figures(report: Report) -> dict[tuple[str, str, str], tuple[Cell, str]]:
    """Every (unit, line, column) figure of the report's tables, with the first table that shows it."""
    found: dict[tuple[str, str, str], tuple[Cell, str]] = {}
    for table in (t for t in report.tables if t.rows_by == "line"):  # a table of units: rule_same_figure only
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells):
                found.setdefault((table.unit_code, row.line_code, column.key), (cell, table.key))
    return found


def rule_parent_children(report: Report) -> list[Problem]:
    out: list[Problem] = []
    unit = printed_step(report.conventions)
    rule = report.conventions.rounding
    values = figures(report)
    kinds = {c.key: c.kind for t in report.tables for c in t.columns}
    rounding: dict[str, RoundingOnly] = {}
    for (parent, line, column), (cell, table) in values.items():
        children = report.structure.children(parent)
        if not children or kinds.get(column) not in AMOUNT_KINDS:
            continue
        kids = [values.get((child, line, column)) for child in children]
        cents = [k[0].cents for k in kids if k is not None]
        if len(cents) < len(kids):
            continue
        if cell.cents is None and all(c is None for c in cents):
            continue
        total = sum(c or 0 for c in cents)
        if (cell.cents or 0) != total:
            out.append(Problem("check.parent_children.not_sum", {
                "count": len(children), "expected": Money(total), "found": Money(cell.cents or 0)},
                "error", unit=parent, table=table, row=line, column=column))
            continue
        printed = shown(cell.cents, unit, rule)
        summed = sum(shown(c, unit, rule) for c in cents)
        if printed != summed:
            rounding.setdefault(parent, RoundingOnly([], [], [])).add(f"{line} / {column}", printed, summed)
    for parent, items in rounding.items():
        out.append(Problem("check.parent_children.rounding_only", items.params(), "info", unit=parent))
    return out


def rule_columns(report: Report) -> list[Problem]:
    """Ratio columns against their numerator and denominator, difference columns against their two columns."""
    out: list[Problem] = []
    for table in report.tables:
        keys = [c.key for c in table.columns]
        for key, kind, first, second in report.structure.column_formulas:
            if not {key, first, second} <= set(keys):
                continue
            for row in (r for r in table.rows if not r.heading):  # a heading row has no figures
                cell, a, b = (row.cells[keys.index(k)] for k in (key, first, second))
                where = Where(unit=table.unit_code, table=table.key, row=row.label, column=key)
                if kind == "ratio":
                    expected = Fraction(a.cents or 0, b.cents) if b.cents else None
                    if expected is None and not cell.zero_base:
                        out.append(Problem("check.ratio.not_zero_base", {
                            "numerator": first, "denominator": second, "found": percent(cell.ratio)}, "error", **where))
                    elif cell.ratio != expected:
                        out.append(Problem("check.ratio.not_quotient", {
                            "numerator": first, "denominator": second, "expected": percent(expected),
                            "found": percent(cell.ratio)}, "error", **where))
                else:
                    expected_cents = None if a.cents is None and b.cents is None else (a.cents or 0) - (b.cents or 0)
                    if cell.cents != expected_cents:
                        out.append(Problem("check.difference.not_difference", {
                            "minuend": first, "subtrahend": second, "expected": money(expected_cents),
                            "found": money(cell.cents)}, "error", **where))
    return out


def figure_place(table: Table, row: Row, column: Column) -> tuple[str, str, str]:
    """(unit, line, column) of a cell: in a table of units the row is the unit and the column has the line."""
    if table.rows_by == "unit":
        return (row.line_code, column.line or "", column.key)
    return (table.unit_code, row.line_code, column.key)


def cell_value(cell: Cell) -> Param:
    """A cell's figure as a parameter: euros, a percentage, or a text cell's words."""
    if cell.kind == "amount":
        return money(cell.cents)
    if cell.kind == "ratio":
        return percent(cell.ratio)
    return cell.text


def rule_same_figure(report: Report) -> list[Problem]:
    """One unit's line and column must have one value in every table that shows it."""
    out: list[Problem] = []
    first: dict[tuple[str, str, str], tuple[Cell, str]] = {}
    for table in report.tables:
        for row in (r for r in table.rows if not r.heading):
            for column, cell in zip(table.columns, row.cells):
                key = figure_place(table, row, column)
                if key in first and first[key][0] != cell:
                    other, other_table = first[key]
                    out.append(Problem("check.same_measure.tables_differ", {
                        "first_table": other_table, "expected": cell_value(other), "found": cell_value(cell)},
                        "error", unit=key[0], table=table.key, row=row.label, column=column.key))
                first.setdefault(key, (cell, table.key))
    return out


# --- balancing programme ----------------------------------------------------------------------------------


def rule_balancing(report: Report) -> list[Problem]:
    table = report.balancing
    if table is None:
        return []
    out: list[Problem] = []
    for row in (*table.rows, table.total):
        for label, part, ratio in (("actual_pct", row.actual_cents, row.actual_ratio), ("forecast_pct", row.forecast_cents, row.forecast_ratio)):
            expected = Fraction(part, row.target_cents) if part is not None and row.target_cents else None
            if ratio != expected:
                out.append(Problem("check.balancing.percent_wrong", {"expected": percent(expected), "found": percent(ratio)},
                                   "error", unit=row.owner_unit, table=BALANCING_TABLE, row=row.name, column=label))
        if row.actual_cents is not None and row.forecast_cents is not None and row.actual_cents > row.forecast_cents:
            out.append(Problem("check.balancing.achieved_above_forecast", {
                "achieved": Money(row.actual_cents), "forecast": Money(row.forecast_cents)},
                "warning", unit=row.owner_unit, table=BALANCING_TABLE, row=row.name, column="forecast"))
    sums = [("target", sum(r.target_cents for r in table.rows), table.total.target_cents)]
    sums.append(("actual", sum(r.actual_cents or 0 for r in table.rows), table.total.actual_cents or 0))
    sums.append(("forecast", sum(r.forecast_cents or 0 for r in table.rows), table.total.forecast_cents or 0))
    for column, expected_cents, found_cents in sums:
        if expected_cents != found_cents:
            out.append(Problem("check.balancing.total_not_sum", {"expected": Money(expected_cents), "found": Money(found_cents)},
                               "error", table=BALANCING_TABLE, row=table.total.name, column=column))
    return out


# --- operational goals and key results ----------------------------------------------------------------------


def goal_where(result: GoalResult, column: str) -> Where:
    return Where(unit=result.goal.unit_code, table=GOALS_TABLE, row=result.goal.indicator,
                 column=f"{column}_{result.goal.year}")


def rule_goal_status(report: Report) -> list[Problem]:
    out: list[Problem] = []
    for result in report.goals:
        status = result.status
        where = goal_where(result, "actual")
        override = status.override
        if override and status.computed == "not_measurable":  # a person decided because the rule cannot
            out.append(Problem("check.goal_status.override_undecidable", {
                "by": override.by or None, "reason": override.reason, "status": status_term(override.status),
                "explanation": status.explanation}, "info", **where))
        elif override and override.status != status.computed:
            out.append(Problem("check.goal_status.override_against_rule", {
                "by": override.by or None, "reason": override.reason, "status": status_term(override.status),
                "computed": status_term(status.computed), "explanation": status.explanation}, "warning", **where))
        elif status.computed == "not_measurable" and result.actual is not None:
            out.append(Problem("check.goal_status.undecidable", {"explanation": status.explanation}, "warning", **where))
        if result.actual is not None and result.actual.wording:
            out += printed_status(result, result.actual.wording, where)
    return out


_PROGRESS = re.compile(r"(?:toteutu(?:nut|i)|toteuma)\s+(-?\d+(?:,\d+)?)\s*%", re.I)
_CHANGE = re.compile(r"^\s*(nousua|laskua|kasvua|vähennystä)\s+(\d+(?:,\d+)?)\s*%", re.I)


def printed_status(result: GoalResult, wording: str, where: Where) -> list[Problem]:
    """A wording override against the goal's status and numbers: its status word, percentage and values."""
    out: list[Problem] = []
    status = result.status
    text = wording.strip().lower()
    progress, change = _PROGRESS.search(text), _CHANGE.match(text)
    if progress and status.share is not None:
        out += stated_check(Decimal(progress.group(1).replace(",", ".")), status.share * 100, "percent", wording, where)
    elif change and status.change is not None:
        sign = 1 if change.group(1) in ("nousua", "kasvua") else -1
        out += stated_check(Decimal(change.group(2).replace(",", ".")) * sign, status.change * 100, "change", wording, where)
    else:
        said = "not_met" if text.startswith("ei toteutunut") else "met" if re.match(r"toteutu(nut|i)\b", text) else None
        if said and said != status.code:
            out.append(Problem("check.goal_status.word_wrong", {"status": status_term(status.code)}, "error",
                               found=wording, **where))
    values = tuple(v for _, v in result.actual.values) if result.actual else ()
    for inside in re.findall(r"\(([^()]*)\)", wording):
        for number in stated_numbers(inside):
            if not any(agree_values(number.value, v) for v in values):
                out.append(Problem("check.goal_status.value_not_actual", {"values": values}, "error",
                                   found=number.raw, **with_passage(where, wording)))
    return out


def stated_check(stated: Decimal, exact: Fraction, what: Literal["percent", "change"], wording: str,
                 where: Where) -> list[Problem]:
    """A printed percentage of the target or change against the baseline against the exact value it should show:
    rounding is fine, cutting is a warning (check.goal_status.percent_cut, change_cut), anything else an error
    (percent_wrong, change_wrong)."""
    agreement = compare(stated, exact)
    if agreement in ("same", "rounding"):
        return []
    params: dict[str, Param] = {"expected": round_to(exact, decimals(stated)), "exact": exact}
    cut = agreement == "truncated"
    if what == "percent":
        return [Problem("check.goal_status.percent_cut", params, "warning", found=wording, **where) if cut
                else Problem("check.goal_status.percent_wrong", params, "error", found=wording, **where)]
    return [Problem("check.goal_status.change_cut", params, "warning", found=wording, **where) if cut
            else Problem("check.goal_status.change_wrong", params, "error", found=wording, **where)]


def rule_goal_wording(report: Report) -> list[Problem]:
    """Numbers in a target's original wording against the numbers of its rule and measures."""
    out: list[Problem] = []
    for result in report.goals:
        goal = result.goal
        if not goal.wording:
            continue
        rule = goal.rule
        known = [v for v in (rule.value, rule.baseline, rule.tolerance or None) if v is not None]
        known += [m.baseline for m in goal.measures if m.baseline is not None]
        years = {goal.year, rule.baseline_year, *(m.baseline_year for m in goal.measures)}
        stated = [n for n in stated_numbers(goal.wording) if int(n.value) not in years or n.value != int(n.value)]
        where = goal_where(result, "plan")
        for number in stated:
            if not any(agree_values(number.value, v) for v in known):
                out.append(Problem("check.goal_wording.number_unknown", {"numbers": tuple(known)}, "warning",
                                   found=number.raw, **with_passage(where, goal.wording)))
        for value in (rule.value, rule.baseline):
            if value is not None and stated and not any(agree_values(n.value, value) for n in stated):
                out.append(Problem("check.goal_wording.rule_number_missing", {"number": value}, "warning",
                                   found=goal.wording, **where))
    return out


def metric_goal_status(report: Report) -> dict[str, list[GoalResult]]:
    by_metric: dict[str, list[GoalResult]] = {}
    for result in report.goals:
        metric = result.goal.main_measure.metric
        if metric:
            by_metric.setdefault(metric, []).append(result)
    return by_metric


def rule_key_results(report: Report) -> list[Problem]:
    out: list[Problem] = []
    goals = metric_goal_status(report)
    for row in report.key_results:
        where = Where(unit=row.unit_goal.unit_code, table=KEY_RESULTS_TABLE, row=row.key_result.text,
                      column=CONFIDENCE_COLUMN)
        confidence = row.confidence if row.confidence and row.confidence.period == row.period else None
        if confidence and not 0 <= confidence.value <= 100:
            out.append(Problem("check.key_result.confidence_range", {"confidence": confidence.value}, "error", **where))
        if not confidence or confidence.value < 90:
            continue
        failing = [g for g in goals.get(row.key_result.metric or "", []) if g.status.code == "not_met"]
        if row.met is False:
            out.append(Problem("check.key_result.confident_but_missed", {
                "confidence": confidence.value, "target": row.target.value if row.target else None,
                "measured": row.measured.value if row.measured else None}, "warning", **where))
        for goal in failing:
            out.append(Problem("check.key_result.confident_but_goal_not_met", {
                "confidence": confidence.value, "goal": goal.goal.indicator, "explanation": goal.status.explanation},
                "warning", **where))
    return out


# --- metrics across places --------------------------------------------------------------------------------

Role = Literal["actual", "measured", "baseline", "target"]
Place = Literal["goal", "key_result"]


@dataclass(frozen=True)
class MetricValue:
    """A value of a metric somewhere in the report: an operational goal's (`place` "goal", `code` the goal's) or a
    key result's, in its role there, for a year (and the month of an actual or a measured value)."""

    metric: str
    value: Decimal
    role: Role
    year: int
    month: int | None
    place: Place
    code: str

    def params(self, prefix: str) -> dict[str, Param]:
        """The value and where it is, as a finding's parameters named `prefix`, `prefix`_place, … ."""
        return {prefix: self.value, f"{prefix}_place": Term(f"metric_place.{self.place}"), f"{prefix}_code": self.code,
                f"{prefix}_role": Term(f"metric_role.{self.role}")}


def metric_values(report: Report) -> dict[str, list[MetricValue]]:
    found: dict[str, list[MetricValue]] = {}

    def add(metric: str | None, value: Decimal | None, role: Role, year: int | None, month: int | None, place: Place,
            code: str) -> None:
        if metric and value is not None and year is not None:
            found.setdefault(metric, []).append(MetricValue(metric, value, role, year, month, place, code))

    for result in report.goals:
        goal = result.goal
        actual = result.actual
        for measure in goal.measures:
            is_main = measure.key == goal.main_measure.key
            if actual is not None:
                add(measure.metric, actual.value(measure.key), "actual", actual.period.year, actual.period.month,
                    "goal", goal.code)
            baseline = goal.rule.baseline if is_main else measure.baseline
            year = goal.rule.baseline_year if is_main else measure.baseline_year
            add(measure.metric, baseline, "baseline", year, None, "goal", goal.code)
            if is_main:
                add(measure.metric, goal.rule.value, "target", goal.year, None, "goal", goal.code)
    for row in report.key_results:
        for entry in row.key_result.entries:
            if entry.field == "measured" or entry.field == "target":
                add(row.key_result.metric, entry.value, entry.field, entry.period.year, entry.period.month, "key_result",
                    row.key_result.code)
    return found


def metric_changes(report: Report) -> dict[str, list[tuple[Fraction, str]]]:
    """Relative changes against the baseline of every measure that has a metric, from the goals: (change, the
    goal's code)."""
    found: dict[str, list[tuple[Fraction, str]]] = {}
    for result in report.goals:
        goal, actual = result.goal, result.actual
        for measure in goal.measures:
            if not measure.metric:
                continue
            if measure.key == goal.main_measure.key:
                change = result.status.change
            else:
                value = actual.value(measure.key) if actual else None
                change = Fraction(value) / Fraction(measure.baseline) - 1 if value is not None and measure.baseline else None
            if change is not None:
                found.setdefault(measure.metric, []).append((change, goal.code))
    return found


def rule_same_measure(report: Report) -> list[Problem]:
    """The same metric reported for the same period with different values in different places."""
    out: list[Problem] = []
    for metric, values in metric_values(report).items():
        measured = [v for v in values if v.role in ("actual", "measured") and v.month is not None]
        for i, a in enumerate(measured):
            for b in measured[i + 1 :]:
                if (a.year, a.month) == (b.year, b.month) and not agree_values(a.value, b.value):
                    out.append(Problem("check.same_measure.metric_differs", {
                        "metric": metric, "year": b.year, "month": b.month, **a.params("first"), **b.params("second")},
                        "warning", row=metric))
    return out


# --- narratives -----------------------------------------------------------------------------------------------

PREVIOUS_YEAR = ("edellisenä vuonna", "edellisen vuoden", "viime vuonna", "viime vuoden", "edellisvuonna", "edellisvuoden", "vuotta aiemmin")
FORECAST_CUES = ("ennuste", "tpe ")
BUDGET_CUES = ("talousarvio", "budjet", "mta ")
RATIO_CUES = ("toteutumaprosentti", "toteumaprosentti", "toteutumisprosentti", "toteutumisaste", "toteuma-aste", "tot-%")
CHANGE_CUES = re.compile(r"\b(kasv|lisään|nous|lask|vähen|pienen|suuren)\w*", re.I)
UP = re.compile(r"\b(kasvanut|kasvaneet|kasvoi|kasvua|lisääntynyt|lisääntyneet|lisääntyi|noussut|nousseet|nousi|nousua)\b")
DOWN = re.compile(r"\b(laskenut|laskeneet|laski|laskua|vähentynyt|vähentyneet|vähentyi|pienentynyt|pienentyneet|pienentyi)\b")
SAME = re.compile(r"(samalla tasolla|edellisen vuoden tasolla|viime vuoden tasolla|ennallaan|pysytetty|pysynyt samana|pysyi samana)")
SAME_LEVEL = Fraction(3, 100)  # "at last year's level" allows ±3 %
MONEY = {"millions": 10**8, "thousands": 10**5, "euros": 100}


def stem(label: str) -> str:
    """A name's stem for Finnish inflection: "toimintakate" matches "toimintakatteen" as "toimintaka"."""
    name = re.sub(r"\s*\(.*?\)", "", label).strip().lower()
    return name[:-2] if len(name) >= 6 else name


def mentions(text: str, vocabulary: Mapping[str, str]) -> list[tuple[int, str]]:
    """(position, code) of every vocabulary stem found at a word start, longest stems first, no overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str]] = []
    for phrase in sorted(vocabulary, key=len, reverse=True):
        for match in re.finditer(r"(?<!\w)" + re.escape(phrase), text):
            if not any(a < match.end() and match.start() < b for a, b in taken):
                taken.append((match.start(), match.end()))
                found.append((match.start(), vocabulary[phrase]))
    return sorted(found)


@dataclass
class Context:
    """What a sentence talks about: carried to the next sentence of the paragraph when that names nothing."""

    paragraph: int = -1
    line: str | None = None
    unit: str | None = None
    metrics: tuple[str, ...] = ()


def narrative_where(result: NarrativeResult, column: str | None = None, passage: str | None = None) -> Where:
    """A finding about a narrative: its unit, the table "narrative" and its section as the row."""
    n = result.narrative
    where = Where(unit=n.unit_code, table=NARRATIVE_TABLE, row=n.section)
    if column is not None:
        where["column"] = column
    if passage is not None:
        where["passage"] = passage
    return where


class NarrativeReader:
    """Links the numbers typed into a narrative to the figures they mention, as docs/checks.md describes."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.values = figures(report)
        self.lines = {stem(r.label): r.line_code for t in report.tables for r in t.rows}
        self.units = {stem(t.unit_name): t.unit_code for t in report.tables}
        self.units.update({stem(name): code for code, name in report.short_names})
        self.metric_phrases = {phrase: m.key for m in report.metrics for phrase in m.mentions}
        self.metric_units = {m.key: m.is_share for m in report.metrics}
        self.metric_values = metric_values(report)
        self.changes = metric_changes(report)

    def check(self, result: NarrativeResult) -> list[Problem]:
        out: list[Problem] = []
        unlinked: list[str] = []
        context = Context()
        for sentence in sentences(result.narrative.markdown):
            context = self.context(sentence, context, result.narrative.unit_code)
            offset = 0
            for number in sentence.numbers:
                offset = self.offset(number, offset)
                if number.is_year:  # "Vuonna 2024 ... 1,7 %": the year is a cue for the next number
                    offset = int(number.value) - self.report.period.year
                    continue
                found = self.number(result, sentence, number, context, offset)
                if found is not None:
                    out += found
                elif number.kind != "count":  # bare numbers (dates, ages, "2 kk") are no figures unless linked
                    unlinked.append(number.raw)
        if unlinked:  # typed by hand, not checked: a placeholder would fill them from the report
            out.append(Problem("check.narrative_number.not_linked", {"count": len(unlinked)}, "info",
                               found="; ".join(unlinked), **narrative_where(result)))
        return out

    def context(self, sentence: Sentence, previous: Context, own_unit: str) -> Context:
        text = sentence.text.lower()
        lines = mentions(text, self.lines)
        metrics = tuple(code for _, code in mentions(text, self.metric_phrases))
        units = mentions(text, self.units)
        if not lines and not metrics and previous.paragraph == sentence.paragraph:
            return Context(sentence.paragraph, previous.line, previous.unit, previous.metrics)
        return Context(sentence.paragraph, lines[0][1] if lines else None, units[0][1] if units else own_unit, metrics)

    def offset(self, number: StatedNumber, carried: int) -> int:
        """The year a number is about, relative to the report's: from the text since the previous number."""
        window = (number.before + " " + number.after).lower()
        years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", window)]
        years += [2000 + int(y) for y in re.findall(r"\b\d{1,2}/(\d{2})\b", window)]
        if years:
            return years[-1] - self.report.period.year
        if any(cue in window for cue in PREVIOUS_YEAR):
            return -1
        return carried

    def number(self, result: NarrativeResult, sentence: Sentence, number: StatedNumber, context: Context, offset: int) -> list[Problem] | None:
        window = number.before.lower()
        if context.line and (number.kind in MONEY or number.kind == "percent" and any(c in window for c in RATIO_CUES)):
            return self.statement_figure(result, sentence, number, context, offset)
        for metric in context.metrics:
            found = self.metric_number(result, sentence, number, metric, offset)
            if found is not None:
                return found
        return None

    def column(self, unit: str, line: str, kind: str, offset: int) -> str | None:
        year = self.report.period.year + offset
        for table in self.report.tables:
            if table.unit_code != unit or not any(r.line_code == line for r in table.rows):
                continue
            for column in table.columns:
                if column.kind == kind and column.year == year:
                    return column.key
        return None

    def statement_figure(self, result: NarrativeResult, sentence: Sentence, number: StatedNumber, context: Context, offset: int) -> list[Problem] | None:
        unit, line = context.unit or result.narrative.unit_code, context.line or ""
        window = number.before.lower()
        kind = "forecast" if any(c in window for c in FORECAST_CUES) else "budget" if any(c in window for c in BUDGET_CUES) else "actual"
        amount_key = self.column(unit, line, kind, offset)
        key = amount_key
        if number.kind == "percent" and amount_key:
            key = next((k for k, f, a, _ in self.report.structure.column_formulas if f == "ratio" and a == amount_key), None)
        figure = self.values.get((unit, line, key or ""))
        if figure is None or figure[0].is_empty:
            return None
        cell = figure[0]
        if number.kind == "percent":
            if cell.ratio is None:
                return None
            exact = cell.ratio * 100
        else:
            exact = Fraction(cell.cents or 0, MONEY[number.kind])
        where = narrative_where(result, f"{unit} / {line} / {key}", sentence.text)
        figure_kind = Term("figure_kind.percent" if number.kind == "percent" else "figure_kind.amount")
        return narrative_finding(number.value, number, exact, "figure",
                                 {"kind": figure_kind, "line": line, "figure_column": key, "figure_unit": unit},
                                 where, "error")

    def metric_number(self, result: NarrativeResult, sentence: Sentence, number: StatedNumber, metric: str, offset: int) -> list[Problem] | None:
        where = narrative_where(result, metric, sentence.text)
        share = self.metric_units.get(metric, False)
        if number.kind == "percent" and not share and CHANGE_CUES.search(sentence.text):
            changes = self.changes.get(metric, [])
            if not changes:
                return None
            if any(compare(abs(number.value), abs(c) * 100, number.approx) in ("same", "rounding") for c, _ in changes):
                return []
            change, goal = changes[0]
            return narrative_finding(abs(number.value) * (1 if change >= 0 else -1), number, change * 100, "change",
                                     {"metric": metric, "goal": goal}, where, "warning")
        if (number.kind == "percent") != share or number.kind in MONEY:
            return None
        year = self.report.period.year + offset
        values = [v for v in self.metric_values.get(metric, []) if v.year == year]
        if number.approx in ("over", "under", "about"):
            values = [v for v in values if v.role in ("actual", "measured")] or values
        if not values:
            return None
        if any(agree(number, v.value) for v in values):
            return []  # no value of the report agrees: list them with where each is
        return [Problem("check.narrative_number.metric_differs", {
            "metric": metric, "values": tuple(v.value for v in values), "places": tuple(v.code for v in values)},
            "warning", found=number.raw, **where)]


def agree(number: StatedNumber, value: Decimal) -> bool:
    if number.approx == "exact":
        return agree_values(number.value, value)
    return compare(number.value, Fraction(value), number.approx) in ("same", "rounding")


def narrative_finding(stated: Decimal, number: StatedNumber, exact: Fraction, what: Literal["figure", "change"],
                      params: dict[str, Param], where: Where, severity: Severity) -> list[Problem]:
    """A number typed into a narrative against the exact figure it mentions: check.narrative_number.figure_differs
    (or change_differs), a warning …_cut when the text cuts the value instead of rounding it; `expected` is the
    exact value rounded to the text's decimals, `exact` the exact value."""
    agreement = compare(stated, exact, number.approx)
    if agreement in ("same", "rounding"):
        return []
    full = {**params, "expected": round_to(exact, decimals(stated)), "exact": exact}
    cut = agreement == "truncated"
    if what == "figure":
        return [Problem("check.narrative_number.figure_cut", full, "warning", found=number.raw, **where) if cut
                else Problem("check.narrative_number.figure_differs", full, severity, found=number.raw, **where)]
    return [Problem("check.narrative_number.change_cut", full, "warning", found=number.raw, **where) if cut
            else Problem("check.narrative_number.change_differs", full, severity, found=number.raw, **where)]


def rule_narrative_numbers(report: Report) -> list[Problem]:
    reader = NarrativeReader(report)
    out: list[Problem] = []
    for result in report.narratives:
        out += reader.check(result)
    return out


def rule_narrative_references(report: Report) -> list[Problem]:
    """A narrative's placeholder problems (core.narrative, codes narrative.*) as findings of the rule
    narrative_reference: check.narrative_reference.<the same situation>, located at the narrative."""
    out: list[Problem] = []
    for result in report.narratives:
        for problem in result.problems:
            situation = problem.code.split(".", 1)[-1]
            out.append(replace(problem, code=f"check.narrative_reference.{situation}", severity="error",
                               **narrative_where(result)))
    return out


def rule_narrative_claims(report: Report) -> list[Problem]:
    """Words that say a measure rose, fell or stayed level, against the measure's change in the goals."""
    out: list[Problem] = []
    phrases = {phrase: m.key for m in report.metrics for phrase in m.mentions}
    changes = metric_changes(report)
    for result in report.narratives:
        for sentence in sentences(result.narrative.markdown):
            text = sentence.text.lower()
            found = mentions(text, phrases)
            for i, (position, metric) in enumerate(found):
                if metric not in changes:
                    continue
                end = found[i + 1][0] if i + 1 < len(found) else len(text)
                claim = direction(sentence.text[position:end])
                change, goal = changes[metric][0]
                if claim and not claim_holds(claim[0], change):
                    out.append(Problem("check.narrative_claim.contradicted", {
                        "metric": metric, "claim": Term(f"claim.{claim[0]}"), "goal": goal, "change": Percent(change)},
                        "warning", found=claim[1], **narrative_where(result, metric, sentence.text)))
    return out


CLAIMS = ("up", "down", "same", "not_up", "not_down")  # term.claim.*: rose, fell, stayed level, did not rise/fall


def direction(text: str) -> tuple[str, str] | None:
    """The first claim about direction in a stretch of text, with a negation ("ei ole kasvanut") turned round:
    (the claim, its words as written)."""
    lower = text.lower()
    candidates = [(m.start(), m.end(), kind) for kind, pattern in (("up", UP), ("down", DOWN), ("same", SAME))
                  for m in pattern.finditer(lower)]
    if not candidates:
        return None
    start, end, kind = min(candidates)
    negated = re.search(r"\b(ei|eikä|eivät)\b(\s+\w+){0,2}\s*$", lower[:start])
    if negated and kind in ("up", "down"):
        return "not_" + kind, text[negated.start():end]
    return kind, text[start:end]


def claim_holds(claim: str, change: Fraction) -> bool:
    return {
        "up": change > 0,
        "down": change < 0,
        "same": abs(change) <= SAME_LEVEL,
        "not_up": change <= 0,
        "not_down": change >= 0,
    }[claim]


# --- missing data ---------------------------------------------------------------------------------------------


def rule_missing(report: Report) -> list[Problem]:
    out: list[Problem] = []
    period: dict[str, Param] = {"year": report.period.year, "month": report.period.month}
    written = {n.narrative.unit_code for n in report.narratives}
    expected = report.tables if report.narratives_expected else ()  # template.narratives = false: none are written
    for unit in dict.fromkeys(t.unit_code for t in expected):
        if unit not in written:
            name = next(t.unit_name for t in report.tables if t.unit_code == unit)
            out.append(Problem("check.missing.narrative", period, "warning", unit=unit, table=NARRATIVE_TABLE, row=name))
    for result in report.goals:
        actual = result.actual
        value = actual.value(result.goal.main_measure.key) if actual else None
        if value is None and (actual is None or actual.change_pct is None):
            if actual is None:
                out.append(Problem("check.missing.goal_actual", period, "warning", **goal_where(result, "actual")))
            else:
                out.append(Problem("check.missing.goal_value", {"measure": result.goal.main_measure.key}, "warning",
                                   **goal_where(result, "actual")))
    for row in report.key_results:
        if row.confidence is None or row.confidence.period != row.period:
            where = Where(unit=row.unit_goal.unit_code, table=KEY_RESULTS_TABLE, row=row.key_result.text,
                          column=CONFIDENCE_COLUMN)
            if row.measured:  # the table shows the measured value in its place
                out.append(Problem("check.missing.confidence_measured_shown", {**period, "measured": row.measured.value},
                                   "warning", **where))
            else:
                out.append(Problem("check.missing.confidence", period, "warning", **where))
    if report.balancing is not None:
        for measure in report.balancing.rows:
            if measure.entry_period is None:
                out.append(Problem("check.missing.balancing_euros", period, "warning", unit=measure.owner_unit,
                                   table=BALANCING_TABLE, row=measure.name))
    return out


RULES: tuple[tuple[str, Callable[[Report], list[Problem]]], ...] = (
    ("derived_line", rule_derived_lines),
    ("parent_children", rule_parent_children),
    ("ratio", rule_columns),
    ("same_measure", rule_same_figure),
    ("balancing", rule_balancing),
    ("goal_status", rule_goal_status),
    ("goal_wording", rule_goal_wording),
    ("key_result", rule_key_results),
    ("same_measure", rule_same_measure),
    ("narrative_reference", rule_narrative_references),
    ("narrative_number", rule_narrative_numbers),
    ("narrative_claim", rule_narrative_claims),
    ("missing", rule_missing),
)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def run_checks(report: Report) -> tuple[Problem, ...]:
    """Every rule over the report; a rule that fails becomes a finding (`check.<rule>.failed`, with the error's
    type and text), never an exception."""
    findings: list[Problem] = []
    for name, rule in RULES:
        try:
            findings += rule(report)
        except Exception as exc:  # a broken rule must not stop the report
            findings.append(Problem(f"check.{name}.failed", {"error": type(exc).__name__, "detail": str(exc)}))
    return tuple(findings)

