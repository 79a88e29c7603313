"""Saving goals, key results, the balancing programme and narratives, and reading them back as `core.content.Content`.

Definitions (goals, key results, measures, metrics) are kept by code and updated in place; one no longer in
the files is retired only when asked (`retire_missing`), and never deleted. Values are never
overwritten: a period's new value, status override or narrative text is a new row, the latest row is the current
one, and the earlier rows are its history. Loading the same files again therefore changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable
from decimal import Decimal
from functools import partial
from typing import Any, TypeGuard, TypeVar

from django.db import models as django_models
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..core import goals as g
from ..core.balancing import BalancingEntry, BalancingMeasure, BalancingPresentation
from ..core.content import Content
from ..core.errors import NotFound, Problem
from ..core.narrative import Narrative
from ..core.periods import Period
from . import models
from .repository import current_user

T = TypeVar("T")


def text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value else None


# The database holds what validated content gave: these say so to the type checker (core refuses anything else).
def is_status(value: str) -> TypeGuard[g.StatusCode]:
    return value in g.STATUS_CODES


def is_key_result_field(value: str) -> TypeGuard[g.KeyResultField]:
    return value in g.KEY_RESULT_FIELDS


def is_comparison(value: str) -> TypeGuard[g.Comparison]:
    return value in ("at_least", "more_than", "at_most", "less_than")


def status_code(value: str) -> g.StatusCode:
    if is_status(value):
        return value
    raise ValueError(value)  # the services check a status before they store it


def key_result_field(value: str) -> g.KeyResultField:
    if is_key_result_field(value):
        return value
    raise ValueError(value)


def comparison(value: str) -> g.Comparison | None:
    return value if is_comparison(value) else None


def append_if_changed(queryset: QuerySet[Any], fields: dict[str, Any], create: Callable[..., object]) -> bool:
    """Add a row unless the latest row of the same key already holds these values."""
    latest = queryset.order_by("-id").first()
    if latest is not None and all(getattr(latest, k) == v for k, v in fields.items()):
        return False
    create(**fields)
    return True


# per kind of definition: its model and the codes a content defines of it
DEFINITIONS: dict[str, tuple[Any, Callable[[Content], set[str]]]] = {
    "metric": (models.Metric, lambda c: {m.key for m in c.metrics}),
    "strategic goal": (models.StrategicGoal, lambda c: {s.code for s in c.strategic_goals}),
    "unit goal": (models.UnitGoal, lambda c: {u.code for u in c.unit_goals}),
    "key result": (models.KeyResult, lambda c: {k.code for k in c.key_results}),
    "operational goal": (models.OperationalGoal, lambda c: {g.code for g in c.goals}),
    "balancing measure": (models.BalancingMeasure, lambda c: {m.code for m in c.measures}),
}


def code_field(model: type[django_models.Model]) -> str:
    return "key" if model is models.Metric else "code"


def missing_definitions(content: Content) -> dict[str, list[str]]:
    """Definitions in use in the database that `content` does not define, by kind (only kinds with any)."""
    missing = {}
    for kind, (model, defined) in DEFINITIONS.items():
        codes = defined(content)
        stored = model.objects.filter(retired_at__isnull=True).values_list(code_field(model), flat=True)
        absent = sorted(code for code in stored if code not in codes)
        if absent:
            missing[kind] = absent
    return missing


def retire_definitions(missing: dict[str, list[str]]) -> int:
    """Retire the listed definitions: kept with their history, left out of what `load_content` returns."""
    now = timezone.now()
    retired = 0
    for kind, codes in missing.items():
        model = DEFINITIONS[kind][0]
        retired += model.objects.filter(**{f"{code_field(model)}__in": codes}, retired_at__isnull=True).update(retired_at=now)
    return retired


@transaction.atomic
def save_content(content: Content, user: str | None = None, retire: dict[str, list[str]] | None = None) -> dict[str, int]:
    """Store validated content; returns how many new values (rows of history) were added. `retire`: the
    definitions to retire in the same transaction (`missing_definitions`, when the files are the whole
    content); without it a load may be partial and leaves the others as they are."""
    who = user or current_user()
    if retire:
        retire_definitions(retire)
    added = {"values": 0, "narratives": 0}
    for metric in content.metrics:
        models.Metric.objects.update_or_create(key=metric.key, defaults=dict(name=metric.name, unit=metric.unit, mentions=list(metric.mentions), retired_at=None))
    save_strategy(content, who, added)
    for goal in content.goals:
        save_goal(goal, who, added)
    for measure in content.measures:
        save_measure(measure, who, added)
    for narrative in content.narratives:
        save_narrative(narrative, who, added)
    save_settings(content)
    return added


def save_strategy(content: Content, who: str, added: dict[str, int]) -> None:
    strategic = {}
    for s in content.strategic_goals:
        strategic[s.code], _ = models.StrategicGoal.objects.update_or_create(code=s.code, defaults=dict(name=s.name, position=s.position, retired_at=None))
    unit_goals = {}
    for u in content.unit_goals:
        unit_goals[u.code], _ = models.UnitGoal.objects.update_or_create(
            code=u.code, defaults=dict(strategic_goal=strategic[u.strategic_goal], unit_code=u.unit_code, text=u.text, position=u.position, retired_at=None)
        )
    for k in content.key_results:
        row, _ = models.KeyResult.objects.update_or_create(
            code=k.code,
            defaults=dict(unit_goal=unit_goals[k.unit_goal], text=k.text, unit=k.unit, target_kind=k.target_kind or "", metric=k.metric or "", position=k.position, retired_at=None),
        )
        for entry in latest_per_key(k.entries, lambda e: (e.period, e.field)):
            fields = dict(period=entry.period.key, field=entry.field, value=text(entry.value), source=entry.source)
            same_key = row.values.filter(period=fields["period"], field=entry.field)
            added["values"] += append_if_changed(same_key, fields, partial(row.values.create, entered_by=entry.entered_by or who))


def latest_per_key(items: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    """A file gives one current value per key: the last one given."""
    latest: dict[Hashable, T] = {}
    for item in items:
        latest[key(item)] = item
    return list(latest.values())


def save_goal(goal: g.OperationalGoal, who: str, added: dict[str, int]) -> None:
    rule = goal.rule
    row, _ = models.OperationalGoal.objects.update_or_create(
        code=goal.code,
        defaults=dict(
            unit_code=goal.unit_code,
            year=goal.year,
            indicator=goal.indicator,
            measures=[dict(key=m.key, label=m.label, unit=m.unit, baseline=text(m.baseline), baseline_year=m.baseline_year, metric=m.metric or "") for m in goal.measures],
            rule=dict(kind=rule.kind, value=text(rule.value), baseline=text(rule.baseline), baseline_year=rule.baseline_year, tolerance=text(rule.tolerance), numerator=rule.numerator or "", denominator=rule.denominator or "", text=rule.text),
            wording=goal.wording,
            main=goal.main,
            presentation=dict(show=goal.presentation.show, separator=goal.presentation.separator, percent_decimals=goal.presentation.percent_decimals),
            position=goal.position,
            retired_at=None,
        ),
    )
    for actual in latest_per_key(goal.actuals, lambda a: a.period):
        fields = dict(
            period=actual.period.key,
            values={k: text(v) for k, v in actual.values},
            change_pct=text(actual.change_pct),
            measured_on=actual.measured_on,
            source=actual.source,
            wording=actual.wording or "",
        )
        same = row.actuals.filter(period=fields["period"])
        added["values"] += append_if_changed(same, fields, partial(row.actuals.create, entered_by=actual.entered_by or who))
    for override in latest_per_key(goal.overrides, lambda o: o.period):
        save_override(row, override.period, override.status, override.reason, override.by or who, added)


def save_override(row: models.OperationalGoal, period: Period, status: str, reason: str, by: str, added: dict[str, int] | None = None) -> bool:
    g.StatusOverride(period, status_code(status), reason, by)  # the same validation as everywhere: a status needs a reason
    fields = dict(period=period.key, status=status, reason=reason.strip(), entered_by=by)
    new = append_if_changed(row.overrides.filter(period=fields["period"]), fields, row.overrides.create)
    if added is not None:
        added["values"] += new
    return new


@transaction.atomic
def override_status(goal_code: str, period: Period, status: str, reason: str, user: str | None = None) -> bool:
    """A person's status for a goal and period, kept with its reason. Raises NotFound (a LookupError) for an
    unknown goal, naming the goals there are."""
    try:
        row = models.OperationalGoal.objects.get(code=goal_code, retired_at__isnull=True)
    except models.OperationalGoal.DoesNotExist:
        known = tuple(models.OperationalGoal.objects.filter(retired_at__isnull=True).order_by("position")
                      .values_list("code", flat=True))
        raise NotFound(Problem("store.goal_unknown", {"code": goal_code, "known": known}, found=goal_code),
                       outcome="outcome.nothing_stored") from None
    return save_override(row, period, status, reason, user or current_user())


def save_measure(measure: BalancingMeasure, who: str, added: dict[str, int]) -> None:
    row, _ = models.BalancingMeasure.objects.update_or_create(
        code=measure.code,
        defaults=dict(name=measure.name, owner_unit=measure.owner_unit, year=measure.year, target_cents=measure.target_cents, position=measure.position, retired_at=None),
    )
    for entry in latest_per_key(measure.entries, lambda e: e.period):
        fields = dict(period=entry.period.key, actual_cents=entry.actual_cents, forecast_cents=entry.forecast_cents, source=entry.source)
        same = row.values.filter(period=fields["period"])
        added["values"] += append_if_changed(same, fields, partial(row.values.create, entered_by=entry.entered_by or who))


def save_narrative(narrative: Narrative, who: str, added: dict[str, int]) -> None:
    key = dict(unit_code=narrative.unit_code, period=narrative.period.key, section=narrative.section)
    fields = dict(key, title=narrative.title, markdown=narrative.markdown, position=narrative.position, source=narrative.source)
    same = models.Narrative.objects.filter(**key)
    added["narratives"] += append_if_changed(same, fields, lambda **f: models.Narrative.objects.create(entered_by=narrative.entered_by or who, **f))


def save_settings(content: Content) -> None:
    if content.short_names:
        # pairs, not an object: PostgreSQL's jsonb does not keep the order of an object's keys
        models.ContentSetting.objects.update_or_create(key="short_names", defaults=dict(value=[list(p) for p in content.short_names]))
    b = content.balancing
    models.ContentSetting.objects.update_or_create(
        key="balancing", defaults=dict(value=dict(title=b.title, total_label=b.total_label, amount_unit=b.amount_unit, percent_decimals=b.percent_decimals))
    )


# --- reading back -----------------------------------------------------------------------------------------


def load_content(units: Collection[str] | None = None) -> Content:
    """Everything stored (or, given `units`, what those units own, and what every report reads: metrics,
    strategic goals, settings), with the history of every value in entry order, as plain core objects."""
    settings = {s.key: s.value for s in models.ContentSetting.objects.all()}
    unit_goals = models.UnitGoal.objects.filter(retired_at__isnull=True)
    if units is not None:
        unit_goals = unit_goals.filter(unit_code__in=units)
    return Content(
        metrics=tuple(g.Metric(m.key, m.name, m.unit, tuple(m.mentions)) for m in models.Metric.objects.filter(retired_at__isnull=True).order_by("id")),
        strategic_goals=tuple(g.StrategicGoal(s.code, s.name, s.position) for s in models.StrategicGoal.objects.filter(retired_at__isnull=True).order_by("position")),
        unit_goals=tuple(
            g.UnitGoal(u.code, u.strategic_goal.code, u.unit_code, u.text, u.position)
            for u in unit_goals.select_related("strategic_goal").order_by("position")
        ),
        key_results=tuple(load_key_results(units)),
        goals=tuple(load_goals(units)),
        measures=tuple(load_measures(units)),
        narratives=tuple(load_narratives(units)),
        short_names=tuple((code, name) for code, name in settings.get("short_names", [])),
        balancing=BalancingPresentation(**settings["balancing"]) if "balancing" in settings else BalancingPresentation(),
    )


def load_key_results(units: Collection[str] | None = None) -> Iterable[g.KeyResult]:
    rows = models.KeyResult.objects.filter(retired_at__isnull=True)
    if units is not None:
        rows = rows.filter(unit_goal__unit_code__in=units)
    for k in rows.select_related("unit_goal").prefetch_related("values").order_by("position"):
        entries = tuple(
            g.KeyResultEntry(Period.parse(v.period), key_result_field(v.field), Decimal(v.value), v.source, v.entered_by,
                             v.entered_at.isoformat())
            for v in sorted(k.values.all(), key=lambda v: v.id)
        )
        yield g.KeyResult(k.code, k.unit_goal.code, k.text, k.unit, comparison(k.target_kind), k.metric or None, entries,
                          k.position)


def load_goals(units: Collection[str] | None = None) -> Iterable[g.OperationalGoal]:
    rows = models.OperationalGoal.objects.filter(retired_at__isnull=True)
    if units is not None:
        rows = rows.filter(unit_code__in=units)
    for row in rows.prefetch_related("actuals", "overrides").order_by("position"):
        r = row.rule
        rule = g.TargetRule(
            r["kind"], decimal(r["value"]), decimal(r["baseline"]), r["baseline_year"], decimal(r["tolerance"]) or Decimal(0),
            r["numerator"] or None, r["denominator"] or None, r["text"],
        )
        measures = tuple(g.Measure(m["key"], m["label"], m["unit"], decimal(m["baseline"]), m["baseline_year"], m["metric"] or None) for m in row.measures)
        order = {m.key: i for i, m in enumerate(measures)}  # jsonb does not keep key order: the measures' order it is
        actuals = tuple(
            g.GoalActual(
                Period.parse(a.period), tuple(sorted(((k, Decimal(v)) for k, v in a.values.items()), key=lambda kv: order.get(kv[0], len(order)))),
                decimal(a.change_pct), a.measured_on,
                a.source, a.entered_by, a.wording or None,
            )
            for a in sorted(row.actuals.all(), key=lambda a: a.id)
        )
        overrides = tuple(
            g.StatusOverride(Period.parse(o.period), status_code(o.status), o.reason, o.entered_by, o.entered_at.isoformat())
            for o in sorted(row.overrides.all(), key=lambda o: o.id)
        )
        p = row.presentation
        yield g.OperationalGoal(
            row.code, row.unit_code, row.year, row.indicator, measures, rule, row.wording, row.main,
            g.Presentation(p.get("show", "status"), p.get("separator", ", "), p.get("percent_decimals", 0)), actuals, overrides, row.position,
        )


def load_measures(units: Collection[str] | None = None) -> Iterable[BalancingMeasure]:
    rows = models.BalancingMeasure.objects.filter(retired_at__isnull=True)
    if units is not None:
        rows = rows.filter(owner_unit__in=units)
    for row in rows.prefetch_related("values").order_by("position"):
        entries = tuple(
            BalancingEntry(Period.parse(v.period), v.actual_cents, v.forecast_cents, v.source, v.entered_by, v.entered_at.isoformat())
            for v in sorted(row.values.all(), key=lambda v: v.id)
        )
        yield BalancingMeasure(row.code, row.name, row.owner_unit, row.year, row.target_cents, entries, row.position)


def load_narratives(units: Collection[str] | None = None) -> Iterable[Narrative]:
    """The current (latest) version of each unit's narrative per period and section (the database picks the
    latest row of each: a narrative saved a thousand times is read once)."""
    from django.db.models import Max

    rows = models.Narrative.objects.all()
    if units is not None:
        rows = rows.filter(unit_code__in=units)
    latest = rows.values("unit_code", "period", "section").annotate(last=Max("id")).values_list("last", flat=True)
    for row in models.Narrative.objects.filter(id__in=list(latest)).order_by("id"):
        yield Narrative(row.unit_code, Period.parse(row.period), row.section, row.markdown, row.title, row.position, row.source, row.entered_by, row.entered_at.isoformat())
