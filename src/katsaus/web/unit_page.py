"""What a unit's page shows, read from the report model that the published report is rendered from.

The figures are the report's own tables, turned into rows by the report renderer's functions
(katsaus.render.presented.text_tables, katsaus.render.html.table_view): no figure is computed here. The narrative
preview resolves placeholders with core.narrative and renders with katsaus.render.narratives (Markdown without raw
HTML, sanitised by nh3), as the published page does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import nh3
from markdown_it import MarkdownIt

from katsaus.core.checks import Finding, run_checks
from katsaus.core.content import attach_content
from katsaus.core.deviations import Deviation, Threshold, lines_needing_explanation
from katsaus.core.document import Document, build_document, child_units
from katsaus.core.model import Cell
from katsaus.core.narrative import Narrative, resolve
from katsaus.render.html import TableView, table_view
from katsaus.render.narratives import narrative_html
from katsaus.render.numbers import column_conventions, format_cell
from katsaus.render.presented import text_tables
from katsaus.services.reports import parse_period, statement_report
from katsaus.store.content import load_content

FIGURE_PARTS = ("table", "goals", "key_results", "balancing", "forecast_basis")


@dataclass
class UnitReport:
    """The report a unit's figures are read from: the organisation's (the published one) when it has a section
    of the unit, else the unit's own."""

    config: Any
    template: Any
    report: Any
    document: Document
    language: str


@dataclass
class FigureBlock:
    title: str
    tables: list[dict] = field(default_factory=list)


def table_rows(view: TableView) -> dict:
    """The renderer's table view with each cell paired with whether it is a number (a Django template cannot
    index a tuple by the loop counter as the report's Jinja template does)."""
    return {
        "id": view.id, "css": view.css, "caption": view.caption, "footnotes": view.footnotes,
        "header": list(zip(view.header, view.numeric_header)),
        "rows": [{"label": row.label, "level": row.level, "total": row.total,
                  "cells": list(zip(row.cells, view.numeric))} for row in view.rows],
    }


# The statement (figures only) of a unit, kept between requests while nothing it is computed from changes: the
# facts' stamp below changes with every import, plan write, version change and configuration load, and with the
# day (a version dated today counts from today). Texts and entries change all the time; they are attached anew.
_STATEMENTS: OrderedDict[tuple, tuple] = OrderedDict()
_STATEMENTS_LOCK = threading.Lock()
STATEMENTS_KEPT = 32


def facts_stamp() -> tuple:
    from django.db.models import Count, Max
    from django.utils import timezone

    from katsaus.store import models

    versions = models.PlanVersion.objects.order_by("id").values_list(
        "id", "name", "kind", "year", "effective_date", "made_at_period")
    return (
        timezone.localdate(),
        tuple(models.ImportBatch.objects.aggregate(n=Count("id"), last=Max("id")).values()),
        tuple(models.PlanAmount.objects.aggregate(n=Count("id"), replaced=Count("superseded_by")).values()),
        hash(tuple(versions)),
        tuple(models.ConfigDocument.objects.aggregate(n=Count("id"), last=Max("id"), at=Max("loaded_at")).values()),
    )


def statement_of(period: str, unit_code: str, template_code: str, language: str) -> tuple:
    """(config, template, statement report) of services.reports.statement_report, reused while the facts stand."""
    key = (period, unit_code, template_code, language, facts_stamp())
    with _STATEMENTS_LOCK:
        kept = _STATEMENTS.get(key)
        if kept is not None:
            _STATEMENTS.move_to_end(key)
            return kept
    kept = statement_report(period, unit_code, template_code, language)
    with _STATEMENTS_LOCK:
        _STATEMENTS[key] = kept
        while len(_STATEMENTS) > STATEMENTS_KEPT:
            _STATEMENTS.popitem(last=False)
    return kept


def with_content(config: Any, template: Any, statement: Any) -> Any:
    """The statement with the stored goals, key results, balancing programme and texts (as full_report)."""
    return attach_content(statement, load_content(), config.organisation, config.scheme(template.scheme), template)


def unit_report(period: str, template_code: str, unit_code: str, language: str) -> UnitReport:
    config, template, _ = statement_of(period, None, template_code, language)
    root = config.organisation.roots()[0]
    for code in dict.fromkeys((root, unit_code)):
        config, template, statement = statement_of(period, code, template_code, language)
        report = with_content(config, template, statement)
        document = build_document(report, template, language=language)
        if any(section.unit_code == unit_code for section in document.sections):
            break
    return UnitReport(config, template, report, document, language)


def figure_blocks(source: UnitReport, unit_code: str) -> list[FigureBlock]:
    """The unit's tables in the document's order, each under its section's number and title."""
    blocks = []
    for section in source.document.sections:
        if section.unit_code != unit_code:
            continue
        tables = [table_rows(table_view(t, source.language)) for part in section.parts if part.kind in FIGURE_PARTS
                  for t in text_tables(part, source.document)]
        if tables:
            blocks.append(FigureBlock(f"{section.number} {section.title}", tables))
    return blocks


def narrative_sections(source: UnitReport, unit_code: str, stored: list[str] = ()) -> list[str]:
    """The narrative sections the template has for this unit, in the document's order, then the unit's other
    stored sections (a text loaded for a section the template does not print is still the unit's to see)."""
    report = source.report
    keys: list[str] = []
    for spec in source.template.document_sections():
        units = (report.unit_code,) if spec.units == "self" else child_units(report)
        if unit_code in units:
            keys += [p.section for p in spec.parts if p.kind == "narrative" and p.section and p.section not in keys]
    return keys + [section for section in stored if section not in keys]


@dataclass
class Preview:
    html: str
    problems: list[str]


def preview(source: UnitReport, unit_code: str, section: str, markdown: str) -> Preview:
    """The narrative as the report would print it: placeholders resolved, or their problems listed (then the
    text is shown with the placeholders as typed)."""
    narrative = Narrative(unit_code, parse_period(period_of(source)),
                          section, markdown)
    result = resolve(narrative, source.report)
    if result.problems:
        html = nh3.clean(MarkdownIt("commonmark", {"html": False}).render(markdown))
        return Preview(html, list(result.problems))
    return Preview(narrative_html(result, source.document.conventions), [])


def period_of(source: UnitReport) -> str:
    return f"{source.report.period_year}-{source.report.period_month:02d}"


def unit_findings(source: UnitReport, unit_code: str, unit_name: str) -> list[Finding]:
    """The consistency findings about this unit (by code or by the name the report prints)."""
    return [f for f in run_checks(source.report) if f.unit in (unit_code, unit_name)]


def narrative_history(unit_code: str, period: str, section: str, limit: int = 10) -> list:
    """The narrative's saved versions, newest first (each save keeps the earlier text as a row)."""
    from katsaus.store.models import Narrative as NarrativeRow

    rows = NarrativeRow.objects.filter(unit_code=unit_code, period=period, section=section).order_by("-id")
    return list(rows.values("id", "entered_by", "entered_at", "source")[:limit])


def explanation_history(template_code: str, unit_code: str, period: str, line_code: str, limit: int = 10) -> list:
    """A deviation explanation's saved versions, newest first (each save keeps the earlier text as a row)."""
    from katsaus.store.models import DeviationExplanation

    rows = DeviationExplanation.objects.filter(template_code=template_code, unit_code=unit_code, period=period,
                                               line_code=line_code).order_by("-id")
    return list(rows.values("id", "entered_by", "entered_at", "text")[:limit])


def status_history(unit: Any) -> list:
    """The unit's status changes in the round, newest first, from the audit history."""
    from katsaus.services.audit import item_history

    return item_history(unit)


def needing_explanation(source: UnitReport, unit_code: str) -> list[Deviation]:
    """The unit's statement lines whose forecast differs from the budget by more than the template's threshold."""
    threshold = Threshold(source.template.deviation_threshold_percent, source.template.deviation_threshold_cents)
    return lines_needing_explanation(source.report, unit_code, threshold)


@dataclass
class DeviationRow:
    line_code: str
    label: str
    budget: str
    forecast: str
    deviation: str


def deviation_row(source: UnitReport, deviation: Deviation) -> DeviationRow:
    """A line's budget, forecast and their difference, printed as the report's tables print them (the forecast
    column's conventions for the difference)."""
    conv = source.document.conventions
    budget_conv = column_conventions(conv, deviation.budget_column)
    forecast_conv = column_conventions(conv, deviation.forecast_column)
    return DeviationRow(deviation.line_code, deviation.label, format_cell(deviation.budget, budget_conv),
                        format_cell(deviation.forecast, forecast_conv),
                        format_cell(Cell("amount", deviation.cents), forecast_conv))
