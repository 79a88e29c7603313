"""What a person can be refused, warned or told: one family of plain data.

A `Problem` is one thing wrong (or worth a warning, or worth knowing) with a stable `code`, its `params` and a
location as precise as the input allows: a file's sheet, row and column; a configuration key, command option or
form field; a report's unit, table, row and column. A `Note` is a line of what was done. Neither holds prose:
the text is made from code and parameters at the edge (`katsaus.render.messages`), in the reader's language, from
one catalogue (`render/messages.toml`); a code without Finnish and Swedish text fails a test.

`Refused` is the one exception of the family: the problems that stopped an operation, what was (not) done as a
`Note`, and the HTTP status the web answers with. Its kinds differ only in that status: `NotAllowed` (403),
`NotFound` (404; also what a person may not know exists), `Conflict` (409: the state does not allow it now).

Parameter values stay data (`int`, `Decimal`, `Fraction`, `date`, `str`, sequences of them) and are formatted
at the edge; `Money` (cents shown as euros), `Percent` (a ratio shown as a percentage) and `Term` (a code whose
words come from the catalogue, e.g. a status) say how a value is meant. A `Note` may itself be a parameter: a
sentence inside a sentence (a goal's explanation inside a finding about the goal), shown with its own text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar, Literal, TypeAlias, Union

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Money:
    """Cents meant as euros ("1 234,56 €")."""

    cents: int


@dataclass(frozen=True)
class Percent:
    """A ratio meant as a percentage (Fraction(1, 4) is "25 %")."""

    ratio: Fraction


@dataclass(frozen=True)
class Term:
    """A code whose words are in the catalogue: a status, a role, a kind (Term("status.submitted"))."""

    code: str


# A `Note` as a parameter is a sentence inside a sentence (a goal's explanation inside a finding about it).
Param: TypeAlias = Union[str, int, Decimal, Fraction, date, Money, Percent, Term, "Note", "tuple[Param, ...]", None]
Params: TypeAlias = Mapping[str, Param]


def frozen_params(params: Mapping[str, object] | None) -> tuple[tuple[str, object], ...]:
    """Parameters as a hashable, ordered value (lists become tuples)."""
    if not params:
        return ()
    return tuple((name, tuple(value) if isinstance(value, list) else value) for name, value in params.items())


@dataclass(frozen=True)
class Note:
    """A line of what was done ("10 097 rows → 3 878 monthly balances"), as code and parameters."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", dict(frozen_params(self.params)))

    def __hash__(self) -> int:
        return hash((self.code, frozen_params(self.params)))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input or a report, located as precisely as the input allows."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)
    severity: Severity = "error"
    file: str | None = None       # a file's name as the person gave it
    sheet: str | None = None      # a workbook's sheet
    row: int | str | None = None  # a file's row number, or a report table's row (its label)
    column: str | None = None     # a file's column name, or a report table's column
    key: str | None = None        # a configuration key, a command option or a form field
    unit: str | None = None       # a report's unit (code or printed name)
    table: str | None = None      # a report's table
    passage: str | None = None    # the words of a text the problem is about
    found: str | None = None      # what the input held, as it was found

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", dict(frozen_params(self.params)))

    def __hash__(self) -> int:
        return hash((self.code, frozen_params(self.params), self.severity, self.file, self.sheet, self.row,
                     self.column, self.key, self.unit, self.table, self.passage, self.found))

    def __str__(self) -> str:
        """For logs and tracebacks only: what a person reads comes from katsaus.render.messages."""
        where = ", ".join(f"{name}={value!r}" for name, value in self.location().items())
        params = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        found = f" found={self.found!r}" if self.found is not None else ""
        return f"{self.severity} {self.code}({params}) at [{where}]{found}"

    def location(self) -> dict[str, str | int]:
        """The located parts, in the order a reader reads them."""
        parts = {"file": self.file, "sheet": self.sheet, "key": self.key, "unit": self.unit, "table": self.table,
                 "row": self.row, "column": self.column}
        return {name: value for name, value in parts.items() if value is not None and value != ""}


class Refused(Exception):
    """An operation refused: nothing of it was done (or only what `outcome` says). `problems` say why, all of
    them at once; `omitted` counts those left out of a long list; `status` is what the web answers."""

    status: ClassVar[int] = 400

    def __init__(self, problems: Problem | Iterable[Problem], omitted: int = 0,
                 outcome: Note | str = "outcome.nothing_done") -> None:
        self.problems: tuple[Problem, ...] = (problems,) if isinstance(problems, Problem) else tuple(problems)
        self.omitted = omitted
        self.outcome = outcome if isinstance(outcome, Note) else Note(outcome)
        super().__init__("; ".join(str(p) for p in self.problems) + (f" (+{omitted} more)" if omitted else ""))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)

    def with_outcome(self, outcome: Note | str) -> Refused:
        """The same refusal saying another outcome (an outer operation knows better what was not done)."""
        return self.copy(outcome=outcome)

    def copy(self, problems: Iterable[Problem] | None = None, outcome: Note | str | None = None) -> Refused:
        """The same refusal (its kind and whatever else it carries) with other problems or outcome."""
        made = type(self).__new__(type(self))
        made.__dict__.update(self.__dict__)
        Refused.__init__(made, self.problems if problems is None else problems, self.omitted,
                         self.outcome if outcome is None else outcome)
        return made


class NotAllowed(Refused):
    """The actor's roles do not allow this."""

    status = 403


class NotFound(Refused, LookupError):
    """No such thing, or nothing the actor may know exists."""

    status = 404


class Conflict(Refused):
    """The state does not allow it now: a status, a newer version, a published report."""

    status = 409


def refuse(problems: Iterable[Problem], omitted: int = 0, outcome: Note | str = "outcome.nothing_stored") -> None:
    """Raise Refused when any problem is an error (warnings and notes alone do not refuse)."""
    problems = tuple(problems)
    if omitted or any(p.severity == "error" for p in problems):
        raise Refused(problems, omitted, outcome)
