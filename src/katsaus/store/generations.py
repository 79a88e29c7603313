"""The tokens of what stored data a cached report was computed from (models.Generation).

Kinds: "figures" (configuration, ledger, plans, forecasts), "content" (what every report's content reads: content
files, settings) and "content:<unit>" (one unit's texts and entries: its narratives, goal actuals, key-result
values, balancing values, deviation explanations). A report of a unit depends on "figures", "content" and the
"content:<unit>" of every unit it shows, so a text saved for one unit leaves the other units' reports standing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping

FIGURES, CONTENT = "figures", "content"
ALL = "*"  # every kind at once (a restored database)


def unit_kind(unit_code: str) -> str:
    return f"{CONTENT}:{unit_code}"


def renew(kinds: Iterable[str]) -> None:
    """At the end of a write's transaction: give each kind of data it changed a new random token (committed with
    the write, so that no process serves what it computed from the data before). An UPDATE first takes the write
    lock without reading (a read first would make SQLite refuse the write of a transaction that began as a
    reader: 'database is locked'); a kind written for the first time gets its row."""
    from . import models  # (the kinds above are imported by modules that load before Django is set up)

    for kind in dict.fromkeys(kinds):
        if kind == ALL:  # every kind written so far, and the two every report reads even if never written
            models.Generation.objects.all().update(token=secrets.randbits(62))
            renew(base for base in (FIGURES, CONTENT) if not models.Generation.objects.filter(key=base).exists())
        elif not models.Generation.objects.filter(key=kind).update(token=secrets.randbits(62)):
            models.Generation.objects.create(key=kind, token=secrets.randbits(62))


def tokens(kinds: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """The current token of each kind (0 for one never written), in one query."""
    from . import models

    wanted = tuple(dict.fromkeys(kinds))
    return tokens_in(wanted, dict(models.Generation.objects.filter(key__in=wanted).values_list("key", "token")))


def tokens_in(kinds: Iterable[str], found: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    """The token of each kind (each once, in order) as `found` holds them: 0 for a kind never written."""
    return tuple((kind, found.get(kind, 0)) for kind in dict.fromkeys(kinds))


def all_tokens() -> dict[str, int]:
    """Every kind's current token (a kind never written is not there: its token is 0), in one query."""
    from . import models

    return dict(models.Generation.objects.values_list("key", "token"))
