"""Which statement lines need a deviation explanation (core.deviations). The figures are written out by hand and
the expected answers worked out by hand from the rule of docs/configuration.md: the forecast minus the budget
exceeds every threshold given (a percentage of the budget's absolute value, an amount of euros)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from katsaus.core.checks import rule_of
from katsaus.core.deviations import Threshold, lines_needing_explanation, missing_explanations, unit_deviations
from katsaus.core.errors import Money, Percent
from katsaus.core.model import Cell, Column, Conventions, Report, Row, Table
from katsaus.core.periods import Period

COLUMNS = (
    Column("ta_edv", "TA 2024", "budget", "TA 2024", 2024),  # last year's budget: not the one compared
    Column("mta", "MTA 2025", "budget", "MTA 2025", 2025),
    Column("tot", "TOT 1-6/2025", "actual", None, 2025),
    Column("tpe", "TPE 2025", "forecast", "TPE 2025", 2025),
)


def euros(value: int | None) -> Cell:
    return Cell("amount", None if value is None else value * 100)


def row(code: str, budget: int | None, forecast: int | None, heading: bool = False) -> Row:
    cells = (euros(1), euros(budget), euros(0), euros(forecast))
    return Row(code, code.capitalize(), 0, cells, heading=heading)


def report(*tables: Table) -> Report:
    return Report("X", "A", "A", Period(2025, 6), "t", Conventions(), tables)


def table(key: str, unit: str, *rows: Row) -> Table:
    return Table(key, "statement", key, unit, unit, COLUMNS, rows)


UNIT = table(
    "kt", "A",
    Row("", "Otsikko", 0, (Cell("text"),) * 4, heading=True),
    row("tuotot", 1_000_000, 1_060_000),  # +60 000 €, 6 % of the budget
    row("kulut", -2_000_000, -2_050_000),  # −50 000 €, 2,5 %
    row("avustukset", 0, 10),  # +10 € against no budget
    row("poistot", -40_000, -40_000),  # no deviation
    row("tyhja", None, None),  # no entries at all
)
OTHER_UNIT = table("kt_b", "B", row("tuotot", 100, 1_000_000))
AGAIN = table("yht", "A", row("tuotot", 1, 999_999_999), row("uusi", 100, 1_100))


def needing(threshold: Threshold) -> list[str]:
    return [d.line_code for d in lines_needing_explanation(report(UNIT, OTHER_UNIT, AGAIN), "A", threshold)]


def test_the_deviation_is_the_forecast_minus_this_years_budget_each_line_once():
    deviations = {d.line_code: d for d in unit_deviations(report(UNIT, OTHER_UNIT, AGAIN), "A")}
    assert list(deviations) == ["tuotot", "kulut", "avustukset", "poistot", "uusi"]
    assert deviations["tuotot"].cents == 60_000_00 and deviations["tuotot"].table == "kt"
    assert deviations["kulut"].cents == -50_000_00
    assert deviations["kulut"].budget_column.key == "mta" and deviations["kulut"].forecast_column.key == "tpe"
    assert deviations["uusi"].cents == 1_000_00


def test_a_percentage_threshold_is_of_the_budgets_absolute_value_and_strict():
    assert needing(Threshold(percent=Decimal(5))) == ["tuotot", "avustukset", "uusi"]  # uusi: 1000 %
    assert needing(Threshold(percent=Decimal(6))) == ["avustukset", "uusi"]  # exactly 6 % is not more
    assert needing(Threshold(percent=Decimal("2.4"))) == ["tuotot", "kulut", "avustukset", "uusi"]
    assert needing(Threshold(percent=Decimal("2.5"))) == ["tuotot", "avustukset", "uusi"]


def test_an_amount_threshold_compares_euros_either_way():
    assert needing(Threshold(cents=50_000_00)) == ["tuotot"]  # −50 000 € is not more than 50 000 €
    assert needing(Threshold(cents=49_999_99)) == ["tuotot", "kulut"]
    assert needing(Threshold(cents=0)) == ["tuotot", "kulut", "avustukset", "uusi"]


def test_with_both_thresholds_a_line_must_exceed_both_and_with_none_no_line_needs_one():
    assert needing(Threshold(percent=Decimal(5), cents=100_00)) == ["tuotot", "uusi"]  # avustukset: only 10 €
    assert needing(Threshold(percent=Decimal(2), cents=55_000_00)) == ["tuotot"]
    assert needing(Threshold()) == []


def test_a_missing_explanation_is_a_warning_naming_the_line():
    needed = lines_needing_explanation(report(UNIT), "A", Threshold(percent=Decimal(2)))
    findings = missing_explanations(needed, {"kulut"}, "A")
    assert [(f.severity, rule_of(f), f.row, f.table) for f in findings] == [
        ("warning", "deviation_explanation", "Tuotot", "kt"), ("warning", "deviation_explanation", "Avustukset", "kt")]
    assert [(f.code, f.unit, f.column) for f in findings] == [("check.deviation_explanation.missing", "A", "tpe")] * 2
    # the deviation itself, as data: +60 000 € (6 %); +10 € against no budget (no share)
    assert [f.params for f in findings] == [{"deviation": Money(60_000_00), "share": Percent(Fraction(6, 100))},
                                            {"deviation": Money(10_00), "share": None}]
