"""`katsaus forecast …`: suggested year-end forecasts, controllers' values with reasons, the Excel round trip.

    katsaus forecast suggest --period 2025-06 --version "TPE 6/2025 ehdotus"
    katsaus forecast sheet --period 2025-06 --suggestion "TPE 6/2025 ehdotus" --out tpe-6-2025.xlsx
    katsaus forecast upload tpe-6-2025.xlsx --version "TPE 6/2025"
    katsaus forecast set --version "TPE 6/2025" --unit PESOVA-HALL --line palkat_ja_palkkiot \\
        --value "-4 200 000" --reason "palkankorotukset MTA II:ssa"
    katsaus forecast show --version "TPE 6/2025" [--csv figures.csv]

What each command does is katsaus.services.forecasts; this module parses the options, calls it and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_common import call, ensure_db, language, note, say
from .render.messages import note_text
from .services.errors import Money, Note, Term

forecast_app = typer.Typer(help="Year-end forecasts (TPE): suggestions, controllers' values, the Excel sheet.",
                           no_args_is_help=True)
CorrectionOption = Annotated[bool, typer.Option("--correction", help="Allow the change although it alters a published report (then publish a corrected version).")]


@forecast_app.command("suggest")
def suggest(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM: forecast from months 1..MM of YYYY.")],
    version: Annotated[str, typer.Option(help="Name of the suggested forecast version, e.g. 'TPE 6/2025 ehdotus'.")],
    budget: Annotated[str, typer.Option(help="Budget given to the methods: in_force, none or a version name.")] = "in_force",
    years_back: Annotated[int, typer.Option(min=0, help="Earlier years the methods may read.")] = 5,
    replace: Annotated[bool, typer.Option(help="Replace an existing version of this name.")] = False,
    correction: CorrectionOption = False,
) -> None:
    """Suggest a year-end figure for every unit × statement line from the stored monthly balances."""
    from .cli_common import actor, progress_bar
    from .services import forecasts

    call(forecasts.suggest, period, version, actor(), budget=budget, years_back=years_back,
         replace_existing=replace, progress=progress_bar, correction=correction)


@forecast_app.command("set")
def set_value(
    version: Annotated[str, typer.Option(help="Forecast version, e.g. 'TPE 6/2025'; created if missing.")],
    unit: Annotated[str, typer.Option(help="Unit code (a unit that owns cost centres).")],
    line: Annotated[str, typer.Option(help="Leaf statement line code.")],
    reason: Annotated[str, typer.Option(help="Why this figure: required for every value.")],
    value: Annotated[str | None, typer.Option(help="Own value in euros, statement sign (costs −), e.g. '-4 200 000,00'.")] = None,
    suggestion: Annotated[str | None, typer.Option(help="Take the figure of this suggested version.")] = None,
    budget: Annotated[str | None, typer.Option(help="Keep the budget: in_force or a budget version name.")] = None,
    period: Annotated[str | None, typer.Option(help="YYYY-MM the forecast is made at (needed for a new version).")] = None,
    date_: Annotated[str | None, typer.Option("--date", help="Date of a new forecast version (default today).")] = None,
    author: Annotated[str, typer.Option(help="Author of a new version (default the current user).")] = "",
    correction: CorrectionOption = False,
) -> None:
    """Set one unit × line figure of a forecast version: an own value, a suggestion or the budget, with a reason."""
    from .cli_common import actor
    from .services import forecasts

    call(forecasts.set_value, version, unit, line, reason, actor(), value=value, suggestion=suggestion,
         budget=budget, period=period, date_=date_, author=author, correction=correction)


@forecast_app.command("sheet")
def sheet(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM.")],
    suggestion: Annotated[str, typer.Option(help="The suggested version (from `katsaus forecast suggest`).")],
    out_file: Annotated[Path | None, typer.Option("--out", help="XLSX file to write (default ennuste-YYYY-MM.xlsx).")] = None,
    budget: Annotated[str, typer.Option(help="Budget column: in_force, none or a version name.")] = "in_force",
    previous: Annotated[str | None, typer.Option(help="Previous forecast column: a version name or 'none' (default the newest other forecast of the year).")] = None,
) -> None:
    """Write the controllers' sheet: budget, actual to date, suggestion and previous forecast per unit × line."""
    from .services import forecasts

    call(forecasts.write_sheet_file, period, suggestion, out_file, budget, previous)


@forecast_app.command("upload")
def upload(
    file: Annotated[Path, typer.Argument(help="The filled-in sheet (XLSX).")],
    version: Annotated[str, typer.Option(help="Forecast version to store, e.g. 'TPE 6/2025'.")],
    date_: Annotated[str | None, typer.Option("--date", help="Date of the forecast (default today).")] = None,
    author: Annotated[str, typer.Option(help="Author of the version (default the current user).")] = "",
    correction: CorrectionOption = False,
) -> None:
    """Store a filled-in sheet as a forecast version: every row checked, nothing stored if any is wrong."""
    from .cli_common import actor
    from .services import forecasts

    call(forecasts.upload, file, version, actor(), date_=date_, author=author, correction=correction)


@forecast_app.command("show")
def show(
    version: Annotated[str, typer.Option(help="Forecast version name.")],
    csv_file: Annotated[str | None, typer.Option("--csv", help="Write the figures as CSV to this file ('-' for standard output).")] = None,
    history: Annotated[bool, typer.Option("--history", help="Also every figure a later write replaced, with when and by whom (CSV columns replaced_at, replaced_by).")] = False,
) -> None:
    """Where each figure of a forecast version came from: value, method or reason, author."""
    from .services import forecasts

    ensure_db()
    found = call(forecasts.version_figures, version, history)
    info, rows = found.info, found.rows
    if csv_file:
        call(forecasts.write_csv, rows, csv_file, history)
        if csv_file == "-":
            return
    note(Note("forecasting.show_version", {"version": info.name, "year": info.year, "made_at": info.made_at_period or None,
                                        "author": info.author or None,
                                        "date": info.effective_date or info.created_at.date(), "figures": info.figures}))
    for stored in rows:  # one line per figure: greppable, and no reason is cut by a narrow terminal
        say(" ".join(note_text(part, language()) for part in figure_notes(stored, history)))


def figure_notes(stored: Any, history: bool) -> list[Note]:
    """A stored figure as the parts of its line: the value, its range, how it was made and why, who, replaced."""
    f = stored.figure
    parts = [Note("forecasting.show_figure", {"unit": f.unit, "line": f.line, "amount": Money(f.cents)})]
    if f.low_cents is not None:
        level = f.explanation.range_percent if f.explanation and f.explanation.range_percent else None
        parts.append(Note("forecasting.show_range" if level is None else "forecasting.show_range_level",
                          {"low": Money(f.low_cents), "high": Money(f.high_cents), "level": level}))
    how = Term(f"method.{f.method}") if f.method else Note("forecasting.show_imported", {"source": stored.source})
    if f.reason:
        parts.append(Note("forecasting.show_how_why", {"how": how, "reason": " / ".join(f.reason.splitlines())}))
    else:
        parts.append(Note("forecasting.show_how", {"how": how}))
    who = f.entered_by or "?"
    parts.append(Note("forecasting.show_by_at", {"who": who, "when": f"{stored.written_at:%Y-%m-%d %H:%M}"})
                 if history else Note("forecasting.show_by", {"who": who}))
    if stored.replaced_at:
        parts.append(Note("forecasting.show_replaced", {"when": f"{stored.replaced_at:%Y-%m-%d %H:%M}",
                                                     "who": stored.replaced_by}))
    return parts
