"""Configuration, ledger exports, budgets and forecast files into the store: every file checked before any is
stored, all problems at once, nothing stored unless everything is valid, one transaction, an audit record
naming the acting person, and no change to what a published report says (unless it is a correction)."""

from __future__ import annotations

import re
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from django.db import transaction

from ..core.errors import Problem, ProblemsError
from .audit import acting, actor_name
from .errors import Outcome, Refused, refuse
from .permissions import can_import, require

ProgressFactory = Callable[[str], Any]  # name -> a context manager yielding report(stage, fraction)


def guard_published(correction: bool) -> None:
    if not correction:
        from .publish import refuse_changes_to_published

        refuse_changes_to_published()


def toml_files(paths: Sequence[Path]) -> list[Path]:
    files = [p for p in paths if p.is_file()]
    return files + [f for d in paths if d.is_dir() for f in sorted(d.glob("*.toml"))]


def check_config(paths: Sequence[Path]) -> Outcome:
    """Validate configuration files without loading them (ConfigError, a ProblemsError, names every problem)."""
    from ..config import load_config_files

    files = toml_files(paths)
    load_config_files(files)
    return Outcome([f"{len(files)} configuration files are valid."], [])


def load_config(paths: Sequence[Path], actor: Any, correction: bool = False) -> Outcome:
    """Validate configuration files and load them into the database (ConfigDocument history: who, before → after)."""
    from ..config import load_config_files
    from ..store.repository import save_config

    require(can_import(actor), actor, "load configuration")
    files = [p for p in paths if p.is_file()]
    directories = [p for p in paths if p.is_dir()]
    config = load_config_files(files + [f for d in directories for f in sorted(d.glob("*.toml"))])
    with acting(actor), transaction.atomic():
        save_config(config, user=actor_name(actor))
        guard_published(correction)
    org = config.organisation
    return Outcome([
        f"Loaded {len(config.documents)} configuration files"
        + (f": {len(org.units)} units, {len(org.cost_centres)} cost centres" if org else "")
        + f", schemes {sorted(config.schemes)}, templates {sorted(config.templates)}."
    ], [], config)


def intake_context(config):
    from ..intake import IntakeContext

    org, scheme = config.organisation, config.scheme()
    leaves = scheme.leaf_lines()
    return IntakeContext(
        cost_centres=org.cost_centre_validity(),
        unit_codes=frozenset(u.code for u in org.units),
        line_codes={line.code: line.name_fi for line in leaves},
        derived_lines=frozenset(n for line in scheme.lines if line.is_derived for n in (line.code, line.name_fi)),
        leaf_account_ranges=tuple((r.low, r.high) for line in leaves for r in line.accounts),
        internal_ranges=tuple((r.low, r.high) for r in scheme.internal_accounts),
    )


@contextmanager
def ledger_import_prepared(files: Sequence[Path], mapping: Path | None = None) -> Iterator[None]:
    """Start what needs no database before the database opens: the files' checksums and the first file's scan.
    A command opens this around its import_ledger call, so that reading a large export overlaps the
    application's start. Nothing is decided or stored here: import_ledger checks the permission, the mapping
    and every problem as always, and takes the started work over; what it has not taken when the block ends
    (the command was refused first) is stopped."""
    from ..intake import load_mapping, start_reading, stop_unused_reads
    from ..intake.encoding import Checksum

    try:
        for path in files:
            Checksum.start(path)
        try:
            ledger_mapping = load_mapping(mapping)
        except ProblemsError:
            ledger_mapping = None  # import_ledger reports it
        if files and ledger_mapping is not None:
            start_reading(files[0], ledger_mapping)
        yield
    finally:
        stop_unused_reads()


def import_ledger(files: Sequence[Path], mapping: Path | None, add: bool, actor: Any,
                  progress: ProgressFactory | None = None, correction: bool = False) -> Outcome:
    """Import ledger exports as monthly balances. Importing the same file again (the same content, or the same
    name for the same months) replaces it; a file whose balances another file already holds is refused."""
    from ..intake import load_mapping, read_ledger
    from ..intake.linecheck import check_line_column
    from ..store.repository import LedgerOverlap, save_ledger
    from .reports import stored_config

    require(can_import(actor), actor, "import files")
    config = stored_config()
    scheme = config.scheme()
    line_names = {line.code: line.name_fi for line in scheme.lines}
    context = intake_context(config)
    ledger_mapping = load_mapping(mapping)
    # every file is read and checked before any is stored: all problems of all files at once, and a bad
    # third file does not leave the first two stored
    results, problems, omitted = [], [], 0
    for path in files:
        with (progress(path.name) if progress else nullcontext(lambda stage, fraction: None)) as report:
            result = read_ledger(path, ledger_mapping, context, progress=report)
        line_problems, line_omitted = ([], 0) if result.problems else check_line_column(
            path, ledger_mapping, scheme.line_of_account, line_names)
        problems += result.problems + line_problems
        omitted += result.omitted + line_omitted
        results.append((path, result))
    names = ", ".join(path.name for path in files)
    problems += same_named_parts(results, add)
    refuse(problems, f"nothing of {names} was stored", omitted)
    stored = []
    with acting(actor), transaction.atomic():  # a refused file rolls back the ones stored before it
        for path, result in results:
            try:
                stored.append((path, result, save_ledger(path.name, result.pending_checksum, result.rows, result.balances,
                                                         user=actor_name(actor), mapping=str(mapping or ""), add=add)))
            except LedgerOverlap as exc:
                raise Refused([Problem(str(path), str(exc))], what=f"nothing of {names} was stored") from None
        guard_published(correction)
    return Outcome([f"{path.name}: {result.rows} rows → {saved.stored} monthly balances"
                    + (" (replaced the earlier import of this file)" if saved.replaced else "")
                    for path, result, saved in stored], [], [saved for _, _, saved in stored])


def same_named_parts(results, add: bool) -> list[Problem]:
    """Two files of one name for the same months in one command: the second would replace the first."""
    if add:
        return []
    seen: dict[str, tuple[Path, set]] = {}
    problems = []
    for path, result in results:
        months = {(b[0], b[1]) for b in result.balances}
        earlier = seen.get(path.name)
        if earlier and earlier[1] & months:
            problems.append(Problem(str(path), f"another file named {path.name} in this command has the same months "
                                    f"({earlier[0]}); the second would replace the first",
                                    expected="--add if both are parts of those months, or one of them", found=str(path)))
        seen.setdefault(path.name, (path, months))
    return problems


def import_plan(kind: str, path: Path, version: str, year: int | None, sign: str, sheet: str | None,
                mapping: Path | None, actor: Any, correction: bool = False, **meta) -> Outcome:
    """Import a budget or forecast file under a version (meta: effective_date, decision_ref, author)."""
    from ..intake import read_plan
    from ..store.repository import save_plan
    from .reports import stored_config

    require(can_import(actor), actor, "import files")
    config = stored_config()
    the_year = plan_year(version, year)
    if sign not in ("statement", "ledger"):
        raise Refused([Problem("--sign", "unknown sign rule", expected="statement or ledger", found=sign)])
    warnings = plan_date_warnings(kind, meta.get("effective_date"), the_year)
    if mapping is None:
        result = read_plan(path, intake_context(config), sign=sign, sheet=sheet)
        amounts = result.amounts
    else:
        result, amounts = plan_through_mapping(path, mapping, config)
    refuse(result.problems, f"nothing of {path.name} was stored", result.omitted)
    with acting(actor), transaction.atomic():
        try:
            saved = save_plan(kind, version, the_year, path.name, result.checksum, result.rows, amounts,
                              user=actor_name(actor), **meta)
        except ValueError as exc:
            raise Refused([Problem(str(path), str(exc), key="--version")]) from None
        guard_published(correction)
    if saved.dropped:
        warnings.append(f"the earlier import of {path.name} had figures for {saved.dropped} places this file has none "
                        "for; they no longer count")
    return Outcome([f"{path.name}: {saved.stored} figures → {kind} version {version!r} ({the_year})"
                    + (" (replaced the earlier import of this file)" if saved.replaced else "")], warnings, saved)


def plan_through_mapping(path: Path, mapping: Path, config):
    """A budget or forecast in an export that a ledger mapping describes (cost centre × account).

    Read like a ledger (ledger signs, all the mapping's validation), then turned into plan figures in statement
    sign. With [mapping.fixed] the figures are for the whole year; with dates, for their months.
    """
    from ..intake import load_mapping, read_ledger

    ledger_mapping = load_mapping(mapping)
    result = read_ledger(path, ledger_mapping, intake_context(config))
    scheme = config.scheme()
    yearly = ledger_mapping.fixed is not None
    amounts = [
        (None, centre, None, account, None if yearly else month, scheme.to_statement_sign(cents))
        for _year, month, centre, account, _internal, cents in result.balances
    ]
    return result, amounts


def plan_year(version: str, year: int | None) -> int:
    """--year, or the year the name ends in; the two must agree, and a year is 1900–2100."""
    named = name_year(version)
    if year is not None and named is not None and named != year:
        raise Refused([Problem("--year", f"the version name ends in {named}", expected=str(named), found=str(year))])
    if year is None and named is None:
        raise Refused([Problem("--version", "the version name does not end in a year; give --year", found=version)])
    the_year = year if year is not None else named
    if not 1900 <= the_year <= 2100:
        raise Refused([Problem("--year", "not a year", expected="a year 1900–2100", found=str(the_year))])
    return the_year


def plan_date_warnings(kind: str, when: date | None, year: int) -> list[str]:
    """A budget takes effect from the year before its year (decided in December) to the end of the year; a
    forecast is made in its year or the next. A budget without a date is never the one 'in force': say so."""
    if when is None:
        if kind == "budget":
            return ["the budget has no --effective-date: a template's in_force budget column never takes it (name it "
                    "in the template, or import it again with a date)"]
        return []
    first, last = (year - 1, year) if kind == "budget" else (year, year + 1)
    if not first <= when.year <= last:
        option = "--effective-date" if kind == "budget" else "--date"
        raise Refused([Problem(option, f"a {kind} of {year} is dated in {first}–{last}",
                               expected=f"a date in {first}–{last}", found=when.isoformat())])
    return []


def name_year(version: str) -> int | None:
    """The year a version name ends in ('MTA I 2025' -> 2025), or None."""
    match = re.search(r"(\d{4})\s*$", version)
    return int(match.group(1)) if match else None


def parse_date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused([Problem(option, "not a date", expected="YYYY-MM-DD", found=text)]) from None


__all__ = ["ProblemsError"]
