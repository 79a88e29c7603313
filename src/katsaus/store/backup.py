"""`katsaus backup FILE` and `katsaus restore FILE`: every table of the database as one consistent snapshot.

The file is JSON Lines: a header (format, the applied migrations, the database it came from, row counts),
then per table a line naming the table and its columns followed by one JSON array per row. It is the same
for SQLite and PostgreSQL, so a backup of one restores into the other.

Consistency: the backup reads every table inside one transaction that sees one snapshot (SQLite in WAL mode
keeps a reader's snapshot for the whole read transaction; PostgreSQL is asked for REPEATABLE READ), so an
import committing meanwhile is either wholly in the file or not at all. A restore replaces the whole content
of the database in one transaction: a crash leaves the database as it was. A file that cannot be restored is
refused (katsaus.core.errors.Refused, outcome "nothing restored") with a coded problem naming the file and, where
there is one, its line.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models, transaction

from ..core.errors import NotFound, Param, Problem, Refused

FORMAT = "katsaus-backup"
FORMAT_VERSION = 1
BATCH = 5000
NOTHING_RESTORED = "outcome.nothing_restored"


def refuse(code: str, source: str, params: dict[str, Param] | None = None, row: int | None = None) -> Refused:
    """The refusal of a backup file that cannot be restored here (raised by the caller)."""
    return Refused(Problem(code, params or {}, file=source, row=row), outcome=NOTHING_RESTORED)


@dataclass(frozen=True)
class BackupSummary:
    tables: int
    rows: int


# not data: the tokens of what cached reports were computed from (store/generations.py); a restore gives new ones
NOT_BACKED_UP = frozenset({"katsaus_generation"})


def all_models() -> list[type[models.Model]]:
    """Every concrete table Django manages, many-to-many tables included, in a stable order."""
    found = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy
             and m._meta.db_table not in NOT_BACKED_UP]
    return sorted(found, key=lambda m: m._meta.db_table)


def applied_migrations() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [[app, name] for app, name in cursor.fetchall()]


def _plain(value: Any) -> Any:
    """A column value as JSON: dates and times as ISO text, decimals as text (never float)."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _snapshot_transaction() -> None:
    """Make the current transaction read one snapshot of the whole database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _table_rows(model: type[models.Model]) -> Iterator[list[Any]]:
    names = [f.attname for f in _columns(model)]
    query = model._base_manager.order_by("pk").values_list(*names)
    for row in query.iterator(chunk_size=BATCH):
        yield [_plain(v) for v in row]


def write_backup(out: IO[str]) -> BackupSummary:
    """Write the whole database to `out` from one snapshot."""
    total = 0
    chosen = all_models()
    with transaction.atomic():
        _snapshot_transaction()
        counts = {m._meta.db_table: m._base_manager.count() for m in chosen}
        header = {
            "format": FORMAT, "version": FORMAT_VERSION, "vendor": connection.vendor,
            "created": datetime.now().astimezone().isoformat(timespec="seconds"),
            "migrations": applied_migrations(), "rows": counts,
        }
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        for model in chosen:
            columns = [f.attname for f in _columns(model)]
            out.write(json.dumps({"table": model._meta.db_table, "columns": columns}) + "\n")
            for row in _table_rows(model):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                total += 1
    return BackupSummary(len(chosen), total)


def backup(path: Path) -> BackupSummary:
    """Write the backup to `path` through a temporary file in the same folder, renamed when complete: a
    backup killed halfway never leaves a truncated file under the name asked for."""
    path = Path(path)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent or ".", prefix=f".{path.name}.",
                                         delete=False)
    try:
        with handle:
            summary = write_backup(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return summary


# --- restore ------------------------------------------------------------------------------------------


def _read_header(lines: Iterator[str], source: str) -> dict[str, Any]:
    first = next(lines, "")
    try:
        header = json.loads(first)
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise refuse("backup.not_a_backup", source, row=1)
    if header.get("version") != FORMAT_VERSION:
        raise refuse("backup.format_version", source, {"version": str(header.get("version")),
                                                       "supported": FORMAT_VERSION}, row=1)
    return header


def _check_schema(header: dict[str, Any], source: str) -> None:
    theirs = {tuple(m) for m in header.get("migrations", [])}
    ours = {tuple(m) for m in applied_migrations()}
    if theirs != ours:
        only_backup = tuple(".".join(m) for m in sorted(theirs - ours)[:3])
        only_here = tuple(".".join(m) for m in sorted(ours - theirs)[:3])
        raise refuse("backup.schema_differs", source, {"only_backup": only_backup or None,
                                                       "only_here": only_here or None}, row=1)


def _convert(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, (models.BinaryField,)):
        return bytes.fromhex(value)
    return field.to_python(value)


def _tables() -> dict[str, type[models.Model]]:
    return {m._meta.db_table: m for m in all_models()}


def _empty_all(chosen: list[type[models.Model]]) -> None:
    """Delete every row of every table. Foreign keys are checked at commit (Django makes them deferrable),
    so the order does not matter inside the transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in chosen)
            cursor.execute(f"TRUNCATE {names}")
        else:
            for model in chosen:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def _stored_times_kept(fields: list[models.Field[Any, Any]]) -> Iterator[None]:
    """bulk_create stamps auto_now(_add) fields with the present time; a restore keeps the stored times."""
    # auto_now and auto_now_add are DateField's (DateTimeField is one)
    stamped = [f for f in fields if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)]
    flags = [(f.auto_now, f.auto_now_add) for f in stamped]
    for field in stamped:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (now, now_add) in zip(stamped, flags):
            field.auto_now, field.auto_now_add = now, now_add


def _insert(model: type[models.Model], fields: list[models.Field[Any, Any]], rows: list[list[Any]]) -> None:
    objects = [model(**{f.attname: _convert(f, v) for f, v in zip(fields, row)}) for row in rows]
    with _stored_times_kept(fields):
        model._base_manager.bulk_create(objects, batch_size=BATCH)


def _load_tables(lines: Iterator[str], source: str) -> int:
    tables = _tables()
    model: type[models.Model] | None = None
    fields: list[models.Field[Any, Any]] = []
    pending: list[list[Any]] = []
    total = 0
    for number, line in enumerate(lines, start=2):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise refuse("backup.damaged", source, row=number) from None
        if isinstance(record, dict):
            if model is not None and pending:
                _insert(model, fields, pending)
            pending = []
            model = tables.get(record.get("table", ""))
            if model is None:
                raise refuse("backup.table_unknown", source, {"table": str(record.get("table"))}, row=number)
            by_name = {f.attname: f for f in _columns(model)}
            unknown = tuple(str(c) for c in record["columns"] if c not in by_name)
            if unknown:
                raise refuse("backup.columns_unknown", source, {"columns": unknown, "table": model._meta.db_table},
                             row=number)
            fields = [by_name[c] for c in record["columns"]]
            continue
        if model is None:
            raise refuse("backup.row_before_table", source, row=number)
        pending.append(record)
        total += 1
        if len(pending) >= BATCH:
            _insert(model, fields, pending)
            pending = []
    if model is not None and pending:
        _insert(model, fields, pending)
    return total


def _reset_sequences(chosen: list[type[models.Model]]) -> None:
    """New ids continue right after the restored ones, as in the database the backup was made from (PostgreSQL:
    the sequences; SQLite: AUTOINCREMENT's sqlite_sequence, which would otherwise remember ids of rows deleted)."""
    statements = connection.ops.sequence_reset_sql(no_style(), chosen)
    if connection.vendor == "sqlite":
        statements = ["DELETE FROM sqlite_sequence"]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def balances_of_no_batch() -> bool:
    """Balances whose import batch is not there: the one reference the database does not check itself
    (models.Balance.batch)."""
    from . import models as store_models

    return store_models.Balance.objects.exclude(batch_id__in=store_models.ImportBatch.objects.values("id")).exists()


def restore(path: Path) -> BackupSummary:
    """Replace the whole content of the database with the backup at `path`, in one transaction."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise NotFound(Problem("file.not_found", file=source), outcome=NOTHING_RESTORED)
    with path.open(encoding="utf-8") as handle:
        lines = iter(handle)
        header = _read_header(lines, source)
        _check_schema(header, source)
        chosen = all_models()
        with transaction.atomic():
            _empty_all(chosen)
            try:
                total = _load_tables(lines, source)
            except (KeyError, TypeError, ValueError, ValidationError):  # a value that is not its column's
                raise refuse("backup.damaged", source) from None
            expected = sum(int(n) for n in header.get("rows", {}).values())
            if total != expected:
                raise refuse("backup.truncated", source, {"rows": total, "expected": expected})
            if balances_of_no_batch():
                raise refuse("backup.damaged", source)
            _reset_sequences(chosen)
    return BackupSummary(len(chosen), total)
