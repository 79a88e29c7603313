"""From facts to forecast series: unit × leaf line, restated history, complete years only, no future months."""

from __future__ import annotations

from datetime import date

from katsaus.core.facts import Balance, MemoryFacts, PlanAmount, PlanVersion
from katsaus.core.org import CostCentre, OrgTree, Unit
from katsaus.core.periods import Period
from katsaus.core.scheme import AccountRange, Line, Scheme, Term
from katsaus.forecast.series import in_force_budget, owning_units, situations, suggest, unit_line_plan

ORG = OrgTree(
    code="T",
    name_fi="Testi",
    units=(Unit("TOP", "Toimiala"), Unit("A", "Alue A", "TOP"), Unit("B", "Alue B", "TOP")),
    cost_centres=(
        CostCentre("100", "a", "A"),
        CostCentre("200", "b", "B", valid_to=date(2024, 12, 31)),
        CostCentre("200", "b moved to A", "A", valid_from=date(2025, 1, 1)),
    ),
)
SCHEME = Scheme(
    code="s",
    name_fi="Tuloslaskelma",
    ledger_sign="costs_positive",
    internal_accounts=(AccountRange("9", "9"),),
    lines=(
        Line("tuotot", "Tuotot", accounts=(AccountRange("3", "3"),)),
        Line("kulut", "Kulut", accounts=(AccountRange("4", "4"), AccountRange("9", "9"))),
        Line("kate", "Toimintakate", sum_of=(Term("tuotot"), Term("kulut"))),
    ),
)
PERIOD = Period(2025, 6)


def year(y: int, centre: str, account: str, cents: int, months=range(1, 13)) -> list[Balance]:
    return [Balance(y, m, centre, account, account.startswith("9"), cents) for m in months]


def facts(extra: list[Balance] = ()) -> MemoryFacts:
    rows = (
        year(2023, "100", "400", 1000) + year(2024, "100", "400", 1100) + year(2025, "100", "400", 1200, range(1, 7))
        + year(2024, "200", "300", -50) + year(2025, "200", "300", -60, range(1, 7))
        + year(2025, "100", "900", 7, range(1, 7))  # internal: left out of the external statement
    )
    return MemoryFacts(balance_rows=rows + list(extra))


def test_storage_units_are_those_owning_cost_centres():
    assert owning_units(ORG) == ["A", "B"]


def test_series_are_unit_times_leaf_line_in_statement_sign_with_restated_history():
    series = situations(facts(), ORG, SCHEME, PERIOD)
    assert set(series) == {("A", "kulut"), ("A", "tuotot")}
    costs = series["A", "kulut"]
    assert costs.to_date == (-1200,) * 6 and costs.history == ((-1000,) * 12, (-1100,) * 12)
    # cost centre 200 moved from B to A at the turn of the year: its 2024 comes along to A
    assert series["A", "tuotot"].history == (None, (50,) * 12) and series["A", "tuotot"].to_date == (60,) * 6


def test_an_incomplete_earlier_year_ends_the_history():
    # the ledger begins in April 2023: 2023 would look like a drop in spending, so it is not history
    partial = MemoryFacts(balance_rows=[b for b in facts().balance_rows if (b.year, b.month) >= (2023, 4)])
    assert situations(partial, ORG, SCHEME, PERIOD)["A", "kulut"].history == ((-1100,) * 12,)
    gap = MemoryFacts(balance_rows=[b for b in facts().balance_rows if (b.year, b.month) != (2024, 3)])
    assert situations(gap, ORG, SCHEME, PERIOD)["A", "kulut"].history == ()


def test_months_after_the_period_are_never_read():
    poison = year(2025, "100", "400", 10**12, range(7, 13)) + year(2025, "200", "300", -(10**12), range(7, 13))
    assert situations(facts(poison), ORG, SCHEME, PERIOD) == situations(facts(), ORG, SCHEME, PERIOD)
    clean = [(s.unit, s.line, s.estimate) for s in suggest(facts(), ORG, SCHEME, PERIOD, None)]
    dirty = [(s.unit, s.line, s.estimate) for s in suggest(facts(poison), ORG, SCHEME, PERIOD, None)]
    assert clean == dirty


def budget_facts() -> MemoryFacts:
    base = facts()
    base.versions = [PlanVersion("TA 2025", "budget", 2025, date(2024, 12, 1)),
                     PlanVersion("MTA I 2025", "budget", 2025, date(2025, 9, 1))]
    base.amounts = [
        PlanAmount("TA 2025", -15000, unit="A", line="kulut"),
        PlanAmount("TA 2025", 999, unit="B", line="tuotot"),  # budgeted, nothing booked
        PlanAmount("TA 2025", -100, cost_centre="100", account="410"),  # by cost centre × account
    ]
    return base


def test_budgets_by_unit_and_line_and_the_version_in_force():
    data = budget_facts()
    assert in_force_budget(data.versions, PERIOD).name == "TA 2025"  # MTA I takes effect after June
    assert unit_line_plan(data, ORG, SCHEME, "TA 2025", PERIOD) == {("A", "kulut"): -15100, ("B", "tuotot"): 999}


def test_suggestions_cover_every_series_and_every_budgeted_line():
    found = {(s.unit, s.line): s for s in suggest(budget_facts(), ORG, SCHEME, PERIOD, "TA 2025")}
    assert list(found) == [("A", "tuotot"), ("A", "kulut"), ("B", "tuotot")]
    assert found["B", "tuotot"].estimate.method == "budget" and found["B", "tuotot"].estimate.cents == 999
    costs = found["A", "kulut"]
    assert costs.budget == -15100 and costs.to_date == -7200 and costs.estimate.method == "suggested"
    # a steadily growing cost line: the estimate lies between last year's total and the run-rate
    assert -14400 <= costs.estimate.cents <= -13200


def test_suggest_reports_its_progress_stage_by_stage():
    seen: list[tuple[str, float]] = []
    suggest(facts(), ORG, SCHEME, PERIOD, None, report=lambda stage, fraction: seen.append((stage, fraction)))
    assert [s for s, _ in seen][:2] == ["reading the monthly balances", "scoring the methods on the earlier years"]
    assert seen[-1][0] == "forecasting each unit × line"
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] < 1.0
