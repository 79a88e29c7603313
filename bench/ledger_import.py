"""Benchmark: import a generated ledger through the CLI and compare with a bare DuckDB GROUP BY.

    .venv/bin/python bench/ledger_import.py [--rows 10000000] [--density 0.25] [--keep]

Generates N rows in the Finnish default format (pvm;kustannuspaikka;tili;summa;tosite;selite, ~200 cost
centres, ~150 accounts of which each cost centre books to a quarter (--density), every day of 2025, decimal
comma amounts) into a temp dir, loads the demo scheme and an
organisation with those cost centres into a fresh SQLite database, then runs `katsaus import ledger` in a child
process (so its wall time and peak RSS are the import's own) and a bare DuckDB
`read_csv … GROUP BY month, cost centre, account` over the same file in this process.
The last line is `ratio=R import_s=… baseline_s=… peak_mb=P` with R = import time / bare query time.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "configs" / "demo"
COST_CENTRES = 200
ACCOUNTS = 150
TEXTS = ["Ostolasku", "Palkat", "Myyntilasku asiakas", "Jaksotus", "Sisäinen veloitus", "Matkakulut", "Vuokra"]


def sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def accounts_of_scheme(count: int) -> list[str]:
    """Six-digit accounts spread over the demo scheme's leaf ranges, so every row maps to a line."""
    scheme = tomllib.loads((DEMO / "scheme.toml").read_text(encoding="utf-8"))
    ranges = [r for line in scheme["lines"] for r in line.get("accounts", [])]
    accounts: list[str] = []
    for i in range(count):
        lo, _, hi = ranges[i % len(ranges)].partition("-")
        prefix = str(int(lo) + (i // len(ranges)) % (int(hi or lo) - int(lo) + 1)).zfill(len(lo))
        accounts.append((prefix + str(1000 + 37 * i))[:6].ljust(6, "0"))
    return sorted(set(accounts))


def write_config(directory: Path) -> list[str]:
    """The demo scheme and template, and the demo organisation with COST_CENTRES generated cost centres."""
    directory.mkdir()
    for name in ("scheme.toml", "template.toml"):
        shutil.copy(DEMO / name, directory / name)
    organisation = (DEMO / "organisation.toml").read_text(encoding="utf-8")
    units = [u["code"] for u in tomllib.loads(organisation)["units"]]
    head = organisation.split("[[cost_centres]]")[0]
    codes = [str(600000 + 10 * i) for i in range(COST_CENTRES)]
    entries = []
    for i, code in enumerate(codes):
        validity = 'valid_from = 2024-01-01\nvalid_to = 2026-12-31\n' if i % 10 == 0 else ""
        entries.append(f'[[cost_centres]]\ncode = "{code}"\nname = "Kustannuspaikka {code}"\nunit = "{units[i % len(units)]}"\n{validity}')
    (directory / "organisation.toml").write_text(head + "\n".join(entries), encoding="utf-8")
    return codes


def generate(path: Path, rows: int, cost_centres: list[str], accounts: list[str], density: float) -> None:
    """Deterministic pseudo-random rows, written by DuckDB (a Python loop would take minutes at 10M).

    Each cost centre books to its own `density` share of the accounts, as real ledgers do: in the real
    Jyväskylä 2011 export 40 units × 215 accounts have 2 191 account rows, a density of about 25 %.
    """
    amount = "(hash(i * 4 + 2) % 2500000)::BIGINT - 500000"
    per_centre = max(1, round(density * len(accounts)))
    centre = f"CAST(hash(i * 4 + 1) % {len(cost_centres)} AS INTEGER)"
    account = f"(({centre}) * 37 + CAST(hash(i * 4 + 3) % {per_centre} AS INTEGER)) % {len(accounts)}"
    duckdb.sql(
        f"""COPY (
            SELECT strftime(DATE '2025-01-01' + CAST(hash(i * 4) % 365 AS INTEGER), '%-d.%-m.%Y') AS pvm,
                   {sql_list(cost_centres)}[1 + {centre}] AS kustannuspaikka,
                   {sql_list(accounts)}[1 + {account}] AS tili,
                   CASE WHEN c < 0 THEN '-' ELSE '' END || (abs(c) // 100)::VARCHAR || ','
                       || lpad((abs(c) % 100)::VARCHAR, 2, '0') AS summa,
                   (100000 + i)::VARCHAR AS tosite,
                   {sql_list(TEXTS)}[1 + CAST(i % {len(TEXTS)} AS INTEGER)] || ' ' || (i % 997)::VARCHAR AS selite
            FROM (SELECT i, {amount} AS c FROM range({rows}) t(i))
        ) TO '{path}' (FORMAT csv, DELIMITER ';', HEADER true)"""
    )


def katsaus(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "katsaus", "--db", str(db), *args]


def timed_child(command: list[str], echo: bool = True) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and standard output of one child process, from its own rusage. The output
    goes to temporary files, not pipes: a child that writes more than a pipe holds would wait forever."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=errors, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        errors.seek(0)
        said, complaint = out.read(), errors.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed ({os.waitstatus_to_exitcode(status)}):\n{said}\n{complaint}")
    if echo:
        print(said.strip())
    return seconds, usage.ru_maxrss / 1024, said


def exact_total(path: Path) -> int:
    """Total cents of the file, exact (the bare query sums DOUBLEs), for the correctness check only."""
    row = duckdb.connect().execute(
        f"""SELECT sum(CAST(replace(summa, ',', '.') AS DECIMAL(18,2))) * 100
            FROM read_csv('{path}', delim=';', header=true, all_varchar=true)"""
    ).fetchone()
    return int(row[0]) if row else 0


def baseline(path: Path) -> float:
    """The bare query: DuckDB's own CSV reader with types sniffed, GROUP BY month, cost centre, account."""
    con = duckdb.connect()
    started = time.perf_counter()
    rows = con.execute(
        f"""SELECT month(pvm) AS m, kustannuspaikka, tili, sum(summa) AS s
            FROM read_csv('{path}', delim=';', header=true, decimal_separator=',', dateformat='%d.%m.%Y')
            GROUP BY ALL"""
    ).fetchall()
    seconds = time.perf_counter() - started
    con.close()
    assert rows
    return seconds


def stored_total(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as con:
        table = next(
            name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'") if name.endswith("_balance")
        )
        count, total = con.execute(f"SELECT count(*), sum(cents) FROM {table}").fetchone()
    return int(count), int(total)


def phases(db: str, ledger: str) -> None:
    """Child mode: the CLI's steps one by one with their times (where an import's time goes)."""
    started = time.perf_counter()
    from katsaus.intake import default_mapping, read_ledger
    from katsaus.services.imports import intake_context
    from katsaus.store.setup import setup

    setup(db)
    from katsaus.store.repository import load_config, save_ledger  # needs Django set up

    context = intake_context(load_config())
    ready = time.perf_counter()
    result = read_ledger(ledger, default_mapping(), context)
    read = time.perf_counter()
    save_ledger(Path(ledger).name, result.checksum, result.rows, result.balances)
    saved = time.perf_counter()
    print(
        f"phases: startup+config {ready - started:.2f} s, read_ledger {read - ready:.2f} s, "
        f"save_ledger {saved - read:.2f} s ({len(result.balances)} balances, replacing the first import)"
    )


@contextmanager
def scratch_dir(prefix: str, keep: bool) -> Iterator[Path]:
    """A temporary folder for one bench run: removed afterwards, or kept (and named) with --keep."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield work
    finally:
        if keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows to generate (default 10 000 000, the size the goal is set at)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (file, config, database)")
    parser.add_argument("--density", type=float, default=0.25, help="share of the accounts each cost centre books to (1 = every account)")
    parser.add_argument("--phases", nargs=2, metavar=("DB", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phases:
        phases(*args.phases)
        return
    # katsaus's modules compiled as an installed package has them (`make bytecode`; where PYTHONDONTWRITEBYTECODE
    # is set, an editable install would otherwise compile them at every start of the child)
    compileall.compile_dir(ROOT / "src", quiet=1)
    with scratch_dir("katsaus-bench-", args.keep) as work:
        codes = write_config(work / "config")
        ledger = work / "kirjanpito.csv"
        started = time.perf_counter()
        generate(ledger, args.rows, codes, accounts_of_scheme(ACCOUNTS), args.density)
        size_mb = ledger.stat().st_size / 1e6
        print(f"generated {args.rows} rows, {size_mb:.0f} MB in {time.perf_counter() - started:.1f} s: {ledger}")
        db = work / "katsaus.sqlite3"
        subprocess.run(katsaus(db, "config", "load", str(work / "config")), check=True)
        configured = work / "configured.sqlite3"
        shutil.copy(db, configured)
        total = exact_total(ledger)
        # Both sides get the same treatment of this shared machine's noise: the faster of two runs, the import
        # each time into a fresh copy of the configured database (so neither run replaces an earlier import).
        base_first = baseline(ledger)
        first_s, first_mb, _ = timed_child(katsaus(db, "import", "ledger", str(ledger)))
        shutil.copy(configured, db)
        for stale in (Path(f"{db}-wal"), Path(f"{db}-shm")):
            stale.unlink(missing_ok=True)
        base_second = baseline(ledger)
        second_s, second_mb, _ = timed_child(katsaus(db, "import", "ledger", str(ledger)))
        base_s = min(base_first, base_second)
        import_s, peak_mb = min(first_s, second_s), max(first_mb, second_mb)
        print(f"import runs {first_s:.2f} s, {second_s:.2f} s; peak {first_mb:.0f} MB, {second_mb:.0f} MB")
        # where the time goes (not part of the ratio): the same steps again, timed one by one
        subprocess.run([sys.executable, __file__, "--phases", str(db), str(ledger)], check=True)
        count, stored = stored_total(db)
        check = "ok" if stored == total else f"MISMATCH stored {stored} != baseline {total}"
        print(f"stored {count} balances, total cents {stored}: {check}; baseline runs {base_first:.2f} s, {base_second:.2f} s")
        print(f"ratio={import_s / base_s:.2f} import_s={import_s:.2f} baseline_s={base_s:.2f} peak_mb={peak_mb:.0f}")


if __name__ == "__main__":
    main()
