"""Shared test configuration and the fixtures shared by the test modules.

The throwaway PostgreSQL server lives in the plugin ``tests/katsaus_pg.py``; it has to
be loaded with ``-p`` (see its docstring) because conftest.py is imported only after
pytest-django has already imported the Django settings. This file makes a request for
PostgreSQL without the plugin fail loudly instead of silently testing SQLite.
"""

from __future__ import annotations

import os

import pytest

# Cheap password hashing for the tests (see katsaus.store.settings): for the katsaus processes the tests start,
# through the environment; for this process, in pytest_configure (the settings are imported before this file).
FAST_HASHER = "KATSAUS_TEST_FAST_PASSWORD_HASHER"
os.environ[FAST_HASHER] = "1"
# The command's messages unwrapped, in this process and in the katsaus processes the tests start (COLUMNS, set in
# pytest_configure): rich wraps at 80 columns where the output is not a terminal, so where a long temporary path
# (longer under xdist: .../popen-gw0/...) broke a message depended on the path's length. The tests read the
# messages, not where a terminal would break them.
COLUMNS = "1000"

PLUGIN = "katsaus_pg"
ENV_FLAG = "KATSAUS_TEST_POSTGRES"
HINT = (
    "PostgreSQL tests need the plugin loaded before Django: "
    "`PYTHONPATH=tests .venv/bin/pytest -p katsaus_pg --postgres -m db` (or `make test`)"
)


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if not pluginmanager.has_plugin(PLUGIN):
        # Accept the option so that the error below can explain what to do.
        parser.getgroup("katsaus").addoption("--postgres", action="store_true", default=False,
                                             help="run against a throwaway PostgreSQL server")


@pytest.hookimpl(trylast=True)  # after pytest's terminal reporter has taken the terminal's width
def pytest_configure(config: pytest.Config) -> None:
    from django.test.utils import override_settings

    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter._tw.fullwidth = reporter._tw.fullwidth  # kept: COLUMNS is for the command's messages only
    os.environ["COLUMNS"] = COLUMNS

    # what the settings' hook gives the child processes, here too; override_settings clears the hashers' caches
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()
    if config.pluginmanager.has_plugin(PLUGIN):
        return
    wanted = config.getoption("postgres", False) or os.environ.get(ENV_FLAG, "").lower() not in (
        "", "0", "false", "no")
    if wanted:
        raise pytest.UsageError(HINT)


# Every message a test makes must have its catalogue text (katsaus.render.messages.STRICT), in this process and
# in the commands it starts.
os.environ["KATSAUS_STRICT_MESSAGES"] = "1"


@pytest.fixture(autouse=True)
def _reports_computed_afresh():
    """Each test computes its reports from its own data: a test's rolled-back writes leave the generation tokens
    as they were, so what an earlier test computed would otherwise be found under them."""
    from katsaus.services.cache import cache_clear, shared_clear

    cache_clear()
    try:
        shared_clear()
    except Exception:  # noqa: BLE001  (a test without Django's settings has no shared cache to clear)
        pass
    yield


# --- pytest-xdist -------------------------------------------------------------------------------------------------

# The test modules that take longest (BENCHMARKS.md, "The test suite"), longest first. `make test` runs pytest-xdist
# with `--dist loadfile --no-loadscope-reorder`: each module goes whole to one worker (its module fixtures are made
# once), in the order of the collection, which this puts first; a worker takes the next module when it is free, so
# that no worker is left alone with a long module at the end. The rest keep their order.
LONGEST_FIRST = (
    "test_forecast_basis_report.py", "test_reliability_faults.py", "test_web_browser.py", "test_reliability_backup.py",
    "test_core_forecast_model.py", "test_example_seinajoki.py", "test_demo_generate.py", "test_accessibility.py",
    "test_example_kauhava.py", "test_web_views.py", "test_services_publish.py", "test_open_data.py",
    "test_demo_pipeline.py", "test_reliability_concurrency.py", "test_intake_ledger.py", "test_example_jyvaskyla.py",
    "test_web_forecast.py", "test_cli.py", "test_import_properties.py", "test_forecast_refusals.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a module's own order is kept


# --- the web tests' world -----------------------------------------------------------------------------------------


def _build_world(folder):
    import db_snapshot
    from web_fixtures import build_world

    assert db_snapshot.is_empty(), "the web world is built on an empty database"
    built = build_world(folder)
    return db_snapshot.take(), built


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """tests/web_fixtures.py's demo county, users and rounds, committed for the test module (each test then runs in
    a transaction rolled back after it) and flushed after it. Built once for the whole run (tests/run_once.py: the
    first xdist worker to need it builds it on its database); every other module, in any worker, gets its rows put
    back (tests/db_snapshot.py) and its users and rounds read again."""
    import db_snapshot
    from django.core.management import call_command
    from run_once import once_per_run

    with django_db_blocker.unblock():
        try:
            (snapshot, built), here = once_per_run("web-world", tmp_path_factory, _build_world)
            if not here:
                db_snapshot.restore(snapshot)
                built = built.reloaded()
            yield built
        finally:
            call_command("flush", interactive=False, verbosity=0)


# --- the forecast round's county ------------------------------------------------------------------------------------


@pytest.fixture
def loaded(db, tmp_path):
    """test_forecast_cli.py's and test_forecast_refusals.py's data: the demo configuration, two and a half years of
    ledger, a budget and the suggestion (test_forecast_cli.load_for_the_round); a module's own `loaded` (test_cli.py,
    test_content_cli.py, test_import_properties.py) is its own."""
    from test_forecast_cli import load_for_the_round

    return load_for_the_round(tmp_path)
