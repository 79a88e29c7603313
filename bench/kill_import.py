"""Fault bench: SIGKILL a katsaus write at random points and check the database is exactly as before or after.

    .venv/bin/python bench/kill_import.py [--rounds 10] [--rows 300000] [--ops ledger,plan,forecast,publish] [--seed 1]
    .venv/bin/python tests/katsaus_pg.py -- .venv/bin/python bench/kill_import.py   # on PostgreSQL

Sets up a database with the demo configuration and some data, and for each operation (a large ledger import,
a budget file import, a forecast figure written with `forecast set`, the publishing of the period's report) first
runs it to completion on a copy to
learn the state after it. Then, `--rounds` times per operation: the database is put back to the start state
(`katsaus restore`), the operation started in a child process and killed with SIGKILL after a random delay
between 0 and its full duration (start-up, reading, the transaction), and the database compared with the
states before and after. The state is every table's rows (`katsaus backup`), times masked; a state that is
neither is an inconsistency. The next command (the backup itself, then the same operation run to completion)
must work. A kill that came after the process had finished counts as not killed.

The last line is `killed=N consistent=N` (over all operations); per operation a line with the same counts and
how many kills left the state before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ledger_import import scratch_dir  # noqa: E402
from reliability_support import DEMO, child_env, command, fresh_database, katsaus, ledger_rows  # noqa: E402

ONCE = ("publish",)  # done already, a second run is refused (nothing to correct): the backup was the next command
RENDERED = ("sha256", "size", "content")  # a published file's bytes: a rerun renders other timestamps into them
STAMP = re.compile(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^"]*"')


@dataclass
class Tally:
    killed: int = 0
    consistent: int = 0
    as_before: int = 0
    as_after: int = 0
    finished: int = 0
    bad: list[str] = field(default_factory=list)


def snapshot_state(db: str, work: Path, ids: bool = True) -> list[str]:
    """Every table's rows in a stable order, with the times masked (a rerun stamps other times); ids=False also
    masks the ids and references (after a kill, PostgreSQL's sequences skip the numbers the killed
    transaction took, so a rerun stores the same rows under other ids)."""
    return masked_state(backup_rows(db, work), ids)


def snapshot_states(db: str, work: Path) -> tuple[list[str], list[str]]:
    """One backup read as snapshot_state's two states: with the ids and without them."""
    lines = backup_rows(db, work)
    return masked_state(lines, ids=True), masked_state(lines, ids=False)


def backup_rows(db: str, work: Path) -> list[str]:
    """The lines of a backup (`katsaus backup`, itself the next command after a kill) below its header."""
    path = work / "state.katsaus-backup"
    katsaus(db, "backup", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    path.unlink()
    return lines


def masked_state(lines: list[str], ids: bool) -> list[str]:
    masked: list[str] = []
    hidden: list[int] = []
    for line in lines:
        record = json.loads(line)
        if isinstance(record, dict):
            hidden = [i for i, name in enumerate(record["columns"]) if not ids and (name == "id" or name.endswith("_id"))]
            if "publishedfile" in str(record.get("table", "")):  # the documents carry the time they were made
                hidden += [i for i, name in enumerate(record["columns"]) if name in RENDERED]
        else:
            for index in hidden:
                record[index] = "#"
            line = json.dumps(record, ensure_ascii=False)
        masked.append(STAMP.sub('"T"', line))
    return sorted(masked) if not ids else masked


def difference(before: list[str], after: list[str], now: list[str]) -> str:
    """The first rows that are in the state found but in neither expected state, and the reverse."""
    extra = [line for line in now if line not in before and line not in after][:2]
    missing = [line for line in after if line not in now][:2]
    return f"found but not expected: {extra}; expected after but not found: {missing}"


def operations(work: Path, rows: int) -> dict[str, list[str]]:
    ledger = work / "iso-kirjanpito.csv"
    ledger.write_text(ledger_rows(rows, seed=5), encoding="utf-8")
    budget = work / "budget.csv"
    budget.write_text("yksikkö;rivi;summa\n" + "".join(
        f"{unit};{line};-{1000 + i}\n" for i, (unit, line) in enumerate(
            (u, line) for u in ("PESOVA-PK", "PESOVA-LS", "PESOVA-VP")
            for line in ("palkat_ja_palkkiot", "palvelujen_ostot", "maksutuotot"))), encoding="utf-8")
    return {
        "ledger": ["import", "ledger", str(ledger)],
        "plan": ["import", "budget", str(budget), "--version", "TA 2025"],
        "forecast": ["forecast", "set", "--version", "TPE 6/2025", "--period", "2025-06", "--unit", "PESOVA-PK",
                     "--line", "palkat_ja_palkkiot", "--value", "-2 500 000", "--reason", "uusi arvio"],
        # every document rendered, then stored with its SHA-256 in one transaction
        "publish": ["publish", "--period", "2025-06"],
    }


def start_state(db: str, work: Path) -> Path:
    """Configuration, an earlier ledger import, a budget and a forecast figure the operations replace."""
    katsaus(db, "config", "load", str(DEMO))
    first = work / "iso-kirjanpito.csv"
    first.write_text(ledger_rows(2000, seed=4), encoding="utf-8")
    katsaus(db, "import", "ledger", str(first))
    budget = work / "budget.csv"
    budget.write_text("yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-13000\n", encoding="utf-8")
    katsaus(db, "import", "budget", str(budget), "--version", "TA 2025")
    earlier = work / "budget-2024.csv"  # the report's previous-year budget column (publish)
    earlier.write_text("yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-12000\n", encoding="utf-8")
    katsaus(db, "import", "budget", str(earlier), "--version", "TA 2024")
    katsaus(db, "forecast", "set", "--version", "TPE 6/2025", "--period", "2025-06", "--unit", "PESOVA-PK",
            "--line", "palkat_ja_palkkiot", "--value", "-2 400 000", "--reason", "arvio")
    saved = work / "start.katsaus-backup"
    katsaus(db, "backup", str(saved))
    return saved


def kill_after(args: list[str], delay: float) -> bool:
    """Run, SIGKILL after `delay` seconds; True if the process was killed (not already finished)."""
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env())
    try:
        child.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        return True


def run_operation(name: str, op: list[str], db: str, start: Path, work: Path, rounds: int,
                  rng: random.Random) -> Tally:
    katsaus(db, "restore", str(start))
    before = snapshot_state(db, work)
    began = time.perf_counter()
    katsaus(db, *op)
    duration = time.perf_counter() - began
    after, after_seen = snapshot_states(db, work)
    assert after != before, f"{name}: the operation changed nothing"
    tally = Tally()
    for _ in range(rounds):
        katsaus(db, "restore", str(start))
        if not kill_after(command(db, *op), rng.uniform(0.0, duration)):
            tally.finished += 1
            continue
        tally.killed += 1
        now = snapshot_state(db, work)  # the next command works, or this raises
        if now == before:
            tally.as_before += 1
        elif now == after:
            tally.as_after += 1
        else:
            tally.bad.append(f"{name}: neither the state before nor after; {difference(before, after, now)}")
            continue
        # the operation itself works again; from the state before it gives the state after (ids aside:
        # PostgreSQL's sequences keep the numbers a killed transaction took)
        if now == after and name in ONCE:
            tally.consistent += 1
            continue
        katsaus(db, *op)
        if now == before and snapshot_state(db, work, ids=False) != after_seen:
            tally.bad.append(f"{name}: running it again after the kill did not give the state after")
            continue
        tally.consistent += 1
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="kills per operation")
    parser.add_argument("--rows", type=int, default=300_000, help="rows of the large ledger file")
    parser.add_argument("--ops", default="ledger,plan,forecast,publish", help="which operations, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with scratch_dir("katsaus-kill-", args.keep) as work:
        db = fresh_database(work, "kill")
        start = start_state(db, work)
        ops = operations(work, args.rows)
        total = Tally()
        for name in args.ops.split(","):
            tally = run_operation(name, ops[name], db, start, work, args.rounds, rng)
            print(f"{name}: killed={tally.killed} consistent={tally.consistent} as_before={tally.as_before} "
                  f"as_after={tally.as_after} finished_before_the_kill={tally.finished}", flush=True)
            for problem in tally.bad:
                print(f"INCONSISTENT {problem}", flush=True)
            total.killed += tally.killed
            total.consistent += tally.consistent
        target = "postgresql" if db.startswith("postgres") else "sqlite"
        print(f"database={target} rows={args.rows} seed={args.seed}")
        print(f"killed={total.killed} consistent={total.consistent}")
    if total.killed != total.consistent:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
