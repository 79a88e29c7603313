"""The forecast round in the browser (katsaus.web.forecast_page, views.forecast): the suggestion beside the
controllers' forecast, one value set with its reason, the sheet downloaded and a bad upload refused, all through
the services the CLI's `forecast` commands use."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from service_fixtures import add_people
from web_fixtures import load_demo_county

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.slow]

SUGGESTION = "TPE 6/2025 ehdotus"


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.core.management import call_command

    from katsaus.services import forecasts

    with django_db_blocker.unblock():
        try:
            load_demo_county(tmp_path_factory.mktemp("forecast-demo"))
            forecasts.suggest("2025-06", SUGGESTION, "web-test")
            yield add_people()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def controller(people) -> Client:
    client = Client()
    client.force_login(people["kontrolleri"])
    return client


def test_the_suggestion_is_shown_beside_the_forecast_and_a_value_is_set_with_its_reason(county):
    from katsaus.store.forecasts import figure_map

    client = controller(county)
    suggested = figure_map(SUGGESTION)[("PESOVA-VP", "palvelujen_ostot")]
    response = client.post("/forecast/", {"value-version": "TPE 6/2025", "value-period": "2025-06",
                                          "value-unit": "PESOVA-VP",
                                          "value-line": "palvelujen_ostot", "value-value": "-41 000 000,00",
                                          "value-reason": "Asumispalvelujen ostot kasvavat syksyllä."})
    assert response.status_code == 302
    stored = figure_map("TPE 6/2025")[("PESOVA-VP", "palvelujen_ostot")]
    assert (stored.cents, stored.method, stored.reason) == (-4_100_000_000, "manual",
                                                            "Asumispalvelujen ostot kasvavat syksyllä.")
    page = client.get("/forecast/", {"suggestion": SUGGESTION, "forecast": "TPE 6/2025"}).content.decode()
    whole, cents = divmod(abs(suggested.cents), 100)
    assert f"-{whole},{cents:02d}" in page and "-41000000,00" in page and "kasvavat syksyllä" in page


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
        client.force_login(county[name])
        assert client.get("/forecast/").status_code == 403
        assert client.get("/forecast/sheet/", {"period": "2025-06", "suggestion": SUGGESTION}).status_code == 403
