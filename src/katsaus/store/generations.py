"""The tokens of what stored data a cached report was computed from (models.Generation)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from . import models

KINDS = ("figures", "content")


def renew(kinds: Iterable[str] = KINDS) -> None:
    """Inside a write's transaction, before its writes: give each kind of data it changes a new random token."""
    for kind in kinds:
        models.Generation.objects.update_or_create(key=kind, defaults={"token": secrets.randbits(62)})


def tokens() -> tuple[tuple[str, int], ...]:
    """The current token of every kind, in one query."""
    found = dict(models.Generation.objects.values_list("key", "token"))
    return tuple((kind, found.get(kind, 0)) for kind in KINDS)
