"""The audit log: every change people make, from the web or the CLI, with who, when, what, before → after.

django-simple-history keeps a history record of every save of an audited model (store/models.py `audited`).
The services run their writes inside `acting(actor)`, which names the acting person in each record; figures
are audited by their import batches (a ledger or plan file, a forecast write) and, for the figures a person
entered, value by value from the figures they superseded.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from ..store.acting import SYSTEM, acting_as
from ..store.generations import ALL, CONTENT, FIGURES, unit_kind
from .actors import Actor, actor_name

__all__ = ["ALL", "CONTENT", "FIGURES", "acting", "unit_kind", "writing"]


@contextmanager
def acting(actor: Actor) -> Iterator[str]:
    """Name `actor` in every history record written inside the block."""
    with acting_as(actor_name(actor)) as name:
        yield name


@contextmanager
def writing(actor: Actor, *kinds: str) -> Iterator[str]:
    """One write of a service: one transaction, the acting person in every history record, and the reports
    computed from the data it changes (`kinds` of store.generations: FIGURES, CONTENT, unit_kind(code), ALL) no
    longer served — in this process at once, in the others through the new generation tokens committed with the
    write. A write of nothing a report shows (a round's status, a user, a publication) names no kind."""
    from django.db import transaction

    from ..store.generations import renew
    from .cache import uncached

    with acting(actor) as name, transaction.atomic(), uncached():
        yield name
        # last, so that the row holding the tokens is locked only for the moment before the commit; what the write
        # computed meanwhile (a published report's fingerprint) was computed afresh, not kept. Nothing kept needs
        # clearing: what was computed from the data before is kept under the tokens it had.
        if kinds:
            renew(kinds)


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    kind: str      # the model: narrative, round unit, user, …
    item: str      # which one: "PESOVA 2025-06 katsaus", "anna", …
    action: str    # created, changed, deleted
    field: str     # "" for a whole-record entry
    before: str
    after: str


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
HIDDEN = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user", "actor",
          "history_user_id", "entered_at", "changed_at", "loaded_at", "imported_at", "opened_at", "published_at"}


def history_models() -> list[Any]:
    """Every history model of the Katsaus app (one per audited model, plus the users')."""
    from django.apps import apps

    return [m for m in apps.get_app_config("katsaus").get_models() if m.__name__.startswith("Historical")]


def item_label(record: Any) -> str:
    """A readable name of the item a history record is about."""
    parts = []
    for field in ("username", "unit_code", "period", "section", "field", "code", "key", "name", "kind", "role",
                  "template_code", "status", "file_name"):
        value = getattr(record, field, None)
        if value not in (None, ""):
            parts.append(str(value))
    for relation in ("key_result", "goal", "measure", "round", "user", "version"):
        if hasattr(record, f"{relation}_id") and getattr(record, f"{relation}_id") is not None:
            parts.append(f"{relation} #{getattr(record, f'{relation}_id')}")
    return " ".join(dict.fromkeys(parts)) or f"#{record.id}"


def kind_of(history_model: Any) -> str:
    name = history_model.__name__.removeprefix("Historical")
    return "".join(" " + c.lower() if c.isupper() else c for c in name).strip()


def value_text(value: Any) -> str:
    return "" if value is None else str(value)


def entries_of(record: Any, kind: str) -> list[AuditEntry]:
    """One entry per changed field of a change; one per field of a creation (before empty)."""
    action = ACTIONS[record.history_type]
    common = dict(when=record.history_date, who=record.actor or SYSTEM, kind=kind, item=item_label(record), action=action)
    fields = [f.attname for f in type(record).tracked_fields if f.attname not in HIDDEN]  # never a password
    previous = record.prev_record if record.history_type != "+" else None
    if record.history_type == "~" and previous is not None:
        changed = [f for f in fields if getattr(previous, f) != getattr(record, f)]
        return [AuditEntry(**common, field=f, before=value_text(getattr(previous, f)), after=value_text(getattr(record, f)))
                for f in changed]
    if record.history_type == "-":
        return [AuditEntry(**common, field="", before=item_label(record), after="")]
    before_row = predecessor(record)
    return [AuditEntry(**common, field=f, before=value_text(getattr(before_row, f, None)) if before_row else "",
                       after=value_text(getattr(record, f)))
            for f in fields if not f.endswith("_id") or f in ("user_id",)]


# Values are never updated in place: a new value is a new row, and what it replaced is the latest earlier row
# of the same key. That row is the "before" of a created value.
VALUE_KEYS = {
    "Narrative": ("unit_code", "period", "section"),
    "KeyResultValue": ("key_result_id", "period", "field"),
    "GoalActual": ("goal_id", "period"),
    "GoalStatusOverride": ("goal_id", "period"),
    "BalancingValue": ("measure_id", "period"),
}


def predecessor(record: Any) -> Any:
    key = VALUE_KEYS.get(record.instance_type.__name__)
    if key is None:
        return None
    model = record.instance_type
    return model.objects.filter(**{k: getattr(record, k) for k in key}, id__lt=record.id).order_by("-id").first()


def audit_log(since: datetime | None = None, until: datetime | None = None) -> list[AuditEntry]:
    """Every change, oldest first. Changes that changed nothing (a file loaded again) are left out."""
    entries: list[AuditEntry] = []
    for history_model in history_models():
        kind = kind_of(history_model)
        records = history_model.objects.all()
        if since is not None:
            records = records.filter(history_date__gte=since)
        if until is not None:
            records = records.filter(history_date__lt=until)
        for record in records.order_by("history_date", "history_id"):
            entries += entries_of(record, kind)
    entries += figure_entries(since, until)
    return sorted(entries, key=lambda e: (e.when, e.kind, e.item, e.field))


def figure_entries(since: datetime | None = None, until: datetime | None = None) -> list[AuditEntry]:
    """Forecast figures entered in the forecast round (`forecast set`, an uploaded sheet), value by value: the
    figure each one superseded is its before. Imported files are audited as their batches."""
    from ..store import models

    batches = models.ImportBatch.objects.filter(kind="forecast").select_related("version")
    if since is not None:
        batches = batches.filter(imported_at__gte=since)
    if until is not None:
        batches = batches.filter(imported_at__lt=until)
    entries = []
    for batch in batches.order_by("id"):
        old = {(a.unit_code, a.line_code): a.cents for a in models.PlanAmount.objects.filter(superseded_by=batch)}
        for amount in batch.plan_amounts.order_by("id"):
            place = (amount.unit_code, amount.line_code)
            entries.append(AuditEntry(
                batch.imported_at, batch.imported_by or SYSTEM, "forecast figure",
                f"{batch.version.name if batch.version else ''} {amount.unit_code} {amount.line_code}".strip(),
                "changed" if place in old else "created", "cents",
                value_text(old.get(place)), str(amount.cents)))
    return entries


COLUMNS = ["when", "who", "kind", "item", "action", "field", "before", "after"]


def export_audit_csv(stream: SupportsWrite[str], actor: Actor, since: datetime | None = None,
                     until: datetime | None = None) -> int:
    """Write the audit log as CSV (when in ISO 8601 UTC); returns how many entries. The controller's."""
    from .permissions import can_manage_users, require

    require(can_manage_users(actor), actor, "manage_users")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    entries = audit_log(since, until)
    for e in entries:
        writer.writerow([e.when.isoformat(timespec="seconds"), e.who, e.kind, e.item, e.action, e.field, e.before, e.after])
    return len(entries)


def item_history(instance: Any) -> list[AuditEntry]:
    """The history of one stored item (a round unit, a user, a definition), oldest first. For a narrative or
    another value kept as rows, pass any of its rows: the history is every row of its key."""
    model = type(instance)
    key = VALUE_KEYS.get(model.__name__)
    if key is not None:
        return key_history(model, **{k: getattr(instance, k) for k in key})
    return records_entries(instance.history.all(), kind_of(model.history.model))


def key_history(model: Any, **key: Any) -> list[AuditEntry]:
    """The history of a value kept as rows (one per save), oldest first: every row of the key."""
    rows = model.objects.filter(**key)
    return records_entries(model.history.filter(id__in=rows.values("id")), kind_of(model.history.model))


def records_entries(records: Any, kind: str) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for record in records.order_by("history_date", "history_id"):
        entries += entries_of(record, kind)
    return entries


def value_history(model: Any, fields: tuple[str, ...], **key: Any) -> list[AuditEntry]:
    """The changes of one entered value of a period (a goal's actual, a key result's measured value or
    confidence, a balancing measure's actual and forecast), newest first: who, when, and for each of `fields`
    that a save changed, before → after. A save that repeated the value is left out."""
    return [e for e in reversed(key_history(model, **key)) if e.field in fields and e.before != e.after]
