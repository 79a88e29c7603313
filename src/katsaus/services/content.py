"""Editing a unit's texts and entries for a period: narratives, goal actuals, key-result values and
confidence (kept apart), balancing measures' actual and forecast, deviation explanations of statement lines.

No lost update: every save takes the version the editor began from (`base_version`: the id of the current
row, None when there was none). A save over a newer version is refused with StaleEdit, which carries the
other person's text. Values are kept as rows (the earlier ones are the history); a save adds a row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from ..core.errors import Problem, ProblemsError
from .audit import acting, actor_name
from .errors import CurrentVersion, NotFound, StaleEdit
from .locks import lock
from .reports import parse_period, period_key


@dataclass(frozen=True)
class NarrativeVersion:
    unit_code: str
    period: str
    section: str
    title: str
    markdown: str
    version: int | None  # pass back as base_version when saving
    entered_by: str
    entered_at: str


def narrative_of(row, unit_code: str = "", period: str = "", section: str = "") -> NarrativeVersion:
    if row is None:
        return NarrativeVersion(unit_code, period, section, "", "", None, "", "")
    return NarrativeVersion(row.unit_code, row.period, row.section, row.title, row.markdown, row.id, row.entered_by,
                            row.entered_at.isoformat(timespec="seconds"))


def current_narrative(unit_code: str, period: str, section: str) -> NarrativeVersion:
    """The current version of one narrative (version None, empty text if there is none yet)."""
    from ..store.models import Narrative

    key = period_key(parse_period(period))
    row = Narrative.objects.filter(unit_code=unit_code, period=key, section=section).order_by("-id").first()
    return narrative_of(row, unit_code, key, section)


def unit_narratives(unit_code: str, period: str) -> list[NarrativeVersion]:
    """The current version of each of the unit's narratives of the period, in their order."""
    from ..store.models import Narrative

    key = period_key(parse_period(period))
    latest: dict[str, Any] = {}
    for row in Narrative.objects.filter(unit_code=unit_code, period=key).order_by("id"):
        latest[row.section] = row
    return [narrative_of(r) for r in sorted(latest.values(), key=lambda r: (r.position, r.section))]


def begin_edit(period: str, unit_code: str, actor: Any, what: str):
    """Check the right to edit and the round's status; returns the rounds whose unit becomes a draft."""
    from .rounds import check_editable

    return check_editable(period, unit_code, actor)


def refuse_stale(latest, base_version: int | None, what: str, text_of) -> None:
    current = latest.id if latest is not None else None
    if current != base_version:
        raise StaleEdit(what, base_version, CurrentVersion(
            current, text_of(latest) if latest is not None else "", latest.entered_by if latest is not None else "",
            latest.entered_at.isoformat(timespec="seconds") if latest is not None else ""))


def after_edit(rounds: list, unit_code: str, actor: Any, correction: bool, period: str) -> None:
    """A first save makes the unit a draft in its rounds; a change to a published report is refused."""
    from .publish import refuse_changes_to_published
    from .rounds import mark_draft

    for the_round in rounds:
        mark_draft(the_round, unit_code, actor)
    if not correction:
        refuse_changes_to_published(from_period=period)


def save_narrative(unit_code: str, period: str, section: str, markdown: str, base_version: int | None, actor: Any,
                   title: str | None = None, correction: bool = False) -> NarrativeVersion:
    """Save a new version of a unit's narrative. Raises NotAllowed, InvalidTransition (unit submitted or
    approved), StaleEdit (someone saved since base_version), PublishedPeriodLocked, ProblemsError."""
    from ..store.models import Narrative

    key = period_key(parse_period(period))
    what = f"the narrative {section!r} of {unit_code} for {key}"
    if not section.strip():
        raise ProblemsError([Problem("section", "a narrative needs a section", expected="a section name")])
    with acting(actor), transaction.atomic():
        lock(f"narrative:{unit_code}:{key}:{section}")
        rounds = begin_edit(key, unit_code, actor, what)
        latest = Narrative.objects.filter(unit_code=unit_code, period=key, section=section).order_by("-id").first()
        refuse_stale(latest, base_version, what, lambda row: row.markdown)
        row = Narrative.objects.create(
            unit_code=unit_code, period=key, section=section, markdown=markdown,
            title=latest.title if title is None and latest is not None else (title or ""),
            position=latest.position if latest is not None else next_position(unit_code, key),
            source="web" if not isinstance(actor, str) else "cli", entered_by=actor_name(actor))
        after_edit(rounds, unit_code, actor, correction, key)
    return narrative_of(row)


def next_position(unit_code: str, period: str) -> int:
    from django.db.models import Max

    from ..store.models import Narrative

    return (Narrative.objects.filter(unit_code=unit_code, period=period).aggregate(m=Max("position"))["m"] or 0) + 1


def decimal_text(value: Any, field: str) -> str:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ProblemsError([Problem(field, "not a number", expected="a decimal number such as 58,2", found=str(value))]) from None
    if not number.is_finite():
        raise ProblemsError([Problem(field, "not a number", expected="a decimal number such as 58,2", found=str(value))])
    return str(number)


@dataclass(frozen=True)
class EntryVersion:
    """The current value of an entry, and its version (pass back as base_version when saving)."""

    what: str
    value: dict
    version: int | None
    entered_by: str
    entered_at: str


def entry_of(what: str, row, value) -> EntryVersion:
    if row is None:
        return EntryVersion(what, {}, None, "", "")
    return EntryVersion(what, value(row), row.id, row.entered_by, row.entered_at.isoformat(timespec="seconds"))


def goal_actual_value(row) -> dict:
    return {"values": dict(row.values), "change_pct": row.change_pct, "source": row.source, "wording": row.wording}


def key_result_value(row) -> dict:
    return {"value": row.value, "source": row.source}


def balancing_value(row) -> dict:
    return {"actual_cents": row.actual_cents, "forecast_cents": row.forecast_cents, "source": row.source}


def as_text(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def get_goal(code: str):
    from ..store.models import OperationalGoal

    try:
        return OperationalGoal.objects.get(code=code, retired_at__isnull=True)
    except OperationalGoal.DoesNotExist:
        raise NotFound(f"no goal {code!r}") from None


def get_key_result(code: str):
    from ..store.models import KeyResult

    try:
        return KeyResult.objects.select_related("unit_goal").get(code=code, retired_at__isnull=True)
    except KeyResult.DoesNotExist:
        raise NotFound(f"no key result {code!r}") from None


def get_measure(code: str):
    from ..store.models import BalancingMeasure

    try:
        return BalancingMeasure.objects.get(code=code, retired_at__isnull=True)
    except BalancingMeasure.DoesNotExist:
        raise NotFound(f"no balancing measure {code!r}") from None


def current_goal_actual(goal_code: str, period: str) -> EntryVersion:
    goal = get_goal(goal_code)
    key = period_key(parse_period(period))
    return entry_of(f"goal {goal_code} {key}", goal.actuals.filter(period=key).order_by("-id").first(), goal_actual_value)


def save_goal_actual(goal_code: str, period: str, values: dict[str, Any], base_version: int | None, actor: Any,
                     change_pct: Any = None, source: str = "", wording: str = "", correction: bool = False) -> EntryVersion:
    """A goal's measured values for a period (measure key → number). Raises as save_narrative."""
    goal = get_goal(goal_code)
    key = period_key(parse_period(period))
    what = f"the actual of goal {goal_code} for {key}"
    known = {m["key"] for m in goal.measures}
    problems = [Problem("values", "not a measure of the goal", expected=", ".join(sorted(known)), found=k)
                for k in values if k not in known]
    if problems:
        raise ProblemsError(problems)
    fields = dict(values={k: decimal_text(v, k) for k, v in values.items() if str(v).strip() != ""},
                  change_pct=decimal_text(change_pct, "change_pct") if change_pct not in (None, "") else "",
                  source=source, wording=wording)
    with acting(actor), transaction.atomic():
        lock(f"goal:{goal_code}:{key}")
        rounds = begin_edit(key, goal.unit_code, actor, what)
        latest = goal.actuals.filter(period=key).order_by("-id").first()
        refuse_stale(latest, base_version, what, lambda row: as_text(goal_actual_value(row)))
        row = goal.actuals.create(period=key, entered_by=actor_name(actor), **fields)
        after_edit(rounds, goal.unit_code, actor, correction, key)
    return entry_of(what, row, goal_actual_value)


def current_key_result_value(code: str, period: str, field: str) -> EntryVersion:
    kr = get_key_result(code)
    key = period_key(parse_period(period))
    row = kr.values.filter(period=key, field=field).order_by("-id").first()
    return entry_of(f"key result {code} {field} {key}", row, key_result_value)


def save_key_result_value(code: str, period: str, field: str, value: Any, base_version: int | None, actor: Any,
                          source: str = "", correction: bool = False) -> EntryVersion:
    """One of a key result's separate fields: measured, target or confidence (0–100). Raises as save_narrative."""
    kr = get_key_result(code)
    key = period_key(parse_period(period))
    if field not in ("measured", "target", "confidence"):
        raise ProblemsError([Problem("field", "unknown key-result field", expected="measured, target, confidence", found=field)])
    number = decimal_text(value, field)
    if field == "confidence" and not Decimal(0) <= Decimal(number) <= Decimal(100):
        raise ProblemsError([Problem(field, "confidence is a percentage", expected="0–100", found=str(value))])
    unit_code = kr.unit_goal.unit_code  # (kr.unit is the unit of measure, "%")
    what = f"the {field} of key result {code} for {key}"
    with acting(actor), transaction.atomic():
        lock(f"kr:{code}:{field}:{key}")
        rounds = begin_edit(key, unit_code, actor, what)
        latest = kr.values.filter(period=key, field=field).order_by("-id").first()
        refuse_stale(latest, base_version, what, lambda row: row.value)
        row = kr.values.create(period=key, field=field, value=number, source=source, entered_by=actor_name(actor))
        after_edit(rounds, unit_code, actor, correction, key)
    return entry_of(what, row, key_result_value)


def current_balancing_value(code: str, period: str) -> EntryVersion:
    measure = get_measure(code)
    key = period_key(parse_period(period))
    return entry_of(f"measure {code} {key}", measure.values.filter(period=key).order_by("-id").first(), balancing_value)


def save_balancing_value(code: str, period: str, actual_cents: int | None, forecast_cents: int | None,
                         base_version: int | None, actor: Any, source: str = "", correction: bool = False) -> EntryVersion:
    """A balancing measure's actual and forecast (integer cents) for a period. Raises as save_narrative."""
    measure = get_measure(code)
    key = period_key(parse_period(period))
    for name, cents in (("actual_cents", actual_cents), ("forecast_cents", forecast_cents)):
        if cents is not None and (isinstance(cents, bool) or not isinstance(cents, int)):
            raise ProblemsError([Problem(name, "not whole cents", expected="an integer number of cents", found=repr(cents))])
    what = f"the values of balancing measure {code} for {key}"
    with acting(actor), transaction.atomic():
        lock(f"measure:{code}:{key}")
        rounds = begin_edit(key, measure.owner_unit, actor, what)
        latest = measure.values.filter(period=key).order_by("-id").first()
        refuse_stale(latest, base_version, what, lambda row: as_text(balancing_value(row)))
        row = measure.values.create(period=key, actual_cents=actual_cents, forecast_cents=forecast_cents, source=source,
                                    entered_by=actor_name(actor))
        after_edit(rounds, measure.owner_unit, actor, correction, key)
    return entry_of(what, row, balancing_value)



# --- deviation explanations (a line whose forecast differs from its budget by more than the template allows) -----


def explanation_of(row, template_code: str, unit_code: str, period: str, line_code: str) -> EntryVersion:
    what = f"the deviation explanation of line {line_code} of {unit_code} for {period} ({template_code})"
    return entry_of(what, row, lambda r: {"text": r.text})


def unit_explanations(template_code: str, unit_code: str, period: str) -> dict[str, EntryVersion]:
    """The current explanation of each line of the unit that has one (line code → version)."""
    from ..store.models import DeviationExplanation

    key = period_key(parse_period(period))
    latest: dict[str, Any] = {}
    for row in DeviationExplanation.objects.filter(template_code=template_code, unit_code=unit_code,
                                                   period=key).order_by("id"):
        latest[row.line_code] = row
    return {line: explanation_of(row, template_code, unit_code, key, line) for line, row in latest.items()}


def save_explanation(template_code: str, unit_code: str, period: str, line_code: str, text: str,
                     base_version: int | None, actor: Any, correction: bool = False) -> EntryVersion:
    """Save a new version of a line's deviation explanation. Raises as save_narrative."""
    from ..store.models import DeviationExplanation

    key = period_key(parse_period(period))
    what = f"the deviation explanation of line {line_code} of {unit_code} for {key}"
    if not line_code.strip():
        raise ProblemsError([Problem("line", "an explanation needs a statement line", expected="a line code")])
    rows = DeviationExplanation.objects.filter(template_code=template_code, unit_code=unit_code, period=key,
                                               line_code=line_code)
    with acting(actor), transaction.atomic():
        lock(f"explanation:{template_code}:{unit_code}:{key}:{line_code}")
        rounds = begin_edit(key, unit_code, actor, what)
        latest = rows.order_by("-id").first()
        refuse_stale(latest, base_version, what, lambda row: row.text)
        if not correction:
            refuse_explaining_published(template_code, key)
        row = rows.create(template_code=template_code, unit_code=unit_code, period=key, line_code=line_code,
                          text=text.strip(), source="web" if not isinstance(actor, str) else "cli",
                          entered_by=actor_name(actor))
        after_edit(rounds, unit_code, actor, True, key)  # (the published check is above: see its docstring)
    return explanation_of(row, template_code, unit_code, key, line_code)


def refuse_explaining_published(template_code: str, period: str) -> None:
    """An explanation belongs to the round's report of its template and period; once that is published it is
    frozen. (The explanations are not among the published report's figures and texts, so the general check of
    services.publish, which compares what the report would now say, cannot see the change.)"""
    from .errors import PublishedPeriodLocked
    from .publish import latest_published

    reports = [f"{r.key} (version {r.version})" for r in latest_published()
               if r.template_code == template_code and r.period == period]
    if reports:
        raise PublishedPeriodLocked(reports)

# --- content files and status overrides (CLI: content load, content override) -----------------------------


def load_content_files(paths, retire_missing: bool, actor: Any, correction: bool = False):
    """Validate goal, key-result, balancing and narrative files against the configuration and store them."""
    from ..config.content import load_content
    from ..store.content import missing_definitions, save_content
    from .errors import Outcome
    from .imports import guard_published
    from .permissions import can_import, require
    from .reports import stored_config

    require(can_import(actor), actor, "load content files")
    config = stored_config()
    content = load_content(paths, config)
    with acting(actor), transaction.atomic():
        missing = missing_definitions(content)
        added = save_content(content, user=actor_name(actor), retire=missing if retire_missing else None)
        guard_published(correction)
    lines = [
        f"Loaded {len(content.goals)} operational goals, {len(content.key_results)} key results, "
        f"{len(content.measures)} balancing measures, {len(content.narratives)} narratives; "
        f"{added['values']} new values and {added['narratives']} new narrative versions stored."
    ]
    warnings = []
    listed = "; ".join(f"{kind}: {', '.join(codes)}" for kind, codes in missing.items())
    if missing and retire_missing:
        lines.append(f"Retired (no longer in the files; kept with their history, left out of reports): {listed}")
    elif missing:
        warnings.append(f"in the database but not in these files, still shown in reports: {listed}. "
                        "If they were removed, load the whole content again with --retire-missing.")
    return Outcome(lines, warnings, added)


def override_goal_status(goal: str, period: str, status: str, reason: str, actor: Any, correction: bool = False):
    """Set a goal's status for a period by hand, kept with its (required) reason."""
    from ..core.goals import STATUS_CODES
    from ..store.content import override_status
    from .errors import Outcome, Refused
    from .imports import guard_published

    the_period = parse_period(period)
    if status not in STATUS_CODES:
        raise Refused([Problem("--status", "unknown status", expected=", ".join(STATUS_CODES), found=status)])
    if not reason.strip():
        raise Refused([Problem("--reason", "a status override needs a reason", expected="a reason in words", found=reason)])
    with acting(actor), transaction.atomic():
        if not isinstance(actor, str):
            begin_edit(period_key(the_period), get_goal(goal).unit_code, actor, f"the status of {goal}")
        try:
            new = override_status(goal, the_period, status, reason, user=actor_name(actor))
        except LookupError as exc:
            raise Refused([Problem("goal", str(exc).strip('"'))]) from None
        guard_published(correction)
    return Outcome([f"{goal} {the_period.label()}: status {status}" + ("" if new else " (unchanged)")
                    + f"; reason kept: {reason.strip()}"], [], new)
