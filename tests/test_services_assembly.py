"""The one assembly (services.reports.assemble): computed once while the stored data stands, computed again after
any write — this process's, another process's (seen through the generation tokens committed with it), and never
from a write that was rolled back."""

from __future__ import annotations

import pytest
from service_fixtures import load_demo

pytestmark = [pytest.mark.db, pytest.mark.django_db]

PERIOD = "2025-06"


@pytest.fixture
def county(db, tmp_path):
    load_demo(tmp_path)
    from katsaus.services.cache import cache_clear

    cache_clear()
    return tmp_path


@pytest.fixture
def computed(monkeypatch):
    """How many times the report has been computed."""
    from katsaus.services import reports

    calls: list[tuple] = []
    real = reports._assemble
    monkeypatch.setattr(reports, "_assemble", lambda *a: calls.append(a) or real(*a))
    return calls


def test_a_report_is_computed_once_while_nothing_changes(county, computed):
    from katsaus.services.reports import assemble

    first = assemble(PERIOD, "PESOVA-PK")
    assert assemble(PERIOD, "PESOVA-PK") is first
    assert len(computed) == 1
    assemble(PERIOD, "PESOVA-PK", language="sv")
    assemble(PERIOD, "PESOVA-LS")
    assert len(computed) == 3  # each unit and language its own


def test_a_write_of_this_process_is_seen_at_once(county, computed):
    from katsaus.services import content
    from katsaus.services.actors import Operator
    from katsaus.services.reports import assemble

    before = assemble(PERIOD, "PESOVA-LS")
    current = content.current_narrative("PESOVA-LS", PERIOD, "katsaus")
    content.save_narrative("PESOVA-LS", PERIOD, "katsaus", "Uusi teksti.", current.version, Operator("testi"))
    after = assemble(PERIOD, "PESOVA-LS")
    assert len(computed) == 2
    texts = {n.narrative.section: n.narrative.markdown for n in after.report.narratives
             if n.narrative.unit_code == "PESOVA-LS"}
    assert texts["katsaus"] == "Uusi teksti." and before is not after


def test_a_write_of_another_process_is_seen_through_the_tokens(county, computed):
    """Another gunicorn worker's write clears nothing here; the token it committed changes what is read."""
    from katsaus.services.reports import assemble
    from katsaus.store.models import Generation

    assemble(PERIOD, "PESOVA-LS")
    Generation.objects.update_or_create(key="content", defaults={"token": 12345})
    assemble(PERIOD, "PESOVA-LS")
    assert len(computed) == 2


KINDS = ("figures", "content", "content:PESOVA-PK", "content:PESOVA-LS")


def test_a_refused_write_leaves_the_tokens_as_they_were(county):
    from katsaus.services import content
    from katsaus.services.actors import Operator
    from katsaus.services.errors import StaleEdit
    from katsaus.store.generations import tokens

    before = tokens(KINDS)
    with pytest.raises(StaleEdit):
        content.save_narrative("PESOVA-LS", PERIOD, "katsaus", "Vanhan päälle.", 999999, Operator("testi"))
    assert tokens(KINDS) == before


def test_every_write_renews_the_tokens_of_what_it_changes_and_no_other(county, tmp_path):
    """Each kind of write a person makes goes through services.audit.writing (a write that did not would leave
    every process serving the report of the data before it); a unit's text renews that unit's content only, so
    the other units' reports stand; a round's status or a user is in no report and renews nothing."""
    from datetime import date

    from katsaus.services import content, imports, rounds, users
    from katsaus.services.actors import Operator
    from katsaus.store.generations import tokens

    operator = Operator("testi")
    (tmp_path / "kesa.csv").write_text("pvm;kustannuspaikka;tili;summa\n5.6.2025;521000;400000;1,00\n",
                                       encoding="utf-8")
    writes = {
        "ledger": (lambda: imports.import_ledger([tmp_path / "kesa.csv"], None, False, operator), {"figures"}),
        "narrative": (lambda: content.save_narrative(
            "PESOVA-PK", PERIOD, "katsaus", "Teksti.", content.current_narrative("PESOVA-PK", PERIOD, "katsaus").version,
            operator), {"content:PESOVA-PK"}),
        "round": (lambda: rounds.open_round(PERIOD, date(2025, 8, 1), operator, ["PESOVA-PK"]), set()),
        "user": (lambda: users.add_user("uusi", "salasana-123", [("reader", "")], operator), set()),
    }
    for name, (write, renewed) in writes.items():
        before = dict(tokens(KINDS))
        write()
        after = dict(tokens(KINDS))
        assert {kind for kind in KINDS if after[kind] != before[kind]} == renewed, name


def test_a_units_text_leaves_the_other_units_reports_as_computed(county, computed):
    from katsaus.services import content
    from katsaus.services.actors import Operator
    from katsaus.services.reports import assemble

    pk, ls, top = assemble(PERIOD, "PESOVA-PK"), assemble(PERIOD, "PESOVA-LS"), assemble(PERIOD)
    current = content.current_narrative("PESOVA-LS", PERIOD, "katsaus")
    content.save_narrative("PESOVA-LS", PERIOD, "katsaus", "Uusi.", current.version, Operator("testi"))
    assert assemble(PERIOD, "PESOVA-PK") is pk  # another unit's report stands
    assert assemble(PERIOD, "PESOVA-LS") is not ls and assemble(PERIOD) is not top  # its own and the one above
