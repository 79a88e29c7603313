"""The output files: ledger exports, budget/forecast files and versions.toml (formats fixed by the importer)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from katsaus.demo.ledger import LedgerRow, numbered
from katsaus.demo.money import format_cents
from katsaus.demo.plans import Amounts

LEDGER_HEADER = ("pvm", "kustannuspaikka", "tili", "summa", "tosite", "selite")
PLAN_HEADER = ("yksikkö", "rivi", "summa")
ENCODING = "utf-8-sig"  # UTF-8 with BOM, as Finnish ERP exports and Excel write it
NEWLINE = "\r\n"


@dataclass(frozen=True)
class Version:
    name: str  # "MTA I 2025"
    kind: str  # budget | forecast
    year: int
    effective_date: date
    file: str
    decision_ref: str | None = None
    author: str | None = None


def finnish_date(day: date) -> str:
    """5.1.2025: day and month without leading zeros."""
    return f"{day.day}.{day.month}.{day.year}"


def write_ledger(path: Path, rows: list[LedgerRow]) -> Path:
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator=NEWLINE)
        writer.writerow(LEDGER_HEADER)
        for row, document in numbered(rows):
            writer.writerow((finnish_date(row.day), row.cost_centre, row.account, format_cents(row.cents),
                             document, row.text))
    return path


def write_plan(path: Path, amounts: Amounts, units: list[str], lines: list[str]) -> Path:
    """One row per unit × leaf line, explicit 0 rows included (a printed budget 0 is not an empty cell)."""
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator=NEWLINE)
        writer.writerow(PLAN_HEADER)
        for unit in units:
            for line in lines:
                writer.writerow((unit, line, format_cents(amounts.get((unit, line), 0))))
    return path


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_versions(path: Path, versions: list[Version]) -> Path:
    lines = ["# Plan versions of the demo data (written by katsaus.demo.generate).", ""]
    for v in versions:
        lines += ["[[versions]]", f"name = {_toml_string(v.name)}", f"kind = {_toml_string(v.kind)}",
                  f"year = {v.year}", f"effective_date = {v.effective_date.isoformat()}"]
        if v.decision_ref:
            lines.append(f"decision_ref = {_toml_string(v.decision_ref)}")
        if v.author:
            lines.append(f"author = {_toml_string(v.author)}")
        lines += [f"file = {_toml_string(v.file)}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
