"""Generate the demo county's data from the model report's printed income-statement tables.

    python -m katsaus.demo.generate --reference reference/tables/tuloslaskelma.csv \\
        --config configs/demo --out demo-data [--seed 2025]

Writes ledger exports for 2021–2024 and January–June 2025, the budgets TA 2024, TA 2025 and MTA I 2025, the
forecast TPE 2025 and versions.toml, such that the report reproduces every printed cell of the reference and
the prior-year sentence. Deterministic: the same inputs and seed give byte-identical files. The method is
documented in docs/demo-data.md.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from datetime import date
from fractions import Fraction
from pathlib import Path

import numpy as np

from katsaus.core.rounding import round_to
from katsaus.demo.inputs import DemoConfig, load_demo_config
from katsaus.demo.ledger import LedgerRow, book_year
from katsaus.demo.plans import MARGIN_LINE, Amounts, Plans, PriorYearTarget, build_plans, earlier_years
from katsaus.demo.reference import RefCell, read_reference
from katsaus.demo.solve import Key, Solution, mismatches, solve
from katsaus.demo.writers import Version, write_ledger, write_plan, write_versions

YEAR = 2025  # the reference is the interim report 1–6/2025
MONTHS = 6
PREVIOUS = YEAR - 1
HISTORY = (2021, 2022, 2023)  # earlier years for the forecasts (docs/demo-data.md)


def versions() -> list[Version]:
    """The plan versions: the in-force rule picks MTA I for 1–6/2025 and TA 2024 for 1–6/2024."""
    return [
        Version(f"TA {PREVIOUS}", "budget", PREVIOUS, date(2023, 12, 13), f"talousarvio-TA-{PREVIOUS}.csv",
                decision_ref="Aluevaltuusto 13.12.2023 § 95"),
        Version(f"TA {YEAR}", "budget", YEAR, date(2024, 12, 11), f"talousarvio-TA-{YEAR}.csv",
                decision_ref="Aluevaltuusto 11.12.2024 § 112"),
        Version(f"MTA I {YEAR}", "budget", YEAR, date(2025, 6, 16), f"talousarvio-MTA-I-{YEAR}.csv",
                decision_ref="Aluevaltuusto 16.6.2025 § 48"),
        Version(f"TPE {YEAR}", "forecast", YEAR, date(2025, 7, 10), f"ennuste-TPE-{YEAR}.csv",
                author="Talousasiantuntija (demo)"),
    ]


def required_corrections(config: DemoConfig, cells: list[RefCell], solution: Solution) -> list[tuple[str, str]]:
    """(unit, line) pairs that need entries netting to 0: a printed, non-empty actual cell whose every
    contributing amount the solution left at exactly 0 would otherwise be empty."""
    needed: list[tuple[str, str]] = []
    for cell in cells:
        col = config.columns[cell.column]
        if col.kind != "actual" or cell.is_empty:
            continue
        keys = [(u, leaf) for u in config.leaf_units_under(cell.unit) for leaf in config.terms(cell.line)]
        if any(solution.cents[(u, leaf, cell.column)] for u, leaf in keys) or any(k in needed for k in keys):
            continue
        allowed = [k for k in keys if (k[0], k[1], cell.column) not in solution.empty]
        needed.append(allowed[0])
    return needed


def aggregate(config: DemoConfig, rows: list[LedgerRow], months: range) -> tuple[Amounts, set[tuple[str, str]]]:
    """Statement-sign sums per (unit, line) of the external rows in `months`, and which pairs had rows."""
    sums: Amounts = defaultdict(int)
    present: set[tuple[str, str]] = set()
    for row in rows:
        if row.day.month not in months or config.scheme.is_internal(row.account):
            continue
        unit = config.org.unit_of(row.cost_centre, row.day)
        if unit is None:
            raise AssertionError(f"cost centre {row.cost_centre} is not valid on {row.day}")
        line = config.scheme.line_of_account(row.account)
        if line is None:
            raise AssertionError(f"account {row.account} is on no line of the scheme")
        key = (unit, line)
        sums[key] += -row.cents
        present.add(key)
    return dict(sums), present


def self_check(config: DemoConfig, cells: list[RefCell], solution: Solution, plans: Plans,
               rows_current: list[LedgerRow], rows_previous: list[LedgerRow], target: PriorYearTarget) -> None:
    """Recompute the printed cells from the generated rows and plans; raise if anything differs."""
    actual, present = aggregate(config, rows_current, range(1, MONTHS + 1))
    cents: dict[Key, int] = {}
    empty: set[Key] = set()
    for unit, line, column in solution.cents:
        kind = config.columns[column].kind
        if kind == "actual":
            cents[(unit, line, column)] = actual.get((unit, line), 0)
            if (unit, line) not in present:
                empty.add((unit, line, column))
        else:
            plan = plans.budgets[f"MTA I {YEAR}"] if kind == "budget" else plans.forecasts[f"TPE {YEAR}"]
            cents[(unit, line, column)] = plan[(unit, line)]
    missed = mismatches(config, cells, cents, frozenset(empty))
    if missed:
        raise AssertionError("generated data does not reproduce the reference:\n" + "\n".join(missed))
    previous, _ = aggregate(config, rows_previous, range(1, MONTHS + 1))
    margin = sum(coef * previous.get((u, leaf), 0) for u in config.leaf_units_under(target.unit)
                 for leaf, coef in config.terms(MARGIN_LINE).items())
    budget = sum(coef * plans.budgets[f"TA {PREVIOUS}"][(u, leaf)] for u in config.leaf_units_under(target.unit)
                 for leaf, coef in config.terms(MARGIN_LINE).items())
    millions = Fraction(round_to(Fraction(margin, 100_000_000), 1, "half_up"))  # cents as millions, one decimal
    percent = Fraction(round_to(Fraction(margin * 100, budget), 1, "half_up"))
    if millions != Fraction(target.million_eur) or percent != Fraction(target.percent):
        raise AssertionError(f"prior year gives {float(millions)} M€ and {float(percent)} %, expected "
                             f"{target.million_eur} and {target.percent}")


def generate(reference_csv: Path, config_dir: Path, out_dir: Path, seed: int = 2025) -> list[Path]:
    """Write the demo data into `out_dir`; returns the files written."""
    config = load_demo_config(Path(config_dir))
    cells = read_reference(Path(reference_csv), config)
    solution = solve(config, cells)
    rng = np.random.default_rng(seed)
    target = PriorYearTarget()
    names = {"ta_prev": f"TA {PREVIOUS}", "ta": f"TA {YEAR}", "mta": f"MTA I {YEAR}", "tpe": f"TPE {YEAR}"}
    plans = build_plans(config, solution, target, MONTHS, names, rng)
    rows_previous = book_year(config, PREVIOUS, plans.actual_2024, [], rng)
    rows_current = book_year(config, YEAR, plans.actual_2025, required_corrections(config, cells, solution), rng)
    self_check(config, cells, solution, plans, rows_current, rows_previous, target)
    # a stream of its own, drawn last, so the history leaves 2024 and 2025 byte for byte as they were
    history_rng = np.random.default_rng([seed, 1])
    history = earlier_years(plans.actual_2024, HISTORY, history_rng)
    rows_history = {year: book_year(config, year, months, [], history_rng) for year, months in history.items()}
    return _write(config, Path(out_dir), plans, rows_previous, rows_current, rows_history)


def _write(config: DemoConfig, out: Path, plans: Plans, rows_previous: list[LedgerRow],
           rows_current: list[LedgerRow], rows_history: dict[int, list[LedgerRow]]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    units, lines = config.leaf_units, config.leaf_lines
    written = [write_ledger(out / f"kirjanpito-{year}.csv", rows) for year, rows in sorted(rows_history.items())]
    written += [
        write_ledger(out / f"kirjanpito-{PREVIOUS}.csv", rows_previous),
        write_ledger(out / f"kirjanpito-{YEAR}-01-{MONTHS:02d}.csv", rows_current),
    ]
    for version in versions():
        amounts = (plans.budgets if version.kind == "budget" else plans.forecasts)[version.name]
        written.append(write_plan(out / version.file, amounts, units, lines))
    written.append(write_versions(out / "versions.toml", versions()))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m katsaus.demo.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--reference", type=Path, required=True, help="tables/tuloslaskelma.csv of the model report")
    parser.add_argument("--config", type=Path, required=True, help="folder with organisation/scheme/template.toml")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the data files into")
    parser.add_argument("--seed", type=int, default=2025, help="random seed of the texture (default 2025)")
    args = parser.parse_args(argv)
    for path in generate(args.reference, args.config, args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
