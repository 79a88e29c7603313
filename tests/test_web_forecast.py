"""The forecast round in the browser (katsaus.services.forecasts, views.forecast): the suggestion beside the
controllers' forecast, one value set with its reason, the sheet downloaded and a bad upload refused, all through
the services the CLI's `forecast` commands use."""

from __future__ import annotations

import html
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from service_fixtures import add_people
from typer.testing import CliRunner
from web_fixtures import load_demo_county

from katsaus.services.actors import Operator

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.slow]

SUGGESTION = "TPE 6/2025 ehdotus"


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.core.management import call_command

    from katsaus.services import forecasts

    with django_db_blocker.unblock():
        try:
            load_demo_county(tmp_path_factory.mktemp("forecast-demo"))
            forecasts.suggest("2025-06", SUGGESTION, Operator("web-test"))
            yield add_people()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def controller(people) -> Client:
    client = Client()
    client.force_login(people["kontrolleri"].user)
    return client


def thousands(euros: Decimal) -> str:
    """Euros as the report prints them in 1000 €: rounded half up, grouped with a no-break space."""
    whole = int((abs(euros) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return ("-" if euros < 0 and whole else "") + f"{whole:,}".replace(",", "\u00a0")


def page_row(page: str, unit: str, line: str) -> dict[str, str]:
    """The suggestion, range, budget and previous forecast cells of one unit × line row of the round's table."""
    row = re.search(rf'<tr data-unit="{unit}" data-line="{line}">(.*?)</tr>', page, re.S)
    assert row, f"no row {unit} / {line}"
    return {name: html.unescape(re.search(rf'<td class="num {name}">(.*?)</td>', row.group(1), re.S).group(1))
            for name in ("suggestion", "range", "budget", "previous")}


def sheet_row(period: str, suggestion: str, previous: str, unit: str, line: str, folder) -> dict[str, Decimal]:
    """The same row in the controllers' sheet that the CLI writes (`katsaus forecast sheet`)."""
    from openpyxl import load_workbook

    from katsaus.cli import app

    out = folder / "sheet.xlsx"
    result = CliRunner().invoke(app, ["forecast", "sheet", "--period", period, "--suggestion", suggestion,
                                      "--previous", previous, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out)["ennuste"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    found = next(dict(zip(header, r)) for r in rows[1:] if r[0] == unit and r[2] == line)
    return {key: Decimal(str(found[column])) for key, column in
            (("budget", "talousarvio"), ("suggestion", "ehdotus"), ("low", "ehdotus alaraja"),
             ("high", "ehdotus yläraja"), ("previous", "edellinen ennuste"))}


def test_a_line_shows_the_suggestion_its_range_the_budget_and_the_previous_forecast_as_the_cli_gives_them(
        county, tmp_path):
    from katsaus.services import forecasts

    forecasts.set_value("TPE 8/2025", "PESOVA-VP", "palvelujen_ostot", "Edellinen arvio.", Operator("kontrolleri"),
                        value="-40 123 456,78", period="2025-06")
    page = controller(county).get("/forecast/", {"suggestion": SUGGESTION, "forecast": "TPE 8/2025"}).content.decode()
    expected = sheet_row("2025-06", SUGGESTION, "TPE 8/2025", "PESOVA-VP", "palvelujen_ostot", tmp_path)
    shown = page_row(page, "PESOVA-VP", "palvelujen_ostot")
    assert expected["previous"] == Decimal("-40123456.78")
    assert shown == {"suggestion": thousands(expected["suggestion"]), "budget": thousands(expected["budget"]),
                     "previous": "-40\u00a0123",
                     "range": f"{thousands(expected['low'])} … {thousands(expected['high'])}"}
    assert "(1 000 €)" in page  # the template's unit, as the report's tables say


def test_the_rounds_budget_and_previous_forecast_add_up_to_the_published_reports_cells(county):
    """The forecast round shows unit × leaf line, which the report does not print; over the units that own
    figures, its budget and previous forecast of a leaf line add up to the organisation report's cells of that
    line (the assembly, services.reports.assemble) for the same budget and forecast versions: the round and the
    report read one state and cannot disagree."""
    from katsaus.services import forecasts
    from katsaus.services.reports import assemble

    report = assemble("2025-06").report
    table = report.table("tuloslaskelma_toimiala", report.unit_code)
    budget = next(column for column in table.columns if column.kind == "budget")
    forecast = next(column for column in table.columns if column.kind == "forecast")
    shown = forecasts.forecast_round(SUGGESTION, forecast.version, Operator("kontrolleri"))
    assert (shown.budget_name, shown.previous_name) == (budget.version, forecast.version)
    compared = 0
    for row in table.rows:
        lines = [line for line in shown.lines if line.line == row.line_code]
        if not lines:
            continue  # a sum line (the round has leaf lines only)
        assert sum(line.budget or 0 for line in lines) == row.cell(table.columns, budget.key).cents, row.line_code
        assert sum(line.previous or 0 for line in lines) == row.cell(table.columns, forecast.key).cents, row.line_code
        compared += bool(row.cell(table.columns, budget.key).cents) and bool(row.cell(table.columns, forecast.key).cents)
    assert compared >= 6, [row.line_code for row in table.rows]  # leaf lines with figures in both columns


def test_a_value_is_set_with_its_reason_by_the_acting_controller(county):
    from katsaus.store.forecasts import figure_map

    client = controller(county)
    response = client.post("/forecast/", {"value-version": "TPE 6/2025", "value-period": "2025-06",
                                          "value-unit": "PESOVA-VP",
                                          "value-line": "palvelujen_ostot", "value-value": "-41 000 000,00",
                                          "value-reason": "Asumispalvelujen ostot kasvavat syksyllä."})
    assert response.status_code == 302
    stored = figure_map("TPE 6/2025")[("PESOVA-VP", "palvelujen_ostot")]
    assert (stored.cents, stored.method, stored.reason, stored.entered_by) == (
        -4_100_000_000, "manual", "Asumispalvelujen ostot kasvavat syksyllä.", "kontrolleri")
    page = client.get("/forecast/", {"suggestion": SUGGESTION, "forecast": "TPE 6/2025"}).content.decode()
    assert page_row(page, "PESOVA-VP", "palvelujen_ostot")["previous"] == "-41\u00a0000"
    assert "kasvavat syksyllä" in page


def test_a_rows_set_link_fills_in_the_value_form(county):
    page = controller(county).get("/forecast/", {"suggestion": SUGGESTION, "forecast": "TPE 6/2025",
                                                 "unit": "PESOVA-VP", "line": "palvelujen_ostot"}).content.decode()
    for name, value in (("value-unit", "PESOVA-VP"), ("value-line", "palvelujen_ostot"),
                        ("value-version", "TPE 6/2025"), ("value-period", "2025-06")):
        assert re.search(rf'name="{name}"[^>]*value="{re.escape(value)}"', page), name


def test_a_reason_is_shown_escaped(county):
    client = controller(county)
    payload = '<script>alert("x")</script>'
    assert client.post("/forecast/", {"value-version": "TPE 7/2025", "value-period": "2025-06",
                                      "value-unit": "PESOVA-LS", "value-line": "palvelujen_ostot",
                                      "value-value": "-5,00", "value-reason": payload}).status_code == 302
    page = client.get("/forecast/", {"suggestion": SUGGESTION, "forecast": "TPE 7/2025"}).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_a_value_without_a_reason_is_refused_and_nothing_is_stored(county):
    from katsaus.store.forecasts import figure_map

    response = controller(county).post("/forecast/", {"value-version": "TPE 9/2025", "value-unit": "PESOVA-VP",
                                                      "value-line": "palvelujen_ostot", "value-value": "-1,00",
                                                      "value-reason": " "})
    assert response.status_code == 400
    assert figure_map("TPE 9/2025") == {}


def test_the_sheet_is_downloaded_and_a_bad_upload_lists_its_problem(county):
    from openpyxl import load_workbook

    client = controller(county)
    sheet = client.get("/forecast/sheet/", {"period": "2025-06", "suggestion": SUGGESTION})
    assert sheet.status_code == 200 and sheet["Content-Disposition"].endswith('.xlsx"')
    assert load_workbook(io.BytesIO(sheet.content)).sheetnames
    bad = SimpleUploadedFile("ennuste.xlsx", b"not a workbook", content_type="application/octet-stream")
    response = client.post("/forecast/", {"sheet-upload": "1", "sheet-version": "TPE 6/2025", "sheet-sheet": bad})
    assert response.status_code == 400
    assert "ennuste.xlsx" in response.content.decode() and "/tmp/" not in response.content.decode()


def test_only_a_controller_has_the_forecast_round(county):
    for name in ("johtaja", "ls-paallikko", "lukija"):
        client = Client()
        client.force_login(county[name].user)
        assert client.get("/forecast/").status_code == 403
        assert client.get("/forecast/sheet/", {"period": "2025-06", "suggestion": SUGGESTION}).status_code == 403
        assert client.post("/forecast/", {"value-version": "TPE 10/2025", "value-period": "2025-06",
                                          "value-unit": "PESOVA-VP", "value-line": "palvelujen_ostot",
                                          "value-value": "-1,00", "value-reason": "Ei saa."}).status_code == 403
    from katsaus.store.forecasts import figure_map

    assert figure_map("TPE 10/2025") == {}
