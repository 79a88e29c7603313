"""Parsing one cell in Python: the reference the DuckDB expressions in ledger.py must agree with.

Used by the slow error pass that locates problems row by row and by the plan reader. Money never passes
through float: amounts become Decimal and then integer cents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from katsaus.core.errors import Money, Param

# What XLSX date cells look like after fastexcel turned them into text.
XLSX_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
YEAR_MIN, YEAR_MAX = 1900, 2100


AMOUNT_LIMIT = Decimal(10) ** 16  # euros: DuckDB's DECIMAL(18,2) holds less


class BadValue(ValueError):
    """A value that cannot be read: the `code` and `params` of the Problem its caller makes, where the caller
    knows the location (file, row, column, or a configuration key). The parameters are complete: an amount's or a
    date's `example` is what this parser reads (a caller that knows better, an XLSX reader, replaces it)."""

    def __init__(self, code: str, params: Mapping[str, Param] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, Param] = dict(params or {})


def to_cents(amount: Decimal) -> int:
    """Round half away from zero to whole cents, as DuckDB's round() on DECIMAL does."""
    return int(amount.scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def amount_pattern(decimal: str, thousands: str) -> str:
    """The shape of a ledger amount, as a regular expression both Python's re and DuckDB's RE2 read the same.

    An optional sign, digits, and decimals after the file's decimal mark. With a thousands separator the
    whole part is either plain digits or groups of three after one to three digits ('1 234 567'), so a
    mistyped '1 23 4' is refused. Exponents ('1e3'), underscores ('1_000'), a trailing minus ('1 234,50-')
    and the other decimal mark are not amounts. Spaces around the amount are allowed."""
    mark = re.escape(decimal)
    whole = "[0-9]+"
    if thousands:
        group = "[" + "".join(re.escape(char) for char in thousands) + "]"
        whole = f"(?:[0-9]{{1,3}}(?:{group}[0-9]{{3}})+|[0-9]+)"
    return f" *[-+]?(?:{whole}(?:{mark}[0-9]*)?|{mark}[0-9]+) *"


def _amount_refusal(raw: str, decimal: str) -> str:
    """Why a text that does not have the shape of an amount is refused: the code that says it to the file's
    owner."""
    if raw.rstrip().endswith("-"):
        return "value.amount_trailing_minus"
    if any(char in raw for char in "eE"):
        return "value.amount_exponent"
    if "_" in raw:
        return "value.amount_underscore"
    other = "." if decimal == "," else ","
    if other in raw:
        return "value.amount_decimal_point" if other == "." else "value.amount_decimal_comma"
    return "value.amount_invalid"


def _like(decimal: str, thousands: str) -> dict[str, Param]:
    """What a readable amount of this file looks like (made only for a refusal)."""
    return {"example": amount_example(decimal, thousands[:1])}


def parse_amount(text: str, decimal: str, thousands: str) -> int:
    """'-1\u00a0234,56' -> -123456 cents. `thousands` holds every character that separates thousands."""
    raw = text.strip(" ")
    if not raw:
        raise BadValue("value.amount_empty", _like(decimal, thousands))
    if re.fullmatch(amount_pattern(decimal, thousands), raw, flags=re.ASCII) is None:
        raise BadValue(_amount_refusal(raw, decimal), _like(decimal, thousands))
    cleaned = raw
    for char in thousands:
        cleaned = cleaned.replace(char, "")
    value = Decimal(cleaned.replace(decimal, "."))
    if abs(value) >= AMOUNT_LIMIT:
        raise BadValue("value.amount_too_large", {"limit": Money(int(AMOUNT_LIMIT) * 100), **_like(decimal, thousands)})
    return to_cents(value)


PLAIN_AMOUNT = re.compile(
    r"(?P<sign>[-+\u2212]?)\s*(?P<whole>[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:[,.](?P<part>[0-9]+))?",
    re.ASCII,  # digits are 0-9: not full-width or Arabic-Indic ones
)
PLAIN_LIMIT = Decimal(10) ** 13  # euros: far above any public budget, and cents stay exact even as a double
PLAIN_LIKE: dict[str, Param] = {"example": ("-1 234,56", "-1234.56")}


def parse_plain_amount(text: str) -> int:
    """What people type and plan files hold: '-1 234 567,89', '1234567.89', '−500' (a minus sign, as reports
    print it). Decimal comma or point; spaces (also no-break) only as thousands separators in groups of three.
    Refused rather than guessed: '1.234' and '12,345' (a thousands separator or three decimals?), exponents,
    underscores, two separators, and amounts of 10^13 euros or more."""
    raw = text.strip()
    if not raw:
        raise BadValue("value.amount_empty", PLAIN_LIKE)
    if "," in raw and "." in raw:
        raise BadValue("value.amount_both_marks", PLAIN_LIKE)
    found = PLAIN_AMOUNT.fullmatch(raw)
    if found is None:
        raise BadValue("value.amount_invalid", PLAIN_LIKE)
    whole, part = found["whole"], found["part"]
    if part is not None and len(part) == 3 and whole.isdigit() and len(whole) <= 3 and whole != "0":
        raise BadValue("value.amount_ambiguous", PLAIN_LIKE)  # a thousands separator or three decimals?
    value = Decimal(re.sub(r"[^0-9]", "", whole) + ("." + part if part else ""))
    if value >= PLAIN_LIMIT:
        raise BadValue("value.amount_too_large", {"limit": Money(int(PLAIN_LIMIT) * 100), **PLAIN_LIKE})
    return to_cents(-value if found["sign"] in ("-", "\u2212") else value)


def _strptime(text: str, fmt: str) -> date:
    return datetime.strptime(text, fmt).date()


def parse_date(text: str, fmt: str, *, xlsx: bool = False) -> date:
    raw = text.strip(" ")
    if not raw:
        raise BadValue("value.date_empty", {"example": date_example(fmt)})
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
            raise BadValue("value.date_year_range", {"low": YEAR_MIN, "high": YEAR_MAX, "example": date_example(fmt)})
        return day
    raise BadValue("value.date_impossible" if impossible else "value.date_invalid", {"example": date_example(fmt)})


def date_example(fmt: str) -> str:
    """31.12.2025 in the mapping's format, for what a problem says is expected."""
    return datetime(2025, 12, 31).strftime(fmt)


def amount_example(decimal: str, thousands: str) -> str:
    sep = {"": "", " ": " ", "\u00a0": "\u00a0"}.get(thousands, thousands)
    return f"-1{sep}234{decimal}56"
