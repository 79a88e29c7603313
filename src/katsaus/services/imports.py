"""Configuration, ledger exports, budgets and forecast files into the store: every file checked before any is
stored, all problems at once, nothing stored unless everything is valid, one transaction, an audit record
naming the acting person, and no change to what a published report says (unless it is a correction)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..core.errors import Note, Problem, Refused, Term, refuse
from .actors import Actor, actor_name
from .audit import CONTENT, FIGURES, writing
from .errors import Outcome
from .permissions import can_import, require

if TYPE_CHECKING:
    from ..config.load import Config
    from ..intake import IntakeContext

Progress = Callable[[str, float], None]
Sign = Literal["statement", "ledger"]

ProgressFactory = Callable[[str], AbstractContextManager[Progress]]  # a name -> report(stage, fraction)


def guard_published(correction: bool) -> None:
    if not correction:
        from .publish import refuse_changes_to_published

        refuse_changes_to_published()


def toml_files(paths: Sequence[Path]) -> list[Path]:
    files = [p for p in paths if p.is_file()]
    return files + [f for d in paths if d.is_dir() for f in sorted(d.glob("*.toml"))]


def check_config(paths: Sequence[Path]) -> Outcome:
    """Validate configuration files without loading them (Refused names every problem)."""
    from ..config import load_config_files

    files = toml_files(paths)
    load_config_files(files)
    return Outcome([Note("configuration.valid", {"files": len(files)})])


def load_config(paths: Sequence[Path], actor: Actor, correction: bool = False) -> Outcome:
    """Validate configuration files and load them into the database (ConfigDocument history: who, before → after)."""
    from ..config import load_config_files
    from ..store.repository import StoredDocument, save_config

    require(can_import(actor), actor, "import")
    config = load_config_files(toml_files(paths))
    with writing(actor, FIGURES, CONTENT):
        save_config([StoredDocument(d.name, d.kind, d.content) for d in config.documents], config.organisation,
                    user=actor_name(actor))
        guard_published(correction)
    org = config.organisation
    return Outcome([Note("configuration.loaded", {
        "files": len(config.documents), "units": len(org.units) if org else 0,
        "cost_centres": len(org.cost_centres) if org else 0, "schemes": tuple(sorted(config.schemes)),
        "templates": tuple(sorted(config.templates))})], [], config)


def intake_context(config: Config) -> IntakeContext:
    from ..intake import IntakeContext

    org, scheme = config.org, config.scheme()
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
        except Refused:
            ledger_mapping = None  # import_ledger reports it
        if files and ledger_mapping is not None:
            start_reading(files[0], ledger_mapping)
        yield
    finally:
        stop_unused_reads()


def import_ledger(files: Sequence[Path], mapping: Path | None, add: bool, actor: Actor,
                  progress: ProgressFactory | None = None, correction: bool = False) -> Outcome:
    """Import ledger exports as monthly balances. Importing the same file again (the same content, or the same
    name for the same months) replaces it; a file whose balances another file already holds is refused."""
    from ..intake import load_mapping, read_ledger
    from ..intake.linecheck import check_line_column
    from ..store.repository import save_ledger
    from .reports import stored_config

    require(can_import(actor), actor, "import")
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
    names = tuple(path.name for path in files)
    problems += same_named_parts(results, add)
    refuse(problems, omitted, Note("outcome.nothing_of_stored", {"files": names}))
    stored = []
    try:
        with writing(actor, FIGURES):  # a refused file rolls back the ones stored before it
            for path, result in results:
                stored.append((path, result, save_ledger(path.name, result.pending_checksum, result.rows,
                                                         result.balances, user=actor_name(actor),
                                                         mapping=str(mapping or ""), add=add)))
            guard_published(correction)
    except Refused as exc:
        raise exc.with_outcome(Note("outcome.nothing_of_stored", {"files": names})) from None
    return Outcome([Note("import.ledger_replaced" if saved.replaced else "import.ledger_imported",
                         {"file": path.name, "rows": result.rows, "balances": saved.stored})
                    for path, result, saved in stored], [], [saved for _, _, saved in stored])


def same_named_parts(results: list[tuple[Path, Any]], add: bool) -> list[Problem]:
    """Two files of one name for the same months in one command: the second would replace the first."""
    if add:
        return []
    seen: dict[str, tuple[Path, set[tuple[int, int]]]] = {}
    problems = []
    for path, result in results:
        months = {(b[0], b[1]) for b in result.balances}
        earlier = seen.get(path.name)
        if earlier and earlier[1] & months:
            problems.append(Problem("import.ledger_same_name_same_months", {"name": path.name, "other": str(earlier[0])},
                                    file=str(path), found=str(path)))
        seen.setdefault(path.name, (path, months))
    return problems


def import_plan(kind: str, path: Path, version: str, year: int | None, sign: str, sheet: str | None,
                mapping: Path | None, actor: Actor, correction: bool = False, **meta: Any) -> Outcome:
    """Import a budget or forecast file under a version (meta: effective_date, decision_ref, author)."""
    from ..intake import read_plan
    from ..store.repository import save_plan
    from .reports import stored_config

    require(can_import(actor), actor, "import")
    config = stored_config()
    the_year = plan_year(version, year)
    if sign not in SIGNS:
        raise Refused(Problem("import.plan_sign_unknown", {"allowed": SIGNS}, key="sign", found=sign[:40]))
    the_sign: Sign = "ledger" if sign == "ledger" else "statement"
    warnings = plan_date_warnings(kind, meta.get("effective_date"), the_year)
    if mapping is None:
        result = read_plan(path, intake_context(config), sign=the_sign, sheet=sheet)
        amounts = result.amounts
    else:
        result, amounts = plan_through_mapping(path, mapping, config)
    outcome = Note("outcome.nothing_of_stored", {"files": (path.name,)})
    refuse(result.problems, result.omitted, outcome)
    try:
        with writing(actor, FIGURES):
            saved = save_plan(kind, version, the_year, path.name, result.checksum, result.rows, amounts,
                              user=actor_name(actor), **meta)
            guard_published(correction)
    except Refused as exc:
        raise exc.with_outcome(outcome) from None
    if saved.dropped:
        warnings.append(Problem("import.plan_places_dropped", {"file": path.name, "places": saved.dropped},
                                severity="warning", file=path.name))
    return Outcome([Note("import.plan_replaced" if saved.replaced else "import.plan_imported",
                         {"file": path.name, "figures": saved.stored, "kind": Term(f"kind.{kind}"), "version": version,
                          "year": the_year})],
                   warnings, saved)


SIGNS: tuple[Sign, ...] = ("statement", "ledger")


def plan_through_mapping(path: Path, mapping: Path, config: Config) -> tuple[Any, list[Any]]:
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
        raise Refused(Problem("import.plan_year_differs", {"named": named}, key="year", found=str(year)))
    if year is None and named is None:
        raise Refused(Problem("import.plan_year_missing", key="version", found=version[:200]))
    the_year = year if year is not None else named
    assert the_year is not None
    if not 1900 <= the_year <= 2100:
        raise Refused(Problem("import.plan_year_range", key="year", found=str(the_year)))
    return the_year


def plan_date_warnings(kind: str, when: date | None, year: int) -> list[Problem]:
    """A budget takes effect from the year before its year (decided in December) to the end of the year; a
    forecast is made in its year or the next. A budget without a date is never the one 'in force': say so."""
    if when is None:
        if kind == "budget":
            return [Problem("import.plan_budget_undated", severity="warning", key="effective-date")]
        return []
    first, last = (year - 1, year) if kind == "budget" else (year, year + 1)
    if not first <= when.year <= last:
        key = "effective-date" if kind == "budget" else "date"
        raise Refused(Problem("import.plan_date_range", {"kind": Term(f"kind.{kind}"), "year": year, "first": first,
                                                  "last": last}, key=key, found=when.isoformat()))
    return []


def name_year(version: str) -> int | None:
    """The year a version name ends in ('MTA I 2025' -> 2025), or None."""
    match = re.search(r"(\d{4})\s*$", version)
    return int(match.group(1)) if match else None


def parse_date(text: str | None, key: str) -> date | None:
    """A date typed as YYYY-MM-DD (None if not given); Refused naming the option or field otherwise."""
    if not text:
        return None
    try:
        when = date.fromisoformat(text) if len(text) <= 10 else None
    except ValueError:
        when = None
    if when is None or not 1900 <= when.year <= 2100:
        raise Refused(Problem("date.invalid", key=key, found=text[:40]))
    return when
