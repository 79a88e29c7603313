"""`katsaus backup FILE` and `katsaus restore FILE` (services/backup.py, the work in store/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_common import actor, call


def backup(file: Annotated[Path, typer.Argument(help="The backup file to write (JSON Lines).")]) -> None:
    """Write every table of the database to FILE as one consistent snapshot, also while others write."""
    from .services.backup import backup as write

    call(write, file, actor())


def restore(file: Annotated[Path, typer.Argument(help="A file written by `katsaus backup`.")]) -> None:
    """Replace the whole content of the database with FILE, in one transaction (a new --db path is created)."""
    from .services.backup import restore as read

    call(read, file, actor(), create_db=True)
