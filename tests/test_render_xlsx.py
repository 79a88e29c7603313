"""The XLSX renderer, reopened with openpyxl: sheets, frozen panes, numbers as numbers, formats, info sheet."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from model_fixtures import COLUMNS, a, r
from openpyxl.worksheet.worksheet import Worksheet

from katsaus.core.model import Conventions, Report, Row, Table, VersionInfo
from katsaus.core.periods import Period
from katsaus.render.xlsx_tables import sheet_names, write_xlsx

VERSIONS = (
    VersionInfo("MTA I 2025", "budget", 2025, "2025-05-26", "AV 26.5.2025 § 45", "Talousyksikkö"),
    VersionInfo("TPE 6/2025", "forecast", 2025, "2025-07-15", None, "Toimialan johto"),
)


DIVISION = Table(
    key="tuloslaskelma_toimiala",
    output="tuloslaskelma",
    title="Tuloslaskelma (1000 €)",
    unit_code="PESOVA",
    unit_name="Perhe-, sosiaali- ja vammaispalveluiden toimiala",
    columns=COLUMNS,
    rows=(
        Row("toimintatuotot", "Toimintatuotot", 0, (a(1_677_700_000), a(587_500_000), r(Fraction(5875, 16777)))),
        Row("toimintakulut", "Toimintakulut", 0, (a(-17_028_500_000), a(-8_195_900_000), r(Fraction(81959, 170285)))),
        Row("korkotuotot", "Korkotuotot", 1, (a(0), a(None), r(None))),
    ),
    footnotes=("*) Tuloslaskelma ei sisällä sisäisiä eriä.",),
)
AREA = Table(
    key="tuloslaskelma_tulosalue",
    output="tuloslaskelma",
    title="Tuloslaskelma (1000 €)",
    unit_code="PESOVA-PK",
    unit_name="Perhekeskuspalvelut",
    columns=COLUMNS,
    rows=(Row("toimintatuotot", "Toimintatuotot", 0, (a(88_600_000), a(34_800_000), r(Fraction(348, 886)))),),
)
GOALS = Table(
    key="tavoitteet",
    output="tasapainottamistoimenpiteet: [2025]",
    title="Tasapainottamistoimenpiteet",
    unit_code="PESOVA",
    unit_name="Toimiala",
    columns=COLUMNS[1:],
    rows=(Row("t1", "Ostopalvelujen vähentäminen", 0, (a(13_000_000), r(Fraction(13, 100)))),),
)


DEFAULT = Conventions()


def make_report(conv: Conventions = DEFAULT) -> Report:
    return Report(
        organisation="Oma Häme",
        unit_code="PESOVA",
        unit_name="Perhe-, sosiaali- ja vammaispalveluiden toimiala",
        period=Period(2025, 6),
        template_code="osavuosikatsaus",
        conventions=conv,
        tables=(DIVISION, AREA, GOALS),
        versions=VERSIONS,
    )


@pytest.fixture
def book(tmp_path: Path) -> openpyxl.Workbook:
    path = write_xlsx(make_report(), tmp_path / "katsaus.xlsx")
    return openpyxl.load_workbook(path)


def find_row(sheet: Worksheet, label: str, start: int = 1) -> int:
    for row in range(start, sheet.max_row + 1):
        if sheet.cell(row, 1).value == label:
            return row
    raise AssertionError(f"no row {label!r}")


def test_sheets_in_order_with_sanitised_names(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Tietoja", "tuloslaskelma", "tasapainottamistoimenpiteet_ _2"]


def test_frozen_header_on_each_table_sheet(book: openpyxl.Workbook) -> None:
    for name in book.sheetnames[1:]:
        assert book[name].freeze_panes == "B3"


def test_title_header_and_labels(book: openpyxl.Workbook) -> None:
    sheet = book["tuloslaskelma"]
    assert sheet["A1"].value == "Tuloslaskelma (1000 €) – Perhe-, sosiaali- ja vammaispalveluiden toimiala"
    assert [sheet.cell(2, c).value for c in range(2, 5)] == ["MTA I 2025", "TOT 1-6/2025", "TOT-%"]
    assert sheet["A3"].value == "Toimintatuotot"
    korko = find_row(sheet, "Korkotuotot")
    assert sheet.cell(korko, 1).alignment.indent == 1
    assert sheet["A3"].alignment.indent == 0
    assert sheet.column_dimensions["A"].width >= 30


def test_amounts_are_rounded_integers_with_a_grouped_format(book: openpyxl.Workbook) -> None:
    sheet = book["tuloslaskelma"]
    assert sheet["B3"].value == 16777 and isinstance(sheet["B3"].value, int)
    assert sheet["C3"].value == 5875
    assert sheet["B4"].value == -170285
    assert sheet["B3"].number_format == "#,##0;-#,##0"


def test_ratios_are_fractions_with_a_one_decimal_percent_format(book: openpyxl.Workbook) -> None:
    sheet = book["tuloslaskelma"]
    assert sheet["D3"].value == pytest.approx(0.350, abs=1e-12)
    assert sheet["D4"].value == pytest.approx(0.481, abs=1e-12)
    assert sheet["D3"].number_format == '0.0"\u00a0"%'


def test_empty_cell_is_truly_empty_and_zero_base_is_zero_percent(book: openpyxl.Workbook) -> None:
    sheet = book["tuloslaskelma"]
    korko = find_row(sheet, "Korkotuotot")
    assert sheet.cell(korko, 2).value == 0
    assert sheet.cell(korko, 3).value is None
    assert sheet.cell(korko, 4).value == 0 and sheet.cell(korko, 4).number_format.endswith("%")


def test_footnotes_and_second_table_follow(book: openpyxl.Workbook) -> None:
    sheet = book["tuloslaskelma"]
    note = find_row(sheet, "*) Tuloslaskelma ei sisällä sisäisiä eriä.")
    assert note == find_row(sheet, "Korkotuotot") + 1
    title = find_row(sheet, "Tuloslaskelma (1000 €) – Perhekeskuspalvelut")
    assert title == note + 2
    assert sheet.cell(title + 2, 2).value == 886
    assert sheet.cell(title + 2, 4).value == pytest.approx(0.393, abs=1e-12)


def test_whole_percent_sheet(book: openpyxl.Workbook) -> None:
    sheet = book.worksheets[2]
    assert [sheet.cell(2, c).value for c in (2, 3)] == ["TOT 1-6/2025", "TOT-%"]
    assert sheet["B3"].value == 130
    assert sheet["C3"].value == pytest.approx(0.13, abs=1e-12)


def test_info_sheet_lists_report_and_versions(book: openpyxl.Workbook) -> None:
    sheet = book["Tietoja"]
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    pairs = {row[0]: row[1] for row in values if row[0]}
    assert pairs["Organisaatio"] == "Oma Häme"
    assert pairs["Yksikkö"] == "Perhe-, sosiaali- ja vammaispalveluiden toimiala"
    assert pairs["Kausi"] == "1-6/2025"
    assert pairs["Raporttipohja"] == "osavuosikatsaus"
    header = find_row(sheet, "Nimi")
    assert [c.value for c in sheet[header][:6]] == ["Nimi", "Laji", "Vuosi", "Voimaan", "Päätös", "Laatija"]
    first = [c.value for c in sheet[header + 1][:6]]
    assert first == ["MTA I 2025", "talousarvio", 2025, "2025-05-26", "AV 26.5.2025 § 45", "Talousyksikkö"]
    second = [c.value for c in sheet[header + 2][:6]]
    assert second[:3] == ["TPE 6/2025", "ennuste", 2025] and second[4] in (None, "")


def test_dash_and_blank_conventions(tmp_path: Path) -> None:
    conv = Conventions(empty="dash", zero_base="blank", percent_decimals=0)
    sheet = openpyxl.load_workbook(write_xlsx(make_report(conv), tmp_path / "x.xlsx"))["tuloslaskelma"]
    korko = find_row(sheet, "Korkotuotot")
    assert sheet.cell(korko, 3).value == "\u2013"
    assert sheet.cell(korko, 4).value is None
    assert sheet["D3"].value == pytest.approx(0.35, abs=1e-12)
    assert sheet["D3"].number_format == '0"\u00a0"%'


def test_sheet_names_are_valid_and_unique() -> None:
    names = sheet_names(("a" * 40, "a" * 40 + "b", "tietoja", "x/y"))
    assert names["a" * 40] == "a" * 31
    assert names["a" * 40 + "b"] == "a" * 29 + "~2"
    assert names["tietoja"] == "tietoja~2"
    assert names["x/y"] == "x_y"
    assert all(len(n) <= 31 for n in names.values())
