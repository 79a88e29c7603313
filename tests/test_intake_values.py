"""Amounts as people type them and plan files hold them (`parse_plain_amount`): what is read, and what is
refused rather than guessed."""

from __future__ import annotations

import pytest

from katsaus.intake.values import BadValue, parse_plain_amount


@pytest.mark.parametrize(
    "text, cents",
    [
        ("-1 234 567,89", -123_456_789),
        ("-1\u00a0234\u00a0567,89", -123_456_789),  # no-break spaces, as Finnish software writes them
        ("1\u202f234,5", 123_450),
        ("1234567.89", 123_456_789),  # an Excel number read as text
        ("\u2212500", -50_000),  # the minus sign the reports print
        ("+5", 500),
        ("0,125", 13),  # a leading 0 cannot be a thousands group: three decimals, rounded half away from zero
        ("12777,075", 1_277_708),  # five digits before the comma: not a thousands separator either
        ("0.30000000000000004", 30),  # 0.1 + 0.2 in an Excel cell
        ("1 234,567", 123_457),  # grouped with spaces, so the comma is the decimal mark
        ("  42 ", 4_200),
    ],
)
def test_amounts_that_are_read(text, cents):
    assert parse_plain_amount(text) == cents


@pytest.mark.parametrize(
    "text, reason",
    [
        ("1.234", "ambiguous"),  # 1 234 with a thousands dot, or 1,23?
        ("12,345", "ambiguous"),
        ("1.234.567", "not an amount"),
        ("1.234.567,89", "both ',' and '.'"),
        ("12e3", "not an amount"),  # Python's Decimal would read these
        ("1_000", "not an amount"),
        ("NaN", "not an amount"),
        ("1 2345", "not an amount"),  # spaces only between groups of three
        ("(1234)", "not an amount"),
        ("1 234 €", "not an amount"),
        ("9999999999999999", "too large"),
        ("", "empty"),
        ("\uff11\uff12\uff13", "not an amount"),  # full-width digits: Python's int() would read them
        ("\u0663\u0664\u0665", "not an amount"),
    ],
)
def test_amounts_that_are_refused(text, reason):
    with pytest.raises(BadValue) as refused:
        parse_plain_amount(text)
    assert reason in refused.value.reason
