"""Django settings for Katsaus. The database comes from KATSAUS_DB: an SQLite file path or a postgresql:// URL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

DEFAULT_DB = "katsaus.sqlite3"


def database_config(target: str) -> dict[str, Any]:
    """Django DATABASES['default'] for an SQLite path or a database URL."""
    config: dict[str, Any]
    if "://" in target:
        config = dict(dj_database_url.parse(target, conn_max_age=0))
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(target).expanduser().resolve())}
    if config["ENGINE"].endswith("sqlite3"):
        # WAL lets readers work while an import writes; the timeout waits for a concurrent writer.
        config["OPTIONS"] = {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    return config


SECRET_KEY = os.environ.get("KATSAUS_SECRET_KEY", "katsaus-development-only-not-secret")
DEBUG = False
ALLOWED_HOSTS: list[str] = ["localhost", "127.0.0.1"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "simple_history", "katsaus.store"]
# who may see and change what is katsaus.services.permissions' (for an explicit actor); Django checks passwords
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
DATABASES = {"default": database_config(os.environ.get("KATSAUS_DB", DEFAULT_DB))}


def cache_folder(target: str) -> str:
    """Where the processes of one database share what they derived from it (services.cache.Shared):
    KATSAUS_CACHE_DIR, else a folder of the system's temporary files named after the database."""
    import hashlib
    import tempfile

    named = hashlib.sha256(target.encode()).hexdigest()[:16]
    return os.environ.get("KATSAUS_CACHE_DIR") or os.path.join(tempfile.gettempdir(), f"katsaus-cache-{named}")


# values derived from the stored figures, kept under the tokens of the data they came from (never stale, only
# unused once the data change); a file cache, so that gunicorn's workers and the commands share it
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": cache_folder(os.environ.get("KATSAUS_DB", DEFAULT_DB)),
        "TIMEOUT": 7 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"
LANGUAGE_CODE = "fi"

# Only for the test suite (tests/conftest.py sets it for the katsaus processes the tests start): a cheap password
# hash, as Django's own test runs use, instead of PBKDF2's 1 000 000 rounds (~0.3 s per password). Never set it
# anywhere else; tests/test_infra.py checks that without it the settings keep Django's strong default.
if os.environ.get("KATSAUS_TEST_FAST_PASSWORD_HASHER") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
