"""`katsaus backup FILE` and `katsaus restore FILE` (the logic is in store/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_common import ensure_db, fail, say
from .core.errors import Problem


def backup(file: Annotated[Path, typer.Argument(help="The backup file to write (JSON Lines).")]) -> None:
    """Write every table of the database to FILE as one consistent snapshot, also while others write."""
    if file.is_dir() or not file.parent.is_dir():
        fail([Problem(str(file), "cannot write the backup here", expected="a file path in an existing folder",
                      found="a folder" if file.is_dir() else "no such folder")], what="nothing was written")
    ensure_db()
    from .store.backup import backup as write

    summary = write(file)
    say(f"backed up {summary.rows} rows of {summary.tables} tables to {file}")


def restore(file: Annotated[Path, typer.Argument(help="A file written by `katsaus backup`.")]) -> None:
    """Replace the whole content of the database with FILE, in one transaction (a new --db path is created)."""
    ensure_db(create=True)
    from .store.backup import BackupError, restore as read

    try:
        summary = read(file)
    except BackupError as exc:
        fail([Problem(str(file), str(exc).removeprefix(f"{file}: "))], what="nothing was restored")
    say(f"restored {summary.rows} rows of {summary.tables} tables from {file}")
