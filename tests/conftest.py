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
    from django.test.utils import override_settings

    # what the settings' hook gives the child processes, here too; override_settings clears the hashers' caches
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()
    if config.pluginmanager.has_plugin(PLUGIN):
        return
    wanted = config.getoption("postgres", False) or os.environ.get(ENV_FLAG, "").lower() not in (
        "", "0", "false", "no")
    if wanted:
        raise pytest.UsageError(HINT)
