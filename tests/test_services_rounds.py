"""The reporting round: every status transition, allowed and refused (by state and by role), and the round's
progress."""

from __future__ import annotations

from datetime import date

import pytest
from service_fixtures import PASSWORD, add_people, load_demo

from katsaus.services.actors import Operator

pytestmark = [pytest.mark.db, pytest.mark.django_db]

DEADLINE = date(2025, 7, 31)


@pytest.fixture
def people(db, tmp_path):
    load_demo(tmp_path)
    return add_people()


@pytest.fixture
def june(people):
    from katsaus.services.rounds import open_round

    return open_round("2025-06", DEADLINE, people["kontrolleri"], units=["PESOVA-PK", "PESOVA-LS"])


def status(the_round, code: str) -> str:
    from katsaus.services.rounds import round_unit

    return round_unit(the_round, code).status


def write(people, the_round, code="PESOVA-PK", manager="pk-paallikko", text="Teksti."):
    from katsaus.services.content import current_narrative, save_narrative

    base = current_narrative(code, the_round.period, "katsaus").version
    return save_narrative(code, the_round.period, "katsaus", text, base, people[manager])


def test_a_unit_goes_the_whole_way_and_back(people, june):
    from katsaus.services import rounds

    assert status(june, "PESOVA-PK") == "not_started"
    write(people, june)
    assert status(june, "PESOVA-PK") == "draft"
    rounds.submit_unit(june, "PESOVA-PK", people["pk-paallikko"])
    assert status(june, "PESOVA-PK") == "submitted"
    rounds.return_unit(june, "PESOVA-PK", "Lisää poikkeamien selitykset.", people["johtaja"])
    returned = rounds.round_unit(june, "PESOVA-PK")
    assert (returned.status, returned.comment, returned.changed_by) == ("returned", "Lisää poikkeamien selitykset.", "johtaja")
    write(people, june, text="Korjattu teksti.")
    assert status(june, "PESOVA-PK") == "returned"  # fixing keeps the comment in view until submitted again
    rounds.submit_unit(june, "PESOVA-PK", people["pk-paallikko"])
    rounds.approve_unit(june, "PESOVA-PK", people["johtaja"])
    assert status(june, "PESOVA-PK") == "approved"


@pytest.mark.parametrize("state, action", [
    ("not_started", "submit"), ("not_started", "approve"), ("not_started", "return"),
    ("draft", "approve"), ("draft", "return"),
    ("submitted", "submit"),
    ("returned", "approve"), ("returned", "return"),
    ("approved", "submit"), ("approved", "return"), ("approved", "approve"),
])
def test_a_transition_from_the_wrong_state_is_refused(people, june, state, action):
    from katsaus.services import rounds
    from katsaus.services.errors import InvalidTransition

    steps = {"draft": ["write"], "submitted": ["write", "submit"], "returned": ["write", "submit", "return"],
             "approved": ["write", "submit", "approve"]}.get(state, [])
    do = {
        "write": lambda: write(people, june),
        "submit": lambda: rounds.submit_unit(june, "PESOVA-PK", people["pk-paallikko"]),
        "return": lambda: rounds.return_unit(june, "PESOVA-PK", "Korjaa.", people["johtaja"]),
        "approve": lambda: rounds.approve_unit(june, "PESOVA-PK", people["johtaja"]),
    }
    for step in steps:
        do[step]()
    assert status(june, "PESOVA-PK") == state
    with pytest.raises(InvalidTransition):
        do[action]()
    assert status(june, "PESOVA-PK") == state


@pytest.mark.parametrize("action, who", [
    ("submit", "ls-paallikko"), ("submit", "johtaja"), ("submit", "lukija"),      # another unit's manager, a director
    ("approve", "pk-paallikko"), ("approve", "ls-johtaja"), ("approve", "lukija"),  # own submission, a sibling's director
    ("return", "pk-paallikko"), ("return", "ls-johtaja"),
])
def test_a_transition_by_someone_the_roles_do_not_allow_is_refused(people, june, action, who):
    from katsaus.services import rounds
    from katsaus.services.errors import NotAllowed

    write(people, june)
    if action != "submit":
        rounds.submit_unit(june, "PESOVA-PK", people["pk-paallikko"])
    before = status(june, "PESOVA-PK")
    with pytest.raises(NotAllowed):
        if action == "submit":
            rounds.submit_unit(june, "PESOVA-PK", people[who])
        elif action == "approve":
            rounds.approve_unit(june, "PESOVA-PK", people[who])
        else:
            rounds.return_unit(june, "PESOVA-PK", "Korjaa.", people[who])
    assert status(june, "PESOVA-PK") == before


def test_a_first_save_into_a_unit_that_is_a_draft_already_is_fine(people, june):
    """The interleaving of the load bench's race, one step at a time: two managers' saves both read the unit
    as not started, the first makes it a draft, and the second must not fail on the transition."""
    from katsaus.services import rounds

    first = rounds.check_editable("2025-06", "PESOVA-PK", people["pk-paallikko"])
    second = rounds.check_editable("2025-06", "PESOVA-PK", people["kontrolleri"])
    assert [r.pk for r in first] == [r.pk for r in second] == [june.pk]
    rounds.mark_draft(june, "PESOVA-PK", people["pk-paallikko"])
    rounds.mark_draft(june, "PESOVA-PK", people["kontrolleri"])
    unit = rounds.round_unit(june, "PESOVA-PK")
    assert (unit.status, unit.changed_by) == ("draft", "pk-paallikko")
    write(people, june, text="Toinen tallennus.")  # a later save of a draft leaves it a draft
    assert status(june, "PESOVA-PK") == "draft"


@pytest.mark.django_db(transaction=True)
def test_two_managers_first_saves_at_the_same_moment_both_succeed(tmp_path):
    """Two managers of one unit save their first texts (different sections, so no narrative lock orders
    them) at once, in threads with connections of their own: both saves are stored and the unit is a draft.
    Needs PostgreSQL (SQLite's test database is shared in memory)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs a database server with connections of their own")
    from katsaus.services import users
    from katsaus.services.content import save_narrative
    from katsaus.services.rounds import open_round
    from katsaus.store.models import Narrative

    load_demo(tmp_path)
    people = add_people()
    users.add_user("pk-toinen", PASSWORD, [("unit_manager", "PESOVA-PK")], actor=Operator("admin"))
    from django.contrib.auth.models import User

    people["pk-toinen"] = User.objects.get(username="pk-toinen")
    june = open_round("2025-06", DEADLINE, people["kontrolleri"], units=["PESOVA-PK"])
    before = Narrative.objects.filter(unit_code="PESOVA-PK", period="2025-06").count()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(name: str, section: str) -> None:
        try:
            barrier.wait()
            save_narrative("PESOVA-PK", "2025-06", section, f"{name}n teksti.", None, people[name])
            outcomes.append("saved")
        except Exception as exc:  # noqa: BLE001 - the outcome names the failure for the assertion
            outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=args)
               for args in (("pk-paallikko", "kilpailu-a"), ("pk-toinen", "kilpailu-b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["saved", "saved"]
    assert Narrative.objects.filter(unit_code="PESOVA-PK", period="2025-06").count() == before + 2
    assert status(june, "PESOVA-PK") == "draft"


def test_a_submitted_unit_cannot_be_edited_and_a_return_needs_a_comment(people, june):
    from katsaus.core.errors import Refused
    from katsaus.services import rounds
    from katsaus.services.errors import InvalidTransition, NotAllowed

    write(people, june)
    rounds.submit_unit(june, "PESOVA-PK", people["pk-paallikko"])
    with pytest.raises(InvalidTransition):
        write(people, june, text="Myöhästynyt muutos.")
    with pytest.raises(Refused):
        rounds.return_unit(june, "PESOVA-PK", "  ", people["johtaja"])
    with pytest.raises(NotAllowed):  # a manager of another unit does not write here
        write(people, june, code="PESOVA-PK", manager="ls-paallikko")


def test_progress_says_who_has_not_submitted_and_whose_checks_fail(people, june):
    from katsaus.services import rounds
    from katsaus.services.reports import unit_findings, unit_source

    write(people, june)
    rounds.submit_unit(june, "PESOVA-PK", people["pk-paallikko"])
    progress = rounds.round_progress(june, people["kontrolleri"])
    assert [(u.unit_code, u.status) for u in progress.units] == [("PESOVA-PK", "submitted"), ("PESOVA-LS", "not_started")]
    assert progress.not_submitted == ["PESOVA-LS"]
    shown = unit_findings(unit_source("2025-06", None, "PESOVA-LS"), "PESOVA-LS")  # what the unit's page shows
    assert progress.units[1].errors == sum(f.severity == "error" for f in shown)
    assert [u.unit_code for u in rounds.round_progress(june, people["pk-paallikko"]).units] == ["PESOVA-PK"]
    assert progress.failing == [u.unit_code for u in progress.units if u.errors]
    assert not progress.all_approved


def test_progress_reads_the_generation_tokens_once_however_many_units_and_follows_a_write(people, june):
    """The round page looks up every unit's report under one reading of the tokens (one query, not a few per unit),
    and a write between two views is seen by the next view (its tokens are read again)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from katsaus.services import rounds
    from katsaus.store.models import Generation

    rounds.round_progress(june, people["kontrolleri"])  # the reports computed and kept
    with CaptureQueriesContext(connection) as seen:
        rounds.round_progress(june, people["kontrolleri"])
    table = Generation._meta.db_table
    assert sum(table in query["sql"] for query in seen.captured_queries) == 1
    before = {u.unit_code: u.errors + u.warnings for u in rounds.round_progress(june, people["kontrolleri"]).units}
    write(people, june, text="Kate {{ luku: . / olematon / tot }}.")  # a figure the report has not: a finding
    after = {u.unit_code: u.errors + u.warnings for u in rounds.round_progress(june, people["kontrolleri"]).units}
    assert after["PESOVA-PK"] != before["PESOVA-PK"] and after["PESOVA-LS"] == before["PESOVA-LS"]


def test_a_round_is_opened_once_per_template_and_period_by_a_controller(people, june):
    from katsaus.core.errors import Refused
    from katsaus.services.errors import NotAllowed
    from katsaus.services.rounds import open_round

    with pytest.raises(Refused):
        open_round("2025-06", DEADLINE, people["kontrolleri"])
    with pytest.raises(NotAllowed):
        open_round("2025-09", DEADLINE, people["johtaja"])
    with pytest.raises(Refused):
        open_round("2025-09", DEADLINE, people["kontrolleri"], units=["NOWHERE"])
    every = open_round("2025-09", DEADLINE, people["kontrolleri"])
    assert [u.unit_code for u in every.units.all()] == ["PESOVA", "PESOVA-HALL", "PESOVA-PK", "PESOVA-LS", "PESOVA-VP", "PESOVA-SP"]


def test_a_units_page_has_its_figures_from_the_report_its_entries_and_what_the_viewer_may_do(people, june):
    from katsaus.services.errors import NotFound
    from katsaus.services.reports import assemble
    from katsaus.services.units import unit_page

    page = unit_page(june, "PESOVA-PK", people["pk-paallikko"])
    assert page.source is assemble("2025-06")  # the organisation's report, the one published: not a second one
    assert page.sections and all(s.unit_code == "PESOVA-PK" for s in page.sections)
    assert (page.status, page.may_edit, page.may_submit, page.may_review) == ("not_started", True, False, False)
    assert "PK-4V-SELVITYKSET" in [g.code for g in page.goals]
    assert "PK-ST1-APUA-SAANEET" in [k.code for k in page.key_results]
    assert [n.section for n in page.narratives] == ["katsaus"]
    director = unit_page(june, "PESOVA-PK", people["johtaja"])
    assert (director.may_edit, director.may_review) == (False, False)  # nothing submitted to review yet
    with pytest.raises(NotFound):  # another unit's manager is not told the page exists
        unit_page(june, "PESOVA-PK", people["ls-paallikko"])
