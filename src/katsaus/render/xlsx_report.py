"""The document as an Excel workbook: an info sheet, one sheet per table, and a sheet of charts with their data.

The first sheet describes the report (organisation, unit, period, status, the plan versions, the imported source
files, the software) and lists the other sheets. Each table is its own sheet in document order, numbered as in the
document ("T3 Perhekeskuspalvelut"): amounts and percentages are stored as NUMBERS rounded as the report prints
them, with number formats that show them as printed (render.xlsx_tables: 16 777 and 35,0 % in a Finnish Excel),
the header row frozen. Goals and key results are text, as the document words them. The chart sheet holds the
cumulative and realisation series (in 1000 €, as the tables) next to native Excel charts drawn from them, each
with its alternative text.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from katsaus.core.document import ChartPart, Document
from katsaus.core.model import Cell, Conventions
from katsaus.core.series import CumulativeSeries, RealisationChart
from katsaus.render.charts import chart_alt, chart_title
from katsaus.render.html import correction_rows, period_text, source_text, status_text, version_text
from katsaus.render.i18n import month_names, text
from katsaus.render.numbers import amount_number, ratio_number
from katsaus.render.presented import TextTable, text_tables
from katsaus.render.xlsx_tables import SHEET_NAME_MAX, _Formats, _write_cell

_INVALID = re.compile(r"[\[\]:*?/\\]")


def unique_sheet_name(wanted: str, taken: set[str]) -> str:
    base = _INVALID.sub("_", wanted).strip("'").strip()[:SHEET_NAME_MAX] or "taulukko"
    name, counter = base, 2
    while name.casefold() in taken:
        suffix = f"~{counter}"
        name, counter = base[: SHEET_NAME_MAX - len(suffix)] + suffix, counter + 1
    taken.add(name.casefold())
    return name


class Styles:
    """Cell formats made once per workbook; number formats once per conventions (the balancing table has its own)."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.bold = book.add_format({"bold": True})
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"})
        self.header_right = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom", "align": "right"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.note = book.add_format({"italic": True})
        self.link = book.add_format({"font_color": "#1f4e79", "underline": 1})
        self._numbers: dict[Conventions, _Formats] = {}

    def numbers(self, conv: Conventions) -> _Formats:
        if conv not in self._numbers:
            self._numbers[conv] = _Formats.create(self.book, conv)
        return self._numbers[conv]


# --- the info sheet ---------------------------------------------------------------------------------------------


def write_info(sheet: Worksheet, document: Document, contents: list[tuple[str, str]], styles: Styles) -> None:
    language = document.language
    page = document.title_page
    unit = "1000 €" if document.conventions.amount_unit == 1000 else f"{document.conventions.amount_unit} €"
    sheet.write_string(0, 0, f"{page.title} {period_text(document)} – {page.unit_name}", styles.title)
    rows = [
        (text(language, "organisation"), page.organisation),
        (text(language, "unit"), page.unit_name),
        (text(language, "unit_code"), page.unit_code),
        (text(language, "period"), period_text(document)),
        (text(language, "status"), status_text(document)),
        *correction_rows(document),
        (text(language, "amount_unit"), unit),
        (text(language, "template"), document.report.template_code),
        (text(language, "language"), language),
    ]
    if document.software:
        rows.append((text(language, "software"), document.software))
    at = 2
    for label, value in rows:
        sheet.write_string(at, 0, label, styles.bold)
        sheet.write_string(at, 1, str(value))
        at += 1
    at = write_list(sheet, at + 1, text(language, "versions"), [version_text(v, language) for v in document.report.versions], styles)
    at = write_list(sheet, at, text(language, "sources"), [source_text(s, language) for s in document.sources], styles)
    sheet.write_string(at, 0, text(language, "toc"), styles.title)
    for name, caption in contents:
        at += 1
        sheet.write_url(at, 0, f"internal:'{name}'!A1", styles.link, string=name)
        sheet.write_string(at, 1, caption)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 90)


def write_list(sheet: Worksheet, at: int, title: str, items: list[str], styles: Styles) -> int:
    if not items:
        return at
    sheet.write_string(at, 0, title, styles.title)
    for item in items:
        at += 1
        sheet.write_string(at, 1, item)
    return at + 2


# --- table sheets -----------------------------------------------------------------------------------------------


def write_table_sheet(sheet: Worksheet, table: TextTable, language: str, styles: Styles) -> None:
    sheet.write_string(0, 0, table.numbered_caption(language), styles.title)
    header_row = 2
    for col, head in enumerate(table.header):
        right = col > 0 and table.numeric[col - 1] and table.kind in ("statement", "balancing", "forecast_basis")
        sheet.write_string(header_row, col, head, styles.header_right if right else styles.header)
    at = header_row + 1
    for row in table.rows:
        fmt = styles.numbers(row.conventions) if row.conventions else None
        label_format = fmt.label(row.level) if fmt else styles.wrap
        sheet.write_string(at, 0, row.label, styles.bold if row.total else label_format)
        for col, shown in enumerate(row.cells, start=1):
            cell = row.values[col - 1] if row.values else None
            if row.cell_conventions:  # a column with its own empty/zero settings
                fmt = styles.numbers(row.cell_conventions[col - 1])
            if cell is not None and fmt is not None:
                _write_cell(sheet, at, col, cell, fmt)  # the number, rounded as printed, with a format that shows it so
            elif shown:
                sheet.write_string(at, col, shown, styles.wrap)
        at += 1
    for note in table.footnotes:
        at += 1
        sheet.write_string(at, 0, note, styles.note)
    sheet.freeze_panes(header_row + 1, 1)  # the header row and the label column stay in view
    widths = {"goals": [50, 40, 40], "key_results": [50, 30, 26, 40, 16],
              "forecast_basis": [40, 14, 60, 45, 16]}.get(table.kind)
    if widths is None:
        label = max([len(r.label) for r in table.rows] + [len(table.header[0]), 30])
        widths = [min(label + 2, 60)] + [max(12, len(h) + 2) for h in table.header[1:]]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)


# --- the chart sheet ---------------------------------------------------------------------------------------------


def thousands(cents: int | None, conv: Conventions) -> float | None:
    number = amount_number(Cell("amount", cents=cents), replace(conv, amount_unit=1000, empty="blank", zero="zero", amount_decimals=0))
    return None if number is None else int(number)


def write_cumulative(sheet: Worksheet, book: Workbook, at: int, part: ChartPart, document: Document, styles: Styles, name: str) -> int:
    series = part.data
    assert isinstance(series, CumulativeSeries)
    language = document.language
    conv = document.conventions
    fmt = styles.numbers(replace(conv, amount_unit=1000))
    sheet.write_string(at, 0, f"{text(language, 'figure_n', n=part.number)} {chart_title(part, language)} (1000 €)", styles.title)
    head = at + 1
    labels = [
        text(language, "axis_months"),
        text(language, "legend_actual", period=period_text(document)),
        text(language, "legend_budget", version=series.budget_name or ""),
        text(language, "legend_forecast", version=series.forecast_name or ""),
    ]
    sheet.write_row(head, 0, labels, styles.header)
    months = month_names(language)
    for m in range(12):
        row = head + 1 + m
        sheet.write_string(row, 0, months[m])
        values = (
            series.actual[m] if m < len(series.actual) else None,
            series.budget[m] if series.budget else None,
            series.forecast[m] if series.forecast else None,
        )
        for col, cents in enumerate(values, start=1):
            number = thousands(cents, conv)
            if number is not None:
                sheet.write_number(row, col, number, fmt.amount)
    chart = book.add_chart({"type": "line"})
    last = head + 12
    for col, (colour, dash) in enumerate((("#1f4e79", "solid"), ("#4d4d4d", "dash"), ("#b35900", "round_dot")), start=1):
        chart.add_series({
            "name": [name, head, col],
            "categories": [name, head + 1, 0, last, 0],
            "values": [name, head + 1, col, last, col],
            "line": {"color": colour, "dash_type": dash, "width": 2.25 if col == 1 else 1.75},
            "marker": {"type": "circle", "size": 4} if col == 1 else {"type": "none"},
        })
    chart.set_title({"name": chart_title(part, language), "name_font": {"size": 11}})
    chart.set_y_axis({"name": "1000 €", "num_format": "#,##0"})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(head, 5, chart, {"x_scale": 1.4, "y_scale": 1.2, "description": chart_alt(part, conv, language)})
    return last + 10


def write_realisation(sheet: Worksheet, book: Workbook, at: int, part: ChartPart, document: Document, styles: Styles, name: str) -> int:
    chart_data = part.data
    assert isinstance(chart_data, RealisationChart)
    language = document.language
    conv = document.conventions
    fmt = styles.numbers(conv)
    sheet.write_string(at, 0, f"{text(language, 'figure_n', n=part.number)} {chart_title(part, language)}", styles.title)
    head = at + 1
    sheet.write_row(head, 0, [text(language, "unit"), text(language, "axis_percent"), text(language, "legend_benchmark", pct="").strip()], styles.header)
    for i, bar in enumerate(chart_data.bars, start=1):
        sheet.write_string(head + i, 0, bar.unit_name)
        _write_cell(sheet, head + i, 1, Cell("ratio", ratio=bar.ratio, zero_base=bar.ratio is None), fmt)
        benchmark = ratio_number(Cell("ratio", ratio=chart_data.benchmark), conv)
        if benchmark is not None:
            sheet.write_number(head + i, 2, float(benchmark), fmt.percent)
    last = head + len(chart_data.bars)
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"name": [name, head, 1], "categories": [name, head + 1, 0, last, 0], "values": [name, head + 1, 1, last, 1], "fill": {"color": "#9dc3e6"}, "border": {"color": "#1f4e79"}})
    chart.set_title({"name": chart_title(part, language), "name_font": {"size": 11}})
    chart.set_x_axis({"num_format": "0%"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    sheet.insert_chart(head, 5, chart, {"x_scale": 1.4, "y_scale": 1.2, "description": chart_alt(part, conv, language)})
    return max(last, head + 18) + 3


def write_charts(sheet: Worksheet, book: Workbook, document: Document, styles: Styles, name: str) -> bool:
    at = 0
    wrote = False
    for _section, part in document.parts("chart"):
        if not isinstance(part, ChartPart):  # parts("chart") gives only charts; this says so to the type checker
            continue
        if part.chart == "cumulative":
            at = write_cumulative(sheet, book, at, part, document, styles, name)
            wrote = True
        elif part.chart == "realisation":
            at = write_realisation(sheet, book, at, part, document, styles, name)
            wrote = True
        # The balancing chart's figures are the balancing table's sheet.
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 3, 16)
    return wrote


# --- the workbook -------------------------------------------------------------------------------------------------


def write_xlsx_report(document: Document, path: Path) -> Path:
    """The info sheet, a sheet per table of the document (in its order), and the chart data with charts."""
    path.parent.mkdir(parents=True, exist_ok=True)
    language = document.language
    tables = [table for _section, part in document.parts() for table in text_tables(part, document)]
    book = xlsxwriter.Workbook(str(path))
    try:
        styles = Styles(book)
        taken: set[str] = set()
        info_name = unique_sheet_name(text(language, "about"), taken)
        info = book.add_worksheet(info_name)
        contents: list[tuple[str, str]] = []
        for table in tables:
            name = unique_sheet_name(f"T{table.number} {table.sheet}", taken)
            write_table_sheet(book.add_worksheet(name), table, language, styles)
            contents.append((name, table.numbered_caption(language)))
        if any(True for _ in document.parts("chart")):
            name = unique_sheet_name(text(language, "charts"), taken)
            if write_charts(book.add_worksheet(name), book, document, styles, name):
                contents.append((name, text(language, "charts")))
        write_info(info, document, contents, styles)
    finally:
        book.close()
    return path
