"""Chart series (core.series), the document model (core.document) and the charts (render.charts) on a small
hand-made organisation whose figures are worked out by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from katsaus.core.document import build_document
from katsaus.core.facts import Balance, MemoryFacts, PlanAmount, PlanVersion
from katsaus.core.model import Conventions
from katsaus.core.org import CostCentre, OrgTree, Unit
from katsaus.core.periods import Period
from katsaus.core.scheme import AccountRange, Line, Scheme, Term
from katsaus.core.series import build_series
from katsaus.core.statement import build_report
from katsaus.core.template import ColumnSpec, DocumentSpec, PartSpec, RowSpec, SectionSpec, TableSpec, Template
from katsaus.render.charts import render_chart

ORG = OrgTree(
    code="T",
    name_fi="Testikunta",
    units=(Unit("TOP", "Toimiala", name_sv="Sektorn"), Unit("A", "Alue A", "TOP"), Unit("B", "Alue B", "TOP")),
    cost_centres=(CostCentre("100", "a", "A"), CostCentre("200", "b", "B")),
)
SCHEME = Scheme(
    code="s",
    name_fi="Tuloslaskelma",
    ledger_sign="costs_positive",
    lines=(
        Line("tuotot", "Tuotot", accounts=(AccountRange("3", "3"),)),
        Line("kulut", "Kulut", accounts=(AccountRange("4", "4"),)),
        Line("toimintakate", "Toimintakate", "Verksamhetsbidrag", sum_of=(Term("tuotot"), Term("kulut"))),
    ),
)
COLUMNS = (
    ColumnSpec("ta", "budget", "{version}", version="in_force"),
    ColumnSpec("tot", "actual", "TOT {period}", label_sv="UTF {period}"),
    ColumnSpec("pct", "ratio", "TOT-%", numerator="tot", denominator="ta"),
    ColumnSpec("tpe", "forecast", "{version}", version="latest"),
)
ROWS = (RowSpec("tuotot"), RowSpec("kulut"), RowSpec("toimintakate", label_sv="Bidraget"))
TABLES = (
    TableSpec("own", "own", "Tuloslaskelma (1000 €)", "self", ROWS, title_sv="Resultaträkning"),
    TableSpec("area", "own", "Käyttötalous (1000 €)", "children", ROWS),
)
SECTIONS = (
    SectionSpec("{unit} – katsaus {period}", (PartSpec("narrative", section="katsaus"), PartSpec("table", table="own"), PartSpec("chart", chart="cumulative"), PartSpec("chart", chart="realisation")), "self", 1),
    SectionSpec("{unit}", (PartSpec("goals"), PartSpec("table", table="area"), PartSpec("chart", chart="cumulative")), "children", 2),
    SectionSpec("Tasapainottaminen", (PartSpec("balancing"), PartSpec("chart", chart="balancing")), "self", 1),
)


def template(profile: str = "last_year", sections=SECTIONS) -> Template:
    return Template("t", "Katsaus", "s", COLUMNS, TABLES, Conventions(), "Rapport", DocumentSpec(profile=profile), sections)


# Last year's costs of A: 100 € a month, but 400 € in June (holiday pay): 1 500 € in the year.
LAST_YEAR = [Balance(2024, m, "100", "4000", False, 40000 if m == 6 else 10000) for m in range(1, 13)]
# This year: A has costs of 150 € a month, B revenue of 50 € in March only.
THIS_YEAR = [Balance(2025, m, "100", "4000", False, 15000) for m in range(1, 7)] + [Balance(2025, 3, "200", "3000", False, -5000)]
VERSIONS = [PlanVersion("TA 2025", "budget", 2025, date(2024, 12, 1)), PlanVersion("TPE 2025", "forecast", 2025, date(2025, 7, 1))]
PLANS = [
    PlanAmount("TA 2025", -180000, unit="A", line="kulut"),  # -1 800 €
    PlanAmount("TA 2025", 10000, unit="B", line="tuotot"),
    PlanAmount("TPE 2025", -200000, unit="A", line="kulut"),
]


def facts() -> MemoryFacts:
    return MemoryFacts(LAST_YEAR + THIS_YEAR, VERSIONS, PLANS)


def report_and_series(profile: str = "last_year", language: str = "fi"):
    tpl = template(profile)
    report = build_report(ORG, SCHEME, tpl, Period(2025, 6), "TOP", facts(), language)
    return tpl, report, build_series(ORG, SCHEME, tpl, report, facts(), language=language)


# --- series --------------------------------------------------------------------------------------------------


def test_cumulative_actual_runs_month_by_month_and_ends_at_the_tables_actual():
    _, report, series = report_and_series()
    a = series.cumulative_of("A", "toimintakate")
    assert a.actual == (-15000, -30000, -45000, -60000, -75000, -90000)
    top = series.cumulative_of("TOP", "toimintakate")
    assert top.actual == (-15000, -30000, -40000, -55000, -70000, -85000)
    assert top.actual_to_date == report.table("own", "TOP").row("toimintakate").cells[1].cents


def test_budget_follows_last_years_profile_and_ends_at_the_annual_budget():
    _, _, series = report_and_series()
    a = series.cumulative_of("A", "toimintakate")
    assert a.profile == "last_year" and a.profile_year == 2024
    assert a.budget_total == -180000 and a.budget[-1] == -180000
    # January: 100/1500 of the year; June: (500 + 400)/1500
    assert a.budget[0] == -12000 and a.budget[5] == -108000
    assert a.forecast[-1] == -200000
    assert a.realisation == Fraction(90000, 180000) and a.benchmark == Fraction(1, 2)


def test_a_unit_without_a_previous_year_gets_the_time_proportional_line():
    _, _, series = report_and_series()
    b = series.cumulative_of("B", "toimintakate")
    assert b.profile == "time" and b.profile_year is None
    assert b.budget == tuple(round(Fraction(10000 * m, 12)) for m in range(1, 13))
    assert b.actual == (None, None, 5000, 5000, 5000, 5000)


def test_time_profile_when_the_template_asks_for_it():
    _, _, series = report_and_series("time")
    assert series.cumulative_of("A", "toimintakate").budget[5] == -90000


def test_realisation_chart_takes_the_tables_ratios():
    _, report, series = report_and_series()
    chart = series.realisation["toimintakate"]
    assert [b.unit_code for b in chart.bars] == ["TOP", "A", "B"]
    assert chart.bars[1].ratio == Fraction(1, 2)
    assert chart.bars[0].ratio == report.table("own", "TOP").row("toimintakate").cells[2].ratio


# --- the document model ----------------------------------------------------------------------------------------


def test_sections_are_numbered_and_parts_without_content_are_left_out():
    tpl, report, series = report_and_series()
    document = build_document(report, tpl, series)
    assert [(s.number, s.title) for s in document.sections] == [
        ("1.1", "Toimiala – katsaus 1-6/2025"), ("1.1.1", "Alue A"), ("1.1.2", "Alue B"),
    ]  # no narratives, goals or balancing programme in this report: those parts and the 1.2 section are absent
    assert [p.kind for p in document.sections[0].parts] == ["table", "chart", "chart"]
    assert [p.number for _, p in document.parts("table")] == [1, 2, 3]
    assert [p.number for _, p in document.parts("chart")] == [1, 2, 3, 4]
    assert document.title_page.title == "Katsaus" and document.title_page.status == "draft"


def test_the_swedish_document_takes_the_templates_swedish_labels():
    tpl, report, series = report_and_series(language="sv")
    document = build_document(report, tpl, series, language="sv", status="approved", status_date=date(2025, 8, 19))
    table = next(p for _, p in document.parts("table"))
    assert table.title == "Resultaträkning" and table.table.unit_name == "Sektorn"
    assert [c.label for c in table.table.columns] == ["TA 2025", "UTF 1-6/2025", "TOT-%", "TPE 2025"]
    assert table.table.rows[2].label == "Bidraget"
    assert document.title_page.title == "Rapport" and document.conventions.locale == "sv"


def test_without_sections_the_template_gives_its_tables_unit_by_unit():
    tpl = template(sections=())
    report = build_report(ORG, SCHEME, tpl, Period(2025, 6), "TOP", facts())
    document = build_document(report, tpl)
    assert [s.number for s in document.sections] == ["1.1", "1.1.1", "1.1.2"]


# --- drawing ---------------------------------------------------------------------------------------------------


def chart_parts(language: str = "fi"):
    tpl, report, series = report_and_series(language=language)
    document = build_document(report, tpl, series, language=language)
    return document, [p for _, p in document.parts("chart")]


def test_svg_is_deterministic_accessible_and_finnish():
    document, parts = chart_parts()
    first = render_chart(parts[0], document.conventions, "fi", ("svg", "png"))
    again = render_chart(parts[0], document.conventions, "fi", ("svg",))
    assert first.svg == again.svg
    assert "<dc:date>" not in first.svg and first.svg.startswith("<svg")
    assert 'role="img"' in first.svg and '<title id="kuvio-1-title">' in first.svg and '<desc id="kuvio-1-desc">' in first.svg
    assert "tammi" in first.svg and "kesä" in first.svg  # CLDR month names
    assert first.png.startswith(b"\x89PNG")


def test_alt_texts_state_the_key_figures_in_words():
    document, parts = chart_parts()
    cumulative = render_chart(parts[0], document.conventions, "fi").alt
    assert cumulative.startswith("Toimintakate 1–6/2025 0,0 milj. €, 50,0\u00a0% talousarviosta; aikaan suhteutettu 50\u00a0%.")
    assert "kertymäprofiilin mukaan" in cumulative
    realisation = render_chart(parts[1], document.conventions, "fi").alt
    assert "Alue A 50,0\u00a0%" in realisation and "aikaan suhteutettu 50\u00a0%" in realisation


def test_swedish_charts_have_swedish_texts():
    document, parts = chart_parts("sv")
    chart = render_chart(parts[0], document.conventions, "sv")
    assert chart.alt.startswith("Bidraget 1–6/2025") or chart.alt.startswith("Verksamhetsbidrag 1–6/2025")
    assert "av budgeten; tidsproportionellt 50\u00a0%" in chart.alt
    assert "jan." in chart.svg or "jan" in chart.svg


@pytest.mark.parametrize("month, expected", [(6, "50\u00a0%"), (5, "41,7\u00a0%")])
def test_the_benchmark_is_whole_when_it_is_exact(month, expected):
    tpl = template()
    report = build_report(ORG, SCHEME, tpl, Period(2025, month), "TOP", facts())
    series = build_series(ORG, SCHEME, tpl, report, facts())
    document = build_document(report, tpl, series)
    part = next(p for _, p in document.parts("chart"))
    assert f"suhteutettu {expected}." in render_chart(part, document.conventions, "fi").alt
