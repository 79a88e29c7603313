"""Reports computed from the store, kept while the data they were computed from stands.

As Fava keeps its computations on the ledger object and clears them where the data changes, the services keep
assembled reports here, each keyed by the store's generation tokens (store.generations) of the data it was
computed from, which every write replaces in its transaction (services.audit.writing). Several processes serve
the web (gunicorn workers): a process that has not seen a write still finds only entries of the data it reads,
and a text saved for one unit leaves the other units' reports where they are. `cache_clear` forgets everything
(the tests use it between tests, whose rolled-back writes leave the tokens as they were).
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
    data it reads (store.generations; default "figures" and "content"), and the day (a budget or forecast version
    dated today counts from today)."""
    from django.utils import timezone

    from ..store.generations import CONTENT, FIGURES, tokens, tokens_in

    wanted = kinds or (FIGURES, CONTENT)
    held = _TOKENS.get()
    return (timezone.localdate(), tokens(wanted) if held is None else tokens_in(wanted, held))


# The generation tokens as read once for a whole view (tokens_read_once), or None: read at each data_key.
_TOKENS: ContextVar[dict[str, int] | None] = ContextVar("katsaus_tokens", default=None)


@contextmanager
def tokens_read_once() -> Iterator[None]:
    """Inside, every data_key takes the generation tokens from one reading of them all (one query): a view that
    looks up the reports of a hundred units (the round page) reads them once instead of a few times per unit, and
    sees one state throughout. Not for a write (its own renewed tokens would not be seen)."""
    from ..store.generations import all_tokens

    if _TOKENS.get() is not None:
        yield
        return
    reading = _TOKENS.set(all_tokens())
    try:
        yield
    finally:
        _TOKENS.reset(reading)


class Shared:
    """Values derived from stored data, kept where every process of the application finds them (Django's cache:
    the web's gunicorn workers and the commands share it), under the generation tokens they were derived from: a
    worker that starts, or has not computed them yet, reads what another computed. A dict-like store for
    core.facts.remembered; keys are made stable across processes from their repr."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.local: dict[Hashable, object] = {}

    def _key(self, key: Hashable) -> str:
        import hashlib

        from django.db import connection

        database = connection.settings_dict.get("NAME", "")  # the tokens are a database's own
        return "katsaus:" + hashlib.sha256(f"{database}|{self.prefix}|{key!r}".encode()).hexdigest()

    def __contains__(self, key: Hashable) -> bool:
        if key in self.local:
            return True
        if _WRITING.get():
            return False
        from django.core.cache import cache

        found = cache.get(self._key(key), _MISSING)
        if found is _MISSING:
            return False
        self.local[key] = found
        return True

    def __getitem__(self, key: Hashable) -> object:
        if key not in self:
            raise KeyError(key)
        return self.local[key]

    def __setitem__(self, key: Hashable, value: object) -> None:
        self.local[key] = value
        if not _WRITING.get():
            from django.core.cache import cache

            cache.set(self._key(key), value)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for `key`, or `compute()`'s, kept for every process."""
        if key not in self:
            self[key] = compute()
        return self.local[key]  # type: ignore[return-value]  # what compute() gave for this key


_MISSING = object()


def shared(key: Hashable, compute: Callable[[], T]) -> T:
    """A value computed once for every process of the application, under a key that names the generation tokens
    of the data it comes from (services.reports: an assembled report)."""
    return Shared("shared").get(key, compute)


def shared_clear() -> None:
    """Forget what every process shares (the tests: a rolled-back write leaves its tokens as they were)."""
    from django.core.cache import cache

    cache.clear()
