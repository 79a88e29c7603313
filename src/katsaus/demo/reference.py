"""The printed income-statement tables of the model report (tables/tuloslaskelma.csv) as constraints.

Each printed cell becomes a `RefCell(unit, line, column, text)` with unit and line codes resolved through the
configuration; `text` is exactly what was printed ('' = an empty cell), with no-break spaces normalised.
Also the exact presentation rules (1000 €, half-up, one-decimal percentages) used to verify a solution.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from katsaus.core.rounding import round_to
from katsaus.demo.inputs import DemoConfig

CENTS_PER_KEUR = 100_000


@dataclass(frozen=True)
class RefCell:
    unit: str
    line: str
    column: str
    text: str

    @property
    def is_empty(self) -> bool:
        return self.text == ""


def normalise(text: str) -> str:
    """The reference CSV uses plain spaces; the renderer may use no-break spaces. Compare the same way."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").strip()


def read_reference(path: Path, config: DemoConfig) -> list[RefCell]:
    cells: list[RefCell] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c for c in reader.fieldnames or [] if c not in ("unit", "line", "level")]
        unknown = [c for c in columns if c not in config.columns]
        if unknown:
            raise ValueError(f"{path}: columns {unknown} are not in the template")
        for record in reader:
            unit = config.unit_by_name(record["unit"])
            line = config.line_by_label(record["line"])
            cells.extend(RefCell(unit, line, col, normalise(record[col] or "")) for col in columns)
    return cells


def parse_amount(text: str) -> int:
    """A printed amount in 1000 € ('-170 285') as an int."""
    return int(text.replace(" ", ""))


def parse_percent(text: str) -> Decimal:
    """A printed percentage ('35,0 %') as Decimal('35.0')."""
    return Decimal(text.replace("%", "").replace(" ", "").replace(",", "."))


def group_thousands(number: int) -> str:
    text = f"{abs(number):,}".replace(",", " ")
    return f"-{text}" if number < 0 else text


def format_amount(cents: int | None) -> str:
    """Cents as printed in 1000 € ('' when there were no entries)."""
    if cents is None:
        return ""
    return group_thousands(int(round_to(Fraction(cents, CENTS_PER_KEUR), 0, "half_up")))


def format_ratio(numerator: int | None, denominator: int | None) -> str:
    """numerator/denominator as a one-decimal percentage; a zero or empty base prints '0,0 %'."""
    if not denominator or numerator is None:
        return "0,0 %"
    tenths = int(round_to(Fraction(numerator * 1000, denominator), 0, "half_up"))
    sign = "-" if tenths < 0 else ""
    return f"{sign}{group_thousands(abs(tenths) // 10)},{abs(tenths) % 10} %"
