"""The demo's and the Jyväskylä example's open-data packages: valid for the Frictionless framework, and the same
numbers as the printed model report.

The printed cells come from the reference transcription of the model report (reference/tables), not from the
code. The package's figures are rounded here as the demo template says (configs/demo/template.toml: 1000 €, half
up, one-decimal percentages, "0,0 %" on a zero base, blank when there are no entries) with this file's own
Decimal arithmetic, and the ratio and difference columns are computed from them here.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tomllib
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from doc_tools import REFERENCE, ROOT, demo_documents, jyvaskyla_example, run_katsaus
from frictionless import Package

PACKAGE = "osavuosikatsaus-1-6-2025-datapackage"
TEMPLATE = tomllib.loads((ROOT / "configs" / "demo" / "template.toml").read_text(encoding="utf-8"))["template"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return demo_documents(tmp_path_factory)


@pytest.fixture(scope="module")
def folder(demo) -> Path:
    return demo / PACKAGE


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE / "tables" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def frictionless_errors(folder: Path) -> list[str]:
    report = Package(str(folder / "datapackage.json")).validate()
    return [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors] + [
        e.message for e in report.errors]


# --- validity -----------------------------------------------------------------------------------------------------


def test_the_demo_package_is_valid(folder):
    assert frictionless_errors(folder) == []


def test_frictionless_validate_on_the_command_line_reports_no_error(folder):
    tool = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(tool), "validate", "--json", "datapackage.json"], cwd=folder, capture_output=True,
                            text=True, timeout=300)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"] is True, result.stdout[-2000:]


def test_the_demo_zip_is_valid_too(demo, tmp_path):
    import zipfile

    with zipfile.ZipFile(demo / f"{PACKAGE}.zip") as archive:
        archive.extractall(tmp_path)
    assert frictionless_errors(tmp_path / PACKAGE) == []


def test_the_demo_package_lists_every_import_with_its_sha256(folder, demo):
    import hashlib

    sources = read(folder, "sources")
    data = demo / "demo-data"
    for source in sources:
        path = next(data.rglob(source["file_name"]), None)
        assert path is not None, source["file_name"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == source["sha256"]
    assert {s["kind"] for s in sources} == {"ledger", "budget", "forecast"}


def test_the_demo_findings_have_codes_rules_and_messages_in_both_languages(folder):
    from katsaus.core.errors import SEVERITIES
    from katsaus.render.messages import catalogue

    findings = read(folder, "check_findings")
    assert findings, "the demo report has findings (at least the rounding-only notes)"
    for finding in findings:
        assert finding["code"] in catalogue() and finding["code"].startswith(f"check.{finding['rule']}.")
        assert finding["severity"] in SEVERITIES and finding["message_fi"] and finding["message_sv"]
    assert any(f["message_fi"] != f["message_sv"] for f in findings)  # two languages, not one written twice
    assert [f["number"] for f in findings] == [str(n) for n in range(1, len(findings) + 1)]


@pytest.fixture(scope="module")
def jyvaskyla(tmp_path_factory) -> Path:
    return jyvaskyla_example(tmp_path_factory) / "jkl-toteumavertailu-1-12-2011-datapackage"


def test_the_jyvaskyla_package_is_valid_and_holds_the_city_and_its_units(jyvaskyla):
    assert frictionless_errors(jyvaskyla) == []
    units = read(jyvaskyla, "units")
    assert len([u for u in units if u["in_report"] == "true"]) == 12  # the city and its 11 Taso 03 units
    source = REFERENCE / "public" / "jyvaskyla-2011-talousarvio-ja-toteuma-tileittain.csv"
    import hashlib

    assert {s["sha256"] for s in read(jyvaskyla, "sources")} == {hashlib.sha256(source.read_bytes()).hexdigest()}


def test_the_jyvaskyla_actual_equals_the_raw_files_sum(jyvaskyla):
    """The city's Toimintakate actual, summed here from the raw file (external items, statement sign)."""
    source = REFERENCE / "public" / "jyvaskyla-2011-talousarvio-ja-toteuma-tileittain.csv"
    total = Decimal(0)
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["Tilinumero Taso 0 - Avain - Category Code"].removeprefix("TILI/").startswith("9"):
                total -= Decimal(row["Toteuma eur"].replace("\u00a0", "").replace(" ", "").replace(",", "."))
    figures = read(jyvaskyla, "figures")
    city = next(f for f in figures if f["unit_code"] == "JKL" and f["line_code"] == "toimintakate" and f["measure"] == "actual")
    assert Decimal(city["amount_eur"]) == total


# --- the printed report from the package's figures ------------------------------------------------------------------


def rounded(value: Decimal, places: int = 0) -> Decimal:
    assert TEMPLATE["rounding"] == "half_up"
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def thousands(euros: Decimal | None, unit: int = TEMPLATE["amount_unit"]) -> str:
    if euros is None:
        return ""  # empty = "blank"
    number = int(rounded(euros / unit)) or 0
    return f"{number:,}".replace(",", " ")


def percent(numerator: Decimal | None, denominator: Decimal | None, places: int = TEMPLATE["percent_decimals"]) -> str:
    if not denominator:
        return f"{Decimal(0):.{places}f}".replace(".", ",") + " %" if TEMPLATE["zero_base"] == "zero" else ""
    if numerator is None:
        return ""
    value = rounded(numerator / denominator * 100, places)
    return f"{value:.{places}f}".replace(".", ",").replace("-0,0", "0,0") + " %"


def statement_rows(folder: Path) -> list[list[str]]:
    """Every printed row of the income-statement tables, from the package: unit, line, level and the six cells."""
    names = {u["unit_code"]: u["name_fi"] for u in read(folder, "units")}
    lines = {line["line_code"]: line for line in read(folder, "lines")}
    figures: dict[str, dict[str, dict[str, Decimal | None]]] = defaultdict(dict)
    for f in read(folder, "figures"):
        if f["column"] in ("mta", "tot", "tpe"):
            amount = Decimal(f["amount_eur"]) if f["amount_eur"] else None
            figures[f["unit_code"]].setdefault(f["line_code"], {})[f["column"]] = amount
    out = []
    for unit, by_line in figures.items():
        for line, amounts in by_line.items():
            mta, tot, tpe = amounts["mta"], amounts["tot"], amounts["tpe"]
            difference = None if mta is None or tpe is None else mta - tpe
            out.append([names[unit], lines[line]["name_fi"], lines[line]["level"], thousands(mta), thousands(tot),
                        percent(tot, mta), thousands(tpe), percent(tpe, mta), thousands(difference)])
    return out


def test_every_printed_income_statement_cell_comes_from_the_package(folder):
    expected = [[spaces(v) for v in row.values()] for row in reference("tuloslaskelma.csv")]
    got = statement_rows(folder)
    assert len(got) == len(expected) == 51
    # a child unit's table prints the last line with the template's own label (its name + "(ennen sisäisiä eriä)")
    labels = [(e[1] == g[1] or e[1].startswith(g[1] + " (")) for e, g in zip(expected, got)]
    assert all(labels), [e[1] for e, ok in zip(expected, labels) if not ok]
    assert [e[:1] + e[2:] for e in expected] == [g[:1] + g[2:] for g in got]


def test_the_balancing_table_comes_from_the_package(folder):
    measures = read(folder, "balancing_measures")
    amounts = [{k: Decimal(m[k]) for k in ("target_eur", "actual_eur", "forecast_eur")} for m in measures]
    total = {k: sum(a[k] for a in amounts) for k in ("target_eur", "actual_eur", "forecast_eur")}
    got = [
        [name, thousands(a["target_eur"]), thousands(a["actual_eur"]), percent(a["actual_eur"], a["target_eur"], 0),
         thousands(a["forecast_eur"]), percent(a["forecast_eur"], a["target_eur"], 0)]
        for name, a in [*((m["name"], a) for m, a in zip(measures, amounts)), ("Yhteensä", total)]
    ]
    assert got == [[spaces(v) for v in row.values()] for row in reference("tasapainottamistoimenpiteet.csv")]


def finnish(value: str) -> str:
    """A value as entered ("94.4", "3352") in Finnish print ("94,4", "3 352")."""
    number = Decimal(value)
    whole, _, fraction = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return ("-" if number < 0 else "") + grouped + ("," + fraction if fraction else "")


def test_the_key_results_table_comes_from_the_package(folder):
    units = {u["unit_code"]: u for u in read(folder, "units")}

    def printed(code: str) -> str:
        return units[code]["short_name"] or units[code]["name_fi"]

    got = []
    for kr in read(folder, "key_results"):
        # the column prints the period's confidence estimate, and the measured value where there is none
        shown = kr["confidence_value"] if kr["confidence_period"] == "2025-06" else kr["measured_value"]
        got.append([kr["strategic_goal"], printed(units[kr["unit_code"]]["parent_code"]), printed(kr["unit_code"]),
                    kr["unit_goal"], kr["key_result"], finnish(shown) if shown else ""])
    assert got == [[spaces(v) for v in row.values()] for row in reference("avaintulokset.csv")]


STATUS = {"met": "Toteutunut", "not_met": "Ei toteutunut", "progress": "Toteutunut", "not_measurable": "Ei vielä mitattavissa"}


def goal_actual(goal: dict[str, str], values: list[dict[str, str]]) -> str:
    """The printed actual of a goal phrased from the package's status, share, change and values."""
    places = int(goal["percent_decimals"])
    shown = (goal["value_separator"] or ", ").join(f"{finnish(v['value'])} {v['label']}".strip() for v in values)

    def pct(share: str) -> str:
        return f"{rounded(abs(Decimal(share)) * 100, places):.{places}f}".replace(".", ",") + " %"

    def change(capital: bool) -> str:
        word = "nousua" if Decimal(goal["change"]) > 0 else "laskua"
        text = f"{word} {pct(goal['change'])}"
        return text.capitalize() if capital else text

    status = STATUS[goal["status"]] + (f" {pct(goal['share'])}" if goal["status"] == "progress" and goal["share"] else "")
    if goal["shown_as"] == "values":
        return shown
    if goal["shown_as"] == "period_values":
        return f"1–{int(goal['actual_period'][5:])}/{goal['actual_period'][:4]}" + (f" ({shown})" if shown else "")
    if goal["shown_as"] == "change":
        return (change(True) if goal["change"] else status) + (f" ({shown})" if shown else "")
    inside = shown or (change(False) if goal["change"] else "")
    return status + (f" ({inside})" if inside else "")


def test_the_goal_tables_come_from_the_package(folder):
    names = {u["unit_code"]: u["name_fi"] for u in read(folder, "units")}  # goal tables print the full name
    values = defaultdict(list)
    for v in read(folder, "goal_values"):
        values[v["goal_code"]].append(v)
    got = []
    for goal in read(folder, "goals"):
        actual = goal["actual_text_fi"] if goal["actual_is_wording"] == "true" else goal_actual(goal, values[goal["goal_code"]])
        got.append([names[goal["unit_code"]], goal["indicator"], goal["plan_text_fi"], actual])
    expected = [[spaces(v) for v in row.values()] for row in reference("toiminnalliset_tavoitteet.csv")]
    assert [g for g, e in zip(got, expected) if g != e] == []
    assert len(got) == len(expected)
    # only the four wordings the data cannot give (tests/test_content_golden.py lists them) are printed as entered
    assert sum(g["actual_is_wording"] == "true" for g in read(folder, "goals")) == 4


# --- bad input on the command line ----------------------------------------------------------------------------------


def test_a_folder_with_other_files_is_refused_and_nothing_is_written(demo, tmp_path):
    target = tmp_path / PACKAGE
    target.mkdir()
    (target / "muistio.txt").write_text("notes", encoding="utf-8")
    result = run_katsaus("report", "--period", "2025-06", "--unit", "PESOVA", "--format", "datapackage,csv",
                         "--out", str(tmp_path), db=demo / "katsaus-demo.sqlite3")
    assert result.returncode != 0
    # the CLI prints each problem with its code and its Finnish text (cli_common.call)
    assert "opendata.folder_not_empty" in result.stderr and "muistio.txt" in result.stderr
    assert "paketin kansiossa on muita tiedostoja" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [PACKAGE]  # no zip, no CKAN dataset, no CSV tables
    assert [p.name for p in target.iterdir()] == ["muistio.txt"]


def test_an_approved_report_says_so_in_its_package(demo, tmp_path):
    result = run_katsaus("report", "--period", "2025-06", "--unit", "PESOVA", "--format", "datapackage", "--status",
                         "approved", "--status-date", "2025-08-19", "--out", str(tmp_path), db=demo / "katsaus-demo.sqlite3")
    assert result.returncode == 0, result.stderr
    meta = json.loads((tmp_path / PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    assert meta["report"]["status"] == "approved" and meta["report"]["approved"] == "2025-08-19"
    assert meta["licenses"][0]["name"] == "CC-BY-4.0"
    dataset = json.loads((tmp_path / f"{PACKAGE}.ckan.json").read_text(encoding="utf-8"))
    assert dataset["license_id"] == "cc-by-4.0" and len(dataset["resources"]) == len(meta["resources"]) + 2  # + datapackage.json, README.md
    assert meta["title"] == "Perhe-, sosiaali- ja vammaispalveluiden toimiala – Osavuosikatsaus 1–6/2025"
