"""Content files: the demo content loads exactly; every problem names the file, the key (or the words of the
narrative) and what is wrong, with a code whose texts read in Finnish and Swedish."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reliability_support import assert_readable

from katsaus.config import load_config_dir
from katsaus.config.content import ContentFile, NarrativeHead, load_content
from katsaus.core.errors import Problem, Refused
from katsaus.render.messages import problem_line

DEMO = Path(__file__).parents[1] / "configs" / "demo"
CONFIG = load_config_dir(DEMO)

GOAL = """
[[goals]]
code = "G1"
unit = "PESOVA-LS"
year = 2025
indicator = "Avohuollon lapset"
measures = [{ key = "lapset", label = "lasta" }]
target = { kind = "decrease", baseline = 747, baseline_year = 2024, wording = "Laskeva (747)" }
"""


def problems(tmp_path: Path, files: dict[str, str]) -> list[Problem]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(Refused) as caught:
        load_content([tmp_path], CONFIG)
    assert caught.value.outcome.code == "outcome.nothing_stored"
    for problem in caught.value.problems:
        assert_readable(problem)
    return list(caught.value.problems)


def find(given: list[Problem], code: str, name: str, params: dict[str, Any] | None = None, **where: Any) -> Problem:
    """The problem with this code in file `name`, these parameters (a subset) and location fields."""
    for problem in given:
        if problem.code == code and Path(problem.file or "").name == name \
                and all(problem.params.get(k) == v for k, v in (params or {}).items()) \
                and all(getattr(problem, k) == v for k, v in where.items()):
            return problem
    raise AssertionError(f"no {code} in {name} {params or ''} {where}:\n" + "\n".join(str(p) for p in given))


def test_the_demo_content_loads_with_exact_numbers_and_money_in_cents():
    content = load_content([DEMO / "content", DEMO / "narratives"], CONFIG)
    assert (len(content.goals), len(content.key_results), len(content.measures), len(content.narratives)) == (19, 33, 6, 10)
    share = next(g for g in content.goals if g.code == "LS-PERHEHOIDON-OSUUS")
    assert share.actuals[0].value("osuus") == Decimal("58.2")
    assert content.measures[0].target_cents == 340_000_000
    assert [s.code for s in content.strategic_goals] == ["ST1", "ST2", "ST3", "ST4", "ST5"]
    assert {n.unit_code for n in content.narratives} == {"PESOVA", "PESOVA-HALL", "PESOVA-PK", "PESOVA-LS", "PESOVA-VP", "PESOVA-SP"}


def test_an_override_without_a_reason_is_refused(tmp_path):
    text = GOAL + '[[goals.overrides]]\nperiod = "2025-06"\nstatus = "met"\nreason = "  "\n'
    found = problems(tmp_path, {"goals.toml": text})
    assert len(found) == 1
    problem = find(found, "config.value.string_too_short", "goals.toml", {"min_length": 1},
                   key="goals[0].overrides[0].reason")
    assert problem_line(problem, "fi").endswith(
        "kohta 'goals[0].overrides[0].reason': teksti on liian lyhyt (tyhjä?); odotettiin vähintään 1 merkkiä, löytyi '  '")


def test_schema_problems_name_file_key_and_what_was_found(tmp_path):
    text = GOAL + '[[goals.actuals]]\nperiod = "2025-13"\n'
    kr = '[[key_results]]\ncode = "K"\nunit_goal = "U"\ntext = "x"\nentries = [{ period = "2025-06", confidence = 140 }]\n'
    found = problems(tmp_path, {"goals.toml": text, "kr.toml": kr})
    find(found, "content.period_format", "goals.toml", key="goals[0].actuals[0].period", found="2025-13")
    find(found, "config.value.less_than_equal", "kr.toml", {"le": 100}, key="key_results[0].entries[0].confidence",
         found="140")


def test_references_to_units_measures_and_goals_that_do_not_exist(tmp_path):
    text = GOAL.replace('"PESOVA-LS"', '"PESOVA-XX"').replace('kind = "decrease"', 'kind = "at_least"').replace('wording = "Laskeva (747)"', 'numerator = "tyontekijat"')
    text += '[[goals.actuals]]\nperiod = "2025-06"\nvalues = { lasta = 5 }\n'
    kr = '[[key_results]]\ncode = "K"\nunit_goal = "NONE"\ntext = "x"\nmetric = "unknown"\n'
    found = problems(tmp_path, {"goals.toml": text, "kr.toml": kr})
    unit = find(found, "content.unit_unknown", "goals.toml", key="goals[0].unit", found="PESOVA-XX")
    assert "PESOVA-LS" in unit.params["units"]
    find(found, "content.target_value_missing", "goals.toml", {"kind": "at_least"}, key="goals[0].target.value")
    find(found, "content.target_measure_unknown", "goals.toml", {"name": "numerator", "measures": ("lapset",)},
         key="goals[0].target.numerator", found="tyontekijat")
    find(found, "content.actual_measure_unknown", "goals.toml", {"measures": ("lapset",)},
         key="goals[0].actuals[0].values.lasta", found="lasta")
    find(found, "content.unit_goal_unknown", "kr.toml", key="key_results[0].unit_goal", found="NONE")
    find(found, "content.metric_unknown", "kr.toml", key="key_results[0].metric", found="unknown")


def test_money_with_more_than_two_decimals_and_duplicate_codes(tmp_path):
    measure = '[[measures]]\ncode = "M"\nname = "m"\nowner = "PESOVA"\nyear = 2025\ntarget = 10.005\n'
    found = problems(tmp_path, {"a.toml": measure, "b.toml": measure.replace("10.005", "10")})
    find(found, "content.euros_decimals", "a.toml", key="measures[0].target", found="10.005")
    find(found, "content.code_repeated", "b.toml", {"code": "M", "other": str(tmp_path / "a.toml")},
         key="measures[0].code")


def test_narratives_need_front_matter_and_placeholders_that_name_existing_things(tmp_path):
    good_head = '+++\nunit = "PESOVA"\nperiod = "2025-06"\n+++\n'
    found = problems(tmp_path, {
        "a.md": "Ei etusivua.\n",
        "b.md": good_head + "Kate {{ luku: . / toimintakatee / tot }} ja {{ luku: PESOVA / toimintakate / xyz }}.\n",
        "c.md": good_head + "{{ luku: . / toimintakate }}\n",
        "d.md": '+++\nunit = "PESOVA"\nperiod = "2025-06"\nsection = "katsaus"\n+++\nToinen.\n',
    })
    front = find(found, "content.front_matter_missing", "a.md")
    assert front.location() == {"file": str(tmp_path / "a.md")}
    find(found, "content.figure_line_unknown", "b.md", passage="{{ luku: . / toimintakatee / tot }}",
         found="toimintakatee")
    find(found, "content.figure_column_unknown", "b.md", passage="{{ luku: PESOVA / toimintakate / xyz }}",
         found="xyz")
    # the placeholder that does not name UNIT / LINE / COLUMN: core.narrative's problem, placed in the file
    malformed = [p for p in found if Path(p.file or "").name == "c.md" and p.code != "content.narrative_repeated"]
    assert len(malformed) == 1 and malformed[0].found == "{{ luku: . / toimintakate }}"
    assert malformed[0].code == "narrative.placeholder_path"
    find(found, "content.narrative_repeated", "d.md", {"unit": "PESOVA", "period": "2025-06", "section": "katsaus",
                                                       "other": str(tmp_path / "b.md")}, key="section")


def test_every_content_key_is_documented():
    sys.path.insert(0, str(Path(__file__).parent))
    from test_docs import documented, model_keys

    keys = model_keys(ContentFile) + model_keys(NarrativeHead)
    assert [k for k in keys if not documented(k)] == []
