"""Reports computed from the store, kept while the data they were computed from stands.

As Fava keeps its computations on the ledger object and clears them where the data changes, the services keep
assembled reports here and every write clears them (services.audit.writing). Several processes serve the web
(gunicorn workers), so clearing this process's copy is not enough: each entry is also keyed by the store's
generation tokens (store.generations), which every write replaces inside its transaction. A process that has not
seen a write still finds only entries of the data it reads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
# Inside a write's transaction nothing is read from or kept in a memo: the write's own uncommitted data is not the
# data of the tokens it would be kept under (audit.writing).
_WRITING: ContextVar[bool] = ContextVar("katsaus_writing", default=False)


@contextmanager
def uncached() -> Iterator[None]:
    token = _WRITING.set(True)
    try:
        yield
    finally:
        _WRITING.reset(token)


class Memo:
    """A bounded map from keys to computed values, least recently used first out; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if _WRITING.get():
            return compute()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]  # type: ignore[no-any-return]
            self.misses += 1
        value = compute()  # outside the lock: two threads may compute one key; the second keeps its own
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# every memo of the services, cleared together when this process writes
MEMOS: list[Memo] = []


def memo(size: int) -> Memo:
    made = Memo(size)
    MEMOS.append(made)
    return made


def cache_clear() -> None:
    for kept in MEMOS:
        kept.clear()


def data_key(*kinds: str) -> tuple[Any, ...]:
    """What a computation from the store depends on besides its arguments: the generation tokens of the kinds of
    data it reads (default every kind), and the day (a budget or forecast version dated today counts from today)."""
    from django.utils import timezone

    from ..store.generations import tokens

    found = tokens()
    return (timezone.localdate(), tuple(t for t in found if not kinds or t[0] in kinds))
