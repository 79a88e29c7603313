"""The statement scheme: lines, derived lines, account ranges, internal items and the sign rule.

What cannot be a scheme is refused with coded problems (`scheme.*`): the configuration check relocates them to
the file and key they came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from .errors import NotFound, Problem, Refused

LedgerSign = Literal["costs_positive", "as_statement"]


@dataclass(frozen=True)
class AccountRange:
    """A prefix range: ('30', '31') holds every account whose first two characters lie in 30..31."""

    low: str
    high: str

    @classmethod
    def parse(cls, text: str) -> AccountRange:
        """'30-31' or '4'; refused (`scheme.account_range_form`, `scheme.account_range_backwards`) otherwise."""
        low, _, high = text.partition("-")
        low, high = low.strip(), (high.strip() or low.strip())
        if not low or len(low) != len(high):
            raise Refused(Problem("scheme.account_range_form", {"examples": ("30-31", "4")}, found=text))
        if low > high:
            raise Refused(Problem("scheme.account_range_backwards", {"low": low, "high": high}, found=text))
        return cls(low, high)

    def matches(self, account: str) -> bool:
        prefix = account[: len(self.low)]
        return len(prefix) == len(self.low) and self.low <= prefix <= self.high

    def overlaps(self, other: AccountRange) -> bool:
        width = min(len(self.low), len(other.low))
        return not (self.high[:width] < other.low[:width] or other.high[:width] < self.low[:width])

    def __str__(self) -> str:
        return self.low if self.low == self.high else f"{self.low}-{self.high}"


@dataclass(frozen=True)
class Term:
    line: str
    sign: int = 1  # +1 or -1


@dataclass(frozen=True)
class Line:
    code: str
    name_fi: str
    name_sv: str | None = None
    accounts: tuple[AccountRange, ...] = ()
    sum_of: tuple[Term, ...] = ()

    @property
    def is_derived(self) -> bool:
        return bool(self.sum_of)

    def name(self, language: str = "fi") -> str:
        return self.name_sv if language == "sv" and self.name_sv else self.name_fi


@dataclass(frozen=True)
class Scheme:
    code: str
    name_fi: str
    lines: tuple[Line, ...]
    ledger_sign: LedgerSign = "costs_positive"
    internal_accounts: tuple[AccountRange, ...] = ()
    name_sv: str | None = None

    @cached_property
    def _by_code(self) -> dict[str, Line]:
        return {line.code: line for line in self.lines}

    @cached_property
    def _account_cache(self) -> dict[str, str | None]:
        return {}

    def line(self, code: str) -> Line:
        """The line of a code; NotFound (`scheme.line_unknown`, naming the lines there are) for another code."""
        try:
            return self._by_code[code]
        except KeyError:
            raise NotFound(Problem("scheme.line_unknown", {"line": code, "lines": tuple(line.code for line in self.lines)},
                                   key="line", found=code)) from None

    def has_line(self, code: str) -> bool:
        return code in self._by_code

    def leaf_lines(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if not line.is_derived)

    def line_of_account(self, account: str) -> str | None:
        cache = self._account_cache
        if account not in cache:
            cache[account] = next(
                (line.code for line in self.leaf_lines() if any(r.matches(account) for r in line.accounts)),
                None,
            )
        return cache[account]

    def is_internal(self, account: str) -> bool:
        return any(r.matches(account) for r in self.internal_accounts)

    def to_statement_sign(self, ledger_cents: int) -> int:
        return -ledger_cents if self.ledger_sign == "costs_positive" else ledger_cents

    @cached_property
    def evaluation_order(self) -> tuple[str, ...]:
        """Lines ordered so that every derived line comes after the lines it sums (checked acyclic on load)."""
        order: list[str] = []
        done: set[str] = set()

        def visit(code: str, path: tuple[str, ...]) -> None:
            if code in done:
                return
            if code in path:
                raise Refused(Problem("scheme.lines_cycle", {"lines": path + (code,)}, key="sum_of"))
            for term in self.line(code).sum_of:
                visit(term.line, path + (code,))
            done.add(code)
            order.append(code)

        for line in self.lines:
            visit(line.code, ())
        return tuple(order)

    def evaluate(self, leaves: Mapping[str, int | None]) -> dict[str, int | None]:
        """All lines from the leaf lines' values. A derived line is None only when all its terms are None."""
        values: dict[str, int | None] = {}
        for code in self.evaluation_order:
            line = self.line(code)
            if not line.is_derived:
                values[code] = leaves.get(code)
                continue
            terms = [(t.sign, values[t.line]) for t in line.sum_of]
            present = [sign * v for sign, v in terms if v is not None]
            values[code] = sum(present) if present else None
        return values
