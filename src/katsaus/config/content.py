"""Content files: goals, key results, the balancing programme (TOML) and narratives (Markdown with TOML front matter).

Validated with pydantic and against the loaded configuration (units, lines, template columns); every problem is
coded and names the file and the key (or the words of a narrative it is about), and all problems are collected
before anything is stored. Numbers are read exactly (TOML floats as Decimal), money becomes integer cents.
docs/configuration.md documents every key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from ..core import goals as g
from ..core.balancing import BalancingEntry, BalancingMeasure, BalancingPresentation
from ..core.content import Content
from ..core.errors import Problem, Refused
from ..core.narrative import OWN_UNIT, FigureRef, Narrative, parse_placeholders
from ..core.periods import Period
from .files import parse_toml, read_text
from .load import Config
from .schema import Strict
from .validation import validation_problems

PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def period_format(text: str) -> str:
    """A period is written YYYY-MM (pydantic's own pattern error would show the reader a regular expression)."""
    if not PERIOD.fullmatch(text):
        raise PydanticCustomError("content.period_format", "content.period_format")
    return text


Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PeriodText = Annotated[str, AfterValidator(period_format)]
Positioned = TypeVar("Positioned", g.StrategicGoal, g.UnitGoal, g.KeyResult, g.OperationalGoal, BalancingMeasure)


class MetricEntry(Strict):
    key: Code
    name: Text
    unit: str = ""
    mentions: list[Text] = []


class StrategicGoalEntry(Strict):
    code: Code
    name: Text


class UnitGoalEntry(Strict):
    code: Code
    strategic_goal: Code
    unit: Code
    text: Text


class KeyResultValues(Strict):
    period: PeriodText
    measured: Decimal | None = None
    target: Decimal | None = None
    confidence: Decimal | None = Field(default=None, ge=0, le=100)
    source: str = ""


class KeyResultItem(Strict):
    code: Code
    unit_goal: Code
    text: Text
    unit: str = ""
    target_kind: Literal["at_least", "more_than", "at_most", "less_than"] | None = None
    metric: Code | None = None
    entries: list[KeyResultValues] = []


class MeasureEntry(Strict):
    key: Code
    label: str = ""
    unit: str = ""
    baseline: Decimal | None = None
    baseline_year: int | None = None
    metric: Code | None = None


class TargetEntry(Strict):
    kind: g.RuleKind
    value: Decimal | None = None
    baseline: Decimal | None = None
    baseline_year: int | None = None
    tolerance: Decimal = Field(default=Decimal(0), ge=0)
    numerator: Code | None = None
    denominator: Code | None = None
    text: str = ""
    wording: str = ""


class ActualEntry(Strict):
    period: PeriodText
    values: dict[str, Decimal] = {}
    change_pct: Decimal | None = None
    measured_on: date | None = None
    source: str = ""
    wording: Text | None = None


class OverrideEntry(Strict):
    period: PeriodText
    status: g.StatusCode
    reason: Text
    by: str = ""


class GoalEntry(Strict):
    code: Code
    unit: Code
    year: int = Field(ge=1900, le=2200)
    indicator: Text
    measures: list[MeasureEntry] = Field(min_length=1)
    main: str = ""
    target: TargetEntry
    show: Literal["status", "change", "values", "period_values"] = "status"
    separator: str = ", "
    percent_decimals: int = Field(default=0, ge=0, le=4)
    actuals: list[ActualEntry] = []
    overrides: list[OverrideEntry] = []


class BalancingHead(Strict):
    title: str = "Tasapainottamistoimenpiteet (1000 €)"
    total_label: str = "Yhteensä"
    amount_unit: Literal[1, 1000] = 1000
    percent_decimals: int = Field(default=0, ge=0, le=4)


class BalancingValues(Strict):
    period: PeriodText
    actual: Decimal | None = None
    forecast: Decimal | None = None
    source: str = ""


class BalancingMeasureEntry(Strict):
    code: Code
    name: Text
    owner: Code
    year: int = Field(ge=1900, le=2200)
    target: Decimal
    entries: list[BalancingValues] = []


class ContentFile(Strict):
    metrics: list[MetricEntry] = []
    strategic_goals: list[StrategicGoalEntry] = []
    unit_goals: list[UnitGoalEntry] = []
    key_results: list[KeyResultItem] = []
    goals: list[GoalEntry] = []
    balancing: BalancingHead | None = None
    measures: list[BalancingMeasureEntry] = []
    short_names: dict[str, Text] = {}


class NarrativeHead(Strict):
    unit: Code
    period: PeriodText
    section: Code = "katsaus"
    title: str = ""
    order: int = 0
    source: str = ""


@dataclass
class Parsed:
    """Validated files with their names, before they are turned into core objects."""

    files: list[tuple[str, ContentFile]]
    narratives: list[tuple[str, NarrativeHead, str]]


# --- reading ----------------------------------------------------------------------------------------------


def content_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every *.toml and *.md below the directories given, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".toml", ".md") and p.is_file())
        else:
            found.append(path)
    return found


def load_content(paths: Iterable[Path], config: Config) -> Content:
    """Validate content files against the configuration; Refused listing every problem."""
    problems: list[Problem] = []
    parsed = Parsed([], [])
    for path in content_paths(paths):
        read_file(path, parsed, problems)
    content = build_content(parsed, config, problems)
    if problems:
        raise Refused(problems, outcome="outcome.nothing_stored")
    return content


def read_file(path: Path, parsed: Parsed, problems: list[Problem]) -> None:
    name = str(path)
    if path.suffix not in (".md", ".toml"):
        problems.append(Problem("content.file_kind_unknown", file=name, found=path.suffix or path.name))
        return
    text, problem = read_text(path)
    if text is None:
        problems.append(problem or Problem("file.unreadable", file=name))
        return
    if path.suffix == ".md":
        read_narrative(name, text, parsed, problems)
        return
    data, problem = parse_toml(text, name, parse_float=Decimal)  # exact decimals: 58.2 stays 58.2
    if data is None:
        problems.append(problem or Problem("file.unreadable", file=name))
        return
    model = validate(name, ContentFile, data, problems)
    if model is not None:
        parsed.files.append((name, model))


M = TypeVar("M", bound=BaseModel)


def validate(name: str, model: type[M], data: dict[str, Any], problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, name, model))
        return None


FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", re.S)


def read_narrative(name: str, text: str, parsed: Parsed, problems: list[Problem]) -> None:
    """A narrative: its front matter's keys (unit, period, section, ...) between '+++' lines, then its text."""
    match = FRONT_MATTER.match(text)
    if not match:
        problems.append(Problem("content.front_matter_missing", file=name))
        return
    data, problem = parse_toml(match.group(1), name, parse_float=Decimal, first_line=2)
    if problem is not None:
        problems.append(problem)
    head = validate(name, NarrativeHead, data, problems) if data is not None else None
    body = text[match.end() :].strip("\n") + "\n"
    if not body.strip():
        problems.append(Problem("content.narrative_empty", file=name))
    elif head is not None:
        parsed.narratives.append((name, head, body))


# --- building core objects --------------------------------------------------------------------------------


def build_content(parsed: Parsed, config: Config, problems: list[Problem]) -> Content:
    checker = Checker(config, problems)
    metrics: list[g.Metric] = []
    strategic: list[g.StrategicGoal] = []
    unit_goals: list[g.UnitGoal] = []
    key_results: list[g.KeyResult] = []
    goals: list[g.OperationalGoal] = []
    measures: list[BalancingMeasure] = []
    short_names: dict[str, str] = {}
    balancing = BalancingPresentation()
    for name, file in parsed.files:
        metrics += [g.Metric(m.key, m.name, m.unit, tuple(x.lower() for x in m.mentions)) for m in file.metrics]
        strategic += [g.StrategicGoal(s.code, s.name) for s in file.strategic_goals]
        unit_goals += [checker.unit_goal(name, i, u) for i, u in enumerate(file.unit_goals)]
        key_results += [checker.key_result(name, i, k) for i, k in enumerate(file.key_results)]
        goals += [checker.goal(name, i, e) for i, e in enumerate(file.goals)]
        measures += [checker.measure(name, i, m) for i, m in enumerate(file.measures)]
        for code, label in file.short_names.items():
            checker.unit(name, f"short_names.{code}", code)
            short_names[code] = label
        if file.balancing is not None:
            b = file.balancing
            balancing = BalancingPresentation(b.title, b.total_label, b.amount_unit, b.percent_decimals)
    narratives = [checker.narrative(name, head, body) for name, head, body in parsed.narratives]
    content = Content(
        metrics=tuple(metrics),
        strategic_goals=tuple(replace_position(strategic)),
        unit_goals=tuple(replace_position(unit_goals)),
        key_results=tuple(replace_position(key_results)),
        goals=tuple(replace_position(goals)),
        measures=tuple(replace_position(measures)),
        narratives=tuple(narratives),
        short_names=tuple(short_names.items()),
        balancing=balancing,
    )
    checker.cross_references(parsed, content)
    return content


def in_order(values: dict[str, Decimal], keys: list[str]) -> tuple[tuple[str, Decimal], ...]:
    """An actual's values in the order of the goal's measures (unknown keys, reported as problems, last)."""
    return tuple(sorted(values.items(), key=lambda kv: keys.index(kv[0]) if kv[0] in keys else len(keys)))


def replace_position(items: Sequence[Positioned]) -> list[Positioned]:
    """Order of appearance (files in name order) is the presentation order."""
    return [replace(item, position=i) for i, item in enumerate(items)]


class Checker:
    """Builds core objects from validated entries, collecting what refers to something that does not exist."""

    def __init__(self, config: Config, problems: list[Problem]) -> None:
        self.config = config
        self.problems = problems
        org = config.organisation
        self.units = {u.code for u in org.units} if org else set()

    def unit(self, name: str, key: str, code: str) -> None:
        if code not in self.units:
            self.problems.append(Problem("content.unit_unknown", {"units": tuple(sorted(self.units))}, file=name,
                                         key=key, found=code))

    def unit_goal(self, name: str, i: int, entry: UnitGoalEntry) -> g.UnitGoal:
        self.unit(name, f"unit_goals[{i}].unit", entry.unit)
        return g.UnitGoal(entry.code, entry.strategic_goal, entry.unit, entry.text)

    def key_result(self, name: str, i: int, entry: KeyResultItem) -> g.KeyResult:
        entries = []
        for values in entry.entries:
            given: tuple[tuple[g.KeyResultField, Decimal | None], ...] = (
                ("measured", values.measured), ("target", values.target), ("confidence", values.confidence))
            for field, value in given:
                if value is not None:
                    entries.append(g.KeyResultEntry(Period.parse(values.period), field, value, values.source))
        return g.KeyResult(entry.code, entry.unit_goal, entry.text, entry.unit, entry.target_kind, entry.metric, tuple(entries))

    def goal(self, name: str, i: int, entry: GoalEntry) -> g.OperationalGoal:
        key = f"goals[{i}]"
        self.unit(name, f"{key}.unit", entry.unit)
        keys = [m.key for m in entry.measures]
        self.goal_keys(name, key, entry, keys)
        t = entry.target
        rule = g.TargetRule(t.kind, t.value, t.baseline, t.baseline_year, t.tolerance, t.numerator, t.denominator, t.text)
        return g.OperationalGoal(
            code=entry.code,
            unit_code=entry.unit,
            year=entry.year,
            indicator=entry.indicator,
            measures=tuple(g.Measure(m.key, m.label, m.unit, m.baseline, m.baseline_year, m.metric) for m in entry.measures),
            rule=rule,
            wording=t.wording,
            main=entry.main,
            presentation=g.Presentation(entry.show, entry.separator, entry.percent_decimals),
            actuals=tuple(
                g.GoalActual(Period.parse(a.period), in_order(a.values, keys), a.change_pct, a.measured_on, a.source, wording=a.wording)
                for a in entry.actuals
            ),
            overrides=tuple(g.StatusOverride(Period.parse(o.period), o.status, o.reason, o.by) for o in entry.overrides),
        )

    def goal_keys(self, name: str, key: str, entry: GoalEntry, keys: list[str]) -> None:
        measures = tuple(keys)
        problems = self.problems
        repeated = tuple(sorted({k for k in keys if keys.count(k) > 1}))
        if repeated:
            problems.append(Problem("content.measure_repeated", {"keys": repeated}, file=name,
                                    key=f"{key}.measures", found=", ".join(keys)))
        if entry.main and entry.main not in keys:
            problems.append(Problem("content.main_measure_unknown", {"measures": measures}, file=name,
                                    key=f"{key}.main", found=entry.main))
        for side in ("numerator", "denominator"):
            ref = getattr(entry.target, side)
            if ref is not None and ref not in keys:
                problems.append(Problem("content.target_measure_unknown", {"name": side, "measures": measures},
                                        file=name, key=f"{key}.target.{side}", found=ref))
        if entry.target.kind in g.NEEDS_VALUE and entry.target.value is None:
            problems.append(Problem("content.target_value_missing", {"kind": entry.target.kind}, file=name,
                                    key=f"{key}.target.value"))
        if entry.target.kind == "text" and not (entry.target.text or entry.target.wording):
            problems.append(Problem("content.target_text_missing", file=name, key=f"{key}.target.text"))
        for j, actual in enumerate(entry.actuals):
            for measure in actual.values:
                if measure not in keys:
                    problems.append(Problem("content.actual_measure_unknown", {"measures": measures}, file=name,
                                            key=f"{key}.actuals[{j}].values.{measure}", found=measure))

    def measure(self, name: str, i: int, entry: BalancingMeasureEntry) -> BalancingMeasure:
        key = f"measures[{i}]"
        self.unit(name, f"{key}.owner", entry.owner)
        entries = tuple(
            BalancingEntry(
                Period.parse(e.period),
                self.cents(name, f"{key}.entries[{j}].actual", e.actual),
                self.cents(name, f"{key}.entries[{j}].forecast", e.forecast),
                e.source,
            )
            for j, e in enumerate(entry.entries)
        )
        target = self.cents(name, f"{key}.target", entry.target) or 0
        return BalancingMeasure(entry.code, entry.name, entry.owner, entry.year, target, entries)

    def cents(self, name: str, key: str, euros: Decimal | None) -> int | None:
        """Euros (a whole number or at most two decimals) as exact integer cents."""
        if euros is None:
            return None
        cents = euros * 100
        if cents != cents.to_integral_value():
            self.problems.append(Problem("content.euros_decimals", file=name, key=key, found=str(euros)))
        return int(cents)

    def narrative(self, name: str, head: NarrativeHead, body: str) -> Narrative:
        self.unit(name, "unit", head.unit)  # a key of the front matter
        refs, syntax = parse_placeholders(body)
        for problem in syntax:
            self.problems.append(placeholder_problem(name, problem))
        for ref in refs:
            self.figure(name, ref, head.unit)
        return Narrative(head.unit, Period.parse(head.period), head.section, body, head.title, head.order, head.source)

    def figure(self, name: str, ref: FigureRef, own: str) -> None:
        """A placeholder may name only a unit, a line and a column that exist in the configuration."""
        unit = own if ref.unit == OWN_UNIT else ref.unit
        lines = {line.code for s in self.config.schemes.values() for line in s.lines}
        columns = tuple(sorted({c.key for t in self.config.templates.values() for c in t.columns}))
        if unit not in self.units:
            self.problems.append(Problem("content.figure_unit_unknown", {"units": tuple(sorted(self.units))},
                                         file=name, passage=ref.text, found=unit))
        if ref.line not in lines:
            self.problems.append(Problem("content.figure_line_unknown", file=name, passage=ref.text, found=ref.line))
        if ref.column not in columns:
            self.problems.append(Problem("content.figure_column_unknown", {"columns": columns}, file=name,
                                         passage=ref.text, found=ref.column))

    def cross_references(self, parsed: Parsed, content: Content) -> None:
        metrics = {m.key for m in content.metrics}
        strategic = {s.code for s in content.strategic_goals}
        unit_goals = {u.code for u in content.unit_goals}
        self.unique(parsed, "metrics", "key")
        for kind in ("strategic_goals", "unit_goals", "key_results", "goals", "measures"):
            self.unique(parsed, kind, "code")
        for name, file in parsed.files:
            for i, u in enumerate(file.unit_goals):
                self.known(name, f"unit_goals[{i}].strategic_goal", u.strategic_goal, strategic, "content.strategic_goal_unknown")
            for i, k in enumerate(file.key_results):
                self.known(name, f"key_results[{i}].unit_goal", k.unit_goal, unit_goals, "content.unit_goal_unknown")
                if k.metric:
                    self.known(name, f"key_results[{i}].metric", k.metric, metrics, "content.metric_unknown")
            for i, goal in enumerate(file.goals):
                for j, m in enumerate(goal.measures):
                    if m.metric:
                        self.known(name, f"goals[{i}].measures[{j}].metric", m.metric, metrics, "content.metric_unknown")
        seen: dict[tuple[str, str, str], str] = {}
        for name, head, _ in parsed.narratives:
            ident = (head.unit, head.period, head.section)
            if ident in seen:
                self.problems.append(Problem("content.narrative_repeated", {
                    "unit": head.unit, "period": head.period, "section": head.section, "other": seen[ident]},
                    file=name, key="section", found=head.section))
            seen.setdefault(ident, name)

    def unique(self, parsed: Parsed, kind: str, field: str) -> None:
        seen: dict[str, str] = {}
        for name, file in parsed.files:
            for i, item in enumerate(getattr(file, kind)):
                code = getattr(item, field)
                if code in seen:
                    self.problems.append(Problem("content.code_repeated", {"code": code, "other": seen[code]},
                                                 file=name, key=f"{kind}[{i}].{field}", found=code))
                seen.setdefault(code, name)

    def known(self, name: str, key: str, code: str, known: set[str], unknown: str) -> None:
        """A reference to a strategic goal, unit goal or metric; `unknown`: the code of its problem."""
        if code not in known:
            self.problems.append(Problem(unknown, {"known": tuple(sorted(known))}, file=name, key=key, found=code))


def placeholder_problem(name: str, problem: Problem) -> Problem:
    """A malformed {{ luku: ... }} placeholder of a narrative, as core.narrative.parse_placeholders says it, located
    in the file."""
    return replace(problem, file=name)
