"""The store: configuration round trip, replacing imports, exact cents, facts read back as plain data."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.db import IntegrityError
from reliability_support import assert_readable

from katsaus.config import load_config_dir
from katsaus.core.errors import Conflict, Refused, Term
from katsaus.core.periods import Period

pytestmark = [pytest.mark.db, pytest.mark.django_db]
# the store writes balances through the driver itself (SQLite's executemany, PostgreSQL's COPY): a NOT NULL
# column refuses a row with the driver's own IntegrityError
DATABASE_REFUSALS = (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError)

DEMO = Path(__file__).parents[1] / "configs" / "demo"


@pytest.fixture
def repo():
    from katsaus.store import repository

    repository.save_config(*stored(load_config_dir(DEMO)), user="test")
    return repository


def stored_config():
    """The configuration as the services read it back from the store (validated again)."""
    from katsaus.services.cache import cache_clear
    from katsaus.services.reports import stored_config as read

    cache_clear()
    return read()


def test_configuration_round_trips_through_the_database(repo):
    config = stored_config()
    assert config.organisation == load_config_dir(DEMO).organisation
    assert config.organisation.unit_of("553000", date(2024, 12, 31)) == "PESOVA-SP"
    assert config.organisation.unit_of("553000", date(2025, 1, 1)) is None
    assert config.scheme() == load_config_dir(DEMO).scheme()
    assert config.template() == load_config_dir(DEMO).template()


def test_reimporting_the_same_file_replaces_it(repo):
    from katsaus.store import models

    balances = [(2025, 1, "510000", "400000", False, 12_345_678_901_23), (2025, 1, "510000", "950000", True, -1)]
    first = repo.save_ledger("a.csv", "sum1", 10, balances, user="u")
    again = repo.save_ledger("a.csv", "sum2", 10, balances, user="u")
    assert (first.replaced, again.replaced) == (0, 1)
    assert list(repo.balance_rows(2025)) == [
        (2025, 1, "510000", "400000", False, 12_345_678_901_23),
        (2025, 1, "510000", "950000", True, -1),
    ]
    # the replaced import stays in the log, marked replaced by the new one
    replaced, current = repo.import_log()
    assert (replaced.checksum, replaced.replaced_by_id, current.checksum, current.replaced_by_id) == (
        "sum1", current.id, "sum2", None)
    assert models.ImportBatch.objects.count() == 2


def test_same_content_under_another_name_is_the_same_file(repo):
    repo.save_ledger("a.csv", "same", 1, [(2025, 2, "510000", "400000", False, 5)])
    repo.save_ledger("copy of a.csv", "same", 1, [(2025, 2, "510000", "400000", False, 5)])
    assert list(repo.balance_rows(2025)) == [(2025, 2, "510000", "400000", False, 5)]


def test_a_checksum_still_being_computed_is_asked_for_after_the_balances_are_stored(repo):
    """save_ledger inserts first and asks for the sum after (so hashing overlaps storing); which import it
    replaces and which overlap it refuses come out as with a finished sum."""
    from katsaus.store import models

    asked: list[int] = []

    def later(digest: str):
        def pending() -> str:
            asked.append(models.Balance.objects.count())
            return digest
        return pending

    repo.save_ledger("a.csv", later("same"), 1, [(2025, 2, "510000", "400000", False, 5)])
    assert asked == [1]  # the balance was in when the sum was asked for
    saved = repo.save_ledger("copy of a.csv", later("same"), 1, [(2025, 2, "510000", "400000", False, 5)])
    assert saved.replaced == 1
    assert list(repo.balance_rows(2025)) == [(2025, 2, "510000", "400000", False, 5)]
    assert [b.checksum for b in repo.import_log()] == ["same", "same"]
    with pytest.raises(Conflict) as overlap:
        repo.save_ledger("other.csv", later("other"), 1, [(2025, 2, "510000", "400000", False, 7)])
    (problem,) = overlap.value.problems
    assert (problem.code, problem.file, overlap.value.outcome.code) == (
        "store.ledger_overlap", "other.csv", "outcome.nothing_stored")
    assert problem.params == {"count": 1, "other_file": "copy of a.csv", "month": 2, "year": 2025,
                              "cost_centre": "510000", "account": "400000"}
    assert_readable(problem)
    assert list(repo.balance_rows(2025)) == [(2025, 2, "510000", "400000", False, 5)]
    assert models.ImportBatch.objects.count() == 2  # the refused file left nothing behind


@pytest.mark.parametrize("count", [1, 100, 237])
def test_every_balance_is_stored_once_and_exact(repo, count):
    """SQLite takes the balances a hundred to a statement: full statements, the rest, and one alone."""
    balances = [(2025, 1 + i % 12, f"5{i:05d}", "400000", i % 3 == 0, (-1) ** i * (10**15 + i)) for i in range(count)]
    saved = repo.save_ledger("many.csv", "m", count, balances)
    assert saved.stored == count
    assert sorted(repo.balance_rows(2025)) == sorted(balances)


def test_the_months_held_are_found_without_reading_the_year_s_balances(repo):
    """Which months the ledger holds (reports' ledger_gap, the forecast's refusal): DbFacts answers from the
    (year, month) index, the same months its balances have, a month whose balances sum to zero included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    balances = [(2025, m, "510000", "400000", False, 5) for m in (1, 2, 4)] + [
        (2025, 5, "510000", "400000", False, 0), (2024, 3, "510000", "400000", False, 1)]
    repo.save_ledger("gaps.csv", "g", 5, balances)
    with CaptureQueriesContext(connection) as seen:
        held = repo.DbFacts().months_held(Period(2025, 6))
    assert held == {1, 2, 4, 5} == {b.month for b in repo.DbFacts().balances(Period(2025, 6))}
    assert not any("sum(" in query["sql"].lower() for query in seen.captured_queries)  # no balance was read
    assert repo.DbFacts().months_held(Period(2025, 1)) == {1}
    assert repo.DbFacts().months_held(Period(2024, 12)) == {3}


def test_different_files_add_up_when_told_so(repo):
    repo.save_ledger("jan.csv", "s1", 1, [(2025, 1, "510000", "400000", False, 5)])
    with pytest.raises(Conflict) as overlap:  # the same balances from another file: a copy would count twice
        repo.save_ledger("jan-corrections.csv", "s2", 1, [(2025, 1, "510000", "400000", False, -2)])
    assert overlap.value.codes == ("store.ledger_overlap",)
    repo.save_ledger("jan-corrections.csv", "s2", 1, [(2025, 1, "510000", "400000", False, -2)], add=True)
    assert list(repo.balance_rows(2025)) == [(2025, 1, "510000", "400000", False, 3)]
    facts = list(repo.DbFacts().balances(Period(2025, 1)))
    assert [b.cents for b in facts] == [3]


def test_import_is_recorded(repo):
    repo.save_ledger("jan.csv", "abc", 42, [], user="controller")
    (batch,) = repo.import_log()
    assert (batch.file_name, batch.checksum, batch.rows, batch.imported_by, batch.kind) == ("jan.csv", "abc", 42, "controller", "ledger")
    assert batch.imported_at is not None


def test_plan_versions_and_their_amounts(repo):
    repo.save_plan(
        "budget", "MTA I 2025", 2025, "mta.csv", "x", 2,
        [("PESOVA-HALL", None, "palkat_ja_palkkiot", None, None, -100), (None, "510000", None, "400000", 3, -7)],
        effective_date=date(2025, 6, 16), decision_ref="AV § 45",
    )
    repo.save_plan("budget", "MTA I 2025", 2025, "mta.csv", "y", 1, [("PESOVA-HALL", None, "palkat_ja_palkkiot", None, None, -200)])
    (version,) = repo.DbFacts().plan_versions()
    assert (version.name, version.kind, version.year, version.effective_date, version.decision_ref) == ("MTA I 2025", "budget", 2025, date(2025, 6, 16), "AV § 45")
    assert [a.cents for a in repo.DbFacts().plan_amounts("MTA I 2025")] == [-200]
    # the first import is not lost: its figures are kept, replaced by the second import, and both are logged
    from katsaus.store import models

    first, second = repo.import_log()
    assert [a.cents for a in models.PlanAmount.objects.filter(batch=first)] == [-100, -7]
    assert set(models.PlanAmount.objects.filter(batch=first).values_list("superseded_by", flat=True)) == {second.id}
    assert repo.current_plan_batches(["MTA I 2025"]) == {second.id}


def test_a_version_cannot_change_kind_or_year(repo):
    repo.save_plan("budget", "TA 2025", 2025, "ta.csv", "x", 0, [])
    with pytest.raises(Conflict) as refused:  # it already exists as a budget of 2025
        repo.save_plan("forecast", "TA 2025", 2025, "ta2.csv", "z", 0, [])
    (problem,) = refused.value.problems
    assert (problem.code, problem.params) == ("store.version_other_kind", {
        "name": "TA 2025", "kind": Term("store.kind.budget"), "year": 2025, "wanted_kind": Term("store.kind.forecast"),
        "wanted_year": 2025})
    assert_readable(problem)
    with pytest.raises(Refused) as blank:
        repo.save_plan("budget", " TA 2025", 2025, "ta.csv", "x", 0, [])
    assert blank.value.codes == ("store.version_name_invalid",) and not isinstance(blank.value, Conflict)


def test_a_file_may_not_add_to_figures_a_version_already_has(repo):
    repo.save_plan("budget", "TA 2025", 2025, "division1.csv", "a", 1,
                   [("PESOVA-HALL", None, "palkat_ja_palkkiot", None, 6, -100)], author="talous")
    with pytest.raises(Conflict) as held:
        repo.save_plan("budget", "TA 2025", 2025, "division2.csv", "b", 1,
                       [("PESOVA-HALL", None, "palkat_ja_palkkiot", None, None, -100)])
    assert held.value.problems[0].code == "store.version_places_held"
    assert held.value.problems[0].params == {"name": "TA 2025", "count": 1, "place": "PESOVA-HALL / palkat_ja_palkkiot",
                                             "month": None, "other_file": "division1.csv"}
    with pytest.raises(Conflict) as level:
        repo.save_plan("budget", "TA 2025", 2025, "division2.csv", "b", 1, [(None, "510000", None, "400000", 6, -1)])
    assert level.value.codes == ("store.version_other_level",)
    with pytest.raises(Conflict) as kept:
        repo.save_plan("budget", "TA 2025", 2025, "division3.csv", "c", 1,
                       [("PESOVA-LS", None, "palkat_ja_palkkiot", None, 6, -1)], author="joku muu")
    assert kept.value.problems[0].params == {"name": "TA 2025", "field": Term("store.field.author"),
                                             "kept": "talous", "given": "joku muu"}
    for refused in (held.value, level.value, kept.value):
        assert_readable(refused.problems[0])


def test_no_organisation_is_refused(db):
    from katsaus.core.errors import Refused

    with pytest.raises(Refused) as missing:
        stored_config()
    assert missing.value.codes == ("configuration.not_loaded",)


def test_a_failing_write_leaves_nothing_behind(repo):
    from katsaus.store import models

    repo.save_ledger("a.csv", "s1", 1, [(2025, 1, "510000", "400000", False, 5)])
    with pytest.raises(DATABASE_REFUSALS):
        # a balance that the database refuses (NULL cost centre) aborts the whole replacement
        repo.save_ledger("a.csv", "s2", 2, [(2025, 1, "510000", "400000", False, 7), (2025, 1, None, "400000", False, 1)])
    assert list(repo.balance_rows(2025)) == [(2025, 1, "510000", "400000", False, 5)]
    assert models.ImportBatch.objects.get().checksum == "s1"


def test_the_configuration_can_be_loaded_again_over_a_loaded_one(repo):
    """A second `katsaus config load` (a changed template, a new unit) replaces the organisation tree: units
    with children are unlinked before they go, so the protected parent link does not stop it."""
    repo.save_config(*stored(load_config_dir(DEMO)), user="test")
    assert stored_config().organisation == load_config_dir(DEMO).organisation


def stored(config):
    """A loaded configuration as the store keeps it: its documents and its organisation."""
    from katsaus.store.repository import StoredDocument

    return [StoredDocument(d.name, d.kind, d.content) for d in config.documents], config.organisation
