"""Test-only: widen the race window of katsaus writes, so the concurrency tests meet two writers in it.

Put this folder on PYTHONPATH of a katsaus child process (tests/test_reliability_concurrency.py does): when
katsaus.store.repository and katsaus.store.forecasts are imported, the steps that look at what is stored
(which imports a ledger file replaces, which forecast version a write goes to) and the step that supersedes
figures are wrapped to wait KATSAUS_TEST_WRITE_PAUSE seconds after they ran, inside the transaction. Without
one_writer_at_a_time the other writer would look at the same stored state meanwhile, and both would add or
both would supersede the same figure.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import os
import sys
import time

PAUSE = float(os.environ.get("KATSAUS_TEST_WRITE_PAUSE", "1.5"))
SLOWED = {
    "katsaus.store.repository": ("ledger_batches_replaced", "plan_batches_replaced"),
    "katsaus.store.forecasts": ("forecast_version", "supersede_figures"),
}


def _slowed(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    return wrapper


class _Loader(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader, names: tuple[str, ...]) -> None:
        self.inner, self.names = inner, names

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module) -> None:
        self.inner.exec_module(module)
        for name in self.names:
            setattr(module, name, _slowed(getattr(module, name)))


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname not in SLOWED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader, SLOWED[fullname])
        return spec


sys.meta_path.insert(0, _Finder())
