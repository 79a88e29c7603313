"""The real Jyväskylä 2011 file imports as it is, and its statement equals sums of the raw file.

The expected figures are computed here straight from the published CSV with the csv module and Decimal —
an independent computation, not the code under test.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from doc_tools import REFERENCE, jyvaskyla_example

ROOT = Path(__file__).parents[1]
SOURCE = REFERENCE / "public" / "jyvaskyla-2011-talousarvio-ja-toteuma-tileittain.csv"
UNIT, UNIT_NAME = "Rapo2011hierarkia Taso 03 - Avain - Category Code", "Rapo2011hierarkia Taso 03 - Avain - Pitkä nimi"
LINE, ACCOUNT = "Summataso3 - Pitkä nimi", "Tilinumero Taso 0 - Avain - Category Code"
REVENUES = ["Myyntituotot", "Maksutuotot", "Tuet ja avustukset", "Muut toimintatuotot"]
COSTS = ["Henkilöstökulut", "Palvelujen ostot", "Aineet, tarvikkeet ja tavarat", "Avustukset", "Muut toimintakulut"]

pytestmark = pytest.mark.slow


def euros(text: str) -> Decimal:
    return Decimal(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))


def expected_statement() -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """(unit name, line) -> (budget, actual) in statement signs, external items only, with derived lines."""
    sums: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row[ACCOUNT].removeprefix("TILI/").startswith("9"):
                continue  # internal items
            for unit in (row[UNIT_NAME], "Jyväskylän kaupunki"):
                pair = sums[(unit, row[LINE])]
                pair[0] -= euros(row["Budjetti eur"])  # ledger sign -> statement sign
                pair[1] -= euros(row["Toteuma eur"])
    units = {unit for unit, _ in sums}
    out: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    for unit in units:
        def total(lines: list[str], i: int, unit: str = unit) -> Decimal:
            return sum((sums[(unit, line)][i] for line in lines if (unit, line) in sums), Decimal(0))

        for line in REVENUES + COSTS + ["Valmistevarastojen muutos"]:
            out[(unit, line)] = (total([line], 0), total([line], 1))
        out[(unit, "Toimintatuotot")] = (total(REVENUES, 0), total(REVENUES, 1))
        out[(unit, "Toimintakulut")] = (total(COSTS, 0), total(COSTS, 1))
        everything = REVENUES + COSTS + ["Valmistevarastojen muutos"]
        out[(unit, "Toimintakate")] = (total(everything, 0), total(everything, 1))
    return out


@pytest.fixture(scope="module")
def statement(tmp_path_factory) -> list[dict[str, str]]:
    out = jyvaskyla_example(tmp_path_factory)  # run.sh on SOURCE, once for the whole run (tests/doc_tools.py)
    with (out / "tuloslaskelma.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_statement_equals_sums_of_the_raw_file(statement):
    expected = expected_statement()
    got = {(r["unit"], r["line"]): (Decimal(r["budget"]), Decimal(r["actual"])) for r in statement}
    assert set(got) == set(expected)
    assert {k: v for k, v in got.items() if expected[k] != v} == {}


def test_one_row_per_unit_and_line_including_toimintakate(statement):
    units = {r["unit"] for r in statement}
    assert len(units) == 12  # the city and its 11 Taso 03 units
    assert all(sum(1 for r in statement if r["unit"] == u and r["line"] == "Toimintakate") == 1 for u in units)


def test_city_toimintakate_is_negative_and_internal_items_left_out(statement):
    city = {r["line"]: r for r in statement if r["unit"] == "Jyväskylän kaupunki"}
    assert Decimal(city["Toimintakate"]["actual"]) < 0
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        with_internal = -sum(euros(r["Toteuma eur"]) for r in csv.DictReader(handle))
    assert Decimal(city["Toimintakate"]["actual"]) != with_internal
