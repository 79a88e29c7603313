"""One writer at a time per item, on SQLite and PostgreSQL alike: the check of the version an editor began
from and the write of the new one happen under the lock, so two saves can never both pass the check."""

from __future__ import annotations

import hashlib

from django.db import connection


def lock(key: str) -> None:
    """Inside a transaction: wait until no other transaction holds `key`, then hold it until commit.
    PostgreSQL: an advisory transaction lock on the key. SQLite: its single write lock, taken now rather than
    at the first write (a write statement that changes nothing still takes it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])
        else:
            cursor.execute("UPDATE katsaus_contentsetting SET key = key WHERE 0 = 1")
