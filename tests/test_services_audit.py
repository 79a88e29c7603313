"""The audit record of every kind of change — configuration, figures, texts, statuses, users — made through
the services as the CLI calls them (`katsaus --user NAME …`) and from the web (a user object): who, when,
what, before → after."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date

import pytest
from service_fixtures import DEMO, PASSWORD, load_demo
from typer.testing import CliRunner

from katsaus.services.actors import Operator, Person

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def run(*args) -> str:
    from katsaus.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def log_rows() -> list[dict]:
    from katsaus.services.audit import export_audit_csv

    stream = io.StringIO()
    export_audit_csv(stream, Operator("admin"))
    return list(csv.DictReader(io.StringIO(stream.getvalue())))


def test_every_kind_of_change_is_recorded_with_who_and_before_and_after(db, tmp_path):
    from django.contrib.auth.models import User

    from katsaus.services import content, rounds

    load_demo(tmp_path)
    ledger = tmp_path / "toinen.csv"
    ledger.write_text("pvm;kustannuspaikka;tili;summa;tosite;selite\n5.2.2025;521000;400000;5,00;P2;x\n", encoding="utf-8")
    run("--user", "kaisa", "import", "ledger", ledger)                                       # figures: a file
    run("--user", "kaisa", "forecast", "set", "--version", "TPE 6/2025", "--period", "2025-06", "--unit",
        "PESOVA-PK", "--line", "palkat_ja_palkkiot", "--value", "-100", "--reason", "eka")
    run("--user", "ville", "forecast", "set", "--version", "TPE 6/2025", "--unit", "PESOVA-PK", "--line",
        "palkat_ja_palkkiot", "--value", "-250,50", "--reason", "toka")                        # figures: a value
    changed_config = tmp_path / "config"
    shutil.copytree(DEMO, changed_config, ignore=shutil.ignore_patterns("content", "narratives"))
    organisation = changed_config / "organisation.toml"
    organisation.write_text(organisation.read_text(encoding="utf-8").replace(
        'name_fi = "Kanta-Hämeen hyvinvointialue"', 'name_fi = "Kanta-Hämeen hyvinvointialue (uusi)"'), encoding="utf-8")
    run("--user", "kaisa", "config", "load", changed_config)                                 # configuration
    run("--user", "kaisa", "content", "override", "LS-AVOHUOLTO", "--period", "2025-06", "--status", "met",
        "--reason", "tarkistettu")
    CliRunner().invoke(__import__("katsaus.cli", fromlist=["app"]).app,
                       ["--user", "kaisa", "user", "add", "pirjo", "--role", "unit_manager", "--unit", "PESOVA-PK",
                        "--password-stdin"], input=PASSWORD + "\n")                           # users and roles
    pirjo = Person(User.objects.get(username="pirjo"))
    june = rounds.open_round("2025-06", date(2025, 7, 31), Operator("kaisa"), units=["PESOVA-PK"])
    start = content.current_narrative("PESOVA-PK", "2025-06", "katsaus")
    content.save_narrative("PESOVA-PK", "2025-06", "katsaus", "Uusi teksti.", start.version, pirjo)  # texts, web
    rounds.submit_unit(june, "PESOVA-PK", pirjo)                                             # statuses

    rows = log_rows()

    def find(kind: str, field: str, **where) -> list[dict]:
        return [r for r in rows if r["kind"] == kind and r["field"] == field and all(r[k] == v for k, v in where.items())]

    assert find("import batch", "file_name", who="kaisa", after="toinen.csv", action="created")
    changed = find("forecast figure", "cents", who="ville")
    assert [(r["before"], r["after"], r["action"]) for r in changed] == [("-10000", "-25050", "changed")]
    assert find("forecast figure", "cents", who="kaisa", before="", after="-10000")
    config_change = find("config document", "content", who="kaisa", action="changed")
    assert len(config_change) == 1 and "(uusi)" in config_change[0]["after"] and "(uusi)" not in config_change[0]["before"]
    assert find("goal status override", "status", who="kaisa", after="met")
    assert find("user", "username", who="kaisa", after="pirjo")
    assert find("role assignment", "role", who="kaisa", after="unit_manager")
    narrative = find("narrative", "markdown", who="pirjo", after="Uusi teksti.")
    assert narrative and narrative[0]["before"] == start.markdown
    assert find("round unit", "status", who="pirjo", before="draft", after="submitted", action="changed")
    assert find("round unit", "status", who="pirjo", before="not_started", after="draft", action="changed")


def test_loading_the_same_files_again_adds_no_entries(db, tmp_path):
    load_demo(tmp_path)
    before = len(log_rows())
    run("--user", "kaisa", "content", "load", DEMO / "content", DEMO / "narratives")
    assert len(log_rows()) == before


def test_an_items_history_lists_each_version_of_a_narrative(db, tmp_path):
    from katsaus.services import content
    from katsaus.services.audit import item_history
    from katsaus.store.models import Narrative

    load_demo(tmp_path)
    first = content.current_narrative("PESOVA-PK", "2025-06", "katsaus")
    second = content.save_narrative("PESOVA-PK", "2025-06", "katsaus", "Kakkonen.", first.version, Operator("kaisa"))
    content.save_narrative("PESOVA-PK", "2025-06", "katsaus", "Kolmonen.", second.version, Operator("ville"))
    history = [e for e in item_history(Narrative.objects.get(pk=second.version)) if e.field == "markdown"]
    assert [(e.who, e.before, e.after) for e in history][-2:] == [
        ("kaisa", first.markdown, "Kakkonen."), ("ville", "Kakkonen.", "Kolmonen.")]


def test_the_cli_export_prints_the_log(db, tmp_path):
    load_demo(tmp_path)
    printed = run("export", "audit")
    header = printed.splitlines()[0]
    assert header == "when,who,kind,item,action,field,before,after"
    assert list(csv.DictReader(io.StringIO(printed))) == log_rows()
