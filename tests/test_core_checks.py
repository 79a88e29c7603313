"""Each consistency rule with a case that passes and a case that fails, and the model report's content through all.

Findings are the family's `Problem`: each test checks the rule (`rule_of`, the code's second part), the code, the
location (unit, table, row, column, passage), the parameters and what was found, where it checked the message."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest

from katsaus.core import checks
from katsaus.core.balancing import BalancingEntry, BalancingMeasure, build_balancing
from katsaus.core.checks import compare, rule_of, run_checks
from katsaus.core.errors import Money, Note, Percent, Problem, Term
from katsaus.core.goals import (
    GoalActual,
    KeyResult,
    KeyResultEntry,
    Measure,
    Metric,
    OperationalGoal,
    Presentation,
    StatusOverride,
    StrategicGoal,
    TargetRule,
    UnitGoal,
    evaluate_goal,
    evaluate_key_result,
)
from katsaus.core.model import Cell, Column, Conventions, Report, Row, Structure, Table
from katsaus.core.narrative import Narrative, resolve
from katsaus.core.periods import Period

JUNE = Period(2025, 6)
COLUMNS = (
    Column("mta", "MTA I 2025", "budget", year=2025),
    Column("tot", "TOT 1-6/2025", "actual", year=2025),
    Column("tot_pct", "TOT-%", "ratio", year=2025),
    Column("tot_edv", "TOT 1-6/2024", "actual", year=2024),
)
STRUCTURE = Structure(
    line_terms=(
        ("toimintatuotot", (("myyntituotot", 1), ("maksutuotot", 1))),
        ("toimintakate", (("toimintatuotot", 1), ("valmistus", 1), ("toimintakulut", 1))),
    ),
    unit_parents=(("P", None), ("A", "P"), ("B", "P")),
    column_formulas=(("tot_pct", "ratio", "tot", "mta"),),
    column_offsets=(("tot_edv", -1),),
)
LABELS = {"myyntituotot": "Myyntituotot", "maksutuotot": "Maksutuotot", "toimintatuotot": "Toimintatuotot", "toimintakulut": "Toimintakulut", "toimintakate": "Toimintakate"}
# cents per unit and line: (mta, tot, tot_edv); 1000 € is 100 000 cents
UNIT_VALUES = {
    "A": {"myyntituotot": (150_000, 60_000, 50_000), "maksutuotot": (150_000, 60_000, 50_000), "toimintakulut": (-2_000_000, -900_000, -950_000)},
    "B": {"myyntituotot": (100_000, 40_000, 30_000), "maksutuotot": (0, 0, 0), "toimintakulut": (-1_000_000, -500_000, -520_000)},
}


def unit_lines(values: dict[str, tuple[int, int, int]]) -> dict[str, tuple[int, int, int]]:
    lines = dict(values)
    lines["toimintatuotot"] = tuple(a + b for a, b in zip(lines["myyntituotot"], lines["maksutuotot"]))
    lines["toimintakate"] = tuple(a + b for a, b in zip(lines["toimintatuotot"], lines["toimintakulut"]))
    return lines


def make_table(unit: str, lines: dict[str, tuple[int, int, int]], key: str = "talous") -> Table:
    rows = []
    for line in ("myyntituotot", "maksutuotot", "toimintatuotot", "toimintakulut", "toimintakate"):
        mta, tot, edv = lines[line]
        pct = Cell("ratio", ratio=Fraction(tot, mta)) if mta else Cell("ratio", zero_base=True)
        rows.append(Row(line, LABELS[line], 0, (Cell("amount", cents=mta), Cell("amount", cents=tot), pct, Cell("amount", cents=edv))))
    return Table(key, "tuloslaskelma", "Käyttötalous", unit, f"Yksikkö {unit}", COLUMNS, tuple(rows))


def base_report() -> Report:
    a, b = unit_lines(UNIT_VALUES["A"]), unit_lines(UNIT_VALUES["B"])
    p = {line: tuple(x + y for x, y in zip(a[line], b[line])) for line in a}
    tables = (make_table("P", p), make_table("A", a), make_table("B", b))
    return Report("Org", "P", "Toimiala", JUNE, "t", Conventions(), tables, structure=STRUCTURE)


def with_cell(report: Report, unit: str, line: str, column: str, cell: Cell) -> Report:
    tables = []
    for table in report.tables:
        if table.unit_code == unit:
            keys = [c.key for c in table.columns]
            rows = tuple(
                replace(r, cells=tuple(cell if keys[i] == column else c for i, c in enumerate(r.cells))) if r.line_code == line else r
                for r in table.rows
            )
            table = replace(table, rows=rows)
        tables.append(table)
    return replace(report, tables=tuple(tables))


def found(findings, rule: str, severity: str | None = None) -> list[Problem]:
    return [f for f in findings if rule_of(f) == rule and (severity is None or f.severity == severity)]


def serious(findings) -> list[Problem]:
    return [f for f in findings if f.severity != "info"]


def test_the_rule_is_the_second_part_of_the_code():
    assert rule_of(Problem("check.parent_children.rounding_only")) == "parent_children"
    assert rule_of(Problem("check.deviation_explanation.missing")) == "deviation_explanation"
    assert rule_of(Problem("report.unit_unknown")) == "" and rule_of(Problem("check.x")) == ""


# --- numbers --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stated, exact, approx, agreement",
    [
        ("49.6", Fraction(76084, 153508) * 100, "exact", "rounding"),
        ("10", Fraction(808, 731) * 100 - 100, "exact", "truncated"),
        ("45.5", Fraction(39012, 81700) * 100, "exact", "differs"),
        ("10", Fraction(808, 731) * 100 - 100, "about", "rounding"),
        ("90", Fraction(971, 10), "over", "same"),
        ("1.6", Fraction(17, 10), "under", "differs"),
        ("-76.1", Fraction(-7_608_412_345, 10**8), "exact", "rounding"),
    ],
)
def test_compare_tells_rounding_from_cutting_and_from_a_difference(stated, exact, approx, agreement):
    assert compare(D(stated), exact, approx) == agreement


def test_a_consistent_report_has_no_errors_or_warnings():
    findings = run_checks(base_report())
    assert [f for f in serious(findings) if rule_of(f) != "missing"] == []
    assert [(f.code, f.params) for f in found(findings, "missing")] == [
        ("check.missing.narrative", {"year": 2025, "month": 6})] * 3


# --- statement tables -----------------------------------------------------------------------------------------


def test_derived_line_against_its_components():
    report = base_report()
    assert found(run_checks(report), "derived_line", "error") == []
    broken = with_cell(report, "A", "toimintatuotot", "tot", Cell("amount", cents=130_000))
    errors = found(run_checks(broken), "derived_line", "error")
    assert [(f.code, f.unit, f.row, f.column) for f in errors] == [("check.derived_line.not_sum", "A", "Toimintatuotot", "tot")]
    assert errors[0].params == {"expected": Money(120_000), "found": Money(130_000)}


def test_a_finding_reads_in_finnish_with_its_place_and_euros():
    from katsaus.render.messages import problem_line

    broken = with_cell(base_report(), "A", "toimintatuotot", "tot", Cell("amount", cents=130_000))
    (error,) = found(run_checks(broken), "derived_line", "error")
    assert problem_line(error, "fi") == (
        "yksikkö 'A', taulukko 'talous', rivi Toimintatuotot, sarake 'tot': rivi ei ole osiensa summa: rivillä on "
        "1\u00a0300,00\u00a0€; odotettiin 1\u00a0200,00\u00a0€")


def test_a_difference_that_lines_not_shown_could_explain_is_a_warning():
    broken = with_cell(base_report(), "B", "toimintakate", "mta", Cell("amount", cents=-800_000))
    warning = found(run_checks(broken), "derived_line", "warning")
    assert len(warning) == 1 and warning[0].code == "check.derived_line.not_sum_hidden"
    assert warning[0].params["hidden"] == ("valmistus",)


def test_rounding_only_differences_are_information():
    # A: 1,5 + 1,5 thousand print as 2 + 2 but their sum 3,0 prints as 3
    notes = found(run_checks(base_report()), "derived_line", "info")
    assert notes and all(f.severity == "info" and f.code == "check.derived_line.rounding_only" for f in notes)
    # printed 3 against the sum 2 + 2 of the printed parts
    assert any(("Toimintatuotot / mta", D(3), D(4)) in zip(f.params["cells"], f.params["printed"], f.params["sums"])
               for f in notes)


def test_parent_against_the_sum_of_its_children():
    assert found(run_checks(base_report()), "parent_children", "error") == []
    broken = with_cell(base_report(), "P", "toimintakulut", "tot", Cell("amount", cents=-1_500_000))
    errors = found(run_checks(broken), "parent_children", "error")
    assert [(f.code, f.unit, f.row, f.column) for f in errors] == [("check.parent_children.not_sum", "P", "toimintakulut", "tot")]
    assert errors[0].params == {"count": 2, "expected": Money(-1_400_000), "found": Money(-1_500_000)}


def test_percentages_against_the_amounts_they_come_from():
    assert found(run_checks(base_report()), "ratio") == []
    broken = with_cell(base_report(), "A", "toimintakulut", "tot_pct", Cell("ratio", ratio=Fraction(1, 2)))
    (error,) = found(run_checks(broken), "ratio", "error")
    assert (error.code, error.unit, error.row, error.column) == ("check.ratio.not_quotient", "A", "Toimintakulut", "tot_pct")
    assert error.params == {"numerator": "tot", "denominator": "mta", "expected": Percent(Fraction(900_000, 2_000_000)),
                            "found": Percent(Fraction(1, 2))}
    no_base = with_cell(base_report(), "B", "maksutuotot", "tot_pct", Cell("ratio", ratio=Fraction(0)))
    # a zero base must show as zero base
    assert [f.code for f in found(run_checks(no_base), "ratio", "error")] == ["check.ratio.not_zero_base"]


def test_difference_columns_against_their_two_columns():
    structure = replace(STRUCTURE, column_formulas=(("diff", "difference", "mta", "tot"),))
    columns = (COLUMNS[0], COLUMNS[1], Column("diff", "MTA - TOT", "difference", year=2025))
    row = Row("toimintakulut", "Toimintakulut", 0, (Cell("amount", cents=-10), Cell("amount", cents=-4), Cell("amount", cents=-6)))
    table = Table("t", "o", "T", "A", "A", columns, (row,))
    good = Report("Org", "A", "A", JUNE, "t", Conventions(), (table,), structure=structure)
    assert found(run_checks(good), "difference") == []
    bad_row = replace(row, cells=row.cells[:2] + (Cell("amount", cents=6),))
    bad = replace(good, tables=(replace(table, rows=(bad_row,)),))
    (error,) = found(run_checks(bad), "difference", "error")
    assert (error.code, error.row, error.column) == ("check.difference.not_difference", "Toimintakulut", "diff")
    assert (error.params["expected"], error.params["found"]) == (Money(-6), Money(6))


def test_the_same_figure_in_two_tables():
    report = base_report()
    second = make_table("A", unit_lines(UNIT_VALUES["A"]), key="toinen")
    assert found(run_checks(replace(report, tables=report.tables + (second,))), "same_measure") == []
    changed = replace(second, rows=(replace(second.rows[0], cells=(Cell("amount", cents=1),) + second.rows[0].cells[1:]),) + second.rows[1:])
    errors = found(run_checks(replace(report, tables=report.tables + (changed,))), "same_measure", "error")
    assert [(f.unit, f.table, f.row, f.column) for f in errors] == [("A", "toinen", "Myyntituotot", "mta")]
    assert errors[0].params == {"first_table": "talous", "expected": Money(150_000), "found": Money(1)}


# --- balancing ----------------------------------------------------------------------------------------------------


def balancing_report(*measures: BalancingMeasure) -> Report:
    return replace(base_report(), balancing=build_balancing(measures, JUNE, {}))


def test_balancing_percentages_and_total():
    good = balancing_report(BalancingMeasure("a", "A", "A", 2025, 340_000_000, (BalancingEntry(JUNE, 48_000_000, 235_000_000),)))
    assert found(run_checks(good), "balancing") == []
    table = good.balancing
    wrong_pct = replace(table, rows=(replace(table.rows[0], actual_ratio=Fraction(15, 100)),))
    wrong_total = replace(table, total=replace(table.total, target_cents=1))
    (pct,) = found(run_checks(replace(good, balancing=wrong_pct)), "balancing", "error")
    assert (pct.code, pct.column, pct.params) == ("check.balancing.percent_wrong", "actual_pct", {
        "expected": Percent(Fraction(48, 340)), "found": Percent(Fraction(15, 100))})
    totals = found(run_checks(replace(good, balancing=wrong_total)), "balancing", "error")
    assert [(f.code, f.column) for f in totals] == [
        ("check.balancing.percent_wrong", "actual_pct"), ("check.balancing.percent_wrong", "forecast_pct"),
        ("check.balancing.total_not_sum", "target")]
    assert totals[-1].params == {"expected": Money(340_000_000), "found": Money(1)}


def test_balancing_achieved_above_the_year_end_forecast():
    report = balancing_report(BalancingMeasure("a", "A", "A", 2025, 100, (BalancingEntry(JUNE, 60, 50),)))
    warnings = found(run_checks(report), "balancing", "warning")
    assert [(f.code, f.row) for f in warnings] == [("check.balancing.achieved_above_forecast", "A"),
                                                   ("check.balancing.achieved_above_forecast", "Yhteensä")]
    assert warnings[0].params == {"achieved": Money(60), "forecast": Money(50)}


# --- goals ---------------------------------------------------------------------------------------------------------


def goal(rule: TargetRule, values=None, wording: str | None = None, change=None, overrides=(), measures=None, target_wording="", **kw) -> OperationalGoal:
    values = values if values is not None else {}
    actual = GoalActual(JUNE, tuple((k, D(str(v))) for k, v in values.items()), None if change is None else D(change), wording=wording)
    return OperationalGoal("G", "A", 2025, "Indikaattori", measures or (Measure("n", "vrk", "vrk"),), rule, target_wording, actuals=(actual,), overrides=overrides, **kw)


def goal_report(*goals: OperationalGoal) -> Report:
    return replace(base_report(), goals=tuple(evaluate_goal(g, JUNE, "A") for g in goals))


def test_printed_goal_percentage_against_the_numbers():
    rule = TargetRule("full_year", D(81700))
    good = goal(rule, {"n": 39012}, "Toteutunut 47,8 % (39 012 vrk)")
    assert found(run_checks(goal_report(good)), "goal_status") == []
    errors = found(run_checks(goal_report(goal(rule, {"n": 39012}, "Toteutunut 45,5 % (39 012 vrk)"))), "goal_status", "error")
    assert len(errors) == 1 and errors[0].code == "check.goal_status.percent_wrong"
    assert errors[0].params == {"expected": D("47.8"), "exact": Fraction(39012 * 100, 81700)}
    assert errors[0].found == "Toteutunut 45,5 % (39 012 vrk)"
    hoitopaivat = goal(TargetRule("full_year", D(6900)), {"n": 3352}, "06/25 toteuma 49% (3 352 vrk)")
    assert found(run_checks(goal_report(hoitopaivat)), "goal_status") == []


def test_printed_change_cut_instead_of_rounded_is_a_warning():
    rule = TargetRule("same_as_baseline", None, D(731), 2024)
    cut = goal(rule, {"n": 808}, "Nousua 10 % (808 as.)", presentation=Presentation("change"))
    rounded = goal(rule, {"n": 808}, "Nousua 11 % (808 as.)", presentation=Presentation("change"))
    assert [(f.severity, f.code, f.found) for f in found(run_checks(goal_report(cut)), "goal_status")] == [
        ("warning", "check.goal_status.change_cut", "Nousua 10 % (808 as.)")]
    assert found(run_checks(goal_report(rounded)), "goal_status") == []


def test_printed_status_word_and_values_against_the_goal():
    rule = TargetRule("decrease", None, D(747), 2024)
    assert found(run_checks(goal_report(goal(rule, {"n": 766}, "Ei toteutunut (766 lasta)"))), "goal_status") == []
    wrong_word = found(run_checks(goal_report(goal(rule, {"n": 766}, "Toteutunut (766 lasta)"))), "goal_status", "error")
    wrong_value = found(run_checks(goal_report(goal(rule, {"n": 766}, "Ei toteutunut (767 lasta)"))), "goal_status", "error")
    assert len(wrong_word) == 1 and wrong_word[0].code == "check.goal_status.word_wrong"
    assert wrong_word[0].params == {"status": Term("goal_status.not_met")} and wrong_word[0].found == "Toteutunut (766 lasta)"
    assert len(wrong_value) == 1 and wrong_value[0].found == "767"
    assert (wrong_value[0].code, wrong_value[0].params, wrong_value[0].passage) == (
        "check.goal_status.value_not_actual", {"values": (D(766),)}, "Ei toteutunut (767 lasta)")


def test_status_overrides_and_rules_that_cannot_decide():
    reason = StatusOverride(JUNE, "met", "Päätetty johtoryhmässä", by="Johtaja")
    against = goal(TargetRule("at_least", D(10)), {"n": 5}, overrides=(reason,))
    undecidable = goal(TargetRule("increase", None, None, 2024), {"n": 5}, overrides=(reason,))
    unknown = goal(TargetRule("increase", None, None, 2024), {"n": 5})
    assert [f.severity for f in found(run_checks(goal_report(against)), "goal_status")] == ["warning"]
    (overridden,) = found(run_checks(goal_report(against)), "goal_status")
    assert overridden.code == "check.goal_status.override_against_rule"
    assert overridden.params == {
        "by": "Johtaja", "reason": "Päätetty johtoryhmässä", "status": Term("goal_status.met"),
        "computed": Term("goal_status.not_met"),
        "explanation": Note("goal.status.compared", {"rule": Term("goal_rule.at_least"), "limit": D(10), "value": Fraction(5)})}
    assert [(f.severity, f.code) for f in found(run_checks(goal_report(undecidable)), "goal_status")] == [
        ("info", "check.goal_status.override_undecidable")]
    (cannot,) = found(run_checks(goal_report(unknown)), "goal_status")
    assert (cannot.severity, cannot.code) == ("warning", "check.goal_status.undecidable")
    assert cannot.params == {"explanation": Note("goal.status.baseline_unknown", {"baseline_year": 2024})}
    assert found(run_checks(goal_report(goal(TargetRule("at_least", D(10)), {"n": 12}))), "goal_status") == []


def test_target_wording_against_the_rule():
    rule = TargetRule("decrease", D(25), D(101), 2024)
    good = goal(rule, {"n": 134}, target_wording="vähenee 25 % verrattuna vuoteen 2024, jolloin siirtymät olivat 101")
    extra = goal(rule, {"n": 134}, target_wording="vähenee 30 % verrattuna vuoteen 2024, jolloin siirtymät olivat 101")
    assert found(run_checks(goal_report(good)), "goal_wording") == []
    assert [(f.found, f.severity) for f in found(run_checks(goal_report(extra)), "goal_wording")] == [("30 %", "warning"), ("vähenee 30 % verrattuna vuoteen 2024, jolloin siirtymät olivat 101", "warning")]
    unknown, missing = found(run_checks(goal_report(extra)), "goal_wording")
    assert (unknown.code, unknown.params["numbers"], unknown.passage) == (
        "check.goal_wording.number_unknown", (D(25), D(101)), extra.wording)
    assert (missing.code, missing.params) == ("check.goal_wording.rule_number_missing", {"number": D(25)})


# --- key results and metrics -------------------------------------------------------------------------------------

METRICS = (Metric("perhehoito", "Perhehoidon osuus", "%", ("perhehoidon osuus",)), Metric("avohuolto", "Avohuollon lapset", "lasta", ("avohuollon asiakasmäär", "asiakasmäärä avohuollossa")))


def key_result_report(entries, metric=None, goals=()) -> Report:
    kr = KeyResult("KR", "UG", "Avohuollon asiakasmäärä vähenee", "%", "more_than", metric, tuple(entries))
    row = evaluate_key_result(kr, UnitGoal("UG", "S", "A", "Tavoite"), StrategicGoal("S", "Strategia"), JUNE, "A")
    return replace(goal_report(*goals), key_results=(row,), metrics=METRICS)


def test_high_confidence_while_the_same_measure_misses_its_goal():
    failing = goal(TargetRule("decrease", None, D(747), 2024), {"n": 766}, measures=(Measure("n", "lasta", metric="avohuolto"),))
    sure = [KeyResultEntry(JUNE, "confidence", D(100))]
    (sure_finding,) = found(run_checks(key_result_report(sure, "avohuolto", (failing,))), "key_result")
    assert (sure_finding.severity, sure_finding.code) == ("warning", "check.key_result.confident_but_goal_not_met")
    assert (sure_finding.params["confidence"], sure_finding.params["goal"]) == (D(100), "Indikaattori")
    assert found(run_checks(key_result_report([KeyResultEntry(JUNE, "confidence", D(40))], "avohuolto", (failing,))), "key_result") == []
    (out_of_range,) = found(run_checks(key_result_report([KeyResultEntry(JUNE, "confidence", D(140))])), "key_result")
    assert (out_of_range.severity, out_of_range.code, out_of_range.params) == (
        "error", "check.key_result.confidence_range", {"confidence": D(140)})
    missed = [KeyResultEntry(JUNE, "confidence", D(95)), KeyResultEntry(JUNE, "target", D(60)), KeyResultEntry(JUNE, "measured", D("57.8"))]
    (missed_finding,) = found(run_checks(key_result_report(missed)), "key_result", "warning")
    assert (missed_finding.code, missed_finding.params) == (
        "check.key_result.confident_but_missed", {"confidence": D(95), "target": D(60), "measured": D("57.8")})


def test_the_same_measure_with_different_values_in_different_places():
    share = goal(TargetRule("share_at_least", D(60)), {"n": "58.2"}, measures=(Measure("n", "% perhehoidossa", "%", metric="perhehoito"),))
    differs = key_result_report([KeyResultEntry(JUNE, "measured", D("57.8")), KeyResultEntry(JUNE, "confidence", D(50))], "perhehoito", (share,))
    agrees = key_result_report([KeyResultEntry(JUNE, "measured", D("58")), KeyResultEntry(JUNE, "confidence", D(50))], "perhehoito", (share,))
    warnings = found(run_checks(differs), "same_measure", "warning")
    assert len(warnings) == 1 and warnings[0].code == "check.same_measure.metric_differs" and warnings[0].row == "perhehoito"
    assert warnings[0].params == {
        "metric": "perhehoito", "year": 2025, "month": 6,
        "first": D("58.2"), "first_place": Term("metric_place.goal"), "first_code": "G", "first_role": Term("metric_role.actual"),
        "second": D("57.8"), "second_place": Term("metric_place.key_result"), "second_code": "KR",
        "second_role": Term("metric_role.measured")}
    assert found(run_checks(agrees), "same_measure") == []


# --- narratives ------------------------------------------------------------------------------------------------------


def narrative_report(text: str, unit: str = "P", report: Report | None = None) -> Report:
    report = report or base_report()
    narrative = Narrative(unit, JUNE, "talous", text)
    return replace(report, narratives=(resolve(narrative, report, unit),))


def test_a_placeholder_naming_a_missing_figure_is_an_error():
    assert found(run_checks(narrative_report("Kate {{ luku: . / toimintakate / tot }}.")), "narrative_reference") == []
    errors = found(run_checks(narrative_report("Kate {{ luku: . / toimintakatee / tot }}.")), "narrative_reference", "error")
    assert len(errors) == 1 and errors[0].code == "check.narrative_reference.figure_line"
    assert errors[0].params["line"] == "toimintakatee" and errors[0].found == "{{ luku: . / toimintakatee / tot }}"
    assert (errors[0].unit, errors[0].table, errors[0].row) == ("P", "narrative", "talous")


def test_hand_typed_amounts_and_percentages_against_the_statement():
    # P: toimintakate tot -1 240 000 cents (-12 400 €), mta -2 600 000 (TOT-% 47,69 %), 1-6/2024 -1 340 000
    good = "Toimialan toimintakate 1-6/2025 on -0,012 miljoonaa euroa ja toteutumaprosentti 47,7 %. Edellisenä vuonna vastaavana aikana toteuma oli -13,4 tuhatta euroa."
    assert serious(found(run_checks(narrative_report(good)), "narrative_number")) == []
    wrong = "Toimialan toimintakate 1-6/2025 on -0,015 miljoonaa euroa ja toteutumaprosentti 49,6 %. Edellisenä vuonna toteuma oli -13,0 tuhatta euroa."
    errors = found(run_checks(narrative_report(wrong)), "narrative_number", "error")
    assert [(f.found, f.column) for f in errors] == [
        ("-0,015 miljoonaa euroa", "P / toimintakate / tot"),
        ("49,6 %", "P / toimintakate / tot_pct"),
        ("-13,0 tuhatta euroa", "P / toimintakate / tot_edv"),
    ]
    assert errors[0].code == "check.narrative_number.figure_differs"
    assert errors[0].params == {"kind": Term("figure_kind.amount"), "line": "toimintakate", "figure_column": "tot",
                                "figure_unit": "P", "expected": D("-0.012"), "exact": Fraction(-1_240_000, 10**8)}
    assert errors[1].params["expected"] == D("47.7") and errors[1].params["kind"] == Term("figure_kind.percent")
    assert all(f.passage and f.table == "narrative" for f in errors)


def test_hand_typed_metric_values_and_unlinked_numbers():
    share = goal(TargetRule("share_at_least", D(60)), {"n": "58.2"}, measures=(Measure("n", "%", "%", metric="perhehoito"),))
    report = replace(goal_report(share), metrics=METRICS)
    good = narrative_report("Perhehoidon osuus on 58,2% (tietoportaali) ja huostaanotetuilla 62% (THL 2024). Budjetissa on noin 5 miljoonaa euroa vähemmän.", report=report)
    findings = found(run_checks(good), "narrative_number")
    assert [f.severity for f in findings] == ["info"] and findings[0].found == "62%; 5 miljoonaa euroa"
    assert (findings[0].code, findings[0].params) == ("check.narrative_number.not_linked", {"count": 2})
    wrong = narrative_report("Perhehoidon osuus on 57,8 %.", report=report)
    assert [(f.severity, f.found) for f in found(run_checks(wrong), "narrative_number")] == [("warning", "57,8 %")]
    (metric,) = found(run_checks(wrong), "narrative_number")
    assert (metric.code, metric.params, metric.column) == (
        "check.narrative_number.metric_differs",
        {"metric": "perhehoito", "values": (D("58.2"), D(60)), "places": ("G", "G")}, "perhehoito")  # actual, target


def test_claims_that_a_measure_rose_fell_or_stayed_level():
    children = goal(TargetRule("decrease", None, D(356), 2024), {"n": 399}, measures=(Measure("n", "lasta", metric="avohuolto"),))
    report = replace(goal_report(children), metrics=METRICS)
    assert found(run_checks(narrative_report("Asiakasmäärä avohuollossa on kasvanut keväällä.", report=report)), "narrative_claim") == []
    assert found(run_checks(narrative_report("Avohuollon asiakasmäärä ei ole laskenut.", report=report)), "narrative_claim") == []
    level = found(run_checks(narrative_report("Avohuollon asiakasmäärä on pysytetty edellisen vuoden tasolla.", report=report)), "narrative_claim", "warning")
    fell = found(run_checks(narrative_report("Avohuollon asiakasmäärä on vähentynyt.", report=report)), "narrative_claim", "warning")
    assert len(level) == 1 and level[0].code == "check.narrative_claim.contradicted"
    assert level[0].params == {"metric": "avohuolto", "claim": Term("claim.same"), "goal": "G",
                               "change": Percent(Fraction(399, 356) - 1)}  # +12,1 %
    assert level[0].found == "pysytetty"  # the words that make the claim, as written
    assert len(fell) == 1 and (fell[0].params["claim"], fell[0].found) == (Term("claim.down"), "vähentynyt")


# --- missing data and robustness ----------------------------------------------------------------------------------------


def test_missing_narratives_actuals_confidence_and_balancing_euros():
    report = base_report()
    assert sorted(f.unit for f in found(run_checks(report), "missing")) == ["A", "B", "P"]
    written = report
    for unit in ("P", "A", "B"):
        written = replace(written, narratives=written.narratives + narrative_report("Teksti.", unit, report).narratives)
    assert found(run_checks(written), "missing") == []
    no_actual = OperationalGoal("G", "A", 2025, "Indikaattori", (Measure("n"),), TargetRule("at_least", D(1)))
    no_confidence = key_result_report([KeyResultEntry(JUNE, "measured", D("94.4"))])
    no_euros = balancing_report(BalancingMeasure("a", "A", "A", 2025, 100))
    assert [f.table for f in found(run_checks(replace(written, goals=goal_report(no_actual).goals)), "missing")] == ["toiminnalliset_tavoitteet"]
    no_goal_actual = found(run_checks(replace(written, goals=goal_report(no_actual).goals)), "missing")
    assert [(f.code, f.params) for f in no_goal_actual] == [("check.missing.goal_actual", {"year": 2025, "month": 6})]
    confidence = found(run_checks(replace(no_confidence, narratives=written.narratives)), "missing")
    assert [f.table for f in confidence] == ["avaintulokset"] and confidence[0].params["measured"] == D("94.4")
    assert confidence[0].code == "check.missing.confidence_measured_shown"
    assert [(f.table, f.code) for f in found(run_checks(replace(no_euros, narratives=written.narratives)), "missing")] == [
        ("tasapainottamistoimenpiteet", "check.missing.balancing_euros")]


def test_a_missing_confidence_reads_in_finnish_with_the_measured_value():
    from katsaus.render.messages import problem_line

    report = key_result_report([KeyResultEntry(JUNE, "measured", D("94.4"))])
    (missing,) = [f for f in found(run_checks(report), "missing") if f.table == "avaintulokset"]
    assert problem_line(missing, "fi") == (
        "yksikkö 'A', taulukko 'avaintulokset', rivi Avohuollon asiakasmäärä vähenee, sarake 'luottavaisuusarvio': "
        "kaudelta 1–6/2025 ei ole luottavaisuusarviota; taulukko näyttää sen paikalla mitatun arvon 94,4")


def test_a_rule_that_fails_becomes_a_finding_and_the_others_still_run(monkeypatch):
    def broken(report):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(checks, "RULES", (("broken", broken),) + checks.RULES)
    findings = run_checks(base_report())
    assert findings[0] == Problem("check.broken.failed", {"error": "ZeroDivisionError", "detail": "oops"}, "error")
    assert rule_of(findings[0]) == "broken"
    assert found(findings, "missing")


# --- the model report's content through every rule ------------------------------------------------------------------

DEMO = Path(__file__).parents[1] / "configs" / "demo"

# (severity, rule, unit, row) of every content finding of the model report 1–6/2025, statement tables aside
MODEL_REPORT_CONTENT_FINDINGS = [
    ("info", "goal_status", "PESOVA-LS", "Sosiaalityöntekijöiden mitoitus"),
    ("error", "goal_status", "PESOVA-VP", "Vammaispalveluiden asumisen palvelutuotanto, omien yksiköiden asumisvuorokaudet"),
    ("warning", "goal_status", "PESOVA-VP", "Henkilökohtaisen avun asiakasmäärä"),
    ("warning", "goal_status", "PESOVA-SP", "Ryhmämuotoinen työskentely oman tuotannon osalta: kotouttavat ryhmät"),
    ("warning", "goal_status", "PESOVA-SP", "Ryhmämuotoinen työskentely oman tuotannon osalta: sosiaalinen kuntoutus"),
    ("info", "goal_status", "PESOVA-SP", "Kuntouttavan työtoiminnan asiakasmäärä (oma toiminta, ostopalvelu)"),
    ("warning", "key_result", "PESOVA-LS", "Lastensuojelun avohuollon asiakasmäärä vähenee."),
    ("warning", "same_measure", None, "perhehoito_osuus"),  # a metric across places: no one unit
    ("info", "narrative_number", "PESOVA", "katsaus"),
    ("info", "narrative_number", "PESOVA", "talous"),  # linked (and in agreement) once the statement tables are there
    ("info", "narrative_number", "PESOVA-LS", "katsaus"),
    ("warning", "narrative_claim", "PESOVA", "katsaus"),
    ("warning", "missing", "PESOVA-LS", "Sosiaalityöntekijöiden mitoitus"),
] + [("warning", "missing", unit, text) for unit, text in [
    ("PESOVA-PK", "80 % lapsiperheiden soteintegroidun palveluohjauksen ja neuvonnan asiakkaista kokee saaneensa apua kun sitä tarvitsi"),
    ("PESOVA-SP", "Siirtymät kuntouttavasta työtoiminnasta työhön, koulutukseen tai muihin työllistymistä edistäviin palveluihin lisääntyvät (Tavoite 10% asiakkaista)"),
    ("PESOVA-PK", "90 % Omatiimiasiakkaista kokee, että monialaisesta työskentelystä on ollut hyötyä"),
    ("PESOVA-LS", "Sijoitettujen lasten suhteellinen osuus on alle kansallisen keskitason 1,6 % 0–17v. Väestöstä"),
    ("PESOVA-LS", "Omaa laitospalvelua kehitetään siten, että omien laitosten täyttöaste on yli 90 %"),
    ("PESOVA-LS", "Vahvistetaan perhehoidon osuutta kaikissa sijoituksissa siten, että perhehoidon osuus on yli 60 %"),
]]


def test_the_model_reports_goals_key_results_balancing_and_narratives_through_every_rule():
    from katsaus.config import load_config_dir
    from katsaus.config.content import load_content
    from katsaus.core.content import attach_content

    config = load_config_dir(DEMO)
    content = load_content([DEMO / "content", DEMO / "narratives"], config)
    # no statement tables here (those need the demo database: tests/test_content_golden.py runs them too)
    bare = Report("Kanta-Häme", "PESOVA", "Toimiala", JUNE, "osavuosikatsaus", Conventions(), ())
    report = attach_content(bare, content, config.organisation, config.scheme(), config.template())
    findings = run_checks(report)
    assert [(f.severity, rule_of(f), f.unit, f.row) for f in findings] == MODEL_REPORT_CONTENT_FINDINGS


# --- organisations without narratives, heading rows, tables of units -----------------------------------------------


def test_an_organisation_without_narratives_is_not_warned_about_them():
    findings = run_checks(replace(base_report(), narratives_expected=False))
    assert found(findings, "missing") == []
    assert len(found(run_checks(base_report()), "missing")) == 3


def test_a_heading_row_is_no_figure_for_the_ratio_rule():
    report = base_report()
    blank = tuple(Cell("text") for _ in COLUMNS)
    tables = tuple(replace(t, rows=(Row("", "Toimintatulot", 0, blank, heading=True), *t.rows)) for t in report.tables)
    assert serious(found(run_checks(replace(report, tables=tables)), "ratio")) == []


def test_a_table_of_units_figures_are_compared_by_unit_and_line():
    """Two tables of units with the same column keys on different lines are different figures; the same unit, line
    and column with another value is an error."""
    revenue = replace(COLUMNS[1], line="toimintatuotot")
    cost = replace(COLUMNS[1], line="toimintakulut")

    def units_table(key: str, column: Column, values: dict[str, int]) -> Table:
        rows = tuple(Row(unit, f"Yksikkö {unit}", 0, (Cell("amount", cents=cents),)) for unit, cents in values.items())
        return Table(key, key, "T", "P", "Toimiala", (column,), rows, rows_by="unit")

    tables = (units_table("tuotot", revenue, {"P": 100, "A": 60}), units_table("kulut", cost, {"P": -900, "A": -500}))
    report = replace(base_report(), tables=tables, structure=Structure(unit_parents=STRUCTURE.unit_parents))
    assert found(run_checks(report), "same_measure") == []
    clash = units_table("tuotot2", revenue, {"A": 61})
    (finding,) = found(run_checks(replace(report, tables=(*tables, clash))), "same_measure")
    assert (finding.severity, finding.unit, finding.column) == ("error", "A", "tot")
    assert (finding.code, finding.params["expected"], finding.params["found"]) == (
        "check.same_measure.tables_differ", Money(60), Money(61))
