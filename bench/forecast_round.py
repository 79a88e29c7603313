"""Benchmark: one forecast round (TPE) of a county-sized organisation, every step through the CLI.

    .venv/bin/python bench/forecast_round.py [--units 300] [--keep]

Generates an organisation of --units units (10 divisions under one top unit, one cost centre each), the demo
scheme and template, a ledger of monthly postings January 2022 – June 2025 on 11 accounts of 10 leaf lines
(seasonal: a June holiday bonus on salaries, growth 4 % a year, noise) and budgets 2024 and 2025 per unit × line.
Then, each step a `katsaus` child process with its wall time and peak RSS:

    import ledger, import budget ×2, forecast suggest, forecast sheet, (the sheet filled in: every row takes
    the suggestion, with a reason), forecast upload, report (CSV tables of the top unit).

The baseline is what the suggestion cannot avoid: reading the same monthly balances (four years) from the
same SQLite database with the bare sqlite3 driver, in this process. The last line is
`ratio_suggest=R suggest_s=… read_s=… series=… per_series_ms=… upload_s=… report_s=…` with
R = suggest time / bare read time; then `ratio_new_old=… ratio_model_old=…`: `forecast suggest` as the code
stands, with the global model (round 6) and as version 3.2 made it, each the faster of two runs in this run.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import duckdb
import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ledger_import import DEMO, katsaus, scratch_dir, timed_child  # noqa: E402  (the bench's sibling: one way to call and time the CLI)

DIVISIONS = 10
# account -> (revenue?, monthly level in euros): 10 leaf lines of the demo scheme (palvelujen_ostot has two)
ACCOUNTS = {
    "300000": (True, 40_000), "320000": (True, 25_000), "330000": (True, 8_000), "340000": (True, 3_000),
    "400000": (False, 120_000), "410000": (False, 30_000), "430000": (False, 90_000), "440000": (False, 20_000),
    "450000": (False, 15_000), "470000": (False, 10_000), "480000": (False, 12_000),
}
LINES = ("myyntituotot", "maksutuotot", "tuet_ja_avustukset", "muut_toimintatuotot", "palkat_ja_palkkiot",
         "henkilosivukulut", "palvelujen_ostot", "aineet_tarvikkeet_ja_tavarat", "avustukset", "muut_toimintakulut")


def write_config(directory: Path, units: int) -> list[str]:
    """The demo scheme and template; an organisation of `units` units in DIVISIONS divisions, one cost centre each."""
    directory.mkdir()
    for name in ("scheme.toml", "template.toml"):
        shutil.copy(DEMO / name, directory / name)
    parts = ['[organisation]\ncode = "BENCH"\nname_fi = "Penkkialue"\n',
             '[[units]]\ncode = "TOP"\nname_fi = "Koko alue"\n']
    parts += [f'[[units]]\ncode = "D{d}"\nparent = "TOP"\nname_fi = "Toimiala {d}"\n' for d in range(DIVISIONS)]
    codes = []
    for u in range(units):
        code = f"U{u:04d}"
        parts.append(f'[[units]]\ncode = "{code}"\nparent = "D{u % DIVISIONS}"\nname_fi = "Yksikkö {u}"\n')
        codes.append(code)
    parts += [f'[[cost_centres]]\ncode = "{700000 + i}"\nname = "Kustannuspaikka {i}"\nunit = "{code}"\n'
              for i, code in enumerate(codes)]
    (directory / "organisation.toml").write_text("\n".join(parts), encoding="utf-8")
    return codes


def generate_ledger(path: Path, units: int) -> int:
    """One posting per cost centre × account × month, 1/2022–6/2025, written by DuckDB; returns the rows."""
    accounts = list(ACCOUNTS)
    levels = ", ".join(str(level) for _, level in ACCOUNTS.values())
    revenue = ", ".join("true" if r else "false" for r, _ in ACCOUNTS.values())
    duckdb.sql(
        f"""COPY (
            WITH months AS (SELECT y, m FROM range(2022, 2026) a(y), range(1, 13) b(m) WHERE y < 2025 OR m <= 6),
            cells AS (SELECT c, a, y, m FROM range({units}) u(c), range({len(accounts)}) x(a), months)
            SELECT '15.' || m || '.' || y AS pvm, (700000 + c)::VARCHAR AS kustannuspaikka,
                   {accounts}[a + 1] AS tili,
                   replace(printf('%.2f', (CASE WHEN [{revenue}][a + 1] THEN -1 ELSE 1 END)
                       * [{levels}][a + 1] * (0.5 + (hash(c * 7 + a) % 1000) / 1000.0)
                       * pow(1.04, y - 2022)
                       * (CASE WHEN a = 4 AND m = 6 THEN 1.45 WHEN a = 4 AND m = 7 THEN 0.6 ELSE 1 END)
                       * (0.9 + (hash(c * 131 + a * 17 + y * 12 + m) % 200) / 1000.0)), '.', ',') AS summa,
                   'T' || (c * 1000 + a)::VARCHAR AS tosite, 'kuukausikirjaus' AS selite
            FROM cells
        ) TO '{path}' (FORMAT csv, DELIMITER ';', HEADER true)"""
    )
    return duckdb.connect().execute(f"SELECT count(*) FROM read_csv('{path}', delim=';', header=true)").fetchone()[0]


def write_budget(path: Path, units: int, year: int) -> None:
    rows = ["yksikkö;rivi;summa"]
    for u in range(units):
        for line in LINES:
            sign = 1 if line in LINES[:4] else -1
            rows.append(f"U{u:04d};{line};{sign * (500_000 + 1000 * u) * (1.04 ** (year - 2024)):.2f}".replace(".", ","))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def fill_sheet(path: Path) -> int:
    """Every row takes the suggestion, with a reason (what a controller's sheet looks like when accepted)."""
    book = openpyxl.load_workbook(path)
    sheet = book["ennuste"]
    header = [c.value for c in sheet[1]]
    choice, reason = header.index("valinta") + 1, header.index("perustelu") + 1
    rows = 0
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, header.index("ehdotus") + 1).value is None:
            sheet.cell(row, choice, "talousarvio")
        else:
            sheet.cell(row, choice, "ehdotus")
        sheet.cell(row, reason, "hyväksytty sellaisenaan")
        rows += 1
    book.save(path)
    return rows


def step(name: str, command: list[str], times: dict[str, float]) -> None:
    seconds, peak_mb, out = timed_child(command, echo=False)
    times[name] = seconds
    said = " ".join(out.split())  # the CLI wraps at the terminal's width: one line here
    print(f"{name:16s} {seconds:6.2f} s  peak {peak_mb:5.0f} MB  {said[-110:]}")


# the same CLI command with the suggestion made one way or the other (forecast_model.SUGGESTION), in a child process
SUGGEST_AS = ("import sys, katsaus.core.forecast_model as m; m.SUGGESTION = {!r}; "
              "from katsaus.cli import app; sys.argv = ['katsaus', *sys.argv[1:]]; app()")


def old_vs_new(db: Path, times: dict[str, float]) -> None:
    """`forecast suggest` as it is, as version 3.2 made it (before round 6) and with the global model, in turn
    twice each into scratch versions; the faster of each pair is kept (the machine is shared)."""
    args = ("--db", str(db), "forecast", "suggest", "--period", "2025-06", "--replace")
    as_made = lambda how: [sys.executable, "-c", SUGGEST_AS.format(how), *args, "--version", f"ehdotus-{how}"]  # noqa: E731
    for name, command in (("suggest (new)", [*katsaus(db, *args[2:]), "--version", "ehdotus-new"]),
                          ("suggest (3.2)", as_made("v3.2")), ("suggest (model)", as_made("model"))) * 2:
        seconds = dict(times)
        step(name, command, seconds)
        times[name] = min(times.get(name, float("inf")), seconds[name])


def bare_read(db: Path) -> float:
    """The balances the suggestion reads (four years), by the bare driver, grouped as the store groups them."""
    started = time.perf_counter()
    con = sqlite3.connect(db)
    rows = 0
    for year in (2022, 2023, 2024, 2025):
        rows += len(con.execute(
            "SELECT month, cost_centre, account, internal, SUM(cents) FROM katsaus_balance WHERE year = ? "
            "GROUP BY month, cost_centre, account, internal", (year,)).fetchall())
    con.close()
    assert rows
    return time.perf_counter() - started


def check_round_trip(db: Path) -> str:
    """The uploaded version holds exactly the suggestion's figures (every row took it), once: the second upload
    superseded the first."""
    con = sqlite3.connect(db)
    query = ("SELECT count(*), sum(a.cents) FROM katsaus_planamount a JOIN katsaus_planversion v ON a.version_id = v.id "
             "WHERE v.name = ? AND a.superseded_by_id IS {} NULL")
    suggested = con.execute(query.format(""), ("ehdotus",)).fetchone()
    taken = con.execute(query.format(""), ("TPE 6/2025",)).fetchone()
    replaced = con.execute(query.format("NOT"), ("TPE 6/2025",)).fetchone()
    con.close()
    ok = suggested == taken and replaced[0] == taken[0]
    return f"{'ok' if ok else 'MISMATCH'}: suggestion {suggested}, taken {taken}, replaced {replaced}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (files, config, database)")
    args = parser.parse_args()
    times: dict[str, float] = {}
    with scratch_dir("katsaus-round-", args.keep) as work:
        write_config(work / "config", args.units)
        ledger = work / "kirjanpito.csv"
        rows = generate_ledger(ledger, args.units)
        for year in (2024, 2025):
            write_budget(work / f"ta{year}.csv", args.units, year)
        print(f"{args.units} units, {rows} ledger rows, {args.units * len(LINES)} unit × line series")
        db = work / "katsaus.sqlite3"
        step("config load", katsaus(db, "config", "load", str(work / "config")), times)
        step("import ledger", katsaus(db, "import", "ledger", str(ledger)), times)
        for year in (2024, 2025):
            step(f"import TA {year}", katsaus(db, "import", "budget", str(work / f"ta{year}.csv"), "--version",
                                               f"TA {year}", "--effective-date", f"{year - 1}-12-10"), times)
        step("forecast suggest", katsaus(db, "forecast", "suggest", "--period", "2025-06", "--version", "ehdotus"), times)
        old_vs_new(db, times)
        sheet = work / "tpe.xlsx"
        step("forecast sheet", katsaus(db, "forecast", "sheet", "--period", "2025-06", "--suggestion", "ehdotus",
                                       "--out", str(sheet)), times)
        filled = fill_sheet(sheet)
        step("forecast upload", katsaus(db, "forecast", "upload", str(sheet), "--version", "TPE 6/2025",
                                        "--date", "2025-07-10"), times)
        step("upload again", katsaus(db, "forecast", "upload", str(sheet), "--version", "TPE 6/2025",
                                     "--date", "2025-07-10"), times)
        step("report", katsaus(db, "report", "--period", "2025-06", "--unit", "TOP", "--format", "csv",
                               "--out", str(work / "out")), times)
        read_s = min(bare_read(db), bare_read(db))
        series = args.units * len(LINES)
        print(f"sheet rows filled: {filled}; bare read of the balances {read_s:.2f} s")
        print(f"round trip (count, cents): {check_round_trip(db)}")
        print(f"ratio_suggest={times['forecast suggest'] / read_s:.1f} suggest_s={times['forecast suggest']:.2f} "
              f"read_s={read_s:.2f} series={series} per_series_ms={1000 * times['forecast suggest'] / series:.2f} "
              f"upload_s={times['forecast upload']:.2f} report_s={times['report']:.2f}")
        print(f"ratio_new_old={times['suggest (new)'] / times['suggest (3.2)']:.2f} "
              f"ratio_model_old={times['suggest (model)'] / times['suggest (3.2)']:.2f} "
              f"suggest_new_s={times['suggest (new)']:.2f} suggest_3.2_s={times['suggest (3.2)']:.2f} "
              f"suggest_model_s={times['suggest (model)']:.2f}")


if __name__ == "__main__":
    main()
