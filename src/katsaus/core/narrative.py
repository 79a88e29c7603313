"""Narratives: a unit's Markdown text for a period, its figure placeholders, and the numbers typed into it by hand.

A placeholder names a figure of the report model and is filled when the report is rendered (docs/narratives.md)::

    {{ luku: PESOVA / toimintakate / tot | milj }}   -> -76,1
    {{ luku: . / toimintakate / tot_pct }}           -> 49,6 %   ("." is the narrative's own unit)

Here the placeholders are parsed and resolved against the report model's tables; a malformed placeholder or a
reference to a figure that does not exist is a `Problem` (codes `narrative.*`) that names it, located at the
narrative's unit and section with the placeholder as found. Formatting belongs to the renderer. The second half
reads the text the way the checks need it: paragraphs, sentences and the numbers typed by hand, with their units
and qualifiers.

This module imports the tables (`core.tables`), not the report (`core.model`), which holds its results: it
resolves against anything with `tables` (`WithTables`), so the two never import each other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal, Protocol

from .errors import Problem, Term
from .periods import Period
from .tables import Cell, Table

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
FORMATS = ("tuhat", "milj", "euro", "pct")
AMOUNT_FORMATS = ("tuhat", "milj", "euro")
OWN_UNIT = "."
NARRATIVE_TABLE = "narrative"  # the `table` of a problem located in a narrative (its `row` is the section)


@dataclass(frozen=True)
class Narrative:
    unit_code: str
    period: Period
    section: str
    markdown: str
    title: str = ""
    position: int = 0
    source: str = ""
    entered_by: str = ""
    entered_at: str = ""


@dataclass(frozen=True)
class FigureRef:
    """One placeholder as written, and what it names."""

    text: str  # the placeholder as written, "{{ luku: ... }}"
    start: int
    end: int
    unit: str  # "." for the narrative's own unit
    line: str
    column: str
    format: str = ""  # "" = as the tables show it
    decimals: int | None = None


@dataclass(frozen=True)
class ResolvedRef:
    ref: FigureRef
    unit_code: str
    cell: Cell | None  # None when it names no figure (see problem)
    problem: Problem | None = None


@dataclass(frozen=True)
class NarrativeResult:
    narrative: Narrative
    unit_name: str
    refs: tuple[ResolvedRef, ...] = ()
    problems: tuple[Problem, ...] = ()  # malformed placeholders and references to figures that do not exist


class WithTables(Protocol):
    """What a placeholder is resolved against: the report model (or anything else with its tables)."""

    @property
    def tables(self) -> Sequence[Table]: ...


# --- placeholders --------------------------------------------------------------------------------------


def parse_placeholders(text: str) -> tuple[list[FigureRef], list[Problem]]:
    """Every placeholder of a text, and a problem for each one that is malformed (or an unclosed "{{"); each
    problem's `found` is the placeholder as written."""
    refs: list[FigureRef] = []
    problems: list[Problem] = []
    for match in PLACEHOLDER.finditer(text):
        ref, problem = parse_one(match.group(0), match.group(1), match.start(), match.end())
        if problem is not None:
            problems.append(problem)
        elif ref is not None:
            refs.append(ref)
    rest = PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        problems.append(Problem("narrative.placeholder_unclosed", found=unclosed(rest)))
    return refs, problems


def unclosed(rest: str) -> str:
    """The words around an unmatched brace pair, as found (at most 40 characters)."""
    at = min(i for i in (rest.find("{{"), rest.find("}}")) if i >= 0)
    return rest[max(0, at - 20): at + 20].strip()


def parse_one(whole: str, inner: str, start: int, end: int) -> tuple[FigureRef | None, Problem | None]:
    kind, colon, rest = inner.partition(":")
    if not colon or kind.strip() != "luku":
        return None, Problem("narrative.placeholder_form", {"form": "{{ luku: UNIT / LINE / COLUMN | FORMAT }}"},
                             found=whole)
    path, _, fmt = rest.partition("|")
    parts = [p.strip() for p in path.split("/")]
    if len(parts) != 3 or not all(parts):
        return None, Problem("narrative.placeholder_path", {"own_unit": OWN_UNIT}, found=whole)
    name, _, digits = fmt.strip().partition(":")
    if name and name not in FORMATS:
        return None, Problem("narrative.placeholder_format", {"format": name, "formats": FORMATS}, found=whole)
    if digits and not (digits.isdigit() and int(digits) <= 4):
        return None, Problem("narrative.placeholder_decimals", {"decimals": digits, "most": 4}, found=whole)
    return FigureRef(whole, start, end, parts[0], parts[1], parts[2], name, int(digits) if digits else None), None


def find_cell(report: WithTables, unit: str, line: str, column: str) -> tuple[Cell | None, Problem | None]:
    """The figure of a unit, line and column in any table of the report, or the problem why there is none."""
    tables = [t for t in report.tables if t.unit_code == unit]
    if not tables:
        units = tuple(sorted({t.unit_code for t in report.tables}))
        return None, Problem("narrative.figure_unit", {"unit": unit, "units": units})
    with_line = [t for t in tables if any(r.line_code == line for r in t.rows)]
    if not with_line:
        lines = tuple(sorted({r.line_code for t in tables for r in t.rows}))
        return None, Problem("narrative.figure_line", {"unit": unit, "line": line, "lines": lines})
    for table in with_line:
        if any(c.key == column for c in table.columns):
            return table.row(line).cell(table.columns, column), None
    columns = tuple(sorted({c.key for t in with_line for c in t.columns}))
    return None, Problem("narrative.figure_column", {"unit": unit, "line": line, "column": column,
                                                      "columns": columns})


def resolve_ref(ref: FigureRef, own_unit: str, report: WithTables) -> ResolvedRef:
    unit = own_unit if ref.unit == OWN_UNIT else ref.unit
    cell, why = find_cell(report, unit, ref.line, ref.column)
    if cell is None:
        assert why is not None  # find_cell gives a cell or the problem
        return ResolvedRef(ref, unit, None, replace(why, found=ref.text))
    if ref.format in AMOUNT_FORMATS and cell.kind != "amount" or ref.format == "pct" and cell.kind != "ratio":
        problem = Problem("narrative.format_mismatch", {"format": ref.format, "kind": Term(f"cell_kind.{cell.kind}")},
                          found=ref.text)
        return ResolvedRef(ref, unit, None, problem)
    return ResolvedRef(ref, unit, cell)


def located(problem: Problem, narrative: Narrative) -> Problem:
    """A placeholder's problem at its narrative: the unit, the table "narrative" and the section as its row."""
    return replace(problem, unit=narrative.unit_code, table=NARRATIVE_TABLE, row=narrative.section)


def resolve(narrative: Narrative, report: WithTables, unit_name: str = "") -> NarrativeResult:
    refs, malformed = parse_placeholders(narrative.markdown)
    resolved = tuple(resolve_ref(ref, narrative.unit_code, report) for ref in refs)
    problems = [located(p, narrative) for p in malformed]
    located_refs = tuple(replace(r, problem=located(r.problem, narrative)) if r.problem else r for r in resolved)
    problems += [r.problem for r in located_refs if r.problem is not None]
    return NarrativeResult(narrative, unit_name or narrative.unit_code, located_refs, tuple(problems))


# --- reading the text: sentences and numbers typed by hand ---------------------------------------------

NumberKind = Literal["millions", "thousands", "euros", "percent", "count"]
Approx = Literal["exact", "about", "over", "under"]

_NUMBER = re.compile(
    r"(?<![\w.,\-–−])(?<!\d/)(?P<sign>[-−])?"
    r"(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)(?:,(?P<frac>\d+))?"
    r"(?![\d\-–]|/\d|[.,]\d|\.[^\W\d_])"
)
_UNIT = re.compile(
    r"[ \u00a0\u202f]?(?P<unit>%|prosent\w*|milj(?:oonaa|\.)?[ \u00a0]*(?:euroa|€)|miljoonaa|M€|tuhatta euroa|t€|euroa|€)",
    re.I,
)
_APPROX: dict[str, Approx] = {
    "noin": "about", "n.": "about", "lähes": "about", "runsas": "about", "runsaat": "about", "vajaa": "about",
    "vajaat": "about", "arviolta": "about", "likimain": "about", "yli": "over", "vähintään": "over",
    "alle": "under", "enintään": "under",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9”\"(])")
_MARKUP = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])|[*_`]+")


@dataclass(frozen=True)
class StatedNumber:
    """A number typed into a text with its unit: "-76,1 miljoonaa euroa", "noin 10 %", "728 asiakasta"."""

    raw: str
    value: Decimal
    kind: NumberKind
    approx: Approx
    start: int
    end: int
    before: str  # the sentence's text from the previous number (or its start) to this one
    after: str  # a parenthesis right after the number, "(THL 2024)", else ""

    @property
    def decimals(self) -> int:
        exponent = self.value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0

    @property
    def is_year(self) -> bool:
        """A bare 19xx/20xx: a year the text talks about, not a figure."""
        return self.kind == "count" and self.value == int(self.value) and 1900 <= self.value <= 2100


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    index: int
    text: str
    numbers: tuple[StatedNumber, ...]


def plain_text(markdown: str) -> str:
    """The text without placeholders (their figures come from the model, so nothing to check) and markup."""
    text = PLACEHOLDER.sub(" ", markdown)
    return _MARKUP.sub(lambda m: m.group(1) or "", text)


def sentences(markdown: str) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    paragraphs = [p for p in re.split(r"\n\s*\n", plain_text(markdown)) if p.strip()]
    for p, paragraph in enumerate(paragraphs):
        flat = re.sub(r"\s+", " ", paragraph).strip()
        for i, text in enumerate(_SENTENCE_END.split(flat)):
            out.append(Sentence(p, i, text, stated_numbers(text)))
    return tuple(out)


def stated_numbers(text: str) -> tuple[StatedNumber, ...]:
    found: list[StatedNumber] = []
    previous_end = 0
    for match in _NUMBER.finditer(text):
        unit = _UNIT.match(text, match.end())
        end = unit.end() if unit else match.end()
        kind = number_kind(unit.group("unit") if unit else "")
        value = to_decimal(match)
        before = text[previous_end : match.start()]
        after = re.match(r"\s*(\([^()]*\))", text[end:])
        found.append(
            StatedNumber(text[match.start() : end], value, kind, approx_of(before), match.start(), end, before, after.group(1) if after else "")
        )
        previous_end = end
    return tuple(found)


def to_decimal(match: re.Match[str]) -> Decimal:
    digits = re.sub(r"\D", "", match.group("int"))
    text = digits + (f".{match.group('frac')}" if match.group("frac") else "")
    return -Decimal(text) if match.group("sign") else Decimal(text)


def number_kind(unit: str) -> NumberKind:
    unit = unit.lower()
    if not unit:
        return "count"
    if unit == "%" or unit.startswith("prosent"):
        return "percent"
    if unit.startswith("milj") or unit == "m€":
        return "millions"
    if unit.startswith("tuhat") or unit == "t€":
        return "thousands"
    return "euros"


def approx_of(before: str) -> Approx:
    words = before.lower().split()
    return _APPROX.get(words[-1], "exact") if words else "exact"
