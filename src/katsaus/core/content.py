"""Goals, key results, the balancing programme and narratives joined to a computed report.

`Content` is the plain data the store (or the content files) hold; `attach_content` evaluates it for the report's
period and unit subtree and returns the report with the results in its new fields. Nothing here reads files or
the database, and nothing is formatted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .balancing import BalancingMeasure, BalancingPresentation, build_balancing
from .goals import (
    KeyResult,
    KeyResultRow,
    Metric,
    OperationalGoal,
    StrategicGoal,
    UnitGoal,
    evaluate_goal,
    evaluate_key_result,
)
from .model import Report, Structure
from .narrative import Narrative, resolve
from .org import OrgTree
from .periods import Period
from .scheme import Scheme
from .template import Template


@dataclass(frozen=True)
class Content:
    metrics: tuple[Metric, ...] = ()
    strategic_goals: tuple[StrategicGoal, ...] = ()
    unit_goals: tuple[UnitGoal, ...] = ()
    key_results: tuple[KeyResult, ...] = ()
    goals: tuple[OperationalGoal, ...] = ()
    measures: tuple[BalancingMeasure, ...] = ()
    narratives: tuple[Narrative, ...] = ()
    short_names: tuple[tuple[str, str], ...] = ()
    balancing: BalancingPresentation = BalancingPresentation()


def describe_structure(org: OrgTree, scheme: Scheme, template: Template) -> Structure:
    formulas = []
    for column in template.columns:
        if column.kind == "ratio":
            formulas.append((column.key, "ratio", column.numerator or "", column.denominator or ""))
        elif column.kind == "difference":
            formulas.append((column.key, "difference", column.minuend or "", column.subtrahend or ""))
    return Structure(
        line_terms=tuple(
            (line.code, tuple((t.line, t.sign) for t in line.sum_of)) for line in scheme.lines if line.is_derived
        ),
        unit_parents=tuple((u.code, u.parent) for u in org.units),
        column_formulas=tuple(formulas),
        column_offsets=tuple((c.key, c.year_offset) for c in template.columns),
    )


def attach_content(
    report: Report, content: Content, org: OrgTree, scheme: Scheme | None = None, template: Template | None = None
) -> Report:
    """The report with the content of its unit and the units below it evaluated for its period."""
    period = report.period
    units = org.descendants(report.unit_code) if org.has_unit(report.unit_code) else (report.unit_code,)
    order = {code: i for i, code in enumerate(units)}
    names = {u.code: u.name_fi for u in org.units}
    goals = sorted(
        (g for g in content.goals if g.unit_code in order and g.year == period.year),
        key=lambda g: (order[g.unit_code], g.position),
    )
    narratives = sorted(
        (n for n in content.narratives if n.unit_code in order and n.period == period),
        key=lambda n: (n.position, order[n.unit_code]),
    )
    structure = describe_structure(org, scheme, template) if scheme and template else report.structure
    return replace(
        report,
        goals=tuple(evaluate_goal(g, period, names.get(g.unit_code, g.unit_code)) for g in goals),
        key_results=key_result_rows(content, period, order, names),
        balancing=build_balancing((m for m in content.measures if m.owner_unit in order), period, names, content.balancing),
        narratives=tuple(resolve(n, report, names.get(n.unit_code, n.unit_code)) for n in narratives),
        metrics=content.metrics,
        short_names=content.short_names,
        structure=structure,
    )


def key_result_rows(content: Content, period: Period, order: dict[str, int],
                    names: dict[str, str]) -> tuple[KeyResultRow, ...]:
    """Key results grouped by strategic goal (in the strategy's order), then in the order they were given."""
    strategic = {s.code: s for s in content.strategic_goals}
    unit_goals = {g.code: g for g in content.unit_goals}
    rows = []
    for key_result in content.key_results:
        unit_goal = unit_goals[key_result.unit_goal]
        if unit_goal.unit_code not in order:
            continue
        goal = strategic[unit_goal.strategic_goal]
        rows.append(evaluate_key_result(key_result, unit_goal, goal, period, names.get(unit_goal.unit_code, unit_goal.unit_code)))
    rows.sort(key=lambda r: (r.strategic_goal.position, r.key_result.position))
    return tuple(rows)
