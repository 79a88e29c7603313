"""Who is acting, for the history records django-simple-history writes on every save of an audited model.

The services name the acting person around their writes (services.audit.acting); this module only keeps that
name for the duration of the block and puts it into each record (the signal is connected in apps.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

SYSTEM = "system"
_actor: ContextVar[str] = ContextVar("katsaus_actor", default="")


@contextmanager
def acting_as(name: str) -> Iterator[str]:
    """Name `name` in every history record written inside the block."""
    token = _actor.set(name)
    try:
        yield name
    finally:
        _actor.reset(token)


def current_actor() -> str:
    return _actor.get() or SYSTEM


def record_actor(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """simple-history's pre_create_historical_record: the acting person goes into the record."""
    history_instance.actor = current_actor()


def connect() -> None:
    from simple_history.signals import pre_create_historical_record

    pre_create_historical_record.connect(record_actor, dispatch_uid="katsaus-audit-actor")
