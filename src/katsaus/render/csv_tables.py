"""CSV renderers: the report's tables as printed (formatted text) and as plain figures for machines.

One file per output group. Tables of one group may have different column sets; the file then has the union
of their column keys in first-seen order, and a table's absent columns stay empty.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from katsaus.core.errors import Problem
from katsaus.core.model import Cell, Column, Conventions, Report, Row, Table
from katsaus.core.rounding import round_to
from katsaus.render.numbers import column_conventions, format_cell

RATIO_PLACES = 6  # the figures file gives ratios as decimals with this many places


def column_keys(tables: Iterable[Table]) -> list[str]:
    """The union of the tables' column keys, in first-seen order."""
    keys: list[str] = []
    for table in tables:
        keys.extend(c.key for c in table.columns if c.key not in keys)
    return keys


def _cells_by_key(table: Table, row: Row, keys: list[str], show: Callable[[Cell, Column], str]) -> list[str]:
    present = {column.key: (cell, column) for column, cell in zip(table.columns, row.cells)}
    return [show(*present[key]) if key in present else "" for key in keys]


def write_rows(path: Path, header: list[str], records: Iterable[list[str]]) -> Path:
    """One CSV file in the reference files' shape: UTF-8 without BOM, "\n", fields quoted only when needed."""
    # newline="" lets the csv module own line endings
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(records)
    return path


# ---------------------------------------------------------------- as printed


def _printed_records(tables: tuple[Table, ...], keys: list[str], conv: Conventions) -> Iterator[list[str]]:
    for table in tables:
        for row in table.rows:
            cells = _cells_by_key(table, row, keys, lambda cell, column: format_cell(cell, column_conventions(conv, column)))
            yield [table.unit_name, row.label, str(row.level), *cells]


def write_csv_tables(report: Report, out_dir: Path) -> list[Path]:
    """``<output>.csv`` per output group: ``unit,line,level,<column keys>`` with the cells as printed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for output in report.outputs():
        tables = report.tables_of(output)
        keys = column_keys(tables)
        records = _printed_records(tables, keys, report.conventions)
        paths.append(write_rows(out_dir / f"{output}.csv", ["unit", "line", "level", *keys], records))
    return paths


# ---------------------------------------------------------------- plain figures


def figure_text(cell: Cell, conv: Conventions) -> str:
    """Euros with 2 decimals ("-170285000.00"), ratios with 6 decimals ("0.350181"); "" when there is none.

    Cents are exact euros/100, so no rounding for amounts; ratios round by the template's rule.
    """
    if cell.kind == "text":
        return cell.text
    if cell.kind == "amount":
        return "" if cell.cents is None else format(Decimal(cell.cents).scaleb(-2), "f")
    if cell.ratio is None:
        return ""
    return format(round_to(cell.ratio, RATIO_PLACES, conv.rounding), "f")


def _figure_records(tables: tuple[Table, ...], keys: list[str], conv: Conventions) -> Iterator[list[str]]:
    for table in tables:
        for row in table.rows:
            cells = _cells_by_key(table, row, keys, lambda cell, column: figure_text(cell, conv))
            yield [table.unit_code, table.unit_name, row.line_code, row.label, str(row.level), *cells]


def write_csv_figures(report: Report, out_dir: Path) -> list[Path]:
    """``<output>-luvut.csv`` per output group: codes, names and unrounded plain numbers (decimal point)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for output in report.outputs():
        tables = report.tables_of(output)
        keys = column_keys(tables)
        header = ["unit_code", "unit", "line_code", "line", "level", *keys]
        records = _figure_records(tables, keys, report.conventions)
        paths.append(write_rows(out_dir / f"{output}-luvut.csv", header, records))
    return paths


# ---------------------------------------------------------------- a printed table against the report


def printed_findings(report: Report, path: Path) -> list[Problem]:
    """A table as it was printed, in the layout of ``<output>.csv`` (``unit,line,level,<column keys>``; the
    number format of the template), cell by cell against what the report's figures give. A cell that differs
    is an error: the printed table contradicts the figures it was made from (or the inputs are not its
    figures). Rows, columns and spaces (no-break or not) are matched by their printed text.

    Findings of the rule ``printed`` (``check.printed.*``), located like the other checks' findings: the unit,
    table, row (its printed label) and column; the printed file's name and row number are parameters."""
    if not path.is_file():
        return [Problem("check.printed.file_unreadable", found=str(path))]
    ours: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
    # a file named as an output group (sitovat_erat.csv) is that group's table; another is looked up in all
    outputs = (path.stem,) if path.stem in report.outputs() else report.outputs()
    for output in outputs:
        tables = report.tables_of(output)
        keys = column_keys(tables)
        for table, record in zip((t for t in tables for _ in t.rows), _printed_records(tables, keys, report.conventions)):
            ours.setdefault((_plain(record[0]), _plain(record[1])), (table.key, dict(zip(keys, record[3:]))))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    units = tuple(sorted({u for u, _ in ours}))
    findings: list[Problem] = []
    for number, row in enumerate(rows, start=2):
        unit, line = _plain(row.get("unit") or ""), _plain(row.get("line") or "")
        if (unit, line) not in ours:
            findings.append(Problem("check.printed.row_unknown", {"file": path.name, "number": number, "units": units},
                                    unit=unit, row=line, found=line))
            continue
        table_key, cells = ours[(unit, line)]
        for key, printed in row.items():
            if key in ("unit", "line", "level") or key is None:
                continue
            if key not in cells:
                findings.append(Problem("check.printed.column_unknown", {"file": path.name, "columns": tuple(cells)},
                                        unit=unit, table=table_key, row=line, column=key, found=key))
            elif _plain(printed or "") != _plain(cells[key]):
                findings.append(Problem("check.printed.cell_differs",
                                        {"file": path.name, "number": number, "expected": _plain(cells[key])},
                                        unit=unit, table=table_key, row=line, column=key, found=_plain(printed or "")))
    return findings


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
