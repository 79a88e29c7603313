"""The controllers' sheet without a database: written, filled in like Excel would, read back and checked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from reliability_support import assert_readable

from katsaus.core.forecast import Explanation, ForecastFigure
from katsaus.forecast.sheet import SheetMeta, SheetRow, read_meta, read_upload, write_sheet
from katsaus.render.messages import problem_line, shown

UNITS = frozenset({"A", "B"})
LINES = frozenset({"kulut", "tuotot"})
HOW = Explanation("combination", shares=(("profile", 61), ("level", 39), ("rest", 0)), own_years=3)
SUGGESTED = {("A", "kulut"): ForecastFigure("A", "kulut", -1_234_567_89, "suggested", "", -1_300_000_00, -1_200_000_00,
                                            explanation=HOW),
             ("A", "tuotot"): ForecastFigure("A", "tuotot", 50_00, "run_rate")}
BUDGETS = {("A", "kulut"): -1_200_000_00, ("B", "kulut"): -10_00}
ROWS = [
    SheetRow("A", "Alue A", "kulut", "Kulut", -1_200_000_00, -600_000_01, SUGGESTED["A", "kulut"], -1_250_000_00),
    SheetRow("A", "Alue A", "tuotot", "Tuotot", None, 25_00, SUGGESTED["A", "tuotot"], None),
    SheetRow("B", "Alue B", "kulut", "Kulut", -10_00, None, None, None),
]
CHOICE, VALUE, REASON = "L", "M", "N"


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return write_sheet(tmp_path / "tpe.xlsx", ROWS, SheetMeta("2025-06", "TPE ehdotus", "TA 2025", None), "1-6/2025")


def fill(path: Path, cells: dict[str, object]) -> Path:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book["ennuste"][ref] = value
    book.save(path)
    return path


def read(path: Path):
    return read_upload(path, UNITS, LINES, SUGGESTED, BUDGETS, "controller")


GOOD = {"L2": "ehdotus", "N2": "ennuste hyväksytty", "L3": "oma", "M3": "-1 000,50", "N3": "tiedossa oleva tulo",
        "L4": "talousarvio", "N4": "pidetään talousarvio"}


def test_the_sheet_shows_what_the_controller_decides_from(sheet):
    book = openpyxl.load_workbook(sheet)
    rows = list(book["ennuste"].iter_rows(values_only=True))
    assert rows[0][:7] == ("yksikkö", "yksikön nimi", "rivi", "rivin nimi", "talousarvio", "toteuma 1-6/2025", "ehdotus")
    how = ("ehdotus, menetelmien yhdistelmä: aiempien vuosien kausiprofiili 61\u00a0%, tasoitettu kuukausitaso 39\u00a0%; "
           "painot sen mukaan, miten menetelmät osuivat aiempina vuosina (tämä sarja 3 v. ja kaikki sarjat)")
    assert rows[1][:11] == ("A", "Alue A", "kulut", "Kulut", -1200000, -600000.01, -1234567.89, how,
                            -1300000, -1200000, -1250000)
    assert rows[2][7] == "toteumatahti"  # a single method by its Finnish name
    assert read_meta(sheet) == (SheetMeta("2025-06", "TPE ehdotus", "TA 2025", None), [])


def test_a_filled_sheet_gives_figures_with_method_reason_and_author(sheet):
    upload = read(fill(sheet, GOOD))
    assert upload.problems == []
    assert upload.figures == [
        ForecastFigure("A", "kulut", -1_234_567_89, "suggested", "ennuste hyväksytty", -1_300_000_00, -1_200_000_00,
                       "controller", HOW),  # a taken suggestion keeps how it was made
        ForecastFigure("A", "tuotot", -1_000_50, "manual", "tiedossa oleva tulo", None, None, "controller"),
        ForecastFigure("B", "kulut", -10_00, "budget", "pidetään talousarvio", None, None, "controller"),
    ]


def test_an_own_value_typed_as_an_excel_number_is_exact_to_the_cent(sheet):
    upload = read(fill(sheet, {**GOOD, "M3": -1234567.89}))
    assert upload.figures[1].cents == -1_234_567_89


@pytest.mark.parametrize(
    "cells, row, column, code, params, found",
    [
        ({"N2": None}, 2, "perustelu", "forecast.reason_missing", {}, None),
        ({"M3": "paljon"}, 3, "ennuste", "value.amount_invalid", {"example": "-1 234 567,89"}, "paljon"),
        ({"M3": None}, 3, "ennuste", "forecast.value_missing", {"example": "-1 234 567,89"}, None),
        ({"L2": "ehkä"}, 2, "valinta", "forecast.choice_unknown", {"choices": ("ehdotus", "talousarvio", "oma")},
         "ehkä"),
        ({"L2": None}, 2, "valinta", "forecast.choice_missing", {}, None),
        ({"M2": "5"}, 2, "ennuste", "forecast.value_with_choice", {"choice": "ehdotus"}, "5"),
        ({"N2": " \u200b- "}, 2, "perustelu", "forecast.reason_missing", {}, "\u200b-"),  # says nothing
        ({"L4": "ehdotus"}, 4, "valinta", "forecast.no_suggestion", {}, "ehdotus"),
        ({"L3": "talousarvio", "M3": None}, 3, "valinta", "forecast.no_budget", {}, "talousarvio"),
        ({"A4": "C"}, 4, "yksikkö", "forecast.unit_unknown", {}, "C"),
        ({"C4": "poistot"}, 4, "rivi", "forecast.line_unknown", {}, "poistot"),
        ({"N2": "x" * 1001}, 2, "perustelu", "forecast.reason_too_long", {"length": 1001, "limit": 1000},
         "x" * 40 + "…"),
        ({"A4": "A", "C4": "tuotot"}, 4, "rivi", "forecast.target_repeated", {"first_row": 3}, "A / tuotot"),
    ],
)
def test_every_bad_row_is_located_and_nothing_is_returned(sheet, cells, row, column, code, params, found):
    upload = read(fill(sheet, {**GOOD, **cells}))
    assert upload.figures == []
    assert len(upload.problems) == 1, upload.problems
    (problem,) = upload.problems
    assert (problem.file, problem.sheet, problem.row, problem.column) == (str(sheet), "ennuste", row, column)
    assert problem.code == code and problem.found == found
    assert all(problem.params.get(name) == value for name, value in params.items()), problem
    assert_readable(problem)
    assert shown(problem, "fi").expected and shown(problem, "sv").expected  # what would be right, in words


def test_a_missing_reason_reads_in_finnish(sheet):
    (problem,) = read(fill(sheet, {**GOOD, "N2": None})).problems
    assert problem_line(problem, "fi") == (
        f"{sheet}, taulukko 'ennuste', rivi 2, sarake 'perustelu': perustelu puuttuu; jokainen ennusteluku tarvitsee "
        "perustelun; odotettiin perustelu, esimerkiksi 'palkankorotukset'")


def test_all_problems_are_reported_at_once(sheet):
    upload = read(fill(sheet, {"L2": "ehdotus", "M3": "x"}))
    # row 2: reason; row 3: no choice (its value is not checked against a choice that is not there), reason;
    # row 4: no choice, reason
    assert upload.figures == [] and [p.row for p in upload.problems] == [2, 3, 3, 4, 4]


def test_problems_beyond_the_limit_are_counted_not_listed(sheet):
    upload = read_upload(fill(sheet, {"L2": "ehdotus", "M3": "x"}), UNITS, LINES, SUGGESTED, BUDGETS, "controller",
                         max_problems=4)
    # five problems: four listed, one counted, none of them a made-up "problem" that only says how many are left
    assert [p.row for p in upload.problems] == [2, 3, 3, 4] and upload.omitted == 1 and upload.figures == []


def test_a_sheet_without_the_decision_columns_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "ennuste"
    book.active.append(["yksikkö", "rivi", "summa"])
    book.active.append(["A", "kulut", "1"])
    book.save(tmp_path / "other.xlsx")
    upload = read(tmp_path / "other.xlsx")
    assert {p.column for p in upload.problems} == {"valinta", "ennuste", "perustelu"}
    assert {p.code for p in upload.problems} == {"forecast.column_missing"}
    meta, problems = read_meta(tmp_path / "other.xlsx")
    assert meta is None and problems[0].code == "xlsx.sheet_missing" and problems[0].params["sheet"] == "tiedot"


def meta_rows(path: Path) -> dict[str, str]:
    return {key: value for key, value in openpyxl.load_workbook(path)["tiedot"].iter_rows(values_only=True)}


def test_the_sheet_says_what_its_ranges_mean(sheet, tmp_path):
    """A range calibrated on the pool is an 80 % range; one from the series' own surprises is not a
    statistical interval, and the sheet says which the controller is looking at."""
    assert meta_rows(sheet)["ehdotuksen väli"].startswith("alaraja–yläraja on sarjan omien aiempien vuosien")
    calibrated = ForecastFigure("A", "kulut", -1_234_567_89, "suggested", "", -1_300_000_00, -1_200_000_00,
                                explanation=Explanation("combination", shares=HOW.shares, own_years=3, range_percent=80))
    path = write_sheet(tmp_path / "tpe80.xlsx", [dataclasses.replace(ROWS[0], suggestion=calibrated), *ROWS[1:]],
                       SheetMeta("2025-06", "TPE ehdotus", "TA 2025", None), "1-6/2025")
    assert meta_rows(path)["ehdotuksen väli"].startswith("alaraja–yläraja on 80 %:n väli")
    assert read_meta(path) == (SheetMeta("2025-06", "TPE ehdotus", "TA 2025", None), [])
