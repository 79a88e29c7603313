"""Backing up and restoring the whole database (store/backup.py does the work): the operator's and controller's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.errors import Note, Problem, Refused
from .actors import Actor
from .errors import Outcome
from .permissions import can_import, require


def backup(file: Path, actor: Actor) -> Outcome:
    """Write every table to `file` as one consistent snapshot, also while others write."""
    from ..store.backup import backup as write

    require(can_import(actor), actor, "backup")
    if file.is_dir() or not file.parent.is_dir():
        raise Refused(Problem("backup.place_unusable", {"folder": file.is_dir()}, file=str(file)),
                      outcome="outcome.nothing_written")
    summary = write(file)
    return Outcome([Note("backup.written", {"rows": summary.rows, "tables": summary.tables, "file": str(file)})],
                   value=summary)


def restore(file: Path, actor: Actor) -> Outcome:
    """Replace the whole content of the database with `file`, in one transaction; every cached report goes."""
    from ..store.backup import restore as read
    from .audit import ALL, writing

    require(can_import(actor), actor, "restore")
    summary: Any = read(file)
    with writing(actor, ALL):  # what was computed from the data before is no report of the data now
        pass
    return Outcome([Note("backup.restored", {"rows": summary.rows, "tables": summary.tables, "file": str(file)})],
                   value=summary)
