"""The forecast round: suggested year-end forecasts, controllers' values with reasons, the Excel round trip.

Each write is one transaction, audited with the acting person (the import batch names them; every figure they
enter is kept with the one it replaced), and refused if it would change what a published report says.
"""

from __future__ import annotations

import csv
import sys
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter.exceptions
from django.db import transaction

from ..core.errors import Problem
from ..core.forecast_basis import SUGGEST_SOURCE
from .audit import acting, actor_name
from .errors import Outcome, Refused, refuse
from .imports import ProgressFactory, guard_published, parse_date
from .reports import month_list, stored_config

SET_SOURCE = "katsaus forecast set"


def fail(problems: list[Problem], what: str = "nothing was stored", omitted: int = 0) -> None:
    raise Refused(problems, omitted, what)


def parse_period(text: str, option: str = "--period"):
    from ..core.periods import Period

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
    from ..store.forecasts import summary

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
    from ..forecast.series import owning_units
    from ..store.repository import DbFacts

    config = stored_config()
    scheme = config.scheme()
    try:
        internal = config.template().conventions.internal
    except (KeyError, ValueError):
        internal = "exclude"  # no single template: forecasts follow the external statement
    return config, DbFacts(), owning_units(config.organisation), scheme, internal


def budget_version(facts, period, wanted: str, what: str = "nothing was stored") -> str | None:
    """'in_force' (the report's rule), 'none', or the name of a budget version of the period's year."""
    from ..forecast.series import in_force_budget

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
    from ..forecast.series import missing_months

    missing = missing_months(facts, period)
    if missing:
        held = [m for m in range(1, period.month + 1) if m not in missing]
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


def store_figures(actor: Any, correction: bool, *args, **kwargs):
    """save_figures in the caller's transaction, audited, refused on a store rule or a published report."""
    from ..store.forecasts import ForecastStoreError, save_figures
    from .permissions import can_import, require

    require(can_import(actor), actor, "write forecasts")
    with acting(actor), transaction.atomic():
        try:
            saved = save_figures(*args, **kwargs)
        except ForecastStoreError as exc:
            fail([Problem("--version", str(exc))])
        guard_published(correction)
    return saved


# --- suggest --------------------------------------------------------------------------------------------


def suggest(period: str, version: str, actor: Any, budget: str = "in_force", years_back: int = 5,
            replace_existing: bool = False, progress: ProgressFactory | None = None,
            correction: bool = False) -> Outcome:
    """Suggest a year-end figure for every unit × statement line from the stored monthly balances."""
    the_period = parse_period(period)
    config, facts, _, scheme, internal = context()
    from ..core.forecast import ForecastFigure
    from ..forecast.series import suggest as make_suggestions
    from ..store.forecasts import version_exists

    if version_exists(version) and not replace_existing:
        fail([Problem("--version", "the version exists; give another name or --replace", found=version)])
    require_ledger_months(facts, the_period)
    budget_name = budget_version(facts, the_period, budget)
    with (progress("forecast suggest") if progress else nullcontext(lambda stage, fraction: None)) as report:
        suggestions = make_suggestions(facts, config.organisation, scheme, the_period, budget_name, internal,
                                       years_back, report)
    user = actor_name(actor)
    figures = [
        ForecastFigure(s.unit, s.line, s.estimate.cents, s.estimate.method, s.estimate.note,
                       s.estimate.low_cents, s.estimate.high_cents, user, s.estimate.explanation)
        for s in suggestions
    ]
    saved = store_figures(actor, correction, version, the_period.year, period_text(the_period), figures,
                          f"{SUGGEST_SOURCE} {period_text(the_period)}", user=user, replace_all=True, suggestion=True)
    methods: dict[str, int] = {}
    for s in suggestions:
        methods[s.estimate.method] = methods.get(s.estimate.method, 0) + 1
    counts = ", ".join(f"{m} {n}" for m, n in sorted(methods.items(), key=lambda kv: -kv[1]))
    return Outcome([f"{saved.stored} figures → forecast version {version!r} (budget {budget_name or 'none'}); "
                    f"methods: {counts or 'none'}"], [], saved)


# --- set ------------------------------------------------------------------------------------------------


def set_value(version: str, unit: str, line: str, reason: str, actor: Any, value: str | None = None,
              suggestion: str | None = None, budget: str | None = None, period: str | None = None,
              date_: str | None = None, author: str = "", correction: bool = False) -> Outcome:
    """Set one unit × line figure of a forecast version: an own value, a suggestion or the budget, with a reason."""
    chosen = [name for name, given in (("--value", value), ("--suggestion", suggestion), ("--budget", budget))
              if given is not None]
    if len(chosen) != 1:
        fail([Problem("forecast set", "give exactly one of --value, --suggestion and --budget",
                      expected="one of them", found=", ".join(chosen) or "none")])
    from ..forecast.sheet import MAX_REASON, says_something

    if not says_something(reason):
        fail([Problem("--reason", "every forecast figure needs a reason", expected="a reason", found=reason)])
    if len(reason) > MAX_REASON:
        fail([Problem("--reason", f"the reason is {len(reason)} characters long",
                      expected=f"at most {MAX_REASON} characters", found=reason[:40] + "…")])
    config, facts, units, scheme, internal = context()
    from ..store.forecasts import summary, version_kind

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
        refuse(suggestion_problems(suggestion, the_period, {"file": "--suggestion"})[1])
    user = actor_name(actor)
    figure = figure_for(facts, config, scheme, the_period, internal, unit, line, reason.strip(), user,
                        value, suggestion, budget)
    when = version_date(existing, date_, author, the_period.year)
    saved = store_figures(actor, correction, version, the_period.year, made_at, [figure], SET_SOURCE,
                          author=author or user, user=user, effective_date=when)
    return Outcome([f"{version}: {unit} / {line} = {euros(figure.cents, True)} € ({figure.method}); reason: "
                    f"{figure.reason}"], [], saved)


def check_target(unit: str, line: str, units: list[str], scheme) -> None:
    problems = []
    if unit not in units:
        problems.append(Problem("--unit", "not a unit that owns cost centres", expected=", ".join(units), found=unit))
    leaves = [leaf.code for leaf in scheme.leaf_lines()]
    if line not in leaves:
        problems.append(Problem("--line", "not a leaf line of the scheme", expected=", ".join(leaves), found=line))
    refuse(problems)


def figure_for(facts, config, scheme, period, internal, unit, line, reason, user, value, suggestion, budget):
    from ..core.forecast import ForecastFigure
    from ..forecast.series import unit_line_plan
    from ..intake.values import BadValue, parse_plain_amount
    from ..store.forecasts import figure_map

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


def write_sheet_file(period: str, suggestion: str, out_file: Path | None = None, budget: str = "in_force",
                     previous: str | None = None) -> Outcome:
    """Write the controllers' sheet: budget, actual to date, suggestion and previous forecast per unit × line."""
    the_period = parse_period(period)
    config, facts, units, scheme, internal = context()
    from ..forecast.series import monthly
    from ..forecast.sheet import SheetMeta, SheetRow, write_sheet
    from ..store.forecasts import summary

    taken, problems = suggestion_problems(suggestion, the_period, {"file": "--suggestion"})
    earlier_version = summary(previous) if previous not in (None, "none") else None
    if previous == suggestion:
        problems.append(Problem("--previous", "the previous forecast is the controllers' earlier forecast, not the "
                                "suggestion itself", expected="another forecast version or none", found=previous))
    elif previous not in (None, "none") and (earlier_version is None or earlier_version.year != the_period.year):
        problems.append(Problem("--previous", "no forecast version of this name for the period's year",
                                expected=f"none or a forecast of {the_period.year}", found=previous))
    refuse(problems, what="nothing was written")
    require_ledger_months(facts, the_period, what="nothing was written")
    side = beside_suggestion(the_period, suggestion, budget, previous, what="nothing was written")
    budget_name, previous_name, suggestions, budgets, earlier = (
        side.budget_name, side.previous_name, side.suggestions, side.budgets, side.previous)
    actual, _ = monthly(config.organisation, scheme, facts.balances(the_period.year, the_period.month), the_period.end, internal)
    leaves = list(scheme.leaf_lines())
    keys = set(suggestions) | set(budgets) | set(actual)
    rows = [
        SheetRow(u, config.organisation.unit(u).name_fi, leaf.code, leaf.name_fi, budgets.get((u, leaf.code)),
                 sum(actual[u, leaf.code].values()) if (u, leaf.code) in actual else None,
                 suggestions.get((u, leaf.code)), earlier.get((u, leaf.code)))
        for u in units for leaf in leaves if (u, leaf.code) in keys
    ]
    path = out_file or Path(f"ennuste-{period_text(the_period)}.xlsx")
    try:
        write_sheet(path, rows, SheetMeta(period_text(the_period), suggestion, budget_name, previous_name, taken.stamp),
                    the_period.label())
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        fail([Problem("--out", "the sheet cannot be written there", expected="a path to a new or writable .xlsx file",
                      found=f"{path} ({unwritable(exc)})")], what="nothing was written")
    return Outcome([f"wrote {path}: {len(rows)} unit × line rows (suggestion {suggestion!r}, budget "
                    f"{budget_name or 'none'}, previous forecast {previous_name or 'none'})"], [], path)


@dataclass(frozen=True)
class BesideSuggestion:
    """What a controller weighs a suggestion against, per (unit, line): the budget in force and the previous
    forecast (cents, the report's rule for internal items), and the suggestion's own figures."""
    budget_name: str | None
    previous_name: str | None
    suggestions: dict    # (unit, line) -> core.forecast.ForecastFigure
    budgets: dict        # (unit, line) -> cents
    previous: dict       # (unit, line) -> cents


def beside_suggestion(period, suggestion: str, budget: str = "in_force", previous: str | None = None,
                      what: str = "nothing was shown") -> BesideSuggestion:
    """The figures the sheet and the browser's forecast round show beside a suggestion made at `period`;
    previous: a forecast version, "none", or None for the latest other forecast of the year."""
    from ..forecast.series import unit_line_plan
    from ..store.forecasts import figure_map, latest_forecast

    config, facts, _, scheme, internal = context()
    budget_name = budget_version(facts, period, budget, what=what)
    previous_name = None if previous == "none" else previous or latest_forecast(period.year, exclude=[suggestion])
    return BesideSuggestion(
        budget_name, previous_name, figure_map(suggestion),
        unit_line_plan(facts, config.organisation, scheme, budget_name, period, internal),
        unit_line_plan(facts, config.organisation, scheme, previous_name, period, internal))


def upload(file: Path, version: str, actor: Any, date_: str | None = None, author: str = "",
           correction: bool = False) -> Outcome:
    """Store a filled-in sheet as a forecast version: every row checked, nothing stored if any is wrong."""
    config, facts, units, scheme, internal = context()
    from ..forecast.series import unit_line_plan
    from ..forecast.sheet import read_meta, read_upload
    from ..store.forecasts import figure_map, summary

    meta, problems = read_meta(file)
    if meta is None:
        fail(problems)
    the_period = sheet_period(file, meta.period)
    if version == meta.suggestion:
        fail([Problem("--version", "store the controllers' forecast under its own name, not the suggestion's",
                      found=version)])
    refuse(sheet_source_problems(file, meta, the_period, facts))
    budgets = unit_line_plan(facts, config.organisation, scheme, meta.budget, the_period, internal)
    user = actor_name(actor)
    suggested = figure_map(meta.suggestion)
    result = read_upload(file, frozenset(units), frozenset(leaf.code for leaf in scheme.leaf_lines()), suggested,
                         budgets, user)
    refuse(result.problems, f"nothing of {file.name} was stored", result.omitted)
    when = version_date(summary(version), date_, author, the_period.year)
    saved = store_figures(actor, correction, version, the_period.year, period_text(the_period), result.figures,
                          file.name, author=author or user, user=user, effective_date=when)
    warnings = []
    uncovered = sorted(set(suggested) - set(figure_map(version)))
    if uncovered:
        listed = ", ".join(f"{u} / {line}" for u, line in uncovered[:3]) + (" …" if len(uncovered) > 3 else "")
        warnings.append(f"version {version!r} has no figure for {len(uncovered)} unit × lines the suggestion has "
                        f"({listed}); where the report uses this version, its forecast counts them as nothing")
    return Outcome([f"{file.name}: {saved.stored} figures → forecast version {version!r}"
                    + (f" (replaced {saved.replaced})" if saved.replaced else "")], warnings, saved)


def version_date(existing, date_text: str | None, author: str, year: int) -> date:
    """The date of a new version (--date, default today). An existing version keeps its date and author: a
    --date or --author that differs from them is refused rather than ignored."""
    when = parse_date(date_text, "--date")
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
    from ..core.periods import Period

    try:
        return Period.parse(text)
    except ValueError:
        fail([Problem(str(file), "not a period", sheet="tiedot", key="jakso", expected="YYYY-MM, e.g. 2025-06",
                      found=text)])


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
HISTORY_COLUMNS = ["replaced_at", "replaced_by"]  # with history: empty for a current figure


@dataclass(frozen=True)
class VersionFigures:
    info: Any            # store.forecasts.VersionSummary
    rows: list           # store.forecasts.StoredFigure


def version_figures(version: str, history: bool = False) -> VersionFigures:
    """A forecast version's summary and figures (with the replaced ones when `history`)."""
    from ..store.forecasts import figures, summary

    info = summary(version)
    if info is None:
        fail([Problem("--version", "no such forecast version", found=version)], what="nothing was shown")
    return VersionFigures(info, figures(version, history))


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
