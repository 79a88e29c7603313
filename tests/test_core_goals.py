"""Operational goals' rules and statuses, status overrides, and key results' three fields with their history."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from katsaus.core.errors import Note, Percent, Refused, Term
from katsaus.core.goals import (
    GoalActual,
    KeyResult,
    KeyResultEntry,
    Measure,
    OperationalGoal,
    StatusOverride,
    StrategicGoal,
    TargetRule,
    UnitGoal,
    current_actual,
    evaluate_goal,
    evaluate_key_result,
)
from katsaus.core.periods import Period

JUNE = Period(2025, 6)


ONE_MEASURE = (Measure("n", "kpl"),)


def goal(rule: TargetRule, *actuals: GoalActual, measures=ONE_MEASURE, **kw) -> OperationalGoal:
    return OperationalGoal("G", "U", 2025, "indicator", tuple(measures), rule, actuals=actuals, **kw)


def actual(period: Period = JUNE, change_pct=None, **values) -> GoalActual:
    return GoalActual(period, tuple((k, D(str(v))) for k, v in values.items()), None if change_pct is None else D(change_pct))


@pytest.mark.parametrize(
    "rule, value, status",
    [
        (TargetRule("at_least", D(100)), 100, "met"),
        (TargetRule("at_least", D(100)), 99, "not_met"),
        (TargetRule("more_than", D(20)), 20, "not_met"),
        (TargetRule("more_than", D(20)), 21, "met"),
        (TargetRule("at_most", D(30)), 30, "met"),
        (TargetRule("at_most", D(30)), 31, "not_met"),
        (TargetRule("less_than", D("1.6")), "1.4", "met"),
        (TargetRule("share_at_least", D(60)), "58.2", "not_met"),
        (TargetRule("share_at_least", D(60)), "60.0", "met"),
        (TargetRule("decrease", D(25), D(101), 2024), 134, "not_met"),
        (TargetRule("decrease", D(25), D(100), 2024), 75, "met"),
        (TargetRule("decrease", None, D(747), 2024), 766, "not_met"),
        (TargetRule("decrease", None, D(747), 2024), 700, "met"),
        (TargetRule("increase", None, D(5), 2024), 3, "not_met"),
        (TargetRule("increase", D(10), D(100), 2024), 110, "met"),
        (TargetRule("not_above_baseline", None, D(62), 2024), 62, "met"),
        (TargetRule("not_above_baseline", None, D(62), 2024), 73, "not_met"),
        (TargetRule("same_as_baseline", None, D(731), 2024), 808, "not_met"),
        (TargetRule("same_as_baseline", None, D(731), 2024), 731, "met"),
        (TargetRule("same_as_baseline", None, D(100), 2024, tolerance=D(5)), 104, "met"),
        (TargetRule("ratio_at_most", D(30)), 29, "met"),
    ],
)
def test_rules_decide_met_or_not_met(rule, value, status):
    result = evaluate_goal(goal(rule, actual(n=value)), JUNE)
    assert result.status.code == result.status.computed == status


def test_a_full_year_target_is_x_percent_of_target_during_the_year_with_the_pro_rata_benchmark():
    result = evaluate_goal(goal(TargetRule("full_year", D(81700)), actual(n=39012)), JUNE)
    assert result.status.code == "progress"
    assert result.status.share == Fraction(39012, 81700)
    assert result.status.expected_share == Fraction(1, 2)
    # how it decided, as data: the value, the target and the pro-rata share of the year
    assert result.status.explanation == Note("goal.status.progress", {
        "value": Fraction(39012), "target": Fraction(81700), "month": 6, "pro_rata": Percent(Fraction(1, 2))})


def test_the_explanation_says_how_the_rule_decided_with_its_numbers():
    compared = evaluate_goal(goal(TargetRule("at_least", D(10)), actual(n=5)), JUNE).status.explanation
    assert compared == Note("goal.status.compared", {"rule": Term("goal_rule.at_least"), "limit": D(10),
                                                     "value": Fraction(5)})
    change = evaluate_goal(goal(TargetRule("decrease", D(25), D(100), 2024), actual(n=75)), JUNE).status.explanation
    assert change == Note("goal.status.change", {"rule": Term("goal_rule.decrease"), "wanted": Percent(Fraction(1, 4)),
                                                 "change": Percent(Fraction(-1, 4))})
    level = evaluate_goal(goal(TargetRule("same_as_baseline", None, D(100), 2024, tolerance=D(5)), actual(n=104)),
                          JUNE).status.explanation
    assert level == Note("goal.status.change_within", {"tolerance": Percent(Fraction(1, 20)),
                                                       "change": Percent(Fraction(1, 25))})


def test_a_full_year_target_is_met_once_reached_and_decided_at_the_year_end():
    assert evaluate_goal(goal(TargetRule("full_year", D(100)), actual(n=120)), JUNE).status.code == "met"
    december = Period(2025, 12)
    assert evaluate_goal(goal(TargetRule("full_year", D(100)), actual(december, n=99)), december).status.code == "not_met"


def test_a_change_entered_as_such_decides_a_baseline_rule():
    result = evaluate_goal(goal(TargetRule("decrease", D(25), None, 2024), actual(change_pct="31")), JUNE)
    assert (result.status.code, result.status.change) == ("not_met", Fraction(31, 100))


def test_a_ratio_from_two_measures():
    measures = (Measure("lapset", "lasta"), Measure("tyontekijat", "sosiaalityöntekijää"))
    rule = TargetRule("ratio_at_most", D(30), numerator="lapset", denominator="tyontekijat")
    met = evaluate_goal(goal(rule, actual(lapset=580, tyontekijat=20), measures=measures), JUNE)
    missed = evaluate_goal(goal(rule, actual(lapset=640, tyontekijat=20), measures=measures), JUNE)
    assert (met.status.code, missed.status.code) == ("met", "not_met")


@pytest.mark.parametrize(
    "rule, entries, why",
    [
        (TargetRule("at_least", D(1)), (), Note("goal.status.no_actual", {"year": 2025, "month": 6})),
        (TargetRule("decrease", None, None, 2024), (actual(n=5),), Note("goal.status.baseline_unknown", {"baseline_year": 2024})),
        (TargetRule("text", text="Palveluketju kuvataan"), (actual(n=1),), Note("goal.status.free_text")),
        (TargetRule("at_least", D(1)), (actual(),), Note("goal.status.no_value", {"measure": "n"})),
    ],
)
def test_a_rule_without_its_numbers_is_not_yet_measurable(rule, entries, why):
    status = evaluate_goal(goal(rule, *entries), JUNE).status
    assert status.code == "not_measurable" and status.explanation == why


def test_an_explanation_reads_in_finnish():
    from katsaus.render.messages import note_text

    assert note_text(Note("goal.status.no_actual", {"year": 2025, "month": 6}), "fi") == "kaudelta 1–6/2025 ei ole toteumaa"
    explanation = evaluate_goal(goal(TargetRule("full_year", D(81700)), actual(n=39012)), JUNE).status.explanation
    assert note_text(explanation, "fi") == (
        "39\u00a0012 koko vuoden tavoitteesta 81\u00a0700; kuluneeseen aikaan (6/12) suhteutettuna 50\u00a0%")


def test_a_person_may_override_a_status_only_with_a_reason_which_is_kept():
    with pytest.raises(Refused) as refused:
        StatusOverride(JUNE, "met", "  ")
    assert [(p.code, p.key) for p in refused.value.problems] == [("goal.override_reason_missing", "reason")]
    with pytest.raises(Refused) as unknown:
        StatusOverride(JUNE, "done", "Syy")
    assert unknown.value.codes == ("goal.override_status_unknown",) and unknown.value.problems[0].found == "done"
    override = StatusOverride(JUNE, "met", "Mitoitus toteutui; luvut puuttuvat", by="LS")
    result = evaluate_goal(goal(TargetRule("ratio_at_most", D(30)), actual(), overrides=(override,)), JUNE)
    assert (result.status.code, result.status.computed) == ("met", "not_measurable")
    assert result.status.override.reason == "Mitoitus toteutui; luvut puuttuvat"
    # an override of another period does not apply
    assert evaluate_goal(goal(TargetRule("ratio_at_most", D(30)), actual(), overrides=(override,)), Period(2025, 9)).status.code == "not_measurable"


def test_the_current_actual_is_the_latest_entry_of_the_latest_period_up_to_the_report():
    march, june_first, june_fixed = actual(Period(2025, 3), n=1), actual(n=2), actual(n=3)
    later = actual(Period(2025, 9), n=9)
    last_year = actual(Period(2024, 12), n=7)
    g = goal(TargetRule("at_least", D(1)), last_year, march, june_first, june_fixed, later)
    assert current_actual(g, JUNE) is june_fixed
    assert current_actual(g, Period(2025, 4)) is march
    assert current_actual(g, Period(2025, 2)) is None


def test_a_key_result_keeps_measured_value_target_and_confidence_apart_with_history():
    entries = (
        KeyResultEntry(Period(2024, 12), "measured", D("1.7"), "THL"),
        KeyResultEntry(JUNE, "target", D("1.6")),
        KeyResultEntry(JUNE, "measured", D("1.4")),
        KeyResultEntry(Period(2025, 3), "confidence", D(60)),
    )
    kr = KeyResult("KR", "UG", "osuus alle 1,6 %", "%", "less_than", entries=entries)
    row = evaluate_key_result(kr, UnitGoal("UG", "S", "U", "goal"), StrategicGoal("S", "strategy"), JUNE, "Unit")
    assert (row.measured.value, row.target.value, row.confidence.value) == (D("1.4"), D("1.6"), D(60))
    assert row.confidence.period == Period(2025, 3)  # the latest estimate, from an earlier period
    assert row.met is True
    assert kr.latest("measured", Period(2025, 1)).value == D("1.7")
