"""Opening the database a command or script works on (the web's settings choose theirs)."""

from __future__ import annotations

import os

from ..core.errors import Problem, Refused


def open_database(db: str | None = None, create: bool = False) -> None:
    """Start Django on `db` (an SQLite path or a postgresql:// URL; default KATSAUS_DB) and bring its schema up to
    date. Only a command meant to make a database (`config load`, `restore`) may create a missing SQLite file;
    anything else is refused naming the database, as is a file that is not a database or a server that refuses."""
    from django.db import DatabaseError

    from ..store.setup import MissingDatabase, setup

    try:
        setup(db, create=create)
    except MissingDatabase as exc:
        raise Refused(Problem("database.missing", key="db", found=str(exc.args[0] if exc.args else db)),
                      outcome="outcome.nothing_done") from None
    except DatabaseError as exc:  # not a database file, a server refusing, a schema another program made
        target = db or os.environ.get("KATSAUS_DB") or "katsaus.sqlite3"
        first = (str(exc).strip().splitlines() or [""])[0]
        raise Refused(Problem("database.unusable", {"reason": first[:300]}, key="db", found=str(target)),
                      outcome="outcome.nothing_done") from None


def close_connections() -> None:
    """Close the database connections (SQLite folds its write-ahead log into the database file)."""
    from django.db import connections

    connections.close_all()
