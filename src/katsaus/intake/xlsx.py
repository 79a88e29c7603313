"""XLSX sheets as text columns with their sheet row numbers, and the merged-cell check.

fastexcel (calamine) reads the cells; it starts a sheet at its first used row, so the sheet row of every
record is computed from that row, found in the sheet XML. Merged cells are found in the same XML: a merged
range keeps its value only in its top-left cell, which silently loses amounts or codes in a ledger.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from katsaus.core.errors import Problem, Term

if TYPE_CHECKING:  # polars and fastexcel load only when a sheet is read: they cost a CSV import 0.2 s
    import polars as pl

LOG = logging.getLogger(__name__)

ROW_COLUMN = "__row"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
# a cell with content (not self-closing); its row number is the first used row calamine starts from
_VALUE_CELL = re.compile(rb'<(?:\w+:)?c\s+r="[A-Z]+(\d+)"(?:\s+[\w:]+="[^"]*")*\s*>\s*<(?:\w+:)?(?:v|is)\b')
# a cell with a value, for the sheet's first used column (calamine starts its columns there too)
_VALUE_COLUMN = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]+)\d+"(?:\s+[\w:]+="[^"]*")*\s*>\s*<(?:\w+:)?(?:v|is|f)\b')
# an error cell (#DIV/0!, #N/A, #REF!): calamine reads it as empty, which would drop the row's money silently
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]+)(\d+)"[^>]*?\st="e"[^>]*>(.{0,4000}?)</(?:\w+:)?c>', re.S)
_CELL_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")
_XML_CHUNK = 4 << 20


@dataclass(frozen=True)
class Sheet:
    """Data rows of one sheet: every cell as text (None = empty), plus the sheet row in ROW_COLUMN."""

    name: str
    header: list[str]
    header_row: int
    rows: pl.DataFrame
    first_column: int = 0  # the sheet column (0 = A) of rows' first column
    errors: tuple[tuple[int, int, str], ...] = ()  # (sheet column, sheet row, shown value) of error cells
    member: str = ""  # the sheet's XML in the archive, for text_rows


def column_number(letters: str) -> int:
    """'A' -> 0, 'AB' -> 27."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - ord("A") + 1
    return number - 1


def column_letters(number: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class _SheetScan:
    merged: set[str]
    first_row: int | None = None
    columns: set[bytes] | None = None  # column letters as the XML has them
    errors: set[tuple[int, int, str]] | None = None

    @property
    def first_column(self) -> int:
        return min((column_number(c.decode()) for c in self.columns or ()), default=0)


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> member path of its XML, in workbook order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG}Relationship")}
    paths: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        paths[sheet.get("name", "")] = path
    return paths


def _scan_sheet_xml(archive: zipfile.ZipFile, member: str) -> _SheetScan:
    """Merged ranges, the first row and the columns holding a value, and the error cells, streamed so a large
    sheet is not held twice."""
    scan = _SheetScan(set(), None, set(), set())
    assert scan.columns is not None and scan.errors is not None
    tail = b""
    with archive.open(member) as handle:
        while chunk := handle.read(_XML_CHUNK):
            data = tail + chunk
            if scan.first_row is None and (match := _VALUE_CELL.search(data)):
                scan.first_row = int(match.group(1))
            scan.merged.update(m.group(1).decode() for m in _MERGE.finditer(data))
            scan.columns.update(_VALUE_COLUMN.findall(data))
            for found in _ERROR_CELL.finditer(data):
                value = _CELL_VALUE.search(found.group(3))
                shown = value.group(1).decode(errors="replace") if value else ""  # an error without its value
                scan.errors.add((column_number(found.group(1).decode()), int(found.group(2)), shown))
            # keep a tail so a tag split between chunks is seen whole (the sets drop what is seen twice)
            tail = data[max(0, len(data) - 8192):]
    return scan


def text_rows(path: Path, member: str, column: int) -> set[int]:
    """The sheet rows whose cell in `column` (0 = A) is text rather than a number: a text '1.234' is what a
    person typed (and means 1 234 in Finland), a number cell 1.234 is Excel's own decimal point."""
    letters = column_letters(column).encode()
    pattern = re.compile(rb'<(?:\w+:)?c\s+r="' + letters + rb'(\d+)"[^>]*?\st="(?:s|str|inlineStr)"')
    rows: set[int] = set()
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
        while chunk := handle.read(_XML_CHUNK):
            data = tail + chunk
            rows.update(int(m.group(1)) for m in pattern.finditer(data))
            tail = data[max(0, len(data) - 8192):]
    return rows


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel writes .xls and password-protected workbooks so


def _not_a_workbook(path: Path, label: str) -> Problem:
    """A file that is not a workbook, said by what its content is (its name already says .xlsx)."""
    with path.open("rb") as handle:
        start = handle.read(64)
    if not start:
        return Problem("xlsx.not_xlsx", {"what": Term("intake.file_kind.empty")}, file=label)
    if zipfile.is_zipfile(path):  # a Word or OpenDocument file, or a damaged workbook
        return Problem("xlsx.not_xlsx", {"what": Term("intake.file_kind.other_zip")}, file=label)
    if start.startswith(OLE2_MAGIC):
        return Problem("xlsx.not_xlsx", {"what": Term("intake.file_kind.ole2")}, file=label)
    if start.startswith(b"PK"):  # a ZIP archive's start without its end: a download or a copy cut short
        return Problem("xlsx.not_xlsx", {"what": Term("intake.file_kind.damaged_zip")}, file=label)
    text = start.decode("utf-8", errors="replace")
    shown = "".join(c if c.isprintable() else " " for c in text).strip()[:40]
    return Problem("xlsx.not_xlsx", {"what": Term("intake.file_kind.not_zip")}, file=label, found=shown or None)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_sheet(path: Path, sheet: str | None, header_row: int, label: str) -> tuple[Sheet | None, list[Problem]]:
    """Read `sheet` (default: the first) with its header on sheet row `header_row`."""
    try:
        with zipfile.ZipFile(path) as archive:
            paths = _sheet_paths(archive)
            name = sheet or next(iter(paths), "")
            if name not in paths:
                return None, [Problem("xlsx.sheet_missing", {"sheet": name, "sheets": tuple(paths)}, file=label,
                                      key="sheet")]
            scan = _scan_sheet_xml(archive, paths[name])
            merged, first_row = sorted(scan.merged), scan.first_row
    except IsADirectoryError:
        return None, [Problem("file.is_folder", file=label)]
    except FileNotFoundError:
        return None, [Problem("file.not_found", file=label)]
    except OSError as exc:
        LOG.warning("%s cannot be read: %s", label, exc)
        return None, [Problem("file.unreadable", file=label)]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, zlib.error, EOFError, ValueError, NotImplementedError):
        # ValueError: a damaged member (bad size) found while streaming the sheet; NotImplementedError: a
        # compression method zipfile does not know (damage, or a ZIP tool's own method)
        return None, [_not_a_workbook(path, label)]
    except RuntimeError as exc:  # (after NotImplementedError, a subclass) zipfile's word for an encrypted member
        if "encrypted" not in str(exc):
            raise
        return None, [Problem("xlsx.encrypted", file=label)]
    if merged:
        return None, [Problem("xlsx.merged_cells", {"cells": ref}, file=label, sheet=name, found=ref)
                      for ref in merged]
    if first_row is None:
        return None, [Problem("xlsx.sheet_empty", file=label, sheet=name)]
    if first_row > header_row:
        return None, [Problem("xlsx.header_row_empty", {"first_row": first_row}, file=label, sheet=name,
                              row=header_row)]
    import fastexcel

    try:
        frame = fastexcel.read_excel(str(path)).load_sheet(name, header_row=None, dtypes="string").to_polars()
    except fastexcel.FastExcelError as exc:  # damage the XML scan above did not reach (another member)
        LOG.warning("%s: sheet %r cannot be read: %s", label, name, str(exc).splitlines()[0][:200])
        return None, [Problem("xlsx.damaged", file=label, sheet=name)]
    split = _split_header(frame, name, first_row, header_row)
    return Sheet(split.name, split.header, split.header_row, split.rows, scan.first_column,
                 tuple(sorted(scan.errors or ())), paths[name]), []


def error_cell(label: str, sheet: str, row: int, column: str, shown: str) -> Problem:
    """An Excel error cell (#DIV/0!, #N/A) where a value is read: calamine gives it as empty, so an amount or a
    code would be lost without a word."""
    return Problem("xlsx.error_cell", {"value": shown}, file=label, sheet=sheet, row=row, column=column,
                   found=shown or None)


def _split_header(frame: pl.DataFrame, name: str, first_row: int, header_row: int) -> Sheet:
    import polars as pl

    index = header_row - first_row
    header = [_text(v) for v in frame.row(index)] if index < frame.height else []
    names = [f"c{i}" for i in range(frame.width)]
    data = frame.slice(index + 1).rename(dict(zip(frame.columns, names)))
    data = data.with_columns(pl.int_range(0, data.height, dtype=pl.Int64).alias(ROW_COLUMN) + (header_row + 1))
    return Sheet(name, header, header_row, data)
