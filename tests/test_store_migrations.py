"""The migrations describe the models: a model change without its migration (e.g. a field added on one branch
and a history table on another) fails here instead of on a user's database."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_need_no_new_migration() -> None:
    output = io.StringIO()
    try:
        call_command("makemigrations", "katsaus", "--check", "--dry-run", stdout=output, stderr=output)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"a migration is missing (exit {exc.code}):\n{output.getvalue()}")
