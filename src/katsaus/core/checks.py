"""Consistency checks over the report model: every rule reads a finished `Report` and returns findings.

A finding never stops a report: `run_checks` catches a rule that fails and reports that as a finding too.
Differences that come only from presenting rounded numbers are not errors (docs/checks.md says how each rule
decides). Plain Python: no Django, no files; numbers in messages are written plainly (decimal comma) for people.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Callable, Iterable, Literal

from .errors import Severity
from .goals import GoalResult
from .model import Cell, Column, Report, Row, Table
from .narrative import NarrativeResult, Sentence, StatedNumber, sentences, stated_numbers

Agreement = Literal["same", "rounding", "truncated", "differs"]
AMOUNT_KINDS = ("budget", "forecast", "actual", "difference")


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str
    message: str
    unit: str = ""
    table: str = ""
    row: str = ""
    column: str = ""
    passage: str = ""
    expected: str = ""
    found: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def location(self) -> str:
        parts = [p for p in (self.unit, self.table, self.row, self.column) if p]
        return " / ".join(parts)


# --- numbers -------------------------------------------------------------------------------------------


def decimals(value: Decimal) -> int:
    return max(0, -value.as_tuple().exponent)  # type: ignore[operator]


def round_half_up(value: Fraction, places: int) -> Fraction:
    scaled = value * 10**places
    sign = -1 if scaled < 0 else 1
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return Fraction(sign * whole, 10**places)


def truncate(value: Fraction, places: int) -> Fraction:
    scaled = value * 10**places
    whole = abs(scaled.numerator) // scaled.denominator
    return Fraction(whole if scaled >= 0 else -whole, 10**places)


def compare(stated: Decimal, exact: Fraction, approx: str = "exact") -> Agreement:
    """How a number stated with some decimals agrees with an exact value.

    "rounding": it is the exact value rounded to the stated decimals (not an error). "truncated": it is the exact
    value cut, not rounded. Qualified numbers: "about" ("noin 10 %") allows 10 % of the number, "over" ("yli 90 %")
    and "under" ("alle 1,6 %") are bounds.
    """
    s = Fraction(stated)
    half = Fraction(1, 2 * 10 ** decimals(stated))
    if approx == "over":
        return "same" if exact >= s else "differs"
    if approx == "under":
        return "same" if exact <= s else "differs"
    if exact == s:
        return "same"
    if abs(exact - s) <= half or (approx == "about" and abs(exact - s) <= max(half, abs(s) / 10)):
        return "rounding"
    if truncate(exact, decimals(stated)) == s:
        return "truncated"
    return "differs"


def agree_values(a: Decimal, b: Decimal) -> bool:
    """Two stated numbers agree when the more precise one rounds to the other (1,36 and 1,4)."""
    places = min(decimals(a), decimals(b))
    return round_half_up(Fraction(a), places) == round_half_up(Fraction(b), places)


def fi(value: Fraction | Decimal | int, places: int = 2) -> str:
    """A number for a message: decimal comma, at most `places` decimals, trailing zeros dropped (no float)."""
    rounded = round_half_up(Fraction(value), places)
    text = str((Decimal(rounded.numerator) / Decimal(rounded.denominator)).quantize(Decimal(1).scaleb(-places)))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "0") else text.replace(".", ",")


def shown(cents: int | None, unit: int | Fraction) -> int:
    """What an amount prints as, in steps of `unit` euros (half away from zero, as the renderers)."""
    return int(round_half_up(Fraction(cents or 0) / (100 * unit), 0))


def printed_step(conventions) -> Fraction:
    """The smallest printed amount in euros: 1000 for 1000 €, 1 for whole euros, 1/100 for cents."""
    return Fraction(conventions.amount_unit, 10**conventions.amount_decimals)


# --- statement tables -------------------------------------------------------------------------------------


def expand(terms: Iterable[tuple[str, int]], shown_lines: set[str], report: Report) -> tuple[list[tuple[str, int]], list[str]]:
    """A derived line's terms as lines of the table: derived terms not shown are expanded; leaf terms not shown
    are hidden (a reader of the table cannot see them)."""
    visible: list[tuple[str, int]] = []
    hidden: list[str] = []
    for line, sign in terms:
        if line in shown_lines:
            visible.append((line, sign))
        elif report.structure.terms(line):
            more, gone = expand(((l, s * sign) for l, s in report.structure.terms(line)), shown_lines, report)
            visible += more
            hidden += gone
        else:
            hidden.append(line)
    return visible, hidden


def amount_columns(table: Table) -> list[int]:
    return [i for i, c in enumerate(table.columns) if c.kind in AMOUNT_KINDS]


def rule_derived_lines(report: Report) -> list[Finding]:
    out: list[Finding] = []
    unit = printed_step(report.conventions)
    for table in report.tables:
        rows = {r.line_code: r for r in table.rows}
        rounding: list[str] = []
        for row in table.rows:
            visible, hidden = expand(report.structure.terms(row.line_code), set(rows), report)
            if not visible:
                continue
            for i in amount_columns(table):
                parts = [(sign, rows[line].cells[i].cents) for line, sign in visible]
                if row.cells[i].cents is None and all(c is None for _, c in parts):
                    continue
                total = sum(sign * (c or 0) for sign, c in parts)
                value = row.cells[i].cents or 0
                where = dict(unit=table.unit_code, table=table.key, row=row.label, column=table.columns[i].key)
                if value != total:
                    hint = f"; lines not shown in the table ({', '.join(hidden)}) would have to hold the difference" if hidden else ""
                    out.append(Finding("warning" if hidden else "error", "derived_line", f"the line is not the sum of its component lines{hint}", expected=fi(Fraction(total, 100)) + " €", found=fi(Fraction(value, 100)) + " €", **where))
                elif shown(value, unit) != sum(sign * shown(c, unit) for sign, c in parts):
                    rounding.append(f"{row.label} / {table.columns[i].key}: {shown(value, unit)} vs {sum(sign * shown(c, unit) for sign, c in parts)}")
        if rounding:
            out.append(Finding("info", "derived_line", "printed lines differ from the sum of their printed component lines only because each is rounded (totals come from unrounded euros): " + "; ".join(rounding), unit=table.unit_code, table=table.key))
    return out


def figures(report: Report) -> dict[tuple[str, str, str], tuple[Cell, str]]:
    """Every (unit, line, column) figure of the report's tables, with the first table that shows it."""
    found: dict[tuple[str, str, str], tuple[Cell, str]] = {}
    for table in (t for t in report.tables if t.rows_by == "line"):  # a table of units: rule_same_figure only
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells):
                found.setdefault((table.unit_code, row.line_code, column.key), (cell, table.key))
    return found


def rule_parent_children(report: Report) -> list[Finding]:
    out: list[Finding] = []
    unit = printed_step(report.conventions)
    values = figures(report)
    kinds = {c.key: c.kind for t in report.tables for c in t.columns}
    rounding: dict[str, list[str]] = {}
    for (parent, line, column), (cell, table) in values.items():
        children = report.structure.children(parent)
        if not children or kinds.get(column) not in AMOUNT_KINDS:
            continue
        kids = [values.get((child, line, column)) for child in children]
        if any(k is None for k in kids):
            continue
        cents = [k[0].cents for k in kids]  # type: ignore[index]
        if cell.cents is None and all(c is None for c in cents):
            continue
        total = sum(c or 0 for c in cents)
        if (cell.cents or 0) != total:
            out.append(Finding("error", "parent_children", f"the unit's figure is not the sum of its {len(children)} units' figures", unit=parent, table=table, row=line, column=column, expected=fi(Fraction(total, 100)) + " €", found=fi(Fraction(cell.cents or 0, 100)) + " €"))
        elif shown(cell.cents, unit) != sum(shown(c, unit) for c in cents):
            rounding.setdefault(parent, []).append(f"{line} / {column}: {shown(cell.cents, unit)} vs {sum(shown(c, unit) for c in cents)}")
    for parent, items in rounding.items():
        out.append(Finding("info", "parent_children", "printed figures differ from the sum of the printed figures of the units below only because each is rounded: " + "; ".join(items), unit=parent))
    return out


def rule_columns(report: Report) -> list[Finding]:
    """Ratio columns against their numerator and denominator, difference columns against their two columns."""
    out: list[Finding] = []
    for table in report.tables:
        keys = [c.key for c in table.columns]
        for key, kind, first, second in report.structure.column_formulas:
            if not {key, first, second} <= set(keys):
                continue
            for row in (r for r in table.rows if not r.heading):  # a heading row has no figures
                cell, a, b = (row.cells[keys.index(k)] for k in (key, first, second))
                where = dict(unit=table.unit_code, table=table.key, row=row.label, column=key)
                if kind == "ratio":
                    expected = Fraction(a.cents or 0, b.cents) if b.cents else None
                    if cell.ratio != expected or (expected is None and not cell.zero_base):
                        out.append(Finding("error", "ratio", f"the percentage is not {first} / {second}", expected=f"{fi(expected * 100, 4)} %" if expected is not None else "zero base", found=f"{fi(cell.ratio * 100, 4)} %" if cell.ratio is not None else "empty", **where))
                else:
                    expected_cents = None if a.cents is None and b.cents is None else (a.cents or 0) - (b.cents or 0)
                    if cell.cents != expected_cents:
                        out.append(Finding("error", "difference", f"the difference is not {first} − {second}", expected=str(expected_cents), found=str(cell.cents), **where))
    return out


def figure_place(table: Table, row: Row, column: Column) -> tuple[str, str, str]:
    """(unit, line, column) of a cell: in a table of units the row is the unit and the column has the line."""
    if table.rows_by == "unit":
        return (row.line_code, column.line or "", column.key)
    return (table.unit_code, row.line_code, column.key)


def rule_same_figure(report: Report) -> list[Finding]:
    """One unit's line and column must have one value in every table that shows it."""
    out: list[Finding] = []
    first: dict[tuple[str, str, str], tuple[Cell, str]] = {}
    for table in report.tables:
        for row in (r for r in table.rows if not r.heading):
            for column, cell in zip(table.columns, row.cells):
                key = figure_place(table, row, column)
                if key in first and first[key][0] != cell:
                    other = first[key]
                    out.append(Finding("error", "same_measure", f"the same figure differs between tables {other[1]} and {table.key}", unit=key[0], table=table.key, row=row.label, column=column.key, expected=str(other[0].cents if other[0].kind == "amount" else other[0].ratio), found=str(cell.cents if cell.kind == "amount" else cell.ratio)))
                first.setdefault(key, (cell, table.key))
    return out


# --- balancing programme ----------------------------------------------------------------------------------


def rule_balancing(report: Report) -> list[Finding]:
    table = report.balancing
    if table is None:
        return []
    out: list[Finding] = []
    name = "tasapainottamistoimenpiteet"
    for row in (*table.rows, table.total):
        for label, part, ratio in (("actual_pct", row.actual_cents, row.actual_ratio), ("forecast_pct", row.forecast_cents, row.forecast_ratio)):
            expected = Fraction(part, row.target_cents) if part is not None and row.target_cents else None
            if ratio != expected:
                out.append(Finding("error", "balancing", "the percentage is not the euros of the target", unit=row.owner_unit, table=name, row=row.name, column=label, expected=f"{fi(expected * 100)} %" if expected is not None else "none", found=f"{fi(ratio * 100)} %" if ratio is not None else "none"))
        if row.actual_cents is not None and row.forecast_cents is not None and row.actual_cents > row.forecast_cents:
            out.append(Finding("warning", "balancing", "euros achieved to date exceed the year-end forecast", unit=row.owner_unit, table=name, row=row.name, column="forecast", expected=f"at least {fi(Fraction(row.actual_cents, 100))} €", found=f"{fi(Fraction(row.forecast_cents, 100))} €"))
    sums = [("target", sum(r.target_cents for r in table.rows), table.total.target_cents)]
    sums.append(("actual", sum(r.actual_cents or 0 for r in table.rows), table.total.actual_cents or 0))
    sums.append(("forecast", sum(r.forecast_cents or 0 for r in table.rows), table.total.forecast_cents or 0))
    for column, expected_cents, found_cents in sums:
        if expected_cents != found_cents:
            out.append(Finding("error", "balancing", "the total is not the sum of the measures", table=name, row=table.total.name, column=column, expected=fi(Fraction(expected_cents, 100)) + " €", found=fi(Fraction(found_cents, 100)) + " €"))
    return out


# --- operational goals and key results ----------------------------------------------------------------------

STATUS_WORDS = {"met": "met", "not_met": "not met", "progress": "in progress", "not_measurable": "not measurable"}


def goal_where(result: GoalResult, column: str) -> dict[str, str]:
    return dict(unit=result.goal.unit_code, table="toiminnalliset_tavoitteet", row=result.goal.indicator, column=f"{column}_{result.goal.year}")


def rule_goal_status(report: Report) -> list[Finding]:
    out: list[Finding] = []
    for result in report.goals:
        status = result.status
        where = goal_where(result, "actual")
        override = status.override
        if override and status.computed == "not_measurable":
            out.append(Finding("info", "goal_status", f"status set by a person ({override.by or 'unknown'}) because the rule cannot decide: {status.explanation}. Reason given: {override.reason}", found=STATUS_WORDS[override.status], **where))
        elif override and override.status != status.computed:
            out.append(Finding("warning", "goal_status", f"a person ({override.by or 'unknown'}) set the status against the rule: {status.explanation}. Reason given: {override.reason}", expected=STATUS_WORDS[status.computed], found=STATUS_WORDS[override.status], **where))
        elif status.computed == "not_measurable" and result.actual is not None:
            out.append(Finding("warning", "goal_status", f"the rule cannot give a status: {status.explanation}", **where))
        if result.actual is not None and result.actual.wording:
            out += printed_status(result, result.actual.wording, where)
    return out


_PROGRESS = re.compile(r"(?:toteutu(?:nut|i)|toteuma)\s+(-?\d+(?:,\d+)?)\s*%", re.I)
_CHANGE = re.compile(r"^\s*(nousua|laskua|kasvua|vähennystä)\s+(\d+(?:,\d+)?)\s*%", re.I)


def printed_status(result: GoalResult, wording: str, where: dict[str, str]) -> list[Finding]:
    """A wording override against the goal's status and numbers: its status word, percentage and values."""
    out: list[Finding] = []
    status = result.status
    text = wording.strip().lower()
    progress, change = _PROGRESS.search(text), _CHANGE.match(text)
    if progress and status.share is not None:
        out += stated_check(Decimal(progress.group(1).replace(",", ".")), status.share * 100, "the printed percentage of the target", wording, where)
    elif change and status.change is not None:
        sign = 1 if change.group(1) in ("nousua", "kasvua") else -1
        out += stated_check(Decimal(change.group(2).replace(",", ".")) * sign, status.change * 100, "the printed change against the baseline", wording, where)
    else:
        said = "not_met" if text.startswith("ei toteutunut") else "met" if re.match(r"toteutu(nut|i)\b", text) else None
        if said and said != status.code:
            out.append(Finding("error", "goal_status", "the printed status differs from the goal's status", expected=STATUS_WORDS[status.code], found=wording, **where))
    values = [v for _, v in result.actual.values] if result.actual else []
    for inside in re.findall(r"\(([^()]*)\)", wording):
        for number in stated_numbers(inside):
            if not any(agree_values(number.value, v) for v in values):
                out.append(Finding("error", "goal_status", "a printed value is not among the actual's values", expected=", ".join(fi(v) for v in values) or "no values", found=number.raw, passage=wording, **where))
    return out


def stated_check(stated: Decimal, exact: Fraction, what: str, passage: str, where: dict[str, str], rule: str = "goal_status") -> list[Finding]:
    """A printed number against the exact value it should show: rounding is fine, cutting is a warning."""
    agreement = compare(stated, exact)
    if agreement in ("same", "rounding"):
        return []
    places = decimals(stated)
    truncated = agreement == "truncated"
    message = f"{what} is the exact value cut instead of rounded" if truncated else f"{what} is not the value the numbers give"
    expected = f"{fi(round_half_up(exact, places), places)} (exactly {fi(exact, 4)})"
    return [Finding("warning" if truncated else "error", rule, message, expected=expected, found=passage, **where)]


def rule_goal_wording(report: Report) -> list[Finding]:
    """Numbers in a target's original wording against the numbers of its rule and measures."""
    out: list[Finding] = []
    for result in report.goals:
        goal = result.goal
        if not goal.wording:
            continue
        rule = goal.rule
        known = [v for v in (rule.value, rule.baseline, rule.tolerance or None) if v is not None]
        known += [m.baseline for m in goal.measures if m.baseline is not None]
        years = {goal.year, rule.baseline_year, *(m.baseline_year for m in goal.measures)}
        stated = [n for n in stated_numbers(goal.wording) if int(n.value) not in years or n.value != int(n.value)]
        where = goal_where(result, "plan")
        for number in stated:
            if not any(agree_values(number.value, v) for v in known):
                out.append(Finding("warning", "goal_wording", "the target's wording states a number the rule does not have", expected=", ".join(fi(v) for v in known) or "no numbers", found=number.raw, passage=goal.wording, **where))
        for value in (rule.value, rule.baseline):
            if value is not None and stated and not any(agree_values(n.value, value) for n in stated):
                out.append(Finding("warning", "goal_wording", "the rule's number does not appear in the target's wording", expected=fi(value), found=goal.wording, **where))
    return out


def metric_goal_status(report: Report) -> dict[str, list[GoalResult]]:
    by_metric: dict[str, list[GoalResult]] = {}
    for result in report.goals:
        metric = result.goal.main_measure.metric
        if metric:
            by_metric.setdefault(metric, []).append(result)
    return by_metric


def rule_key_results(report: Report) -> list[Finding]:
    out: list[Finding] = []
    goals = metric_goal_status(report)
    for row in report.key_results:
        where = dict(unit=row.unit_goal.unit_code, table="avaintulokset", row=row.key_result.text, column="luottavaisuusarvio")
        confidence = row.confidence if row.confidence and row.confidence.period == row.period else None
        if confidence and not 0 <= confidence.value <= 100:
            out.append(Finding("error", "key_result", "a confidence estimate is 0–100", expected="0–100", found=fi(confidence.value), **where))
        if not confidence or confidence.value < 90:
            continue
        failing = [g for g in goals.get(row.key_result.metric or "", []) if g.status.code == "not_met"]
        if row.met is False:
            out.append(Finding("warning", "key_result", f"confidence {fi(confidence.value)} although the measured value misses the target", expected=f"target {fi(row.target.value)}" if row.target else "", found=f"measured {fi(row.measured.value)}" if row.measured else "", **where))
        for goal in failing:
            out.append(Finding("warning", "key_result", f"confidence {fi(confidence.value)} although the operational goal on the same measure is not met ({goal.goal.indicator}: {goal.status.explanation})", found=fi(confidence.value), **where))
    return out


# --- metrics across places --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricValue:
    metric: str
    value: Decimal
    role: Literal["actual", "measured", "baseline", "target"]
    year: int
    month: int | None
    source: str


def metric_values(report: Report) -> dict[str, list[MetricValue]]:
    found: dict[str, list[MetricValue]] = {}

    def add(metric: str | None, value: Decimal | None, role, year: int | None, month: int | None, source: str) -> None:
        if metric and value is not None and year is not None:
            found.setdefault(metric, []).append(MetricValue(metric, value, role, year, month, source))

    for result in report.goals:
        goal = result.goal
        actual = result.actual
        for measure in goal.measures:
            is_main = measure.key == goal.main_measure.key
            where = f"goal {goal.code}"
            if actual is not None:
                add(measure.metric, actual.value(measure.key), "actual", actual.period.year, actual.period.month, f"{where}, actual {actual.period.label()}")
            baseline = goal.rule.baseline if is_main else measure.baseline
            year = goal.rule.baseline_year if is_main else measure.baseline_year
            add(measure.metric, baseline, "baseline", year, None, f"{where}, baseline {year}")
            if is_main:
                add(measure.metric, goal.rule.value, "target", goal.year, None, f"{where}, target {goal.year}")
    for row in report.key_results:
        for entry in row.key_result.entries:
            if entry.field in ("measured", "target"):
                add(row.key_result.metric, entry.value, entry.field, entry.period.year, entry.period.month, f"key result {row.key_result.code}, {entry.field} {entry.period.label()}")
    return found


def metric_changes(report: Report) -> dict[str, list[tuple[Fraction, str]]]:
    """Relative changes against the baseline of every measure that has a metric, from the goals."""
    found: dict[str, list[tuple[Fraction, str]]] = {}
    for result in report.goals:
        goal, actual = result.goal, result.actual
        for measure in goal.measures:
            if not measure.metric:
                continue
            if measure.key == goal.main_measure.key:
                change = result.status.change
            else:
                value = actual.value(measure.key) if actual else None
                change = Fraction(value) / Fraction(measure.baseline) - 1 if value is not None and measure.baseline else None
            if change is not None:
                found.setdefault(measure.metric, []).append((change, f"goal {goal.code}"))
    return found


def rule_same_measure(report: Report) -> list[Finding]:
    """The same metric reported for the same period with different values in different places."""
    out: list[Finding] = []
    for metric, values in metric_values(report).items():
        measured = [v for v in values if v.role in ("actual", "measured") and v.month is not None]
        for i, a in enumerate(measured):
            for b in measured[i + 1 :]:
                if (a.year, a.month) == (b.year, b.month) and not agree_values(a.value, b.value):
                    out.append(Finding("warning", "same_measure", f"metric {metric!r} has two values for {b.month}/{b.year}: {a.source} and {b.source}", row=metric, expected=f"{fi(a.value)} ({a.source})", found=f"{fi(b.value)} ({b.source})"))
    return out


# --- narratives -----------------------------------------------------------------------------------------------

PREVIOUS_YEAR = ("edellisenä vuonna", "edellisen vuoden", "viime vuonna", "viime vuoden", "edellisvuonna", "edellisvuoden", "vuotta aiemmin")
FORECAST_CUES = ("ennuste", "tpe ")
BUDGET_CUES = ("talousarvio", "budjet", "mta ")
RATIO_CUES = ("toteutumaprosentti", "toteumaprosentti", "toteutumisprosentti", "toteutumisaste", "toteuma-aste", "tot-%")
CHANGE_CUES = re.compile(r"\b(kasv|lisään|nous|lask|vähen|pienen|suuren)\w*", re.I)
UP = re.compile(r"\b(kasvanut|kasvaneet|kasvoi|kasvua|lisääntynyt|lisääntyneet|lisääntyi|noussut|nousseet|nousi|nousua)\b")
DOWN = re.compile(r"\b(laskenut|laskeneet|laski|laskua|vähentynyt|vähentyneet|vähentyi|pienentynyt|pienentyneet|pienentyi)\b")
SAME = re.compile(r"(samalla tasolla|edellisen vuoden tasolla|viime vuoden tasolla|ennallaan|pysytetty|pysynyt samana|pysyi samana)")
SAME_LEVEL = Fraction(3, 100)  # "at last year's level" allows ±3 %
MONEY = {"millions": 10**8, "thousands": 10**5, "euros": 100}


def stem(label: str) -> str:
    """A name's stem for Finnish inflection: "toimintakate" matches "toimintakatteen" as "toimintaka"."""
    name = re.sub(r"\s*\(.*?\)", "", label).strip().lower()
    return name[:-2] if len(name) >= 6 else name


def mentions(text: str, vocabulary: dict[str, str]) -> list[tuple[int, str]]:
    """(position, code) of every vocabulary stem found at a word start, longest stems first, no overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str]] = []
    for phrase in sorted(vocabulary, key=len, reverse=True):
        for match in re.finditer(r"(?<!\w)" + re.escape(phrase), text):
            if not any(a < match.end() and match.start() < b for a, b in taken):
                taken.append((match.start(), match.end()))
                found.append((match.start(), vocabulary[phrase]))
    return sorted(found)


@dataclass
class Context:
    """What a sentence talks about: carried to the next sentence of the paragraph when that names nothing."""

    paragraph: int = -1
    line: str | None = None
    unit: str | None = None
    metrics: tuple[str, ...] = ()


class NarrativeReader:
    """Links the numbers typed into a narrative to the figures they mention, as docs/checks.md describes."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.values = figures(report)
        self.lines = {stem(r.label): r.line_code for t in report.tables for r in t.rows}
        self.units = {stem(t.unit_name): t.unit_code for t in report.tables}
        self.units.update({stem(name): code for code, name in report.short_names})
        self.metric_phrases = {phrase: m.key for m in report.metrics for phrase in m.mentions}
        self.metric_units = {m.key: m.is_share for m in report.metrics}
        self.metric_values = metric_values(report)
        self.changes = metric_changes(report)

    def check(self, result: NarrativeResult) -> list[Finding]:
        out: list[Finding] = []
        unlinked: list[str] = []
        context = Context()
        for sentence in sentences(result.narrative.markdown):
            context = self.context(sentence, context, result.narrative.unit_code)
            offset = 0
            for number in sentence.numbers:
                offset = self.offset(number, offset)
                if number.is_year:  # "Vuonna 2024 ... 1,7 %": the year is a cue for the next number
                    offset = int(number.value) - self.report.period_year
                    continue
                found = self.number(result, sentence, number, context, offset)
                if found is not None:
                    out += found
                elif number.kind != "count":  # bare numbers (dates, ages, "2 kk") are no figures unless linked
                    unlinked.append(number.raw)
        if unlinked:
            n = result.narrative
            out.append(Finding("info", "narrative_number", f"{len(unlinked)} numbers typed by hand could not be linked to a figure of the report and were not checked (a placeholder would fill them from the report)", unit=n.unit_code, table="narrative", row=n.section, found="; ".join(unlinked)))
        return out

    def context(self, sentence: Sentence, previous: Context, own_unit: str) -> Context:
        text = sentence.text.lower()
        lines = mentions(text, self.lines)
        metrics = tuple(code for _, code in mentions(text, self.metric_phrases))
        units = mentions(text, self.units)
        if not lines and not metrics and previous.paragraph == sentence.paragraph:
            return Context(sentence.paragraph, previous.line, previous.unit, previous.metrics)
        return Context(sentence.paragraph, lines[0][1] if lines else None, units[0][1] if units else own_unit, metrics)

    def offset(self, number: StatedNumber, carried: int) -> int:
        """The year a number is about, relative to the report's: from the text since the previous number."""
        window = (number.before + " " + number.after).lower()
        years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", window)]
        years += [2000 + int(y) for y in re.findall(r"\b\d{1,2}/(\d{2})\b", window)]
        if years:
            return years[-1] - self.report.period_year
        if any(cue in window for cue in PREVIOUS_YEAR):
            return -1
        return carried

    def number(self, result: NarrativeResult, sentence: Sentence, number: StatedNumber, context: Context, offset: int) -> list[Finding] | None:
        window = number.before.lower()
        if context.line and (number.kind in MONEY or number.kind == "percent" and any(c in window for c in RATIO_CUES)):
            return self.statement_figure(result, sentence, number, context, offset)
        for metric in context.metrics:
            found = self.metric_number(result, sentence, number, metric, offset)
            if found is not None:
                return found
        return None

    def column(self, unit: str, line: str, kind: str, offset: int) -> str | None:
        year = self.report.period_year + offset
        for table in self.report.tables:
            if table.unit_code != unit or not any(r.line_code == line for r in table.rows):
                continue
            for column in table.columns:
                if column.kind == kind and column.year == year:
                    return column.key
        return None

    def statement_figure(self, result: NarrativeResult, sentence: Sentence, number: StatedNumber, context: Context, offset: int) -> list[Finding] | None:
        unit, line = context.unit or result.narrative.unit_code, context.line or ""
        window = number.before.lower()
        kind = "forecast" if any(c in window for c in FORECAST_CUES) else "budget" if any(c in window for c in BUDGET_CUES) else "actual"
        amount_key = self.column(unit, line, kind, offset)
        key = amount_key
        if number.kind == "percent" and amount_key:
            key = next((k for k, f, a, _ in self.report.structure.column_formulas if f == "ratio" and a == amount_key), None)
        figure = self.values.get((unit, line, key or ""))
        if figure is None or figure[0].is_empty:
            return None
        cell = figure[0]
        exact = cell.ratio * 100 if number.kind == "percent" else Fraction(cell.cents or 0, MONEY[number.kind])  # type: ignore[operator]
        n = result.narrative
        where = dict(unit=n.unit_code, table="narrative", row=n.section, column=f"{unit} / {line} / {key}", passage=sentence.text)
        what = f"the text's {'percentage' if number.kind == 'percent' else 'amount'} for {line} ({key} of {unit})"
        return narrative_finding(number.value, number, exact, what, where, "error")

    def metric_number(self, result: NarrativeResult, sentence: Sentence, number: StatedNumber, metric: str, offset: int) -> list[Finding] | None:
        n = result.narrative
        where = dict(unit=n.unit_code, table="narrative", row=n.section, column=f"metric {metric}", passage=sentence.text)
        share = self.metric_units.get(metric, False)
        if number.kind == "percent" and not share and CHANGE_CUES.search(sentence.text):
            changes = self.changes.get(metric, [])
            if not changes:
                return None
            if any(compare(abs(number.value), abs(c) * 100, number.approx) in ("same", "rounding") for c, _ in changes):
                return []
            change, source = changes[0]
            return narrative_finding(abs(number.value) * (1 if change >= 0 else -1), number, change * 100, f"the text's change of {metric} ({source})", where, "warning")
        if (number.kind == "percent") != share or number.kind in MONEY:
            return None
        year = self.report.period_year + offset
        values = [v for v in self.metric_values.get(metric, []) if v.year == year]
        if number.approx in ("over", "under", "about"):
            values = [v for v in values if v.role in ("actual", "measured")] or values
        if not values:
            return None
        if any(agree(number, v.value) for v in values):
            return []
        listed = "; ".join(f"{fi(v.value)} ({v.source})" for v in values)
        return [Finding("warning", "narrative_number", f"the text states {number.raw} for {metric}; no value of the report agrees", expected=listed, found=number.raw, **where)]


def agree(number: StatedNumber, value: Decimal) -> bool:
    if number.approx == "exact":
        return agree_values(number.value, value)
    return compare(number.value, Fraction(value), number.approx) in ("same", "rounding")


def narrative_finding(stated: Decimal, number: StatedNumber, exact: Fraction, what: str, where: dict[str, str], severity: Severity) -> list[Finding]:
    """A number typed into a narrative against the exact figure it mentions."""
    agreement = compare(stated, exact, number.approx)
    if agreement in ("same", "rounding"):
        return []
    places = decimals(stated)
    rounded = fi(round_half_up(exact, places), places)
    message = f"{what}: the text says {number.raw}, the report has {rounded}"
    if agreement == "truncated":
        message += " (the text cuts the value instead of rounding it)"
    return [Finding("warning" if agreement == "truncated" else severity, "narrative_number", message, expected=f"{rounded} (exactly {fi(exact, 4)})", found=number.raw, **where)]


def rule_narrative_numbers(report: Report) -> list[Finding]:
    reader = NarrativeReader(report)
    out: list[Finding] = []
    for result in report.narratives:
        out += reader.check(result)
    return out


def rule_narrative_references(report: Report) -> list[Finding]:
    out = []
    for result in report.narratives:
        n = result.narrative
        for problem in result.problems:
            out.append(Finding("error", "narrative_reference", problem, unit=n.unit_code, table="narrative", row=n.section))
    return out


def rule_narrative_claims(report: Report) -> list[Finding]:
    """Words that say a measure rose, fell or stayed level, against the measure's change in the goals."""
    out: list[Finding] = []
    phrases = {phrase: m.key for m in report.metrics for phrase in m.mentions}
    changes = metric_changes(report)
    for result in report.narratives:
        for sentence in sentences(result.narrative.markdown):
            text = sentence.text.lower()
            found = mentions(text, phrases)
            for i, (position, metric) in enumerate(found):
                if metric not in changes:
                    continue
                end = found[i + 1][0] if i + 1 < len(found) else len(text)
                claim = direction(text[position:end])
                change, source = changes[metric][0]
                if claim and not claim_holds(claim, change):
                    n = result.narrative
                    out.append(Finding("warning", "narrative_claim", f"the text says {metric} {CLAIMS[claim]}; {source} has a change of {fi(change * 100, 1)} % against the baseline", unit=n.unit_code, table="narrative", row=n.section, column=f"metric {metric}", passage=sentence.text, expected=f"{'+' if change > 0 else ''}{fi(change * 100, 1)} %", found=CLAIMS[claim]))
    return out


CLAIMS = {"up": "rose", "down": "fell", "same": "stayed at the same level", "not_up": "did not rise", "not_down": "did not fall"}


def direction(text: str) -> str | None:
    """The first claim about direction in a stretch of text, with a negation ("ei ole kasvanut") turned round."""
    candidates = [(m.start(), kind) for kind, pattern in (("up", UP), ("down", DOWN), ("same", SAME)) for m in pattern.finditer(text)]
    if not candidates:
        return None
    start, kind = min(candidates)
    negated = re.search(r"\b(ei|eikä|eivät)\b(\s+\w+){0,2}\s*$", text[:start])
    if negated and kind in ("up", "down"):
        return "not_" + kind
    return kind


def claim_holds(claim: str, change: Fraction) -> bool:
    return {
        "up": change > 0,
        "down": change < 0,
        "same": abs(change) <= SAME_LEVEL,
        "not_up": change <= 0,
        "not_down": change >= 0,
    }[claim]


# --- missing data ---------------------------------------------------------------------------------------------


def rule_missing(report: Report) -> list[Finding]:
    out: list[Finding] = []
    period = f"{report.period_month}/{report.period_year}"
    written = {n.narrative.unit_code for n in report.narratives}
    expected = report.tables if report.narratives_expected else ()  # template.narratives = false: none are written
    for unit in dict.fromkeys(t.unit_code for t in expected):
        if unit not in written:
            name = next(t.unit_name for t in report.tables if t.unit_code == unit)
            out.append(Finding("warning", "missing", f"no narrative for 1-{period}", unit=unit, table="narrative", row=name))
    for result in report.goals:
        actual = result.actual
        value = actual.value(result.goal.main_measure.key) if actual else None
        if value is None and (actual is None or actual.change_pct is None):
            what = f"no actual for 1-{period}" if actual is None else "the actual has no value for the goal's measure"
            out.append(Finding("warning", "missing", what, **goal_where(result, "actual")))
    for row in report.key_results:
        if row.confidence is None or row.confidence.period != row.period:
            note = f"; the table shows the measured value {fi(row.measured.value)} in its place" if row.measured else ""
            out.append(Finding("warning", "missing", f"no confidence estimate for 1-{period}{note}", unit=row.unit_goal.unit_code, table="avaintulokset", row=row.key_result.text, column="luottavaisuusarvio"))
    if report.balancing is not None:
        for row in report.balancing.rows:
            if row.entry_period is None:
                out.append(Finding("warning", "missing", f"no euros achieved or forecast for 1-{period}", unit=row.owner_unit, table="tasapainottamistoimenpiteet", row=row.name))
    return out


RULES: tuple[tuple[str, Callable[[Report], list[Finding]]], ...] = (
    ("derived_line", rule_derived_lines),
    ("parent_children", rule_parent_children),
    ("ratio", rule_columns),
    ("same_measure", rule_same_figure),
    ("balancing", rule_balancing),
    ("goal_status", rule_goal_status),
    ("goal_wording", rule_goal_wording),
    ("key_result", rule_key_results),
    ("same_measure", rule_same_measure),
    ("narrative_reference", rule_narrative_references),
    ("narrative_number", rule_narrative_numbers),
    ("narrative_claim", rule_narrative_claims),
    ("missing", rule_missing),
)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def run_checks(report: Report) -> tuple[Finding, ...]:
    """Every rule over the report; a rule that fails becomes a finding, never an exception."""
    findings: list[Finding] = []
    for name, rule in RULES:
        try:
            findings += rule(report)
        except Exception as exc:  # a broken rule must not stop the report
            findings.append(Finding("error", name, f"the check could not run: {type(exc).__name__}: {exc}"))
    return tuple(findings)
