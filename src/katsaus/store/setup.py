"""Start Django for the CLI and scripts: choose the database, configure, migrate."""

from __future__ import annotations

import os

_READY: str | None = None


def setup(db: str | None = None, migrate: bool = True) -> None:
    """Point Django at `db` (SQLite path or postgresql:// URL; default KATSAUS_DB) and bring the schema up to date."""
    global _READY
    if db:
        os.environ["KATSAUS_DB"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "katsaus.store.settings")
    if _READY is None:
        import django

        django.setup()
        _READY = os.environ.get("KATSAUS_DB", "")
    elif db and db != _READY:
        raise RuntimeError(f"Django is already set up on {_READY!r}; one process serves one database")
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
