"""The tokens of what stored data a cached report was computed from (models.Generation)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from . import models

KINDS = ("figures", "content")


def renew(kinds: Iterable[str] = KINDS) -> None:
    """At the end of a write's transaction: give each kind of data it changed a new random token (committed with
    the write, so that no process serves what it computed from the data before). The rows exist from the
    migration on; an UPDATE first takes the write lock without reading (a read first would make SQLite refuse the
    write of a transaction that began as a reader, 'database is locked')."""
    for kind in kinds:
        token = secrets.randbits(62)
        if not models.Generation.objects.filter(key=kind).update(token=token):
            models.Generation.objects.create(key=kind, token=token)  # a database restored from an older backup


def tokens() -> tuple[tuple[str, int], ...]:
    """The current token of every kind, in one query."""
    found = dict(models.Generation.objects.values_list("key", "token"))
    return tuple((kind, found.get(kind, 0)) for kind in KINDS)
