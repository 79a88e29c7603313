"""The package as a CKAN dataset dict: title, notes, licence and resources, with no network."""

from __future__ import annotations

import hashlib
import json

import pytest
from test_render_opendata_package import META, ORG, SCHEME, SOURCE, report

from katsaus.render.opendata import PackageMeta, build_package, write_datapackage
from katsaus.render.opendata.ckan import AVOINDATA_LICENCES, NAME_RULE, ckan_dataset


@pytest.fixture
def package():
    return build_package(report(), ORG, SCHEME, META, (), (SOURCE,))


def test_title_notes_and_licence(package):
    dataset = ckan_dataset(package)
    assert dataset["name"] == "osavuosikatsaus-1-6-2025" and NAME_RULE.fullmatch(dataset["name"])
    assert dataset["title"] == "Toimiala – Osavuosikatsaus 1–6/2025"
    assert dataset["notes"].startswith("Hyvinvointialue: osavuosikatsaus 1–6/2025, Toimiala.")
    assert "**Verksamhetsområde – Delårsrapport 1–6/2025**" in dataset["notes"]  # the Swedish description follows
    assert dataset["license_id"] == "cc-by"
    assert ckan_dataset(package, licences=AVOINDATA_LICENCES)["license_id"] == "cc-by-4.0"
    extras = {e["key"]: e["value"] for e in dataset["extras"]}
    assert extras["report_status"] == "approved" and extras["approved"] == "2025-08-19"
    assert "owner_org" not in dataset and ckan_dataset(package, owner_org="hva")["owner_org"] == "hva"


def test_another_licence_maps_to_its_ckan_id():
    package = build_package(report(), ORG, SCHEME, PackageMeta("p-1", licence="CC0-1.0"))
    assert ckan_dataset(package)["license_id"] == "cc-zero"


def test_every_file_is_a_resource_with_the_written_files_checksum_and_size(package, tmp_path):
    dataset = ckan_dataset(package, base_url="https://example.fi/raportit/2025-06/data/")
    folder, _ = write_datapackage(package, tmp_path / "p")
    by_url = {r["url"]: r for r in dataset["resources"]}
    assert set(by_url) == {f"https://example.fi/raportit/2025-06/data/{p.name}" for p in folder.iterdir()}
    for path in folder.iterdir():
        resource = by_url[f"https://example.fi/raportit/2025-06/data/{path.name}"]
        content = path.read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
        assert resource["size"] == len(content)
    figures = by_url["https://example.fi/raportit/2025-06/data/figures.csv"]
    assert figures["format"] == "CSV" and json.loads(figures["schema"])["primaryKey"] == ["unit_code", "line_code", "column"]


def test_without_a_base_url_the_resources_name_their_files(package):
    urls = [r["url"] for r in ckan_dataset(package)["resources"]]
    assert urls[0] == "datapackage.json" and "units.csv" in urls


def test_the_dataset_is_plain_json(package):
    dataset = ckan_dataset(package)
    assert json.loads(json.dumps(dataset)) == dataset
