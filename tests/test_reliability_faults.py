"""Faults: a katsaus write killed with SIGKILL at random points leaves the database exactly as before or as
after, and the next command works (bench/kill_import.py, run small here; RELIABILITY.md has the large run).
Runs on SQLite and, under `make test`, on PostgreSQL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.db

BENCH = Path(__file__).resolve().parents[1] / "bench" / "kill_import.py"


def test_killed_writes_leave_the_database_before_or_after() -> None:
    env = dict(os.environ)
    if not env.get("KATSAUS_DB", "").startswith("postgres"):
        env.pop("KATSAUS_DB", None)
    result = subprocess.run([sys.executable, str(BENCH), "--rounds", "2", "--rows", "20000", "--seed", "7"],
                            capture_output=True, text=True, env=env, timeout=900)
    assert "INCONSISTENT" not in result.stdout, result.stdout
    found = re.search(r"^killed=(\d+) consistent=(\d+)$", result.stdout, re.M)
    assert found, result.stdout + result.stderr
    killed, consistent = int(found[1]), int(found[2])
    assert killed >= 2 and consistent == killed, result.stdout
    assert result.returncode == 0
