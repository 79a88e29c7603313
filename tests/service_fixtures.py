"""The demo organisation with a small ledger, budgets, a forecast and the demo content, and one user per role:
what the service tests (tests/test_services_*.py) start from."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

DEMO = Path(__file__).parents[1] / "configs" / "demo"
BUDGET = "yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-12000\nPESOVA-PK;maksutuotot;3000\nPESOVA-LS;palvelujen_ostot;-2400\n"
LEDGER = "pvm;kustannuspaikka;tili;summa;tosite;selite\n5.1.2025;521000;400000;1000,00;P1;palkat\n"
PASSWORD = "salasana-123"
# name -> roles: a controller, a director of the division (PESOVA, above all five units), a director of one
# unit (PESOVA-LS), the managers of two units, a reader
PEOPLE = {
    "kontrolleri": [("controller", "")],
    "johtaja": [("director", "PESOVA")],
    "ls-johtaja": [("director", "PESOVA-LS")],
    "pk-paallikko": [("unit_manager", "PESOVA-PK")],
    "ls-paallikko": [("unit_manager", "PESOVA-LS")],
    "lukija": [("reader", "")],
}


def run(*args) -> None:
    from katsaus.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (result.output, repr(result.exception))


def load_demo(folder: Path, content: bool = True) -> None:
    """The demo organisation, a ledger row, three budget/forecast versions and (with `content`) the demo content,
    loaded through the CLI: the first time in this test process; after that, on an empty database, its rows are
    put back (tests/db_snapshot.py), as they were left by those six commands. The two files are in `folder`."""
    from db_snapshot import cached_state

    (folder / "b.csv").write_text(BUDGET, encoding="utf-8")
    (folder / "l.csv").write_text(LEDGER, encoding="utf-8")
    cached_state(("load_demo", content), lambda: load_demo_through_the_cli(folder, content))


def load_demo_through_the_cli(folder: Path, content: bool = True) -> None:
    run("config", "load", DEMO)
    run("import", "ledger", folder / "l.csv")
    for kind, version in (("budget", "TA 2024"), ("budget", "MTA I 2025"), ("forecast", "TPE 2025")):
        run("import", kind, folder / "b.csv", "--version", version)
    if content:
        run("content", "load", DEMO / "content", DEMO / "narratives")


class People(dict):
    """name -> the person acting: a fresh services.actors.Person each time (their roles read anew, as for each
    request); `.user` of it is the Django user (to log in with)."""

    def __getitem__(self, name):
        from katsaus.services.actors import Person

        return Person(super().__getitem__(name))

    def values(self):
        return [self[name] for name in self]

    def items(self):
        return [(name, self[name]) for name in self]


def add_people() -> People:
    """The users of PEOPLE, added as the CLI adds them."""
    from katsaus.services import users
    from katsaus.services.actors import Operator

    for name, roles in PEOPLE.items():
        users.add_user(name, PASSWORD, roles, actor=Operator("admin"))
    from django.contrib.auth.models import User

    return People({u.username: u for u in User.objects.all()})
