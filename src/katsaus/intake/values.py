"""Parsing one cell in Python: the reference the DuckDB expressions in ledger.py must agree with.

Used by the slow error pass that locates problems row by row and by the plan reader. Money never passes
through float: amounts become Decimal and then integer cents.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# What XLSX date cells look like after fastexcel turned them into text.
XLSX_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
YEAR_MIN, YEAR_MAX = 1900, 2100


class BadValue(ValueError):
    """A cell that cannot be read; `reason` is the short message for the Problem."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def to_cents(amount: Decimal) -> int:
    """Round half away from zero to whole cents, as DuckDB's round() on DECIMAL does."""
    return int(amount.scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_amount(text: str, decimal: str, thousands: str) -> int:
    """'-1\u00a0234,56' -> -123456 cents. `thousands` holds every character to drop."""
    raw = text.strip(" ")
    if not raw:
        raise BadValue("the amount is empty")
    cleaned = raw
    for char in thousands:
        cleaned = cleaned.replace(char, "")
    if decimal == ",":
        if "." in cleaned:  # DuckDB's reader refuses it too: both passes must agree on what is an amount
            raise BadValue("not an amount (a decimal point; this file's decimal mark is ',')")
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise BadValue("not an amount") from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 16:
        raise BadValue("not an amount")
    return to_cents(value)


PLAIN_AMOUNT = re.compile(
    r"(?P<sign>[-+\u2212]?)\s*(?P<whole>[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:[,.](?P<part>[0-9]+))?",
    re.ASCII,  # digits are 0-9: not full-width or Arabic-Indic ones
)
PLAIN_LIMIT = Decimal(10) ** 13  # euros: far above any public budget, and cents stay exact even as a double


def parse_plain_amount(text: str) -> int:
    """What people type and plan files hold: '-1 234 567,89', '1234567.89', '−500' (a minus sign, as reports
    print it). Decimal comma or point; spaces (also no-break) only as thousands separators in groups of three.
    Refused rather than guessed: '1.234' and '12,345' (a thousands separator or three decimals?), exponents,
    underscores, two separators, and amounts of 10^13 euros or more."""
    raw = text.strip()
    if not raw:
        raise BadValue("the amount is empty")
    if "," in raw and "." in raw:
        raise BadValue("not an amount (both ',' and '.' in it)")
    found = PLAIN_AMOUNT.fullmatch(raw)
    if found is None:
        raise BadValue("not an amount")
    whole, part = found["whole"], found["part"]
    if part is not None and len(part) == 3 and whole.isdigit() and len(whole) <= 3 and whole != "0":
        raise BadValue("ambiguous: a thousands separator or three decimals? Write thousands with spaces and "
                       "decimals after a comma (a computed cell: round it to cents)")
    value = Decimal(re.sub(r"[^0-9]", "", whole) + ("." + part if part else ""))
    if value >= PLAIN_LIMIT:
        raise BadValue("too large: an amount must be under 10 000 000 000 000 euros")
    return to_cents(-value if found["sign"] in ("-", "\u2212") else value)


def _strptime(text: str, fmt: str) -> date:
    return datetime.strptime(text, fmt).date()


def parse_date(text: str, fmt: str, *, xlsx: bool = False) -> date:
    raw = text.strip(" ")
    if not raw:
        raise BadValue("the date is empty")
    formats = (fmt, *XLSX_DATE_FORMATS) if xlsx else (fmt,)
    impossible = False
    for candidate in formats:
        try:
            day = _strptime(raw, candidate)
        except ValueError as exc:
            # strptime says "day is out of range for month" for 31.2.2025: the shape was right
            impossible = impossible or "out of range" in str(exc)
            continue
        if not YEAR_MIN <= day.year <= YEAR_MAX:
            raise BadValue(f"the year is not between {YEAR_MIN} and {YEAR_MAX}")
        return day
    raise BadValue("no such date" if impossible else "not a date")


def date_example(fmt: str) -> str:
    """31.12.2025 in the mapping's format, for 'expected' texts."""
    return datetime(2025, 12, 31).strftime(fmt)


def amount_example(decimal: str, thousands: str) -> str:
    sep = {"": "", " ": " ", "\u00a0": "\u00a0"}.get(thousands, thousands)
    return f"-1{sep}234{decimal}56"
