"""A unit's entries on the unit page (katsaus.services.units): each goal actual, key-result value or confidence and
balancing measure shows its history from the audit — who, when, before → after — newest first."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from service_fixtures import PASSWORD, add_people, load_demo

from katsaus.services.actors import Operator, Person

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.slow]

DRAFT = "2025-06"


@pytest.fixture
def world(db, tmp_path):
    """The demo county with a round of every unit open for the period."""
    from datetime import date

    from katsaus.services.rounds import open_round

    load_demo(tmp_path)
    people = add_people()
    return people, open_round(DRAFT, date(2025, 7, 31), people["kontrolleri"])


def history_items(page: str, element_id: str) -> list[str]:
    """The lines of one entry's history list, as a reader sees them (time left out)."""
    block = re.search(rf'<details class="entry-history" id="history-{re.escape(element_id)}">(.*?)</details>', page, re.S)
    assert block, f"no history {element_id}"
    items = re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    return [re.sub(r"^\d{1,2}\.\d{1,2}\.\d{4} \d\d:\d\d:\d\d ", "", html.unescape(i).strip()) for i in items]


def first_entries(units: list[str]) -> tuple:
    """The first goal, key result and balancing measure (with its unit) among the round's units."""
    from katsaus.store.models import BalancingMeasure, KeyResult, OperationalGoal

    def first(rows, unit_of):
        row = rows.order_by("position", "code").first()
        assert row is not None, f"no {rows.model.__name__} in the units {units}"
        return row, unit_of(row)

    return (first(OperationalGoal.objects.filter(unit_code__in=units, retired_at__isnull=True), lambda r: r.unit_code),
            first(KeyResult.objects.filter(unit_goal__unit_code__in=units, retired_at__isnull=True),
                  lambda r: r.unit_goal.unit_code),
            first(BalancingMeasure.objects.filter(owner_unit__in=units, retired_at__isnull=True), lambda r: r.owner_unit))


def who(world, unit: str):
    """A manager of the unit (added if the demo's people have none): a second person beside the controller."""
    from django.contrib.auth.models import User

    from katsaus.services import users

    name = f"paallikko-{unit.lower()}"
    if not User.objects.filter(username=name).exists():
        users.add_user(name, PASSWORD, [("unit_manager", unit)], actor=Operator("admin"))
    return Person(User.objects.get(username=name))


def page_of(world, unit: str) -> str:
    client = Client()
    client.force_login(world[0]["kontrolleri"].user)
    return client.get(f"/rounds/{world[1].pk}/units/{unit}/").content.decode()


def test_each_entry_shows_who_changed_it_when_and_from_what_to_what(world):
    from katsaus.services import content

    (goal, goal_unit), (kr, kr_unit), (measure, measure_unit) = first_entries([u.unit_code for u in world[1].units.all()])
    key = goal.measures[0]["key"]
    first = content.save_goal_actual(goal.code, DRAFT, {key: "41,5"}, content.current_goal_actual(goal.code, DRAFT).version,
                                     world[0]["kontrolleri"])
    content.save_goal_actual(goal.code, DRAFT, {key: "43"}, first.version, who(world, goal_unit))
    began = content.current_key_result_value(kr.code, DRAFT, "confidence").version
    saved = content.save_key_result_value(kr.code, DRAFT, "confidence", "40", began, world[0]["kontrolleri"])
    content.save_key_result_value(kr.code, DRAFT, "confidence", "90", saved.version, who(world, kr_unit))
    began = content.current_balancing_value(measure.code, DRAFT).version
    content.save_balancing_value(measure.code, DRAFT, 100_000_00, 250_000_00, began, world[0]["kontrolleri"])
    content.save_balancing_value(measure.code, DRAFT, 120_000_50, 250_000_00,
                                 content.current_balancing_value(measure.code, DRAFT).version,
                                 who(world, measure_unit))

    manager = {unit: who(world, unit).username for unit in (goal_unit, kr_unit, measure_unit)}
    # what changed is said in words (the page's language, Finnish here), never the stored field's name
    goal_lines = history_items(page_of(world, goal_unit), f"goal-{goal.code}")
    assert goal_lines[0] == f"{manager[goal_unit]}: Mitatut arvot: {key}: 41.5 → {key}: 43"
    assert goal_lines[1].startswith("kontrolleri: Mitatut arvot: ") and goal_lines[1].endswith(f"→ {key}: 41.5")
    kr_lines = history_items(page_of(world, kr_unit), f"kr-{kr.code}-confidence")
    assert kr_lines[0] == f"{manager[kr_unit]}: Luottavaisuusarvio (0–100): 40 → 90"
    assert kr_lines[1].startswith("kontrolleri: Luottavaisuusarvio (0–100): ") and kr_lines[1].endswith("→ 40")
    measure_lines = history_items(page_of(world, measure_unit), f"measure-{measure.code}")
    # the forecast kept: no line for it
    assert measure_lines[0] == f"{manager[measure_unit]}: Toteuma tähän mennessä (€): 100000,00 → 120000,50"
    assert measure_lines[1].startswith("kontrolleri: Ennuste koko vuodelle (€): ") and measure_lines[1].endswith("→ 250000,00")
    assert measure_lines[2].startswith("kontrolleri: Toteuma tähän mennessä (€): ") and measure_lines[2].endswith("→ 100000,00")
    # each save's before is what the save before it stored
    for lines, what in ((goal_lines, "Mitatut arvot"), (kr_lines, "Luottavaisuusarvio (0–100)")):
        assert lines[0].split(f"{what}: ", 1)[1].split(" → ")[0] == lines[1].split(" → ")[1]



def test_a_key_result_and_a_measure_are_saved_through_their_forms_and_an_entry_of_another_unit_is_not_found(world):
    from katsaus.services import content

    people, the_round = world
    (_, goal_unit), (kr, kr_unit), (measure, measure_unit) = first_entries([u.unit_code for u in the_round.units.all()])
    client = Client()
    client.force_login(people["kontrolleri"].user)

    def post(unit: str, kind: str, code: str, data: dict) -> int:
        return client.post(f"/rounds/{the_round.pk}/units/{unit}/entries/{kind}/{code}/", data).status_code

    began = content.current_key_result_value(kr.code, DRAFT, "measured").version
    assert post(kr_unit, "kr", kr.code, {"field": "measured", "value": "17", "base_version": began or ""}) == 302
    assert content.current_key_result_value(kr.code, DRAFT, "measured").value["value"] == "17"
    began = content.current_balancing_value(measure.code, DRAFT).version
    form = {"actual": "12 345,67", "forecast": "-5", "base_version": began or ""}
    assert post(measure_unit, "measure", measure.code, form) == 302
    saved = content.current_balancing_value(measure.code, DRAFT).value
    assert (saved["actual_cents"], saved["forecast_cents"]) == (1_234_567, -500)
    other = next(u.unit_code for u in the_round.units.all() if u.unit_code not in (kr_unit, measure_unit, goal_unit))
    assert post(other, "measure", measure.code, form) == 404  # the measure is not the other unit's
    assert post(other, "kr", kr.code, {"field": "measured", "value": "1"}) == 404
    assert content.current_key_result_value(kr.code, DRAFT, "measured").value["value"] == "17"
