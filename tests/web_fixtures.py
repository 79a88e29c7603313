"""The web tests' data: the demo county (generated demo data loaded as `katsaus demo` loads it), the users of
tests/service_fixtures.py (one per role), and three rounds: a draft one (2025-05: PESOVA-LS a draft, PESOVA-PK
not started), a published one (2025-06, readers only) and a public one (2025-04). The fixture `world`
(tests/conftest.py) builds it once per test process and puts its rows back for each test module that uses it,
outside the tests' transactions, flushing them after the module."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from service_fixtures import PASSWORD, add_people  # noqa: F401  (PASSWORD: re-exported for the tests)

from katsaus.services.actors import Operator

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

    def reloaded(self) -> WebWorld:
        """The same world with its users and rounds read again from the database (after its rows are restored)."""
        from django.contrib.auth.models import User

        from katsaus.store.models import ReportingRound

        def again(the_round):
            return ReportingRound.objects.get(pk=the_round.pk)

        from service_fixtures import People

        return replace(self, people=People({u.username: u for u in User.objects.filter(username__in=self.people)}),
                       draft=again(self.draft), published=again(self.published), public=again(self.public))


def load_demo_county(folder) -> None:
    """The demo data generated into `folder` and loaded as `katsaus demo` loads it. Generated and loaded once per
    test process; after that, on an empty database, the loaded rows are put back (tests/db_snapshot.py) and the
    generated files copied into `folder`."""
    from db_snapshot import cached_state

    folder = Path(folder)
    source = cached_state(("demo county",), lambda: _generate_and_load(folder))
    if source != folder:
        shutil.copytree(source, folder, dirs_exist_ok=True)


def _generate_and_load(folder: Path) -> Path:
    from rich.console import Console

    from katsaus.demo.generate import generate
    from katsaus.demo.pipeline import DEMO_CONFIG, load_everything
    from katsaus.demo.pipeline import PUBLISHED as SOURCE

    generate(SOURCE, DEMO_CONFIG, folder)
    kept = folder.parent / f"{folder.name}-as-generated"  # beside it in the test's temporary directory
    shutil.copytree(folder, kept)
    load_everything(DEMO_CONFIG, folder, Console(stderr=True, quiet=True))
    return kept


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
