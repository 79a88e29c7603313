"""One report: what a unit's page shows — its tables and its check findings — is what the report published from the
same state says for that unit, and the round page counts the same findings. The published files are read back as
they were frozen (the HTML page's tables, the open-data package's check_findings.csv), independently of the page's
own code: the test parses both HTML documents itself."""

from __future__ import annotations

import csv
import io
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client
from web_fixtures import PASSWORD

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.slow]

UNIT, UNIT_NAME = "PESOVA-LS", "Lasten, nuorten ja perheiden sosiaalipalvelut"


class Tables(HTMLParser):
    """Every table of a page, named by its caption's id (the report's table number, "taulukko-3-caption"), as its
    rows of cell texts (whitespace collapsed); and the code and severity of every finding listed."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.codes: list[str] = []
        self.severities: list[str] = []
        self._table: str | None = None
        self._depth = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "li" and found.get("data-code") and "finding-" in (found.get("class") or ""):
            self.codes.append(str(found["data-code"]))
            self.severities.append(str(found["class"]).removeprefix("finding-"))
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self._table = found.get("id") or f"table-{len(self.tables)}"
                self.tables[self._table] = []
        elif tag == "caption" and self._table and found.get("id"):
            self.tables[str(found["id"])] = self.tables.pop(self._table)
            self._table = str(found["id"])
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._depth -= 1
            if self._depth == 0:
                self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parsed(html: str) -> Tables:
    tables = Tables()
    tables.feed(html)
    return tables


def published_file(world, name_part: str) -> bytes:  # noqa: F811
    from katsaus.store.models import PublishedFile

    found = PublishedFile.objects.filter(report__key=world.published_key, name__contains=name_part).order_by("id")
    assert found.exists(), name_part
    return bytes(found.first().content)


@pytest.fixture
def controller(world) -> Client:  # noqa: F811
    client = Client()
    assert client.login(username="kontrolleri", password=PASSWORD)
    return client


def test_a_units_page_shows_the_published_reports_tables_of_the_unit(world, controller):  # noqa: F811
    page = parsed(controller.get(f"/rounds/{world.published.pk}/units/{UNIT}/").content.decode())
    published = parsed(published_file(world, ".html").decode())
    shown = {key: rows for key, rows in page.tables.items() if key in published.tables and not key.startswith("table-")}
    assert len(shown) >= 2  # the unit's statement and its other tables are on the page
    for key, rows in shown.items():
        assert rows == published.tables[key], key


def test_a_units_page_shows_the_published_reports_findings_of_the_unit(world, controller):  # noqa: F811
    page = parsed(controller.get(f"/rounds/{world.published.pk}/units/{UNIT}/").content.decode())
    rows = list(csv.DictReader(io.StringIO(published_file(world, "check_findings.csv").decode("utf-8"))))
    published = Counter(r["code"] for r in rows if r["unit_code"] in (UNIT, UNIT_NAME))
    assert published  # the demo's report has findings about the unit (else this test could not fail)
    assert Counter(page.codes) == published


def test_the_round_page_counts_the_findings_the_units_page_shows(world, controller):  # noqa: F811
    page = parsed(controller.get(f"/rounds/{world.published.pk}/units/{UNIT}/").content.decode())
    round_page = controller.get(f"/rounds/{world.published.pk}/").content.decode()
    progress = parsed(round_page).tables
    row = next(r for rows in progress.values() for r in rows if r and r[0].startswith(UNIT))
    severities = Counter(page.severities)
    assert row[2:4] == [str(severities["error"]), str(severities["warning"])]
