"""The open-data package built from a hand-made report: exact euros, keys, metadata, and every invalid value named.

Expected values are written out here from the hand-made cells (cents / 100), not taken from the code under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from model_fixtures import COLUMNS, a, r

from katsaus.core.errors import Note, Problem, Refused
from katsaus.core.model import Column, Conventions, Report, Row, Structure, Table
from katsaus.core.org import CostCentre, OrgTree, Unit
from katsaus.core.periods import Period
from katsaus.core.scheme import Line, Scheme, Term
from katsaus.render.messages import problem_line
from katsaus.render.opendata import ImportedFile, PackageMeta, build_package, package_name, resource_json

ORG = OrgTree(
    "HVA", "Hyvinvointialue",
    (Unit("HVA", "Hyvinvointialue"), Unit("TOIM", "Toimiala", "HVA", "Verksamhetsområde"),
     Unit("TA", "Tulosalue", "TOIM", "Resultatområde")),
    (CostCentre("100", "Kustannuspaikka", "TA", date(2023, 1, 1), None),
     CostCentre("101", "Toinen", "TA", date(2024, 3, 1), date(2025, 12, 31))),
    name_sv="Välfärdsområde",
)
SCHEME = Scheme("s", "Tuloslaskelma", (
    Line("tuotot", "Toimintatuotot", "Verksamhetens intäkter", sum_of=(Term("myynti"),)),
    Line("myynti", "Myyntituotot", "Försäljningsintäkter"),
    Line("kulut", "Toimintakulut", "Verksamhetens kostnader"),
    Line("kate", "Toimintakate", "Verksamhetsbidrag", sum_of=(Term("tuotot"), Term("kulut"))),
))
PREVIOUS = Column("tot_edv", "TOT 1-6/2024", "actual", year=2024)


def table(unit: str, name: str, rows: tuple[Row, ...], columns=COLUMNS) -> Table:
    return Table("tuloslaskelma", "tuloslaskelma", "Tuloslaskelma", unit, name, columns, rows)


def report(unit_code: str = "TOIM", unit_name: str = "Toimiala") -> Report:
    own = table(unit_code, unit_name, (
        Row("tuotot", "Toimintatuotot", 0, (a(1677671800), a(587465103), r(Fraction(1, 3)))),
        Row("myynti", "Myyntituotot", 1, (a(733), a(None), r(None))),
        Row("kate", "Toimintakate", 0, (a(-15350800005), a(-1), r(Fraction(1)))),
    ))
    child = table("TA", "Tulosalue", (Row("kulut", "Toimintakulut", 0, (a(-5), a(-7), r(Fraction(7, 5)))),))
    previous = table(unit_code, unit_name, (Row("kate", "Toimintakate", 0, (a(-12345),)),), (PREVIOUS,))
    return Report("Hyvinvointialue", unit_code, unit_name, Period(2025, 6), "osavuosikatsaus", Conventions(),
                  (own, child, previous), structure=Structure(unit_parents=((unit_code, "HVA"), ("TA", unit_code))))


META = PackageMeta("osavuosikatsaus-1-6-2025", status="approved", status_date=date(2025, 8, 19),
                   created=datetime(2025, 8, 20, 9, 30, tzinfo=UTC))
SOURCE = ImportedFile("ledger", "kirjanpito.csv", 12, "2025-07-01T08:00:00Z", "ab" * 32)


@pytest.fixture
def package():
    return build_package(report(), ORG, SCHEME, META, (), (SOURCE,))


def rows(package, name):
    return resource_json(package, name)


def test_figures_are_euros_with_cents_in_long_form(package):
    got = {(f["unit_code"], f["line_code"], f["column"]): f["amount_eur"] for f in rows(package, "figures")}
    assert got == {
        ("TOIM", "tuotot", "mta"): "16776718.00", ("TOIM", "tuotot", "tot"): "5874651.03",
        ("TOIM", "myynti", "mta"): "7.33", ("TOIM", "myynti", "tot"): None,
        ("TOIM", "kate", "mta"): "-153508000.05", ("TOIM", "kate", "tot"): "-0.01",
        ("TA", "kulut", "mta"): "-0.05", ("TA", "kulut", "tot"): "-0.07",
        ("TOIM", "kate", "tot_edv"): "-123.45",
    }


def test_figures_say_measure_year_and_period(package):
    by_key = {(f["unit_code"], f["line_code"], f["column"]): f for f in rows(package, "figures")}
    budget, previous = by_key[("TOIM", "tuotot", "mta")], by_key[("TOIM", "kate", "tot_edv")]
    assert (budget["measure"], budget["version"], budget["period_start"], budget["period_end"]) == (
        "budget", "MTA I 2025", "2025-01-01", "2025-12-31")
    assert (previous["measure"], previous["year"], previous["previous_year"], previous["period_end"]) == (
        "actual", "2024", "true", "2024-06-30")


def test_units_with_names_parents_and_validity(package):
    units = {u["unit_code"]: u for u in rows(package, "units")}
    assert list(units) == ["TOIM", "TA", "HVA"]  # the parent above the report is listed, not shown
    assert units["TOIM"]["name_sv"] == "Verksamhetsområde" and units["TOIM"]["parent_code"] == "HVA"
    assert units["HVA"]["in_report"] == "false" and units["TA"]["in_report"] == "true"
    # one cost centre open-ended: the unit's validity is open at the end
    assert (units["TA"]["valid_from"], units["TA"]["valid_to"]) == ("2023-01-01", None)


def test_lines_with_printed_parent_level_and_terms(package):
    lines = {line["line_code"]: line for line in rows(package, "lines")}
    assert list(lines) == ["tuotot", "myynti", "kate", "kulut"]
    assert lines["myynti"]["parent_code"] == "tuotot" and lines["myynti"]["level"] == "1"
    assert lines["kate"]["sum_of"] == "tuotot+kulut" and lines["kate"]["derived"] == "true"
    assert lines["myynti"]["name_sv"] == "Försäljningsintäkter"


def test_schema_has_keys_and_foreign_keys(package):
    schema = package.resource("figures").schema()
    assert schema["primaryKey"] == ["unit_code", "line_code", "column"]
    assert {fk["reference"]["resource"] for fk in schema["foreignKeys"]} == {"units", "lines"}
    amount = next(f for f in schema["fields"] if f["name"] == "amount_eur")
    assert amount["type"] == "number" and "euros" in amount["description"]


def test_package_metadata_in_finnish_and_swedish(package):
    meta = package.as_json()
    assert meta["title"] == "Toimiala – Osavuosikatsaus 1–6/2025"
    assert meta["title_sv"] == "Verksamhetsområde – Delårsrapport 1–6/2025"
    assert meta["licenses"][0]["name"] == "CC-BY-4.0"
    assert meta["report"]["status"] == "approved" and meta["report"]["approved"] == "2025-08-19"
    assert meta["created"] == "2025-08-20T09:30:00Z"
    assert meta["contributors"][0] == {"title": "Hyvinvointialue", "role": "publisher"}
    assert rows(package, "sources")[0]["sha256"] == "ab" * 32


def test_package_name_is_ascii_lower_case():
    assert package_name("Osavuosikatsaus 1-6/2025 Ä") == "osavuosikatsaus-1-6-2025-a"


def test_unknown_licence_is_refused():
    with pytest.raises(Refused) as caught:
        build_package(report(), ORG, SCHEME, PackageMeta("p", licence="CC-BY-5.0"))
    [problem] = caught.value.problems
    assert (problem.code, problem.key, problem.found) == ("licence.unknown", "licence", "CC-BY-5.0")
    assert "CC0-1.0" in problem.params["known"] and caught.value.outcome == Note("outcome.nothing_written")
    assert problem_line(problem, "fi") == (
        "kohta 'licence': tuntematon lisenssi CC-BY-5.0; odotettiin jokin lisensseistä CC-BY-4.0, "
        "CC0-1.0, CC-BY-SA-4.0, ODC-By-1.0, ODbL-1.0, PDDL-1.0, löytyi 'CC-BY-5.0'")


def test_a_bad_name_and_status_are_refused_with_the_licence_all_at_once():
    with pytest.raises(Refused) as caught:
        build_package(report(), ORG, SCHEME, PackageMeta("Iso Nimi", licence="?", status="valmis"))
    assert [(p.code, p.key, p.found) for p in caught.value.problems] == [
        ("licence.unknown", "licence", "?"), ("opendata.name_invalid", "name", "Iso Nimi"),
        ("opendata.status_unknown", "status", "valmis")]
    assert problem_line(caught.value.problems[2], "sv") == (
        "punkt 'status': okänd status för rapporten; förväntades någon av dessa: draft, approved, hittades 'valmis'")


def test_every_invalid_unit_value_is_named_with_file_row_and_column():
    bad = report("TO IM", "Toimiala\x07")
    org = OrgTree("HVA", "Hyvinvointialue", (Unit("HVA", "Hyvinvointialue"), Unit("TA", "Tulosalue", "HVA")))
    with pytest.raises(Refused) as caught:
        build_package(bad, org, SCHEME, META)
    problems = caught.value.problems
    where = [(p.code, p.file, p.row, p.column) for p in problems]
    assert ("opendata.code_whitespace", "units.csv", 2, "unit_code") in where
    assert ("opendata.control_character", "units.csv", 2, "name_fi") in where
    assert ("opendata.code_whitespace", "figures.csv", 2, "unit_code") in where  # every place, not only the first
    first = next(p for p in problems if p.file == "units.csv" and p.column == "unit_code")
    assert first.found == "TO IM"
    assert problem_line(first, "fi").startswith(
        "units.csv, rivi 2, sarake 'unit_code': tunnuksessa ei voi olla välilyöntejä eikä ohjausmerkkejä")


def test_the_check_findings_say_code_rule_and_message_in_finnish_and_swedish():
    findings = (
        Problem("check.printed.cell_differs", {"file": "tuloslaskelma.csv", "number": 3, "expected": "5 875"},
                unit="TOIM", table="tuloslaskelma", row="Toimintatuotot", column="tot", found="5 876"),
        Problem("check.printed.row_unknown", {"file": "t.csv", "number": 4, "units": ("TOIM", "TA")},
                severity="warning", unit="TA", row="Muut tuotot", found="Muut tuotot"),
    )
    package = build_package(report(), ORG, SCHEME, META, findings)
    first, second = rows(package, "check_findings")
    assert first == {
        "number": "1", "code": "check.printed.cell_differs", "rule": "printed", "severity": "error",
        "message_fi": "tulostettu solu ei ole se, minkä raportin luvut antavat: tulostettu taulukko on ristiriidassa "
                      "omien lukujensa kanssa (tiedoston tuloslaskelma.csv rivi 3)",
        "message_sv": "den tryckta cellen är inte vad rapportens siffror ger: den tryckta tabellen motsäger sina egna "
                      "siffror (rad 3 i filen tuloslaskelma.csv)",
        "expected_fi": "5 875", "expected_sv": "5 875", "unit_code": "TOIM", "table": "tuloslaskelma",
        "row": "Toimintatuotot", "column": "tot", "passage": None, "found": "5 876"}
    assert (second["severity"], second["rule"], second["expected_fi"], second["table"]) == (
        "warning", "printed", "jonkin näistä yksiköistä rivi: TOIM, TA", None)
    schema = package.resource("check_findings").schema()
    assert [f["name"] for f in schema["fields"]][:6] == ["number", "code", "rule", "severity", "message_fi", "message_sv"]


def test_an_empty_report_still_makes_a_package_with_headers_only():
    empty = Report("Hyvinvointialue", "TOIM", "Toimiala", Period(2025, 6), "t", Conventions(), ())
    package = build_package(empty, ORG, SCHEME, META)
    assert rows(package, "figures") == [] and [u["unit_code"] for u in rows(package, "units")] == ["TOIM", "HVA"]


def test_units_the_structure_knows_but_the_report_does_not_show_are_left_out():
    """The structure may list the whole organisation: only the report's own units are rows (and their parents)."""
    import dataclasses

    shown = report()
    wider = dataclasses.replace(shown, structure=Structure(unit_parents=(("HVA", None), ("TOIM", "HVA"), ("MUU", "HVA"), ("TA", "TOIM"))))
    units = rows(build_package(wider, ORG, SCHEME, META), "units")
    assert [(u["unit_code"], u["in_report"]) for u in units] == [("TOIM", "true"), ("TA", "true"), ("HVA", "false")]
