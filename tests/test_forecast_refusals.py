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


def refused(*args: str, message: str) -> str:
    result = run(*args)
    text = " ".join(result.output.split())
    assert result.exit_code == 1 and message in text, text
    return text


def version_names() -> set[str]:
    from katsaus.store import models

    return set(models.PlanVersion.objects.values_list("name", flat=True))


SET = ("forecast", "set", "--unit", "PESOVA-PK", "--line", "palkat_ja_palkkiot")


def test_brackets_in_names_and_reasons_are_text_not_markup(loaded):
    # Rich would read '[/b]' as a closing tag and crash after the figure had been stored
    result = run(*SET, "--version", "TPE [/b] 6", "--period", "2025-06", "--value", "-1", "--reason", "MTA II [/b] korjaus",
                 "--author", "Liisa [/]")
    assert result.exit_code == 0 and "reason: MTA II [/b] korjaus" in result.output, result.output
    shown_text = run("forecast", "show", "--version", "TPE [/b] 6")
    assert shown_text.exit_code == 0 and "by Liisa [/]" in shown_text.output and "[/b] korjaus" in shown_text.output


@pytest.mark.parametrize("period, missing", [("2025-07", "month 7 of 2025"), ("2025-12", "months 7–12 of 2025"),
                                             ("2026-06", "months 1–6 of 2026")])
def test_a_suggestion_needs_every_month_to_date_in_the_ledger(loaded, period, missing):
    # the ledger ends at June 2025: July would count as zero spending, December's "actual" as the year-end
    refused("forecast", "suggest", "--period", period, "--version", "E", message=f"the ledger holds no entries for {missing}")
    refused("forecast", "sheet", "--period", period, "--suggestion", SUGGESTION, "--out", str(loaded / "s.xlsx"),
            message="the suggestion was made at 2025-06")  # a June suggestion belongs on a June sheet only
    assert "E" not in version_names() and not (loaded / "s.xlsx").exists()


def test_suggestions_and_controllers_figures_never_share_a_version(loaded):
    refused(*SET, "--version", SUGGESTION, "--value", "1", "--reason", "x", message="holds machine suggestions")
    assert run(*SET, "--version", "TPE 6/2025", "--period", "2025-06", "--value", "1", "--reason", "x").exit_code == 0
    refused("forecast", "suggest", "--period", "2025-06", "--version", "TPE 6/2025", "--replace",
            message="holds controllers' figures, not suggestions")
    assert shown("TPE 6/2025")["PESOVA-PK", "palkat_ja_palkkiot"]["method"] == "manual"
    refused(*SET, "--version", "TPE 6/2025", "--suggestion", "TPE 6/2025", "--reason", "x",
            message="not a suggestion: its figures were entered or imported")


def test_a_version_keeps_its_period_year_and_kind(loaded):
    assert run(*SET, "--version", "TPE 6/2025", "--period", "2025-06", "--value", "1", "--reason", "x").exit_code == 0
    refused(*SET, "--version", "TPE 6/2025", "--period", "2025-03", "--value", "2", "--reason", "x",
            message="was made at 2025-06; these figures are for 2025-03")
    refused(*SET, "--version", "TA 2025", "--value", "2", "--reason", "x", message="'TA 2025' is a budget of 2025, not a forecast")
    refused(*SET, "--version", "  ", "--period", "2025-06", "--value", "2", "--reason", "x", message="a version needs a name")
    refused(*SET, "--version", "TPE 6/2025", "--budget", "TPE 6/2025", "--reason", "x",
            message="'TPE 6/2025' is a forecast of 2025, not a budget of 2025")
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


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("jakso", "2025-03", "the suggestion was made at 2025-06"),
        ("jakso", "kesäkuu", "sheet 'tiedot', key 'jakso': not a period"),
        ("ehdotus", "TPE 6/2025 oma", "not a suggestion"),
        ("talousarvio", "TPE 6/2025 oma", "key 'talousarvio': not a budget version of the period's year"),
    ],
)
def test_a_sheet_whose_tiedot_no_longer_match_the_store_is_refused(loaded, key, value, message):
    assert run(*SET, "--version", "TPE 6/2025 oma", "--period", "2025-06", "--value", "1", "--reason", "x").exit_code == 0
    path = edit_info(filled_sheet(loaded, {}), key, value)
    refused("forecast", "upload", str(path), "--version", "TPE 6/2025", message=message)
    assert "TPE 6/2025" not in version_names()


def test_a_sheet_made_before_the_suggestion_was_made_again_is_refused(loaded):
    # the controller would take figures they never saw
    path = filled_sheet(loaded, {})
    assert run("forecast", "suggest", "--period", "2025-06", "--version", SUGGESTION, "--replace", "--years-back", "0").exit_code == 0
    refused("forecast", "upload", str(path), "--version", "TPE 6/2025", message="the suggestion was made again after this sheet")
    assert "TPE 6/2025" not in version_names()


def test_a_figure_per_unit_is_not_added_to_a_version_imported_per_cost_centre(loaded):
    (loaded / "kp.csv").write_text("kustannuspaikka;tili;summa\n521000;400000;-1000000,00\n", encoding="utf-8")
    result = run("import", "forecast", str(loaded / "kp.csv"), "--version", "TPE KP", "--year", "2025", "--date", "2025-08-01")
    assert result.exit_code == 0, result.output
    refused(*SET, "--version", "TPE KP", "--value", "-2 000 000", "--reason", "x", message="counted twice")
    assert amounts("TPE KP") == 1


def test_files_that_cannot_be_read_or_written_are_reported_not_raised(loaded):
    refused("forecast", "upload", str(loaded / "nope.xlsx"), "--version", "X", message="no such file")
    refused("forecast", "upload", str(loaded), "--version", "X", message="a folder, not a file")
    (loaded / "text.xlsx").write_text("yksikkö;rivi\n", encoding="utf-8")
    refused("forecast", "upload", str(loaded / "text.xlsx"), "--version", "X",
            message="not an XLSX file; expected an Excel workbook (.xlsx), found \"a file that is not a ZIP archive, starting 'yksikkö;rivi'\"")
    refused("forecast", "sheet", "--period", "2025-06", "--suggestion", SUGGESTION, "--out", str(loaded),
            message="the sheet cannot be written there")
    refused("forecast", "show", "--version", SUGGESTION, "--csv", str(loaded / "no" / "such.csv"),
            message="the file cannot be written there")


def test_an_existing_versions_date_and_author_are_not_silently_kept_or_changed(loaded):
    first = (*SET, "--version", "TPE 6/2025", "--period", "2025-06", "--value", "1", "--reason", "x")
    assert run(*first, "--date", "2025-07-10", "--author", "Matti").exit_code == 0
    refused(*SET, "--version", "TPE 6/2025", "--value", "2", "--reason", "x", "--date", "2025-10-01",
            message="exists with date 2025-07-10")
    refused(*SET, "--version", "TPE 6/2025", "--value", "2", "--reason", "x", "--author", "Liisa",
            message="exists with author Matti")
    assert run(*SET, "--version", "TPE 6/2025", "--value", "2", "--reason", "x", "--date", "2025-07-10").exit_code == 0
    refused(*SET, "--version", "TPE 6/2030", "--period", "2025-06", "--value", "2", "--reason", "x", "--date", "2030-01-01",
            message="a forecast of 2025 is made in 2025 or 2026")
    assert "made at 2025-06 by Matti on 2025-07-10" in run("forecast", "show", "--version", "TPE 6/2025").output


def test_a_sheet_without_its_suggestion_stamp_is_refused(loaded):
    # every sheet Katsaus writes has it; an emptied row would let a rewritten suggestion through unnoticed
    path = edit_info(filled_sheet(loaded, {}), "ehdotus kirjattu", "")
    refused("forecast", "upload", str(path), "--version", "TPE 6/2025",
            message="key 'ehdotus kirjattu': the sheet does not say when its suggestion was written")


def test_an_upload_that_leaves_out_unit_lines_says_so(loaded):
    path = filled_sheet(loaded, {})
    book = openpyxl.load_workbook(path)
    book["ennuste"].delete_rows(row_of(path, "PESOVA-LS", "palvelujen_ostot"))
    book.save(path)
    result = run("forecast", "upload", str(path), "--version", "TPE 6/2025")
    text = " ".join(result.output.split())
    assert result.exit_code == 0 and "warning version 'TPE 6/2025' has no figure for 1 unit × lines the suggestion " \
        "has (PESOVA-LS / palvelujen_ostot)" in text, text


def test_odd_targets_and_options_are_refused_with_their_reason(loaded):
    refused(*SET, "--version", "TPE 6/2019", "--period", "2019-06", "--value", "1", "--reason", "x",
            message="a forecast of 2019 is made in 2019 or 2020 (the date defaults to today)")
    refused(*SET, "--version", "TPE 6/2024", "--period", "2024-06", "--budget", "in_force", "--reason", "x",
            "--date", "2024-07-01", message="no budget of 2024 is in force at 2024-06")
    refused(*SET, "--version", "TPE 6/2025", "--period", "2025-06", "--value", "", "--reason", "x",
            message="the amount is empty")
    refused(*SET, "--version", "TPE 6/2025 ", "--period", "2025-06", "--value", "1", "--reason", "x",
            message="may not begin or end with a space")
    refused("forecast", "sheet", "--period", "2025-06", "--suggestion", SUGGESTION, "--previous", SUGGESTION,
            "--out", str(loaded / "s.xlsx"), message="not the suggestion itself")
    refused("forecast", "show", "--version", SUGGESTION, "--csv", "/dev/full", message="No space left on device")
    assert "TPE 6/2025" not in version_names()


def test_a_file_that_is_not_a_database_is_reported(tmp_path):
    from doc_tools import run_katsaus  # a process of its own: this one's Django is set up on the test database

    (tmp_path / "x.sqlite3").write_text("yksikkö;rivi\n", encoding="utf-8")
    result = run_katsaus("--db", str(tmp_path / "x.sqlite3"), "forecast", "show", "--version", "X")
    text = " ".join(result.stderr.split())
    assert result.returncode == 1 and "the database cannot be opened" in text and "file is not a database" in text, text
