"""`katsaus forecast …` end to end on the database: suggest, set, the Excel round trip and show."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from katsaus.cli import app

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

DEMO = Path(__file__).parents[1] / "configs" / "demo"
runner = CliRunner()
SUGGESTION = "TPE 6/2025 ehdotus"


def run(*args: str):
    return runner.invoke(app, list(args))


def said(result) -> str:
    """What the command printed (stdout and stderr), its lines joined as one: Rich wraps long lines."""
    return " ".join(result.output.split())


def money(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def ledger_text() -> str:
    """Cost centres 521000 (PESOVA-PK) and 531000 (PESOVA-LS), January 2023 – June 2025; salaries grow 3 % a
    year and June has the holiday bonus."""
    rows = ["pvm;kustannuspaikka;tili;summa;tosite;selite"]
    for year, last in ((2023, 12), (2024, 12), (2025, 6)):
        for month in range(1, last + 1):
            salaries = 1000 * (1 + 0.03 * (year - 2023)) * (1.4 if month == 6 else 1.0)
            rows.append(f"5.{month}.{year};521000;400000;{money(salaries)};P;palkat")
            rows.append(f"5.{month}.{year};521000;320000;{money(-(100 + month))};M;maksut")
            rows.append(f"6.{month}.{year};531000;430000;{money(500 + 10 * math.sin(month))};O;ostot")
    return "\n".join(rows) + "\n"


BUDGET = "yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-14000\nPESOVA-PK;maksutuotot;1500\nPESOVA-LS;palvelujen_ostot;-6000\n"


def load_for_the_round(tmp_path: Path) -> Path:
    """What the fixture `loaded` (tests/conftest.py; this module's and test_forecast_refusals.py's) gives: the demo
    configuration, the ledger, a budget and the suggestion, loaded by these commands the first time in a test
    process, after that their rows put back (tests/db_snapshot.py); the two files in tmp_path."""
    from db_snapshot import cached_state

    (tmp_path / "kirjanpito.csv").write_text(ledger_text(), encoding="utf-8")
    (tmp_path / "ta.csv").write_text(BUDGET, encoding="utf-8")
    cached_state(("forecast round",), lambda: load_through_the_cli(tmp_path))
    return tmp_path


def load_through_the_cli(tmp_path: Path) -> None:
    assert run("config", "load", str(DEMO)).exit_code == 0
    result = run("import", "ledger", str(tmp_path / "kirjanpito.csv"))
    assert result.exit_code == 0, result.output
    result = run("import", "budget", str(tmp_path / "ta.csv"), "--version", "TA 2025", "--effective-date", "2024-12-10")
    assert result.exit_code == 0, result.output
    result = run("forecast", "suggest", "--period", "2025-06", "--version", SUGGESTION)
    assert result.exit_code == 0, result.output


def shown(version: str) -> dict[tuple[str, str], dict[str, str]]:
    result = run("forecast", "show", "--version", version, "--csv", "-")
    assert result.exit_code == 0, result.output
    return {(r["unit"], r["line"]): r for r in csv.DictReader(io.StringIO(result.output))}


def amounts(version: str) -> int:
    from katsaus.store import models

    return models.PlanAmount.objects.filter(version__name=version).count()


def explanation(version: str, unit: str, line: str) -> dict:
    """How a stored suggestion was made (core.forecast.Explanation as stored): the words are made by the reader."""
    from katsaus.store import models

    return models.PlanAmount.objects.current().get(version__name=version, unit_code=unit, line_code=line).explanation


def test_suggest_stores_a_figure_per_unit_and_line_with_its_method(loaded):
    figures = shown(SUGGESTION)
    assert set(figures) == {("PESOVA-PK", "palkat_ja_palkkiot"), ("PESOVA-PK", "maksutuotot"),
                            ("PESOVA-LS", "palvelujen_ostot")}
    salaries = figures["PESOVA-PK", "palkat_ja_palkkiot"]
    # a suggestion has no person's reason; how it was made (the pooled choice) is kept as data for the reader's words
    assert salaries["method"] == "suggested" and salaries["reason"] == ""
    assert explanation(SUGGESTION, "PESOVA-PK", "palkat_ja_palkkiot")["kind"] == "combination"
    # 2025: 1060 a month, 1484 in June; a year like 2024 grown by 3 % is about −13 144 €
    assert -13_300 < float(salaries["amount_eur"]) < -13_000
    assert float(salaries["low_eur"]) <= float(salaries["amount_eur"]) <= float(salaries["high_eur"])
    again = run("forecast", "suggest", "--period", "2025-06", "--version", SUGGESTION)
    text = said(again)
    assert again.exit_code == 1 and "[forecasting.version_exists] kohta '--version'" in text and "--replace" in text, text
    assert run("forecast", "suggest", "--period", "2025-06", "--version", SUGGESTION, "--replace").exit_code == 0


def test_set_takes_a_value_a_suggestion_or_the_budget_always_with_a_reason(loaded):
    base = ("forecast", "set", "--version", "TPE 6/2025", "--period", "2025-06", "--unit", "PESOVA-PK")
    result = run(*base, "--line", "palkat_ja_palkkiot", "--value", "-14 250,50", "--reason", "palkankorotus")
    assert result.exit_code == 0, result.output
    result = run(*base, "--line", "maksutuotot", "--budget", "in_force", "--reason", "ei muutosta")
    assert result.exit_code == 0, result.output
    result = run("forecast", "set", "--version", "TPE 6/2025", "--unit", "PESOVA-LS", "--line", "palvelujen_ostot",
                 "--suggestion", SUGGESTION, "--reason", "ehdotus on hyvä")
    assert result.exit_code == 0, result.output
    figures = shown("TPE 6/2025")
    assert (figures["PESOVA-PK", "palkat_ja_palkkiot"]["amount_eur"], figures["PESOVA-PK", "palkat_ja_palkkiot"]["method"],
            figures["PESOVA-PK", "palkat_ja_palkkiot"]["reason"]) == ("-14250.50", "manual", "palkankorotus")
    assert figures["PESOVA-PK", "maksutuotot"]["amount_eur"] == "1500.00"
    assert figures["PESOVA-PK", "maksutuotot"]["method"] == "budget"
    assert figures["PESOVA-LS", "palvelujen_ostot"]["amount_eur"] == shown(SUGGESTION)["PESOVA-LS", "palvelujen_ostot"]["amount_eur"]


# each refusal: its code and the parts of its line that say which option and what it held (the ids are the
# tests' names from before the messages became codes)
@pytest.mark.parametrize(
    "extra, expected",
    [
        pytest.param(("--value", "-1", "--reason", " "), ("[forecasting.reason_missing]", "kohta '--reason'"),
                     id="extra0-needs a reason"),
        pytest.param(("--value", "paljon", "--reason", "x"),
                     ("[value.amount_invalid]", "kohta '--value'", "'paljon'"), id="extra1-not an amount"),
        pytest.param(("--value", "-1", "--budget", "in_force", "--reason", "x"),
                     ("[forecasting.set_one_source]", "--value, --suggestion tai --budget", "'value, budget'"),
                     id="extra2-exactly one of"),
        pytest.param(("--value", "-1", "--reason", "x", "--line", "tilikauden_tulos"),
                     ("[forecasting.line_unknown]", "kohta '--line'", "alin rivi", "'tilikauden_tulos'"),
                     id="extra3-not a leaf line"),
    ],
)
def test_set_refuses_and_stores_nothing(loaded, extra, expected):
    args = ["forecast", "set", "--version", "TPE 6/2025", "--period", "2025-06", "--unit", "PESOVA-PK"]
    if "--line" not in extra:
        args += ["--line", "palkat_ja_palkkiot"]
    result = run(*args, *extra)
    assert result.exit_code == 1 and all(part in said(result) for part in expected), result.output
    assert amounts("TPE 6/2025") == 0


def filled_sheet(tmp_path: Path, cells: dict[tuple[str, str], tuple[str | None, object, str | None]]) -> Path:
    """Write the sheet through the CLI, then fill in choice, value and reason per (unit, line) like Excel."""
    path = tmp_path / "tpe.xlsx"
    result = run("forecast", "sheet", "--period", "2025-06", "--suggestion", SUGGESTION, "--out", str(path))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    sheet = book["ennuste"]
    for row in sheet.iter_rows(min_row=2):
        choice, value, reason = cells.get((row[0].value, row[2].value), ("ehdotus", None, "ehdotus hyväksytty"))
        row[11].value, row[12].value, row[13].value = choice, value, reason
    book.save(path)
    return path


def row_of(path: Path, unit: str, line: str) -> int:
    sheet = openpyxl.load_workbook(path)["ennuste"]
    return next(r[0].row for r in sheet.iter_rows(min_row=2) if (r[0].value, r[2].value) == (unit, line))


def test_the_excel_round_trip(loaded):
    path = filled_sheet(loaded, {("PESOVA-PK", "palkat_ja_palkkiot"): ("oma", -14_100.25, "MTA II:n korotus"),
                                 ("PESOVA-PK", "maksutuotot"): ("talousarvio", None, "pidetään")})
    book = openpyxl.load_workbook(path)
    header = [c.value for c in book["ennuste"][1]]
    salaries = dict(zip(header, [c.value for c in book["ennuste"][row_of(path, "PESOVA-PK", "palkat_ja_palkkiot")]]))
    assert salaries["talousarvio"] == -14000 and salaries["toteuma 1-6/2025"] == -6784
    assert salaries["ehdotus"] < 0
    # the method in Finnish words, with the weights the stored explanation gives
    how = explanation(SUGGESTION, "PESOVA-PK", "palkat_ja_palkkiot")
    top, share = how["shares"][0]
    assert how["kind"] == "combination" and top == "profile" and salaries["menetelmä"].startswith(
        f"ehdotus, menetelmien yhdistelmä: aiempien vuosien kausiprofiili {share}\u00a0%")
    result = run("forecast", "upload", str(path), "--version", "TPE 6/2025", "--author", "Controller")
    assert result.exit_code == 0, result.output
    figures = shown("TPE 6/2025")
    assert figures["PESOVA-PK", "palkat_ja_palkkiot"]["amount_eur"] == "-14100.25"
    assert figures["PESOVA-PK", "maksutuotot"]["method"] == "budget"
    assert figures["PESOVA-LS", "palvelujen_ostot"]["reason"] == "ehdotus hyväksytty"
    assert figures["PESOVA-LS", "palvelujen_ostot"]["method"] == "suggested"
    table = run("forecast", "show", "--version", "TPE 6/2025")
    assert "tehty kaudella 2025-06, laatija Controller" in said(table) and "MTA II:n korotus" in table.output, table.output


def test_a_bad_sheet_is_rejected_with_every_problem_located_and_nothing_stored(loaded):
    path = filled_sheet(loaded, {("PESOVA-PK", "palkat_ja_palkkiot"): ("oma", "noin miljoona", "arvio"),
                                 ("PESOVA-PK", "maksutuotot"): ("talousarvio", None, None)})
    result = run("forecast", "upload", str(path), "--version", "TPE 6/2025")
    assert result.exit_code == 1
    text = said(result)
    salaries, fees = row_of(path, "PESOVA-PK", "palkat_ja_palkkiot"), row_of(path, "PESOVA-PK", "maksutuotot")
    assert f"[value.amount_invalid] {path}, taulukko 'ennuste', rivi {salaries}, sarake 'ennuste':" in text, text
    assert "odotettiin rahamäärä, esimerkiksi -1 234 567,89, löytyi 'noin miljoona'" in text
    assert f"[forecast.reason_missing] {path}, taulukko 'ennuste', rivi {fees}, sarake 'perustelu':" in text
    assert "tiedostoista tpe.xlsx ei tallennettu mitään" in text
    from katsaus.store import models

    assert not models.PlanVersion.objects.filter(name="TPE 6/2025").exists() and amounts("TPE 6/2025") == 0


def forecast_shown_in_report(tmp_path: Path, *options: str) -> str:
    """The personnel costs' forecast cell of the division's own statement (thousands of euros) as `report` writes it."""
    out = tmp_path / ("report" + "-".join(options).replace("-", ""))
    result = run("report", "--period", "2025-06", "--unit", "PESOVA", "--format", "csv", "--out", str(out), *options)
    assert result.exit_code == 0, result.output
    with open(out / "tuloslaskelma.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["line"] == "Henkilöstökulut"]
    return rows[0]["tpe"].replace("\u00a0", " ").replace("\u2212", "-")


def test_a_report_as_of_a_date_shows_the_forecast_of_that_date(loaded):
    (loaded / "ta2024.csv").write_text(BUDGET, encoding="utf-8")
    assert run("import", "budget", str(loaded / "ta2024.csv"), "--version", "TA 2024").exit_code == 0
    for version, day, value in (("TPE 6/2025", "2025-07-10", "-13 000 000"), ("TPE 9/2025", "2025-10-12", "-14 000 000")):
        result = run("forecast", "set", "--version", version, "--period", "2025-06", "--date", day, "--unit", "PESOVA-PK",
                     "--line", "palkat_ja_palkkiot", "--value", value, "--reason", "testi")
        assert result.exit_code == 0, result.output
    assert forecast_shown_in_report(loaded) == "-14 000"  # the newest
    assert forecast_shown_in_report(loaded, "--as-of", "2025-08-20") == "-13 000"
    assert forecast_shown_in_report(loaded, "--status", "approved", "--status-date", "2025-08-20") == "-13 000"
    result = run("report", "--period", "2025-06", "--unit", "PESOVA", "--format", "csv", "--out", str(loaded / "x"),
                 "--as-of", "2025-07-01")
    text = said(result)
    assert result.exit_code == 1 and "[report.version_missing_as_of]" in text and "tilanteessa 1.7.2025" in text, text
    # the versions there are, with their dates: the June forecast dated after the as-of date
    assert "[report.version_known] versio TPE 6/2025: ennuste 2025, päivätty 10.7.2025" in text
    assert not (loaded / "x").exists()
    assert "--as-of" in run("report", "--help").output


def test_every_forecast_made_is_kept_and_show_history_lists_it(loaded):
    for value, reason in (("-13 000", "ensimmäinen arvio"), ("-13 500", "palkankorotus tarkentui")):
        result = run("forecast", "set", "--version", "TPE 6/2025", "--period", "2025-06", "--unit", "PESOVA-PK",
                     "--line", "palkat_ja_palkkiot", "--value", value, "--reason", reason)
        assert result.exit_code == 0, result.output
    assert shown("TPE 6/2025")["PESOVA-PK", "palkat_ja_palkkiot"]["amount_eur"] == "-13500.00"
    result = run("forecast", "show", "--version", "TPE 6/2025", "--history", "--csv", "-")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["amount_eur"], r["reason"], bool(r["replaced_at"])) for r in rows] == [
        ("-13000.00", "ensimmäinen arvio", True), ("-13500.00", "palkankorotus tarkentui", False)]
    assert rows[0]["replaced_at"] == rows[1]["written_at"] and rows[0]["replaced_by"] == rows[1]["entered_by"] != ""
    text = said(run("forecast", "show", "--version", "TPE 6/2025", "--history"))
    assert "ensimmäinen arvio" in text and "— korvattu " in text and "; lukuja 1 " in text, text

