"""Golden test: `katsaus demo` reproduces every printed cell of the model report's income-statement tables.

The expected values are the reference transcription of the published report (reference/tables), not
anything the code produced. Only the kind of space character is normalised (the transcription uses plain
spaces where the report prints no-break spaces).
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from doc_tools import REFERENCE, demo_documents

ROOT = Path(__file__).parents[1]
SHIPPED = ROOT / "src" / "katsaus" / "demo" / "published" / "tuloslaskelma-1-6-2025.csv"

pytestmark = pytest.mark.slow


def spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> Path:
    return demo_documents(tmp_path_factory)  # `katsaus demo --out`, once for the whole run (tests/doc_tools.py)


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_the_shipped_published_figures_are_the_reference():
    assert SHIPPED.read_bytes() == (REFERENCE / "tables" / "tuloslaskelma.csv").read_bytes()


def test_income_statement_tables_match_the_model_report_cell_by_cell(demo_out):
    expected = read_rows(REFERENCE / "tables" / "tuloslaskelma.csv")
    got = read_rows(demo_out / "tables" / "tuloslaskelma.csv")
    assert got[0] == expected[0]
    assert len(got) == len(expected) == 52
    mismatches = [
        (i, expected[0][j], e, g)
        for i, (erow, grow) in enumerate(zip(expected, got))
        for j, (e, g) in enumerate(zip(erow, grow))
        if spaces(g) != spaces(e)
    ]
    assert mismatches == []
    assert all(len(g) == len(e) for g, e in zip(got, expected))


def test_numbers_use_no_break_spaces_and_hyphen_minus(demo_out):
    text = (demo_out / "tables" / "tuloslaskelma.csv").read_text(encoding="utf-8")
    assert "-170\u00a0285" in text and "49,6\u00a0%" in text
    assert "\u2212" not in text


def test_previous_year_sentence_of_the_model_report(demo_out):
    from katsaus.core.model import Cell, Conventions
    from katsaus.render.numbers import format_millions

    rows = {(r[0], r[1]): r for r in read_rows(demo_out / "tables" / "vertailu_edellinen_vuosi.csv")[1:]}
    header = read_rows(demo_out / "tables" / "vertailu_edellinen_vuosi.csv")[0]
    row = rows[("Perhe-, sosiaali- ja vammaispalveluiden toimiala", "Toimintakate")]
    pct = row[header.index("tot_edv_pct")]
    tot_edv_thousands = row[header.index("tot_edv")]
    # the sentence needs millions with one decimal: take the exact euros from the database export
    euros = exact_toimintakate_2024(demo_out)
    millions = format_millions(Cell("amount", cents=euros), Conventions())
    sentence = f"Edellisenä vuonna vastaavana aikana toteuma oli {millions} miljoonaa euroa ja toteumaprosentti {pct}"
    report_text = re.sub(r"\s+", " ", (REFERENCE / "osavuosikatsaus-1-6-2025.txt").read_text(encoding="utf-8"))
    assert spaces(sentence) in report_text
    assert spaces(tot_edv_thousands).startswith("-77 ")


def exact_toimintakate_2024(out: Path) -> int:
    """Toimintakate 1–6/2024 in cents, summed independently from the exported balances (accounts 30–49, external)."""
    env = {**os.environ, "KATSAUS_DB": str(out / "katsaus-demo.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-m", "katsaus", "export", "balances", "--year", "2024"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=True,
    )
    total = 0
    for row in csv.DictReader(result.stdout.splitlines()):
        if int(row["month"]) <= 6 and row["internal"] == "false" and "30" <= row["account"][:2] <= "49":
            total -= int(row["cents"])
    return total


def test_excel_workbook_holds_the_same_tables(demo_out):
    from openpyxl import load_workbook

    book = load_workbook(demo_out / "tables" / "taulukot.xlsx")
    assert "tuloslaskelma" in book.sheetnames
    values = [c for row in book["tuloslaskelma"].iter_rows(values_only=True) for c in row]
    for number in (16777, -170285, -76084, -153607, -76145, 2575):
        assert number in values


@pytest.mark.db
@pytest.mark.django_db(transaction=True)
def test_model_report_through_the_database_in_use(tmp_path):
    """The same golden comparison through the test database (SQLite, and PostgreSQL in `make test`)."""
    from rich.console import Console

    from katsaus.config import load_config_dir
    from katsaus.core.periods import Period
    from katsaus.core.statement import build_report
    from katsaus.demo.generate import generate
    from katsaus.demo.pipeline import DEMO_CONFIG, PUBLISHED, load_everything
    from katsaus.render import write_csv_tables
    from katsaus.store.repository import DbFacts

    generate(PUBLISHED, DEMO_CONFIG, tmp_path / "data")
    load_everything(DEMO_CONFIG, tmp_path / "data", Console(quiet=True))
    config = load_config_dir(DEMO_CONFIG)
    report = build_report(config.organisation, config.scheme(), config.template(), Period(2025, 6), "PESOVA", DbFacts())
    (path, *_) = write_csv_tables(report, tmp_path / "tables")
    got = [[spaces(c) for c in row] for row in read_rows(path)]
    assert got == read_rows(REFERENCE / "tables" / "tuloslaskelma.csv")


def test_the_forecast_round_starts_from_the_history(demo_out):
    """`katsaus demo` stores the suggestion at 2025-06 and writes its figures and the controllers' sheet. The
    series are rebuilt here from the ledger files with the generator test's own reader (csv + Decimal), not
    with Katsaus's intake or series code: every suggested figure is the forecast of those series with the pool
    of all of them, to the cent; where the pool took the profile alone, the figure is also to-date ÷ the
    median share of January–June in 2022–2024, worked out here without the forecasting code."""
    from fractions import Fraction
    from statistics import median

    from openpyxl import load_workbook
    from test_demo_generate import Config, read_ledger

    from katsaus.core.forecast import SeriesData, forecast, pooled_record

    config = Config.load()
    data = demo_out / "demo-data"
    months: dict[tuple[str, str, int, int], int] = {}
    for path in sorted(data.glob("kirjanpito-*.csv")):
        for e in read_ledger(path, config):
            if not e.internal:
                key = (e.unit, e.line, e.day.year, e.day.month)
                months[key] = months.get(key, 0) + e.cents
    series = {(unit, line) for unit, line, _, _ in months}
    years = {year for _, _, year, _ in months}
    assert years == set(range(2021, 2026))

    def year_of(unit: str, line: str, year: int, last: int = 12) -> tuple[int, ...] | None:
        if not any((unit, line, year, m) in months for m in range(1, 13)):
            return None
        return tuple(months.get((unit, line, year, m), 0) for m in range(1, last + 1))

    situations = {key: SeriesData(tuple(year_of(*key, y) for y in range(2021, 2025)), year_of(*key, 2025, 6) or (0,) * 6)
                  for key in series}
    pool = pooled_record([s.history for s in situations.values()], 6)

    def profile(unit: str, line: str) -> Fraction:
        to_date = sum(months.get((unit, line, 2025, m), 0) for m in range(1, 7))
        shares = [Fraction(sum(months.get((unit, line, y, m), 0) for m in range(1, 7)),
                           sum(months.get((unit, line, y, m), 0) for m in range(1, 13))) for y in (2022, 2023, 2024)]
        return to_date / median(shares)

    rows = list(csv.DictReader((demo_out / "ennusteehdotus-2025-06.csv").open(encoding="utf-8")))
    explained = stored_explanations(demo_out / "katsaus-demo.sqlite3", "TPE 6/2025 ehdotus")
    assert len(rows) == 5 * 17  # every result area × leaf line
    suggested = [r for r in rows if r["method"] == "suggested"]
    assert len(suggested) > 40
    for r in suggested:
        cents, low, high = (int(Decimal(r[column]) * 100) for column in ("amount_eur", "low_eur", "high_eur"))
        expected = forecast(situations[r["unit"], r["line"]], "suggested", pool)
        assert (cents, low, high) == (expected.cents, expected.low_cents, expected.high_cents), (r["unit"], r["line"])
        assert low <= cents <= high
        how = explained[r["unit"], r["line"]]  # how it was made, as stored (a suggestion has no reason of its own)
        if (how["kind"], how["method"]) == ("alone", "profile"):
            assert abs(cents - profile(r["unit"], r["line"])) <= 1, (r["unit"], r["line"])
    book = load_workbook(demo_out / "ennuste-2025-06.xlsx")
    assert {"ennuste", "tiedot"} <= set(book.sheetnames)
    # the pool of 59 series × 3 scored years is large enough for a calibrated range, and the sheet says so
    assert pool.scaled_count >= 30
    meta = dict(book["tiedot"].iter_rows(values_only=True))
    assert meta["ehdotuksen väli"].startswith("alaraja–yläraja on 80 %:n väli")


def stored_explanations(database: Path, version: str) -> dict[tuple[str, str], dict]:
    """How each figure of a suggested version was made, as `katsaus forecast suggest` stored it in the database
    (core.forecast.Explanation as JSON: kind "alone" with its method is the pool's one method taken alone)."""
    with closing(sqlite3.connect(database)) as connection:
        found = connection.execute(
            "SELECT a.unit_code, a.line_code, a.explanation FROM katsaus_planamount a "
            "JOIN katsaus_planversion v ON v.id = a.version_id WHERE v.name = ? AND a.superseded_by_id IS NULL",
            (version,)).fetchall()
    return {(unit, line): json.loads(explanation) for unit, line, explanation in found}
