"""Narrative placeholders (parsing, resolving, errors that name the figure) and reading hand-typed numbers."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from katsaus.core.model import Cell, Column, Conventions, Report, Row, Table
from katsaus.core.narrative import Narrative, parse_placeholders, resolve, sentences, stated_numbers
from katsaus.core.periods import Period

COLUMNS = (Column("tot", "TOT", "actual", year=2025), Column("tot_pct", "TOT-%", "ratio", year=2025))


def report() -> Report:
    row = Row("toimintakate", "Toimintakate", 0, (Cell("amount", cents=-7_608_400_000), Cell("ratio", ratio=Fraction(496, 1000))))
    table = Table("t", "tuloslaskelma", "T", "PESOVA", "Toimiala", COLUMNS, (row,))
    return Report("Org", "PESOVA", "Toimiala", 2025, 6, "x", Conventions(), (table,))


def narrative(text: str, unit: str = "PESOVA") -> Narrative:
    return Narrative(unit, Period(2025, 6), "talous", text)


def test_placeholders_parse_with_format_and_own_unit():
    refs, problems = parse_placeholders("on {{ luku: . / toimintakate / tot | milj }} ja {{luku:PESOVA/toimintakate/tot_pct|pct:0}}.")
    assert problems == []
    assert [(r.unit, r.line, r.column, r.format, r.decimals) for r in refs] == [
        (".", "toimintakate", "tot", "milj", None),
        ("PESOVA", "toimintakate", "tot_pct", "pct", 0),
    ]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("{{ summa: PESOVA / toimintakate / tot }}", "a placeholder looks like"),
        ("{{ luku: PESOVA / toimintakate }}", "UNIT / LINE / COLUMN"),
        ("{{ luku: PESOVA / toimintakate / tot | miljoonina }}", "unknown format 'miljoonina'"),
        ("{{ luku: PESOVA / toimintakate / tot | milj:9 }}", "decimals"),
        ("teksti {{ luku: PESOVA", "unclosed placeholder"),
    ],
)
def test_malformed_placeholders_are_problems(text, problem):
    _, problems = parse_placeholders(text)
    assert len(problems) == 1 and problem in problems[0]


def test_placeholders_resolve_to_the_report_models_cells():
    result = resolve(narrative("{{ luku: . / toimintakate / tot | milj }} ja {{ luku: PESOVA / toimintakate / tot_pct }}"), report())
    assert result.problems == ()
    assert [r.cell for r in result.refs] == [Cell("amount", cents=-7_608_400_000), Cell("ratio", ratio=Fraction(496, 1000))]


@pytest.mark.parametrize(
    "placeholder, named",
    [
        ("{{ luku: PESOVA-XX / toimintakate / tot }}", "unit 'PESOVA-XX' has no table"),
        ("{{ luku: PESOVA / toimintakatee / tot }}", "line 'toimintakatee' is in no table of unit 'PESOVA'"),
        ("{{ luku: PESOVA / toimintakate / tpe }}", "column 'tpe' is not shown"),
        ("{{ luku: PESOVA / toimintakate / tot_pct | milj }}", "format 'milj' does not fit a ratio"),
    ],
)
def test_a_reference_to_a_figure_that_does_not_exist_is_an_error_that_names_it(placeholder, named):
    result = resolve(narrative(f"Luku {placeholder}."), report())
    assert len(result.problems) == 1
    assert placeholder in result.problems[0] and named in result.problems[0]


def test_hand_typed_numbers_with_units_and_qualifiers():
    numbers = stated_numbers("on -76,1 miljoonaa euroa ja 49,6 %, noin 10 % ja yli 90 % sekä 3 352 vrk ja 62% (THL 2024)")
    assert [(n.value, n.kind, n.approx) for n in numbers[:-1]] == [
        (D("-76.1"), "millions", "exact"),
        (D("49.6"), "percent", "exact"),
        (D("10"), "percent", "about"),
        (D("90"), "percent", "over"),
        (D("3352"), "count", "exact"),
        (D("62"), "percent", "exact"),
    ]
    assert numbers[-2].after == "(THL 2024)"
    assert numbers[-1].is_year and not numbers[-2].is_year  # a year is a cue, not a figure


def test_dates_periods_ranges_and_ordinals_are_not_numbers():
    text = "1.9.2025 alkaen 1-6/2025 ja 6/24 sekä 0-17-vuotiaat, 2023–24, 8.luokkalaiset ja 65- vuotiaat"
    assert [n.raw for n in stated_numbers(text)] == []
    assert [n.value for n in stated_numbers("(10 hak./5 luottoa)")] == [D(10), D(5)]


def test_sentences_and_paragraphs_without_placeholders_or_markup():
    text = "**Toimialan** toimintakate on {{ luku: . / toimintakate / tot }}. Edellisenä vuonna -77,7 M€.\n\nmm. uusi kappale."
    found = sentences(text)
    assert [(s.paragraph, s.text) for s in found] == [
        (0, "Toimialan toimintakate on ."),
        (0, "Edellisenä vuonna -77,7 M€."),
        (1, "mm. uusi kappale."),
    ]
    assert found[1].numbers[0].kind == "millions"
