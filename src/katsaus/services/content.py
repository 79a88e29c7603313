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

from ..core.errors import Money, Note, NotFound, Problem, Refused, Term
from ..core.periods import Period
from .actors import Actor, Operator, actor_name, source_of
from .audit import CONTENT, unit_kind, writing
from .errors import CurrentVersion, Outcome, StaleEdit
from .locks import lock

# the sizes a person may give (the forms and the CLI say them; the services refuse anything beyond)
MAX_NARRATIVE = 100_000       # characters of one narrative's Markdown
MAX_EXPLANATION = 5_000       # characters of a deviation explanation
MAX_SECTION = 64              # characters of a section's key
MAX_NUMBER = 30               # characters of a typed number
MAX_CENTS = 10**15            # ±10 000 000 000 000,00 €: any euro amount a person enters
KR_FIELDS = ("measured", "target", "confidence")


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


def narrative_of(row: Any, unit_code: str = "", period: str = "", section: str = "") -> NarrativeVersion:
    if row is None:
        return NarrativeVersion(unit_code, period, section, "", "", None, "", "")
    return NarrativeVersion(row.unit_code, row.period, row.section, row.title, row.markdown, row.id, row.entered_by,
                            row.entered_at.isoformat(timespec="seconds"))


def current_narrative(unit_code: str, period: str | Period, section: str) -> NarrativeVersion:
    """The current version of one narrative (version None, empty text if there is none yet)."""
    from ..store.models import Narrative

    key = Period.parse(period).key
    row = Narrative.objects.filter(unit_code=unit_code, period=key, section=section).order_by("-id").first()
    return narrative_of(row, unit_code, key, section)


def unit_narratives(unit_code: str, period: str | Period) -> list[NarrativeVersion]:
    """The current version of each of the unit's narratives of the period, in their order."""
    from ..store.models import Narrative

    key = Period.parse(period).key
    latest: dict[str, Any] = {}
    for row in Narrative.objects.filter(unit_code=unit_code, period=key).order_by("id"):
        latest[row.section] = row
    return [narrative_of(r) for r in sorted(latest.values(), key=lambda r: (r.position, r.section))]


def begin_edit(period: str, unit_code: str, actor: Actor) -> list[Any]:
    """Check the right to edit and the round's status; returns the rounds whose unit becomes a draft."""
    from .rounds import check_editable

    return check_editable(period, unit_code, actor)


def refuse_stale(latest: Any, base_version: int | None, what: str, text_of: Any) -> None:
    current = latest.id if latest is not None else None
    if current != base_version:
        raise StaleEdit(what, base_version, CurrentVersion(
            current, text_of(latest) if latest is not None else "", latest.entered_by if latest is not None else "",
            latest.entered_at.isoformat(timespec="seconds") if latest is not None else ""))


def after_edit(rounds: list[Any], unit_code: str, actor: Actor, correction: bool, period: str) -> None:
    """A first save makes the unit a draft in its rounds; a change to a published report is refused."""
    from .publish import refuse_changes_to_published
    from .rounds import mark_draft

    for the_round in rounds:
        mark_draft(the_round, unit_code, actor)
    if not correction:
        refuse_changes_to_published(from_period=period)


def save_narrative(unit_code: str, period: str | Period, section: str, markdown: str, base_version: int | None,
                   actor: Actor, title: str | None = None, correction: bool = False) -> NarrativeVersion:
    """Save a new version of a unit's narrative. Raises NotAllowed, InvalidTransition (unit submitted or
    approved), StaleEdit (someone saved since base_version), PublishedPeriodLocked, Refused."""
    from ..store.models import Narrative

    key = Period.parse(period).key
    what = f"{unit_code} {key} {section}"
    problems = text_problems(markdown, MAX_NARRATIVE, "markdown")
    if not section.strip() or len(section) > MAX_SECTION:
        problems.append(Problem("narrative.section_invalid", {"max": MAX_SECTION}, key="section", found=section[:80]))
    if problems:
        raise Refused(problems, outcome="outcome.nothing_saved")
    with writing(actor, unit_kind(unit_code)):
        lock(f"narrative:{unit_code}:{key}:{section}")
        rounds = begin_edit(key, unit_code, actor)
        latest = Narrative.objects.filter(unit_code=unit_code, period=key, section=section).order_by("-id").first()
        refuse_stale(latest, base_version, what, lambda row: row.markdown)
        row = Narrative.objects.create(
            unit_code=unit_code, period=key, section=section, markdown=markdown,
            title=latest.title if title is None and latest is not None else (title or ""),
            position=latest.position if latest is not None else next_position(unit_code, key),
            source=source_of(actor), entered_by=actor_name(actor))
        after_edit(rounds, unit_code, actor, correction, key)
    return narrative_of(row)


def text_problems(text: str, limit: int, key: str) -> list[Problem]:
    """A text a person gives is at most `limit` characters."""
    if len(text) > limit:
        return [Problem("text.too_long", {"max": limit, "length": len(text)}, key=key)]
    return []


def next_position(unit_code: str, period: str) -> int:
    from django.db.models import Max

    from ..store.models import Narrative

    return (Narrative.objects.filter(unit_code=unit_code, period=period).aggregate(m=Max("position"))["m"] or 0) + 1


def decimal_text(value: Any, field: str) -> str:
    """A number typed with a decimal comma or point, as stored ("58.2"); Refused naming the field otherwise."""
    text = str(value).strip()
    try:
        number = Decimal(text.replace(",", ".")) if len(text) <= MAX_NUMBER else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise Refused(Problem("entry.not_a_number", key=field, found=text[:MAX_NUMBER]), outcome="outcome.nothing_saved")
    return str(number)


@dataclass(frozen=True)
class EntryVersion:
    """The current value of an entry, and its version (pass back as base_version when saving)."""

    what: str
    value: dict[str, Any]
    version: int | None
    entered_by: str
    entered_at: str


def entry_of(what: str, row: Any, value: Any) -> EntryVersion:
    if row is None:
        return EntryVersion(what, {}, None, "", "")
    return EntryVersion(what, value(row), row.id, row.entered_by, row.entered_at.isoformat(timespec="seconds"))


def goal_actual_value(row: Any) -> dict[str, Any]:
    return {"values": dict(row.values), "change_pct": row.change_pct, "source": row.source, "wording": row.wording}


def key_result_value(row: Any) -> dict[str, Any]:
    return {"value": row.value, "source": row.source}


def balancing_value(row: Any) -> dict[str, Any]:
    return {"actual_cents": row.actual_cents, "forecast_cents": row.forecast_cents, "source": row.source}


def as_text(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def get_goal(code: str) -> Any:
    from ..store.models import OperationalGoal

    try:
        return OperationalGoal.objects.get(code=code, retired_at__isnull=True)
    except OperationalGoal.DoesNotExist:
        raise NotFound(Problem("goal.not_found", {"code": code}, found=code)) from None


def get_key_result(code: str) -> Any:
    from ..store.models import KeyResult

    try:
        return KeyResult.objects.select_related("unit_goal").get(code=code, retired_at__isnull=True)
    except KeyResult.DoesNotExist:
        raise NotFound(Problem("key_result.not_found", {"code": code}, found=code)) from None


def get_measure(code: str) -> Any:
    from ..store.models import BalancingMeasure

    try:
        return BalancingMeasure.objects.get(code=code, retired_at__isnull=True)
    except BalancingMeasure.DoesNotExist:
        raise NotFound(Problem("measure.not_found", {"code": code}, found=code)) from None


def current_goal_actual(goal_code: str, period: str | Period) -> EntryVersion:
    goal = get_goal(goal_code)
    key = Period.parse(period).key
    return entry_of(f"goal {goal_code} {key}", goal.actuals.filter(period=key).order_by("-id").first(), goal_actual_value)


def save_goal_actual(goal_code: str, period: str | Period, values: dict[str, Any], base_version: int | None,
                     actor: Actor, change_pct: Any = None, source: str = "", wording: str = "",
                     correction: bool = False) -> EntryVersion:
    """A goal's measured values for a period (measure key → number). Raises as save_narrative."""
    goal = get_goal(goal_code)
    key = Period.parse(period).key
    what = f"{goal_code} {key}"
    known = {m["key"] for m in goal.measures}
    problems = [Problem("goal.measure_unknown", {"allowed": tuple(sorted(known))}, key="values", found=k[:80])
                for k in values if k not in known]
    if problems:
        raise Refused(problems, outcome="outcome.nothing_saved")
    fields = dict(values={k: decimal_text(v, k) for k, v in values.items() if str(v).strip() != ""},
                  change_pct=decimal_text(change_pct, "change_pct") if change_pct not in (None, "") else "",
                  source=source, wording=wording)
    with writing(actor, unit_kind(goal.unit_code)):
        lock(f"goal:{goal_code}:{key}")
        rounds = begin_edit(key, goal.unit_code, actor)
        latest = goal.actuals.filter(period=key).order_by("-id").first()
        refuse_stale(latest, base_version, what, lambda row: as_text(goal_actual_value(row)))
        row = goal.actuals.create(period=key, entered_by=actor_name(actor), **fields)
        after_edit(rounds, goal.unit_code, actor, correction, key)
    return entry_of(what, row, goal_actual_value)


def current_key_result_value(code: str, period: str | Period, field: str) -> EntryVersion:
    kr = get_key_result(code)
    key = Period.parse(period).key
    row = kr.values.filter(period=key, field=field).order_by("-id").first()
    return entry_of(f"key result {code} {field} {key}", row, key_result_value)


def save_key_result_value(code: str, period: str | Period, field: str, value: Any, base_version: int | None,
                          actor: Actor, source: str = "", correction: bool = False) -> EntryVersion:
    """One of a key result's separate fields: measured, target or confidence (0–100). Raises as save_narrative."""
    kr = get_key_result(code)
    key = Period.parse(period).key
    if field not in KR_FIELDS:
        raise Refused(Problem("key_result.field_unknown", {"allowed": KR_FIELDS}, key="field",
                              found=str(field)[:40]), outcome="outcome.nothing_saved")
    number = decimal_text(value, field)
    if field == "confidence" and not Decimal(0) <= Decimal(number) <= Decimal(100):
        raise Refused(Problem("key_result.confidence_range", key=field, found=str(value)[:MAX_NUMBER]),
                      outcome="outcome.nothing_saved")
    unit_code = kr.unit_goal.unit_code  # (kr.unit is the unit of measure, "%")
    what = f"{code} {field} {key}"
    with writing(actor, unit_kind(unit_code)):
        lock(f"kr:{code}:{field}:{key}")
        rounds = begin_edit(key, unit_code, actor)
        latest = kr.values.filter(period=key, field=field).order_by("-id").first()
        refuse_stale(latest, base_version, what, lambda row: row.value)
        row = kr.values.create(period=key, field=field, value=number, source=source, entered_by=actor_name(actor))
        after_edit(rounds, unit_code, actor, correction, key)
    return entry_of(what, row, key_result_value)


def current_balancing_value(code: str, period: str | Period) -> EntryVersion:
    measure = get_measure(code)
    key = Period.parse(period).key
    return entry_of(f"measure {code} {key}", measure.values.filter(period=key).order_by("-id").first(), balancing_value)


def save_balancing_value(code: str, period: str | Period, actual_cents: int | None, forecast_cents: int | None,
                         base_version: int | None, actor: Actor, source: str = "",
                         correction: bool = False) -> EntryVersion:
    """A balancing measure's actual and forecast (integer cents) for a period. Raises as save_narrative."""
    measure = get_measure(code)
    key = Period.parse(period).key
    for name, cents in (("actual_cents", actual_cents), ("forecast_cents", forecast_cents)):
        if cents is not None and (isinstance(cents, bool) or not isinstance(cents, int) or abs(cents) > MAX_CENTS):
            raise Refused(Problem("measure.cents_invalid", {"max": Money(MAX_CENTS)}, key=name, found=repr(cents)),
                          outcome="outcome.nothing_saved")
    what = f"{code} {key}"
    with writing(actor, unit_kind(measure.owner_unit)):
        lock(f"measure:{code}:{key}")
        rounds = begin_edit(key, measure.owner_unit, actor)
        latest = measure.values.filter(period=key).order_by("-id").first()
        refuse_stale(latest, base_version, what, lambda row: as_text(balancing_value(row)))
        row = measure.values.create(period=key, actual_cents=actual_cents, forecast_cents=forecast_cents, source=source,
                                    entered_by=actor_name(actor))
        after_edit(rounds, measure.owner_unit, actor, correction, key)
    return entry_of(what, row, balancing_value)



# --- deviation explanations (a line whose forecast differs from its budget by more than the template allows) -----


def explanation_of(row: Any, template_code: str, unit_code: str, period: str, line_code: str) -> EntryVersion:
    what = f"{unit_code} {period} {line_code}"
    return entry_of(what, row, lambda r: {"text": r.text})


def unit_explanations(template_code: str, unit_code: str, period: str | Period) -> dict[str, EntryVersion]:
    """The current explanation of each line of the unit that has one (line code → version)."""
    from ..store.models import DeviationExplanation

    key = Period.parse(period).key
    latest: dict[str, Any] = {}
    for row in DeviationExplanation.objects.filter(template_code=template_code, unit_code=unit_code,
                                                   period=key).order_by("id"):
        latest[row.line_code] = row
    return {line: explanation_of(row, template_code, unit_code, key, line) for line, row in latest.items()}


def save_explanation(template_code: str, unit_code: str, period: str | Period, line_code: str, text: str,
                     base_version: int | None, actor: Actor, correction: bool = False) -> EntryVersion:
    """Save a new version of a line's deviation explanation. Raises as save_narrative."""
    from ..store.models import DeviationExplanation

    key = Period.parse(period).key
    what = f"{unit_code} {key} {line_code}"
    problems = text_problems(text, MAX_EXPLANATION, "text")
    if not line_code.strip():
        problems.append(Problem("explanation.line_missing", key="line"))
    if problems:
        raise Refused(problems, outcome="outcome.nothing_saved")
    rows = DeviationExplanation.objects.filter(template_code=template_code, unit_code=unit_code, period=key,
                                               line_code=line_code)
    with writing(actor, unit_kind(unit_code)):
        lock(f"explanation:{template_code}:{unit_code}:{key}:{line_code}")
        rounds = begin_edit(key, unit_code, actor)
        latest = rows.order_by("-id").first()
        refuse_stale(latest, base_version, what, lambda row: row.text)
        if not correction:
            refuse_explaining_published(template_code, key)
        row = rows.create(template_code=template_code, unit_code=unit_code, period=key, line_code=line_code,
                          text=text.strip(), source=source_of(actor), entered_by=actor_name(actor))
        after_edit(rounds, unit_code, actor, True, key)  # (the published check is above: see its docstring)
    return explanation_of(row, template_code, unit_code, key, line_code)


def refuse_explaining_published(template_code: str, period: str) -> None:
    """An explanation belongs to the round's report of its template and period; once that is published it is
    frozen. (The explanations are not among the published report's figures and texts, so the general check of
    services.publish, which compares what the report would now say, cannot see the change.)"""
    from .errors import PublishedPeriodLocked
    from .publish import latest_published

    reports = [(r.key, r.version) for r in latest_published()
               if r.template_code == template_code and r.period == period]
    if reports:
        raise PublishedPeriodLocked(reports)

# --- what a unit's page posts: one entry's form -------------------------------------------------------------


def cents_of(text: str, field: str) -> int | None:
    """Euros typed with a decimal comma or point (spaces as thousands separators allowed) as exact integer cents;
    None when empty; Refused naming the field when not an amount of whole cents within MAX_CENTS."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned) * 100 if len(cleaned) <= MAX_NUMBER else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value() or abs(value) > MAX_CENTS:
        raise Refused(Problem("entry.not_an_amount", {"max": Money(MAX_CENTS)}, key=field,
                              found=text.strip()[:MAX_NUMBER]), outcome="outcome.nothing_saved")
    return int(value)


def version_of(data: Any, name: str = "base_version") -> int | None:
    text = str(data.get(name, "")).strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def save_entry(kind: str, code: str, period: str | Period, data: Any, actor: Actor) -> EntryVersion:
    """Save what an entry's form posted (a mapping of field names to texts): a goal's measures (`m-<key>`), a
    key result's `field` and `value`, a balancing measure's `actual` and `forecast`; `base_version` each."""
    base = version_of(data)
    if kind == "goal":
        measures = [k[len("m-"):] for k in data if k.startswith("m-")]
        return save_goal_actual(code, period, {m: data[f"m-{m}"] for m in measures}, base, actor)
    if kind == "kr":
        return save_key_result_value(code, period, str(data.get("field", "")), data.get("value", ""), base, actor)
    if kind == "measure":
        return save_balancing_value(code, period, cents_of(str(data.get("actual", "")), "actual"),
                                    cents_of(str(data.get("forecast", "")), "forecast"), base, actor)
    raise NotFound(Problem("entry.kind_unknown", {"allowed": ("goal", "kr", "measure")}, found=kind[:40]))


# --- content files and status overrides (CLI: content load, content override) -----------------------------


def load_content_files(paths: list[Any], retire_missing: bool, actor: Actor, correction: bool = False) -> Outcome:
    """Validate goal, key-result, balancing and narrative files against the configuration and store them."""
    from ..config.content import load_content
    from ..store.content import missing_definitions, save_content
    from .imports import guard_published
    from .permissions import can_import, require
    from .reports import stored_config

    require(can_import(actor), actor, "import")
    config = stored_config()
    content = load_content(paths, config)
    with writing(actor, CONTENT):
        missing = missing_definitions(content)
        added = save_content(content, user=actor_name(actor), retire=missing if retire_missing else None)
        guard_published(correction)
    notes = [Note("content_files.loaded", {"goals": len(content.goals), "key_results": len(content.key_results),
                                     "measures": len(content.measures), "narratives": len(content.narratives),
                                     "values": added["values"], "versions": added["narratives"]})]
    warnings = []
    listed = tuple(Note("content_files.definitions", {"kind": Term(f"definition.{kind.replace(' ', '_')}"), "codes": tuple(codes)})
                   for kind, codes in missing.items())
    if missing and retire_missing:
        notes.append(Note("content_files.retired", {"definitions": listed}))
    elif missing:
        warnings.append(Problem("content_files.missing_definitions", {"definitions": listed}, severity="warning"))
    return Outcome(notes, warnings, added)


def override_goal_status(goal: str, period: str | Period, status: str, reason: str, actor: Actor,
                         correction: bool = False) -> Outcome:
    """Set a goal's status for a period by hand, kept with its (required) reason."""
    from ..core.goals import STATUS_CODES
    from ..store.content import override_status
    from .imports import guard_published

    the_period = Period.parse(period)
    if status not in STATUS_CODES:
        raise Refused(Problem("goal.status_unknown", {"allowed": tuple(STATUS_CODES)}, key="status", found=status[:40]))
    if not reason.strip():
        raise Refused(Problem("goal.override_reason_missing", key="reason", found=reason))
    if len(reason) > MAX_EXPLANATION:
        raise Refused(text_problems(reason, MAX_EXPLANATION, "reason"))
    unit_code = get_goal(goal).unit_code
    with writing(actor, unit_kind(unit_code)):
        if not isinstance(actor, Operator):
            begin_edit(the_period.key, unit_code, actor)
        new = override_status(goal, the_period, status, reason, user=actor_name(actor))
        guard_published(correction)
    return Outcome([Note("goal.status_overridden" if new else "goal.status_unchanged",
                         {"goal": goal, "period": the_period.label(), "status": Term(f"goal_status.{status}"),
                          "reason": reason.strip()})], [], new)
