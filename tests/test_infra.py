"""Tests of the test and build infrastructure itself."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.db
@pytest.mark.django_db
def test_database_is_the_one_asked_for(request: pytest.FixtureRequest) -> None:
    from django.db import connection

    plugin = request.config.pluginmanager.get_plugin("katsaus_pg")
    server = plugin.postgres_server(request.config) if plugin else None
    if server is not None:
        # Started by `pytest -p katsaus_pg --postgres`: Django must really be on that server.
        assert connection.vendor == "postgresql"
        assert str(connection.settings_dict["PORT"]) == str(server.port)
        assert connection.settings_dict["HOST"] == "127.0.0.1"
    elif os.environ.get("KATSAUS_DB", "").startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            assert cursor.fetchone()[0].startswith("PostgreSQL ")
        else:
            cursor.execute("SELECT sqlite_version()")
            assert re.match(r"3\.\d+", cursor.fetchone()[0])


def makefile_targets(text: str) -> set[str]:
    """Explicit targets of a Makefile: names before a single ':' at the start of a rule line."""
    targets: set[str] = set()
    text = re.sub(r"\\\n", " ", text)
    for line in text.splitlines():
        if line.startswith(("\t", "#")) or not line.strip():
            continue
        m = re.match(r"^([^:=#\s][^:=#]*?)\s*::?(?!=)", line)
        if m:
            targets.update(name for name in m.group(1).split() if "$" not in name and "%" not in name)
    return targets


def readme_make_targets(text: str) -> set[str]:
    """Targets of `make …` commands written as code in a README: `make x` spans and
    lines of fenced code blocks (with or without a `$ ` prompt)."""
    commands = re.findall(r"`(make\b[^`]*)`", text)
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M):
        commands += [line.strip().removeprefix("$ ") for line in block.splitlines()]
    targets: set[str] = set()
    for command in commands:
        command = re.split(r"\s#|[;&|]", command)[0]  # drop a shell comment or a following command
        words = command.split()
        if not words or words[0] != "make":
            continue
        targets.update(w for w in words[1:] if not w.startswith("-") and "=" not in w)
    return targets


def test_makefile_parser() -> None:
    sample = "X := 1\n.PHONY: a b\na b: c\n\t@echo $(X)\n$(STAMP): x\nc:: \\\n d\n%.o: %.c\nY ?= 2\n"
    assert makefile_targets(sample) == {".PHONY", "a", "b", "c"}
    readme = "Run `make demo`.\n```sh\n$ make test PYTEST_ARGS=-x\nmake -j2 bench  # the benchmarks (bench/*.py)\nmake clean && ls\n```\nmake sure\n"
    assert readme_make_targets(readme) == {"demo", "test", "bench", "clean"}


def test_readme_documents_only_existing_make_targets() -> None:
    documented = readme_make_targets((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {"demo", "test"} <= documented, "README.md must document `make demo` and `make test`"
    missing = documented - makefile_targets((ROOT / "Makefile").read_text(encoding="utf-8"))
    assert not missing, f"README.md documents make targets the Makefile lacks: {sorted(missing)}"


def test_readme_first_screen_shows_demo_and_test() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:25])
    assert "make demo" in first_screen and "make test" in first_screen


@pytest.mark.parametrize("settings_module", ["katsaus.store.settings", "katsaus.web.settings"])
def test_the_settings_hash_passwords_strongly_outside_the_tests(settings_module: str) -> None:
    """The tests hash passwords cheaply (tests/conftest.py sets KATSAUS_TEST_FAST_PASSWORD_HASHER); without that
    variable the settings, the CLI's and the web application's, keep Django's PBKDF2 at its full rounds."""
    import subprocess
    import sys

    code = ("import django; django.setup(); from django.contrib.auth.hashers import get_hasher, make_password; "
            "h = get_hasher(); print(h.algorithm, h.iterations, make_password('x').split('$')[0])")
    env = {k: v for k, v in os.environ.items() if k not in ("KATSAUS_TEST_FAST_PASSWORD_HASHER", "KATSAUS_DB")}
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    algorithm, iterations, stored = result.stdout.split()
    assert (algorithm, stored) == ("pbkdf2_sha256", "pbkdf2_sha256")
    assert int(iterations) >= 1_000_000  # Django 5.2's default
    # and the tests' own variable does give the cheap hasher, which this process uses
    env["KATSAUS_TEST_FAST_PASSWORD_HASHER"] = "1"
    cheap = subprocess.run([sys.executable, "-c", code.replace("h.iterations", "0")], env=env, capture_output=True,
                           text=True, timeout=120)
    assert cheap.returncode == 0 and cheap.stdout.split()[0] == "md5", cheap.stderr
    from django.contrib.auth.hashers import get_hasher

    assert get_hasher().algorithm == "md5"
