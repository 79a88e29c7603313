"""Phrasing the goal, key-result and balancing tables: statuses, changes, values, overrides, the confidence column."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from katsaus.core.balancing import BalancingEntry, BalancingMeasure, build_balancing
from katsaus.core.goals import (
    GoalActual,
    KeyResult,
    KeyResultEntry,
    Measure,
    OperationalGoal,
    Presentation,
    StrategicGoal,
    TargetRule,
    UnitGoal,
    evaluate_goal,
    evaluate_key_result,
)
from katsaus.core.model import Conventions, Report
from katsaus.core.periods import Period
from katsaus.render.content_tables import actual_text, confidence_text, format_value, plan_text, write_content_tables

JUNE = Period(2025, 6)
NBSP = "\u00a0"


COUNT = (Measure("n", "kappaletta", "kpl"),)


def result(rule, values=None, change=None, wording=None, show="status", measures=COUNT, decimals=0, target_wording="", locale="fi"):
    actual = GoalActual(JUNE, tuple((k, D(str(v))) for k, v in (values or {}).items()), None if change is None else D(change), wording=wording)
    goal = OperationalGoal("G", "U", 2025, "Indikaattori", measures, rule, target_wording, presentation=Presentation(show, "/", decimals), actuals=(actual,))
    return evaluate_goal(goal, JUNE, "Yksikkö")


@pytest.mark.parametrize(
    "goal, text",
    [
        (result(TargetRule("full_year", D(100)), {"n": 33}), f"Toteutunut 33{NBSP}% (33 kappaletta)"),
        (result(TargetRule("full_year", D(81700)), {"n": 39012}, decimals=1), f"Toteutunut 47,8{NBSP}% (39{NBSP}012 kappaletta)"),
        (result(TargetRule("decrease", D(25), None, 2024), change="31"), f"Ei toteutunut (nousua 31{NBSP}%)"),
        (result(TargetRule("more_than", D(20)), {"n": 19}), "Ei toteutunut (19 kappaletta)"),
        (result(TargetRule("at_least", D(20)), {"n": 21}), "Toteutunut (21 kappaletta)"),
        (result(TargetRule("same_as_baseline", None, D(589), 2024), {"n": 560}, show="change", measures=(Measure("n", ""),)), f"Laskua 5{NBSP}% (560)"),
        (result(TargetRule("increase", None, None, 2024), {"n": 209}, show="values", measures=(Measure("n", ""),)), "209"),
        (result(TargetRule("increase", None, None, 2024), {"a": 10, "b": 2}, show="period_values", measures=(Measure("a", "käyntiä"), Measure("b", "ryhmää"))), "1–6/2025 (10 käyntiä/2 ryhmää)"),
        (result(TargetRule("increase", None, None, 2024), {}), "Ei vielä mitattavissa"),
        (result(TargetRule("full_year", D(6900)), {"n": 3352}, wording="06/25 toteuma 49% (3 352 vrk)"), "06/25 toteuma 49% (3 352 vrk)"),
    ],
)
def test_the_actual_cell_is_phrased_from_status_and_values(goal, text):
    assert actual_text(goal) == text


def test_swedish_phrasing():
    assert actual_text(result(TargetRule("full_year", D(100)), {"n": 33}), "sv") == f"Uppnått 33{NBSP}% (33 kappaletta)"


def test_the_plan_cell_is_the_original_wording_else_the_rule_in_words():
    assert plan_text(result(TargetRule("at_least", D(100)), target_wording="vähintään 100 selvitystä")) == "vähintään 100 selvitystä"
    assert plan_text(result(TargetRule("at_least", D(100)))) == "vähintään 100 kpl"
    assert plan_text(result(TargetRule("decrease", D(25), None, 2024))) == "vähenee 25 % verrattuna vuoteen 2024"


def test_values_keep_their_precision():
    assert (format_value(D("58.2")), format_value(D("3352")), format_value(D("1.40"))) == ("58,2", f"3{NBSP}352", "1,40")


def key_result_row(*entries):
    kr = KeyResult("K", "UG", "Avaintulos", entries=tuple(entries))
    return evaluate_key_result(kr, UnitGoal("UG", "S", "PESOVA-LS", "Tavoite"), StrategicGoal("S", "Strategia"), JUNE, "Lastensuojelun palvelut")


def test_the_confidence_column_shows_the_confidence_else_the_measured_value():
    assert confidence_text(key_result_row(KeyResultEntry(JUNE, "confidence", D(84)), KeyResultEntry(JUNE, "measured", D(5))), "fi") == "84"
    assert confidence_text(key_result_row(KeyResultEntry(JUNE, "measured", D("94.4"))), "fi") == "94,4"
    stale = key_result_row(KeyResultEntry(Period(2025, 3), "confidence", D(50)), KeyResultEntry(JUNE, "measured", D("1.4")))
    assert confidence_text(stale, "fi") == "1,4"
    assert confidence_text(key_result_row(), "fi") == ""


def test_files_have_the_reference_headers_and_the_balancing_percentages_are_whole(tmp_path):
    measures = [
        BalancingMeasure("a", "Osastotoiminnan tiivistäminen", "PESOVA", 2025, 340_000_000, (BalancingEntry(JUNE, 48_000_000, 235_000_000),)),
        BalancingMeasure("b", "Uusi", "PESOVA", 2025, 0, (BalancingEntry(JUNE, 0, 0),)),
        BalancingMeasure("c", "Kirjaamaton", "PESOVA", 2025, 100_000, ()),
    ]
    report = Report("Org", "PESOVA", "Toimiala", Period(2025, 6), "t", Conventions(), (), balancing=build_balancing(measures, JUNE, {}), key_results=(key_result_row(KeyResultEntry(JUNE, "confidence", D(40))),))
    paths = write_content_tables(report, tmp_path)
    assert [p.name for p in paths] == ["avaintulokset.csv", "tasapainottamistoimenpiteet.csv"]
    lines = (tmp_path / "tasapainottamistoimenpiteet.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [
        "measure,target,actual,actual_pct,forecast,forecast_pct",
        f"Osastotoiminnan tiivistäminen,3{NBSP}400,480,14{NBSP}%,2{NBSP}350,69{NBSP}%",
        f"Uusi,0,0,0{NBSP}%,0,0{NBSP}%",
        "Kirjaamaton,1,,,,",
        f"Yhteensä,3{NBSP}401,480,14{NBSP}%,2{NBSP}350,69{NBSP}%",
    ]
    rows = (tmp_path / "avaintulokset.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "strategic_goal,division,unit,goal,key_result,luottavaisuusarvio"
    assert rows[1] == "Strategia,PESOVA-LS,Lastensuojelun palvelut,Tavoite,Avaintulos,40"
