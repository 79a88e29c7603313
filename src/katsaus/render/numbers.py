"""Presenting the report model's exact numbers as text (and as rounded numbers for spreadsheets).

Rounding happens here and only here, from exact cents (``int``) and exact ``Fraction`` ratios with integer
arithmetic: a float would turn boundary cases such as 1,005 % into 1,00 %. Babel supplies the locale's
grouping, decimal and percent conventions; we only give it numbers that are already rounded.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from babel import Locale
from babel.numbers import format_decimal, format_percent

from katsaus.core.model import Cell, Column, Conventions
from katsaus.core.rounding import round_to

DASH = "\u2013"  # en dash: what "dash" conventions print
_UNICODE_MINUS = "\u2212"


def _plain_minus(text: str) -> str:
    # Some CLDR locales (fi, sv) name U+2212 as their minus; the reports use hyphen-minus.
    return text.replace(_UNICODE_MINUS, "-")


# ---------------------------------------------------------------- amounts


def column_conventions(conv: Conventions, column: Column) -> Conventions:
    """The template's conventions with a column's own `empty` and `zero` settings."""
    if column.empty is None and column.zero is None:
        return conv
    return replace(conv, empty=column.empty or conv.empty, zero=column.zero or conv.zero)


def amount_shows(cell: Cell, conv: Conventions) -> str:
    """What convention an amount cell falls under: "number", or the `empty`/`zero` setting that replaces it."""
    if cell.cents is None:
        return "number" if conv.empty == "zero" else conv.empty
    if cell.cents == 0 and conv.zero != "zero":
        return conv.zero
    return "number"


def amount_number(cell: Cell, conv: Conventions) -> Decimal | None:
    """The number an amount cell shows, in the template's unit, rounded; None when it shows no number."""
    if amount_shows(cell, conv) != "number":
        return None
    if cell.cents is None:
        return Decimal(0).scaleb(-conv.amount_decimals)
    return round_to(Fraction(cell.cents, 100 * conv.amount_unit), conv.amount_decimals, conv.rounding)


def amount_pattern(conv: Conventions) -> str:
    """"#,##0" or, with cents, "#,##0.00": the locale gives the grouping and decimal signs."""
    return "#,##0" + ("." + "0" * conv.amount_decimals if conv.amount_decimals else "")


def format_amount(cell: Cell, conv: Conventions) -> str:
    """An amount as the report prints it: "16 777" (NBSP grouping in fi/sv), "-170 285", "6 228 970,36";
    an empty cell or an exact zero as the template's `empty` / `zero` say ("", "0", "–")."""
    if amount_shows(cell, conv) == "dash":
        return DASH
    number = amount_number(cell, conv)
    if number is None:
        return ""
    return _plain_minus(format_decimal(number, format=amount_pattern(conv), locale=conv.locale))


def format_millions(cell: Cell, conv: Conventions, decimals: int = 1) -> str:
    """An amount in millions of euros as running text writes it: "-77,7"."""
    if cell.cents is None:
        return ""
    number = round_to(Fraction(cell.cents, 100 * 1_000_000), decimals, conv.rounding)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _plain_minus(format_decimal(number, format=pattern, locale=conv.locale))


# ---------------------------------------------------------------- ratios


def ratio_number(cell: Cell, conv: Conventions) -> Decimal | None:
    """The ratio as a fraction (0.350 for "35,0 %"), rounded to the presented precision; None if no number shows.

    Rounding the fraction to ``percent_decimals + 2`` places is exactly rounding the percentage to
    ``percent_decimals`` places, so a spreadsheet cell with a percent format shows what the report shows.
    """
    places = conv.percent_decimals + 2
    if cell.ratio is None:
        shows_zero = conv.zero_base == "zero" if cell.zero_base else conv.empty == "zero"
        return Decimal(0).scaleb(-places) if shows_zero else None
    return round_to(cell.ratio, places, conv.rounding)


def percent_pattern(conv: Conventions) -> str:
    """The locale's percent pattern with the template's decimals: fi "#,##0.0\u00a0%", en "#,##0.0%"."""
    pattern: str = Locale.parse(conv.locale).percent_formats[None].pattern
    positive = pattern.split(";")[0]
    if conv.percent_decimals > 0:
        # The integer part of a CLDR percent pattern ends in its last "0": decimals go right after it.
        at = positive.rindex("0") + 1
        positive = positive[:at] + "." + "0" * conv.percent_decimals + positive[at:]
    return positive


def format_ratio(cell: Cell, conv: Conventions) -> str:
    """A ratio as a percentage: "49,6 %" (NBSP before % in fi/sv); zero base and empty per the conventions."""
    show = conv.zero_base if cell.zero_base else conv.empty
    if cell.ratio is None and show == "dash":
        return DASH
    number = ratio_number(cell, conv)
    if number is None:
        return ""
    text = format_percent(number, format=percent_pattern(conv), locale=conv.locale)
    return _plain_minus(text)


# ---------------------------------------------------------------- any cell


def format_cell(cell: Cell, conv: Conventions) -> str:
    if cell.kind == "text":
        return cell.text
    if conv.style == "plain":
        return format_plain(cell, conv)
    return format_ratio(cell, conv) if cell.kind == "ratio" else format_amount(cell, conv)


def format_plain(cell: Cell, conv: Conventions) -> str:
    """Machine-readable: exact amounts in the template's unit with a decimal point, ratios as 6-decimal fractions."""
    if cell.kind == "ratio":
        if cell.ratio is None:
            return "0.000000" if cell.zero_base and conv.zero_base == "zero" else ""
        return str(round_to(cell.ratio, 6, conv.rounding))
    if amount_shows(cell, conv) != "number":
        return ""
    if cell.cents is None:
        return "0.00"
    return str(round_to(Fraction(cell.cents, 100 * conv.amount_unit), 2, conv.rounding))


def cell_number(cell: Cell, conv: Conventions) -> Decimal | None:
    if cell.kind == "text":
        return None
    return ratio_number(cell, conv) if cell.kind == "ratio" else amount_number(cell, conv)


def format_cents(cents: int | None, conv: Conventions) -> str:
    """Cents as the report's amount cells print them ("" for none)."""
    return "" if cents is None else format_amount(Cell("amount", cents), conv)
