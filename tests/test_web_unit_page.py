"""A unit's page data (katsaus.services.units.unit_page, shown by katsaus.web.pages): the unit's tables as the CLI's
report prints them, and figures kept between requests only while nothing they are computed from changes."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from service_fixtures import load_demo
from typer.testing import CliRunner

pytestmark = [pytest.mark.db, pytest.mark.django_db]

PERIOD = "2025-06"
JUNE_LEDGER = "pvm;kustannuspaikka;tili;summa;tosite;selite\n5.6.2025;521000;400000;1234,56;P9;palkat\n"


@pytest.fixture
def county(db, tmp_path):
    load_demo(tmp_path)
    return tmp_path


def page_of(unit_code: str):
    """The unit's page in a round of the period, as the controller sees it."""
    from katsaus.services import rounds
    from katsaus.services.actors import Operator
    from katsaus.services.units import unit_page

    the_round = rounds.find_round(PERIOD) or rounds.open_round(PERIOD, date(2025, 8, 1), Operator("testi"))
    return unit_page(the_round, unit_code, Operator("testi"))


def statement_rows(unit_code: str, unit_name: str) -> dict[str, list[str]]:
    """The unit's operating statement on its page: line -> printed cells."""
    from katsaus.web import pages

    rows = {}
    for block in pages.figure_blocks(page_of(unit_code)):
        for table in block.tables:
            if table["css"] == "statement":
                rows.update({r["label"]: [cell for cell, _ in r["cells"]] for r in table["rows"]})
    return rows


def cli_rows(out, unit_name: str) -> dict[str, list[str]]:
    from katsaus.cli import app

    result = CliRunner().invoke(app, ["report", "--period", PERIOD, "--unit", "PESOVA", "--format", "csv",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = (out / "kayttotalous_tulosalue.csv").read_text(encoding="utf-8") if (
        out / "kayttotalous_tulosalue.csv").exists() else (out / "tuloslaskelma.csv").read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["unit"] == unit_name]
    return {r["line"]: [v for k, v in r.items() if k not in ("unit", "line", "level")] for r in rows}


def test_a_units_tables_are_the_cli_reports_and_follow_an_import(county):
    from katsaus.services import imports
    from katsaus.services.actors import Operator

    page = statement_rows("PESOVA-PK", "Perhekeskuspalvelut")
    printed = cli_rows(county / "before", "Perhekeskuspalvelut")
    assert len(set(printed) & set(page)) >= 5
    assert all(page[line] == cells[:len(page[line])] for line, cells in printed.items() if line in page)
    (county / "kesakuu.csv").write_text(JUNE_LEDGER, encoding="utf-8")
    imports.import_ledger([county / "kesakuu.csv"], None, False, Operator("testi"))
    after = statement_rows("PESOVA-PK", "Perhekeskuspalvelut")
    assert after != page  # the import is seen at once: nothing stale is kept
    printed = cli_rows(county / "after", "Perhekeskuspalvelut")
    assert len(set(printed) & set(after)) >= 5
    assert all(after[line] == cells[:len(after[line])] for line, cells in printed.items() if line in after)


def test_the_figures_are_computed_once_while_nothing_changes(county, monkeypatch):
    from katsaus.services import reports

    calls = []
    real = reports._assemble
    monkeypatch.setattr(reports, "_assemble", lambda *a: calls.append(a) or real(*a))
    page_of("PESOVA-PK")
    first = len(calls)
    page_of("PESOVA-PK")
    assert first >= 1 and len(calls) == first


def test_the_lines_needing_an_explanation_are_printed_as_the_units_table_prints_them(county):
    """Budget (mta) and forecast (tpe) as the unit's statement table prints them; the deviation is the table's own
    budget − forecast column (mta_minus_tpe) with the sign turned, forecast − budget."""
    from service_fixtures import run

    from katsaus.web import pages

    # the forecast's salaries 600 000 € against a budget of 12 000 €: 588 000 € more costs, over the demo
    # template's 3 % and 500 000 € on the costs, the operating margin and the result; the revenue stays as budgeted
    (county / "f.csv").write_text("yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-600000\n"
                                  "PESOVA-PK;maksutuotot;3000\n", encoding="utf-8")
    run("import", "forecast", county / "f.csv", "--version", "TPE II 2025")
    page = page_of("PESOVA-PK")
    table = statement_rows("PESOVA-PK", "Perhekeskuspalvelut")
    keys = [c.key for c in page.source.report.tables[0].columns]
    mta, tpe, difference = keys.index("mta"), keys.index("tpe"), keys.index("mta_minus_tpe")
    rows = [pages.deviation_row(page, d.deviation) for d in page.deviations]
    assert [(r["label"], r["budget"], r["forecast"], r["deviation"]) for r in rows] == [
        ("Toimintakulut", "-12", "-600", "-588"), ("Toimintakate", "-9", "-597", "-588"),
        ("Tilikauden tulos (ennen sisäisiä eriä)", "-9", "-597", "-588")]
    for r in rows:
        cells = table[r["label"]]
        assert (r["budget"], r["forecast"], r["deviation"]) == (cells[mta], cells[tpe], "-" + cells[difference])
