"""Editing a unit's texts and entries: no lost update (a save over a newer version is refused with the other
person's text), values kept as history, and every kind of entry checked for the right to edit."""

from __future__ import annotations

import pytest
from service_fixtures import add_people, load_demo

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def people(db, tmp_path):
    load_demo(tmp_path)
    return add_people()


def test_the_later_of_two_saves_from_the_same_version_is_refused_with_the_others_text(people):
    from katsaus.services.content import current_narrative, save_narrative
    from katsaus.services.errors import StaleEdit

    start = current_narrative("PESOVA-PK", "2025-06", "katsaus")
    assert start.markdown  # the demo content's narrative
    first = save_narrative("PESOVA-PK", "2025-06", "katsaus", "Päällikön teksti.", start.version, people["pk-paallikko"])
    with pytest.raises(StaleEdit) as refused:
        save_narrative("PESOVA-PK", "2025-06", "katsaus", "Kontrollerin teksti.", start.version, people["kontrolleri"])
    assert refused.value.current.text == "Päällikön teksti."
    assert refused.value.current.entered_by == "pk-paallikko"
    assert "pk-paallikko" in str(refused.value)
    assert current_narrative("PESOVA-PK", "2025-06", "katsaus").markdown == "Päällikön teksti."
    again = save_narrative("PESOVA-PK", "2025-06", "katsaus", "Kontrollerin teksti.", first.version, people["kontrolleri"])
    assert again.version != first.version and again.title == start.title


def test_a_new_narrative_starts_from_no_version(people):
    from katsaus.services.content import current_narrative, save_narrative
    from katsaus.services.errors import StaleEdit

    assert current_narrative("PESOVA-PK", "2025-06", "uusi").version is None
    save_narrative("PESOVA-PK", "2025-06", "uusi", "Eka.", None, people["pk-paallikko"])
    with pytest.raises(StaleEdit) as refused:
        save_narrative("PESOVA-PK", "2025-06", "uusi", "Toka.", None, people["kontrolleri"])
    assert refused.value.current.text == "Eka."


def test_entries_refuse_a_lost_update_and_keep_the_earlier_value(people):
    from katsaus.services import content
    from katsaus.services.errors import StaleEdit

    manager = people["pk-paallikko"]
    goal = content.current_goal_actual("PK-4V-SELVITYKSET", "2025-06")
    saved = content.save_goal_actual("PK-4V-SELVITYKSET", "2025-06", {"selvitykset": "41,5"}, goal.version, manager)
    assert saved.value["values"] == {"selvitykset": "41.5"}
    with pytest.raises(StaleEdit):
        content.save_goal_actual("PK-4V-SELVITYKSET", "2025-06", {"selvitykset": "40"}, goal.version, people["kontrolleri"])

    kr = content.current_key_result_value("PK-ST1-APUA-SAANEET", "2025-06", "confidence")
    content.save_key_result_value("PK-ST1-APUA-SAANEET", "2025-06", "confidence", "70", kr.version, manager)
    with pytest.raises(StaleEdit):
        content.save_key_result_value("PK-ST1-APUA-SAANEET", "2025-06", "confidence", "80", kr.version, manager)
    measured = content.current_key_result_value("PK-ST1-APUA-SAANEET", "2025-06", "measured")
    content.save_key_result_value("PK-ST1-APUA-SAANEET", "2025-06", "measured", "12", measured.version, manager)
    # measured and confidence are kept apart: a save of one does not make the other stale
    assert content.current_key_result_value("PK-ST1-APUA-SAANEET", "2025-06", "confidence").value["value"] == "70"

    measure = content.current_balancing_value("OSASTOTOIMINTA", "2025-06")
    director = people["kontrolleri"]
    content.save_balancing_value("OSASTOTOIMINTA", "2025-06", 100_000_00, 250_000_00, measure.version, director)
    with pytest.raises(StaleEdit) as refused:
        content.save_balancing_value("OSASTOTOIMINTA", "2025-06", 1, 2, measure.version, director)
    assert '"actual_cents": 10000000' in refused.value.current.text


def test_entries_of_another_unit_and_bad_values_are_refused(people):
    from katsaus.core.errors import Refused
    from katsaus.services import content
    from katsaus.services.errors import NotAllowed, NotFound

    ls = people["ls-paallikko"]
    with pytest.raises(NotAllowed):  # the goal belongs to PESOVA-PK
        content.save_goal_actual("PK-4V-SELVITYKSET", "2025-06", {"selvitykset": "1"}, None, ls)
    with pytest.raises(NotAllowed):  # the measure belongs to PESOVA, edited by the controller only
        content.save_balancing_value("OSASTOTOIMINTA", "2025-06", 1, 1, None, ls)
    base = content.current_key_result_value("PK-ST1-APUA-SAANEET", "2025-06", "confidence").version
    with pytest.raises(Refused):
        content.save_key_result_value("PK-ST1-APUA-SAANEET", "2025-06", "confidence", "120", base, people["pk-paallikko"])
    with pytest.raises(Refused):
        content.save_goal_actual("PK-4V-SELVITYKSET", "2025-06", {"selvitykset": "paljon"}, None, people["pk-paallikko"])
    with pytest.raises(Refused):
        content.save_goal_actual("PK-4V-SELVITYKSET", "2025-06", {"muu": "1"}, None, people["pk-paallikko"])
    with pytest.raises(NotFound):
        content.save_goal_actual("EI-OLE", "2025-06", {}, None, people["kontrolleri"])


def test_a_measures_form_is_read_as_exact_cents_and_a_bad_amount_is_refused_naming_its_field(people):
    from katsaus.core.errors import Refused
    from katsaus.services import content
    from katsaus.services.errors import NotFound

    controller = people["kontrolleri"]
    base = content.current_balancing_value("OSASTOTOIMINTA", "2025-06").version
    form = {"actual": "1 234 567,89", "forecast": "\u2212250\u00a0000.5", "base_version": str(base or "")}
    content.save_entry("measure", "OSASTOTOIMINTA", "2025-06", form, controller)
    saved = content.current_balancing_value("OSASTOTOIMINTA", "2025-06")
    assert (saved.value["actual_cents"], saved.value["forecast_cents"]) == (123_456_789, -25_000_050)
    for field, text in (("actual", "1,234"), ("forecast", "paljon"), ("actual", "1e400"), ("forecast", "9" * 40)):
        bad = {"actual": "1", "forecast": "2", field: text, "base_version": str(saved.version)}
        with pytest.raises(Refused) as refused:
            content.save_entry("measure", "OSASTOTOIMINTA", "2025-06", bad, controller)
        problem = refused.value.problems[0]
        assert (problem.code, problem.key) == ("entry.not_an_amount", field)
    empty = {"actual": "", "forecast": " ", "base_version": str(saved.version)}
    content.save_entry("measure", "OSASTOTOIMINTA", "2025-06", empty, controller)
    cleared = content.current_balancing_value("OSASTOTOIMINTA", "2025-06").value
    assert (cleared["actual_cents"], cleared["forecast_cents"]) == (None, None)
    with pytest.raises(NotFound):
        content.save_entry("arvaus", "OSASTOTOIMINTA", "2025-06", empty, controller)


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_never_both_pass(tmp_path):
    """Two editors save from the same version at once (threads, each with its own connection): one save is
    stored, the other refused — never both. On PostgreSQL the advisory lock decides; SQLite's test database is
    shared in memory, so the race is only run there."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs a database server with connections of their own")
    from katsaus.services.content import current_narrative, save_narrative
    from katsaus.services.errors import StaleEdit

    load_demo(tmp_path)
    people = add_people()
    base = current_narrative("PESOVA-PK", "2025-06", "katsaus").version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(name: str) -> None:
        try:
            barrier.wait()
            save_narrative("PESOVA-PK", "2025-06", "katsaus", f"{name}n teksti.", base, people[name])
            outcomes.append("saved")
        except StaleEdit:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("pk-paallikko", "kontrolleri")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    from katsaus.store.models import Narrative

    assert Narrative.objects.filter(unit_code="PESOVA-PK", period="2025-06", section="katsaus", id__gt=base).count() == 1


def test_a_deviation_explanation_is_kept_by_version_with_its_history(people):
    from katsaus.services.content import save_explanation, unit_explanations
    from katsaus.services.errors import StaleEdit
    from katsaus.store.models import DeviationExplanation

    manager = people["pk-paallikko"]
    first = save_explanation("osavuosikatsaus", "PESOVA-PK", "2025-06", "palvelujen_ostot", " Ostot kasvoivat. ",
                             None, manager)
    assert first.value == {"text": "Ostot kasvoivat."} and first.entered_by == "pk-paallikko"
    with pytest.raises(StaleEdit) as refused:  # a second editor who began from no explanation
        save_explanation("osavuosikatsaus", "PESOVA-PK", "2025-06", "palvelujen_ostot", "Toinen.", None,
                         people["kontrolleri"])
    assert refused.value.current.text == "Ostot kasvoivat." and refused.value.current.entered_by == "pk-paallikko"
    second = save_explanation("osavuosikatsaus", "PESOVA-PK", "2025-06", "palvelujen_ostot", "Korjattu.",
                              first.version, people["kontrolleri"])
    current = unit_explanations("osavuosikatsaus", "PESOVA-PK", "2025-06")
    assert list(current) == ["palvelujen_ostot"] and current["palvelujen_ostot"].version == second.version
    assert current["palvelujen_ostot"].value["text"] == "Korjattu."
    assert unit_explanations("osavuosikatsaus", "PESOVA-PK", "2025-05") == {}
    rows = DeviationExplanation.objects.filter(line_code="palvelujen_ostot").order_by("id")
    assert [r.text for r in rows] == ["Ostot kasvoivat.", "Korjattu."]  # the earlier version is kept
    audit = DeviationExplanation.history.order_by("history_id")
    assert [(h.history_type, h.text, h.actor) for h in audit] == [
        ("+", "Ostot kasvoivat.", "pk-paallikko"), ("+", "Korjattu.", "kontrolleri")]


def test_a_deviation_explanation_is_refused_to_others_and_in_a_published_period(people):
    from katsaus.core.errors import Refused
    from katsaus.services.content import save_explanation
    from katsaus.services.errors import NotAllowed, PublishedPeriodLocked
    from katsaus.store.models import DeviationExplanation, PublishedReport

    for name in ("ls-paallikko", "lukija", "johtaja"):  # another unit's manager, a reader, a director (approves)
        with pytest.raises(NotAllowed):
            save_explanation("osavuosikatsaus", "PESOVA-PK", "2025-06", "toimintakate", "Ei.", None, people[name])
    with pytest.raises(Refused):
        save_explanation("osavuosikatsaus", "PESOVA-PK", "2025-06", " ", "Ei riviä.", None, people["kontrolleri"])
    PublishedReport.objects.create(key="demo/osavuosikatsaus/2025-06", organisation_code="PSHVA",
                                   template_code="osavuosikatsaus", period="2025-06", unit_code="PESOVA",
                                   version=1, fingerprint="0" * 64, published_by="kontrolleri")
    with pytest.raises(PublishedPeriodLocked) as refused:
        save_explanation("osavuosikatsaus", "PESOVA-PK", "2025-06", "toimintakate", "Myöhässä.", None,
                         people["pk-paallikko"])
    assert refused.value.reports == [("demo/osavuosikatsaus/2025-06", 1)]
    assert not DeviationExplanation.objects.exists()
    # the next period, another template's report and a correction are not frozen by it
    save_explanation("osavuosikatsaus", "PESOVA-PK", "2025-07", "toimintakate", "Heinäkuu.", None, people["pk-paallikko"])
    save_explanation("muu", "PESOVA-PK", "2025-06", "toimintakate", "Muu pohja.", None, people["pk-paallikko"])
    save_explanation("osavuosikatsaus", "PESOVA-PK", "2025-06", "toimintakate", "Korjaus.", None,
                     people["kontrolleri"], correction=True)
    assert DeviationExplanation.objects.count() == 3
