"""A unit's page in a round: its figures from the report model (the same computation as the report), its
texts and entries with the versions an editor starts from, its check findings, status and what the viewer may do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .content import (
    EntryVersion, NarrativeVersion, current_balancing_value, current_goal_actual, current_key_result_value,
    unit_narratives,
)
from .errors import NotFound
from .permissions import can_approve, can_view_unit, is_operator
from .rounds import can_edit, round_unit


@dataclass(frozen=True)
class GoalEntry:
    code: str
    indicator: str
    measures: tuple[tuple[str, str, str], ...]  # (key, label, unit)
    current: EntryVersion


@dataclass(frozen=True)
class KeyResultEntry:
    code: str
    text: str
    measure_unit: str
    measured: EntryVersion
    target: EntryVersion
    confidence: EntryVersion


@dataclass(frozen=True)
class MeasureEntry:
    code: str
    name: str
    target_cents: int
    current: EntryVersion


@dataclass(frozen=True)
class UnitPage:
    round_id: int
    period: str
    template_code: str
    unit_code: str
    unit_name: str
    status: str
    comment: str            # the director's comment when returned
    changed_by: str
    may_edit: bool          # role and status
    may_approve: bool       # role (the status decides whether approve/return apply: submitted)
    report: Any             # core.model.Report of the unit, content attached: render its tables as the report does
    findings: tuple         # core.checks.Finding of the unit's report
    narratives: tuple[NarrativeVersion, ...]
    goals: tuple[GoalEntry, ...]
    key_results: tuple[KeyResultEntry, ...]
    measures: tuple[MeasureEntry, ...]


def unit_page(the_round: Any, unit_code: str, actor: Any, with_checks: bool = True) -> UnitPage:
    """Everything a unit's page shows. NotFound also when the actor may not see the unit (its existence is not
    told)."""
    from ..core.checks import run_checks
    from .reports import full_report

    if not (is_operator(actor) or can_view_unit(actor, unit_code)):
        raise NotFound(f"unit {unit_code} does not report in this round")
    unit = round_unit(the_round, unit_code)
    report = full_report(the_round.period, unit_code, the_round.template_code)
    return UnitPage(
        the_round.pk, the_round.period, the_round.template_code, unit_code, report.unit_name, unit.status,
        unit.comment, unit.changed_by, can_edit(actor, unit),
        is_operator(actor) or can_approve(actor, unit_code), report,
        run_checks(report) if with_checks else (), tuple(unit_narratives(unit_code, the_round.period)),
        tuple(unit_goals(unit_code, the_round.period)), tuple(unit_key_results(unit_code, the_round.period)),
        tuple(unit_measures(unit_code, the_round.period)),
    )


def unit_goals(unit_code: str, period: str) -> list[GoalEntry]:
    from ..store.models import OperationalGoal

    year = int(period[:4])
    goals = OperationalGoal.objects.filter(unit_code=unit_code, year=year, retired_at__isnull=True).order_by("position")
    return [GoalEntry(g.code, g.indicator, tuple((m["key"], m.get("label", ""), m.get("unit", "")) for m in g.measures),
                      current_goal_actual(g.code, period)) for g in goals]


def unit_key_results(unit_code: str, period: str) -> list[KeyResultEntry]:
    from ..store.models import KeyResult

    results = KeyResult.objects.filter(unit_goal__unit_code=unit_code, retired_at__isnull=True).order_by("position")
    return [KeyResultEntry(k.code, k.text, k.unit, *(current_key_result_value(k.code, period, field)
                                                    for field in ("measured", "target", "confidence")))
            for k in results]


def unit_measures(unit_code: str, period: str) -> list[MeasureEntry]:
    from ..store.models import BalancingMeasure

    year = int(period[:4])
    measures = BalancingMeasure.objects.filter(owner_unit=unit_code, year=year, retired_at__isnull=True).order_by("position")
    return [MeasureEntry(m.code, m.name, m.target_cents, current_balancing_value(m.code, period)) for m in measures]
