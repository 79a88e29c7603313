"""The statement computation on small hand-made organisations whose answers are worked out by hand."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import date
from fractions import Fraction

import pytest

from katsaus.core import errors
from katsaus.core.errors import Money, NotFound, Problem, Refused
from katsaus.core.facts import Balance, MemoryFacts, PlanAmount, PlanVersion
from katsaus.core.model import Conventions
from katsaus.core.org import CostCentre, OrgTree, Unit
from katsaus.core.periods import Period
from katsaus.core.scheme import AccountRange, Line, Scheme, Term
from katsaus.core.statement import build_report, version_short
from katsaus.core.template import ColumnSpec, RowSpec, TableSpec, Template

ORG = OrgTree(
    code="T",
    name_fi="Testi",
    units=(
        Unit("TOP", "Toimiala"),
        Unit("A", "Alue A", "TOP"),
        Unit("B", "Alue B", "TOP"),
        Unit("B1", "Yksikkö B1", "B"),
    ),
    cost_centres=(
        CostCentre("100", "a", "A"),
        CostCentre("200", "b", "B"),
        CostCentre("210", "b1", "B1", valid_to=date(2024, 12, 31)),
        CostCentre("210", "b1 moved", "A", valid_from=date(2025, 1, 1)),
    ),
)

SCHEME = Scheme(
    code="s",
    name_fi="Tuloslaskelma",
    ledger_sign="costs_positive",
    internal_accounts=(AccountRange("9", "9"),),
    lines=(
        Line("tuotot", "Tuotot", accounts=(AccountRange("3", "3"), AccountRange("90", "90"))),
        Line("kulut", "Kulut", accounts=(AccountRange("4", "4"), AccountRange("95", "95"))),
        Line("korot", "Korot", accounts=(AccountRange("6", "6"),)),
        Line("kate", "Toimintakate", sum_of=(Term("tuotot"), Term("kulut"))),
        Line("tulos", "Tulos", sum_of=(Term("kate"), Term("korot"))),
        Line("ero", "Tuotot miinus kulut", sum_of=(Term("tuotot"), Term("kulut", -1))),
    ),
)

COLUMNS = (
    ColumnSpec("ta", "budget", "{version}", version="in_force"),
    ColumnSpec("tot", "actual", "TOT {period}"),
    ColumnSpec("pct", "ratio", "TOT-%", numerator="tot", denominator="ta"),
    ColumnSpec("tpe", "forecast", "{version}", version="latest"),
    ColumnSpec("dev", "difference", "{ta.version_short} - {tpe.version_short} {year}", minuend="ta", subtrahend="tpe"),
    ColumnSpec("tot_edv", "actual", "TOT {period}", year_offset=-1),
)
ROWS = tuple(RowSpec(code) for code in ("tuotot", "kulut", "kate", "korot", "tulos", "ero"))
TEMPLATE = Template(
    code="t",
    name_fi="t",
    scheme="s",
    columns=COLUMNS,
    tables=(TableSpec("main", "main", "T", "self_and_children", ROWS),),
    conventions=Conventions(),
)

VERSIONS = [
    PlanVersion("TA 2025", "budget", 2025, date(2024, 12, 10)),
    PlanVersion("MTA I 2025", "budget", 2025, date(2025, 6, 16)),
    PlanVersion("MTA II 2025", "budget", 2025, date(2025, 10, 1)),
    PlanVersion("TPE 2025", "forecast", 2025, date(2025, 7, 10)),
]


def facts(balances=(), amounts=()) -> MemoryFacts:
    return MemoryFacts(list(balances), list(VERSIONS), list(amounts))


def cents(report, unit, line, key):
    table = report.table("main", unit)
    return table.row(line).cell(table.columns, key)


def test_costs_and_revenues_get_statement_signs_and_roll_up():
    data = facts(
        [
            Balance(2025, 1, "100", "300000", False, -10_000),  # revenue of A: +100.00 €
            Balance(2025, 2, "100", "400000", False, 25_050),  # cost of A: -250.50 €
            Balance(2025, 3, "200", "400000", False, 1_001),  # cost of B: -10.01 €
        ]
    )
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", data)
    assert cents(report, "A", "tuotot", "tot").cents == 10_000
    assert cents(report, "A", "kulut", "tot").cents == -25_050
    assert cents(report, "A", "kate", "tot").cents == -15_050
    assert cents(report, "TOP", "kulut", "tot").cents == -26_051
    assert cents(report, "TOP", "ero", "tot").cents == 10_000 + 26_051


def test_months_after_the_period_and_other_years_are_left_out():
    data = facts([Balance(2025, 6, "100", "400000", False, 100), Balance(2025, 7, "100", "400000", False, 999)])
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", data)
    assert cents(report, "A", "kulut", "tot").cents == -100


def test_no_entries_is_empty_not_zero_and_netting_entries_are_zero():
    data = facts([Balance(2025, 1, "100", "600000", False, 500), Balance(2025, 2, "100", "600000", False, -500)])
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", data)
    assert cents(report, "A", "korot", "tot").cents == 0
    assert cents(report, "B", "korot", "tot").cents is None
    assert cents(report, "B", "tulos", "tot").cents is None
    assert cents(report, "TOP", "korot", "tot").cents == 0


def test_internal_items_are_excluded_by_default():
    data = facts([Balance(2025, 1, "100", "950000", True, 700), Balance(2025, 1, "100", "400000", False, 300)])
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", data)
    assert cents(report, "A", "kulut", "tot").cents == -300


def test_cost_centre_follows_its_validity_between_years():
    data = facts([Balance(2024, 3, "210", "400000", False, 100), Balance(2025, 3, "210", "400000", False, 200)])
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", data)
    assert cents(report, "A", "kulut", "tot").cents == -200
    assert cents(report, "B", "kulut", "tot_edv").cents == -100
    assert cents(report, "A", "kulut", "tot_edv").cents is None


def test_budget_in_force_is_the_latest_effective_by_the_period_end():
    amounts = [
        PlanAmount("TA 2025", -1000_00, unit="A", line="kulut"),
        PlanAmount("MTA I 2025", -1200_00, unit="A", line="kulut"),
        PlanAmount("MTA II 2025", -9999_00, unit="A", line="kulut"),
        PlanAmount("TPE 2025", -1300_00, unit="A", line="kulut"),
    ]
    data = facts([Balance(2025, 5, "100", "400000", False, 600_00)], amounts)
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", data)
    table = report.table("main", "A")
    assert [c.label for c in table.columns] == ["MTA I 2025", "TOT 1-6/2025", "TOT-%", "TPE 2025", "MTA I - TPE 2025", "TOT 1-6/2024"]
    assert cents(report, "A", "kulut", "ta").cents == -1200_00
    assert cents(report, "A", "kulut", "pct").ratio == Fraction(600, 1200)
    assert cents(report, "A", "kulut", "dev").cents == 100_00  # positive: forecast worse than budget
    march = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 3), "TOP", data)
    assert cents(march, "A", "kulut", "ta").cents == -1000_00


def test_as_of_takes_the_versions_as_they_stood_on_that_date():
    # A second, later forecast and an undated suggestion; a report of 1-6/2025 rerun "as of" three dates.
    versions = VERSIONS + [
        PlanVersion("TPE 9/2025", "forecast", 2025, date(2025, 10, 12)),
        PlanVersion("TPE ehdotus", "forecast", 2025, None),
    ]
    amounts = [
        PlanAmount("TA 2025", -1000_00, unit="A", line="kulut"),
        PlanAmount("MTA I 2025", -1200_00, unit="A", line="kulut"),
        PlanAmount("TPE 2025", -1300_00, unit="A", line="kulut"),
        PlanAmount("TPE 9/2025", -1400_00, unit="A", line="kulut"),
        PlanAmount("TPE ehdotus", -1500_00, unit="A", line="kulut"),
    ]
    data = MemoryFacts([], versions, amounts)

    def shown(as_of):
        report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", data, as_of=as_of)
        return cents(report, "A", "kulut", "ta").cents, cents(report, "A", "kulut", "tpe").cents

    assert shown(None) == (-1200_00, -1400_00)  # today: the newest forecast
    assert shown(date(2025, 8, 20)) == (-1200_00, -1300_00)  # the July forecast, not September's
    assert shown(date(2025, 10, 12)) == (-1200_00, -1400_00)  # a version dated that day counts
    with pytest.raises(Refused) as refused:
        shown(date(2025, 7, 1))  # MTA I was not yet decided either; no forecast dated by then
    missing, *known = refused.value.problems
    assert (missing.code, missing.severity) == ("report.version_missing_as_of", "error")
    assert {k: missing.params[k] for k in ("column", "kind", "wanted", "as_of")} == {
        "column": "tpe", "kind": errors.Term("plan_kind.forecast"), "wanted": "latest", "as_of": date(2025, 7, 1)}
    # every version there is, each with its kind, year and date: the undated suggestion among them
    assert Problem("report.version_known", {"name": "TPE ehdotus", "kind": errors.Term("plan_kind.forecast"),
                                            "year": 2025, "date": None}, "info") in known
    assert refused.value.outcome.code == "outcome.report_not_computed"


def test_as_of_before_a_budget_revision_shows_the_budget_known_then():
    # The forecast column names its version: a named version is taken whatever its date.
    named = replace(TEMPLATE, columns=tuple(
        replace(c, version="TPE 2025") if c.key == "tpe" else c for c in TEMPLATE.columns))
    data = facts([], [PlanAmount("TA 2025", -1000_00, unit="A", line="kulut"),
                      PlanAmount("MTA I 2025", -1200_00, unit="A", line="kulut"),
                      PlanAmount("TPE 2025", -1300_00, unit="A", line="kulut")])
    report = build_report(ORG, SCHEME, named, Period(2025, 6), "TOP", data, as_of=date(2025, 6, 15))
    assert cents(report, "A", "kulut", "ta").cents == -1000_00  # MTA I took effect 16.6., after the date
    assert cents(report, "A", "kulut", "tpe").cents == -1300_00
    assert [v.name for v in report.versions] == ["TA 2025", "TPE 2025"]


def test_plans_by_cost_centre_and_account_map_to_units_and_lines():
    amounts = [
        PlanAmount("TA 2025", -50_00, cost_centre="210", account="400100"),
        PlanAmount("TA 2025", -5_00, cost_centre="210", account="400100", month=3),
        PlanAmount("TPE 2025", 0, unit="A", line="kulut"),
    ]
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 1), "TOP", facts([], amounts))
    assert cents(report, "A", "kulut", "ta").cents == -55_00  # 210 belongs to A in 2025


def test_ratio_with_zero_or_empty_base_is_marked_zero_base():
    amounts = [PlanAmount("TA 2025", 0, unit="A", line="korot"), PlanAmount("TPE 2025", 0, unit="A", line="korot")]
    data = facts([Balance(2025, 1, "100", "600000", False, 500)], amounts)
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", data)
    pct = cents(report, "A", "korot", "pct")
    assert pct.zero_base and pct.ratio is None
    assert cents(report, "B", "korot", "pct").zero_base


def test_percentages_come_from_unrounded_amounts():
    # 1 499.99 € of 3 000.00 € is 49.9997 %: a ratio of rounded thousands would say 1/3.
    amounts = [PlanAmount("MTA I 2025", -3000_00, unit="A", line="kulut"), PlanAmount("TPE 2025", -1, unit="A", line="kulut")]
    data = facts([Balance(2025, 1, "100", "400000", False, 1499_99)], amounts)
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", data)
    assert cents(report, "A", "kulut", "pct").ratio == Fraction(149999, 300000)


def test_missing_version_is_a_clear_error():
    versions_2024_only = MemoryFacts([], [PlanVersion("TA 2024", "budget", 2024)], [])
    with pytest.raises(Refused) as refused:
        build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", versions_2024_only)
    missing, known = refused.value.problems
    assert missing.code == "report.version_missing"
    assert {k: missing.params[k] for k in ("column", "kind", "wanted", "year")} == {
        "column": "ta", "kind": errors.Term("plan_kind.budget"), "wanted": "in_force", "year": 2025}
    assert (known.code, known.params["name"], known.params["year"]) == ("report.version_known", "TA 2024", 2024)


def test_unknown_unit_is_a_clear_error():
    with pytest.raises(NotFound) as refused:
        build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "NOPE", facts())
    (problem,) = refused.value.problems
    assert (problem.code, problem.found, problem.params["units"]) == ("report.unit_unknown", "NOPE", ("TOP", "A", "B", "B1"))


def test_a_refusal_reads_in_finnish():
    from katsaus.render.messages import problem_line

    with pytest.raises(NotFound) as refused:
        build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "NOPE", facts())
    assert problem_line(refused.value.problems[0], "fi") == (
        "kohta 'unit': yksikköä NOPE ei ole organisaatiossa; odotettiin jokin yksiköistä TOP, A, B, B1, löytyi 'NOPE'")


def test_balances_outside_the_scheme_are_reported_as_warnings_not_dropped_silently():
    data = facts([Balance(2025, 1, "100", "123456", False, 100), Balance(2025, 1, "999", "400000", False, 100)])
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", data)
    assert Problem("report.account_unplaced", {"account": "123456", "amount": Money(100)}, "warning") in report.warnings
    assert Problem("report.cost_centre_unplaced", {"cost_centre": "999", "year": 2025, "month": 1, "amount": Money(100)},
                   "warning") in report.warnings


def test_the_report_model_is_immutable():
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", facts())
    with pytest.raises(FrozenInstanceError):
        report.unit_code = "X"  # type: ignore[misc]


@pytest.mark.parametrize("name,short", [("MTA I 2025", "MTA I"), ("TPE 2025", "TPE"), ("Budjetti", "Budjetti")])
def test_version_short(name, short):
    assert version_short(name) == short


def test_plan_figures_on_internal_accounts_follow_the_internal_rule():
    amounts = [
        PlanAmount("MTA I 2025", -100_00, cost_centre="100", account="950000"),
        PlanAmount("MTA I 2025", -40_00, cost_centre="100", account="400000"),
        PlanAmount("TPE 2025", 0, unit="A", line="kulut"),
    ]
    report = build_report(ORG, SCHEME, TEMPLATE, Period(2025, 6), "TOP", facts([], amounts))
    assert cents(report, "A", "kulut", "ta").cents == -40_00


# --- tables of other organisations' conventions ------------------------------------------------------------------

UNIT_COLUMNS = (
    ColumnSpec("koodi", "text", "Koodi", text="{unit_code} {unit}"),
    ColumnSpec("m_ta", "budget", "Määräraha", version="in_force", line="kulut", sign="reversed"),
    ColumnSpec("m_tot", "actual", "Toteuma", line="kulut", sign="reversed"),
    ColumnSpec("m_poik", "difference", "Poikkeama", minuend="m_ta", subtrahend="m_tot"),
    ColumnSpec("t_tot", "actual", "Tuotot", line="tuotot"),
    ColumnSpec("t_edv", "actual", "Tuotot ed.", line="tuotot", year_offset=-1),
    ColumnSpec("t_muutos", "difference", "Muutos", minuend="t_tot", subtrahend="t_edv"),
    ColumnSpec("t_muutos_pct", "ratio", "Muutos %", numerator="t_muutos", denominator="t_edv"),
)
UNIT_TEMPLATE = Template("u", "u", "s", UNIT_COLUMNS, (TableSpec("yksikot", "yksikot", "Yksiköt", "self_and_children", (), rows_by="unit"),))
UNIT_DATA = [
    Balance(2025, 3, "100", "400000", False, 800_00),  # A's costs 800 €
    Balance(2025, 3, "200", "400000", False, 300_00),  # B's costs 300 €
    Balance(2025, 3, "100", "300000", False, -150_00),  # A's revenues 150 €
    Balance(2024, 3, "100", "300000", False, -100_00),  # A's revenues a year earlier 100 €
]


def unit_table():
    amounts = [PlanAmount("MTA I 2025", -1000_00, unit="A", line="kulut")]
    report = build_report(ORG, SCHEME, UNIT_TEMPLATE, Period(2025, 6), "TOP", facts(UNIT_DATA, amounts))
    assert [t.key for t in report.tables] == ["yksikot"]  # one table, not one per unit
    table = report.tables[0]
    return table, {row.line_code: {c.key: cell for c, cell in zip(table.columns, row.cells)} for row in table.rows}


def test_a_table_of_units_has_a_row_per_unit_and_each_block_its_own_line():
    table, rows = unit_table()
    assert [r.label for r in table.rows] == ["Toimiala", "Alue A", "Alue B"]
    assert rows["A"]["t_tot"].cents == 150_00 and rows["TOP"]["t_tot"].cents == 150_00
    assert rows["B"]["t_tot"].cents is None


def test_reversed_costs_print_positive_and_their_deviation_is_computed_as_printed():
    _table, rows = unit_table()
    assert rows["A"]["m_tot"].cents == 800_00  # a cost of 800 € as a positive appropriation
    assert rows["A"]["m_ta"].cents == 1000_00
    assert rows["A"]["m_poik"].cents == 200_00  # appropriation 1000 − actual 800: an underspend is positive
    assert rows["TOP"]["m_tot"].cents == 1100_00
    assert rows["B"]["m_poik"].cents == -300_00  # no budget counts as 0 against an actual


def test_a_ratio_of_a_difference_is_a_percentage_change():
    _table, rows = unit_table()
    assert rows["A"]["t_muutos"].cents == 50_00
    assert rows["A"]["t_muutos_pct"].ratio == Fraction(1, 2)  # (150 − 100) / 100
    assert rows["B"]["t_muutos_pct"].zero_base


def test_a_text_column_fills_its_placeholders_per_row():
    _table, rows = unit_table()
    assert rows["A"]["koodi"].kind == "text" and rows["A"]["koodi"].text == "A Alue A"


def test_a_table_of_units_columns_carry_their_line_for_the_checks():
    table, _rows = unit_table()
    lines = {c.key: c.line for c in table.columns}
    assert lines["m_poik"] == "kulut" and lines["t_muutos_pct"] == "tuotot" and lines["koodi"] is None


def test_a_heading_row_has_a_label_and_no_figures():
    rows = (RowSpec("", label="Toimintamenot", heading=True), RowSpec("kulut", level=1))
    template = replace(TEMPLATE, tables=(TableSpec("main", "main", "T", "self", rows),))
    report = build_report(ORG, SCHEME, template, Period(2025, 6), "TOP", facts(UNIT_DATA))
    heading, costs = report.tables[0].rows
    assert heading.heading and heading.label == "Toimintamenot" and heading.line_code == ""
    assert all(c.kind == "text" and not c.text for c in heading.cells)
    assert costs.cells[1].cents == -1100_00


def test_a_template_that_shows_nothing_for_the_unit_is_refused_with_the_reason():
    template = replace(TEMPLATE, tables=(TableSpec("main", "main", "T", "children", ROWS),))
    with pytest.raises(Refused) as refused:
        build_report(ORG, SCHEME, template, Period(2025, 6), "A", facts(UNIT_DATA))
    (problem,) = refused.value.problems
    assert problem.code == "report.nothing_to_show"
    assert {k: problem.params[k] for k in ("unit", "tables", "units", "children")} == {
        "unit": "A", "tables": ("main",), "units": ("children",), "children": 0}
