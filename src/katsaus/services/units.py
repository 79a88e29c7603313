"""A unit's page in a round: everything it shows, from the one assembled report (services.reports) and the
stored texts and entries, with what the viewing actor may do.

The figures and findings are those of the report the round publishes (`reports.unit_source`): the page cannot
show what the published report would not say. The web renders this with the report's own renderers.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..core.errors import NotFound, Problem
from ..core.periods import Period
from .actors import Actor
from .content import (
    EntryVersion,
    NarrativeVersion,
    current_balancing_value,
    current_goal_actual,
    current_key_result_value,
    current_narrative,
    explanation_of,
    unit_explanations,
    unit_narratives,
)
from .permissions import can_approve, can_edit_unit, can_view_unit
from .reports import Assembled, unit_findings, unit_source
from .rounds import can_edit, round_unit

if TYPE_CHECKING:
    from ..core.deviations import Deviation
    from ..core.document import Section
    from ..core.narrative import NarrativeResult
    from .audit import AuditEntry

KEY_RESULT_FIELDS = ("measured", "confidence")  # what a unit enters (the target is the controller's)
FIGURE_PARTS = ("table", "goals", "key_results", "balancing", "forecast_basis")


@dataclass(frozen=True)
class NarrativeEntry:
    section: str
    current: NarrativeVersion
    preview: NarrativeResult | None          # the text as the report prints it, or its problems
    history: tuple[dict[str, Any], ...]      # saved versions, newest first: entered_by, entered_at, source


@dataclass(frozen=True)
class DeviationEntry:
    deviation: Deviation                     # budget, forecast and their cells, as the report has them
    current: EntryVersion                    # the explanation (value {"text": …})
    history: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class EntryField:
    name: str
    label: str
    value: str                               # as the form shows it
    current: EntryVersion
    history: tuple[AuditEntry, ...] = ()


@dataclass(frozen=True)
class EntryRow:
    kind: str                                # goal, kr, measure
    code: str
    label: str
    fields: tuple[EntryField, ...]
    history: tuple[AuditEntry, ...] = field(default=())


@dataclass(frozen=True)
class UnitPage:
    round_id: int
    period: Period
    template_code: str
    unit_code: str
    unit_name: str
    status: str
    comment: str
    changed_by: str
    source: Assembled                        # the report the figures are read from
    sections: tuple[Section, ...]            # the unit's sections of that report's document
    findings: tuple[Problem, ...]            # the report's findings about the unit (missing explanations too)
    narratives: tuple[NarrativeEntry, ...]
    deviations: tuple[DeviationEntry, ...]
    goals: tuple[EntryRow, ...]
    key_results: tuple[EntryRow, ...]
    measures: tuple[EntryRow, ...]
    status_history: tuple[AuditEntry, ...]
    may_edit: bool                           # role and status
    may_submit: bool
    may_review: bool


def unit_page(the_round: Any, unit_code: str, actor: Actor, language: str = "fi") -> UnitPage:
    """Everything a unit's page shows. NotFound also when the actor may not see the unit (its existence is not
    told)."""
    from .audit import item_history

    if not can_view_unit(actor, unit_code):
        raise NotFound(Problem("unit.not_in_round", {"unit": unit_code}, unit=unit_code))
    unit = round_unit(the_round, unit_code)
    period = Period.parse(the_round.period)
    source = unit_source(period, the_round.template_code, unit_code, language)
    editable = can_edit(actor, unit)
    deviations = deviation_entries(source, the_round.template_code, unit_code, period)
    return UnitPage(
        the_round.pk, period, the_round.template_code, unit_code,
        source.config.org.unit(unit_code).name(language), unit.status, unit.comment, unit.changed_by,
        source, tuple(s for s in source.document.sections if s.unit_code == unit_code),
        unit_findings(source, unit_code),
        narrative_entries(source, unit_code, period), deviations,
        goal_rows(unit_code, period), key_result_rows(unit_code, period), measure_rows(unit_code, period),
        tuple(reversed(item_history(unit))), editable,
        editable and unit.status in ("draft", "returned") and can_edit_unit(actor, unit_code),
        unit.status == "submitted" and can_approve(actor, unit_code),
    )


def figure_sections(page: UnitPage) -> tuple[Section, ...]:
    """The unit's sections that hold figures (tables, goals, key results, balancing, forecast basis)."""
    return tuple(s for s in page.sections if any(p.kind in FIGURE_PARTS for p in s.parts))


# --- texts ----------------------------------------------------------------------------------------------------


def narrative_sections(source: Assembled, unit_code: str, stored: list[str]) -> list[str]:
    """The narrative sections the template has for this unit, in the document's order, then the unit's other
    stored sections (a text loaded for a section the template does not print is still the unit's to see)."""
    from ..core.document import child_units

    report = source.report
    keys: list[str] = []
    for spec in source.template.document_sections():
        units = (report.unit_code,) if spec.units == "self" else child_units(report)
        if unit_code in units:
            keys += [p.section for p in spec.parts if p.kind == "narrative" and p.section and p.section not in keys]
    return keys + [section for section in stored if section not in keys]


def narrative_entries(source: Assembled, unit_code: str, period: Period) -> tuple[NarrativeEntry, ...]:
    stored = {n.section: n for n in unit_narratives(unit_code, period)}
    entries = []
    for section in narrative_sections(source, unit_code, list(stored)):
        current = stored.get(section) or current_narrative(unit_code, period, section)
        result = preview(source, unit_code, section, current.markdown) if current.markdown else None
        entries.append(NarrativeEntry(section, current, result, narrative_history(unit_code, period, section)))
    return tuple(entries)


def preview(source: Assembled, unit_code: str, section: str, markdown: str) -> NarrativeResult:
    """The narrative as the report would print it: placeholders resolved against the report, or their problems."""
    from ..core.narrative import Narrative, resolve

    return resolve(Narrative(unit_code, source.period, section, markdown), source.report)


def preview_narrative(the_round: Any, unit_code: str, section: str, markdown: str, actor: Actor,
                      language: str = "fi") -> tuple[Assembled, NarrativeResult]:
    """A text being written, resolved against the unit's report (only for an actor who may edit the unit)."""
    from .permissions import require

    if not can_view_unit(actor, unit_code):
        raise NotFound(Problem("unit.not_in_round", {"unit": unit_code}, unit=unit_code))
    require(can_edit_unit(actor, unit_code), actor, "edit_unit", unit_code)
    round_unit(the_round, unit_code)
    source = unit_source(the_round.period, the_round.template_code, unit_code, language)
    return source, preview(source, unit_code, section, markdown)


def narrative_history(unit_code: str, period: Period, section: str, limit: int = 10) -> tuple[dict[str, Any], ...]:
    """The narrative's saved versions, newest first (each save keeps the earlier text as a row)."""
    from ..store.models import Narrative as NarrativeRow

    rows = NarrativeRow.objects.filter(unit_code=unit_code, period=period.key, section=section).order_by("-id")
    return tuple(dict(row) for row in rows.values("id", "entered_by", "entered_at", "source")[:limit])


# --- deviations -----------------------------------------------------------------------------------------------


def needing_explanation(source: Assembled, unit_code: str) -> list[Deviation]:
    """The unit's statement lines whose forecast differs from the budget by more than the template's threshold."""
    from ..core.deviations import Threshold, lines_needing_explanation

    template = source.template
    threshold = Threshold(template.deviation_threshold_percent, template.deviation_threshold_cents)
    return lines_needing_explanation(source.report, unit_code, threshold)


def deviation_entries(source: Assembled, template_code: str, unit_code: str,
                      period: Period) -> tuple[DeviationEntry, ...]:
    stored = unit_explanations(template_code, unit_code, period)
    entries = []
    for deviation in needing_explanation(source, unit_code):
        current = stored.get(deviation.line_code) or explanation_of(None, template_code, unit_code, period.key,
                                                                     deviation.line_code)
        entries.append(DeviationEntry(deviation, current, explanation_history(template_code, unit_code, period,
                                                                              deviation.line_code)))
    return tuple(entries)


def explanation_history(template_code: str, unit_code: str, period: Period, line_code: str,
                        limit: int = 10) -> tuple[dict[str, Any], ...]:
    """A deviation explanation's saved versions, newest first (each save keeps the earlier text as a row)."""
    from ..store.models import DeviationExplanation

    rows = DeviationExplanation.objects.filter(template_code=template_code, unit_code=unit_code, period=period.key,
                                               line_code=line_code).order_by("-id")
    return tuple(dict(row) for row in rows.values("id", "entered_by", "entered_at", "text")[:limit])


def explanation_line_needed(the_round: Any, unit_code: str, line_code: str, language: str = "fi") -> bool:
    """Does the unit's line need an explanation in this round's report (else nothing can be explained there)?"""
    source = unit_source(the_round.period, the_round.template_code, unit_code, language)
    return line_code in {d.line_code for d in needing_explanation(source, unit_code)}


# --- entries: goal actuals, key-result values, balancing measures ---------------------------------------------


def changes(model: Any, fields: tuple[str, ...], shown: Any = str, **key: Any) -> tuple[AuditEntry, ...]:
    """An entry's history from the audit: who, when, what, before → after, newest first; `shown` turns a
    stored value into what the form shows (cents as euros, a goal's measures as "key: value")."""
    from .audit import value_history

    def text(value: str) -> str:
        return str(shown(value)) if value != "" else "–"

    return tuple(replace(e, field=e.field.removesuffix("_cents"), before=text(e.before), after=text(e.after))
                 for e in value_history(model, fields, **key))


def measures_text(stored: str) -> str:
    """A goal actual's measures as stored (the text of a dict) as "key: value, key: value"."""
    values = ast.literal_eval(stored)
    return ", ".join(f"{k}: {v}" for k, v in values.items()) if isinstance(values, dict) else stored


def euros_text(cents: int | None) -> str:
    """Cents as euros for an input field, exactly (1234567 -> "12345,67")."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole},{part:02d}"


def cents_text(stored: str) -> str:
    return euros_text(int(stored))


def goal_rows(unit_code: str, period: Period) -> tuple[EntryRow, ...]:
    """The unit's operational goals of the period's year, each with its current actual per measure."""
    from ..store.models import GoalActual, OperationalGoal

    goals = OperationalGoal.objects.filter(unit_code=unit_code, year=period.year, retired_at__isnull=True)
    rows = []
    for goal in goals.order_by("position", "code"):
        current = current_goal_actual(goal.code, period)
        values = current.value.get("values", {}) if current.value else {}
        rows.append(EntryRow("goal", goal.code, goal.indicator, tuple(
            EntryField(m["key"], m.get("label") or m["key"], str(values.get(m["key"], "")), current)
            for m in goal.measures), changes(GoalActual, ("values",), measures_text, goal_id=goal.id,
                                              period=period.key)))
    return tuple(rows)


def key_result_rows(unit_code: str, period: Period) -> tuple[EntryRow, ...]:
    """The unit's key results (of its unit goals), each with its measured value and confidence."""
    from ..store.models import KeyResult, KeyResultValue

    rows = []
    results = KeyResult.objects.filter(unit_goal__unit_code=unit_code, retired_at__isnull=True)
    for kr in results.order_by("position", "code"):
        fields = []
        for name in KEY_RESULT_FIELDS:
            current = current_key_result_value(kr.code, period, name)
            fields.append(EntryField(name, name, str(current.value.get("value", "")) if current.value else "",
                                     current, changes(KeyResultValue, ("value",), key_result_id=kr.id,
                                                      period=period.key, field=name)))
        rows.append(EntryRow("kr", kr.code, kr.text, tuple(fields)))
    return tuple(rows)


def measure_rows(unit_code: str, period: Period) -> tuple[EntryRow, ...]:
    """The balancing measures the unit owns in the period's year, with their actual and forecast."""
    from ..store.models import BalancingMeasure, BalancingValue

    measures = BalancingMeasure.objects.filter(owner_unit=unit_code, year=period.year, retired_at__isnull=True)
    rows = []
    for measure in measures.order_by("position", "code"):
        current = current_balancing_value(measure.code, period)
        value = current.value or {}
        rows.append(EntryRow("measure", measure.code, measure.name, (
            EntryField("actual", "actual", euros_text(value.get("actual_cents")), current),
            EntryField("forecast", "forecast", euros_text(value.get("forecast_cents")), current)),
            changes(BalancingValue, ("actual_cents", "forecast_cents"), cents_text, measure_id=measure.id,
                    period=period.key)))
    return tuple(rows)


def entry_unit(kind: str, code: str) -> str | None:
    """The unit an entry belongs to (None if there is no such entry): the page's unit must be it."""
    from ..store.models import BalancingMeasure, KeyResult, OperationalGoal

    if kind == "goal":
        return OperationalGoal.objects.filter(code=code).values_list("unit_code", flat=True).first()
    if kind == "kr":
        return KeyResult.objects.filter(code=code).values_list("unit_goal__unit_code", flat=True).first()
    if kind == "measure":
        return BalancingMeasure.objects.filter(code=code).values_list("owner_unit", flat=True).first()
    return None
