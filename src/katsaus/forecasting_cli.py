"""`katsaus forecast …`: suggested year-end forecasts, controllers' values with reasons, the Excel round trip.

    katsaus forecast suggest --period 2025-06 --version "TPE 6/2025 ehdotus"
    katsaus forecast sheet --period 2025-06 --suggestion "TPE 6/2025 ehdotus" --out tpe-6-2025.xlsx
    katsaus forecast upload tpe-6-2025.xlsx --version "TPE 6/2025"
    katsaus forecast set --version "TPE 6/2025" --unit PESOVA-HALL --line palkat_ja_palkkiot \\
        --value "-4 200 000" --reason "palkankorotukset MTA II:ssa"
    katsaus forecast show --version "TPE 6/2025" [--csv figures.csv]

The helpers of katsaus.cli (database, configuration, error output) are imported when a command runs, since
katsaus.cli registers this sub-app and importing it at module level would be circular.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
import xlsxwriter.exceptions

from .core.errors import Problem
from .core.forecast_basis import SUGGEST_SOURCE

forecast_app = typer.Typer(help="Year-end forecasts (TPE): suggestions, controllers' values, the Excel sheet.",
                           no_args_is_help=True)

SET_SOURCE = "katsaus forecast set"


# --- shared ---------------------------------------------------------------------------------------------


def main_cli():
    from . import cli

    return cli


def fail(problems: list[Problem], what: str = "nothing was stored", omitted: int = 0) -> None:
    main_cli().fail(problems, omitted, what=what)


def parse_period(text: str, option: str = "--period"):
    from .core.periods import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        fail([Problem(option, str(exc), expected="YYYY-MM", found=text)])


def period_text(period) -> str:
    """The period as stored: '2025-06' (also when typed as '2025-6')."""
    return f"{period.year}-{period.month:02d}"


def suggestion_problems(name: str, period, where: dict):
    """A version a sheet or `set --suggestion` takes figures from must be a stored suggestion of the period's year,
    made at that period (a suggestion made at June does not belong on a September sheet). Returns the version's
    summary (None if there is none) and the problems."""
    from .store.forecasts import summary

    found = summary(name)
    wanted = f"a suggestion made at {period_text(period)} by `katsaus forecast suggest`"
    if found is None:
        return found, [Problem(**where, message="no such forecast version", expected=wanted, found=name)]
    if not found.suggestion:
        return found, [Problem(**where, message="not a suggestion: its figures were entered or imported, not "
                               "suggested", expected=wanted, found=name)]
    if found.made_at_period != period_text(period):
        return found, [Problem(**where, message=f"the suggestion was made at {found.made_at_period or 'no period'}",
                               expected=wanted, found=name)]
    return found, []


def context():
    """Configuration, facts, the storage units and leaf lines, and the template's internal-items rule."""
    config = main_cli().stored_config()
    from .forecast.series import owning_units
    from .store.repository import DbFacts

    scheme = config.scheme()
    try:
        internal = config.template().conventions.internal
    except (KeyError, ValueError):
        internal = "exclude"  # no single template: forecasts follow the external statement
    return config, DbFacts(), owning_units(config.organisation), scheme, internal


def budget_version(facts, period, wanted: str, what: str = "nothing was stored") -> str | None:
    """'in_force' (the report's rule), 'none', or the name of a budget version of the period's year."""
    from .forecast.series import in_force_budget

    versions = list(facts.plan_versions())
    if wanted == "none":
        return None
    if wanted == "in_force":
        found = in_force_budget(versions, period)
        return found.name if found else None
    if not is_budget_of(versions, wanted, period.year):
        known = ", ".join(v.name for v in versions if is_budget_of([v], v.name, period.year)) or "none"
        other = next((v for v in versions if v.name == wanted), None)
        why = (f"{wanted!r} is a {v.kind} of {v.year}, not a budget of {period.year}" if (v := other) else
               f"no budget version {wanted!r}")
        fail([Problem("--budget", why, expected=f"in_force, none or a budget of {period.year}: {known}", found=wanted)],
             what=what)
    return wanted


def is_budget_of(versions, name: str, year: int) -> bool:
    """A budget version of this name and year is among `versions`."""
    return any(v.name == name and v.kind == "budget" and v.year == year for v in versions)


def require_ledger_months(facts, period, what: str = "nothing was stored") -> None:
    """Refuse a period whose months the ledger does not all hold (see forecast.series.missing_months)."""
    from .forecast.series import missing_months

    missing = missing_months(facts, period)
    if missing:
        held = [m for m in range(1, period.month + 1) if m not in missing]
        month_list = main_cli().month_list
        fail([Problem("--period", f"the ledger holds no entries for {month_list(missing)} of {period.year}",
                      expected=f"entries for every month 1–{period.month} of {period.year} (import the ledger first)",
                      found=f"entries for {month_list(held)}" if held else "no entries for that year")], what=what)


def euros(cents: int | None, grouped: bool = False) -> str:
    """Exact cents as euros: '-1234567.89' (or '-1 234 567.89' for reading)."""
    if cents is None:
        return ""
    whole, part = divmod(abs(cents), 100)
    text = f"{whole:,}".replace(",", "\u00a0") if grouped else str(whole)
    return f"{'-' if cents < 0 else ''}{text}.{part:02d}"


def store_or_fail(function, *args, **kwargs):
    from .store.forecasts import ForecastStoreError

    try:
        return function(*args, **kwargs)
    except ForecastStoreError as exc:
        fail([Problem("--version", str(exc))])


# --- suggest --------------------------------------------------------------------------------------------


@forecast_app.command("suggest")
def suggest(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM: forecast from months 1..MM of YYYY.")],
    version: Annotated[str, typer.Option(help="Name of the suggested forecast version, e.g. 'TPE 6/2025 ehdotus'.")],
    budget: Annotated[str, typer.Option(help="Budget given to the methods: in_force, none or a version name.")] = "in_force",
    years_back: Annotated[int, typer.Option(min=0, help="Earlier years the methods may read.")] = 5,
    replace: Annotated[bool, typer.Option(help="Replace an existing version of this name.")] = False,
) -> None:
    """Suggest a year-end figure for every unit × statement line from the stored monthly balances."""
    the_period = parse_period(period)
    config, facts, _, scheme, internal = context()
    from .core.forecast import ForecastFigure
    from .forecast.series import suggest as make_suggestions
    from .store.forecasts import save_figures, version_exists
    from .store.repository import current_user

    if version_exists(version) and not replace:
        fail([Problem("--version", "the version exists; give another name or --replace", found=version)])
    require_ledger_months(facts, the_period)
    budget_name = budget_version(facts, the_period, budget)
    with main_cli().progress_bar("forecast suggest") as report:
        suggestions = make_suggestions(facts, config.organisation, scheme, the_period, budget_name, internal,
                                       years_back, report)
    user = current_user()
    figures = [
        ForecastFigure(s.unit, s.line, s.estimate.cents, s.estimate.method, s.estimate.note,
                       s.estimate.low_cents, s.estimate.high_cents, user, s.estimate.explanation)
        for s in suggestions
    ]
    saved = store_or_fail(save_figures, version, the_period.year, period_text(the_period), figures,
                          f"{SUGGEST_SOURCE} {period_text(the_period)}", user=user, replace_all=True, suggestion=True)
    methods: dict[str, int] = {}
    for s in suggestions:
        methods[s.estimate.method] = methods.get(s.estimate.method, 0) + 1
    counts = ", ".join(f"{m} {n}" for m, n in sorted(methods.items(), key=lambda kv: -kv[1]))
    main_cli().say(f"{saved.stored} figures → forecast version {version!r} (budget {budget_name or 'none'}); "
                         f"methods: {counts or 'none'}")


# --- set ------------------------------------------------------------------------------------------------


@forecast_app.command("set")
def set_value(
    version: Annotated[str, typer.Option(help="Forecast version, e.g. 'TPE 6/2025'; created if missing.")],
    unit: Annotated[str, typer.Option(help="Unit code (a unit that owns cost centres).")],
    line: Annotated[str, typer.Option(help="Leaf statement line code.")],
    reason: Annotated[str, typer.Option(help="Why this figure: required for every value.")],
    value: Annotated[Optional[str], typer.Option(help="Own value in euros, statement sign (costs −), e.g. '-4 200 000,00'.")] = None,
    suggestion: Annotated[Optional[str], typer.Option(help="Take the figure of this suggested version.")] = None,
    budget: Annotated[Optional[str], typer.Option(help="Keep the budget: in_force or a budget version name.")] = None,
    period: Annotated[Optional[str], typer.Option(help="YYYY-MM the forecast is made at (needed for a new version).")] = None,
    date_: Annotated[Optional[str], typer.Option("--date", help="Date of a new forecast version (default today).")] = None,
    author: Annotated[str, typer.Option(help="Author of a new version (default the current user).")] = "",
) -> None:
    """Set one unit × line figure of a forecast version: an own value, a suggestion or the budget, with a reason."""
    chosen = [name for name, given in (("--value", value), ("--suggestion", suggestion), ("--budget", budget))
              if given is not None]
    if len(chosen) != 1:
        fail([Problem("forecast set", "give exactly one of --value, --suggestion and --budget",
                      expected="one of them", found=", ".join(chosen) or "none")])
    from .forecast.sheet import MAX_REASON, says_something

    if not says_something(reason):
        fail([Problem("--reason", "every forecast figure needs a reason", expected="a reason", found=reason)])
    if len(reason) > MAX_REASON:
        fail([Problem("--reason", f"the reason is {len(reason)} characters long",
                      expected=f"at most {MAX_REASON} characters", found=reason[:40] + "…")])
    config, facts, units, scheme, internal = context()
    from .store.forecasts import save_figures, summary, version_kind
    from .store.repository import current_user

    check_target(unit, line, units, scheme)
    existing = summary(version)
    other = version_kind(version)
    if existing is None and other is not None:
        fail([Problem("--version", f"{version!r} is a {other[0]} of {other[1]}, not a forecast", found=version)])
    if existing is None and period is None:
        fail([Problem("--period", "the version is new; say which period it is made at", expected="YYYY-MM")])
    # an existing version's budget in force and suggestion are those of the period it was made at
    the_period = parse_period(period or existing.made_at_period or f"{existing.year}-12")
    made_at = period_text(the_period) if period or existing is None else existing.made_at_period
    if suggestion is not None:
        fail_on(suggestion_problems(suggestion, the_period, {"file": "--suggestion"})[1])
    user = current_user()
    figure = figure_for(facts, config, scheme, the_period, internal, unit, line, reason.strip(), user,
                        value, suggestion, budget)
    when = version_date(existing, date_, author, the_period.year)
    store_or_fail(save_figures, version, the_period.year, made_at, [figure], SET_SOURCE, author=author or user,
                  user=user, effective_date=when)
    main_cli().say(f"{version}: {unit} / {line} = {euros(figure.cents, True)} € ({figure.method}); reason: {figure.reason}")


def check_target(unit: str, line: str, units: list[str], scheme) -> None:
    problems = []
    if unit not in units:
        problems.append(Problem("--unit", "not a unit that owns cost centres", expected=", ".join(units), found=unit))
    leaves = [l.code for l in scheme.leaf_lines()]
    if line not in leaves:
        problems.append(Problem("--line", "not a leaf line of the scheme", expected=", ".join(leaves), found=line))
    if problems:
        fail(problems)


def figure_for(facts, config, scheme, period, internal, unit, line, reason, user, value, suggestion, budget):
    from .core.forecast import ForecastFigure
    from .forecast.series import unit_line_plan
    from .intake.values import BadValue, parse_plain_amount
    from .store.forecasts import figure_map

    if value is not None:
        try:
            return ForecastFigure(unit, line, parse_plain_amount(value), "manual", reason, entered_by=user)
        except BadValue as bad:
            fail([Problem("--value", bad.reason, expected="an amount in euros like -1 234 567,89", found=value)])
    if suggestion is not None:
        taken = figure_map(suggestion).get((unit, line))
        if taken is None:
            fail([Problem("--suggestion", f"no figure for {unit} / {line} in this version", found=suggestion)])
        return replace(taken, reason=reason, entered_by=user)  # the suggestion as stored, with this reason
    name = budget_version(facts, period, budget)
    if name is None:
        fail([Problem("--budget", f"no budget of {period.year} is in force at {period_text(period)}",
                      expected="a budget version in force by the period's end, or its name", found=budget)])
    kept = unit_line_plan(facts, config.organisation, scheme, name, period, internal).get((unit, line))
    if kept is None:
        fail([Problem("--budget", f"no budget figure for {unit} / {line} in {name}", found=budget)])
    return ForecastFigure(unit, line, kept, "budget", reason, entered_by=user)


# --- the Excel round trip ----------------------------------------------------------------------------------


@forecast_app.command("sheet")
def sheet(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM.")],
    suggestion: Annotated[str, typer.Option(help="The suggested version (from `katsaus forecast suggest`).")],
    out_file: Annotated[Optional[Path], typer.Option("--out", help="XLSX file to write (default ennuste-YYYY-MM.xlsx).")] = None,
    budget: Annotated[str, typer.Option(help="Budget column: in_force, none or a version name.")] = "in_force",
    previous: Annotated[Optional[str], typer.Option(help="Previous forecast column: a version name or 'none' (default the newest other forecast of the year).")] = None,
) -> None:
    """Write the controllers' sheet: budget, actual to date, suggestion and previous forecast per unit × line."""
    the_period = parse_period(period)
    config, facts, units, scheme, internal = context()
    from .forecast.series import monthly, unit_line_plan
    from .forecast.sheet import SheetMeta, SheetRow, write_sheet
    from .store.forecasts import figure_map, latest_forecast, summary

    taken, problems = suggestion_problems(suggestion, the_period, {"file": "--suggestion"})
    earlier_version = summary(previous) if previous not in (None, "none") else None
    if previous == suggestion:
        problems.append(Problem("--previous", "the previous forecast is the controllers' earlier forecast, not the "
                                "suggestion itself", expected="another forecast version or none", found=previous))
    elif previous not in (None, "none") and (earlier_version is None or earlier_version.year != the_period.year):
        problems.append(Problem("--previous", "no forecast version of this name for the period's year",
                                expected=f"none or a forecast of {the_period.year}", found=previous))
    if problems:
        fail(problems, what="nothing was written")
    require_ledger_months(facts, the_period, what="nothing was written")
    budget_name = budget_version(facts, the_period, budget, what="nothing was written")
    previous_name = None if previous == "none" else previous or latest_forecast(the_period.year, exclude=[suggestion])
    suggestions = figure_map(suggestion)
    budgets = unit_line_plan(facts, config.organisation, scheme, budget_name, the_period, internal)
    earlier = unit_line_plan(facts, config.organisation, scheme, previous_name, the_period, internal)
    actual, _ = monthly(config.organisation, scheme, facts.balances(the_period.year, the_period.month), the_period.end, internal)
    leaves = [l for l in scheme.leaf_lines()]
    keys = set(suggestions) | set(budgets) | set(actual)
    rows = [
        SheetRow(u, config.organisation.unit(u).name_fi, l.code, l.name_fi, budgets.get((u, l.code)),
                 sum(actual[u, l.code].values()) if (u, l.code) in actual else None, suggestions.get((u, l.code)),
                 earlier.get((u, l.code)))
        for u in units for l in leaves if (u, l.code) in keys
    ]
    path = out_file or Path(f"ennuste-{period_text(the_period)}.xlsx")
    try:
        write_sheet(path, rows, SheetMeta(period_text(the_period), suggestion, budget_name, previous_name, taken.stamp),
                    the_period.label())
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        fail([Problem("--out", "the sheet cannot be written there", expected="a path to a new or writable .xlsx file",
                      found=f"{path} ({unwritable(exc)})")], what="nothing was written")
    main_cli().say(f"wrote {path}: {len(rows)} unit × line rows (suggestion {suggestion!r}, budget "
                         f"{budget_name or 'none'}, previous forecast {previous_name or 'none'})")


@forecast_app.command("upload")
def upload(
    file: Annotated[Path, typer.Argument(help="The filled-in sheet (XLSX).")],
    version: Annotated[str, typer.Option(help="Forecast version to store, e.g. 'TPE 6/2025'.")],
    date_: Annotated[Optional[str], typer.Option("--date", help="Date of the forecast (default today).")] = None,
    author: Annotated[str, typer.Option(help="Author of the version (default the current user).")] = "",
) -> None:
    """Store a filled-in sheet as a forecast version: every row checked, nothing stored if any is wrong."""
    config, facts, units, scheme, internal = context()
    from .forecast.series import unit_line_plan
    from .forecast.sheet import read_meta, read_upload
    from .store.forecasts import figure_map, save_figures, summary
    from .store.repository import current_user

    meta, problems = read_meta(file)
    if meta is None:
        fail(problems)
    the_period = sheet_period(file, meta.period)
    if version == meta.suggestion:
        fail([Problem("--version", "store the controllers' forecast under its own name, not the suggestion's",
                      found=version)])
    fail_on(sheet_source_problems(file, meta, the_period, facts))
    budgets = unit_line_plan(facts, config.organisation, scheme, meta.budget, the_period, internal)
    user = current_user()
    suggested = figure_map(meta.suggestion)
    result = read_upload(file, frozenset(units), frozenset(l.code for l in scheme.leaf_lines()), suggested, budgets,
                         user)
    if result.problems:
        fail(result.problems, f"nothing of {file.name} was stored", result.omitted)
    when = version_date(summary(version), date_, author, the_period.year)
    saved = store_or_fail(save_figures, version, the_period.year, period_text(the_period), result.figures, file.name,
                          author=author or user, user=user, effective_date=when)
    main_cli().say(f"{file.name}: {saved.stored} figures → forecast version {version!r}"
                         + (f" (replaced {saved.replaced})" if saved.replaced else ""))
    uncovered = sorted(set(suggested) - set(figure_map(version)))
    if uncovered:
        listed = ", ".join(f"{u} / {l}" for u, l in uncovered[:3]) + (" …" if len(uncovered) > 3 else "")
        main_cli().warn(f"version {version!r} has no figure for {len(uncovered)} unit × lines the suggestion has "
                        f"({listed}); where the report uses this version, its forecast counts them as nothing")


def version_date(existing, date_text: str | None, author: str, year: int) -> date:
    """The date of a new version (--date, default today). An existing version keeps its date and author: a
    --date or --author that differs from them is refused rather than ignored."""
    when = main_cli().parse_date(date_text, "--date")
    made = when or date.today()
    if existing is None and not year <= made.year <= year + 1:
        fail([Problem("--date", f"a forecast of {year} is made in {year} or {year + 1}" + ("" if when else
                      " (the date defaults to today)"), expected=f"a date in {year} or {year + 1}",
                      found=date_text or made.isoformat())])
    if existing is not None:
        differs = [(option, given, kept) for option, given, kept in (
            ("--date", when, existing.effective_date), ("--author", author or None, existing.author)) if given and given != kept]
        if differs:
            fail([Problem(option, f"version {existing.name!r} exists with {option[2:]} {kept or 'none'}; --date and "
                          "--author describe a new version", expected="the option left out, or a new version name",
                          found=str(given)) for option, given, kept in differs])
        return existing.effective_date
    return made


def sheet_period(file: Path, text: str):
    from .core.periods import Period

    try:
        return Period.parse(text)
    except ValueError:
        fail([Problem(str(file), "not a period", sheet="tiedot", key="jakso", expected="YYYY-MM, e.g. 2025-06",
                      found=text)])


def fail_on(problems: list[Problem]) -> None:
    if problems:
        fail(problems)


def sheet_source_problems(file: Path, meta, period, facts) -> list[Problem]:
    """What the sheet's `tiedot` says it was made from must still be true: the suggestion is a stored suggestion
    of that period, not rewritten since the sheet was made (its rows would take figures the controller never
    saw), and the budget is a budget of the period's year."""
    where = {"file": str(file), "sheet": "tiedot", "key": "ehdotus"}
    found, problems = suggestion_problems(meta.suggestion, period, where)
    if not problems and not meta.stamp:
        problems.append(Problem(**{**where, "key": "ehdotus kirjattu"},
                                message="the sheet does not say when its suggestion was written, so a suggestion made "
                                        "again since cannot be noticed: make a new sheet",
                                expected="the row as `katsaus forecast sheet` writes it", found=None))
    elif not problems and found.stamp != meta.stamp:
        problems.append(Problem(**{**where, "key": "ehdotus kirjattu"},
                                message="the suggestion was made again after this sheet; its figures may differ from "
                                        "the ones on the sheet: make a new sheet",
                                expected=meta.stamp, found=found.stamp))
    if meta.budget and not is_budget_of(facts.plan_versions(), meta.budget, period.year):
        problems.append(Problem(str(file), "not a budget version of the period's year", sheet="tiedot",
                                key="talousarvio", expected=f"a budget of {period.year}", found=meta.budget))
    return problems


# --- show -----------------------------------------------------------------------------------------------

CSV_HEADER = ["unit", "line", "amount_eur", "method", "reason", "low_eur", "high_eur", "entered_by", "source", "written_at"]
HISTORY_COLUMNS = ["replaced_at", "replaced_by"]  # with --history: empty for a current figure


@forecast_app.command("show")
def show(
    version: Annotated[str, typer.Option(help="Forecast version name.")],
    csv_file: Annotated[Optional[str], typer.Option("--csv", help="Write the figures as CSV to this file ('-' for standard output).")] = None,
    history: Annotated[bool, typer.Option("--history", help="Also every figure a later write replaced, with when and by whom (CSV columns replaced_at, replaced_by).")] = False,
) -> None:
    """Where each figure of a forecast version came from: value, method or reason, author."""
    main_cli().ensure_db()
    from .store.forecasts import figures, summary

    info = summary(version)
    if info is None:
        fail([Problem("--version", "no such forecast version", found=version)], what="nothing was shown")
    rows = figures(version, history)
    if csv_file:
        write_csv(rows, csv_file, history)
        if csv_file == "-":
            return
    say = main_cli().say
    say(f"{info.name}: forecast of {info.year}, made at {info.made_at_period or '?'} by {info.author or '?'}"
        f" on {info.effective_date or info.created_at.date()}; {info.figures} figure{'' if info.figures == 1 else 's'}")
    for stored in rows:  # one line per figure: greppable, and no reason is cut by a narrow terminal
        f = stored.figure
        level = f", {f.explanation.range_percent} %" if f.explanation and f.explanation.range_percent else ""
        span = f" [{euros(f.low_cents, True)} … {euros(f.high_cents, True)}{level}]" if f.low_cents is not None else ""
        why = f": {' / '.join(f.reason.splitlines())}" if f.reason else ""  # one line per figure
        when = f" {stored.written_at:%Y-%m-%d %H:%M}" if history else ""
        replaced = (f" — replaced {stored.replaced_at:%Y-%m-%d %H:%M} by {stored.replaced_by}"
                    if stored.replaced_at else "")
        how = f.method or f"imported from {stored.source}"
        say(f"{f.unit} / {f.line}: {euros(f.cents, True)} €{span} — {how}{why} ({f.entered_by or '?'}{when}){replaced}")


def unwritable(exc: Exception) -> str:
    """Why a file could not be written, in words (xlsxwriter wraps the OSError)."""
    cause = exc.__cause__ or (exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc)
    return getattr(cause, "strerror", None) or str(cause)


def write_csv(rows, target: str, history: bool = False) -> None:
    try:
        handle = sys.stdout if target == "-" else open(target, "w", newline="", encoding="utf-8")
    except OSError as exc:
        fail([Problem("--csv", "the file cannot be written there", expected="a path to a new or writable file, or -",
                      found=f"{target} ({unwritable(exc)})")], what="nothing was written")
    try:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_HEADER + (HISTORY_COLUMNS if history else []))
        for stored in rows:
            f = stored.figure
            replaced = [stored.replaced_at.isoformat() if stored.replaced_at else "", stored.replaced_by] if history else []
            writer.writerow([f.unit, f.line, euros(f.cents), f.method, f.reason, euros(f.low_cents),
                             euros(f.high_cents), f.entered_by, stored.source, stored.written_at.isoformat(), *replaced])
        if handle is not sys.stdout:
            handle.close()
    except OSError as exc:  # a full disk, a closed pipe
        fail([Problem("--csv", "the file could not be written", expected="room on the disk", found=f"{target} "
                      f"({unwritable(exc)})")], what="the file is incomplete")
