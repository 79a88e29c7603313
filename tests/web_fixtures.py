"""The web tests' data: the demo county (generated demo data loaded as `katsaus demo` loads it), the users of
tests/service_fixtures.py (one per role), and three rounds: a draft one (2025-05: PESOVA-LS a draft, PESOVA-PK
not started), a published one (2025-06, readers only) and a public one (2025-04). Built once per test module,
outside the tests' transactions, and flushed after the module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from katsaus.services.actors import Operator

from service_fixtures import PASSWORD, add_people  # noqa: F401  (PASSWORD: re-exported for the tests)

OPERATOR = Operator("web-test-setup")
DRAFT, PUBLISHED, PUBLIC = "2025-05", "2025-06", "2025-04"


@dataclass
class WebWorld:
    people: dict
    draft: object  # ReportingRound
    published: object
    public: object
    published_key: str
    public_key: str


def load_demo_county(folder) -> None:
    from rich.console import Console

    from katsaus.demo.generate import generate
    from katsaus.demo.pipeline import DEMO_CONFIG, PUBLISHED as SOURCE, load_everything

    generate(SOURCE, DEMO_CONFIG, folder)
    load_everything(DEMO_CONFIG, folder, Console(stderr=True, quiet=True))


def publish_round(period: str, units: list[str], public: bool):
    from katsaus.services import content, publish, rounds

    the_round = rounds.open_round(period, date(2025, 8, 15), OPERATOR, units)
    for unit in units:
        current = content.current_narrative(unit, period, "katsaus")
        content.save_narrative(unit, period, "katsaus", f"Katsaus {period}.", current.version, OPERATOR)
        rounds.submit_unit(the_round, unit, OPERATOR)
        rounds.approve_unit(the_round, unit, OPERATOR)
    published = publish.publish_report(OPERATOR, the_round=the_round, public=public)
    return the_round, published.key


def build_world(folder) -> WebWorld:
    from katsaus.services import content, rounds

    load_demo_county(folder)
    people = add_people()
    draft = rounds.open_round(DRAFT, date(2025, 6, 20), OPERATOR, ["PESOVA-LS", "PESOVA-PK"])
    content.save_narrative("PESOVA-LS", DRAFT, "katsaus", "Luonnos.", None, OPERATOR)
    published, published_key = publish_round(PUBLISHED, ["PESOVA-LS"], public=False)
    public, public_key = publish_round(PUBLIC, ["PESOVA-LS"], public=True)
    return WebWorld(people, draft, published, public, published_key, public_key)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.core.management import call_command

    with django_db_blocker.unblock():
        try:
            yield build_world(tmp_path_factory.mktemp("web-demo"))
        finally:
            call_command("flush", interactive=False, verbosity=0)
