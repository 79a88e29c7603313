"""Concurrency: two katsaus processes writing at the same time (store/repository.one_writer_at_a_time). Two
imports of different files both count, once; two imports of the same file count it once; two writers of the
same forecast figure both stay in its history, one of them current; no deadlock, no traceback. Runs on SQLite
and, under `make test`, on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from reliability_support import (
    DEMO,
    balances_total,
    child_env,
    command,
    copy_database,
    fresh_database,
    katsaus,
    ledger_rows,
    ledger_total,
)
from run_once import once_per_run

pytestmark = pytest.mark.db


SLOW_WRITES = Path(__file__).parent / "slow_writes"


def at_once(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Start the commands together and wait for all; a deadlock would show as the timeout. The children pause
    inside their writes (slow_writes/sitecustomize.py), so that their transactions overlap."""
    env = child_env()
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SLOW_WRITES), env.get("PYTHONPATH", "")) if p)
    children = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for c in commands]
    results = []
    for child, args in zip(children, commands):
        out, err = child.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(args, child.returncode, out, err))
    return results


def plan_rows(db: str, tmp_path: Path) -> list[dict[str, object]]:
    """The stored plan figures, read from a backup (every write, current and replaced)."""
    path = tmp_path / "rows.katsaus-backup"
    katsaus(db, "backup", str(path))
    columns: list[str] = []
    rows: list[dict[str, object]] = []
    table = ""
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        record = json.loads(line)
        if isinstance(record, dict):
            table, columns = record["table"], record["columns"]
        elif table.endswith("_planamount"):
            rows.append(dict(zip(columns, record)))
    return rows


@pytest.fixture
def configured(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with the demo configuration loaded (by `katsaus config load` once per test run; a copy of it for
    each test)."""
    template, _ = once_per_run("reliability-configured", tmp_path_factory, configure)
    return copy_database(template, tmp_path, "two")


def configure(tmp_path: Path) -> str:
    db = fresh_database(tmp_path, "configured")
    katsaus(db, "config", "load", str(DEMO))
    return db


def test_two_imports_of_different_files_both_count_once(configured: str, tmp_path: Path) -> None:
    first, second = ledger_rows(30_000, seed=11, year=2025), ledger_rows(30_000, seed=12, year=2024)
    (tmp_path / "a.csv").write_text(first, encoding="utf-8")
    (tmp_path / "b.csv").write_text(second, encoding="utf-8")
    results = at_once(command(configured, "import", "ledger", str(tmp_path / "a.csv")),
                      command(configured, "import", "ledger", str(tmp_path / "b.csv")))
    for result in results:
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert balances_total(configured, 2025) == ledger_total(first)
    assert balances_total(configured, 2024) == ledger_total(second)
    log = katsaus(configured, "export", "imports").stdout
    assert log.count(",ledger,") == 2


def test_two_imports_of_the_same_file_count_it_once(configured: str, tmp_path: Path) -> None:
    text = ledger_rows(30_000, seed=13)
    (tmp_path / "sama.csv").write_text(text, encoding="utf-8")
    results = at_once(*[command(configured, "import", "ledger", str(tmp_path / "sama.csv"))] * 2)
    for result in results:
        assert "Traceback" not in result.stderr, result.stderr
    assert [r.returncode for r in results] == [0, 0]
    # the later one replaced the earlier, and says so
    assert sum("(korvasi saman tiedoston aiemman tuonnin)" in r.stdout for r in results) == 1, [r.stdout for r in results]
    assert balances_total(configured) == ledger_total(text)


def test_two_writers_of_the_same_forecast_figure_lose_no_update(configured: str, tmp_path: Path) -> None:
    def setting(value: str, reason: str) -> list[str]:
        return command(configured, "forecast", "set", "--version", "TPE 6/2025", "--period", "2025-06", "--unit",
                       "PESOVA-PK", "--line", "palkat_ja_palkkiot", "--value", value, "--reason", reason)

    katsaus(configured, *setting("-2 000 000", "alku")[5:])
    results = at_once(setting("-2 100 000", "Anna"), setting("-2 200 000", "Bertil"))
    for result in results:
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    rows = plan_rows(configured, tmp_path)
    assert sorted(r["cents"] for r in rows) == [-220_000_000, -210_000_000, -200_000_000]
    current = [r for r in rows if r["superseded_by_id"] is None]
    assert len(current) == 1 and current[0]["reason"] in ("Anna", "Bertil")
    # the one replaced by the other is in the history, replaced by the current write
    replaced = {r["reason"]: r["superseded_by_id"] for r in rows if r["superseded_by_id"] is not None}
    loser = "Bertil" if current[0]["reason"] == "Anna" else "Anna"
    assert replaced[loser] == current[0]["batch_id"]
