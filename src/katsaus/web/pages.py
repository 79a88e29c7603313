"""What the pages show, made from what the services return with the report's own renderers.

Nothing is computed here: a unit's figures are the tables of the report the round publishes (services.units), shown
with the renderers of the published page (render.presented.text_tables, render.html.table_view); a narrative's
preview is render.narratives' HTML of the text resolved by the services; every number and message comes from
render (Babel, the message catalogue) in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import nh3
from django.utils.translation import gettext_lazy
from markdown_it import MarkdownIt

from katsaus.render.html import TableView, table_view
from katsaus.render.messages import Shown, shown
from katsaus.render.narratives import narrative_html
from katsaus.render.numbers import column_conventions, format_cell, format_cents
from katsaus.render.presented import method_words, text_tables
from katsaus.services.units import FIGURE_PARTS, UnitPage, figure_sections

from .refusals import language


@dataclass
class FigureBlock:
    title: str
    tables: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Preview:
    html: str
    problems: list[Shown]


def table_rows(view: TableView) -> dict[str, Any]:
    """The renderer's table view with each cell paired with whether it is a number (a Django template cannot
    index a tuple by the loop counter as the report's Jinja template does)."""
    return {
        "id": view.id, "css": view.css, "caption": view.caption, "footnotes": view.footnotes,
        "header": list(zip(view.header, view.numeric_header)),
        "rows": [{"label": row.label, "level": row.level, "total": row.total,
                  "cells": list(zip(row.cells, view.numeric))} for row in view.rows],
    }


def figure_blocks(page: UnitPage) -> list[FigureBlock]:
    """The unit's tables in the document's order, each under its section's number and title."""
    document = page.source.document
    blocks = []
    for section in figure_sections(page):
        tables = [table_rows(table_view(t, page.source.language)) for part in section.parts
                  if part.kind in FIGURE_PARTS for t in text_tables(part, document)]
        if tables:
            blocks.append(FigureBlock(f"{section.number} {section.title}", tables))
    return blocks


def preview_of(page_source: Any, result: Any, markdown: str) -> Preview:
    """A narrative as the report would print it, or — when its placeholders have problems — the text as typed
    with the problems listed."""
    if result.problems:
        html = nh3.clean(MarkdownIt("commonmark", {"html": False}).render(markdown))
        return Preview(html, [shown(p, language()) for p in result.problems])
    return Preview(narrative_html(result, page_source.document.conventions), [])


def deviation_row(page: UnitPage, deviation: Any) -> dict[str, str]:
    """A line's budget, forecast and their difference, printed as the report's tables print them (the forecast
    column's conventions for the difference)."""
    conv = page.source.document.conventions
    forecast_conv = column_conventions(conv, deviation.forecast_column)
    return {"line_code": deviation.line_code, "label": deviation.label,
            "budget": format_cell(deviation.budget, column_conventions(conv, deviation.budget_column)),
            "forecast": format_cell(deviation.forecast, forecast_conv),
            "deviation": format_cents(deviation.cents, forecast_conv)}


def saved_by(current: Any) -> str:
    return f"{current.entered_by}, {current.entered_at}" if current.version is not None else ""


# The words of an entry's history for what changed: the stored field (a goal's measures, a balancing measure's
# amounts) or, for a key result, which of its two values (each has its own history, of the stored field "value").
HISTORY_WORDS = {
    "values": gettext_lazy("Measured values"),
    "actual": gettext_lazy("Actual to date (€)"),
    "forecast": gettext_lazy("Forecast for the year (€)"),
    "measured": gettext_lazy("Measured value"),
    "confidence": gettext_lazy("Confidence (0–100)"),
}


def history_lines(history: tuple[Any, ...], field_name: str | None = None) -> list[dict[str, Any]]:
    """An entry's changes with what changed in words (never the stored field's name)."""
    return [{"when": c.when, "who": c.who, "what": HISTORY_WORDS.get(field_name or c.field, ""), "before": c.before,
             "after": c.after} for c in history]


def entry_rows(rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The entries' rows as the entry forms show them."""
    return [{"kind": row.kind, "code": row.code, "label": row.label, "history": history_lines(row.history),
             "fields": [{"name": f.name, "label": f.label, "value": f.value, "version": f.current.version,
                         "saved": saved_by(f.current), "history": history_lines(f.history, f.name)}
                        for f in row.fields]}
            for row in rows]


def shown_findings(problems: tuple[Any, ...]) -> list[Shown]:
    return [shown(p, language()) for p in problems]


def amount_unit(page: UnitPage) -> str:
    return "1000 €" if page.source.document.conventions.amount_unit == 1000 else "€"


def round_lines(table: Any) -> list[dict[str, str]]:
    """The forecast round's lines with their figures printed as the report prints them."""
    conv = table.conventions
    lines = []
    for line in table.lines:
        figure = line.suggestion
        lines.append({
            "unit": line.unit, "unit_name": line.unit_name, "line": line.line, "line_name": line.line_name,
            "suggestion": format_cents(figure.cents if figure else None, conv),
            "low": format_cents(figure.low_cents if figure else None, conv),
            "high": format_cents(figure.high_cents if figure else None, conv),
            "explanation": method_words(figure.method, figure.explanation, language()) if figure else "",
            "budget": format_cents(line.budget, conv), "previous": format_cents(line.previous, conv),
            "previous_reason": line.previous_reason})
    return lines
