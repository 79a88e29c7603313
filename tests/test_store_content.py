"""Storing content: a round trip to the same core objects, values kept with their history, reasons enforced."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from reliability_support import assert_readable

from katsaus.config import load_config_dir
from katsaus.config.content import load_content
from katsaus.core.goals import GoalActual, KeyResultEntry
from katsaus.core.periods import Period

pytestmark = [pytest.mark.db, pytest.mark.django_db]

DEMO = Path(__file__).parents[1] / "configs" / "demo"
CONFIG = load_config_dir(DEMO)
CONTENT = load_content([DEMO / "content", DEMO / "narratives"], CONFIG)
JUNE = Period(2025, 6)


@pytest.fixture
def store():
    from katsaus.store import content

    content.save_content(CONTENT, user="test")
    return content


def without_provenance(content):
    """The stored content as the files gave it: who entered a value and when is the store's addition."""
    goals = tuple(
        replace(g, actuals=tuple(replace(a, entered_by="") for a in g.actuals), overrides=tuple(replace(o, at="") for o in g.overrides))
        for g in content.goals
    )
    key_results = tuple(replace(k, entries=tuple(replace(e, entered_by="", entered_at="") for e in k.entries)) for k in content.key_results)
    measures = tuple(replace(m, entries=tuple(replace(e, entered_by="", entered_at="") for e in m.entries)) for m in content.measures)
    narratives = tuple(sorted((replace(n, entered_by="", entered_at="") for n in content.narratives), key=lambda n: n.position))
    return replace(content, goals=goals, key_results=key_results, measures=measures, narratives=narratives)


def test_content_round_trips_through_the_database(store):
    stored = without_provenance(store.load_content())
    assert stored.goals == CONTENT.goals
    assert stored.key_results == CONTENT.key_results
    assert stored.measures == CONTENT.measures
    assert stored.narratives == CONTENT.narratives
    assert (stored.metrics, stored.strategic_goals, stored.unit_goals) == (CONTENT.metrics, CONTENT.strategic_goals, CONTENT.unit_goals)
    assert (stored.short_names, stored.balancing) == (CONTENT.short_names, CONTENT.balancing)


def test_loading_again_adds_nothing_and_a_changed_value_keeps_the_old_one_as_history(store):
    assert store.save_content(CONTENT, user="test") == {"values": 0, "narratives": 0}
    goal = CONTENT.goals[0]
    changed = replace(goal, actuals=(GoalActual(JUNE, (("selvitykset", Decimal(35)),), source="korjattu"),))
    kr = CONTENT.key_results[0]
    kr_changed = replace(kr, entries=(KeyResultEntry(JUNE, "confidence", Decimal(90)),))
    added = store.save_content(replace(CONTENT, goals=(changed,), key_results=(kr_changed,), narratives=()), user="toinen")
    assert added == {"values": 2, "narratives": 0}
    loaded = store.load_content()
    actuals = next(g for g in loaded.goals if g.code == goal.code).actuals
    assert [a.value("selvitykset") for a in actuals] == [Decimal(33), Decimal(35)]
    assert [a.entered_by for a in actuals] == ["test", "toinen"]
    confidences = [e.value for e in next(k for k in loaded.key_results if k.code == kr.code).entries if e.field == "confidence"]
    assert confidences == [Decimal(100), Decimal(90)]


def test_a_new_narrative_version_supersedes_the_old_one(store):
    first = CONTENT.narratives[3]
    store.save_content(replace(CONTENT, narratives=(replace(first, markdown="Uusi teksti.\n"),)), user="johtaja")
    from katsaus.store import models

    assert models.Narrative.objects.filter(unit_code=first.unit_code, section=first.section).count() == 2
    current = [n for n in store.load_content().narratives if n.unit_code == first.unit_code and n.section == first.section]
    assert [(n.markdown, n.entered_by) for n in current] == [("Uusi teksti.\n", "johtaja")]


def test_a_status_override_needs_a_reason_in_code_and_in_the_database(store):
    from katsaus.core.errors import Refused
    from katsaus.store import models

    with pytest.raises(Refused) as refused:
        store.override_status("LS-AVOHUOLTO", JUNE, "met", " ")
    assert refused.value.codes == ("goal.override_reason_missing",)
    goal = models.OperationalGoal.objects.get(code="LS-AVOHUOLTO")
    with pytest.raises(IntegrityError), transaction.atomic():
        models.GoalStatusOverride.objects.create(goal=goal, period="2025-06", status="met", reason="")
    assert store.override_status("LS-AVOHUOLTO", JUNE, "met", "Korjattu luku 740", user="johtaja") is True
    assert store.override_status("LS-AVOHUOLTO", JUNE, "met", "Korjattu luku 740", user="johtaja") is False
    override = next(g for g in store.load_content().goals if g.code == "LS-AVOHUOLTO").overrides[-1]
    assert (override.status, override.reason, override.by) == ("met", "Korjattu luku 740", "johtaja")
    with pytest.raises(LookupError) as unknown:  # NotFound, naming the goals there are
        store.override_status("XX", JUNE, "met", "syy")
    assert unknown.value.codes == ("store.goal_unknown",)
    assert unknown.value.problems[0].params["code"] == "XX"
    assert "LS-AVOHUOLTO" in unknown.value.problems[0].params["known"]
    assert_readable(unknown.value.problems[0])
