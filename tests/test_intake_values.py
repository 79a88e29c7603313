"""Amounts as people type them and plan files hold them (`parse_plain_amount`): what is read, and what is
refused rather than guessed."""

from __future__ import annotations

import pytest
from reliability_support import assert_readable

from katsaus.core.errors import Money, Problem
from katsaus.intake.values import BadValue, parse_plain_amount
from katsaus.render.messages import problem_line


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
    "text, code",
    [
        ("1.234", "value.amount_ambiguous"),  # 1 234 with a thousands dot, or 1,23?
        ("12,345", "value.amount_ambiguous"),
        ("1.234.567", "value.amount_invalid"),
        ("1.234.567,89", "value.amount_both_marks"),  # both ',' and '.'
        ("12e3", "value.amount_invalid"),  # Python's Decimal would read these
        ("1_000", "value.amount_invalid"),
        ("NaN", "value.amount_invalid"),
        ("1 2345", "value.amount_invalid"),  # spaces only between groups of three
        ("(1234)", "value.amount_invalid"),
        ("1 234 €", "value.amount_invalid"),
        ("9999999999999999", "value.amount_too_large"),
        ("", "value.amount_empty"),
        ("\uff11\uff12\uff13", "value.amount_invalid"),  # full-width digits: Python's int() would read them
        ("\u0663\u0664\u0665", "value.amount_invalid"),
    ],
)
def test_amounts_that_are_refused(text, code):
    with pytest.raises(BadValue) as refused:
        parse_plain_amount(text)
    assert refused.value.code == code
    assert_readable(Problem(refused.value.code, refused.value.params))


def test_a_too_large_amount_names_the_limit():
    with pytest.raises(BadValue) as refused:
        parse_plain_amount("9999999999999999")
    assert refused.value.params == {"limit": Money(10**13 * 100), "example": ("-1 234,56", "-1234.56")}
    problem = Problem(refused.value.code, refused.value.params)  # what a caller makes of it: complete as it is
    assert problem_line(problem, "fi") == (
        "rahamäärä on liian suuri: sen on oltava alle 10\u00a0000\u00a0000\u00a0000\u00a0000,00\u00a0€; "
        "odotettiin rahamäärä, esimerkiksi -1 234,56, -1234.56")
