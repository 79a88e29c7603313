"""Integer-cent helpers: exact splitting by weights and the files' decimal-comma format."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def split_cents(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` cents in proportion to non-negative `weights`, exactly (largest remainder).

    The parts have the sign of `total` (or are 0) and sum to `total` to the cent; ties go to the earlier
    part, so the result is deterministic.
    """
    if not weights or sum(weights) <= 0:
        raise ValueError("split_cents needs at least one positive weight")
    if any(w < 0 for w in weights):
        raise ValueError("split_cents needs non-negative weights")
    sign, magnitude = (1 if total >= 0 else -1), abs(total)
    # Fractions of the float weights are exact, so the split does not depend on float summation order.
    exact = [Fraction(w) for w in weights]
    whole = sum(exact)
    shares = [magnitude * w / whole for w in exact]
    parts = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in order[: magnitude - sum(parts)]:
        parts[i] += 1
    return [sign * p for p in parts]


def format_cents(cents: int) -> str:
    """-123456 -> '-1234,56': decimal comma, two decimals, no thousands separator."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def parse_cents(text: str) -> int:
    """'-1234,56' -> -123456 (the inverse of format_cents; rejects anything else)."""
    body = text[1:] if text.startswith("-") else text
    euros, _, cents = body.partition(",")
    if not (euros.isdigit() and len(cents) == 2 and cents.isdigit()):
        raise ValueError(f"not an amount with a decimal comma and two decimals: {text!r}")
    value = int(euros) * 100 + int(cents)
    return -value if text.startswith("-") else value
