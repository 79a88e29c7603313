"""Something expensive built once for a whole test run, also when pytest-xdist runs it in several processes.

The first process to ask builds it, under a file lock in the run's temporary directory (the directory the xdist
workers' own temporary directories are in); the others wait for the lock and read the result it left (pickled).
Should the build fail, nothing is left, and the next process to ask builds it again -- and fails the same way in
its own tests. Without xdist it is simply built once in the run's temporary directory.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")

_here: dict[str, Any] = {}


def run_root(factory: pytest.TempPathFactory) -> Path:
    """The temporary directory of the whole run: under xdist, the one its workers' directories are in."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(name: str, factory: pytest.TempPathFactory, build: Callable[[Path], T]) -> tuple[T, bool]:
    """build(folder) once per run; returns (its result, whether this call built it)."""
    if name in _here:
        return _here[name], False
    root = run_root(factory)
    folder, kept = root / name, root / f"{name}.pickle"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if kept.exists():
            _here[name] = pickle.loads(kept.read_bytes())
            return _here[name], False
        shutil.rmtree(folder, ignore_errors=True)  # a failed build's leftovers
        folder.mkdir()
        result = build(folder)
        written = kept.with_suffix(".partial")
        written.write_bytes(pickle.dumps(result))
        written.rename(kept)
    _here[name] = result
    return result, True
