"""XLSX renderer: an info sheet, then one sheet per output group with its tables one under the other.

Cells hold NUMBERS rounded as the report presents them (16777 for "16 777" in 1000 €, 0.35 for "35,0 %"), so a
reader can compute with them and still see exactly the printed figures. Number formats use Excel's invariant
codes ("," grouping, "." decimal); Excel shows them with the reader's locale separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from katsaus.core.model import Cell, Column, Conventions, Report, Row, Table, VersionInfo
from katsaus.render.csv_tables import column_keys
from katsaus.render.numbers import cell_number, column_conventions, format_cell, percent_pattern

INFO_SHEET = "Tietoja"
SHEET_NAME_MAX = 31
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_KIND_FI = {"budget": "talousarvio", "forecast": "ennuste"}


# ---------------------------------------------------------------- formats and names


# Integers with grouping in the template's unit (1 € or 1000 €); the explicit negative section keeps a hyphen-minus.
AMOUNT_FORMAT = "#,##0;-#,##0"


def amount_format(conv: Conventions) -> str:
    """AMOUNT_FORMAT, with the template's decimals when amounts print cents ("#,##0.00;-#,##0.00")."""
    if not conv.amount_decimals:
        return AMOUNT_FORMAT
    decimals = "." + "0" * conv.amount_decimals
    return f"#,##0{decimals};-#,##0{decimals}"


def percent_format(conv: Conventions) -> str:
    """'0.0"\u00a0"%' for fi/sv (NBSP before %, as printed), '0.0%' where the locale writes none."""
    decimals = "." + "0" * conv.percent_decimals if conv.percent_decimals > 0 else ""
    space = '"\u00a0"' if "\u00a0%" in percent_pattern(conv) else ""
    return f"0{decimals}{space}%"


def sheet_names(outputs: tuple[str, ...]) -> dict[str, str]:
    """Output key -> a valid, unique (case-insensitively, as Excel compares) sheet name of at most 31 chars."""
    taken = {INFO_SHEET.casefold()}
    names: dict[str, str] = {}
    for output in outputs:
        base = _INVALID_SHEET_CHARS.sub("_", output).strip("'")[:SHEET_NAME_MAX] or "taulukko"
        name, counter = base, 2
        while name.casefold() in taken:
            suffix = f"~{counter}"
            name, counter = base[: SHEET_NAME_MAX - len(suffix)] + suffix, counter + 1
        taken.add(name.casefold())
        names[output] = name
    return names


@dataclass
class _Formats:
    """The workbook's cell formats, made once (XlsxWriter wants shared Format objects)."""

    book: Workbook
    conv: Conventions
    title: Format
    header: Format
    header_number: Format
    footnote: Format
    amount: Format
    percent: Format
    dash: Format
    bold: Format
    _labels: dict[int, Format]
    _columns: dict[Conventions, _Formats]

    @classmethod
    def create(cls, book: Workbook, conv: Conventions) -> _Formats:
        return cls(
            book=book,
            conv=conv,
            title=book.add_format({"bold": True, "font_size": 12}),
            header=book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"}),
            header_number=book.add_format(
                {"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom", "align": "right"}
            ),
            footnote=book.add_format({"italic": True}),
            amount=book.add_format({"num_format": amount_format(conv)}),
            percent=book.add_format({"num_format": percent_format(conv)}),
            dash=book.add_format({"align": "right"}),
            bold=book.add_format({"bold": True}),
            _labels={},
            _columns={},
        )

    def for_column(self, column: Column) -> _Formats:
        """These formats, or a column's own when it has its own empty/zero settings (made once per setting)."""
        conv = column_conventions(self.conv, column)
        if conv == self.conv:
            return self
        if conv not in self._columns:
            self._columns[conv] = _Formats.create(self.book, conv)
        return self._columns[conv]

    def label(self, level: int) -> Format:
        # One format per indent level: the line's level is shown as the cell's indent, not as spaces.
        if level not in self._labels:
            self._labels[level] = self.book.add_format({"indent": level})
        return self._labels[level]


# ---------------------------------------------------------------- the info sheet


def _info_rows(report: Report) -> list[tuple[str, Any]]:
    unit = "1000 €" if report.conventions.amount_unit == 1000 else f"{report.conventions.amount_unit} €"
    return [
        ("Organisaatio", report.organisation),
        ("Yksikkö", report.unit_name),
        ("Yksikön tunnus", report.unit_code),
        ("Kausi", report.period.label()),
        ("Raporttipohja", report.template_code),
        ("Rahayksikkö", unit),
    ]


def _version_row(version: VersionInfo) -> list[Any]:
    return [
        version.name,
        _KIND_FI.get(version.kind, version.kind),
        version.year,
        version.effective_date or "",
        version.decision_ref or "",
        version.author or "",
    ]


def _write_info(book: Workbook, report: Report, fmt: _Formats) -> None:
    sheet = book.add_worksheet(INFO_SHEET)
    sheet.write_string(0, 0, "Raportin tiedot", fmt.title)
    row = 2
    for label, value in _info_rows(report):
        sheet.write_string(row, 0, label, fmt.bold)
        sheet.write_string(row, 1, str(value))
        row += 1
    row += 1
    sheet.write_string(row, 0, "Versiot", fmt.title)
    row += 1
    headers = ["Nimi", "Laji", "Vuosi", "Voimaan", "Päätös", "Laatija"]
    sheet.write_row(row, 0, headers, fmt.header)
    for version in report.versions:
        row += 1
        sheet.write_row(row, 0, _version_row(version))
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 5, 16)


# ---------------------------------------------------------------- table sheets


def _write_cell(sheet: Worksheet, row: int, col: int, cell: Cell, fmt: _Formats) -> None:
    number = cell_number(cell, fmt.conv)
    if number is not None:
        # The presented, rounded Decimal becomes int/float only here, at the write call.
        if cell.kind == "amount":
            sheet.write_number(row, col, int(number) if not fmt.conv.amount_decimals else float(number), fmt.amount)
        else:
            sheet.write_number(row, col, float(number), fmt.percent)
        return
    text = format_cell(cell, fmt.conv)
    if text:  # a dash convention or a text column; a blank one leaves the cell truly empty
        sheet.write_string(row, col, text, fmt.dash)


def _write_row(sheet: Worksheet, at: int, table: Table, row: Row, keys: list[str], fmt: _Formats) -> None:
    sheet.write_string(at, 0, row.label, fmt.label(row.level))
    for column, cell in zip(table.columns, row.cells):
        _write_cell(sheet, at, 1 + keys.index(column.key), cell, fmt.for_column(column))


def _write_table(sheet: Worksheet, at: int, table: Table, keys: list[str], fmt: _Formats) -> int:
    """Write one table from row ``at``; returns the first free row after it (one blank row left)."""
    sheet.write_string(at, 0, f"{table.title} – {table.unit_name}", fmt.title)
    sheet.write_string(at + 1, 0, "", fmt.header)
    for column in table.columns:
        sheet.write_string(at + 1, 1 + keys.index(column.key), column.label, fmt.header_number)
    at += 2
    for row in table.rows:
        _write_row(sheet, at, table, row, keys, fmt)
        at += 1
    for note in table.footnotes:
        sheet.write_string(at, 0, note, fmt.footnote)
        at += 1
    return at + 1


def _set_widths(sheet: Worksheet, tables: tuple[Table, ...], keys: list[str]) -> None:
    labels = [len(r.label) + 2 * r.level for t in tables for r in t.rows]
    sheet.set_column(0, 0, min(max([30, *labels]) + 2, 70))
    for index, key in enumerate(keys, start=1):
        widths = [len(c.label) for t in tables for c in t.columns if c.key == key]
        sheet.set_column(index, index, min(max([10, *widths]) + 2, 30))


def _write_output(book: Workbook, name: str, tables: tuple[Table, ...], fmt: _Formats) -> None:
    sheet = book.add_worksheet(name)
    keys = column_keys(tables)
    at = 0
    for table in tables:
        at = _write_table(sheet, at, table, keys, fmt)
    # The first table's title and header rows and the label column stay in view; all tables of a sheet share
    # the column positions (the union of keys), so that header names every column below.
    sheet.freeze_panes(2, 1)
    _set_widths(sheet, tables, keys)


def write_xlsx(report: Report, path: Path) -> Path:
    """Write the report as an XLSX workbook: "Tietoja" first, then one sheet per output group."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    try:
        fmt = _Formats.create(book, report.conventions)
        _write_info(book, report, fmt)
        for output, name in sheet_names(report.outputs()).items():
            _write_output(book, name, report.tables_of(output), fmt)
    finally:
        book.close()
    return path
