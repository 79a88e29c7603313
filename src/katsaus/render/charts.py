"""Charts of the document: SVG for the web page and the PDF, PNG for Word, each with an alternative text.

Only drawing happens here: the series come computed from core.series (cumulative months, realisation ratios) and
the balancing programme from the report model. Numbers in labels and alt texts are formatted by render.numbers
with the document's locale; month names come from CLDR. Lines differ by style and marker as well as by colour, so
the chart reads without colour (WCAG 1.4.1).

SVG output is deterministic: no date in the metadata and a fixed `svg.hashsalt` per figure (which also keeps
element ids unique when several SVGs share one HTML page).
"""

from __future__ import annotations

import base64
import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")  # no display: render to files only

import matplotlib.pyplot as plt  # noqa: E402
from babel.numbers import format_decimal  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402
from matplotlib.typing import RcKeyType  # noqa: E402

from katsaus.core.balancing import BalancingTable  # noqa: E402
from katsaus.core.document import ChartPart, Document  # noqa: E402
from katsaus.core.model import Cell, Conventions  # noqa: E402
from katsaus.core.series import CumulativeSeries, RealisationChart  # noqa: E402
from katsaus.render.i18n import month_names, text  # noqa: E402
from katsaus.render.numbers import format_amount, format_millions, format_ratio  # noqa: E402

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by line style and marker too.
ACTUAL = "#1f4e79"
BUDGET = "#4d4d4d"
FORECAST = "#b35900"
BENCHMARK = "#a4262c"
LIGHT = "#9dc3e6"
WIDTH_IN, HEIGHT_IN = 7.2, 3.6
Style = dict[RcKeyType, str | int | bool]  # matplotlib's rc parameters
STYLE: Style = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",  # text stays text: smaller files, and readable by search and copy
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class RenderedChart:
    number: int
    title: str
    alt: str
    svg: str = ""  # inline SVG element (no XML prolog), with <title> and <desc>
    png: bytes = b""

    @property
    def svg_data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")


# --- numbers in words -------------------------------------------------------------------------------------


def millions(cents: int | None, conv: Conventions) -> str:
    return format_millions(Cell("amount", cents=cents), conv) if cents is not None else ""


def percent(value: Fraction | None, conv: Conventions, whole_if_exact: bool = False) -> str:
    """A share as "49,6 %"; with `whole_if_exact`, a whole percentage without decimals ("50 %")."""
    if value is None:
        return ""
    if whole_if_exact and (value * 100).denominator == 1:
        conv = Conventions(percent_decimals=0, locale=conv.locale, rounding=conv.rounding)
    return format_ratio(Cell("ratio", ratio=value), conv)


def spoken(textual: str) -> str:
    """A leading hyphen-minus as the minus sign U+2212, which screen readers say as "minus"."""
    return re.sub(r"(?<![\w\d])-(?=\d)", "\u2212", textual)


def period_text(year: int, month: int) -> str:
    return f"1–{month}/{year}"


def tick_number(value: float, locale: str, decimals: int = 1) -> str:
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    rounded = round(float(value), decimals) or 0.0  # numpy floats, and no "-0"
    return format_decimal(Decimal(repr(rounded)), format=pattern, locale=locale).replace("\u2212", "-")


# --- titles and alt texts ---------------------------------------------------------------------------------


def chart_title(part: ChartPart, language: str) -> str:
    data = part.data
    if isinstance(data, CumulativeSeries):
        return text(language, "chart_cumulative", line=data.line_label, year=data.period.year, unit=data.unit_name)
    if isinstance(data, RealisationChart):
        return text(language, "chart_realisation", line=data.line_label, period=period_text(data.period.year, data.period.month))
    return text(language, "chart_balancing", period=period_text(data.period.year, data.period.month))


def budget_shape(series: CumulativeSeries, language: str) -> str:
    if series.profile == "last_year":
        return text(language, "profile_last_year", year=series.profile_year)
    return text(language, "profile_time")


def cumulative_alt(series: CumulativeSeries, conv: Conventions, language: str) -> str:
    none = text(language, "no_value")
    words = text(
        language,
        "alt_cumulative",
        line=series.line_label,
        period=period_text(series.period.year, series.period.month),
        actual=millions(series.actual_to_date, conv) or none,
        pct=percent(series.realisation, conv) or none,
        bench=percent(series.benchmark, conv, whole_if_exact=True),
    )
    if series.budget_total is not None or series.forecast_total is not None:
        to_date = ""
        if series.profile == "last_year" and series.budget_to_date is not None:
            to_date = text(language, "alt_budget_to_date", to_date=millions(series.budget_to_date, conv))
        words += text(
            language,
            "alt_cumulative_plans",
            budget_name=series.budget_name or "",
            budget=millions(series.budget_total, conv) or none,
            budget_shape=to_date,
            forecast_name=series.forecast_name or "",
            forecast=millions(series.forecast_total, conv) or none,
        )
    return spoken(words)


def realisation_alt(chart: RealisationChart, conv: Conventions, language: str) -> str:
    none = text(language, "no_value")
    items = "; ".join(f"{bar.unit_name} {percent(bar.ratio, conv) or none}" for bar in chart.bars)
    return spoken(
        text(
            language,
            "alt_realisation",
            line=chart.line_label,
            period=period_text(chart.period.year, chart.period.month),
            items=items,
            bench=percent(chart.benchmark, conv, whole_if_exact=True),
        )
    )


def balancing_alt(table: BalancingTable, conv: Conventions, language: str) -> str:
    p = table.presentation
    pct_conv = Conventions(percent_decimals=p.percent_decimals, locale=conv.locale, rounding=conv.rounding)
    amount_conv = Conventions(amount_unit=p.amount_unit, locale=conv.locale, rounding=conv.rounding)
    total = table.total

    def amount(cents: int | None) -> str:
        return format_amount(Cell("amount", cents=cents), amount_conv) or text(language, "no_value")

    head = text(
        language,
        "alt_balancing",
        period=period_text(table.period.year, table.period.month),
        target=millions(total.target_cents, conv),
        actual=millions(total.actual_cents, conv) or text(language, "no_value"),
        actual_pct=percent(total.actual_ratio, pct_conv) or text(language, "no_value"),
        forecast=millions(total.forecast_cents, conv) or text(language, "no_value"),
        forecast_pct=percent(total.forecast_ratio, pct_conv) or text(language, "no_value"),
    )
    items = "; ".join(
        text(
            language,
            "alt_balancing_item",
            name=row.name,
            target=amount(row.target_cents),
            actual=amount(row.actual_cents),
            forecast=amount(row.forecast_cents),
        )
        for row in table.rows
    )
    return spoken(f"{head} {items}.")


def chart_alt(part: ChartPart, conv: Conventions, language: str) -> str:
    data = part.data
    if isinstance(data, CumulativeSeries):
        return cumulative_alt(data, conv, language)
    if isinstance(data, RealisationChart):
        return realisation_alt(data, conv, language)
    return balancing_alt(data, conv, language)


# --- drawing ----------------------------------------------------------------------------------------------


def to_millions(cents: int | None) -> float:
    """A point of a line in millions of euros (drawing only; the labels are formatted from the exact cents); a
    month without a figure is NaN, which matplotlib leaves as a gap."""
    return math.nan if cents is None else cents / 100_000_000


def draw_cumulative(fig: Figure, series: CumulativeSeries, conv: Conventions, language: str) -> None:
    ax = fig.add_subplot()
    months = list(range(1, 13))
    period = period_text(series.period.year, series.period.month)
    shape = budget_shape(series, language)
    if series.budget:
        label = f"{text(language, 'legend_budget', version=series.budget_name or '')}, {shape}"
        ax.plot(months, [to_millions(v) for v in series.budget], color=BUDGET, linestyle="--", linewidth=1.6, label=label)
    if series.forecast:
        label = f"{text(language, 'legend_forecast', version=series.forecast_name or '')}, {shape}"
        ax.plot(months, [to_millions(v) for v in series.forecast], color=FORECAST, linestyle=":", linewidth=2.0, label=label)
    actual = [(m, to_millions(v)) for m, v in zip(months, series.actual) if v is not None]
    if actual:
        xs, ys = zip(*actual)
        ax.plot(xs, ys, color=ACTUAL, linewidth=2.4, marker="o", markersize=4, label=text(language, "legend_actual", period=period))
        last = series.actual_to_date
        ax.annotate(
            millions(last, conv),
            (xs[-1], ys[-1]),
            textcoords="offset points",
            xytext=(6, 6),
            color=ACTUAL,
            fontweight="bold",
        )
    names = month_names(language)
    ax.set_xticks(months, names)
    ax.set_xlim(0.6, 12.4)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: tick_number(v, conv.locale)))
    ax.set_ylabel(text(language, "axis_million"))
    ax.axhline(0, color="#808080", linewidth=0.6)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    handles, labels = ax.get_legend_handles_labels()
    order = list(reversed(range(len(handles))))  # the actual first, then the forecast and the budget
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1, frameon=False, fontsize=8)
    ax.tick_params(axis="x", labelsize=8)


def draw_realisation(fig: Figure, chart: RealisationChart, conv: Conventions, language: str) -> None:
    ax = fig.add_subplot()
    bars = list(reversed(chart.bars))  # matplotlib draws bottom-up: the reported unit ends on top
    values = [float(b.ratio * 100) if b.ratio is not None else 0.0 for b in bars]
    positions = range(len(bars))
    ax.barh(list(positions), values, color=[ACTUAL if i == len(bars) - 1 else LIGHT for i in positions], edgecolor=ACTUAL, height=0.6)
    for y, bar, value in zip(positions, bars, values):
        ax.annotate(
            percent(bar.ratio, conv) or text(language, "no_value"), (value, y), xytext=(4, 0), textcoords="offset points",
            va="center", fontsize=8, bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )
    bench = float(chart.benchmark * 100)
    ax.axvline(bench, color=BENCHMARK, linestyle="--", linewidth=1.6, label=text(language, "legend_benchmark", pct=percent(chart.benchmark, conv, whole_if_exact=True)))
    ax.set_yticks(list(positions), [wrap(b.unit_name, 34) for b in bars])
    top = max([bench, *values]) * 1.18
    ax.set_xlim(0, max(top, 10))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: tick_number(v, conv.locale, 0) + "\u00a0%"))
    ax.set_xlabel(text(language, "axis_percent"))
    ax.set_ylim(-0.6, len(bars) - 0.4)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)  # above: near at any height


def draw_balancing(fig: Figure, table: BalancingTable, conv: Conventions, language: str) -> None:
    ax = fig.add_subplot()
    rows = list(reversed(table.rows))
    unit = table.presentation.amount_unit

    def scaled(cents: int | None) -> float:
        return 0.0 if cents is None else cents / (100 * unit)

    height = 0.26
    ys = range(len(rows))
    period = period_text(table.period.year, table.period.month)
    ax.barh([y + height for y in ys], [scaled(r.target_cents) for r in rows], height, color="white", edgecolor=BUDGET, hatch="//", label=text(language, "legend_target"))
    ax.barh(list(ys), [scaled(r.forecast_cents) for r in rows], height, color=FORECAST, label=text(language, "legend_bal_forecast"))
    ax.barh([y - height for y in ys], [scaled(r.actual_cents) for r in rows], height, color=ACTUAL, label=text(language, "legend_bal_actual", period=period))
    ax.set_yticks(list(ys), [wrap(r.name, 30) for r in rows])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: tick_number(v, conv.locale, 0)))
    ax.set_xlabel(text(language, "axis_thousand") if unit == 1000 else "€")
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False, fontsize=8)


def wrap(label: str, width: int) -> str:
    """Long unit and measure names on two lines at a space, so the axis keeps its room."""
    if len(label) <= width:
        return label
    cut = label.rfind(" ", 0, width)
    return label if cut < 0 else label[:cut] + "\n" + label[cut + 1 :]


def draw(fig: Figure, part: ChartPart, conv: Conventions, language: str) -> None:
    data = part.data
    if isinstance(data, CumulativeSeries):
        draw_cumulative(fig, data, conv, language)
    elif isinstance(data, RealisationChart):
        draw_realisation(fig, data, conv, language)
    else:
        draw_balancing(fig, data, conv, language)


def figure_for(part: ChartPart, conv: Conventions, language: str) -> Figure:
    data = part.data
    rows = len(data.bars) if isinstance(data, RealisationChart) else 0 if isinstance(data, CumulativeSeries) else \
        len(data.rows)
    height = HEIGHT_IN + (0.9 if part.chart == "cumulative" else max(0, rows - 4) * (0.35 if rows <= 12 else 0.2))
    with plt.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH_IN, height))
        draw(fig, part, conv, language)
        fig.tight_layout()
    return fig


def svg_of(fig: Figure, salt: str) -> str:
    buffer = io.StringIO()
    style: Style = {**STYLE, "svg.hashsalt": salt}
    with plt.rc_context(style):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def png_of(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with plt.rc_context(STYLE):
        fig.savefig(buffer, format="png", dpi=200, metadata={"Software": None})
    return buffer.getvalue()


def accessible_svg(svg: str, key: str, title: str, alt: str) -> str:
    """The SVG element alone, scalable (viewBox, no fixed size), named by its <title> and described by its <desc>."""
    from html import escape

    body = svg[svg.index("<svg") :]
    body = re.sub(r'(<svg\b[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', r"\1", body, count=1)
    opening_end = body.index(">") + 1
    opening = body[: opening_end - 1] + f' role="img" aria-labelledby="{key}-title {key}-desc" class="chart-svg">'
    inner = f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(alt)}</desc>'
    return opening + inner + body[opening_end:]


def render_chart(part: ChartPart, conv: Conventions, language: str, formats: tuple[str, ...] = ("svg",)) -> RenderedChart:
    fig = figure_for(part, conv, language)
    title = chart_title(part, language)
    alt = chart_alt(part, conv, language)
    svg = accessible_svg(svg_of(fig, part.key), part.key, title, alt) if "svg" in formats else ""
    png = png_of(fig) if "png" in formats else b""
    return RenderedChart(part.number, title, alt, svg, png)


def render_charts(document: Document, formats: tuple[str, ...] = ("svg",)) -> dict[int, RenderedChart]:
    """Every chart of a document, by figure number."""
    return {
        part.number: render_chart(part, document.conventions, document.language, formats)
        for _section, part in document.parts("chart") if isinstance(part, ChartPart)  # parts("chart") are charts
    }
