"""Django settings for Katsaus. The database comes from KATSAUS_DB: an SQLite file path or a postgresql:// URL."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

DEFAULT_DB = "katsaus.sqlite3"


def database_config(target: str) -> dict:
    """Django DATABASES['default'] for an SQLite path or a database URL."""
    if "://" in target:
        config = dj_database_url.parse(target, conn_max_age=0)
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(target).expanduser().resolve())}
    if config["ENGINE"].endswith("sqlite3"):
        # WAL lets readers work while an import writes; the timeout waits for a concurrent writer.
        config["OPTIONS"] = {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    return config


SECRET_KEY = os.environ.get("KATSAUS_SECRET_KEY", "katsaus-development-only-not-secret")
DEBUG = False
ALLOWED_HOSTS: list[str] = ["localhost", "127.0.0.1"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "simple_history", "rules", "katsaus.store"]
# who may see and change what: the role predicates of katsaus.services.permissions, then Django's own
AUTHENTICATION_BACKENDS = ["rules.permissions.ObjectPermissionBackend", "django.contrib.auth.backends.ModelBackend"]
DATABASES = {"default": database_config(os.environ.get("KATSAUS_DB", DEFAULT_DB))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"
LANGUAGE_CODE = "fi"

# Only for the test suite (tests/conftest.py sets it for the katsaus processes the tests start): a cheap password
# hash, as Django's own test runs use, instead of PBKDF2's 1 000 000 rounds (~0.3 s per password). Never set it
# anywhere else; tests/test_infra.py checks that without it the settings keep Django's strong default.
if os.environ.get("KATSAUS_TEST_FAST_PASSWORD_HASHER") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
