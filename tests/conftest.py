"""Shared test configuration.

The throwaway PostgreSQL server lives in the plugin ``tests/katsaus_pg.py``; it has to
be loaded with ``-p`` (see its docstring) because conftest.py is imported only after
pytest-django has already imported the Django settings. This file makes a request for
PostgreSQL without the plugin fail loudly instead of silently testing SQLite.
"""

from __future__ import annotations

import os

import pytest

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


def pytest_configure(config: pytest.Config) -> None:
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
