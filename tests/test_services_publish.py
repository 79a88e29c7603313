"""Publishing: the files written once and kept with their SHA-256 under a stable key, readable by the right
people, a round that must be approved, and — after publishing — every change that would alter the published
report refused, naming it, until a correction is published as a new version that keeps the old one."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from service_fixtures import add_people, load_demo
from typer.testing import CliRunner

from katsaus.services.actors import Anonymous

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.slow]
KEY = "omahame/osavuosikatsaus/2025-06"


def run(*args):
    from katsaus.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def people(db, tmp_path):
    load_demo(tmp_path)
    return add_people()


def ledger(tmp_path, name: str, day: str, amount: str):
    path = tmp_path / name
    path.write_text(f"pvm;kustannuspaikka;tili;summa;tosite;selite\n{day};521000;400000;{amount};P9;x\n", encoding="utf-8")
    return path


def test_publish_freeze_refuse_and_correct(people, tmp_path):
    from katsaus.core.errors import Refused
    from katsaus.services import content, publish
    from katsaus.services.errors import NotAllowed, NotFound, PublishedPeriodLocked

    with pytest.raises(NotAllowed):
        publish.publish_report(people["johtaja"], period="2025-06")
    first = publish.publish_report(people["kontrolleri"], period="2025-06")
    assert (first.key, first.version, first.public) == (KEY, 1, False)
    assert sorted({f[0] for f in first.files}) == ["csv", "docx", "html", "json", "md", "pdf", "xlsx", "zip"]
    before = {name: sha for _, name, sha, _ in first.files}
    assert all(stored_sha(name, 1, people) == sha for name, sha in before.items())
    stored = publish.published_file(KEY, "pdf", people["lukija"])
    assert stored.content[:5] == b"%PDF-" and stored.sha256 == hashlib.sha256(bytes(stored.content)).hexdigest()
    figures = publish.published_file(KEY, "tuloslaskelma-luvut.csv", people["lukija"])
    assert bytes(figures.content).decode("utf-8").startswith("unit_code,unit,line_code,line,level,")

    # readers and every role read it; someone not logged in does not, and is not told it exists
    assert [p.key for p in publish.list_published(people["lukija"])] == [KEY]
    with pytest.raises(NotFound):
        publish.get_published(KEY, Anonymous())

    # a ledger of a month in the period alters its figures: refused, naming the report, nothing stored
    refused = run("import", "ledger", ledger(tmp_path, "maalis.csv", "5.3.2025", "700,00"))
    assert refused.exit_code == 1 and "[published.locked]" in refused.output and f"{KEY} versio 1" in refused.output
    from katsaus.store.models import ImportBatch

    assert not ImportBatch.objects.filter(file_name="maalis.csv").exists()
    # a text of the report: refused too
    start = content.current_narrative("PESOVA-PK", "2025-06", "katsaus")
    with pytest.raises(PublishedPeriodLocked) as locked:
        content.save_narrative("PESOVA-PK", "2025-06", "katsaus", "Muutettu.", start.version, people["kontrolleri"])
    assert locked.value.reports == [(KEY, 1)] and locked.value.status == 409
    assert content.current_narrative("PESOVA-PK", "2025-06", "katsaus").markdown == start.markdown
    # a ledger of a later month does not alter the report of 1–6: stored
    assert run("import", "ledger", ledger(tmp_path, "syys.csv", "5.9.2025", "700,00")).exit_code == 0

    # a correction: the change is made knowingly, the new version says what it corrects, the old one stays
    assert run("import", "ledger", ledger(tmp_path, "maalis.csv", "5.3.2025", "700,00"), "--correction").exit_code == 0
    with pytest.raises(Refused):
        publish.publish_report(people["kontrolleri"], period="2025-06")  # a second version needs its note
    second = publish.publish_report(people["kontrolleri"], period="2025-06", public=True,
                                    correction_note="maaliskuun palkat puuttuivat")
    assert second.version == 2 and "korvaa version 1" in second.correction_note
    assert publish.get_published(KEY, Anonymous()).version == 2                # public now
    assert publish.get_published(KEY, people["lukija"], version=1).version == 1  # the old version kept
    old = publish.published_file(KEY, "tuloslaskelma-luvut.csv", people["lukija"], version=1)
    new = publish.published_file(KEY, "tuloslaskelma-luvut.csv", people["lukija"], version=2)
    assert old.sha256 != new.sha256

    # the correction says so inside its documents; the first version's files are byte for byte as they were
    note = "maaliskuun palkat puuttuivat"
    assert all(stored_sha(name, 1, people) == sha for name, sha in before.items())
    assert "Korjaus" not in document_text(KEY, "html", 1, people)
    for format_ in ("html", "docx", "xlsx", "pdf"):
        said = document_text(KEY, format_, 2, people)
        assert "Korjattu versio 2, korvaa version 1" in said and note in said, format_
    assert document_text(KEY, "docx", 2, people).count(note) == 2  # the title page and the colophon


def stored_sha(name: str, version: int, people) -> str:
    """The SHA-256 of a published file's bytes as stored now, computed here rather than read from its record."""
    from katsaus.services import publish

    return hashlib.sha256(bytes(publish.published_file(KEY, name, people["lukija"], version=version).content)).hexdigest()


def document_text(key: str, format_: str, version: int, people) -> str:
    """A published document's text as a reader's tools see it (pdftotext, python-docx, the xlsx's XML)."""
    import io
    import subprocess
    import zipfile

    from docx import Document

    from katsaus.services import publish

    data = bytes(publish.published_file(key, format_, people["lukija"], version=version).content)
    if format_ == "html":
        return data.decode("utf-8")
    if format_ == "pdf":
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    if format_ == "docx":
        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    with zipfile.ZipFile(io.BytesIO(data)) as book:  # xlsx: its strings
        return book.read("xl/sharedStrings.xml").decode("utf-8")


def test_the_open_data_package_is_published_with_the_report(people):
    """The package's zip, and below data/ its datapackage.json, README.md and CSV files and every resource as
    JSON, each with its SHA-256; the files are the zip's, the JSON rows its CSV rows (an empty field null), and
    the package says approved on the day of publishing."""
    import csv
    import io
    import json
    import zipfile

    from django.utils import timezone

    from katsaus.services import publish

    published = publish.publish_report(people["kontrolleri"], period="2025-06")
    names = {name: (format_, sha) for format_, name, sha, _ in published.files}
    archive_name = "osavuosikatsaus-1-6-2025-datapackage.zip"
    assert names[archive_name][0] == "zip" and names["data/datapackage.json"][0] == "json"
    stored = {name: bytes(publish.published_file(KEY, name, people["lukija"]).content) for name in names}
    assert all(hashlib.sha256(stored[name]).hexdigest() == sha for name, (_, sha) in names.items())

    descriptor = json.loads(stored["data/datapackage.json"])
    assert descriptor["report"]["status"] == "approved"
    assert descriptor["report"]["approved"] == timezone.localdate().isoformat()
    with zipfile.ZipFile(io.BytesIO(stored[archive_name])) as archive:
        root = archive_name.removesuffix(".zip")
        assert json.loads(archive.read(f"{root}/datapackage.json")) == descriptor
        resources = [r["name"] for r in descriptor["resources"]]
        assert {"units", "lines", "figures", "goals", "key_results", "sources"} <= set(resources)
        for resource in descriptor["resources"]:
            table = archive.read(f"{root}/{resource['path']}")
            assert stored[f"data/{resource['path']}"] == table  # the CSV beside its descriptor, as in the zip
            rows = list(csv.DictReader(io.StringIO(table.decode("utf-8"))))
            expected = [{k: (v if v != "" else None) for k, v in row.items()} for row in rows]
            assert json.loads(stored[f"data/{resource['name']}.json"]) == expected, resource["name"]


def test_a_round_must_be_approved_before_it_is_published(people):
    from katsaus.services import publish, rounds
    from katsaus.services.errors import Conflict, Term

    june = rounds.open_round("2025-06", date(2025, 7, 31), people["kontrolleri"], units=["PESOVA-PK"])
    with pytest.raises(Conflict) as refused:
        publish.publish_report(people["kontrolleri"], the_round=june)
    (problem,) = refused.value.problems
    assert (problem.code, problem.unit, problem.params["status"]) == (
        "publish.unit_not_approved", "PESOVA-PK", Term("status.not_started"))
    assert run("publish", "--period", "2025-06").exit_code == 1


def test_a_correction_is_worded_in_the_documents_language():
    from types import SimpleNamespace

    from katsaus.services.publish import document_correction

    second = SimpleNamespace(version=2)
    assert document_correction(None, "ei mitään", "fi") == ""  # a first version is no correction
    assert document_correction(second, " palkat puuttuivat ", "fi") == "Korjattu versio 3, korvaa version 2: palkat puuttuivat"
    assert document_correction(second, "lönerna saknades", "sv") == "Rättad version 3, ersätter version 2: lönerna saknades"
