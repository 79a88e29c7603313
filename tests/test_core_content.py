"""Joining content to a report: the unit subtree, the period's year, orders, and the structure for the checks."""

from __future__ import annotations

from pathlib import Path

from katsaus.config import load_config_dir
from katsaus.config.content import load_content
from katsaus.core.content import attach_content
from katsaus.core.model import Conventions, Report
from katsaus.core.periods import Period

DEMO = Path(__file__).parents[1] / "configs" / "demo"
CONFIG = load_config_dir(DEMO)
CONTENT = load_content([DEMO / "content", DEMO / "narratives"], CONFIG)


def report(unit: str = "PESOVA", year: int = 2025) -> Report:
    bare = Report("Org", unit, unit, Period(year, 6), "osavuosikatsaus", Conventions(), ())
    return attach_content(bare, CONTENT, CONFIG.organisation, CONFIG.scheme(), CONFIG.template())


def test_the_division_gets_all_content_in_presentation_order():
    full = report()
    assert [g.goal.unit_code for g in full.goals][:5] == ["PESOVA-PK"] * 4 + ["PESOVA-LS"]
    assert [r.strategic_goal.code for r in full.key_results] == sorted(r.strategic_goal.code for r in full.key_results)
    assert len(full.key_results) == 33 and len(full.balancing.rows) == 6 and len(full.narratives) == 10
    assert [n.narrative.section for n in full.narratives][:3] == ["katsaus", "talous", "tuloslaskelma-alaviite"]
    assert full.structure.terms("toimintakate") == (("toimintatuotot", 1), ("valmistus_omaan_kayttoon", 1), ("toimintakulut", 1))
    assert full.structure.children("PESOVA") == ("PESOVA-HALL", "PESOVA-PK", "PESOVA-LS", "PESOVA-VP", "PESOVA-SP")


def test_a_result_area_gets_only_its_own_content():
    ls = report("PESOVA-LS")
    assert {g.goal.unit_code for g in ls.goals} == {"PESOVA-LS"}
    assert {r.unit_goal.unit_code for r in ls.key_results} == {"PESOVA-LS"}
    assert ls.balancing is None  # no measure is owned by child welfare
    assert [n.narrative.unit_code for n in ls.narratives] == ["PESOVA-LS"]
    vp = report("PESOVA-VP")
    assert [r.code for r in vp.balancing.rows] == ["OMAISHOIDON-TUKI", "HENKILOKOHTAINEN-APU"]


def test_another_year_has_no_goals_or_measures():
    other = report(year=2026)
    assert other.goals == () and other.balancing is None and other.narratives == ()
