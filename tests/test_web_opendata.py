"""The published open-data package in the web application (katsaus.web.views.report_data, report_file): each
resource's JSON rows at the report's stable address and at its version's, the package's zip and datapackage.json
beside the documents, for every role and without login.

The expected answers are written out by hand from issues 11 and 16 (section 3): a public report's data is
readable by everyone, without login too; a report for readers only by readers and every role, never by a visitor
without login (404: its existence is not told); nothing of an unpublished period (the draft round's, or one with
no round at all) by anyone."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from test_web_views import ROLES, client_of, row
from web_fixtures import DRAFT, PUBLIC, PUBLISHED

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.slow]

NOBODY = row(404, 404, 404, 404, 404, 404, 404)
READERS = row(404, 200, 200, 200, 200, 200, 200)
EVERYONE = row(200, 200, 200, 200, 200, 200, 200)
DRAFT_REPORT = f"/r/omahame/osavuosikatsaus/{DRAFT}/"


def package_zip(period: str) -> str:
    year, month = period.split("-")
    return f"osavuosikatsaus-1-{int(month)}-{year}-datapackage.zip"


#            anonymous lukija ls-pääll pk-pääll ls-joht johtaja kontrolleri
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "readers' report: a resource at the stable address": ("/r/{published}/data/figures.json", READERS),
    "readers' report: a resource at the version's address": ("/r/{published}/v1/data/units.json", READERS),
    "readers' report: datapackage.json": ("/r/{published}/v1/data/datapackage.json", READERS),
    "readers' report: a resource's CSV": ("/r/{published}/data/figures.csv", READERS),
    "readers' report: the package's zip": ("/r/{published}/v1/" + package_zip(PUBLISHED), READERS),
    "public report: a resource at the stable address": ("/r/{public}/data/figures.json", EVERYONE),
    "public report: a resource at the version's address": ("/r/{public}/v1/data/key_results.json", EVERYONE),
    "public report: datapackage.json": ("/r/{public}/data/datapackage.json", EVERYONE),
    "public report: a resource's CSV": ("/r/{public}/v1/data/units.csv", EVERYONE),
    "public report: the package's zip": ("/r/{public}/v1/" + package_zip(PUBLIC), EVERYONE),
    "public report: no such resource": ("/r/{public}/data/salaiset.json", NOBODY),
    "public report: no such version": ("/r/{public}/v2/data/figures.json", NOBODY),
    "draft round: a resource at the stable address": (DRAFT_REPORT + "data/figures.json", NOBODY),
    "draft round: a resource at a version's address": (DRAFT_REPORT + "v1/data/figures.json", NOBODY),
    "draft round: datapackage.json": (DRAFT_REPORT + "data/datapackage.json", NOBODY),
    "draft round: the package's zip": (DRAFT_REPORT + "v1/" + package_zip(DRAFT), NOBODY),
    "no report at all": ("/r/omahame/osavuosikatsaus/2024-12/data/figures.json", NOBODY),
}


def fill(address: str, world) -> str:
    return address.format(published=world.published_key, public=world.public_key)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_who_reads_the_published_data(world, name, role):
    address, expected = MATRIX[name]
    response = client_of(world, role).get(fill(address, world))
    assert response.status_code == expected[role], (name, role)


def test_a_resource_is_served_as_frozen_json(world):
    """The bytes served are the stored ones (their SHA-256 in the header and on the page), JSON rows whose
    columns are the resource's Table Schema fields in datapackage.json."""
    from katsaus.store.models import PublishedFile

    client = client_of(world, "anonymous")
    response = client.get(f"/r/{world.public_key}/data/figures.json")
    stored = PublishedFile.objects.get(report__key=world.public_key, report__version=1, name="data/figures.json")
    assert response["Content-Type"] == "application/json"
    assert hashlib.sha256(response.content).hexdigest() == stored.sha256 == response["X-Content-SHA256"]
    rows = json.loads(response.content)
    descriptor = json.loads(client.get(f"/r/{world.public_key}/v1/data/datapackage.json").content)
    schema = next(r["schema"] for r in descriptor["resources"] if r["name"] == "figures")
    assert rows and all(list(r) == [f["name"] for f in schema["fields"]] for r in rows)
    assert descriptor["report"]["status"] == "approved" and descriptor["report"]["period_end"].startswith(PUBLIC)


def test_the_descriptors_paths_resolve_at_its_published_address(world):
    """A data user gives a tool the address of datapackage.json (the stable one or a version's): each resource's
    relative path answers there, with the same CSV file as the package's zip holds."""
    import io
    import zipfile
    from urllib.parse import urljoin

    client = client_of(world, "anonymous")
    for base in (f"/r/{world.public_key}/data/datapackage.json", f"/r/{world.public_key}/v1/data/datapackage.json"):
        descriptor = json.loads(client.get(base).content)
        archive = zipfile.ZipFile(io.BytesIO(client.get(f"/r/{world.public_key}/v1/{package_zip(PUBLIC)}").content))
        root = package_zip(PUBLIC).removesuffix(".zip")
        for resource in descriptor["resources"]:
            response = client.get(urljoin(base, resource["path"]))
            assert response.status_code == 200 and response.content == archive.read(f"{root}/{resource['path']}")


def test_the_report_page_lists_the_package_with_working_addresses(world):
    """Beside the PDF, Word and Excel: the zip, datapackage.json and every resource's JSON, each with its
    SHA-256, each link answering with exactly those bytes."""
    from katsaus.store.models import PublishedFile

    client = client_of(world, "anonymous")
    page = client.get(f"/r/{world.public_key}/").content.decode()
    data = PublishedFile.objects.filter(report__key=world.public_key, name__regex=r"^data/|\.zip$")
    assert data.filter(name__startswith="data/").count() >= 8
    for stored in data:
        link = re.search(rf'<a href="([^"]+)">{re.escape(stored.name)}</a>', page)
        assert link and stored.sha256 in page, stored.name
        assert hashlib.sha256(client.get(link.group(1)).content).hexdigest() == stored.sha256, stored.name
