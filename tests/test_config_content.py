"""Content files: the demo content loads exactly; every problem names the file, the key and what is wrong."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from katsaus.config import load_config_dir
from katsaus.config.content import ContentError, ContentFile, NarrativeHead, load_content

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


def problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content([tmp_path], CONFIG)
    return [str(p) for p in caught.value.problems]


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
    assert len(found) == 1 and "goals.toml, key 'goals[0].overrides[0].reason': String should have at least 1 character" in found[0]


def test_schema_problems_name_file_key_and_what_was_found(tmp_path):
    text = GOAL + '[[goals.actuals]]\nperiod = "2025-13"\n'
    kr = '[[key_results]]\ncode = "K"\nunit_goal = "U"\ntext = "x"\nentries = [{ period = "2025-06", confidence = 140 }]\n'
    found = problems(tmp_path, {"goals.toml": text, "kr.toml": kr})
    assert any("goals.toml, key 'goals[0].actuals[0].period'" in p and "'2025-13'" in p for p in found)
    assert any("kr.toml, key 'key_results[0].entries[0].confidence': Input should be less than or equal to 100" in p for p in found)


def test_references_to_units_measures_and_goals_that_do_not_exist(tmp_path):
    text = GOAL.replace('"PESOVA-LS"', '"PESOVA-XX"').replace('kind = "decrease"', 'kind = "at_least"').replace('wording = "Laskeva (747)"', 'numerator = "tyontekijat"')
    text += '[[goals.actuals]]\nperiod = "2025-06"\nvalues = { lasta = 5 }\n'
    kr = '[[key_results]]\ncode = "K"\nunit_goal = "NONE"\ntext = "x"\nmetric = "unknown"\n'
    found = problems(tmp_path, {"goals.toml": text, "kr.toml": kr})
    assert any("goals.toml, key 'goals[0].unit': not a unit of the organisation" in p and "PESOVA-XX" in p for p in found)
    assert any("key 'goals[0].target.value': a at_least target needs a value" in p for p in found)
    assert any("key 'goals[0].target.numerator': numerator names no measure of the goal" in p for p in found)
    assert any("key 'goals[0].actuals[0].values.lasta': a value for a measure the goal does not have" in p for p in found)
    assert any("kr.toml, key 'key_results[0].unit_goal': no such unit goal" in p for p in found)
    assert any("kr.toml, key 'key_results[0].metric': no such metric" in p for p in found)


def test_money_with_more_than_two_decimals_and_duplicate_codes(tmp_path):
    measure = '[[measures]]\ncode = "M"\nname = "m"\nowner = "PESOVA"\nyear = 2025\ntarget = 10.005\n'
    found = problems(tmp_path, {"a.toml": measure, "b.toml": measure.replace("10.005", "10")})
    assert any("a.toml, key 'measures[0].target': euros with more than two decimals" in p for p in found)
    assert any("b.toml, key 'measures[0].code': code 'M' appears twice" in p for p in found)


def test_narratives_need_front_matter_and_placeholders_that_name_existing_things(tmp_path):
    good_head = '+++\nunit = "PESOVA"\nperiod = "2025-06"\n+++\n'
    found = problems(tmp_path, {
        "a.md": "Ei etusivua.\n",
        "b.md": good_head + "Kate {{ luku: . / toimintakatee / tot }} ja {{ luku: PESOVA / toimintakate / xyz }}.\n",
        "c.md": good_head + "{{ luku: . / toimintakate }}\n",
        "d.md": '+++\nunit = "PESOVA"\nperiod = "2025-06"\nsection = "katsaus"\n+++\nToinen.\n',
    })
    assert any(p.startswith(f"{tmp_path / 'a.md'}: a narrative starts with a TOML front matter") for p in found)
    assert any("b.md, key 'text': {{ luku: . / toimintakatee / tot }}: no such line" in p for p in found)
    assert any("b.md, key 'text': {{ luku: PESOVA / toimintakate / xyz }}: no such column" in p for p in found)
    assert any("c.md, key 'text'" in p and "UNIT / LINE / COLUMN" in p for p in found)
    assert any("d.md, key 'front matter: section': a second narrative" in p for p in found)


def test_every_content_key_is_documented():
    sys.path.insert(0, str(Path(__file__).parent))
    from test_docs import documented, model_keys

    keys = model_keys(ContentFile) + model_keys(NarrativeHead)
    assert [k for k in keys if not documented(k)] == []
