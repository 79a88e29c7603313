"""Writing the package: folder and zip hold the same bytes, CSV in the open-data form, all or nothing."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from test_render_opendata_package import META, ORG, SCHEME, SOURCE, report

from katsaus.core.errors import Note, Refused
from katsaus.render.messages import problem_line
from katsaus.render.opendata import build_package, write_datapackage


@pytest.fixture
def package():
    return build_package(report(), ORG, SCHEME, META, (), (SOURCE,))


def test_folder_and_zip_hold_the_same_files(package, tmp_path):
    folder, archive = write_datapackage(package, tmp_path / "p-datapackage")
    assert archive == tmp_path / "p-datapackage.zip"
    on_disk = {p.name: p.read_bytes() for p in folder.iterdir()}
    with zipfile.ZipFile(archive) as z:
        zipped = {name.split("/", 1)[1]: z.read(name) for name in z.namelist()}
        assert {name.split("/", 1)[0] for name in z.namelist()} == {"p-datapackage"}
    assert zipped == on_disk
    assert set(on_disk) == {"datapackage.json", "README.md"} | {f"{r.name}.csv" for r in package.resources}


def test_csv_is_utf8_comma_decimal_point_no_grouping(package, tmp_path):
    folder, _ = write_datapackage(package, tmp_path / "p")
    raw = (folder / "figures.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0]["amount_eur"] == "16776718.00"  # no thousands separator, two decimals
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in descriptor["resources"]] == [f"{r.name}.csv" for r in package.resources]


def test_a_folder_with_other_files_is_refused_and_left_as_it_was(package, tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "muistio.txt").write_text("someone's notes", encoding="utf-8")
    with pytest.raises(Refused) as caught:
        write_datapackage(package, folder)
    [problem] = caught.value.problems
    assert (problem.code, problem.file, problem.found) == ("opendata.folder_not_empty", str(folder), "muistio.txt")
    assert caught.value.outcome == Note("outcome.nothing_written")
    assert problem_line(problem, "fi", strip_prefix=str(tmp_path) + "/") == (
        "p: paketin kansiossa on muita tiedostoja (1 kpl); odotettiin tyhjä kansio tai aiempi paketti, "
        "löytyi 'muistio.txt'")
    assert [p.name for p in folder.iterdir()] == ["muistio.txt"]
    assert not (tmp_path / "p.zip").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["p"]  # no staging folder left behind


def test_a_file_where_the_folder_goes_and_a_folder_where_the_zip_goes_are_refused(package, tmp_path):
    (tmp_path / "p").write_text("not a folder", encoding="utf-8")
    (tmp_path / "p.zip").mkdir()
    with pytest.raises(Refused) as caught:
        write_datapackage(package, tmp_path / "p")
    assert [(p.code, p.file) for p in caught.value.problems] == [
        ("opendata.folder_is_file", str(tmp_path / "p")), ("opendata.zip_is_folder", str(tmp_path / "p.zip"))]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p", "p.zip"] and (tmp_path / "p").is_file()


def test_a_rerun_replaces_the_previous_package(package, tmp_path):
    folder, _ = write_datapackage(package, tmp_path / "p")
    (folder / "old_resource.csv").write_text("a\n1\n", encoding="utf-8")  # a resource an older version wrote
    write_datapackage(package, folder)
    assert not (folder / "old_resource.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p", "p.zip"]


def test_an_empty_existing_folder_is_used(package, tmp_path):
    (tmp_path / "p").mkdir()
    folder, _ = write_datapackage(package, tmp_path / "p")
    assert (folder / "datapackage.json").is_file()
    assert oct(folder.stat().st_mode & 0o777) == "0o755"


def test_json_rows_give_null_for_empty(package):
    from katsaus.render.opendata import resource_json

    row = next(r for r in resource_json(package, "figures") if r["line_code"] == "myynti" and r["column"] == "tot")
    assert row["amount_eur"] is None and row["version"] is None and row["unit_code"] == "TOIM"
    with pytest.raises(KeyError):
        resource_json(package, "nothing")


def test_the_readme_says_licence_status_and_every_field(package, tmp_path):
    folder, _ = write_datapackage(package, tmp_path / "p")
    text = (folder / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# Toimiala – Osavuosikatsaus 1–6/2025\n")
    assert "## Verksamhetsområde – Delårsrapport 1–6/2025" in text
    assert "(`CC-BY-4.0`)" in text and "approved 2025-08-19" in text
    for resource in package.resources:
        assert f"## {resource.name}.csv: " in text
        assert all(f"| `{f.name}` | {f.type} |" in text for f in resource.fields)


def test_a_package_with_findings_is_valid_for_frictionless(tmp_path):
    from frictionless import Package

    from katsaus.core.errors import Problem

    findings = (
        Problem("check.printed.cell_differs", {"file": "t.csv", "number": 3, "expected": "5 875"}, unit="TOIM",
                table="tuloslaskelma", row="Toimintatuotot", column="tot", found="5 876"),
        Problem("check.printed.file_unreadable", severity="warning", found="/tmp/ei ole.csv"),
    )
    folder, _ = write_datapackage(build_package(report(), ORG, SCHEME, META, findings, (SOURCE,)), tmp_path / "p")
    result = Package(str(folder / "datapackage.json")).validate()
    assert result.valid, [e.message for task in result.tasks for e in task.errors][:5]
    rows = list(csv.DictReader(io.StringIO((folder / "check_findings.csv").read_text(encoding="utf-8"))))
    assert [(r["number"], r["code"], r["rule"], r["severity"]) for r in rows] == [
        ("1", "check.printed.cell_differs", "printed", "error"), ("2", "check.printed.file_unreadable", "printed", "warning")]
    assert rows[1]["message_sv"] == "den tryckta tabellens fil kan inte läsas" and rows[1]["found"] == "/tmp/ei ole.csv"
