"""Narratives as sanitised HTML with their placeholders filled from the report model."""

from __future__ import annotations

from fractions import Fraction

import pytest

from katsaus.core.errors import Note, Problem, Refused
from katsaus.core.model import Cell, Column, Conventions, Report, Row, Table
from katsaus.core.narrative import Narrative, NarrativeResult, resolve
from katsaus.core.periods import Period
from katsaus.render.narratives import filled_markdown, narrative_html, narratives_document

NBSP = "\u00a0"
COLUMNS = (Column("tot", "TOT", "actual", year=2025), Column("tot_pct", "TOT-%", "ratio", year=2025))
ROW = Row("toimintakate", "Toimintakate", 0, (Cell("amount", cents=-7_608_412_345), Cell("ratio", ratio=Fraction(76084, 153508))))
REPORT = Report("Org", "PESOVA", "Toimiala", Period(2025, 6), "t", Conventions(), (Table("t", "o", "T", "PESOVA", "Toimiala", COLUMNS, (ROW,)),))


def resolved(text: str):
    return resolve(Narrative("PESOVA", Period(2025, 6), "talous", text, "Talous"), REPORT, "Toimiala")


def test_placeholders_are_filled_as_the_report_prints_figures():
    text = "Kate on {{ luku: . / toimintakate / tot | milj }} milj. €, {{ luku: . / toimintakate / tot }} t€, {{ luku: . / toimintakate / tot_pct }} ja {{ luku: . / toimintakate / tot_pct | pct:0 }}."
    assert filled_markdown(resolved(text), REPORT.conventions) == f"Kate on -76,1 milj. €, -76{NBSP}084 t€, 49,6{NBSP}% ja 50{NBSP}%."
    assert "-76" in filled_markdown(resolved("{{ luku: . / toimintakate / tot | euro }}"), REPORT.conventions)


def test_a_figure_at_the_start_of_a_line_stays_text_not_markdown():
    html = narrative_html(resolved("{{ luku: . / toimintakate / tot | milj }} miljoonaa euroa"), REPORT.conventions)
    assert html == "<p>-76,1 miljoonaa euroa</p>\n"


def test_markdown_is_rendered_and_anything_unsafe_is_removed():
    text = "**Tärkeää**: <script>alert(1)</script> [linkki](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n- yksi\n- kaksi\n\n[lähde](https://example.org)"
    html = narrative_html(resolved(text), REPORT.conventions)
    assert "<strong>Tärkeää</strong>" in html and "<li>yksi</li>" in html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # raw HTML is shown as text, never passed through
    assert '<a href="https://example.org" rel="noopener noreferrer">lähde</a>' in html


def test_a_missing_figure_stops_rendering_and_names_it():
    placeholder = "{{ luku: . / toimintakatee / tot }}"
    for render in (narrative_html, filled_markdown):
        with pytest.raises(Refused) as caught:
            render(resolved(f"Kate {placeholder}."), REPORT.conventions)
        assert type(caught.value) is Refused and caught.value.outcome == Note("outcome.narratives_not_written")
        [problem] = caught.value.problems
        # core.narrative's code names what is wrong; the narrative (unit, section) and its placeholder locate it
        assert problem.code.startswith("narrative.") and problem.severity == "error"
        assert (problem.unit, problem.table, problem.row) == ("PESOVA", "narrative", "talous")
        assert placeholder in (problem.passage, problem.found)


def test_a_narratives_problems_are_located_at_the_narrative_unless_they_say_more():
    narrative = Narrative("PESOVA", Period(2025, 6), "talous", "{{ luku }}", "Talous")
    own = Problem("outcome.nothing_done", passage="{{ luku }}")
    placed = Problem("outcome.nothing_done", unit="PESOVA-PK", table="t", row="Toimintakate")
    with pytest.raises(Refused) as caught:
        narrative_html(NarrativeResult(narrative, "Toimiala", (), (own, placed)), REPORT.conventions)
    assert [(p.unit, p.table, p.row, p.passage) for p in caught.value.problems] == [
        ("PESOVA", "narrative", "talous", "{{ luku }}"), ("PESOVA-PK", "t", "Toimintakate", None)]


def test_the_document_has_a_language_title_and_one_section_per_narrative():
    from dataclasses import replace

    report = replace(REPORT, narratives=(resolved("Teksti."),))
    page = narratives_document(report)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"fi\">")
    assert "<section><h2>Talous</h2>\n<p>Teksti.</p>\n</section>" in page
