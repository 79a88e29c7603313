"""Where each forecast figure came from: rows per unit × line in the organisation's and the scheme's order,
figures placed by cost centre and account, mixed methods said, machine notes flagged, other units left out."""

from __future__ import annotations

from datetime import date

from katsaus.core.forecast_basis import MIXED, BasisFigure, build_forecast_basis
from katsaus.core.org import CostCentre, OrgTree, Unit
from katsaus.core.scheme import AccountRange, Line, Scheme, Term

ORG = OrgTree(
    code="T",
    name_fi="Testi",
    units=(
        Unit("TOP", "Toimiala", name_sv="Sektor"),
        Unit("A", "Alue A"),
        Unit("B", "Alue B", "TOP"),
        Unit("B1", "Yksikkö B1", "B"),
    ),
    cost_centres=(
        CostCentre("210", "b1", "B1", valid_to=date(2024, 12, 31)),
        CostCentre("210", "b1 moved", "B", valid_from=date(2025, 1, 1)),
    ),
)
SCHEME = Scheme(
    code="s",
    name_fi="Tuloslaskelma",
    lines=(
        Line("tuotot", "Tuotot", name_sv="Intäkter", accounts=(AccountRange("3", "3"),)),
        Line("kulut", "Kulut", accounts=(AccountRange("4", "4"),)),
        Line("kate", "Toimintakate", sum_of=(Term("tuotot"), Term("kulut"))),
    ),
)
END = date(2025, 6, 30)


def basis(*figures: BasisFigure, unit: str = "TOP", language: str = "fi"):
    return build_forecast_basis("TPE 6/2025", 2025, "Controller", figures, ORG, SCHEME, unit, END, language)


def test_rows_follow_the_organisation_and_the_scheme_whatever_the_stored_order():
    rows = basis(
        BasisFigure(-500, unit="B1", line="kulut", method="manual", reason="palkkaratkaisu", entered_by="anna"),
        BasisFigure(300, unit="B", line="tuotot", method="suggested", reason="pooled choice …", entered_by="ci", machine=True),
        BasisFigure(-900, unit="B", line="kulut", method="budget", reason="ennallaan", entered_by="anna"),
        BasisFigure(700, unit="TOP", line="tuotot", method="profile", reason="otettu ehdotuksesta", entered_by="ville"),
    ).rows
    assert [(r.unit_code, r.line_code) for r in rows] == [("TOP", "tuotot"), ("B", "tuotot"), ("B", "kulut"), ("B1", "kulut")]
    assert (rows[3].cents, rows[3].method, rows[3].reason, rows[3].entered_by) == (-500, "manual", "palkkaratkaisu", "anna")
    assert rows[1].machine and not rows[0].machine
    assert (rows[0].unit_name, rows[0].line_name) == ("Toimiala", "Tuotot")


def test_cost_centres_and_accounts_are_placed_as_on_the_periods_end_and_summed():
    # an imported file per cost centre and account: 210 belongs to B on 30.6.2025 (it moved from B1)
    rows = basis(
        BasisFigure(-100, cost_centre="210", account="4000", source="tpe.csv"),
        BasisFigure(-50, cost_centre="210", account="4100", source="tpe.csv"),
        BasisFigure(20, cost_centre="210", account="3000", method="budget", source="tpe.csv"),
    ).rows
    assert [(r.unit_code, r.line_code, r.cents) for r in rows] == [("B", "tuotot", 20), ("B", "kulut", -150)]
    assert rows[1].method == "" and rows[1].source == "tpe.csv"


def test_a_row_of_different_methods_says_mixed_and_keeps_every_reason_once():
    (row,) = basis(
        BasisFigure(-100, unit="B", account="4000", method="manual", reason="a", entered_by="anna"),
        BasisFigure(-50, unit="B", account="4100", method="budget", reason="b", entered_by="anna"),
        BasisFigure(-5, unit="B", account="4200", method="budget", reason="a", entered_by="ville"),
    ).rows
    assert (row.cents, row.method, row.reason, row.entered_by) == (-155, MIXED, "a; b", "anna; ville")


def test_units_outside_the_reported_one_and_unplaceable_figures_are_not_shown():
    figures = (
        BasisFigure(1, unit="A", line="tuotot"),  # A is not under TOP
        BasisFigure(2, unit="NOPE", line="tuotot"),
        BasisFigure(3, cost_centre="999", line="tuotot"),
        BasisFigure(4, unit="B", account="7000"),  # no line holds account 7000
        BasisFigure(5, unit="B1", line="kate"),  # a derived line is a code of the scheme: shown as stored
    )
    assert [(r.unit_code, r.cents) for r in basis(*figures).rows] == [("B1", 5)]
    assert [r.unit_code for r in basis(*figures, unit="B1").rows] == ["B1"]
    assert basis(*figures, unit="UNKNOWN").rows == ()


def test_zero_figures_show_only_with_a_persons_reason():
    rows = basis(
        BasisFigure(0, unit="B", line="tuotot", method="budget", reason="", entered_by="ci"),
        BasisFigure(0, unit="B", line="kulut", method="suggested", reason="pooled choice", machine=True),
        BasisFigure(0, unit="B1", line="kulut", method="manual", reason="toiminta lakkaa"),
    ).rows
    assert [(r.unit_code, r.line_code) for r in rows] == [("B1", "kulut")]


def test_names_in_the_reports_language_and_subtrees():
    full = basis(BasisFigure(1, unit="TOP", line="tuotot"), BasisFigure(2, unit="B1", line="kulut"), language="sv")
    assert (full.rows[0].unit_name, full.rows[0].line_name) == ("Sektor", "Intäkter")
    assert [r.unit_code for r in full.under({"B1"}).rows] == ["B1"]
    assert (full.version, full.year, full.author) == ("TPE 6/2025", 2025, "Controller")
