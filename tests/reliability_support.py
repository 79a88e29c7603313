"""Helpers of the reliability tests and the kill bench: katsaus in a child process, on a database of its own.

A child process is what the tests need: a second writer, a process killed with SIGKILL, and a restore into
another database cannot happen inside the pytest process (Django serves one database per process).
Under `make test`'s PostgreSQL run KATSAUS_DB is the throwaway server's URL; each fresh database is then a new
database on that server, otherwise a new SQLite file.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from katsaus.core.errors import Money, Percent, Problem, Term
from katsaus.intake.context import IntakeContext, parse_ranges
from katsaus.render import messages

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "configs" / "demo"
LEDGER_HEADER = "pvm;kustannuspaikka;tili;summa;tosite;selite\n"
CENTRES = ["510000", "521000", "531000", "541000", "551000"]
ACCOUNTS = ["300000", "320000", "400000", "401000", "430000", "950000"]
# the intake context of the bad-input corpus and the parsers' fuzz tests: two cost centres (one with a validity)
CTX = IntakeContext(
    cost_centres={"511000": ((None, None),), "511010": ((date(2024, 1, 1), date(2025, 6, 30)),)},
    unit_codes=frozenset({"PESOVA"}),
    line_codes={"myyntituotot": "Myyntituotot"},
    leaf_account_ranges=parse_ranges(["30-34", "40-41", "43-49", "90-97"]),
    internal_ranges=parse_ranges(["90-99"]),
)


def server_url() -> str | None:
    target = os.environ.get("KATSAUS_DB", "")
    return target if target.startswith("postgres") else None


def fresh_database(tmp_path: Path, name: str = "") -> str:
    """A new empty database: an SQLite path in tmp_path, or a new database on the PostgreSQL test server."""
    url = server_url()
    if url is None:
        return str(tmp_path / f"{name or uuid.uuid4().hex[:8]}.sqlite3")
    import psycopg

    database = f"rel_{name}_{uuid.uuid4().hex[:8]}".lower()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{database}"')
    base, _, _ = url.rpartition("/")
    return f"{base}/{database}"


def copy_database(source: str, tmp_path: Path, name: str = "") -> str:
    """A new database holding what `source` holds (built once, copied for each test that writes to it): the SQLite
    file copied with SQLite's backup API, or a new database on the PostgreSQL test server made from `source` as
    its template (nobody may be connected to `source`; the katsaus children that filled it have ended)."""
    url = server_url()
    if url is None:
        import sqlite3

        target = tmp_path / f"{name or uuid.uuid4().hex[:8]}.sqlite3"
        with contextlib.closing(sqlite3.connect(source)) as original, \
                contextlib.closing(sqlite3.connect(target)) as copy:
            original.backup(copy)
        return str(target)
    import psycopg

    database = f"rel_{name}_{uuid.uuid4().hex[:8]}".lower()
    template = source.rpartition("/")[2]
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    base, _, _ = url.rpartition("/")
    return f"{base}/{database}"


def child_env() -> dict[str, str]:
    """The environment of a katsaus child: the database comes from --db, the user is always the same."""
    env = {k: v for k, v in os.environ.items() if k not in ("KATSAUS_DB", "DJANGO_SETTINGS_MODULE")}
    env["KATSAUS_USER"] = "testaaja"
    return env


def command(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "katsaus", "--db", db, *args]


def katsaus(db: str, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command(db, *args), capture_output=True, text=True, env=child_env(), timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"katsaus {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def ledger_rows(count: int, seed: int = 0, year: int = 2025) -> str:
    """`count` ledger rows spread over the demo's cost centres, accounts and months; exact cents."""
    lines = [LEDGER_HEADER]
    for i in range(count):
        k = i * 7919 + seed * 104729
        cents = (k % 2_000_000) - 600_000
        sign = "-" if cents < 0 else ""
        lines.append(f"{1 + k % 28}.{1 + (k // 7) % 12}.{year};{CENTRES[k % len(CENTRES)]};"
                     f"{ACCOUNTS[(k // 3) % len(ACCOUNTS)]};{sign}{abs(cents) // 100},{abs(cents) % 100:02d};T{i};x\n")
    return "".join(lines)


def ledger_total(text: str) -> int:
    """The file's total in cents, computed here from the text (not by katsaus)."""
    total = 0
    for line in text.splitlines()[1:]:
        amount = line.split(";")[3]
        sign = -1 if amount.startswith("-") else 1
        euros, cents = amount.lstrip("-").split(",")
        total += sign * (int(euros) * 100 + int(cents))
    return total


def state(db: str, year: int = 2025) -> tuple[str, str]:
    """What a user sees of the database: the balances and the import log (without times)."""
    balances = katsaus(db, "export", "balances", "--year", str(year)).stdout
    imports = katsaus(db, "export", "imports").stdout.splitlines()
    # imported_at differs between two runs of the same steps; the rest of the log must not
    log = "\n".join(",".join(line.split(",")[1:]) for line in imports)
    return balances, log


def balances_total(db: str, year: int = 2025) -> int:
    lines = katsaus(db, "export", "balances", "--year", str(year)).stdout.splitlines()[1:]
    return sum(int(line.rsplit(",", 1)[1]) for line in lines)


def assert_readable(problem: Problem) -> None:
    """A problem a person can read: its code has Finnish and Swedish text, every parameter the texts name is given,
    and it is shown in both languages (under the tests a code without text raises)."""
    entry = messages.catalogue()[problem.code]
    for part in ("fi", "sv", "expected_fi", "expected_sv"):
        if part in entry:
            missing = messages.placeholders(entry[part]) - set(problem.params)
            assert not missing, f"{problem}: {part} names {sorted(missing)}, not given"
    for name, value in problem.params.items():
        assert plain_data(value), f"{problem}: parameter {name} is not data: {value!r}"
    for language in messages.LANGUAGES:
        assert messages.problem_line(problem, language)


def plain_data(value: object) -> bool:
    """A parameter value as katsaus.core.errors.Param allows it: data the reader's form is made of."""
    if isinstance(value, tuple):
        return all(plain_data(item) for item in value)
    return value is None or isinstance(value, str | int | Decimal | Fraction | date | Money | Percent | Term)
