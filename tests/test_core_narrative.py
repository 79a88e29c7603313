"""Narrative placeholders (parsing, resolving, problems that name the figure) and reading hand-typed numbers."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from katsaus.core.errors import Term
from katsaus.core.model import Cell, Column, Conventions, Report, Row, Table
from katsaus.core.narrative import Narrative, parse_placeholders, resolve, sentences, stated_numbers
from katsaus.core.periods import Period

COLUMNS = (Column("tot", "TOT", "actual", year=2025), Column("tot_pct", "TOT-%", "ratio", year=2025))


def report() -> Report:
    row = Row("toimintakate", "Toimintakate", 0, (Cell("amount", cents=-7_608_400_000), Cell("ratio", ratio=Fraction(496, 1000))))
    table = Table("t", "tuloslaskelma", "T", "PESOVA", "Toimiala", COLUMNS, (row,))
    return Report("Org", "PESOVA", "Toimiala", Period(2025, 6), "x", Conventions(), (table,))


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
    "text, code, params, found",
    [
        ("{{ summa: PESOVA / toimintakate / tot }}", "narrative.placeholder_form",
         {"form": "{{ luku: UNIT / LINE / COLUMN | FORMAT }}"}, "{{ summa: PESOVA / toimintakate / tot }}"),
        ("{{ luku: PESOVA / toimintakate }}", "narrative.placeholder_path", {"own_unit": "."},
         "{{ luku: PESOVA / toimintakate }}"),
        ("{{ luku: PESOVA / toimintakate / tot | miljoonina }}", "narrative.placeholder_format",
         {"format": "miljoonina", "formats": ("tuhat", "milj", "euro", "pct")},
         "{{ luku: PESOVA / toimintakate / tot | miljoonina }}"),
        ("{{ luku: PESOVA / toimintakate / tot | milj:9 }}", "narrative.placeholder_decimals",
         {"decimals": "9", "most": 4}, "{{ luku: PESOVA / toimintakate / tot | milj:9 }}"),
        ("teksti {{ luku: PESOVA", "narrative.placeholder_unclosed", {}, "teksti {{ luku: PESOVA"),
    ],
)
def test_malformed_placeholders_are_problems(text, code, params, found):
    _, problems = parse_placeholders(text)
    assert [(p.code, p.params, p.found) for p in problems] == [(code, params, found)]


def test_placeholders_resolve_to_the_report_models_cells():
    result = resolve(narrative("{{ luku: . / toimintakate / tot | milj }} ja {{ luku: PESOVA / toimintakate / tot_pct }}"), report())
    assert result.problems == ()
    assert [r.cell for r in result.refs] == [Cell("amount", cents=-7_608_400_000), Cell("ratio", ratio=Fraction(496, 1000))]


@pytest.mark.parametrize(
    "placeholder, code, named",
    [
        ("{{ luku: PESOVA-XX / toimintakate / tot }}", "narrative.figure_unit", {"unit": "PESOVA-XX", "units": ("PESOVA",)}),
        ("{{ luku: PESOVA / toimintakatee / tot }}", "narrative.figure_line",
         {"unit": "PESOVA", "line": "toimintakatee", "lines": ("toimintakate",)}),
        ("{{ luku: PESOVA / toimintakate / tpe }}", "narrative.figure_column",
         {"unit": "PESOVA", "line": "toimintakate", "column": "tpe", "columns": ("tot", "tot_pct")}),
        ("{{ luku: PESOVA / toimintakate / tot_pct | milj }}", "narrative.format_mismatch",
         {"format": "milj", "kind": Term("cell_kind.ratio")}),
    ],
)
def test_a_reference_to_a_figure_that_does_not_exist_is_an_error_that_names_it(placeholder, code, named):
    result = resolve(narrative(f"Luku {placeholder}."), report())
    (problem,) = result.problems
    # the problem names the figure and quotes the placeholder, at the narrative's unit and section
    assert (problem.code, problem.params, problem.found) == (code, named, placeholder)
    assert (problem.unit, problem.table, problem.row) == ("PESOVA", "narrative", "talous")
    assert result.refs[0].problem == problem


def test_a_placeholder_problem_reads_in_finnish_with_the_figure_it_names():
    from katsaus.render.messages import problem_line

    (problem,) = resolve(narrative("Luku {{ luku: PESOVA / toimintakatee / tot }}."), report()).problems
    assert problem_line(problem, "fi") == (
        "yksikkö 'PESOVA', taulukko 'narrative', rivi talous: rivi toimintakatee ei ole missään yksikön PESOVA "
        "taulukossa; odotettiin jokin yksikön riveistä: toimintakate, löytyi '{{ luku: PESOVA / toimintakatee / tot }}'")


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


def test_narratives_and_the_report_model_do_not_import_each_other():
    """The report holds narrative results and a narrative resolves against the report's tables: the shared parts
    live in core.tables, so neither module imports the other, at run time or for the type checker."""
    import ast
    from pathlib import Path

    from katsaus.core import model, narrative

    def imported(module) -> set[str]:
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        return {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}

    assert "model" not in imported(narrative) and "narrative" in imported(model)
    assert "TYPE_CHECKING" not in Path(model.__file__).read_text(encoding="utf-8")
