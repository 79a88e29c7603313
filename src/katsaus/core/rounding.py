"""The one rounding function: exact values (cents, `Fraction` ratios, `Decimal`) to a number of decimals.

Everything a reader sees is rounded here and nowhere else, with integer arithmetic (a float would turn boundary
cases such as 1,005 % into 1,00 %). The template chooses the rule: "half_up" is half away from zero (Decimal's
ROUND_HALF_UP, the model report's convention), "half_even" is the banker's rule.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Literal

Rounding = Literal["half_up", "half_even"]
RULES: tuple[Rounding, ...] = ("half_up", "half_even")


def round_to(value: Fraction | Decimal | int, places: int, rule: Rounding | str = "half_up") -> Decimal:
    """`value` rounded to `places` decimals (negative places round to tens, hundreds, …) by `rule`.

    Never returns a negative zero, so nothing downstream can print "-0".
    """
    if rule not in RULES:
        raise ValueError(f"rounding rule {rule!r}: expected one of {RULES}")
    exact = Fraction(value)
    scaled = exact * Fraction(10) ** places
    sign = -1 if scaled < 0 else 1
    quotient, remainder = divmod(abs(scaled.numerator), scaled.denominator)
    twice = 2 * remainder
    if twice > scaled.denominator or (twice == scaled.denominator and (rule == "half_up" or quotient % 2 == 1)):
        quotient += 1
    return Decimal(sign * quotient if quotient else 0).scaleb(-places)
