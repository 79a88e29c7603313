"""The document's table parts as printed text, once, for every renderer (HTML/PDF, Word, Excel).

A statement table's cells are formatted by render.numbers; goals, key results and the balancing programme by the
content renderers of render.content_tables (the same phrasing as their CSV files). Each row keeps the report
model's cells too, so the Excel renderer can store numbers while showing exactly these texts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from babel.numbers import format_decimal

from katsaus.core.document import (
    BalancingPart,
    Document,
    ForecastBasisPart,
    GoalsPart,
    KeyResultsPart,
    Part,
    TablePart,
)
from katsaus.core.forecast import Explanation
from katsaus.core.model import Cell, Conventions
from katsaus.render.i18n import CATALOGUE, language_of, text
from katsaus.render.numbers import column_conventions, format_cell


@dataclass(frozen=True)
class TextRow:
    label: str
    cells: tuple[str, ...]
    level: int = 0
    total: bool = False
    values: tuple[Cell | None, ...] = ()  # the model's cells behind `cells` (statement and balancing tables)
    conventions: Conventions | None = None  # how `values` are presented (the balancing table has its own)
    cell_conventions: tuple[Conventions, ...] = ()  # per cell, where columns have their own empty/zero settings
    heading: bool = False  # a heading row: a label without figures


@dataclass(frozen=True)
class TextTable:
    kind: str  # "statement", "goals", "key_results", "balancing", "forecast_basis"
    number: int
    caption: str  # without its number: "Perhekeskuspalvelut – Käyttötalous (1000 €)"
    header: tuple[str, ...]  # the label column's header first
    numeric: tuple[bool, ...]  # per data column: a number (right-aligned)
    rows: tuple[TextRow, ...]
    footnotes: tuple[str, ...] = ()
    sheet: str = ""  # a short name for a spreadsheet tab

    def numbered_caption(self, language: str) -> str:
        return f"{text(language, 'table_n', n=self.number)} {self.caption}"


def statement_table(part: TablePart, document: Document) -> TextTable:
    conv = document.conventions
    table = part.table
    convs = tuple(column_conventions(conv, c) for c in table.columns)
    rows = tuple(
        TextRow(row.label, tuple(format_cell(c, cv) for c, cv in zip(row.cells, convs)), row.level, values=row.cells,
                conventions=conv, cell_conventions=convs, heading=row.heading)
        for row in table.rows
    )
    return TextTable(
        kind="statement",
        number=part.number,
        caption=part.caption,
        header=(table.label_header or part.title or table.unit_name, *(c.label for c in table.columns)),
        numeric=tuple(c.kind != "text" for c in table.columns),
        rows=rows,
        footnotes=part.footnotes,
        sheet=table.unit_name,
    )


def goals_table(part: GoalsPart, document: Document) -> TextTable:
    from katsaus.render.content_tables import goal_records

    language = document.language
    year = document.report.period.year
    view = replace(document.report, goals=part.goals)
    rows = tuple(TextRow(indicator, (plan, actual)) for _unit, indicator, plan, actual in goal_records(view, language))
    heading = text(language, "goals")
    return TextTable(
        kind="goals",
        number=part.number,
        caption=f"{part.unit_name} – {heading}",
        header=(part.unit_name, text(language, "goal_plan", year=year), text(language, "goal_actual", year=year)),
        numeric=(False, False),
        rows=rows,
        sheet=f"{part.unit_name} {heading}",
    )


def key_result_tables(part: KeyResultsPart, document: Document) -> tuple[TextTable, ...]:
    from katsaus.render.content_tables import key_result_records

    language = document.language
    header = tuple(text(language, k) for k in ("kr_division", "kr_unit", "kr_goal", "kr_key_result", "kr_confidence"))
    tables = []
    for i, group in enumerate(part.groups):
        view = replace(document.report, key_results=group.rows)
        # A key result is named by its own text; the row header is the key result, the other columns describe it.
        rows = tuple(
            TextRow(key_result, (division, unit, goal, confidence))
            for _strategic, division, unit, goal, key_result, confidence in key_result_records(view, language)
        )
        tables.append(
            TextTable(
                kind="key_results",
                number=part.number + i,
                caption=group.strategic_goal,
                header=(header[3], header[0], header[1], header[2], header[4]),
                numeric=(False, False, False, True),
                rows=rows,
                sheet=group.strategic_goal,
            )
        )
    return tuple(tables)


def balancing_table(part: BalancingPart, document: Document) -> TextTable:
    from katsaus.render.content_tables import balancing_records

    language = document.language
    table = part.table
    p = table.presentation
    conv = Conventions(amount_unit=p.amount_unit, percent_decimals=p.percent_decimals, locale=language)
    view = replace(document.report, balancing=table)
    period = f"1–{table.period.month}/{table.period.year}"
    year = table.period.year
    sources = (*table.rows, table.total)
    rows = []
    for source, record in zip(sources, balancing_records(view, language)):
        name, *cells = record
        values = (
            Cell("amount", cents=source.target_cents),
            Cell("amount", cents=source.actual_cents),
            Cell("ratio", ratio=source.actual_ratio, zero_base=source.target_cents == 0),
            Cell("amount", cents=source.forecast_cents),
            Cell("ratio", ratio=source.forecast_ratio, zero_base=source.target_cents == 0),
        )
        rows.append(TextRow(name, tuple(cells), total=source is table.total, values=values, conventions=conv))
    header = (
        p.title,
        text(language, "bal_target", year=year),
        text(language, "bal_actual", period=period),
        text(language, "bal_actual_pct"),
        text(language, "bal_forecast", year=year),
        text(language, "bal_forecast_pct"),
    )
    return TextTable(
        kind="balancing",
        number=part.number,
        caption=p.title,
        header=header,
        numeric=(True,) * 5,
        rows=tuple(rows),
        sheet=text(language, "balancing"),
    )


def forecast_basis_table(part: ForecastBasisPart, document: Document) -> TextTable:
    """Per unit × line: the forecast figure, how it was made (for a suggestion, its methods and weights in the
    reader's language), the reason and who entered it; a machine suggestion's reason says it was computed."""
    language = document.language
    conv = document.conventions
    basis = part.basis
    rows = tuple(
        TextRow(
            f"{row.unit_name}: {row.line_name}",
            (
                format_cell(Cell("amount", cents=row.cents), conv),
                method_words(row.method, row.explanation, language),
                text(language, "basis_machine") if row.machine else row.reason,
                row.entered_by or row.source,
            ),
            values=(Cell("amount", cents=row.cents), None, None, None),
            conventions=conv,
        )
        for row in basis.rows
    )
    unit = text(language, f"amount_unit_{conv.amount_unit}") if conv.amount_unit in (1, 1000, 1_000_000) else ""
    return TextTable(
        kind="forecast_basis",
        number=part.number,
        caption=text(language, "basis_caption", unit=part.unit_name, version=basis.version),
        header=(
            text(language, "basis_row"),
            text(language, "basis_amount", unit=unit),
            text(language, "basis_method"),
            text(language, "basis_reason"),
            text(language, "basis_by"),
        ),
        numeric=(True, False, False, False),
        rows=rows,
        sheet=f"{text(language, 'basis')} {part.unit_name}",
    )


def method_words(method: str, explanation: Explanation | None, language: str) -> str:
    """How a figure was made: a suggestion's explanation when it has one, else the method's name."""
    return explain(explanation, language) if explanation else method_label(method, language)


def explain(explanation: Explanation, language: str) -> str:
    """How a suggestion was made, in words: the methods by name, weights and errors in the language's format."""
    kind = explanation.kind
    if kind in ("single", "actual"):
        return method_label(explanation.method, language)
    if kind == "fallback":
        tried = ", ".join(method_label(m, language) for m in explanation.fell_back_from)
        return text(language, "explain_fallback", method=method_label(explanation.method, language), tried=tried)
    if kind == "alone":
        return text(language, "explain_alone", method=method_label(explanation.method, language),
                    runner_up=method_label(explanation.runner_up, language),
                    error=tenths_percent(explanation.error_tenths, language),
                    runner_up_error=tenths_percent(explanation.runner_up_error_tenths, language))
    shares = ", ".join(f"{method_label(m, language)} {format_decimal(p, locale=language_of(language))}\u00a0%"
                       for m, p in explanation.shares if p > 0)  # a candidate that got no weight is not named
    return text(language, f"explain_{kind}", shares=shares, years=explanation.own_years)


def tenths_percent(value: int, language: str) -> str:
    return f"{format_decimal(Decimal(value) / 10, format='0.0', locale=language_of(language))}\u00a0%"


def method_label(method: str, language: str) -> str:
    """A method's name for readers; a name the catalogue does not know prints as stored."""
    key = f"method_{method or 'imported'}"
    return text(language, key) if key in CATALOGUE["fi"] else method


def text_tables(part: Part, document: Document) -> tuple[TextTable, ...]:
    """The part's tables as printed; () for a part that is not a table (narrative, chart)."""
    if isinstance(part, TablePart):
        return (statement_table(part, document),)
    if isinstance(part, GoalsPart):
        return (goals_table(part, document),)
    if isinstance(part, KeyResultsPart):
        return key_result_tables(part, document)
    if isinstance(part, BalancingPart):
        return (balancing_table(part, document),)
    if isinstance(part, ForecastBasisPart):
        return (forecast_basis_table(part, document),)
    return ()


def default_heading(part: Part, language: str) -> str | None:
    """The heading a part shows when the template gives none: goals and key results have one of their own."""
    if part.heading:
        return part.heading
    if part.kind == "goals":
        return text(language, "goals")
    if part.kind == "key_results":
        return text(language, "key_results")
    return None
