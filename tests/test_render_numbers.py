"""Exact strings of the number formatting, with the model report's cases and the rounding boundaries."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from katsaus.core.model import Cell, Conventions
from katsaus.core.rounding import round_to
from katsaus.render.numbers import (
    amount_number,
    format_amount,
    format_cell,
    format_ratio,
    ratio_number,
)

NBSP = "\u00a0"
FI = Conventions()


def amount(cents: int | None) -> Cell:
    return Cell("amount", cents=cents)


def ratio(value: Fraction | None, zero_base: bool = False) -> Cell:
    return Cell("ratio", ratio=value, zero_base=zero_base)


# ---------------------------------------------------------------- amounts, 1000 €


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (1_677_700_000, f"16{NBSP}777"),
        (-17_028_500_000, f"-170{NBSP}285"),
        (0, "0"),
        (None, ""),
        (36_400_000, "364"),
        (587_500_000, f"5{NBSP}875"),  # four digits are grouped too, as printed
        (-49_999, "0"),  # -499,99 € rounds to 0 thousand: never "-0"
        (-50_000, "-1"),  # -500 € is half a thousand: half_up rounds away from zero
        (123_456_789_000_000, f"1{NBSP}234{NBSP}567{NBSP}890"),
    ],
)
def test_amount_in_thousands(cents: int | None, text: str) -> None:
    assert format_amount(amount(cents), FI) == text


def test_negative_uses_hyphen_minus_not_unicode_minus() -> None:
    text = format_amount(amount(-17_028_500_000), FI)
    assert text[0] == "-" and "\u2212" not in text


@pytest.mark.parametrize(
    ("rounding", "text"),
    [("half_up", f"16{NBSP}777"), ("half_even", f"16{NBSP}776")],
)
def test_amount_rounding_boundary(rounding: str, text: str) -> None:
    # 16 776 500,00 € is exactly half-way between two thousands.
    assert format_amount(amount(1_677_650_000), Conventions(rounding=rounding)) == text


def test_amount_in_euros_with_grouping() -> None:
    euros = Conventions(amount_unit=1)
    assert format_amount(amount(1_234_567), euros) == f"12{NBSP}346"
    assert format_amount(amount(-123_456_749), euros) == f"-1{NBSP}234{NBSP}567"
    assert format_amount(amount(-49), euros) == "0"


@pytest.mark.parametrize(("empty", "text"), [("blank", ""), ("zero", "0"), ("dash", "\u2013")])
def test_empty_amount_per_convention(empty: str, text: str) -> None:
    assert format_amount(amount(None), Conventions(empty=empty)) == text


# ---------------------------------------------------------------- ratios


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(5875, 16777), f"35,0{NBSP}%"),
        (Fraction(76084, 153508), f"49,6{NBSP}%"),
        (Fraction(172860, 170285), f"101,5{NBSP}%"),
        (Fraction(1), f"100,0{NBSP}%"),
        (Fraction(-1, 10_000), f"0,0{NBSP}%"),  # -0,01 % rounds to zero: no "-0,0 %"
        (Fraction(-5875, 16777), f"-35,0{NBSP}%"),
        (Fraction(12345), f"1{NBSP}234{NBSP}500,0{NBSP}%"),
    ],
)
def test_ratio_one_decimal(value: Fraction, text: str) -> None:
    assert format_ratio(ratio(value), FI) == text


@pytest.mark.parametrize(
    ("value", "half_up", "half_even"),
    [
        (Fraction(1, 2000), f"0,1{NBSP}%", f"0,0{NBSP}%"),  # 0,05 %
        (Fraction(3, 2000), f"0,2{NBSP}%", f"0,2{NBSP}%"),  # 0,15 %: even neighbour is up
        (Fraction(-1, 2000), f"-0,1{NBSP}%", f"0,0{NBSP}%"),
        (Fraction(4965, 10_000), f"49,7{NBSP}%", f"49,6{NBSP}%"),
    ],
)
def test_ratio_rounding_boundary(value: Fraction, half_up: str, half_even: str) -> None:
    assert format_ratio(ratio(value), Conventions(rounding="half_up")) == half_up
    assert format_ratio(ratio(value), Conventions(rounding="half_even")) == half_even


def test_ratio_rounds_from_the_exact_fraction_not_a_float() -> None:
    # 1,005 % is 1.00499999... as a float; the exact value rounds half up to 1,01 %.
    assert format_ratio(ratio(Fraction(1005, 100_000)), Conventions(percent_decimals=2)) == f"1,01{NBSP}%"


def test_whole_percentages() -> None:
    whole = Conventions(percent_decimals=0)
    assert format_ratio(ratio(Fraction(13, 100)), whole) == f"13{NBSP}%"
    assert format_ratio(ratio(Fraction(1, 8)), whole) == f"13{NBSP}%"
    assert format_ratio(ratio(Fraction(1, 8)), Conventions(percent_decimals=0, rounding="half_even")) == f"12{NBSP}%"


@pytest.mark.parametrize(
    ("zero_base", "decimals", "text"),
    [
        ("zero", 1, f"0,0{NBSP}%"),
        ("zero", 0, f"0{NBSP}%"),
        ("zero", 2, f"0,00{NBSP}%"),
        ("blank", 1, ""),
        ("dash", 1, "\u2013"),
    ],
)
def test_zero_base_per_convention(zero_base: str, decimals: int, text: str) -> None:
    conv = Conventions(zero_base=zero_base, percent_decimals=decimals)
    assert format_ratio(ratio(None, zero_base=True), conv) == text


def test_empty_ratio_that_is_not_zero_base_follows_the_empty_convention() -> None:
    assert format_ratio(ratio(None), Conventions(empty="blank", zero_base="zero")) == ""
    assert format_ratio(ratio(None), Conventions(empty="dash")) == "\u2013"


# ---------------------------------------------------------------- other locales


def test_swedish() -> None:
    sv = Conventions(locale="sv")
    assert format_amount(amount(-17_028_500_000), sv) == f"-170{NBSP}285"
    assert format_ratio(ratio(Fraction(76084, 153508)), sv) == f"49,6{NBSP}%"
    assert format_ratio(ratio(None, zero_base=True), sv) == f"0,0{NBSP}%"


def test_english() -> None:
    en = Conventions(locale="en")
    assert format_amount(amount(-17_028_500_000), en) == "-170,285"
    assert format_ratio(ratio(Fraction(76084, 153508)), en) == "49.6%"


def test_format_cell_dispatches_on_kind() -> None:
    assert format_cell(amount(1_677_700_000), FI) == f"16{NBSP}777"
    assert format_cell(ratio(Fraction(5875, 16777)), FI) == f"35,0{NBSP}%"


# ---------------------------------------------------------------- numbers for spreadsheets


def test_amount_number_is_the_presented_rounded_number() -> None:
    assert amount_number(amount(1_677_700_000), FI) == Decimal(16777)
    assert amount_number(amount(-17_028_450_000), FI) == Decimal(-170285)
    assert amount_number(amount(-49_999), FI).is_signed() is False  # type: ignore[union-attr]
    assert amount_number(amount(None), FI) is None
    assert amount_number(amount(None), Conventions(empty="zero")) == 0
    assert amount_number(amount(1_234_567), Conventions(amount_unit=1)) == Decimal(12346)


def test_ratio_number_is_the_fraction_rounded_to_the_presented_precision() -> None:
    value = ratio_number(ratio(Fraction(5875, 16777)), FI)
    assert value == Decimal("0.350") and isinstance(value, Decimal)
    assert ratio_number(ratio(Fraction(1, 8)), Conventions(percent_decimals=0)) == Decimal("0.13")
    assert ratio_number(ratio(None, zero_base=True), FI) == 0
    assert ratio_number(ratio(None, zero_base=True), Conventions(zero_base="blank")) is None
    assert ratio_number(ratio(None, zero_base=True), Conventions(zero_base="dash")) is None


def test_round_fraction_never_gives_negative_zero() -> None:
    assert str(round_to(Fraction(-1, 3), 0, "half_up")) == "0"
    assert str(round_to(Fraction(-1, 3000), 2, "half_even")) == "0.00"


def test_plain_style_is_machine_readable_and_exact():
    from katsaus.render.numbers import format_cell

    plain = Conventions(amount_unit=1, style="plain")
    assert format_cell(Cell("amount", cents=-678492301), plain) == "-6784923.01"
    assert format_cell(Cell("amount", cents=None), plain) == ""
    assert format_cell(Cell("ratio", ratio=Fraction(1, 3)), plain) == "0.333333"
    assert format_cell(Cell("ratio", zero_base=True), plain) == "0.000000"


# --- cents, zeros and per-column settings -------------------------------------------------------------------------


def test_amounts_with_cents_in_the_finnish_print_format():
    cents = Conventions(amount_unit=1, amount_decimals=2)
    assert format_amount(amount(622897036), cents) == f"6{NBSP}228{NBSP}970,36"
    assert format_amount(amount(-4621671806), cents) == f"-46{NBSP}216{NBSP}718,06"
    assert format_amount(amount(None), Conventions(amount_unit=1, amount_decimals=2, empty="zero")) == "0,00"
    assert amount_number(amount(150), cents) == Decimal("1.50")


def test_a_zero_amount_may_print_blank_while_empty_cells_print_zero():
    conv = Conventions(zero="blank", empty="zero")
    assert format_amount(amount(0), conv) == "" and amount_number(amount(0), conv) is None
    assert format_amount(amount(None), conv) == "0"
    assert format_amount(amount(0), Conventions(zero="dash")) == "\u2013"
    assert format_amount(amount(40_000), conv) == "0"  # 0,4 thousand rounds to 0 but is not exactly 0


def test_a_column_overrides_the_templates_empty_and_zero():
    from katsaus.core.model import Column
    from katsaus.render.numbers import column_conventions

    column = Column("muutos", "Muutos", "difference", empty="zero", zero="blank")
    conv = column_conventions(FI, column)
    assert (conv.empty, conv.zero) == ("zero", "blank")
    assert column_conventions(FI, Column("x", "X", "actual")) is FI


def test_a_text_cell_prints_its_words_and_has_no_number():
    from katsaus.render.numbers import cell_number

    cell = Cell("text", text="B")
    assert format_cell(cell, FI) == "B" and format_cell(cell, Conventions(style="plain")) == "B"
    assert cell_number(cell, FI) is None
