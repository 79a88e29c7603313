"""Operational goals and key results: targets as rules, actuals with their history, and the status a rule gives.

Values are exact ``Decimal`` numbers as entered (their precision is kept: 58,2 stays 58,2); shares and changes are
exact ``Fraction`` values. Nothing here is formatted: how a rule decided is a `Note` (codes `goal.status.*`, its
numbers as parameters), which the edge words in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal, get_args

from .errors import Note, Percent, Problem, Refused, Term
from .periods import Period, newest_up_to

RuleKind = Literal[
    "at_least",  # the value is at least N
    "more_than",  # more than N
    "at_most",  # at most N
    "less_than",  # less than N
    "share_at_least",  # a share (%) of at least N %
    "full_year",  # a full-year target N: during the year X % of it, compared pro rata; met when reached
    "decrease",  # decreases by N % against the baseline (any decrease when N is not given)
    "increase",  # increases by N % against the baseline (any increase when N is not given)
    "not_above_baseline",  # no higher than the baseline
    "same_as_baseline",  # stays at the baseline (within `tolerance` %)
    "ratio_at_most",  # a ratio such as 30 children per social worker: numerator / denominator at most N
    "text",  # no rule fits: free text, the status is a person's decision
]
RULE_KINDS: tuple[str, ...] = get_args(RuleKind)
NEEDS_VALUE = ("at_least", "more_than", "at_most", "less_than", "share_at_least", "full_year", "ratio_at_most")
NEEDS_BASELINE = ("decrease", "increase", "not_above_baseline", "same_as_baseline")

StatusCode = Literal["met", "not_met", "progress", "not_measurable"]
STATUS_CODES: tuple[str, ...] = get_args(StatusCode)
ShowStyle = Literal["status", "change", "values", "period_values"]
KeyResultField = Literal["measured", "target", "confidence"]
KEY_RESULT_FIELDS: tuple[str, ...] = get_args(KeyResultField)
Comparison = Literal["at_least", "more_than", "at_most", "less_than"]


@dataclass(frozen=True)
class Metric:
    """A quantity that several places may report (a goal's measure, a key result, a narrative's sentence)."""

    key: str
    name: str
    unit: str = ""  # "%" for shares; anything else is a count or an amount of the unit
    mentions: tuple[str, ...] = ()  # lower-case phrases by which a narrative sentence names it

    @property
    def is_share(self) -> bool:
        return self.unit.strip() == "%"


@dataclass(frozen=True)
class Measure:
    """One quantity a goal reports. The rule is about the goal's main measure; others are shown beside it."""

    key: str
    label: str = ""  # what follows the number in print: "lasta", "% perhehoidossa", "" for a bare number
    unit: str = ""  # the unit of measure ("kpl", "%", "vrk"); defaults to the label
    baseline: Decimal | None = None  # a secondary measure's comparison value (the main one's is the rule's)
    baseline_year: int | None = None
    metric: str | None = None

    @property
    def unit_of_measure(self) -> str:
        return self.unit or self.label


@dataclass(frozen=True)
class TargetRule:
    kind: RuleKind
    value: Decimal | None = None  # N: the limit, the full-year target, the share %, the change % or the ratio
    baseline: Decimal | None = None  # the comparison value of the baseline year
    baseline_year: int | None = None
    tolerance: Decimal = Decimal(0)  # same_as_baseline: allowed deviation in %
    numerator: str | None = None  # ratio_at_most: measure keys; without them the main value is the ratio
    denominator: str | None = None
    text: str = ""  # kind "text": the target in words


@dataclass(frozen=True)
class GoalActual:
    """An actual value of a goal for a reporting period, as entered (the latest entry of a period wins)."""

    period: Period
    values: tuple[tuple[str, Decimal], ...] = ()  # measure key -> value
    change_pct: Decimal | None = None  # the main measure's change against the baseline, when only that is known
    measured_on: date | None = None
    source: str = ""
    entered_by: str = ""
    wording: str | None = None  # a printed wording that the data cannot give (listed as an override)

    def value(self, key: str) -> Decimal | None:
        return dict(self.values).get(key)


@dataclass(frozen=True)
class StatusOverride:
    """A person's status decision for a period. It needs a reason, which is kept with the status."""

    period: Period
    status: StatusCode
    reason: str
    by: str = ""
    at: str = ""

    def __post_init__(self) -> None:
        """A person's status is refused without a reason (`goal.override_reason_missing`, at `reason`) or with a
        status that is not one (`goal.override_status_unknown`, at `status`)."""
        problems = []
        if not self.reason.strip():
            problems.append(Problem("goal.override_reason_missing", key="reason", found=self.reason))
        if self.status not in STATUS_CODES:
            problems.append(Problem("goal.override_status_unknown",
                                    {"statuses": tuple(Term(f"goal_status.{s}") for s in STATUS_CODES)},
                                    key="status", found=str(self.status)))
        if problems:
            raise Refused(problems)


@dataclass(frozen=True)
class Presentation:
    """How the actual cell is phrased: which parts show, not what they say."""

    show: ShowStyle = "status"
    separator: str = ", "  # between several measures' values
    percent_decimals: int = 0  # of "Toteutunut 33 %" and "Nousua 10 %"


@dataclass(frozen=True)
class OperationalGoal:
    code: str
    unit_code: str
    year: int
    indicator: str
    measures: tuple[Measure, ...]
    rule: TargetRule
    wording: str = ""  # the target's original wording, as decided
    main: str = ""  # the measure the rule is about; default the first
    presentation: Presentation = Presentation()
    actuals: tuple[GoalActual, ...] = ()  # in entry order: the history
    overrides: tuple[StatusOverride, ...] = ()
    position: int = 0

    @property
    def main_measure(self) -> Measure:
        key = self.main or self.measures[0].key
        return next(m for m in self.measures if m.key == key)


@dataclass(frozen=True)
class GoalStatus:
    code: StatusCode  # what the report shows: the override's status if a person set one
    computed: StatusCode  # what the rule gives
    explanation: Note  # how the rule decided (codes goal.status.*, its numbers as parameters), for checks and readers
    share: Fraction | None = None  # progress: value / target
    expected_share: Fraction | None = None  # the pro-rata benchmark: months / 12
    change: Fraction | None = None  # relative change against the baseline: Fraction(31, 100) is +31 %
    override: StatusOverride | None = None


@dataclass(frozen=True)
class GoalResult:
    goal: OperationalGoal
    unit_name: str
    period: Period
    actual: GoalActual | None
    status: GoalStatus


# --- operational goals ------------------------------------------------------------------------------


def current_actual(goal: OperationalGoal, period: Period) -> GoalActual | None:
    """The latest entry of the latest period up to `period` in the goal's year."""
    eligible = [a for a in goal.actuals if a.period.year == period.year and a.period <= period]
    if not eligible:
        return None
    latest = max(a.period for a in eligible)
    return [a for a in eligible if a.period == latest][-1]


def current_override(goal: OperationalGoal, period: Period) -> StatusOverride | None:
    overrides = [o for o in goal.overrides if o.period == period]
    return overrides[-1] if overrides else None


def evaluate_goal(goal: OperationalGoal, period: Period, unit_name: str = "") -> GoalResult:
    actual = current_actual(goal, period)
    computed = compute_status(goal, actual, period)
    override = current_override(goal, period)
    status = GoalStatus(
        code=override.status if override else computed.code,
        computed=computed.code,
        explanation=computed.explanation,
        share=computed.share,
        expected_share=computed.expected_share,
        change=computed.change,
        override=override,
    )
    return GoalResult(goal, unit_name or goal.unit_code, period, actual, status)


def frac(value: Decimal) -> Fraction:
    return Fraction(value)


def main_value(goal: OperationalGoal, actual: GoalActual) -> Fraction | None:
    rule = goal.rule
    if rule.kind == "ratio_at_most" and rule.numerator and rule.denominator:
        top, bottom = actual.value(rule.numerator), actual.value(rule.denominator)
        if top is None or not bottom:
            return None
        return frac(top) / frac(bottom)
    value = actual.value(goal.main_measure.key)
    return None if value is None else frac(value)


def change_of(goal: OperationalGoal, actual: GoalActual | None) -> Fraction | None:
    """The main measure's relative change against the rule's baseline, or the change entered as such."""
    if actual is None:
        return None
    value = main_value(goal, actual)
    baseline = goal.rule.baseline
    if value is not None and baseline:
        return value / frac(baseline) - 1
    return None if actual.change_pct is None else frac(actual.change_pct) / 100


def compute_status(goal: OperationalGoal, actual: GoalActual | None, period: Period) -> GoalStatus:
    rule = goal.rule
    change = change_of(goal, actual)
    if rule.kind == "text":
        return unmeasurable(Note("goal.status.free_text"), change)
    if actual is None:
        return unmeasurable(Note("goal.status.no_actual", {"year": period.year, "month": period.month}), change)
    if rule.kind in NEEDS_BASELINE:
        return baseline_status(rule, change)
    value = main_value(goal, actual)
    if value is None:
        return unmeasurable(Note("goal.status.no_value", {"measure": goal.main_measure.key}), change)
    limit = frac(rule.value) if rule.value is not None else None
    if limit is None:
        return unmeasurable(Note("goal.status.no_rule_value", {"rule": rule_term(rule)}), change)
    if rule.kind == "full_year":
        return full_year_status(value, limit, period, change)
    met = {
        "at_least": value >= limit,
        "share_at_least": value >= limit,
        "more_than": value > limit,
        "at_most": value <= limit,
        "ratio_at_most": value <= limit,
        "less_than": value < limit,
    }[rule.kind]
    return decided(met, Note("goal.status.compared", {"rule": rule_term(rule), "limit": rule.value, "value": value}),
                   change)


def rule_term(rule: TargetRule) -> Term:
    """The rule's kind as words (term.goal_rule.*)."""
    return Term(f"goal_rule.{rule.kind}")


def full_year_status(value: Fraction, target: Fraction, period: Period, change: Fraction | None) -> GoalStatus:
    share = value / target if target else None
    expected = Fraction(period.month, 12)
    if value >= target or period.month == 12:
        return decided(value >= target, Note("goal.status.full_year", {"target": target, "value": value}), change,
                       share)
    note = Note("goal.status.progress", {"value": value, "target": target, "month": period.month,
                                         "pro_rata": Percent(expected)})
    return GoalStatus("progress", "progress", note, share, expected, change)


def baseline_status(rule: TargetRule, change: Fraction | None) -> GoalStatus:
    if change is None:
        return unmeasurable(Note("goal.status.baseline_unknown", {"baseline_year": rule.baseline_year}), None)
    pct = frac(rule.value) / 100 if rule.value is not None else None
    if rule.kind == "decrease":
        met = change <= -pct if pct is not None else change < 0
    elif rule.kind == "increase":
        met = change >= pct if pct is not None else change > 0
    elif rule.kind == "not_above_baseline":
        met = change <= 0
    else:  # same_as_baseline
        met = abs(change) <= frac(rule.tolerance) / 100
    if rule.kind == "same_as_baseline":
        note = Note("goal.status.change_within", {"tolerance": Percent(frac(rule.tolerance) / 100),
                                                  "change": Percent(change)})
    elif pct is not None:
        note = Note("goal.status.change", {"rule": rule_term(rule), "wanted": Percent(pct), "change": Percent(change)})
    else:
        note = Note("goal.status.change_any", {"rule": rule_term(rule), "change": Percent(change)})
    return decided(met, note, change)


def decided(met: bool, explanation: Note, change: Fraction | None, share: Fraction | None = None) -> GoalStatus:
    code: StatusCode = "met" if met else "not_met"
    return GoalStatus(code, code, explanation, share=share, change=change)


def unmeasurable(explanation: Note, change: Fraction | None) -> GoalStatus:
    return GoalStatus("not_measurable", "not_measurable", explanation, change=change)


# --- strategic goals and key results ----------------------------------------------------------------


@dataclass(frozen=True)
class StrategicGoal:
    """A county-level strategic goal (the council's binding goal)."""

    code: str
    name: str
    position: int = 0


@dataclass(frozen=True)
class UnitGoal:
    """A unit's own goal under a strategic goal."""

    code: str
    strategic_goal: str
    unit_code: str
    text: str
    position: int = 0


@dataclass(frozen=True)
class KeyResultEntry:
    """One value of one field of a key result for a period; later entries of the same period supersede earlier."""

    period: Period
    field: KeyResultField
    value: Decimal
    source: str = ""
    entered_by: str = ""
    entered_at: str = ""


@dataclass(frozen=True)
class KeyResult:
    code: str
    unit_goal: str
    text: str
    unit: str = ""  # the measured value's unit ("%", "kpl")
    target_kind: Comparison | None = None  # how the measured value compares with the target
    metric: str | None = None
    entries: tuple[KeyResultEntry, ...] = ()
    position: int = 0

    def latest(self, field: KeyResultField, period: Period) -> KeyResultEntry | None:
        """The field's latest entry up to `period`, the newest entry of that period winning."""
        return newest_up_to((e for e in self.entries if e.field == field), period)


@dataclass(frozen=True)
class KeyResultRow:
    key_result: KeyResult
    strategic_goal: StrategicGoal
    unit_goal: UnitGoal
    unit_name: str
    period: Period
    measured: KeyResultEntry | None
    target: KeyResultEntry | None
    confidence: KeyResultEntry | None
    met: bool | None  # measured against target, when both and a comparison are known


def evaluate_key_result(
    key_result: KeyResult, unit_goal: UnitGoal, strategic_goal: StrategicGoal, period: Period, unit_name: str
) -> KeyResultRow:
    measured = key_result.latest("measured", period)
    target = key_result.latest("target", period)
    confidence = key_result.latest("confidence", period)
    met = None
    if measured and target and key_result.target_kind:
        m, t = measured.value, target.value
        met = {"at_least": m >= t, "more_than": m > t, "at_most": m <= t, "less_than": m < t}[key_result.target_kind]
    return KeyResultRow(key_result, strategic_goal, unit_goal, unit_name, period, measured, target, confidence, met)
