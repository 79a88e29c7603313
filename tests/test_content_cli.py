"""`katsaus content load|override|render` and `katsaus check` end to end on the database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from katsaus.cli import app

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

DEMO = Path(__file__).parents[1] / "configs" / "demo"
runner = CliRunner()
BUDGET = "yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-12000\nPESOVA-PK;maksutuotot;3000\nPESOVA-LS;palvelujen_ostot;-2400\n"
LEDGER = "pvm;kustannuspaikka;tili;summa;tosite;selite\n5.1.2025;521000;400000;1000,00;P1;palkat\n"


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def said(result) -> str:
    """What the command printed (stdout and stderr), its lines joined as one: Rich wraps long lines."""
    return " ".join(result.output.split())


@pytest.fixture
def loaded(db, tmp_path):
    """The demo configuration and content, and a small ledger, budgets and forecast so that reports compute."""
    assert run("config", "load", DEMO).exit_code == 0
    (tmp_path / "b.csv").write_text(BUDGET, encoding="utf-8")
    (tmp_path / "l.csv").write_text(LEDGER, encoding="utf-8")
    assert run("import", "ledger", tmp_path / "l.csv").exit_code == 0
    for kind, version in (("budget", "TA 2024"), ("budget", "MTA I 2025"), ("forecast", "TPE 2025")):
        assert run("import", kind, tmp_path / "b.csv", "--version", version).exit_code == 0
    result = run("content", "load", DEMO / "content", DEMO / "narratives")
    assert result.exit_code == 0, result.output
    assert "19 toiminnallista tavoitetta, 33 avaintulosta, 6 tasapainotustoimenpidettä ja 10 kertomusta" in said(result)


def test_check_prints_findings_as_json_and_text(loaded):
    result = run("check", "--period", "2025-06", "--format", "json")
    assert result.exit_code == 0
    findings = json.loads(result.output)["findings"]
    # a finding as data: its code and rule, and every part of its location (tarkistukset.json's fields)
    assert set(findings[0]) == {"code", "severity", "rule", "message", "unit", "table", "row", "column", "file", "sheet",
                                "key", "passage", "expected", "found", "params"}
    vp = [f for f in findings if f["rule"] == "goal_status" and f["severity"] == "error"]
    assert [(f["code"], f["found"]) for f in vp] == [("check.goal_status.percent_wrong", "Toteutunut 45,5 % (39 012 vrk)")]
    text = run("check", "--period", "2025-06", "--unit", "PESOVA-VP")
    assert text.exit_code == 0 and "virheitä 1, varoituksia" in said(text), text.output  # the summary
    assert "check.goal_status.percent_wrong" in text.output and "Toteutunut 45,5 %" in text.output
    assert run("check", "--period", "2025-06", "--fail-on", "error").exit_code == 1


def test_override_needs_a_reason_and_is_reported_by_check(loaded):
    refused = run("content", "override", "LS-AVOHUOLTO", "--period", "2025-06", "--status", "met", "--reason", " ")
    assert refused.exit_code == 1 and "[goal.override_reason_missing] kohta '--reason'" in said(refused), refused.output
    assert run("content", "override", "NOPE", "--period", "2025-06", "--status", "met", "--reason", "x").exit_code == 1
    ok = run("content", "override", "LS-AVOHUOLTO", "--period", "2025-06", "--status", "met", "--reason", "Luku korjattu: 740 lasta")
    assert ok.exit_code == 0, ok.output
    findings = json.loads(run("check", "--period", "2025-06", "--unit", "PESOVA-LS", "--format", "json").output)["findings"]
    against = [f for f in findings if f["row"] == "Avohuollon asiakkuudessa olevien lasten määrä" and f["rule"] == "goal_status"]
    assert len(against) == 1 and "Luku korjattu: 740 lasta" in against[0]["message"]


def test_render_writes_the_tables_narratives_and_findings(loaded, tmp_path):
    out = tmp_path / "out"
    result = run("content", "render", "--period", "2025-06", "--unit", "PESOVA", "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "tables").iterdir()) == ["avaintulokset.csv", "tasapainottamistoimenpiteet.csv", "toiminnalliset_tavoitteet.csv"]
    assert "<h2>1.1.3 Lastensuojelun palvelut</h2>" in (out / "kertomukset.html").read_text(encoding="utf-8")
    assert "findings" in json.loads((out / "tarkistukset.json").read_text(encoding="utf-8"))


def test_bad_content_stores_nothing_and_says_where(loaded, tmp_path):
    (tmp_path / "bad.md").write_text('+++\nunit = "PESOVA"\nperiod = "2025-06"\nsection = "uusi"\n+++\n{{ luku: . / nope / tot }}\n', encoding="utf-8")
    result = run("content", "load", tmp_path / "bad.md")
    text = said(result)
    assert result.exit_code == 1
    # the file, the line that is not in the scheme, and what is wanted (the passage itself is not on the line)
    assert "[content.figure_line_unknown]" in text and "bad.md:" in text and "'nope'" in text, text
    assert "odotettiin kaavan rivi" in text and "mitään ei tallennettu" in text
    text = said(refused := run("check", "--period", "6/2025"))
    assert refused.exit_code == 1 and "[period.invalid] kohta '--period'" in text and "'6/2025'" in text, text
    assert "esimerkiksi 2025-06" in text
    refused = run("check", "--period", "2025-06", "--format", "xml")
    assert refused.exit_code == 1 and "[cli.format_unknown] kohta '--format'" in said(refused) and "'xml'" in refused.output


def balancing_rows(tmp_path: Path, name: str) -> list[str]:
    out = tmp_path / name
    assert run("content", "render", "--period", "2025-06", "--unit", "PESOVA", "--out", out).exit_code == 0
    return (out / "tables" / "tasapainottamistoimenpiteet.csv").read_text(encoding="utf-8").splitlines()


def test_a_definition_removed_from_the_files_is_retired_only_when_asked(loaded, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DEMO / "content", content)
    measures = content / "tasapainottaminen.toml"
    text = measures.read_text(encoding="utf-8")
    measures.write_text(text[: text.rindex("[[measures]]")], encoding="utf-8")  # HALLINNON-RESURSSIT removed
    assert any("Hallinnon resurssien tarkastelu" in r for r in balancing_rows(tmp_path, "before"))

    partial = run("content", "load", content, DEMO / "narratives")
    assert partial.exit_code == 0, partial.output
    text = said(partial)
    assert "varoitus [content_files.missing_definitions]" in text and "HALLINNON-RESURSSIT" in text, text
    assert "näkyvät yhä raporteissa" in text and "valitsimella --retire-missing" in text  # still shown; how to retire
    assert any("Hallinnon resurssien tarkastelu" in r for r in balancing_rows(tmp_path, "partial"))

    whole = run("content", "load", content, DEMO / "narratives", "--retire-missing")
    assert whole.exit_code == 0, whole.output
    text = said(whole)
    assert "Poistettiin käytöstä (ei enää tiedostoissa; säilytetään historioineen, ei raporteissa):" in text, text
    assert "HALLINNON-RESURSSIT" in text and "[content_files.missing_definitions]" not in text
    assert not any("Hallinnon resurssien tarkastelu" in r for r in balancing_rows(tmp_path, "retired"))
    again = run("content", "load", content, DEMO / "narratives", "--retire-missing")
    assert "Poistettiin käytöstä" not in again.output and "varoitus" not in again.output  # nothing left to retire

    from katsaus.store import models

    kept = models.BalancingMeasure.objects.get(code="HALLINNON-RESURSSIT")
    assert kept.retired_at is not None and kept.values.count() == 1  # its history stays
    back = run("content", "load", DEMO / "content", DEMO / "narratives")
    assert back.exit_code == 0 and "varoitus" not in back.output
    assert any("Hallinnon resurssien tarkastelu" in r for r in balancing_rows(tmp_path, "back"))
    assert models.BalancingMeasure.objects.get(code="HALLINNON-RESURSSIT").values.count() == 1  # not counted twice


def test_a_retired_goal_takes_no_override(loaded, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DEMO / "content", content)
    goals = content / "toiminnalliset-tavoitteet.toml"
    text = goals.read_text(encoding="utf-8")
    goals.write_text(text[: text.rindex("[[goals]]")], encoding="utf-8")
    last = text[text.rindex("[[goals]]"):].split('code = "', 1)[1].split('"', 1)[0]
    assert run("content", "load", content, DEMO / "narratives", "--retire-missing").exit_code == 0
    refused = run("content", "override", last, "--period", "2025-06", "--status", "met", "--reason", "x")
    assert refused.exit_code == 1 and "[goal.not_found]" in refused.output and f"'{last}'" in refused.output, refused.output


def test_check_and_render_take_the_versions_as_of_a_date_like_the_report(loaded, tmp_path):
    # the fixture's forecast was imported without a date: as of any date, no forecast was known
    for command in (("check", "--period", "2025-06"), ("content", "render", "--period", "2025-06", "--out", tmp_path / "x")):
        result = run(*command, "--as-of", "2025-08-01")
        assert result.exit_code == 1, result.output
        text = said(result)
        assert "[report.version_missing_as_of]" in text and "tilanteessa 1.8.2025" in text  # as of the date given
        # the versions there are, the forecast among them undated
        assert "tieto [report.version_known] versio TPE 2025: ennuste 2025, päivätty –" in text
    refused = run("check", "--period", "2025-06", "--as-of", "1.8.2025")  # not a date: refused
    text = said(refused)
    assert refused.exit_code == 1 and "[date.invalid] kohta '--as-of'" in text and "'1.8.2025'" in text, text
