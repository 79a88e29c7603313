"""The forecast round in the browser, on the services the CLI's `forecast` commands use (services.forecasts):
a suggestion's figures (with its range and how it was made) beside the budget in force and the previous
forecast, one value set with its reason, the controllers' sheet (budget, actual to date, suggestion and
previous forecast per unit × line) downloaded and uploaded again."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from katsaus.core.errors import ProblemsError
from katsaus.core.model import Cell, Conventions
from katsaus.services import forecasts
from katsaus.web.uploads import safe_name, shown


def forecast_versions() -> list[str]:
    from katsaus.store.models import PlanVersion

    return list(PlanVersion.objects.filter(kind="forecast").order_by("-year", "name").values_list("name", flat=True))


def made_at(version: str) -> str:
    """The period a forecast version was made at ("2025-06"), which its sheet is of."""
    from katsaus.store.forecasts import summary

    info = summary(version)
    return info.made_at_period if info is not None else ""


@dataclass(frozen=True)
class RoundLine:
    """One unit × statement line of the forecast round, figures as the report prints them (its unit, e.g. 1000 €)."""
    unit: str
    unit_name: str
    line: str
    line_name: str
    suggestion: str
    low: str
    high: str
    explanation: str
    budget: str
    previous: str
    previous_reason: str


@dataclass(frozen=True)
class RoundTable:
    suggestion: str
    made_at: str
    budget_name: str | None
    previous_name: str | None
    unit_label: str        # "1 000 €" or "€", as the report's tables say
    lines: list[RoundLine]


def report_conventions(language: str) -> Conventions:
    """The report template's number conventions (unit, rounding) in the reader's language; the defaults
    (1000 €) when the configuration has several templates and none is the default."""
    from katsaus.services.reports import stored_config

    try:
        conventions = stored_config().template().conventions
    except (KeyError, ValueError):
        conventions = Conventions()
    return replace(conventions, locale=language, empty="blank")


def amount(cents: int | None, conventions: Conventions) -> str:
    from katsaus.render.numbers import format_amount

    return "" if cents is None else format_amount(Cell("amount", cents), conventions)


def round_table(suggestion: str, previous: str | None, language: str) -> RoundTable:
    """Per unit × line: the suggestion with its range and how it was made, the budget in force and the previous
    forecast at the suggestion's period — the same figures the CLI's sheet (`forecast sheet`) holds."""
    from katsaus.render.presented import method_words
    from katsaus.store.forecasts import figure_map

    period = forecasts.parse_period(made_at(suggestion) or "", "suggestion")
    side = forecasts.beside_suggestion(period, suggestion, previous=previous or None)
    reasons = figure_map(side.previous_name) if side.previous_name else {}
    conventions = report_conventions(language)
    config, _, units, scheme, _ = forecasts.context()
    leaves = scheme.leaf_lines()
    keys = set(side.suggestions) | set(side.budgets) | set(side.previous)
    lines = []
    for unit in units:
        for leaf in leaves:
            if (unit, leaf.code) not in keys:
                continue
            figure = side.suggestions.get((unit, leaf.code))
            lines.append(RoundLine(
                unit, config.organisation.unit(unit).name(language), leaf.code, leaf.name(language),
                amount(figure.cents if figure else None, conventions),
                amount(figure.low_cents if figure else None, conventions),
                amount(figure.high_cents if figure else None, conventions),
                method_words(figure.method, figure.explanation, language) if figure else "",
                amount(side.budgets.get((unit, leaf.code)), conventions),
                amount(side.previous.get((unit, leaf.code)), conventions),
                reasons[unit, leaf.code].reason if (unit, leaf.code) in reasons else ""))
    label = "1 000 €" if conventions.amount_unit == 1000 else "€"
    return RoundTable(suggestion, forecasts.period_text(period), side.budget_name, side.previous_name, label, lines)


def value_initial(query: Any) -> dict[str, str]:
    """The value form filled in from a row's "set" link: the unit × line, the forecast version beside the
    suggestion and the period the suggestion was made at."""
    initial = {key: query[key] for key in ("unit", "line") if query.get(key)}
    if query.get("forecast"):
        initial["version"] = query["forecast"]
    if query.get("suggestion"):
        initial["period"] = made_at(query["suggestion"])
    return initial


def sheet_bytes(period: str, suggestion: str) -> tuple[str, bytes]:
    """The controllers' sheet as the CLI writes it (`forecast sheet`), read back for download."""
    with tempfile.TemporaryDirectory(prefix="katsaus-sheet-") as folder:
        path = Path(folder) / f"ennuste-{period}.xlsx"
        forecasts.write_sheet_file(period, suggestion, path)
        return path.name, path.read_bytes()


def upload_sheet(upload: Any, version: str, actor: Any) -> forecasts.Outcome:
    """A filled-in sheet stored as a forecast version (`forecast upload`); problems under the file's own name."""
    with tempfile.TemporaryDirectory(prefix="katsaus-upload-") as folder:
        path = Path(folder) / safe_name(upload.name)
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            return forecasts.upload(path, version, actor)
        except ProblemsError as exc:
            exc.shown = shown(exc.problems, Path(folder))  # type: ignore[attr-defined]
            raise
