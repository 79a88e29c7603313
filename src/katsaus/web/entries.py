"""A unit's entries for a period, as the unit page edits them: goal actuals, key-result values and confidence
(each field its own entry, as in the core), balancing measures' actual and forecast. Reads the stored definitions;
saving goes through katsaus.services.content, which checks the right, the status, the version and the audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from katsaus.services import content as content_service

KEY_RESULT_FIELDS = ("measured", "confidence")


@dataclass
class EntryRow:
    kind: str  # goal, kr, measure
    code: str
    label: str
    fields: list[dict]  # {"name", "label", "value", "version", "saved": who and when, "" if never, "history"}
    history: list[dict] = field(default_factory=list)  # the row's changes, newest first (see changes())


def changes(model, fields: tuple[str, ...], shown=str, **key: Any) -> list[dict]:
    """An entry's history from the audit (simple-history): who, when, what, before → after, newest first.
    `shown` turns a stored value into what the form shows (cents as euros, a goal's measures as "key: value")."""
    from katsaus.services.audit import value_history

    def text(value: str) -> str:
        return shown(value) if value != "" else "–"

    return [{"when": e.when, "who": e.who, "field": e.field.removesuffix("_cents"), "before": text(e.before),
             "after": text(e.after)} for e in value_history(model, fields, **key)]


def measures_text(stored: str) -> str:
    """A goal actual's measures as stored (the text of a dict) as "key: value, key: value"."""
    import ast

    values = ast.literal_eval(stored)
    return ", ".join(f"{k}: {v}" for k, v in values.items()) if isinstance(values, dict) else stored


def cents_text(stored: str) -> str:
    return euros_text(int(stored))


def saved_by(current: content_service.EntryVersion) -> str:
    return f"{current.entered_by}, {current.entered_at}" if current.version is not None else ""


def euros_text(cents: int | None) -> str:
    """Cents as euros for an input field, exactly (1234567 -> "12345,67")."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole},{part:02d}"


def cents_of(text: str) -> int | None:
    """Euros typed with a decimal comma or point (spaces allowed) as integer cents; ValueError if not exact."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned) * 100
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or value != value.to_integral_value():
        raise ValueError(text)
    return int(value)


def goal_rows(unit_code: str, period: str) -> list[EntryRow]:
    from katsaus.store.models import GoalActual, OperationalGoal

    rows = []
    for goal in OperationalGoal.objects.filter(unit_code=unit_code, retired_at__isnull=True).order_by("position", "code"):
        current = content_service.current_goal_actual(goal.code, period)
        values = current.value.get("values", {}) if current.value else {}
        rows.append(EntryRow("goal", goal.code, goal.indicator, [
            {"name": m["key"], "label": m.get("label") or m["key"], "value": values.get(m["key"], ""),
             "version": current.version, "saved": saved_by(current)} for m in goal.measures],
            changes(GoalActual, ("values",), measures_text, goal_id=goal.id, period=period)))
    return rows


def key_result_rows(unit_code: str, period: str) -> list[EntryRow]:
    from katsaus.store.models import KeyResult, KeyResultValue

    rows = []
    results = KeyResult.objects.filter(unit_goal__unit_code=unit_code, retired_at__isnull=True)
    for kr in results.order_by("position", "code"):
        fields = []
        for name in KEY_RESULT_FIELDS:
            current = content_service.current_key_result_value(kr.code, period, name)
            fields.append({"name": name, "label": name, "value": current.value.get("value", "") if current.value else "",
                           "version": current.version, "saved": saved_by(current),
                           "history": changes(KeyResultValue, ("value",), key_result_id=kr.id, period=period,
                                              field=name)})
        rows.append(EntryRow("kr", kr.code, kr.text, fields))
    return rows


def measure_rows(unit_code: str, period: str) -> list[EntryRow]:
    from katsaus.store.models import BalancingMeasure, BalancingValue

    rows = []
    for measure in BalancingMeasure.objects.filter(owner_unit=unit_code, retired_at__isnull=True).order_by("position", "code"):
        current = content_service.current_balancing_value(measure.code, period)
        value = current.value or {}
        rows.append(EntryRow("measure", measure.code, measure.name, [
            {"name": "actual", "label": "actual", "value": euros_text(value.get("actual_cents")), "version": current.version,
             "saved": saved_by(current)},
            {"name": "forecast", "label": "forecast", "value": euros_text(value.get("forecast_cents")),
             "version": current.version, "saved": ""}],
            changes(BalancingValue, ("actual_cents", "forecast_cents"), cents_text, measure_id=measure.id,
                    period=period)))
    return rows


def unit_entries(unit_code: str, period: str) -> dict[str, list[EntryRow]]:
    return {"goals": goal_rows(unit_code, period), "key_results": key_result_rows(unit_code, period),
            "measures": measure_rows(unit_code, period)}


def entry_unit(kind: str, code: str) -> str | None:
    """The unit an entry belongs to (None if there is no such entry): the page's unit must be it."""
    from katsaus.store.models import BalancingMeasure, KeyResult, OperationalGoal

    if kind == "goal":
        return OperationalGoal.objects.filter(code=code).values_list("unit_code", flat=True).first()
    if kind == "kr":
        return KeyResult.objects.filter(code=code).values_list("unit_goal__unit_code", flat=True).first()
    if kind == "measure":
        return BalancingMeasure.objects.filter(code=code).values_list("owner_unit", flat=True).first()
    return None


def version_of(data: Any, name: str = "base_version") -> int | None:
    text = str(data.get(name, "")).strip()
    return int(text) if text.isdigit() else None


def save_entry(kind: str, code: str, period: str, data: Any, actor: Any) -> None:
    """Save what the entry's form posted. Raises the services' errors, ValueError for a malformed amount."""
    base = version_of(data)
    if kind == "goal":
        measures = [k[len("m-"):] for k in data if k.startswith("m-")]
        content_service.save_goal_actual(code, period, {m: data[f"m-{m}"] for m in measures}, base, actor)
    elif kind == "kr":
        field = data.get("field", "")
        content_service.save_key_result_value(code, period, field, data.get("value", ""), base, actor)
    elif kind == "measure":
        content_service.save_balancing_value(code, period, cents_of(data.get("actual", "")),
                                             cents_of(data.get("forecast", "")), base, actor)
