"""The demo report as an Excel workbook: the info sheet first, one sheet per table in document order, numbers stored
as numbers that show as printed, frozen header rows, native charts; LibreOffice opens it."""

from __future__ import annotations

import zipfile

import pytest
from doc_tools import DOCUMENT, demo_documents, libreoffice_convert, reference_lines, spaces
from openpyxl import load_workbook

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def xlsx_path(tmp_path_factory):
    return demo_documents(tmp_path_factory) / f"{DOCUMENT}.xlsx"


@pytest.fixture(scope="module")
def book(xlsx_path):
    return load_workbook(str(xlsx_path))


def shown(value, number_format: str) -> str:
    """A cell as a Finnish Excel shows it with its number format (the two formats the renderer uses)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if number_format.endswith("%"):
        decimals = number_format.split("%")[0].count("0") - 1
        text = f"{value * 100:,.{decimals}f}".replace(",", " ").replace(".", ",")
        return f"{text} %"
    return f"{value:,.0f}".replace(",", " ")


def test_the_first_sheet_describes_the_period_the_sources_and_the_versions(book):
    info = book.worksheets[0]
    assert info.title == "Tietoja raportista"
    cells = [str(c) for row in info.iter_rows(values_only=True) for c in row if c is not None]
    text = "\n".join(cells)
    for expected in ("Kausi", "1–6/2025", "Versiot", "MTA I 2025", "TPE 2025", "Lähteet", "kirjanpito-2025-01-06.csv", "Luonnos"):
        assert expected in text, expected
    assert any(c.startswith("T1 ") for c in cells)  # the list of sheets


def test_one_sheet_per_table_with_numbers_that_show_as_printed(book):
    names = book.sheetnames
    assert names[1].startswith("T1 ") and names[-1] == "Kuviot"
    sheet = book[names[1]]
    assert sheet.freeze_panes == "B4"
    lines = []
    for row in sheet.iter_rows(min_row=4):
        label = row[0].value
        if label is None:
            continue
        cells = [shown(c.value, c.number_format) for c in row[1:7]]
        lines.append(" ".join([label, *(c for c in cells if c)]))
    division = [line for line in reference_lines()][:21]
    assert lines[:21] == division
    toimintatuotot = [c.value for c in sheet[4]]
    assert toimintatuotot[1:4] == [16777, 5875, 0.35] and isinstance(toimintatuotot[1], int)


def test_every_income_statement_row_is_in_some_sheet(book):
    lines = set()
    for sheet in book.worksheets[1:]:
        for row in sheet.iter_rows(min_row=4):
            if isinstance(row[0].value, str):
                cells = [shown(c.value, c.number_format) for c in row[1:7]]
                lines.add(" ".join([spaces(row[0].value), *(c for c in cells if c)]))
    assert [line for line in reference_lines() if line not in lines] == []


def test_goals_key_results_and_balancing_have_their_sheets(book):
    titles = " | ".join(book.sheetnames)
    assert "Toiminnalliset tavoitteet" in titles or "Toiminna" in titles
    balancing = next(book[n] for n in book.sheetnames if "Tasapainottamis" in n)
    values = [c for row in balancing.iter_rows(values_only=True) for c in row]
    assert 3400 in values and 7725 in values and 0.13 in values


def test_the_workbook_has_native_charts_with_alternative_text(xlsx_path):
    with zipfile.ZipFile(xlsx_path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        drawings = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/drawings/drawing"))
    assert len(charts) == 7  # six cumulative charts and the realisation chart
    assert "49,6\u00a0% talousarviosta".encode() in drawings


def test_libreoffice_opens_and_converts_the_workbook(xlsx_path, tmp_path):
    libreoffice_convert(xlsx_path, tmp_path)
