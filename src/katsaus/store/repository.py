"""Saving imports and configuration, and reading facts back as plain data for the computation.

Every write is one transaction: an import either replaces its earlier version completely or changes nothing.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum

from ..core import facts as core_facts
from ..core.errors import Conflict, Param, Problem, Refused, Term
from ..core.org import OrgTree
from ..core.periods import Period
from . import models

BALANCE_COLUMNS = ("batch_id", "year", "month", "cost_centre", "account", "internal", "cents")
WRITER_LOCK = 47_112_025  # the key of katsaus' PostgreSQL advisory lock (any constant; one per database)


def one_writer_at_a_time() -> None:
    """Wait until no other process is storing imports, configuration or figures, and hold that until this
    transaction ends. Each write first looks at what is stored (the import it replaces, the figures it
    supersedes): two processes looking at the same time would both add (a double count) or both supersede the
    same figure (a lost update). On PostgreSQL an advisory lock; on SQLite a write statement that changes
    nothing takes the database's write lock now, within the busy timeout, rather than failing with 'database
    is locked' when a transaction that has read tries to write. Call it first in the transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])
        elif connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {models.ImportBatch._meta.db_table} WHERE 0 = 1")


def current_user() -> str:
    return os.environ.get("KATSAUS_USER") or getpass.getuser()


# --- configuration ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredDocument:
    """A configuration document as loaded: the file's name, its kind (organisation, scheme, template) and its
    parsed content (the services validate it again into the configuration when they read it)."""

    name: str
    kind: str
    content: dict[str, Any]


@transaction.atomic
def save_config(documents: Sequence[StoredDocument], organisation: OrgTree | None, user: str | None = None) -> None:
    """Store validated configuration documents; the organisation (when among them) also replaces the unit tables."""
    one_writer_at_a_time()
    for doc in documents:
        content = json.loads(json.dumps(doc.content, default=str))  # TOML dates -> ISO strings
        code = doc.content[doc.kind]["code"]
        models.ConfigDocument.objects.update_or_create(
            kind=doc.kind,
            code=code,
            defaults=dict(
                source=Path(doc.name).name,
                checksum=hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest(),
                content=content,
                loaded_by=user or current_user(),
            ),
        )
        if doc.kind == "organisation":
            models.ConfigDocument.objects.filter(kind="organisation").exclude(code=code).delete()
    if organisation is not None:
        replace_organisation(organisation)


def replace_organisation(org: OrgTree) -> None:
    models.CostCentre.objects.all().delete()
    # Unit.parent protects a parent from deletion while a child points to it: unlink the tree, then delete it.
    models.Unit.objects.update(parent=None)
    models.Unit.objects.all().delete()
    models.Organisation.objects.all().delete()
    models.Organisation.objects.create(code=org.code, name_fi=org.name_fi, name_sv=org.name_sv or "")
    created: dict[str, models.Unit] = {}
    for position, unit in enumerate(org.units):
        created[unit.code] = models.Unit.objects.create(
            code=unit.code,
            name_fi=unit.name_fi,
            name_sv=unit.name_sv or "",
            parent=created.get(unit.parent) if unit.parent else None,
            position=position,
        )
    # Parents may come after their children in the file: link them once all exist.
    for unit in org.units:
        if unit.parent and created[unit.code].parent_id is None:
            created[unit.code].parent = created[unit.parent]
            created[unit.code].save(update_fields=["parent"])
    models.CostCentre.objects.bulk_create(
        models.CostCentre(
            code=c.code, name=c.name, unit=created[c.unit], valid_from=c.valid_from, valid_to=c.valid_to, position=i
        )
        for i, c in enumerate(org.cost_centres)
    )


def stored_documents() -> list[StoredDocument]:
    """The configuration documents stored in the database, in the order they were first loaded."""
    return [restore_dates(StoredDocument(d.source, d.kind, d.content))
            for d in models.ConfigDocument.objects.order_by("id")]


def restore_dates(doc: StoredDocument) -> StoredDocument:
    """JSON has no dates: turn the organisation's ISO date strings back into dates."""
    if doc.kind != "organisation":
        return doc
    content = json.loads(json.dumps(doc.content))
    for centre in content.get("cost_centres", []):
        for key in ("valid_from", "valid_to"):
            if isinstance(centre.get(key), str):
                centre[key] = date.fromisoformat(centre[key])
    return StoredDocument(doc.name, doc.kind, content)


# --- imports ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedImport:
    batch_id: int
    replaced: int
    rows: int
    stored: int
    dropped: int = 0  # places of a replaced plan import the new file has no figure for


def earlier_batches(kind: str, file_name: str, checksum: str,
                    version: models.PlanVersion | None = None) -> QuerySet[models.ImportBatch]:
    same_file = Q(file_name=file_name) | Q(checksum=checksum)
    batches = models.ImportBatch.objects.filter(same_file, kind=kind)
    return batches.filter(version=version) if version is not None else batches


@transaction.atomic
def save_ledger(
    file_name: str,
    checksum: str | Callable[[], str],
    rows: int,
    balances: Sequence[tuple[int, int, str, str, bool, int]],
    user: str | None = None,
    mapping: str = "",
    add: bool = False,
) -> SavedImport:
    """Store a ledger import's monthly balances, replacing an earlier import of the same file: the same content,
    or a file of the same name for any of the same months (a corrected export). A file of the same name for
    other months is another export (an ERP that always writes export.csv) and is added. Balances for a month,
    cost centre and account another file already holds are refused (Conflict, store.ledger_overlap) unless `add` says the
    file is a further part of those months (a sub-ledger): a re-saved or corrected copy under a new name
    would otherwise be counted twice.

    `checksum` may be a function that waits for the file's hash (intake.LedgerResult.pending_checksum): the
    balances are inserted before it is asked for, so hashing a large file overlaps the insert. Everything is
    one transaction, so the order inside it changes nothing anyone sees."""
    one_writer_at_a_time()
    months = sorted({(b[0], b[1]) for b in balances})
    same_name = ledger_batches_replaced(file_name, months, add)
    held = {} if add else held_balances(months, same_name)
    batch = models.ImportBatch.objects.create(
        kind="ledger", file_name=file_name, checksum="", rows=rows, imported_by=user or current_user(), mapping=mapping
    )
    insert_balances(batch.id, balances)
    digest = checksum if isinstance(checksum, str) else checksum()
    same_content = set(
        models.ImportBatch.objects.filter(kind="ledger", replaced_by__isnull=True, checksum=digest)
        .exclude(id=batch.id).values_list("id", flat=True)
    )
    replaced_ids = same_name | same_content
    if not add:
        refuse_ledger_overlap(file_name, balances, held, replaced_ids)
    earlier = models.ImportBatch.objects.filter(id__in=replaced_ids, replaced_by__isnull=True)
    replaced = earlier.count()
    models.Balance.objects.filter(batch__in=earlier).delete()
    earlier.update(replaced_by=batch)  # kept in the import log, marked; its balances no longer count
    models.ImportBatch.objects.filter(id=batch.id).update(checksum=digest)
    return SavedImport(batch.id, replaced, rows, len(balances))


def month_filter(months: Sequence[tuple[int, int]]) -> Q:
    found = Q(pk__in=[])
    for year, month in months:
        found |= Q(year=year, month=month)
    return found


def ledger_batches_replaced(file_name: str, months: Sequence[tuple[int, int]], add: bool = False) -> set[int]:
    """The current imports a ledger file replaces by its name: unless the file is declared a further part
    (`add`), an import of the same name all of whose months the file covers again (a corrected export). A
    same-named import with months the file does not cover is another export: replacing it would lose them.
    (An import of the same content under any name is replaced too: save_ledger adds those by checksum.)"""
    if add:
        return set()
    same_name = models.Balance.objects.filter(
        batch__kind="ledger", batch__file_name=file_name, batch__replaced_by__isnull=True)
    covered: dict[int, bool] = {}
    wanted = set(months)
    for batch_id, year, month in same_name.values_list("batch_id", "year", "month").distinct():
        covered[batch_id] = covered.get(batch_id, True) and (year, month) in wanted
    return {batch_id for batch_id, all_covered in covered.items() if all_covered}


HeldBalances = dict[tuple[int, int, str, str, bool], tuple[int, str]]


def held_balances(months: Sequence[tuple[int, int]], replaced: set[int]) -> HeldBalances:
    """The stored balances of these months, by (year, month, cost centre, account, internal): the import that
    holds each and its file name; those of the `replaced` imports left out."""
    held = (models.Balance.objects.filter(month_filter(months)).exclude(batch__in=replaced)
            .values_list("year", "month", "cost_centre", "account", "internal", "batch_id", "batch__file_name"))
    return {(year, month, centre, account, internal): (batch_id, name)
            for year, month, centre, account, internal, batch_id, name in held}


def refuse_ledger_overlap(file_name: str, balances: Sequence[tuple[int, int, str, str, bool, int]],
                          held: HeldBalances, replaced: set[int]) -> None:
    """Conflict (store.ledger_overlap) when the file holds balances another imported file already holds: how
    many, the other file and the first of them."""
    files = {key: name for key, (batch_id, name) in held.items() if batch_id not in replaced}
    if not files:
        return
    overlap = [b[:5] for b in balances if tuple(b[:5]) in files]
    if overlap:
        year, month, centre, account, _ = min(overlap)
        raise Conflict(Problem("store.ledger_overlap", {
            "count": len(overlap), "other_file": files[min(overlap)], "month": month, "year": year,
            "cost_centre": centre, "account": account}, file=file_name), outcome="outcome.nothing_stored")


def insert_balances(batch_id: int, balances: Sequence[tuple[int, int, str, str, bool, int]]) -> None:
    table = models.Balance._meta.db_table
    columns = ", ".join(BALANCE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor: COPY is far faster than INSERTs
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in balances:
                    copy.write_row((batch_id, *row))
        elif connection.vendor == "sqlite":
            insert_sqlite_rows(connection.connection, table, columns, int(batch_id), balances)
        else:
            placeholders = ", ".join(["%s"] * len(BALANCE_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", [(batch_id, *row) for row in balances]
            )


SQLITE_ROWS_PER_STATEMENT = 100  # 600 parameters: under the 999 of the oldest SQLite builds


def insert_sqlite_rows(raw: Any, table: str, columns: str, batch_id: int,
                       rows: Sequence[tuple[int, int, str, str, bool, int]]) -> None:
    """Balances into SQLite, a hundred rows per INSERT: the driver's executemany with one row per statement
    spends most of its time per statement, and this is three times faster for a large import (BENCHMARKS.md).
    (Django's own executemany would also rewrite every parameter row.) The batch id is an integer of ours,
    written into the statement so that each row binds only its own six values."""
    one = f"({batch_id}, ?, ?, ?, ?, ?, ?)"
    many = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * SQLITE_ROWS_PER_STATEMENT)
    whole = len(rows) - len(rows) % SQLITE_ROWS_PER_STATEMENT
    values = [value for row in rows[:whole] for value in row]
    width = 6 * SQLITE_ROWS_PER_STATEMENT
    raw.executemany(many, (values[start:start + width] for start in range(0, len(values), width)))
    if whole < len(rows):
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES {one}", rows[whole:])


@transaction.atomic
def save_plan(
    kind: str,
    version_name: str,
    year: int,
    file_name: str,
    checksum: str,
    rows: int,
    amounts: Iterable[PlanRow],
    effective_date: date | None = None,
    decision_ref: str = "",
    author: str = "",
    user: str | None = None,
) -> SavedImport:
    """Store a budget or forecast file under a version. The figures of an earlier import of the same file are
    superseded: no longer counted, kept as history. Another file may add figures to a version only where the
    version has none (a version made of one file per division); a figure for a place the version already
    has, or at another level of detail, would be counted twice and is refused (Conflict), as is a file
    into a version of figures entered in the forecast round; a name that is empty or begins or ends with a space
    is Refused."""
    one_writer_at_a_time()
    rows_given = list(amounts)
    if not version_name.strip() or version_name != version_name.strip():
        raise Refused(Problem("store.version_name_invalid", {"name": version_name}), outcome="outcome.nothing_stored")
    version, created = models.PlanVersion.objects.get_or_create(name=version_name, defaults=dict(kind=kind, year=year))
    if version.kind != kind or version.year != year:
        raise Conflict(Problem("store.version_other_kind", {
            "name": version_name, "kind": plan_kind(version.kind), "year": version.year,
            "wanted_kind": plan_kind(kind), "wanted_year": year}), outcome="outcome.nothing_stored")
    earlier = plan_batches_replaced(version, kind, file_name, checksum, rows_given)
    if not created:
        refuse_adding_to(version, earlier, rows_given)
        if not earlier:
            refuse_new_metadata(version, effective_date, decision_ref, author)
    version.effective_date = effective_date or version.effective_date
    version.decision_ref = decision_ref or version.decision_ref
    version.author = author or version.author
    version.save()
    batch = models.ImportBatch.objects.create(
        kind=kind, file_name=file_name, checksum=checksum, rows=rows, imported_by=user or current_user(), version=version
    )
    replaced = supersede(models.PlanAmount.objects.filter(batch_id__in=earlier), batch)
    objects = [
        models.PlanAmount(
            version=version, batch=batch, unit_code=u, cost_centre=cc, line_code=line, account=acc, month=month, cents=cents
        )
        for u, cc, line, acc, month, cents in rows_given
    ]
    models.PlanAmount.objects.bulk_create(objects, batch_size=5000)
    return SavedImport(batch.id, replaced, rows, len(objects), places_dropped(earlier, rows_given))


PLAN_KINDS = {"budget": Term("store.kind.budget"), "forecast": Term("store.kind.forecast")}


def plan_kind(kind: str) -> Term | str:
    """A plan version's kind (budget, forecast) in the reader's words."""
    return PLAN_KINDS.get(kind, kind)


PlanRow = tuple[str | None, str | None, str | None, str | None, int | None, int]  # intake.PlanAmount
Place = tuple[str | None, str | None, str | None, str | None]  # unit, cost centre, line, account
PlaceMonth = tuple[str | None, str | None, str | None, str | None, int | None]


def place(amount: PlanRow) -> Place:
    """Where a plan figure is, without its month: (unit, cost centre, line, account)."""
    return amount[0], amount[1], amount[2], amount[3]


def plan_batches_replaced(version: models.PlanVersion, kind: str, file_name: str, checksum: str,
                          amounts: Sequence[PlanRow]) -> list[int]:
    """The earlier imports of the version a plan file replaces: the same content, or the same name with figures
    for some of the same places (a corrected file). A same-named file for other places only is another part
    (one file per division, each called budget.csv) and is added. Writes of the forecast round are never
    replaced by a file."""
    candidates = earlier_batches(kind, file_name, checksum, version)
    places = {place(a) for a in amounts}
    replaced = []
    for batch in candidates:
        figures = batch.plan_amounts.current()
        if figures.exclude(method="").exists():
            continue
        earlier_places: set[Place] = set(figures.values_list("unit_code", "cost_centre", "line_code", "account"))
        if batch.checksum == checksum or earlier_places & places or not earlier_places:
            replaced.append(batch.id)
    return replaced


def places_dropped(replaced: list[int], amounts: Sequence[PlanRow]) -> int:
    """How many places of the replaced imports the new file has no figure for (they stop counting)."""
    earlier: set[Place] = set(models.PlanAmount.objects.filter(batch_id__in=replaced)
                              .values_list("unit_code", "cost_centre", "line_code", "account"))
    return len(earlier - {place(a) for a in amounts})


def refuse_adding_to(version: models.PlanVersion, same_file: list[int], amounts: Sequence[PlanRow]) -> None:
    """A file may not add to figures the version already has from elsewhere (see save_plan): Conflict."""
    others = version.amounts.current().exclude(batch_id__in=same_file)
    if others.exclude(method="").exists():
        raise Conflict(Problem("store.version_holds_round_figures", {"name": version.name}),
                       outcome="outcome.nothing_stored")
    held: dict[PlaceMonth, str] = {
        (unit, centre, line, account, month): name
        for unit, centre, line, account, month, name in others.values_list(
            "unit_code", "cost_centre", "line_code", "account", "month", "batch__file_name")}
    if not held:
        return

    def level(key: PlaceMonth) -> tuple[bool, bool, bool, bool]:
        return key[0] is None, key[1] is None, key[2] is None, key[3] is None

    new: set[PlaceMonth] = {(a[0], a[1], a[2], a[3], a[4]) for a in amounts}
    # the same place in the same month, or a yearly figure beside monthly ones of the same place
    held_months: dict[Place, set[int | None]] = {}
    for key in held:
        held_months.setdefault(key[:4], set()).add(key[4])
    overlap = sorted((k for k in new if k[:4] in held_months and (k[4] is None or None in held_months[k[:4]]
                                                                  or k[4] in held_months[k[:4]])), key=str)
    if overlap:
        first = overlap[0]
        source = next(f for k, f in held.items() if k[:4] == first[:4])
        raise Conflict(Problem("store.version_places_held", {
            "name": version.name, "count": len(overlap), "place": " / ".join(str(v) for v in first[:4] if v is not None),
            "month": first[4], "other_file": source}), outcome="outcome.nothing_stored")
    if {level(k) for k in held} != {level(k) for k in new}:
        raise Conflict(Problem("store.version_other_level", {"name": version.name}), outcome="outcome.nothing_stored")


def refuse_new_metadata(version: models.PlanVersion, effective_date: date | None, decision_ref: str, author: str) -> None:
    """Adding a file to an existing version keeps the version's date, decision and author: Conflict naming the one
    that differs."""
    fields: tuple[tuple[Term, Param, Param], ...] = (
        (Term("store.field.effective_date"), effective_date, version.effective_date),
        (Term("store.field.decision_ref"), decision_ref, version.decision_ref),
        (Term("store.field.author"), author, version.author))
    for field, given, kept in fields:
        if given and kept and given != kept:
            raise Conflict(Problem("store.version_metadata_kept", {
                "name": version.name, "field": field, "kept": kept, "given": given}),
                outcome="outcome.nothing_stored")


def supersede(amounts: models.PlanAmountQuerySet, batch: models.ImportBatch) -> int:
    """Mark the current ones of `amounts` as replaced by `batch`; returns how many earlier writes (batches)
    had current figures among them."""
    current = amounts.current()
    writes: int = current.values("batch_id").distinct().count()
    current.update(superseded_by=batch)
    return writes


def current_plan_batches(version_names: Iterable[str]) -> set[int]:
    """The batches that still hold current figures of these plan versions."""
    return set(
        models.PlanAmount.objects.current().filter(version__name__in=list(version_names))
        .values_list("batch_id", flat=True).distinct()
    )


# --- reading back -----------------------------------------------------------------------------------


class DbFacts:
    """The stored facts as plain data (core.facts.Facts). One object holds what it has read, and what the
    computation derived from it (`derived`, core.facts.remembered), for as long as it lives: the services make a
    new one whenever the stored figures change, so every report of the same figures reads them once."""

    def __init__(self, derived: Any = None) -> None:
        self.derived: Any = {} if derived is None else derived  # a dict, or what the services share (cache.Shared)
        self._balances: dict[Period, list[core_facts.Balance]] = {}
        self._amounts: dict[str, list[core_facts.PlanAmount]] = {}
        self._versions: list[core_facts.PlanVersion] | None = None

    def balances(self, period: Period) -> list[core_facts.Balance]:
        """The stored monthly balances of months 1..period.month of the period's year, summed over imports."""
        if period not in self._balances:
            self._balances[period] = read_balances(period)
        return self._balances[period]

    def months_held(self, period: Period) -> set[int]:
        """One look into the (year, month) index per month, not a read of the year's balances (a county's year is
        600 000 of them): the months of the period the ledger holds anything for."""
        if period in self._balances:
            return {b.month for b in self._balances[period]}
        rows = models.Balance.objects.filter(year=period.year)
        return {month for month in range(1, period.month + 1) if rows.filter(month=month).exists()}

    def plan_versions(self) -> Sequence[core_facts.PlanVersion]:
        if self._versions is None:
            self._versions = [
                core_facts.PlanVersion(
                    name=v.name,
                    kind="forecast" if v.kind == "forecast" else "budget",
                    year=v.year,
                    effective_date=v.effective_date,
                    decision_ref=v.decision_ref or None,
                    author=v.author or None,
                )
                for v in models.PlanVersion.objects.order_by("year", "name")
            ]
        return self._versions

    def plan_amounts(self, version: str) -> list[core_facts.PlanAmount]:
        if version not in self._amounts:
            rows = models.PlanAmount.objects.current().filter(version__name=version).values_list(
                "cents", "unit_code", "cost_centre", "line_code", "account", "month")
            self._amounts[version] = [
                core_facts.PlanAmount(version, cents, unit, centre, line, account, month)
                for cents, unit, centre, line, account, month in rows.iterator(chunk_size=20000)]
        return self._amounts[version]


def read_balances(period: Period) -> list[core_facts.Balance]:
    """Months 1..period.month of the period's year, summed over imports, read as plain rows (a county's half year
    is some 300 000 of them: no model instance or dict per row)."""
    table = models.Balance._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT month, cost_centre, account, internal, SUM(cents) FROM {table} "  # noqa: S608
                       "WHERE year = %s AND month <= %s GROUP BY month, cost_centre, account, internal",
                       [period.year, period.month])
        year = period.year
        return [core_facts.Balance(year, month, centre, account, bool(internal), int(total))
                for month, centre, account, internal, total in cursor.fetchall()]


def balance_rows(year: int) -> Iterator[tuple[int, int, str, str, bool, int]]:
    """Stored balances of a year summed over imports, in a stable order (for `katsaus export balances`)."""
    grouped = (
        models.Balance.objects.filter(year=year)
        .values("year", "month", "cost_centre", "account", "internal")
        .annotate(total=Sum("cents"))
        .order_by("month", "cost_centre", "account", "internal")
    )
    for row in grouped.iterator(chunk_size=20000):
        yield row["year"], row["month"], row["cost_centre"], row["account"], row["internal"], int(row["total"])


def import_log() -> list[models.ImportBatch]:
    """Every import and forecast write, replaced ledger imports included (`replaced_by` says by which)."""
    return list(models.ImportBatch.objects.select_related("version", "replaced_by").order_by("imported_at", "id"))
