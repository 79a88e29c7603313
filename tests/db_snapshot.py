"""A copy of the test database's rows, taken once and put back many times (a helper of tests/conftest.py).

What the tests start from (the demo organisation with its users, the demo county with its rounds and published
reports) is built the way it always was -- through the CLI, the demo pipeline and the services -- but once per
test session (per xdist worker) instead of once per test or module; each test, or module, then gets its rows back
in a fraction of a second. Every table of the installed models is copied except the two that Django fills itself
after migrating (content types and permissions: their ids are cached by Django, and they are the same in every
state). On PostgreSQL the rows travel with COPY, on SQLite with executemany; sequences are reset after a restore.

`restore` works both outside a transaction (a module's data, committed) and inside a test's transaction (rolled
back with the test): it deletes every row first, and the foreign keys Django creates are deferred to the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

KEPT = frozenset({"django_content_type", "auth_permission"})


@dataclass
class Snapshot:
    vendor: str
    # table -> (columns, rows) on SQLite; table -> COPY text on PostgreSQL
    tables: dict[str, object] = field(default_factory=dict)

    def rows(self) -> int:
        if self.vendor == "postgresql":
            return sum(data.count(b"\n") for data in self.tables.values())
        return sum(len(rows) for _, rows in self.tables.values())


def _tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    return sorted(t for t in connection.introspection.django_table_names(include_views=False)
                  if t in existing and t not in KEPT)


def is_empty(using: str = "default") -> bool:
    """No rows in any table (but KEPT): the state a test starts from."""
    from django.db import connections

    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables(connection):
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                return False
    return True


def take(using: str = "default") -> Snapshot:
    from django.db import connections

    connection = connections[using]
    quote = connection.ops.quote_name
    snapshot = Snapshot(connection.vendor)
    with connection.cursor() as cursor:
        for table in ("auth_user_user_permissions", "auth_group_permissions"):  # rows that would point into KEPT
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            assert cursor.fetchone() is None, f"{table} has rows: a snapshot leaves out the permissions they name"
        for table in _tables(connection):
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                    data = b"".join(bytes(chunk) for chunk in copy)
                if data:
                    snapshot.tables[table] = data
            else:
                cursor.execute(f"SELECT * FROM {quote(table)}")
                rows = cursor.fetchall()
                if rows:
                    snapshot.tables[table] = ([d[0] for d in cursor.description], rows)
    return snapshot


def restore(snapshot: Snapshot, using: str = "default") -> None:
    """Replace every row of the database's tables (but KEPT) by the snapshot's."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connections, transaction

    connection = connections[using]
    assert connection.vendor == snapshot.vendor
    quote = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for table in _tables(connection):
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table, data in snapshot.tables.items():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                    copy.write(data)
            else:
                columns, rows = data
                marks = ", ".join("?" * len(columns))
                names = ", ".join(quote(c) for c in columns)
                # the raw sqlite3 connection: the same transaction, without Django's per-row cursor wrapping
                connection.connection.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        if connection.vendor == "postgresql":
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    ContentType.objects.clear_cache()
    clear_caches()


def clear_caches() -> None:
    """The services' caches of computed reports, where the code has them (they are also keyed by the data)."""
    try:
        from katsaus.services.cache import cache_clear
    except ImportError:
        return
    cache_clear()


_STATES: dict[object, tuple[Snapshot, Any]] = {}


def cached_state(key: object, build: Callable[[], T], refresh: Callable[[T], T] | None = None) -> T:
    """Bring an empty database to the state `build()` makes and return what it returned: the first time (in this
    process) by calling it, then by restoring the rows it left (and `refresh(result)`, e.g. to read its objects
    again). A database that is not empty gets `build()` itself: the shortcut holds only for the same start."""
    if not is_empty():
        return build()
    if key in _STATES:
        snapshot, result = _STATES[key]
        restore(snapshot)
        return refresh(result) if refresh is not None else result
    result = build()
    _STATES[key] = (take(), result)
    return result
