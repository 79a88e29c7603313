"""Narratives: a unit's Markdown text for a period, its figure placeholders, and the numbers typed into it by hand.

A placeholder names a figure of the report model and is filled when the report is rendered (docs/narratives.md)::

    {{ luku: PESOVA / toimintakate / tot | milj }}   -> -76,1
    {{ luku: . / toimintakate / tot_pct }}           -> 49,6 %   ("." is the narrative's own unit)

Here the placeholders are parsed and resolved against the report model; a reference to a figure that does not
exist is a problem that names it. Formatting belongs to the renderer. The second half reads the text the way the
checks need it: paragraphs, sentences and the numbers typed by hand, with their units and qualifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .model import Cell, Report
from .periods import Period

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
FORMATS = ("tuhat", "milj", "euro", "pct")
AMOUNT_FORMATS = ("tuhat", "milj", "euro")
OWN_UNIT = "."


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
    problem: str = ""


@dataclass(frozen=True)
class NarrativeResult:
    narrative: Narrative
    unit_name: str
    refs: tuple[ResolvedRef, ...] = ()
    problems: tuple[str, ...] = ()  # syntax errors and references to figures that do not exist


# --- placeholders --------------------------------------------------------------------------------------


def parse_placeholders(text: str) -> tuple[list[FigureRef], list[str]]:
    """Every placeholder of a text, and a problem for each one that is malformed (or an unclosed "{{")."""
    refs: list[FigureRef] = []
    problems: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        ref, problem = parse_one(match.group(0), match.group(1), match.start(), match.end())
        if problem:
            problems.append(problem)
        else:
            refs.append(ref)  # type: ignore[arg-type]
    rest = PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        problems.append("an unclosed placeholder: every '{{' needs its '}}'")
    return refs, problems


def parse_one(whole: str, inner: str, start: int, end: int) -> tuple[FigureRef | None, str]:
    kind, colon, rest = inner.partition(":")
    if not colon or kind.strip() != "luku":
        return None, f"{whole}: a placeholder looks like {{{{ luku: UNIT / LINE / COLUMN | FORMAT }}}}"
    path, _, fmt = rest.partition("|")
    parts = [p.strip() for p in path.split("/")]
    if len(parts) != 3 or not all(parts):
        return None, f"{whole}: name the figure as UNIT / LINE / COLUMN (use '.' for the narrative's own unit)"
    name, _, digits = fmt.strip().partition(":")
    if name and name not in FORMATS:
        return None, f"{whole}: unknown format {name!r}; formats are {', '.join(FORMATS)} (optionally with :DECIMALS)"
    if digits and not (digits.isdigit() and int(digits) <= 4):
        return None, f"{whole}: decimals after ':' must be 0-4, got {digits!r}"
    return FigureRef(whole, start, end, parts[0], parts[1], parts[2], name, int(digits) if digits else None), ""


def find_cell(report: Report, unit: str, line: str, column: str) -> tuple[Cell | None, str]:
    """The figure of a unit, line and column in any table of the report, or why there is none."""
    tables = [t for t in report.tables if t.unit_code == unit]
    if not tables:
        units = sorted({t.unit_code for t in report.tables})
        return None, f"unit {unit!r} has no table in this report; units with tables are {units}"
    with_line = [t for t in tables if any(r.line_code == line for r in t.rows)]
    if not with_line:
        lines = sorted({r.line_code for t in tables for r in t.rows})
        return None, f"line {line!r} is in no table of unit {unit!r}; its lines are {lines}"
    for table in with_line:
        if any(c.key == column for c in table.columns):
            return table.row(line).cell(table.columns, column), ""
    columns = sorted({c.key for t in with_line for c in t.columns})
    return None, f"column {column!r} is not shown for line {line!r} of unit {unit!r}; columns are {columns}"


def resolve_ref(ref: FigureRef, own_unit: str, report: Report) -> ResolvedRef:
    unit = own_unit if ref.unit == OWN_UNIT else ref.unit
    cell, why = find_cell(report, unit, ref.line, ref.column)
    if cell is None:
        return ResolvedRef(ref, unit, None, f"{ref.text}: no figure {unit} / {ref.line} / {ref.column} in the report: {why}")
    if ref.format in AMOUNT_FORMATS and cell.kind != "amount" or ref.format == "pct" and cell.kind != "ratio":
        return ResolvedRef(ref, unit, None, f"{ref.text}: format {ref.format!r} does not fit a {cell.kind} figure")
    return ResolvedRef(ref, unit, cell)


def resolve(narrative: Narrative, report: Report, unit_name: str = "") -> NarrativeResult:
    refs, problems = parse_placeholders(narrative.markdown)
    resolved = tuple(resolve_ref(ref, narrative.unit_code, report) for ref in refs)
    problems += [r.problem for r in resolved if r.problem]
    return NarrativeResult(narrative, unit_name or narrative.unit_code, resolved, tuple(problems))


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
_APPROX = {
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
        return max(0, -self.value.as_tuple().exponent)  # type: ignore[operator]

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


def to_decimal(match: re.Match) -> Decimal:
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
    return _APPROX.get(words[-1], "exact") if words else "exact"  # type: ignore[return-value]
