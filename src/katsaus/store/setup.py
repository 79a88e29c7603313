"""Start Django for the CLI and scripts: choose the database, configure, migrate."""

from __future__ import annotations

import os
from pathlib import Path

from django.db import DatabaseError

_READY: str | None = None


class MissingDatabase(DatabaseError):
    """An SQLite path that does not exist, given to a command that reads or adds to a database: creating an
    empty one there would hide a mistyped --db behind 'no organisation is loaded'."""


def missing_sqlite_file(target: str) -> Path | None:
    """The SQLite file `target` names when it does not exist yet; None for an existing file or a URL."""
    if "://" in target:
        return None
    path = Path(target).expanduser()
    return None if path.exists() else path


def _django_running() -> bool:
    """Django was started before (a test run's own database, a web server): the database is already chosen."""
    from django.apps import apps

    return apps.ready


def setup(db: str | None = None, migrate: bool = True, create: bool = True) -> None:
    """Point Django at `db` (SQLite path or postgresql:// URL; default KATSAUS_DB) and bring the schema up to date.
    With create=False a missing SQLite file is refused (MissingDatabase) instead of being made empty."""
    global _READY
    if db:
        os.environ["KATSAUS_DB"] = db
    if not create and not _django_running():
        from .settings import DEFAULT_DB

        missing = missing_sqlite_file(os.environ.get("KATSAUS_DB") or DEFAULT_DB)
        if missing is not None:
            raise MissingDatabase(str(missing))  # the path: the services say what it means
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "katsaus.store.settings")
    if _READY is None:
        import django

        django.setup()
        _READY = os.environ.get("KATSAUS_DB", "")
    elif db and db != _READY:
        raise RuntimeError(f"Django is already set up on {_READY!r}; one process serves one database")  # a bug
    if migrate and migrations_to_apply():
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def migrations_to_apply() -> bool:
    """False when every migration file of every installed app is recorded as applied: then `migrate` would do
    nothing, and finding that out its way (importing every migration and building their graph) costs each
    command ~0.05 s. Anything else, a squashed migration included, is left to `migrate` itself."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return True
    applied = recorder.applied_migrations()
    for app in apps.get_app_configs():
        for file in (Path(app.path) / "migrations").glob("[0-9]*.py"):
            if (app.label, file.stem) not in applied:
                return True
    return False
