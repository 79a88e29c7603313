"""`katsaus forecast …` refusing what a controller can get wrong (found by trying to break the round): these
check the commands' own rules, so they run on SQLite only; test_forecast_cli.py runs the round itself on
PostgreSQL too."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from test_forecast_cli import BUDGET, SUGGESTION, amounts, filled_sheet, row_of, run, shown

pytestmark = [pytest.mark.django_db(transaction=True)]


# --- what a controller may get wrong (found by trying to break the round) ----------------------------------


def refused(*args: str, code: str, said: tuple[str, ...] = ()) -> str:
    """Run a command that must be refused: exit 1 and the problem's code in brackets, and each of `said` on its
    line (where: an option, a sheet's key; what was found; the values that tell the reader what is wrong)."""
    result = run(*args)
    text = " ".join(result.output.split())
    assert result.exit_code == 1 and f"[{code}]" in text and all(part in text for part in said), text
    return text


def version_names() -> set[str]:
    from katsaus.store import models

    return set(models.PlanVersion.objects.values_list("name", flat=True))


SET = ("forecast", "set", "--unit", "PESOVA-PK", "--line", "palkat_ja_palkkiot")


def test_brackets_in_names_and_reasons_are_text_not_markup(loaded):
    # Rich would read '[/b]' as a closing tag and crash after the figure had been stored
    result = run(*SET, "--version", "TPE [/b] 6", "--period", "2025-06", "--value", "-1", "--reason", "MTA II [/b] korjaus",
                 "--author", "Liisa [/]")
    assert result.exit_code == 0 and "perustelu: MTA II [/b] korjaus" in result.output, result.output
    shown_text = run("forecast", "show", "--version", "TPE [/b] 6")
    assert shown_text.exit_code == 0 and "laatija Liisa [/]" in shown_text.output and "[/b] korjaus" in shown_text.output


@pytest.mark.parametrize("period, code, missing", [
    pytest.param("2025-07", "forecasting.ledger_months_missing", "vuoden 2025 kuukausilta 7 (",
                 id="2025-07-month 7 of 2025"),
    pytest.param("2025-12", "forecasting.ledger_months_missing", "vuoden 2025 kuukausilta 7, 8, 9, 10, 11, 12 (",
                 id="2025-12-months 7\u201312 of 2025"),
    pytest.param("2026-06", "forecasting.ledger_year_missing", "vuodelta 2026; odotettiin kirjauksia vuoden 2026 "
                 "jokaiselta kuukaudelta 1–6", id="2026-06-months 1\u20136 of 2026"),
])
def test_a_suggestion_needs_every_month_to_date_in_the_ledger(loaded, period, code, missing):
    # the ledger ends at June 2025: July would count as zero spending, December's "actual" as the year-end
    refused("forecast", "suggest", "--period", period, "--version", "E", code=code,
            said=("kohta '--period'", f"kirjanpidossa ei ole kirjauksia {missing}"))
    refused("forecast", "sheet", "--period", period, "--suggestion", SUGGESTION, "--out", str(loaded / "s.xlsx"),
            code="forecasting.suggestion_period",  # a June suggestion belongs on a June sheet only
            said=("kohta '--suggestion'", "ehdotus on tehty kaudella 2025-06", f"'{SUGGESTION}'"))
    assert "E" not in version_names() and not (loaded / "s.xlsx").exists()


def test_suggestions_and_controllers_figures_never_share_a_version(loaded):
    refused(*SET, "--version", SUGGESTION, "--value", "1", "--reason", "x", code="store.version_holds_suggestions",
            said=(f"versiossa {SUGGESTION} on koneen laatimia ehdotuksia",))
    assert run(*SET, "--version", "TPE 6/2025", "--period", "2025-06", "--value", "1", "--reason", "x").exit_code == 0
    refused("forecast", "suggest", "--period", "2025-06", "--version", "TPE 6/2025", "--replace",
            code="store.version_not_suggestions", said=("versiossa TPE 6/2025 on ihmisten kirjaamia ennustelukuja",))
    assert shown("TPE 6/2025")["PESOVA-PK", "palkat_ja_palkkiot"]["method"] == "manual"
    refused(*SET, "--version", "TPE 6/2025", "--suggestion", "TPE 6/2025", "--reason", "x",
            code="forecasting.not_a_suggestion", said=("kohta '--suggestion'", "'TPE 6/2025'"))


def test_a_version_keeps_its_period_year_and_kind(loaded):
    assert run(*SET, "--version", "TPE 6/2025", "--period", "2025-06", "--value", "1", "--reason", "x").exit_code == 0
    refused(*SET, "--version", "TPE 6/2025", "--period", "2025-03", "--value", "2", "--reason", "x",
            code="store.version_other_period", said=("on tehty kaudella 2025-06; nämä luvut ovat kaudelle 2025-03",))
    refused(*SET, "--version", "TA 2025", "--value", "2", "--reason", "x", code="forecasting.not_a_forecast",
            said=("kohta '--version'", "vuoden 2025 talousarvio, ei ennuste", "'TA 2025'"))
    refused(*SET, "--version", "  ", "--period", "2025-06", "--value", "2", "--reason", "x",
            code="forecasting.version_name_invalid", said=("kohta '--version'",))
    refused(*SET, "--version", "TPE 6/2025", "--budget", "TPE 6/2025", "--reason", "x", code="forecasting.not_a_budget",
            said=("kohta '--budget'", "vuoden 2025 ennuste, ei vuoden 2025 talousarvio", "'TPE 6/2025'"))
    assert shown("TPE 6/2025")["PESOVA-PK", "palkat_ja_palkkiot"]["amount_eur"] == "1.00"


def test_the_budget_kept_in_an_existing_version_is_the_one_in_force_at_its_period(loaded):
    # MTA I 2025 takes effect in September: a June forecast keeps TA 2025, whatever the date of the write
    (loaded / "mta.csv").write_text(BUDGET.replace("-14000", "-15000"), encoding="utf-8")
    result = run("import", "budget", str(loaded / "mta.csv"), "--version", "MTA I 2025", "--effective-date", "2025-09-15")
    assert result.exit_code == 0, result.output
    assert run(*SET, "--version", "TPE 6/2025", "--period", "2025-06", "--value", "1", "--reason", "x").exit_code == 0
    assert run(*SET, "--version", "TPE 6/2025", "--budget", "in_force", "--reason", "pidetään").exit_code == 0
    assert shown("TPE 6/2025")["PESOVA-PK", "palkat_ja_palkkiot"]["amount_eur"] == "-14000.00"


def edit_info(path: Path, key: str, value: str) -> Path:
    book = openpyxl.load_workbook(path)
    for row in book["tiedot"].iter_rows():
        if row[0].value == key:
            row[1].value = value
    book.save(path)
    return path


# the ids are the tests' names from before the messages became codes
@pytest.mark.parametrize(
    "key, value, code, said",
    [
        pytest.param("jakso", "2025-03", "forecasting.suggestion_period",
                     ("taulukko 'tiedot', kohta 'ehdotus'", "ehdotus on tehty kaudella 2025-06", "kaudella 2025-03 tehty"),
                     id="jakso-2025-03-the suggestion was made at 2025-06"),
        pytest.param("jakso", "kesäkuu", "forecasting.sheet_period_invalid", ("taulukko 'tiedot', kohta 'jakso'", "'kesäkuu'"),
                     id="jakso-kes\xe4kuu-sheet 'tiedot', key 'jakso': not a period"),
        pytest.param("ehdotus", "TPE 6/2025 oma", "forecasting.not_a_suggestion",
                     ("taulukko 'tiedot', kohta 'ehdotus'", "'TPE 6/2025 oma'"), id="ehdotus-TPE 6/2025 oma-not a suggestion"),
        pytest.param("talousarvio", "TPE 6/2025 oma", "forecasting.sheet_budget_wrong",
                     ("taulukko 'tiedot', kohta 'talousarvio'", "vuoden 2025 talousarvio", "'TPE 6/2025 oma'"),
                     id="talousarvio-TPE 6/2025 oma-key 'talousarvio': not a budget version of the period's year"),
    ],
)
def test_a_sheet_whose_tiedot_no_longer_match_the_store_is_refused(loaded, key, value, code, said):
    assert run(*SET, "--version", "TPE 6/2025 oma", "--period", "2025-06", "--value", "1", "--reason", "x").exit_code == 0
    path = edit_info(filled_sheet(loaded, {}), key, value)
    refused("forecast", "upload", str(path), "--version", "TPE 6/2025", code=code, said=(f"{path}, ", *said))
    assert "TPE 6/2025" not in version_names()


def test_a_sheet_made_before_the_suggestion_was_made_again_is_refused(loaded):
    # the controller would take figures they never saw
    path = filled_sheet(loaded, {})
    assert run("forecast", "suggest", "--period", "2025-06", "--version", SUGGESTION, "--replace", "--years-back", "0").exit_code == 0
    refused("forecast", "upload", str(path), "--version", "TPE 6/2025", code="forecasting.sheet_outdated",
            said=(f"{path}, taulukko 'tiedot', kohta 'ehdotus kirjattu'", "ehdotus on tehty uudelleen tämän taulukon jälkeen"))
    assert "TPE 6/2025" not in version_names()


def test_a_figure_per_unit_is_not_added_to_a_version_imported_per_cost_centre(loaded):
    (loaded / "kp.csv").write_text("kustannuspaikka;tili;summa\n521000;400000;-1000000,00\n", encoding="utf-8")
    result = run("import", "forecast", str(loaded / "kp.csv"), "--version", "TPE KP", "--year", "2025", "--date", "2025-08-01")
    assert result.exit_code == 0, result.output
    refused(*SET, "--version", "TPE KP", "--value", "-2 000 000", "--reason", "x", code="store.version_per_cost_centre",
            said=("versiossa TPE KP", "laskettaisiin kahdesti"))  # counted twice
    assert amounts("TPE KP") == 1


def test_files_that_cannot_be_read_or_written_are_reported_not_raised(loaded):
    refused("forecast", "upload", str(loaded / "nope.xlsx"), "--version", "X", code="file.not_found",
            said=(f"{loaded / 'nope.xlsx'}:",))
    refused("forecast", "upload", str(loaded), "--version", "X", code="file.is_folder", said=(f"{loaded}:",))
    (loaded / "text.xlsx").write_text("yksikkö;rivi\n", encoding="utf-8")
    refused("forecast", "upload", str(loaded / "text.xlsx"), "--version", "X", code="xlsx.not_xlsx",
            said=(f"{loaded / 'text.xlsx'}:", "yksikkö;rivi"))
    refused("forecast", "sheet", "--period", "2025-06", "--suggestion", SUGGESTION, "--out", str(loaded),
            code="forecasting.sheet_unwritable", said=("kohta '--out'", f"'{loaded}'"))
    refused("forecast", "show", "--version", SUGGESTION, "--csv", str(loaded / "no" / "such.csv"),
            code="forecasting.csv_unwritable", said=("kohta '--csv'", f"'{loaded / 'no' / 'such.csv'}'"))


def test_an_existing_versions_date_and_author_are_not_silently_kept_or_changed(loaded):
    first = (*SET, "--version", "TPE 6/2025", "--period", "2025-06", "--value", "1", "--reason", "x")
    assert run(*first, "--date", "2025-07-10", "--author", "Matti").exit_code == 0
    refused(*SET, "--version", "TPE 6/2025", "--value", "2", "--reason", "x", "--date", "2025-10-01",
            code="forecasting.version_fixed", said=("kohta '--date'", "jo olemassa arvolla 10.7.2025", "'2025-10-01'"))
    refused(*SET, "--version", "TPE 6/2025", "--value", "2", "--reason", "x", "--author", "Liisa",
            code="forecasting.version_fixed", said=("kohta '--author'", "jo olemassa arvolla Matti", "'Liisa'"))
    assert run(*SET, "--version", "TPE 6/2025", "--value", "2", "--reason", "x", "--date", "2025-07-10").exit_code == 0
    refused(*SET, "--version", "TPE 6/2030", "--period", "2025-06", "--value", "2", "--reason", "x", "--date", "2030-01-01",
            code="forecasting.date_range", said=("kohta '--date'", "vuoden 2025 ennuste tehdään vuonna 2025 tai 2026",
                                                 "'2030-01-01'"))
    shown_text = " ".join(run("forecast", "show", "--version", "TPE 6/2025").output.split())
    assert "tehty kaudella 2025-06, laatija Matti, 10.7.2025" in shown_text, shown_text


def test_a_sheet_without_its_suggestion_stamp_is_refused(loaded):
    # every sheet Katsaus writes has it; an emptied row would let a rewritten suggestion through unnoticed
    path = edit_info(filled_sheet(loaded, {}), "ehdotus kirjattu", "")
    refused("forecast", "upload", str(path), "--version", "TPE 6/2025", code="forecasting.sheet_unstamped",
            said=(f"{path}, taulukko 'tiedot', kohta 'ehdotus kirjattu'", "taulukko ei kerro, milloin sen ehdotus kirjattiin"))


def test_an_upload_that_leaves_out_unit_lines_says_so(loaded):
    path = filled_sheet(loaded, {})
    book = openpyxl.load_workbook(path)
    book["ennuste"].delete_rows(row_of(path, "PESOVA-LS", "palvelujen_ostot"))
    book.save(path)
    result = run("forecast", "upload", str(path), "--version", "TPE 6/2025")
    text = " ".join(result.output.split())
    assert result.exit_code == 0 and "varoitus [forecasting.upload_uncovered] tpe.xlsx:" in text, text
    assert "versiossa TPE 6/2025 ei ole lukua 1 yksikkö × rivi -kohdalle" in text  # the version, how many
    assert "(esim. PESOVA-LS / palvelujen_ostot)" in text


def test_odd_targets_and_options_are_refused_with_their_reason(loaded):
    refused(*SET, "--version", "TPE 6/2019", "--period", "2019-06", "--value", "1", "--reason", "x",
            code="forecasting.date_range", said=("kohta '--date'", "vuoden 2019 ennuste tehdään vuonna 2019 tai 2020",
                                                 "(oletus on tämä päivä)"))
    refused(*SET, "--version", "TPE 6/2024", "--period", "2024-06", "--budget", "in_force", "--reason", "x",
            "--date", "2024-07-01", code="forecasting.no_budget_in_force",
            said=("kohta '--budget'", "vuoden 2024 talousarviota ei ole voimassa kaudella 2024-06"))
    refused(*SET, "--version", "TPE 6/2025", "--period", "2025-06", "--value", "", "--reason", "x",
            code="value.amount_empty", said=("kohta '--value'",))
    refused(*SET, "--version", "TPE 6/2025 ", "--period", "2025-06", "--value", "1", "--reason", "x",
            code="store.version_name_invalid", said=("'TPE 6/2025 '",))
    refused("forecast", "sheet", "--period", "2025-06", "--suggestion", SUGGESTION, "--previous", SUGGESTION,
            "--out", str(loaded / "s.xlsx"), code="forecasting.previous_is_suggestion",
            said=("kohta '--previous'", f"'{SUGGESTION}'"))
    refused("forecast", "show", "--version", SUGGESTION, "--csv", "/dev/full", code="forecasting.csv_unwritable",
            said=("kohta '--csv'", "No space left on device"))
    assert "TPE 6/2025" not in version_names()


def test_a_file_that_is_not_a_database_is_reported(tmp_path):
    from doc_tools import run_katsaus  # a process of its own: this one's Django is set up on the test database

    (tmp_path / "x.sqlite3").write_text("yksikkö;rivi\n", encoding="utf-8")
    result = run_katsaus("--db", str(tmp_path / "x.sqlite3"), "forecast", "show", "--version", "X")
    text = " ".join(result.stderr.split())
    assert result.returncode == 1 and "[database.unusable] kohta '--db'" in text and "file is not a database" in text, text
    assert f"'{tmp_path / 'x.sqlite3'}'" in text  # which file
