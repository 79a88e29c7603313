"""The controllers' forecast sheet (XLSX): written with the figures they decide from, read back validated.

Sheet "ennuste", one row per unit × leaf line, header on row 1:

    yksikkö | yksikön nimi | rivi | rivin nimi | talousarvio | toteuma 1-N/YYYY | ehdotus | menetelmä |
    ehdotus alaraja | ehdotus yläraja | edellinen ennuste | valinta | ennuste | perustelu

Amounts are euros in statement sign (revenues +, costs −). The controller fills in, for every row:

* ``valinta`` (choice): ``ehdotus`` (take the suggestion), ``talousarvio`` (keep the budget) or ``oma`` (own
  value; English ``suggestion``, ``budget``, ``own`` are accepted too);
* ``ennuste``: the own value, only with ``oma``;
* ``perustelu`` (reason): always.

Sheet "tiedot" names the period and the versions the sheet was made from. On upload the suggestion and the
budget are taken from those stored versions, not from the sheet's cells (which are there to read), so that a
figure marked "ehdotus" is exactly the stored suggestion. Every problem is collected with its code, file, sheet,
row, column and what was found; the caller stores nothing if there is any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import xlsxwriter

from katsaus.core.errors import Param, Problem
from katsaus.core.forecast import ForecastFigure
from katsaus.intake.values import BadValue, parse_plain_amount
from katsaus.intake.xlsx import ROW_COLUMN, read_sheet

SHEET = "ennuste"
META_SHEET = "tiedot"
UNIT, UNIT_NAME, LINE, LINE_NAME = "yksikkö", "yksikön nimi", "rivi", "rivin nimi"
BUDGET, ACTUAL, SUGGESTION, METHOD = "talousarvio", "toteuma", "ehdotus", "menetelmä"
LOW, HIGH, PREVIOUS = "ehdotus alaraja", "ehdotus yläraja", "edellinen ennuste"
CHOICE, VALUE, REASON = "valinta", "ennuste", "perustelu"
REQUIRED = (UNIT, LINE, CHOICE, VALUE, REASON)
CHOICES = {"ehdotus": "suggestion", "suggestion": "suggestion", "talousarvio": "budget", "budget": "budget",
           "oma": "own", "own": "own"}
CHOICE_WORDS = ("ehdotus", "talousarvio", "oma")
AMOUNT_EXAMPLE = "-1 234 567,89"
META_KEYS = {"jakso": "period", "ehdotus": "suggestion", "talousarvio": "budget", "edellinen ennuste": "previous",
             "ehdotus kirjattu": "stamp"}


@dataclass(frozen=True)
class SheetRow:
    unit: str
    unit_name: str
    line: str
    line_name: str
    budget: int | None
    to_date: int | None
    suggestion: ForecastFigure | None
    previous: int | None


@dataclass(frozen=True)
class SheetMeta:
    period: str
    suggestion: str
    budget: str | None
    previous: str | None
    stamp: str | None = None  # the suggestion's latest write when the sheet was made (None: an older sheet)


@dataclass
class Upload:
    figures: list[ForecastFigure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    omitted: int = 0  # problems beyond the first max_problems, counted but not listed


# --- writing ---------------------------------------------------------------------------------------------


def euros(cents: int | None) -> float | None:
    """Excel holds numbers as doubles; whole cents of any budget survive the trip (read back via Decimal)."""
    return None if cents is None else cents / 100


def method_text(figure: ForecastFigure) -> str:
    """How the suggestion was made, in Finnish words (the sheet's language)."""
    from katsaus.render.presented import method_words

    return method_words(figure.method, figure.explanation, "fi")


RANGE_WORDS = {
    80: "alaraja–yläraja on 80 %:n väli: muiden sarjojen aiempina vuosina vuoden toteuma jäi tällaisen välin alle "
        "noin joka kymmenennellä kerralla ja yli noin joka kymmenennellä",
    0: "alaraja–yläraja on sarjan omien aiempien vuosien suurimpien yli- ja aliarvioiden mukainen vaihteluväli "
       "(ei tilastollinen väli: aiempia vuosia on liian vähän)",
}


def range_words(rows: Sequence[SheetRow]) -> str:
    """What the sheet's range columns mean, for the kinds of range its suggestions have."""
    kinds = sorted({row.suggestion.explanation.range_percent for row in rows
                    if row.suggestion and row.suggestion.explanation and row.suggestion.low_cents is not None},
                   reverse=True)
    return "; ".join(RANGE_WORDS[kind] for kind in kinds if kind in RANGE_WORDS)


def write_sheet(path: Path, rows: Sequence[SheetRow], meta: SheetMeta, period_label: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    money = workbook.add_format({"num_format": "#,##0.00"})
    bold = workbook.add_format({"bold": True})
    fill = workbook.add_format({"bg_color": "#FFF2CC"})
    sheet = workbook.add_worksheet(SHEET)
    header = [UNIT, UNIT_NAME, LINE, LINE_NAME, BUDGET, f"{ACTUAL} {period_label}", SUGGESTION, METHOD, LOW, HIGH,
              PREVIOUS, CHOICE, VALUE, REASON]
    sheet.write_row(0, 0, header, bold)
    for index, row in enumerate(rows, start=1):
        figure = row.suggestion
        cells = [row.unit, row.unit_name, row.line, row.line_name, euros(row.budget), euros(row.to_date),
                 euros(figure.cents) if figure else None, method_text(figure) if figure else None,
                 euros(figure.low_cents) if figure else None, euros(figure.high_cents) if figure else None,
                 euros(row.previous)]
        for column, value in enumerate(cells):
            if value is not None:
                sheet.write(index, column, value, money if isinstance(value, float) else None)
        for column in range(len(cells), len(header)):
            sheet.write_blank(index, column, None, fill)  # the cells the controller fills in
    sheet.data_validation(1, 11, max(1, len(rows)), 11, {"validate": "list", "source": ["ehdotus", "talousarvio", "oma"]})
    sheet.freeze_panes(1, 4)
    sheet.set_column(0, 3, 22)
    sheet.set_column(4, 12, 16)
    sheet.set_column(7, 7, 60)  # the suggestion's methods and weights in words
    sheet.set_column(13, 13, 60)
    info = workbook.add_worksheet(META_SHEET)
    pairs = [("jakso", meta.period), ("ehdotus", meta.suggestion), ("talousarvio", meta.budget or ""),
             ("edellinen ennuste", meta.previous or ""), ("ehdotus kirjattu", meta.stamp or ""),
             ("ehdotuksen väli", range_words(rows))]
    for index, (key, value) in enumerate(pairs):
        info.write_row(index, 0, [key, value])
    workbook.close()
    return path


# --- reading ---------------------------------------------------------------------------------------------


def read_meta(path: Path) -> tuple[SheetMeta | None, list[Problem]]:
    """The period and versions the sheet was made from (sheet "tiedot")."""
    label = str(path)
    data, problems = read_sheet(path, META_SHEET, 1, label)
    if data is None:
        return None, problems
    values: dict[str, str] = {}
    for record in [data.header] + [list(r.values())[:-1] for r in data.rows.iter_rows(named=True)]:
        if len(record) >= 2 and record[0]:
            values[str(record[0]).strip().casefold()] = "" if record[1] is None else str(record[1]).strip()
    missing = [k for k in ("jakso", "ehdotus") if not values.get(k)]
    if missing:
        return None, [Problem("forecast.sheet_origin_missing", {"missing": tuple(missing)}, file=label,
                              sheet=META_SHEET, key=missing[0],
                              found=", ".join(f"{k}={v}" for k, v in values.items()) or None)]
    return SheetMeta(values["jakso"], values["ehdotus"], values.get("talousarvio") or None,
                     values.get("edellinen ennuste") or None, values.get("ehdotus kirjattu") or None), []


def read_upload(
    path: Path,
    units: frozenset[str],
    lines: frozenset[str],
    suggestions: Mapping[tuple[str, str], ForecastFigure],
    budgets: Mapping[tuple[str, str], int],
    user: str,
    max_problems: int = 50,
) -> Upload:
    """Every row of sheet "ennuste" checked; figures only when no row has a problem."""
    label = str(path)
    data, problems = read_sheet(path, SHEET, 1, label)
    if data is None:
        return Upload(problems=problems)
    header = [h.strip().casefold() for h in data.header]
    positions = {name: header.index(name) for name in REQUIRED if name in header}
    missing = [name for name in REQUIRED if name not in positions]
    twice = [name for name in REQUIRED if header.count(name) > 1]  # which of the two would count?
    if missing or twice:
        found = ", ".join(data.header) or None
        return Upload(problems=[Problem("forecast.column_missing", {"column": name, "columns": REQUIRED}, file=label,
                                        sheet=SHEET, row=1, column=name, found=found)
                                for name in missing]
                      + [Problem("forecast.column_repeated", {"column": name, "count": header.count(name)},
                                 file=label, sheet=SHEET, row=1, column=name, found=found)
                         for name in twice])
    checker = RowChecker(label, positions, units, lines, suggestions, budgets, user)
    upload = Upload()
    for record in data.rows.iter_rows(named=True):
        row = int(record[ROW_COLUMN])
        cells = ["" if record[f"c{i}"] is None else str(record[f"c{i}"]).strip() for i in range(len(header))]
        if not any(cells):
            continue
        upload.rows += 1
        figure, problems = checker.check(row, cells)
        upload.problems += problems
        if figure is not None:
            upload.figures.append(figure)
    if upload.rows == 0:
        upload.problems.append(Problem("forecast.sheet_no_rows", file=label, sheet=SHEET, row=2))
    if upload.problems:
        upload.omitted = max(0, len(upload.problems) - max_problems)
        upload.problems = upload.problems[:max_problems]
        upload.figures = []  # nothing is stored if any row is wrong
    return upload


class RowChecker:
    def __init__(self, label: str, positions: dict[str, int], units: frozenset[str], lines: frozenset[str],
                 suggestions: Mapping[tuple[str, str], ForecastFigure], budgets: Mapping[tuple[str, str], int],
                 user: str) -> None:
        self.label, self.positions = label, positions
        self.units, self.lines = units, lines
        self.suggestions, self.budgets, self.user = suggestions, budgets, user
        self.seen: dict[tuple[str, str], int] = {}

    def problem(self, row: int, column: str, code: str, params: dict[str, Param] | None = None,
                found: str | None = None) -> Problem:
        return Problem(code, params or {}, file=self.label, sheet=SHEET, row=row, column=column, found=found or None)

    def check(self, row: int, cells: list[str]) -> tuple[ForecastFigure | None, list[Problem]]:
        def get(name: str) -> str:
            return cells[self.positions[name]]

        problems: list[Problem] = []
        unit, line = get(UNIT), get(LINE)
        if unit not in self.units:
            problems.append(self.problem(row, UNIT, "forecast.unit_unknown", found=unit))
        if line not in self.lines:
            problems.append(self.problem(row, LINE, "forecast.line_unknown", found=line))
        if (unit, line) in self.seen:
            problems.append(self.problem(row, LINE, "forecast.target_repeated", {"first_row": self.seen[unit, line]},
                                         f"{unit} / {line}"))
        self.seen.setdefault((unit, line), row)
        choice = CHOICES.get(get(CHOICE).casefold())
        if choice is None:
            code = "forecast.choice_unknown" if get(CHOICE) else "forecast.choice_missing"
            problems.append(self.problem(row, CHOICE, code, {"choices": CHOICE_WORDS}, get(CHOICE)))
        reason = get(REASON)
        if not says_something(reason):
            problems.append(self.problem(row, REASON, "forecast.reason_missing", found=reason))
        elif len(reason) > MAX_REASON:
            problems.append(self.problem(row, REASON, "forecast.reason_too_long",
                                         {"length": len(reason), "limit": MAX_REASON}, reason[:40] + "…"))
        if problems and problems[0].column in (UNIT, LINE):
            return None, problems  # an unknown or repeated target has no suggestion or budget to look up
        if choice is None:
            return None, problems  # without a choice there is nothing to check the value against
        figure = self.figure(row, unit, line, choice, reason, get(VALUE), problems)
        return (figure if not problems else None), problems

    def figure(self, row: int, unit: str, line: str, choice: str, reason: str, value: str,
               problems: list[Problem]) -> ForecastFigure | None:
        if choice != "own" and value:
            problems.append(self.problem(row, VALUE, "forecast.value_with_choice", {"choice": get_text(choice)}, value))
            return None
        if choice == "suggestion":
            taken = self.suggestions.get((unit, line))
            if taken is None:
                problems.append(self.problem(row, CHOICE, "forecast.no_suggestion", found=get_text(choice)))
                return None
            return replace(taken, reason=reason, entered_by=self.user)  # the stored suggestion, with this reason
        if choice == "budget":
            budget = self.budgets.get((unit, line))
            if budget is None:
                problems.append(self.problem(row, CHOICE, "forecast.no_budget", found=get_text(choice)))
                return None
            return ForecastFigure(unit, line, budget, "budget", reason, None, None, self.user)
        if choice == "own":
            try:
                cents = parse_plain_amount(value)
            except BadValue as bad:
                # an empty cell: perhaps a formula not yet computed (it counts once the workbook is recalculated
                # and saved in Excel or LibreOffice)
                code = bad.code if value else "forecast.value_missing"
                problems.append(self.problem(row, VALUE, code, {**bad.params, "example": AMOUNT_EXAMPLE}, value))
                return None
            return ForecastFigure(unit, line, cents, "manual", reason, None, None, self.user)
        return None


MAX_REASON = 1000


def says_something(reason: str) -> bool:
    """A reason must have a letter or digit in it: spaces, zero-width characters or a dash say nothing."""
    return any(char.isalnum() for char in reason)


def get_text(choice: str | None) -> str:
    return {"suggestion": "ehdotus", "budget": "talousarvio", "own": "oma"}.get(choice or "", "")
