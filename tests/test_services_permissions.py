"""Who may see, edit, approve, publish and read what: roles × units over the demo organisation's tree
(PESOVA with five units below it)."""

from __future__ import annotations

import pytest
from service_fixtures import add_people, load_demo

from katsaus.services.actors import Anonymous, Operator, Person

pytestmark = [pytest.mark.db, pytest.mark.django_db]

UNITS = ["PESOVA", "PESOVA-HALL", "PESOVA-PK", "PESOVA-LS", "PESOVA-VP", "PESOVA-SP"]
# who may view which unit: written out from the roles' definitions, not computed
VIEW = {
    "kontrolleri": set(UNITS),
    "johtaja": set(UNITS),                 # PESOVA and everything below it
    "ls-johtaja": {"PESOVA-LS"},           # own unit, not its siblings, not the unit above
    "pk-paallikko": {"PESOVA-PK"},
    "ls-paallikko": {"PESOVA-LS"},
    "lukija": set(),
}
EDIT = {"kontrolleri": set(UNITS), "johtaja": set(), "ls-johtaja": set(), "pk-paallikko": {"PESOVA-PK"},
        "ls-paallikko": {"PESOVA-LS"}, "lukija": set()}
APPROVE = {"kontrolleri": set(UNITS), "johtaja": set(UNITS), "ls-johtaja": {"PESOVA-LS"}, "pk-paallikko": set(),
           "ls-paallikko": set(), "lukija": set()}


@pytest.fixture
def people(db, tmp_path):
    load_demo(tmp_path, content=False)
    return add_people()


@pytest.mark.parametrize("name", sorted(VIEW))
def test_each_role_sees_edits_and_approves_exactly_its_part_of_the_tree(people, name):
    from katsaus.services.permissions import can_approve, can_edit_unit, can_view_unit, visible_units

    user = people[name]
    assert {u for u in UNITS if can_view_unit(user, u)} == VIEW[name]
    assert {u for u in UNITS if can_edit_unit(user, u)} == EDIT[name]
    assert {u for u in UNITS if can_approve(user, u)} == APPROVE[name]
    assert set(visible_units(user)) == VIEW[name]


def test_only_the_controller_publishes_and_manages_users(people):
    from katsaus.services.permissions import can_manage_users, can_open_round, can_publish

    for name, user in people.items():
        expected = name == "kontrolleri"
        assert (can_publish(user), can_manage_users(user), can_open_round(user)) == (expected,) * 3


def test_a_user_with_several_roles_has_the_union(people):
    from katsaus.services.permissions import can_edit_unit, can_view_unit
    from katsaus.services.users import add_user

    add_user("pk-paallikko", "", [("unit_manager", "PESOVA-VP")], actor=Operator("admin"))
    from django.contrib.auth.models import User

    user = Person(User.objects.get(username="pk-paallikko"))
    assert {u for u in UNITS if can_edit_unit(user, u)} == {"PESOVA-PK", "PESOVA-VP"}
    assert not can_view_unit(user, "PESOVA-LS")


def test_published_reports_are_read_by_any_role_and_public_ones_by_anyone(people):
    from katsaus.services.permissions import can_read_report
    from katsaus.store.models import PublishedReport

    def published(public: bool) -> PublishedReport:
        return PublishedReport.objects.create(
            key=f"omahame/osavuosikatsaus/2025-06-{public}", organisation_code="OMAHAME", template_code="osavuosikatsaus",
            period="2025-06", unit_code="PESOVA", version=1, public=public, fingerprint="0" * 64, published_by="x")

    internal, public = published(False), published(True)
    for user in people.values():
        assert can_read_report(user, internal) and can_read_report(user, public)
    nobody = Anonymous()
    assert not can_read_report(nobody, internal) and can_read_report(nobody, public)
    assert not can_read_report(people["lukija"], None)  # a draft is not a published report


def test_an_inactive_user_may_do_nothing(people):
    from katsaus.services.permissions import can_view_unit
    from katsaus.services.users import set_active

    set_active("kontrolleri", False, actor=Operator("admin"))
    from django.contrib.auth.models import User

    assert not can_view_unit(Person(User.objects.get(username="kontrolleri")), "PESOVA")


def test_only_the_controller_imports_files_in_the_web(people, tmp_path):
    from katsaus.services.errors import NotAllowed
    from katsaus.services.imports import import_ledger

    ledger = tmp_path / "web.csv"
    ledger.write_text("pvm;kustannuspaikka;tili;summa;tosite;selite\n5.4.2025;521000;400000;1,00;P3;x\n", encoding="utf-8")
    for name in ("johtaja", "pk-paallikko", "lukija"):
        with pytest.raises(NotAllowed):
            import_ledger([ledger], None, False, people[name])
    outcome = import_ledger([ledger], None, False, people["kontrolleri"])
    assert outcome.value[0].stored == 1
