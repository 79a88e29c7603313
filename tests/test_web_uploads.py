"""The controller's upload page (katsaus.services.uploads, views.upload): the CLI's validation in the browser. Every
problem of every file is listed with its file, row and column; nothing is stored unless all is valid."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from service_fixtures import add_people, load_demo

pytestmark = [pytest.mark.db, pytest.mark.django_db]

HEADER = "pvm;kustannuspaikka;tili;summa;tosite;selite\n"
GOOD = HEADER + "5.2.2025;521000;400000;1000,00;P1;palkat\n"
# row 2: no such day; row 3: not an amount; row 4: a cost centre the organisation does not have
BAD = HEADER + "31.2.2025;521000;400000;10,00;P1;x\n5.2.2025;521000;400000;kymmenen;P2;x\n5.2.2025;999999;400000;1,00;P3;x\n"
BUDGET = "yksikkö;rivi;summa\nPESOVA-LS;palvelujen_ostot;-2400\n"


@pytest.fixture
def people(db, tmp_path):
    load_demo(tmp_path)
    return add_people()


def as_controller(people) -> Client:
    client = Client()
    client.force_login(people["kontrolleri"].user)
    return client


def csv_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def batches() -> int:
    from katsaus.store.models import ImportBatch

    return ImportBatch.objects.count()


def problem_rows(html: str) -> list[list[str]]:
    body = html.split('id="problems-caption"')[1].split("</tbody>")[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_every_problem_of_a_ledger_is_listed_and_nothing_is_stored(people):
    before = batches()
    response = as_controller(people).post("/upload/", {"kind": "ledger", "files": [csv_file("kirjanpito-2.csv", BAD)]})
    assert response.status_code == 400
    rows = problem_rows(response.content.decode())
    assert {(r[0], r[2]) for r in rows} >= {("kirjanpito-2.csv", "2"), ("kirjanpito-2.csv", "3"), ("kirjanpito-2.csv", "4")}
    assert all(not r[0].startswith("/") for r in rows)  # the file's own name, not the server's temporary path
    assert batches() == before


def test_a_good_file_beside_a_bad_one_is_not_stored_either(people):
    before = batches()
    response = as_controller(people).post("/upload/", {"kind": "ledger", "files": [
        csv_file("kirjanpito-2.csv", GOOD), csv_file("kirjanpito-3.csv", BAD.replace("2.2025", "3.2025"))]})
    assert response.status_code == 400
    assert batches() == before


def test_a_valid_budget_is_imported_under_its_version(people):
    from katsaus.store.models import PlanAmount

    response = as_controller(people).post("/upload/", {"kind": "budget", "version": "TA 2026", "files": [
        csv_file("ta-2026.csv", BUDGET)]})
    assert response.status_code == 302
    amounts = PlanAmount.objects.filter(version__name="TA 2026")
    assert [(a.unit_code, a.line_code, a.cents) for a in amounts] == [("PESOVA-LS", "palvelujen_ostot", -240000)]


def test_a_budget_needs_a_version_and_the_error_is_tied_to_its_field(people):
    response = as_controller(people).post("/upload/", {"kind": "budget", "files": [csv_file("ta.csv", BUDGET)]})
    assert response.status_code == 400
    assert re.search(r'<input[^>]*name="version"[^>]*aria-describedby="id_version_help id_version_errors"',
                     response.content.decode())


def test_a_file_name_is_shown_escaped_and_stored_without_a_folder(people):
    name = "..\\<img src=x onerror=alert(1)>.csv"
    response = as_controller(people).post("/upload/", {"kind": "ledger", "files": [csv_file(name, BAD)]})
    html = response.content.decode()
    assert "<img src=x" not in html
    assert "_img src_x onerror_alert_1_.csv" in [row[0] for row in problem_rows(html)]


def test_only_a_controller_may_upload(people):
    for name in ("ls-paallikko", "johtaja", "lukija"):
        client = Client()
        client.force_login(people[name].user)
        assert client.get("/upload/").status_code == 403
        assert client.post("/upload/", {"kind": "ledger", "files": [csv_file("k.csv", GOOD)]}).status_code == 403
