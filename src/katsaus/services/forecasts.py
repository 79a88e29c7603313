"""The forecast round: suggested year-end forecasts, controllers' values with reasons, the Excel round trip.

Each write is one transaction, audited with the acting person (the import batch names them; every figure they
enter is kept with the one it replaced), and refused if it would change what a published report says.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import xlsxwriter.exceptions

from ..core.errors import Money, Note, Param, Problem, Refused, Term, refuse
from ..core.forecast_basis import SUGGEST_SOURCE
from ..core.periods import Period
from .actors import Actor, actor_name
from .audit import FIGURES, writing
from .errors import Outcome
from .imports import ProgressFactory, guard_published, parse_date
from .reports import stored_config, stored_facts

SET_SOURCE = "katsaus forecast set"
MAX_NAME = 200  # characters of a version's name


def fail(problems: Iterable[Problem] | Problem, outcome: str = "outcome.nothing_stored", omitted: int = 0) -> NoReturn:
    raise Refused(problems, omitted, outcome)


def suggestion_problems(name: str, period: Period, key: str = "suggestion", file: str | None = None,
                        sheet: str | None = None) -> tuple[Any, list[Problem]]:
    """A version a sheet or `set --suggestion` takes figures from must be a stored suggestion of the period's year,
    made at that period (a suggestion made at June does not belong on a September sheet). Returns the version's
    summary (None if there is none) and the problems, located at `key` (of `file` and `sheet` when given)."""
    from ..store.forecasts import summary

    found = summary(name)
    shown = name[:MAX_NAME]
    if found is None:
        return found, [Problem("forecasting.version_unknown", {"period": period.key}, key=key, file=file, sheet=sheet,
                               found=shown)]
    if not found.suggestion:
        return found, [Problem("forecasting.not_a_suggestion", {"period": period.key}, key=key, file=file,
                               sheet=sheet, found=shown)]
    if found.made_at_period != period.key:
        return found, [Problem("forecasting.suggestion_period", {"period": period.key,
                                                                 "made_at": found.made_at_period or None},
                               key=key, file=file, sheet=sheet, found=shown)]
    return found, []


def context() -> tuple[Any, Any, list[str], Any, str]:
    """Configuration, facts, the storage units and leaf lines, and the template's internal-items rule."""
    from ..forecast.series import owning_units

    config = stored_config()
    scheme = config.scheme()
    try:
        internal = config.template().conventions.internal
    except (KeyError, ValueError):
        internal = "exclude"  # no single template: forecasts follow the external statement
    return config, stored_facts(), owning_units(config.org), scheme, internal


def budget_version(facts: Any, period: Period, wanted: str, outcome: str = "outcome.nothing_stored") -> str | None:
    """'in_force' (the report's rule), 'none', or the name of a budget version of the period's year."""
    from ..forecast.series import in_force_budget

    versions = list(facts.plan_versions())
    if wanted == "none":
        return None
    if wanted == "in_force":
        found = in_force_budget(versions, period)
        return found.name if found else None
    if not is_budget_of(versions, wanted, period.year):
        known = tuple(v.name for v in versions if is_budget_of([v], v.name, period.year))
        other = next((v for v in versions if v.name == wanted), None)
        expected: dict[str, Param] = {"year": period.year, "known": known}
        if other is not None:
            fail(Problem("forecasting.not_a_budget", {**expected, "kind": Term(f"kind.{other.kind}"), "of": other.year},
                         key="budget", found=wanted[:MAX_NAME]), outcome)
        fail(Problem("forecasting.budget_unknown", expected, key="budget", found=wanted[:MAX_NAME]), outcome)
    return wanted


def is_budget_of(versions: Iterable[Any], name: str, year: int) -> bool:
    """A budget version of this name and year is among `versions`."""
    return any(v.name == name and v.kind == "budget" and v.year == year for v in versions)


def require_ledger_months(facts: Any, period: Period, outcome: str = "outcome.nothing_stored") -> None:
    """Refuse a period whose months the ledger does not all hold (see forecast.series.missing_months)."""
    from ..forecast.series import missing_months

    missing = missing_months(facts, period)
    if missing:
        held = [m for m in range(1, period.month + 1) if m not in missing]
        code = "forecasting.ledger_months_missing" if held else "forecasting.ledger_year_missing"
        fail(Problem(code, {"missing": tuple(missing), "held": tuple(held), "year": period.year,
                            "month": period.month}, key="period"), outcome)


def euros(cents: int | None, grouped: bool = False) -> str:
    """Exact cents as euros: '-1234567.89' (or '-1 234 567.89' for reading)."""
    if cents is None:
        return ""
    whole, part = divmod(abs(cents), 100)
    text = f"{whole:,}".replace(",", "\u00a0") if grouped else str(whole)
    return f"{'-' if cents < 0 else ''}{text}.{part:02d}"


def store_figures(actor: Actor, correction: bool, *args: Any, **kwargs: Any) -> Any:
    """save_figures in one write, audited, refused on a store rule or a published report."""
    from ..store.forecasts import save_figures
    from .permissions import can_import, require

    require(can_import(actor), actor, "import")
    with writing(actor, FIGURES):
        saved = save_figures(*args, **kwargs)
        guard_published(correction)
    return saved


# --- suggest --------------------------------------------------------------------------------------------


def suggest(period: str | Period, version: str, actor: Actor, budget: str = "in_force", years_back: int = 5,
            replace_existing: bool = False, progress: ProgressFactory | None = None,
            correction: bool = False) -> Outcome:
    """Suggest a year-end figure for every unit × statement line from the stored monthly balances."""
    from .permissions import can_import, require

    require(can_import(actor), actor, "import")
    the_period = Period.parse(period)
    config, facts, _, scheme, internal = context()
    from ..core.forecast import ForecastFigure
    from ..forecast.series import suggest as make_suggestions
    from ..store.forecasts import version_exists

    if not version.strip() or len(version) > MAX_NAME:
        fail(Problem("forecasting.version_name_invalid", {"max": MAX_NAME}, key="version", found=version[:MAX_NAME]))
    if version_exists(version) and not replace_existing:
        fail(Problem("forecasting.version_exists", key="version", found=version))
    require_ledger_months(facts, the_period)
    budget_name = budget_version(facts, the_period, budget)
    with (progress("forecast suggest") if progress else nullcontext(lambda stage, fraction: None)) as report:
        suggestions = make_suggestions(facts, config.org, scheme, the_period, budget_name, internal,
                                       years_back, report)
    user = actor_name(actor)
    figures = [
        # a suggestion's reason is its explanation (how it was made), which readers see in their language
        ForecastFigure(s.unit, s.line, s.estimate.cents, s.estimate.method, "",
                       s.estimate.low_cents, s.estimate.high_cents, user, s.estimate.explanation)
        for s in suggestions
    ]
    saved = store_figures(actor, correction, version, the_period.year, the_period.key, figures,
                          f"{SUGGEST_SOURCE} {the_period.key}", user=user, replace_all=True, suggestion=True)
    methods: dict[str, int] = {}
    for s in suggestions:
        methods[s.estimate.method] = methods.get(s.estimate.method, 0) + 1
    counts = tuple(Note("forecasting.method_count", {"method": Term(f"method.{m}"), "count": n})
                   for m, n in sorted(methods.items(), key=lambda kv: -kv[1]))
    return Outcome([Note("forecasting.suggested", {"figures": saved.stored, "version": version,
                                                   "budget": budget_name or Term("none"),
                                                   "methods": counts or Term("none")})], [], saved)


# --- set ------------------------------------------------------------------------------------------------


def set_value(version: str, unit: str, line: str, reason: str, actor: Actor, value: str | None = None,
              suggestion: str | None = None, budget: str | None = None, period: str | None = None,
              date_: str | None = None, author: str = "", correction: bool = False) -> Outcome:
    """Set one unit × line figure of a forecast version: an own value, a suggestion or the budget, with a reason."""
    chosen = tuple(name for name, given in (("value", value), ("suggestion", suggestion), ("budget", budget))
                   if given is not None)
    if len(chosen) != 1:
        fail(Problem("forecasting.set_one_source", key="value", found=", ".join(chosen) or None))
    from ..forecast.sheet import MAX_REASON, says_something

    if not says_something(reason):
        fail(Problem("forecasting.reason_missing", key="reason", found=reason))
    if len(reason) > MAX_REASON:
        fail(Problem("text.too_long", {"max": MAX_REASON, "length": len(reason)}, key="reason"))
    if not version.strip() or len(version) > MAX_NAME:
        fail(Problem("forecasting.version_name_invalid", {"max": MAX_NAME}, key="version", found=version[:MAX_NAME]))
    config, facts, units, scheme, internal = context()
    from ..store.forecasts import summary, version_kind

    check_target(unit, line, units, scheme)
    existing = summary(version)
    other = version_kind(version)
    if existing is None and other is not None:
        fail(Problem("forecasting.not_a_forecast", {"kind": Term(f"kind.{other[0]}"), "year": other[1]}, key="version",
                     found=version))
    if existing is None and period is None:
        fail(Problem("forecasting.period_missing", key="period"))
    # an existing version's budget in force and suggestion are those of the period it was made at
    if period is not None:
        the_period = Period.parse(period)
    else:
        assert existing is not None
        the_period = Period.parse(existing.made_at_period or f"{existing.year}-12")
    made_at = the_period.key if period or existing is None else existing.made_at_period
    if suggestion is not None:
        refuse(suggestion_problems(suggestion, the_period)[1])
    user = actor_name(actor)
    figure = figure_for(facts, config, scheme, the_period, internal, unit, line, reason.strip(), user,
                        value, suggestion, budget)
    when = version_date(existing, date_, author, the_period.year)
    saved = store_figures(actor, correction, version, the_period.year, made_at, [figure], SET_SOURCE,
                          author=author or user, user=user, effective_date=when)
    return Outcome([Note("forecasting.value_set", {"version": version, "unit": unit, "line": line,
                                                "amount": Money(figure.cents), "method": Term(f"method.{figure.method}"),
                                                "reason": figure.reason})], [], saved)


def check_target(unit: str, line: str, units: list[str], scheme: Any) -> None:
    problems = []
    if unit not in units:
        problems.append(Problem("forecasting.unit_unknown", {"allowed": tuple(units)}, key="unit", found=unit[:40]))
    leaves = tuple(leaf.code for leaf in scheme.leaf_lines())
    if line not in leaves:
        problems.append(Problem("forecasting.line_unknown", {"allowed": leaves}, key="line", found=line[:80]))
    refuse(problems)


def figure_for(facts: Any, config: Any, scheme: Any, period: Period, internal: str, unit: str, line: str,
               reason: str, user: str, value: str | None, suggestion: str | None, budget: str | None) -> Any:
    from ..core.forecast import ForecastFigure
    from ..forecast.series import unit_line_plan
    from ..intake.values import BadValue, parse_plain_amount
    from ..store.forecasts import figure_map

    if value is not None:
        try:
            return ForecastFigure(unit, line, parse_plain_amount(value), "manual", reason, entered_by=user)
        except BadValue as bad:  # the amount parser's own code: why this is no amount
            fail(Problem(bad.code, bad.params, key="value", found=value[:40]))
    if suggestion is not None:
        taken = figure_map(suggestion).get((unit, line))
        if taken is None:
            fail(Problem("forecasting.suggestion_has_no_figure", {"unit": unit, "line": line}, key="suggestion",
                         found=suggestion))
        return replace(taken, reason=reason, entered_by=user)  # the suggestion as stored, with this reason
    assert budget is not None
    name = budget_version(facts, period, budget)
    if name is None:
        fail(Problem("forecasting.no_budget_in_force", {"year": period.year, "period": period.key}, key="budget",
                     found=budget))
    kept = unit_line_plan(facts, config.org, scheme, name, period, internal).get((unit, line))
    if kept is None:
        fail(Problem("forecasting.budget_has_no_figure", {"unit": unit, "line": line, "version": name}, key="budget",
                     found=budget))
    return ForecastFigure(unit, line, kept, "budget", reason, entered_by=user)


# --- the Excel round trip ----------------------------------------------------------------------------------


def write_sheet_file(period: str | Period, suggestion: str, out_file: Path | None = None, budget: str = "in_force",
                     previous: str | None = None) -> Outcome:
    """Write the controllers' sheet: budget, actual to date, suggestion and previous forecast per unit × line."""
    the_period = Period.parse(period)
    config, facts, units, scheme, internal = context()
    from ..forecast.series import monthly
    from ..forecast.sheet import SheetMeta, SheetRow, write_sheet
    from ..store.forecasts import summary

    taken, problems = suggestion_problems(suggestion, the_period)
    earlier_version = summary(previous) if previous is not None and previous != "none" else None
    if previous == suggestion:
        problems.append(Problem("forecasting.previous_is_suggestion", key="previous", found=previous))
    elif previous not in (None, "none") and (earlier_version is None or earlier_version.year != the_period.year):
        problems.append(Problem("forecasting.previous_unknown", {"year": the_period.year}, key="previous",
                                found=(previous or "")[:MAX_NAME]))
    refuse(problems, outcome="outcome.nothing_written")
    require_ledger_months(facts, the_period, outcome="outcome.nothing_written")
    side = beside_suggestion(the_period, suggestion, budget, previous, outcome="outcome.nothing_written")
    budget_name, previous_name, suggestions, budgets, earlier = (
        side.budget_name, side.previous_name, side.suggestions, side.budgets, side.previous)
    actual, _ = monthly(config.org, scheme, facts.balances(the_period), the_period.end, internal)
    leaves = list(scheme.leaf_lines())
    keys = set(suggestions) | set(budgets) | set(actual)
    rows = [
        SheetRow(u, config.org.unit(u).name_fi, leaf.code, leaf.name_fi, budgets.get((u, leaf.code)),
                 sum(actual[u, leaf.code].values()) if (u, leaf.code) in actual else None,
                 suggestions.get((u, leaf.code)), earlier.get((u, leaf.code)))
        for u in units for leaf in leaves if (u, leaf.code) in keys
    ]
    path = out_file or Path(f"ennuste-{the_period.key}.xlsx")
    try:
        write_sheet(path, rows, SheetMeta(the_period.key, suggestion, budget_name, previous_name, taken.stamp),
                    the_period.label())
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        fail(Problem("forecasting.sheet_unwritable", {"reason": unwritable(exc)}, key="out", found=str(path)),
             "outcome.nothing_written")
    return Outcome([Note("forecasting.sheet_written", {"file": str(path), "rows": len(rows), "suggestion": suggestion,
                                                       "budget": budget_name or Term("none"),
                                                       "previous": previous_name or Term("none")})], [], path)


@dataclass(frozen=True)
class BesideSuggestion:
    """What a controller weighs a suggestion against, per (unit, line): the budget in force and the previous
    forecast (cents, the report's rule for internal items), and the suggestion's own figures."""
    budget_name: str | None
    previous_name: str | None
    suggestions: dict[tuple[str, str], Any]    # (unit, line) -> core.forecast.ForecastFigure
    budgets: dict[tuple[str, str], int]        # (unit, line) -> cents
    previous: dict[tuple[str, str], int]       # (unit, line) -> cents


def beside_suggestion(period: Period, suggestion: str, budget: str = "in_force", previous: str | None = None,
                      outcome: str = "outcome.nothing_done") -> BesideSuggestion:
    """The figures the sheet and the browser's forecast round show beside a suggestion made at `period`;
    previous: a forecast version, "none", or None for the latest other forecast of the year."""
    from ..forecast.series import unit_line_plan
    from ..store.forecasts import figure_map, latest_forecast

    config, facts, _, scheme, internal = context()
    budget_name = budget_version(facts, period, budget, outcome)
    previous_name = None if previous == "none" else previous or latest_forecast(period.year, exclude=[suggestion])
    return BesideSuggestion(
        budget_name, previous_name, figure_map(suggestion),
        unit_line_plan(facts, config.org, scheme, budget_name, period, internal),
        unit_line_plan(facts, config.org, scheme, previous_name, period, internal))


def upload(file: Path, version: str, actor: Actor, date_: str | None = None, author: str = "",
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
    if not version.strip() or len(version) > MAX_NAME:
        fail(Problem("forecasting.version_name_invalid", {"max": MAX_NAME}, key="version", found=version[:MAX_NAME]))
    if version == meta.suggestion:
        fail(Problem("forecasting.upload_over_suggestion", key="version", found=version))
    refuse(sheet_source_problems(file, meta, the_period, facts))
    budgets = unit_line_plan(facts, config.org, scheme, meta.budget, the_period, internal)
    user = actor_name(actor)
    suggested = figure_map(meta.suggestion)
    result = read_upload(file, frozenset(units), frozenset(leaf.code for leaf in scheme.leaf_lines()), suggested,
                         budgets, user)
    refuse(result.problems, result.omitted, Note("outcome.nothing_of_stored", {"files": (file.name,)}))
    when = version_date(summary(version), date_, author, the_period.year)
    saved = store_figures(actor, correction, version, the_period.year, the_period.key, result.figures,
                          file.name, author=author or user, user=user, effective_date=when)
    warnings = []
    uncovered = sorted(set(suggested) - set(figure_map(version)))
    if uncovered:
        warnings.append(Problem("forecasting.upload_uncovered", {
            "version": version, "count": len(uncovered),
            "examples": tuple(f"{u} / {line}" for u, line in uncovered[:3])}, severity="warning", file=file.name))
    return Outcome([Note("forecasting.uploaded_replacing" if saved.replaced else "forecasting.uploaded",
                         {"file": file.name, "figures": saved.stored, "version": version,
                          "replaced": saved.replaced or 0})], warnings, saved)


def version_date(existing: Any, date_text: str | None, author: str, year: int) -> date:
    """The date of a new version (--date, default today). An existing version keeps its date and author: a
    --date or --author that differs from them is refused rather than ignored."""
    when = parse_date(date_text, "date")
    made = when or date.today()
    if existing is None and not year <= made.year <= year + 1:
        fail(Problem("forecasting.date_range", {"year": year, "next": year + 1, "defaulted": when is None}, key="date",
                     found=date_text or made.isoformat()))
    if existing is not None:
        differs = [(key, given, kept) for key, given, kept in (
            ("date", when, existing.effective_date), ("author", author or None, existing.author)) if given and given != kept]
        if differs:
            fail([Problem("forecasting.version_fixed", {"version": existing.name, "kept": kept or None}, key=key,
                          found=str(given)) for key, given, kept in differs])
        return existing.effective_date  # type: ignore[no-any-return]
    return made


def sheet_period(file: Path, text: str) -> Period:
    try:
        return Period.parse(text)
    except Refused:
        fail(Problem("forecasting.sheet_period_invalid", file=str(file), sheet="tiedot", key="jakso", found=text))


def sheet_source_problems(file: Path, meta: Any, period: Period, facts: Any) -> list[Problem]:
    """What the sheet's `tiedot` says it was made from must still be true: the suggestion is a stored suggestion
    of that period, not rewritten since the sheet was made (its rows would take figures the controller never
    saw), and the budget is a budget of the period's year."""
    found, problems = suggestion_problems(meta.suggestion, period, "ehdotus", str(file), "tiedot")
    if not problems and not meta.stamp:
        problems.append(Problem("forecasting.sheet_unstamped", file=str(file), sheet="tiedot", key="ehdotus kirjattu"))
    elif not problems and found.stamp != meta.stamp:
        problems.append(Problem("forecasting.sheet_outdated", {"sheet_stamp": meta.stamp}, file=str(file),
                                sheet="tiedot", key="ehdotus kirjattu", found=found.stamp))
    if meta.budget and not is_budget_of(facts.plan_versions(), meta.budget, period.year):
        problems.append(Problem("forecasting.sheet_budget_wrong", {"year": period.year}, file=str(file), sheet="tiedot",
                                key="talousarvio", found=meta.budget))
    return problems


# --- show -----------------------------------------------------------------------------------------------

CSV_HEADER = ["unit", "line", "amount_eur", "method", "reason", "low_eur", "high_eur", "entered_by", "source", "written_at"]
HISTORY_COLUMNS = ["replaced_at", "replaced_by"]  # with history: empty for a current figure


@dataclass(frozen=True)
class VersionFigures:
    info: Any            # store.forecasts.VersionSummary
    rows: list[Any]      # store.forecasts.StoredFigure


def version_figures(version: str, history: bool = False) -> VersionFigures:
    """A forecast version's summary and figures (with the replaced ones when `history`)."""
    from ..store.forecasts import figures, summary

    info = summary(version)
    if info is None:
        fail(Problem("forecasting.version_not_found", key="version", found=version[:MAX_NAME]), "outcome.nothing_done")
    return VersionFigures(info, figures(version, history))


def unwritable(exc: Exception) -> str:
    """Why a file could not be written, in words (xlsxwriter wraps the OSError)."""
    cause = exc.__cause__ or (exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc)
    return getattr(cause, "strerror", None) or str(cause)


def write_csv(rows: list[Any], target: str, history: bool = False) -> None:
    try:
        handle = sys.stdout if target == "-" else open(target, "w", newline="", encoding="utf-8")
    except OSError as exc:
        fail(Problem("forecasting.csv_unwritable", {"reason": unwritable(exc)}, key="csv", found=target),
             "outcome.nothing_written")
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
        fail(Problem("forecasting.csv_unwritable", {"reason": unwritable(exc)}, key="csv", found=target),
             "outcome.file_incomplete")


# --- the forecast round in the browser ----------------------------------------------------------------------


def forecast_versions() -> list[str]:
    """The names of every forecast version, the newest year first."""
    from ..store.models import PlanVersion

    return list(PlanVersion.objects.filter(kind="forecast").order_by("-year", "name").values_list("name", flat=True))


def made_at(version: str) -> str:
    """The period a forecast version was made at ("2025-06"), which its sheet is of; "" when unknown."""
    from ..store.forecasts import summary

    info = summary(version)
    return info.made_at_period if info is not None and info.made_at_period else ""


@dataclass(frozen=True)
class RoundLine:
    """One unit × statement line of the forecast round: the suggestion (with its range and how it was made), the
    budget in force and the previous forecast, in cents."""

    unit: str
    unit_name: str
    line: str
    line_name: str
    suggestion: Any          # core.forecast.ForecastFigure | None
    budget: int | None
    previous: int | None
    previous_reason: str


@dataclass(frozen=True)
class ForecastRound:
    suggestion: str
    made_at: Period
    budget_name: str | None
    previous_name: str | None
    conventions: Any         # the report template's number conventions (core.model.Conventions)
    lines: tuple[RoundLine, ...]


def report_conventions(language: str) -> Any:
    """The report template's number conventions (unit, rounding) in the reader's language; the defaults
    (1000 €) when the configuration has several templates and none is the default."""
    from ..core.model import Conventions

    try:
        conventions = stored_config().template().conventions
    except Refused:
        conventions = Conventions()
    return replace(conventions, locale=language, empty="blank")


def forecast_round(suggestion: str, previous: str | None, actor: Actor, language: str = "fi") -> ForecastRound:
    """Per unit × line: the suggestion with its range and how it was made, the budget in force and the previous
    forecast at the suggestion's period — the same figures the CLI's sheet (`forecast sheet`) holds."""
    from ..store.forecasts import figure_map
    from .permissions import can_import, require

    require(can_import(actor), actor, "import")
    period = Period.parse(made_at(suggestion) or "", "suggestion")
    side = beside_suggestion(period, suggestion, previous=previous or None)
    reasons = figure_map(side.previous_name) if side.previous_name else {}
    config, _, units, scheme, _ = context()
    keys = set(side.suggestions) | set(side.budgets) | set(side.previous)
    lines = tuple(
        RoundLine(unit, config.org.unit(unit).name(language), leaf.code, leaf.name(language),
                  side.suggestions.get((unit, leaf.code)), side.budgets.get((unit, leaf.code)),
                  side.previous.get((unit, leaf.code)),
                  reasons[unit, leaf.code].reason if (unit, leaf.code) in reasons else "")
        for unit in units for leaf in scheme.leaf_lines() if (unit, leaf.code) in keys)
    return ForecastRound(suggestion, period, side.budget_name, side.previous_name, report_conventions(language), lines)


def sheet_bytes(period: str, suggestion: str, actor: Actor) -> tuple[str, bytes]:
    """The controllers' sheet as the CLI writes it (`forecast sheet`), read back for download."""
    import tempfile

    from .permissions import can_import, require

    require(can_import(actor), actor, "import")
    with tempfile.TemporaryDirectory(prefix="katsaus-sheet-") as folder:
        path = Path(folder) / f"ennuste-{Period.parse(period).key}.xlsx"
        write_sheet_file(period, suggestion, path)
        return path.name, path.read_bytes()
