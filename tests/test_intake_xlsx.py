"""Reading a workbook's sheet (katsaus.intake.xlsx): damage is a Problem naming the file, never an exception."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl

from katsaus.core.errors import Term
from katsaus.intake.xlsx import read_sheet


def workbook_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["pvm", "kustannuspaikka", "tili", "summa"])
    book.active.append(["2.1.2025", "511000", "300100", "12,50"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_compression_method(data: bytes, method: int) -> bytes:
    """The workbook with every member claiming a compression method zipfile does not know (as found by the
    fuzz test: zipfile raises NotImplementedError for it)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):  # local headers, central directory
        start = out.find(signature)
        while start != -1:
            out[start + offset:start + offset + 2] = struct.pack("<H", method)
            start = out.find(signature, start + 4)
    return bytes(out)


def test_an_unknown_compression_method_is_a_damaged_workbook(tmp_path: Path) -> None:
    path = tmp_path / "kirjanpito.xlsx"
    path.write_bytes(with_compression_method(workbook_bytes(), 99))
    with zipfile.ZipFile(path) as archive:  # the file is still a ZIP archive by its directory
        assert archive.namelist()
    sheet, problems = read_sheet(path, None, 1, str(path))
    assert sheet is None
    assert [(p.code, p.params) for p in problems] == [
        ("xlsx.not_xlsx", {"what": Term("intake.file_kind.other_zip")})], problems


def test_members_flagged_encrypted_are_a_password_protected_workbook(tmp_path: Path) -> None:
    """Found by the fuzz test: one flipped bit in a member's flags, and zipfile raised RuntimeError."""
    out = bytearray(workbook_bytes())
    start = out.find(b"PK\x01\x02")
    while start != -1:
        out[start + 8] |= 1  # general purpose flag bit 0: encrypted
        start = out.find(b"PK\x01\x02", start + 4)
    path = tmp_path / "kirjanpito.xlsx"
    path.write_bytes(bytes(out))
    sheet, problems = read_sheet(path, None, 1, str(path))
    assert sheet is None
    assert [(p.code, p.file) for p in problems] == [("xlsx.encrypted", str(path))]


def test_an_ole2_file_is_named_as_a_password_protected_workbook_or_an_old_xls(tmp_path: Path) -> None:
    path = tmp_path / "kirjanpito.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    sheet, problems = read_sheet(path, None, 1, str(path))
    # a password-protected workbook or an old .xls
    assert sheet is None and [(p.code, p.params) for p in problems] == [
        ("xlsx.not_xlsx", {"what": Term("intake.file_kind.ole2")})]


def test_a_good_workbook_is_read(tmp_path: Path) -> None:
    path = tmp_path / "kirjanpito.xlsx"
    path.write_bytes(workbook_bytes())
    sheet, problems = read_sheet(path, None, 1, str(path))
    assert problems == [] and sheet is not None
