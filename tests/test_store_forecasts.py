"""Forecast versions in the store: provenance kept per figure, writes replace per unit × line, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest
from reliability_support import assert_readable

from katsaus.core.errors import Conflict, Refused, Term
from katsaus.core.forecast import ForecastFigure

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def store():
    from katsaus.store import forecasts

    return forecasts


def test_figures_keep_method_reason_range_and_author(store):
    figures = [ForecastFigure("A", "kulut", -123_45, "suggested", "weighted", -130_00, -120_00, "robot"),
               ForecastFigure("A", "tuotot", 5_00, "manual", "uusi sopimus", entered_by="controller")]
    saved = store.save_figures("TPE 6/2025", 2025, "2025-06", figures, "tpe.xlsx", author="Controller",
                               user="controller", effective_date=date(2025, 7, 10))
    assert (saved.stored, saved.replaced) == (2, 0)
    assert [s.figure for s in store.figures("TPE 6/2025")] == figures
    info = store.summary("TPE 6/2025")
    assert (info.year, info.made_at_period, info.author, info.effective_date, info.figures) == (
        2025, "2025-06", "Controller", date(2025, 7, 10), 2)
    assert store.figures("TPE 6/2025")[0].source == "tpe.xlsx"


def test_a_write_replaces_only_its_own_unit_and_line(store):
    first = [ForecastFigure("A", "kulut", -1, "suggested"), ForecastFigure("A", "tuotot", 1, "suggested")]
    store.save_figures("V 2025", 2025, "2025-06", first, "suggest")
    again = store.save_figures("V 2025", 2025, "2025-06", [ForecastFigure("A", "kulut", -7, "manual", "syy")], "set")
    assert again.replaced == 1
    assert sorted((s.figure.line, s.figure.cents, s.figure.method) for s in store.figures("V 2025")) == [
        ("kulut", -7, "manual"), ("tuotot", 1, "suggested")]
    store.save_figures("V 2025", 2025, "2025-06", [ForecastFigure("B", "kulut", -2, "suggested")], "again",
                       replace_all=True)
    assert [s.figure.unit for s in store.figures("V 2025")] == ["B"]


def test_a_replaced_figure_stays_as_history_with_when_and_by_whom(store):
    store.save_figures("V 2025", 2025, "2025-06", [ForecastFigure("A", "kulut", -1, "suggested")], "suggest", user="robot")
    store.save_figures("V 2025", 2025, "2025-06", [ForecastFigure("A", "kulut", -5, "manual", "ensin")], "set", user="anna")
    store.save_figures("V 2025", 2025, "2025-06", [ForecastFigure("A", "kulut", -7, "manual", "korjattu")], "set", user="olli")
    assert [(s.figure.cents, s.replaced_at) for s in store.figures("V 2025")] == [(-7, None)]
    history = store.figures("V 2025", history=True)
    assert [(s.figure.cents, s.figure.reason, s.replaced_by) for s in history] == [
        (-1, "", "anna"), (-5, "ensin", "olli"), (-7, "korjattu", "")]
    assert history[0].replaced_at == history[1].written_at and history[1].replaced_at == history[2].written_at
    assert store.summary("V 2025").figures == 1
    from katsaus.store.repository import DbFacts

    assert [a.cents for a in DbFacts().plan_amounts("V 2025")] == [-7]  # the report counts the current one only


def test_a_budget_name_or_another_year_is_refused_and_nothing_changes(store):
    from katsaus.store import models, repository

    repository.save_plan("budget", "TA 2025", 2025, "ta.csv", "x", 1, [("A", None, "kulut", None, None, -1)])
    with pytest.raises(Conflict) as budget:
        store.save_figures("TA 2025", 2025, "2025-06", [ForecastFigure("A", "kulut", -2, "manual", "x")], "f")
    assert budget.value.codes == ("store.version_other_kind",)
    assert budget.value.problems[0].params["kind"] == Term("store.kind.budget")
    store.save_figures("TPE 2025", 2025, "2025-06", [ForecastFigure("A", "kulut", -2, "manual", "x")], "f")
    with pytest.raises(Conflict) as year:
        store.save_figures("TPE 2025", 2026, "2026-03", [ForecastFigure("A", "kulut", -3, "manual", "x")], "g")
    assert year.value.problems[0].params["year"] == 2025 and year.value.problems[0].params["wanted_year"] == 2026
    assert_readable(year.value.problems[0])
    assert [a.cents for a in models.PlanAmount.objects.order_by("id")] == [-1, -2]


def test_the_previous_forecast_is_the_newest_other_version(store):
    store.save_figures("ehdotus", 2025, "2025-06", [], "s")
    store.save_figures("TPE 3/2025", 2025, "2025-03", [], "s", effective_date=date(2025, 4, 10))
    store.save_figures("TPE 5/2025", 2025, "2025-05", [], "s", effective_date=date(2025, 6, 10))
    assert store.latest_forecast(2025, exclude=["ehdotus"]) == "TPE 5/2025"
    assert store.latest_forecast(2024) is None


def test_a_sheet_of_thousands_of_rows_replaces_its_figures(store):
    # a county-sized sheet: the write must not build one SQL condition per unit × line (SQLite caps expression depth)
    figures = [ForecastFigure(f"U{i}", "kulut", -i, "suggested") for i in range(3000)]
    store.save_figures("V 2025", 2025, "2025-06", figures, "suggest")
    again = store.save_figures("V 2025", 2025, "2025-06", [ForecastFigure(f.unit, f.line, -7, "manual", "x") for f in figures], "sheet")
    assert again.replaced == 3000 and {s.figure.cents for s in store.figures("V 2025")} == {-7}


def test_suggestions_and_controllers_figures_are_never_mixed_and_a_write_names_each_pair_once(store):
    store.save_figures("ehdotus", 2025, "2025-06", [ForecastFigure("A", "kulut", -1, "suggested")],
                       "katsaus forecast suggest", suggestion=True)
    with pytest.raises(Conflict) as mixed:
        store.save_figures("ehdotus", 2025, "2025-06", [ForecastFigure("A", "kulut", -2, "manual", "x")], "f")
    assert mixed.value.codes == ("store.version_holds_suggestions",)
    twice = [ForecastFigure("A", "kulut", -2, "manual", "x"), ForecastFigure("A", "kulut", -3, "manual", "y")]
    with pytest.raises(Refused) as repeated:
        store.save_figures("TPE 2025", 2025, "2025-06", twice, "f")
    assert repeated.value.codes == ("store.figure_repeated",)
    assert repeated.value.problems[0].params == {"unit": "A", "line": "kulut"}
    with pytest.raises(Refused) as blank:
        store.save_figures("", 2025, "2025-06", [], "f")
    assert blank.value.codes == ("store.version_name_invalid",)
    for refused in (mixed.value, repeated.value, blank.value):
        assert_readable(refused.problems[0])
