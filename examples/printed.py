"""Shared by the examples that rebuild input files from a printed table (seinajoki-2024, kauhava-2024).

A printed table gives rounded figures; a ledger needs exact cents. Where the printed totals were computed from
unrounded euros, a total can differ by a euro from the sum of its printed parts, so the parts cannot all be
whole euros. `solve_cents` picks, for each part, cents that round to its printed figure such that every printed
total is its parts' exact sum rounded. It is a small search written here, independent of Katsaus: nothing
of the code under test takes part in building the input files.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

Sums = Mapping[str, Sequence[tuple[str, int]]]  # a printed total: its parts and their signs


def transcription(path: Path) -> list[dict[str, str]]:
    """The rows of a transcribed table (../shared/reference/public/*.csv): '#' lines are its notes."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def rounded(cents: int, unit_cents: int = 100) -> int:
    """Cents rounded to whole units, half away from zero, as the printed tables round."""
    quotient, remainder = divmod(abs(cents), unit_cents)
    if 2 * remainder >= unit_cents:
        quotient += 1
    return quotient if cents >= 0 else -quotient


def solve_cents(
    printed: Mapping[str, int],
    sums: Sums,
    free: Sequence[str],
    extra: Callable[[dict[str, int]], int] = lambda values: 0,
    seed: int = 2024,
) -> dict[str, int]:
    """Cents for every part (a key of `printed` not in `sums`): each rounds to its printed euros, the parts in
    `free` may move by up to 0,49 €, and every total of `sums` rounds to its printed figure. `extra` counts
    further violated conditions. Raises ValueError when no such cents are found."""
    rng = random.Random(seed)
    cents = {name: 100 * value for name, value in printed.items() if name not in sums}

    def violations(values: dict[str, int]) -> int:
        wrong = sum(1 for total, terms in sums.items()
                    if rounded(sum(sign * values[part] for part, sign in terms)) != printed[total])
        return wrong + extra(values)

    score = violations(cents)
    for _ in range(200_000):
        if score == 0:
            return cents
        name = rng.choice(list(free))
        trial = dict(cents)
        trial[name] = 100 * printed[name] + rng.randint(-49, 49)
        trial_score = violations(trial)
        if trial_score <= score:
            cents, score = trial, trial_score
    raise ValueError(f"no cents found that round to every printed figure ({score} conditions unmet)")


def euros(cents: int) -> str:
    """Cents as a ledger amount with a decimal comma: -1234,56."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def finnish(value: int | None, decimals: int = 0, percent: bool = False) -> str:
    """A number as Finnish tables print it, from cents when `decimals` is 2: 6 228 970,36; -2,5 %."""
    if value is None:
        return ""
    whole, part = divmod(abs(value), 10**decimals) if decimals else (abs(value), 0)
    text = f"{whole:,}".replace(",", " ") + (f",{part:0{decimals}d}" if decimals else "")
    sign = "-" if value < 0 else ""
    return sign + text + (" %" if percent else "")


def write_printed(path: Path, unit: str, keys: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]) -> None:
    """A printed table in the layout `katsaus report --format csv` writes, for `katsaus check --printed`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["unit", "line", "level", *keys])
        writer.writerows([unit, label, 0, *cells] for label, cells in rows)
