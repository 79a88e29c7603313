"""CSV renderers of the goal tables, the key-result table and the balancing programme, as the model report prints them.

They only present: statuses, shares and changes come computed in the report model; here they are phrased in
Finnish (or Swedish) and rounded for print. An actual's `wording` (a per-item override) is printed as given.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from babel.numbers import format_decimal

from katsaus.core.balancing import BalancingRow, BalancingTable
from katsaus.core.goals import GoalResult, KeyResultRow
from katsaus.core.model import Cell, Conventions, Report
from katsaus.render.csv_tables import write_rows
from katsaus.render.numbers import _plain_minus, format_amount, format_ratio

WORDS = {
    "fi": {
        "met": "Toteutunut",
        "not_met": "Ei toteutunut",
        "progress": "Toteutunut {pct}",
        "not_measurable": "Ei vielä mitattavissa",
        "up": "nousua",
        "down": "laskua",
        "same": "ennallaan",
    },
    "sv": {
        "met": "Uppnått",
        "not_met": "Inte uppnått",
        "progress": "Uppnått {pct}",
        "not_measurable": "Ännu inte mätbart",
        "up": "ökning",
        "down": "minskning",
        "same": "oförändrat",
    },
}


def words(locale: str) -> dict[str, str]:
    return WORDS.get(locale[:2], WORDS["fi"])


def format_value(value: Decimal, locale: str = "fi") -> str:
    """A measured value with exactly the decimals it was entered with: 58,2; 3 352; 100."""
    decimals = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _plain_minus(format_decimal(value, format=pattern, locale=locale))


def percent(value: Fraction, decimals: int, locale: str) -> str:
    """A share (0.33) as a percentage with the locale's spacing: "33 %"."""
    return format_ratio(Cell("ratio", ratio=value), Conventions(percent_decimals=decimals, locale=locale))


# --- operational goals ------------------------------------------------------------------------------------


def values_text(result: GoalResult, locale: str) -> str:
    """The actual's values in the measures' order: "425 oma toiminta/728 kokonaismäärä", "33 kappaletta"."""
    actual = result.actual
    if actual is None:
        return ""
    parts = []
    for measure in result.goal.measures:
        value = actual.value(measure.key)
        if value is not None:
            parts.append(f"{format_value(value, locale)} {measure.label}".strip())
    return result.goal.presentation.separator.join(parts)


def change_text(change: Fraction, decimals: int, locale: str, capital: bool) -> str:
    w = words(locale)
    word = w["up"] if change > 0 else w["down"] if change < 0 else w["same"]
    text = word if change == 0 else f"{word} {percent(abs(change), decimals, locale)}"
    return text[:1].upper() + text[1:] if capital else text


def status_text(result: GoalResult, locale: str) -> str:
    status = result.status
    w = words(locale)
    if status.code == "progress" and status.share is not None:
        return w["progress"].format(pct=percent(status.share, result.goal.presentation.percent_decimals, locale))
    return w[status.code]


def actual_text(result: GoalResult, locale: str = "fi") -> str:
    """The "Toteuma" cell: the status and the values, in the goal's presentation style."""
    if result.actual is not None and result.actual.wording:
        return result.actual.wording
    style = result.goal.presentation
    values = values_text(result, locale)
    change = result.status.change
    if style.show == "values":
        return values
    if style.show == "period_values":
        period = result.actual.period if result.actual else result.period
        return f"1–{period.month}/{period.year}" + (f" ({values})" if values else "")
    if style.show == "change":
        head = change_text(change, style.percent_decimals, locale, True) if change is not None else status_text(result, locale)
        return head + (f" ({values})" if values else "")
    inside = values or (change_text(change, style.percent_decimals, locale, False) if change is not None else "")
    return status_text(result, locale) + (f" ({inside})" if inside else "")


def plan_text(result: GoalResult, locale: str = "fi") -> str:
    """The "Suunnitelma" cell: the target's original wording, else the rule in words."""
    goal = result.goal
    if goal.wording:
        return goal.wording
    rule = goal.rule
    unit = goal.main_measure.unit_of_measure
    number = format_value(rule.value, locale) if rule.value is not None else ""
    phrases = {
        "at_least": f"vähintään {number} {unit}",
        "more_than": f"yli {number} {unit}",
        "at_most": f"enintään {number} {unit}",
        "less_than": f"alle {number} {unit}",
        "share_at_least": f"vähintään {number} %",
        "full_year": f"koko vuoden tavoite {number} {unit}",
        "ratio_at_most": f"enintään {number} {unit}",
        "decrease": f"vähenee {number} % verrattuna vuoteen {rule.baseline_year}" if number else "laskeva",
        "increase": f"kasvaa {number} % verrattuna vuoteen {rule.baseline_year}" if number else "kasvava",
        "not_above_baseline": "ei ylitä vertailutasoa",
        "same_as_baseline": "pysyy samana",
        "text": rule.text,
    }
    return phrases[rule.kind].strip()


def goal_records(report: Report, locale: str) -> Iterable[list[str]]:
    for result in report.goals:
        yield [result.unit_name, result.goal.indicator, plan_text(result, locale), actual_text(result, locale)]


# --- key results ------------------------------------------------------------------------------------------


def confidence_text(row: KeyResultRow, locale: str) -> str:
    """The "Luottavaisuusarvio" column: the period's confidence; where there is none, the measured value (as the
    model report prints it there)."""
    entry = row.confidence if row.confidence and row.confidence.period == row.period else None
    entry = entry or row.measured
    return format_value(entry.value, locale) if entry else ""


def key_result_records(report: Report, locale: str) -> Iterable[list[str]]:
    short = dict(report.short_names)
    parents = dict(report.structure.unit_parents)
    names = {t.unit_code: t.unit_name for t in report.tables}
    for row in report.key_results:
        unit = row.unit_goal.unit_code
        division = parents.get(unit) or unit
        yield [
            row.strategic_goal.name,
            short.get(division, names.get(division, division)),
            short.get(unit, row.unit_name),
            row.unit_goal.text,
            row.key_result.text,
            confidence_text(row, locale),
        ]


# --- balancing programme ----------------------------------------------------------------------------------


def balancing_record(row: BalancingRow, table: BalancingTable, locale: str) -> list[str]:
    p = table.presentation
    conv = Conventions(amount_unit=p.amount_unit, percent_decimals=p.percent_decimals, locale=locale)

    def amount(cents: int | None) -> str:
        return format_amount(Cell("amount", cents=cents), conv)

    def ratio(value: Fraction | None) -> str:
        return format_ratio(Cell("ratio", ratio=value, zero_base=row.target_cents == 0), conv)

    return [
        row.name,
        amount(row.target_cents),
        amount(row.actual_cents),
        ratio(row.actual_ratio),
        amount(row.forecast_cents),
        ratio(row.forecast_ratio),
    ]


def balancing_records(report: Report, locale: str) -> Iterable[list[str]]:
    table = report.balancing
    if table is None:
        return
    for row in (*table.rows, table.total):
        yield balancing_record(row, table, locale)


# --- files ------------------------------------------------------------------------------------------------


def write_content_tables(report: Report, out_dir: Path) -> list[Path]:
    """toiminnalliset_tavoitteet.csv, avaintulokset.csv and tasapainottamistoimenpiteet.csv (those with content)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    locale = report.conventions.locale
    year = report.period.year
    paths = []
    if report.goals:
        header = ["unit", "indicator", f"plan_{year}", f"actual_{year}"]
        paths.append(write_rows(out_dir / "toiminnalliset_tavoitteet.csv", header, goal_records(report, locale)))
    if report.key_results:
        header = ["strategic_goal", "division", "unit", "goal", "key_result", "luottavaisuusarvio"]
        paths.append(write_rows(out_dir / "avaintulokset.csv", header, key_result_records(report, locale)))
    if report.balancing is not None:
        header = ["measure", "target", "actual", "actual_pct", "forecast", "forecast_pct"]
        paths.append(write_rows(out_dir / "tasapainottamistoimenpiteet.csv", header, balancing_records(report, locale)))
    return paths
