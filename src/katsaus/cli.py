"""The `katsaus` command: configuration, intake, figures and reports, over the same code as the web application."""

from __future__ import annotations

import csv
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .core.errors import Problem, ProblemsError

app = typer.Typer(help="Katsaus: interim reports of Finnish wellbeing services counties and municipalities.", no_args_is_help=True)
config_app = typer.Typer(help="Organisation, statement scheme and report templates.", no_args_is_help=True)
import_app = typer.Typer(help="Import ledger exports, budgets and forecasts.", no_args_is_help=True)
export_app = typer.Typer(help="Export stored data.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
from .forecasting_cli import forecast_app  # noqa: E402  (the forecast sub-app, registered with the others)
app.add_typer(forecast_app, name="forecast")

err = Console(stderr=True)
out = Console()

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", envvar="KATSAUS_DB", help="SQLite file path or postgresql:// URL (default katsaus.sqlite3)."),
]


_database: dict[str, str | None] = {"target": None}


@app.callback()
def main(db: DbOption = None) -> None:
    """Choose the database for every subcommand."""
    _database["target"] = db


def ensure_db(create: bool = False) -> None:
    """Start Django on the chosen database only when a command needs it (so --help touches nothing); only a
    command meant to make a database (`config load`) may create a missing SQLite file."""
    from django.db import DatabaseError

    from .store.setup import setup

    try:
        setup(_database["target"], create=create)
    except DatabaseError as exc:  # not a database file, a server refusing, a schema another program made
        target = _database["target"] or os.environ.get("KATSAUS_DB") or "the default database"
        fail([Problem(str(target), "the database cannot be opened", key="--db",
                      expected="an SQLite file made by katsaus (or a new path), or a postgresql:// URL",
                      found=str(exc).strip().splitlines()[0])], what="nothing was done")


# --- helpers -------------------------------------------------------------------------------------------


def fail(problems: list[Problem], omitted: int = 0, what: str = "nothing was stored") -> None:
    for problem in problems:
        err.print(f"[red]error[/red] {escape(str(problem))}", highlight=False)
    if omitted:
        err.print(f"… and {omitted} more problem{'' if omitted == 1 else 's'}", highlight=False)
    count = len(problems) + omitted
    err.print(escape(f"{count} problem{'' if count == 1 else 's'}; {what}."), highlight=False)
    raise typer.Exit(1)


def require_out_dir(out_dir: Path, option: str = "--out") -> None:
    """Make the output folder, or say why it cannot be (a file of that name, no permission)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = "a file of that name exists" if isinstance(exc, FileExistsError) else exc.strerror
        fail([Problem(option, "not a folder the files can be written to", expected="a folder (made if missing)",
                      found=f"{out_dir} ({why})")], what="nothing was written")


def month_list(months: list[int]) -> str:
    """[1, 2, 3, 5] -> 'months 1–3, 5'."""
    runs: list[list[int]] = []
    for m in months:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return ("month " if len(months) == 1 else "months ") + ", ".join(parts)


def warn(text: str) -> None:
    err.print(f"[yellow]warning[/yellow] {escape(text)}", highlight=False)


def say(text: str) -> None:
    """Print a plain message: names, reasons and paths come from users and files, so brackets in them are
    text, not Rich markup (an unescaped '[/b]' in a version name would crash the command after its write)."""
    out.print(escape(text), highlight=False, soft_wrap=True)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


@contextmanager
def progress_bar(description: str) -> Iterator:
    """A Rich progress bar on a terminal; silent when output goes to a file or CI."""
    if not err.is_terminal:
        yield lambda stage, fraction: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(description, total=1.0)

        def report(stage: str, fraction: float) -> None:
            bar.update(task, completed=fraction, description=f"{description}: {stage}")

        yield report


def stored_config():
    from .config import ConfigError

    ensure_db()
    from .store.repository import load_config

    try:
        return load_config()
    except ConfigError as exc:
        fail(exc.problems, exc.omitted, "nothing was done")


def run_or_fail(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except ProblemsError as exc:
        fail(exc.problems, exc.omitted)


# --- config ---------------------------------------------------------------------------------------------


@config_app.command("load")
def config_load(paths: Annotated[list[Path], typer.Argument(help="A directory of *.toml files, or the files.")]) -> None:
    """Validate configuration files and load them into the database."""
    from .config import load_config_files
    ensure_db(create=True)
    from .store.repository import save_config

    files = [p for p in paths if p.is_file()]
    directories = [p for p in paths if p.is_dir()]
    config = run_or_fail(load_config_files, files + [f for d in directories for f in sorted(d.glob("*.toml"))])
    save_config(config)
    org = config.organisation
    say(
        f"Loaded {len(config.documents)} configuration files"
        + (f": {len(org.units)} units, {len(org.cost_centres)} cost centres" if org else "")
        + f", schemes {sorted(config.schemes)}, templates {sorted(config.templates)}."
    )


@config_app.command("check")
def config_check(paths: Annotated[list[Path], typer.Argument(help="A directory of *.toml files, or the files.")]) -> None:
    """Validate configuration files without loading them."""
    from .config import load_config_files

    files = [p for p in paths if p.is_file()] + [f for d in paths if d.is_dir() for f in sorted(d.glob("*.toml"))]
    run_or_fail(load_config_files, files)
    say(f"{len(files)} configuration files are valid.")


# --- import ----------------------------------------------------------------------------------------------


@import_app.command("ledger")
def import_ledger(
    files: Annotated[list[Path], typer.Argument(help="Ledger exports (CSV or XLSX).")],
    mapping: Annotated[Optional[Path], typer.Option(help="Mapping file describing the export (default: the Finnish ERP format).")] = None,
    add: Annotated[bool, typer.Option("--add", help="The files are further parts of months already imported (sub-ledgers): add their balances to those of other files instead of refusing the overlap.")] = False,
) -> None:
    """Import ledger exports as monthly balances. Importing the same file again (the same content, or the same
    name for the same months) replaces it; a file whose balances another file already holds is refused."""
    config = stored_config()
    from django.db import transaction

    from .intake import load_mapping, read_ledger
    from .intake.linecheck import check_line_column
    from .store.repository import LedgerOverlap, save_ledger

    scheme = config.scheme()
    line_names = {line.code: line.name_fi for line in scheme.lines}

    context = intake_context(config)
    ledger_mapping = run_or_fail(load_mapping, mapping) if mapping else run_or_fail(load_mapping, None)
    # every file is read and checked before any is stored: all problems of all files at once, and a bad
    # third file does not leave the first two stored
    results, problems, omitted = [], [], 0
    for path in files:
        with progress_bar(path.name) as report:
            result = read_ledger(path, ledger_mapping, context, progress=report)
        line_problems, line_omitted = ([], 0) if result.problems else check_line_column(
            path, ledger_mapping, scheme.line_of_account, line_names)
        problems += result.problems + line_problems
        omitted += result.omitted + line_omitted
        results.append((path, result))
    names = ", ".join(path.name for path in files)
    problems += same_named_parts(results, add)
    if problems:
        fail(problems, omitted, f"nothing of {names} was stored")
    stored = []
    with transaction.atomic():  # fail() raises, so a refused file rolls back the ones stored before it
        for path, result in results:
            try:
                stored.append((path, result, save_ledger(path.name, result.checksum, result.rows, result.balances,
                                                         mapping=str(mapping or ""), add=add)))
            except LedgerOverlap as exc:
                fail([Problem(str(path), str(exc))], what=f"nothing of {names} was stored")
    for path, result, saved in stored:
        say(f"{path.name}: {result.rows} rows → {saved.stored} monthly balances"
            + (" (replaced the earlier import of this file)" if saved.replaced else ""))


def plan_import(
    kind: str, path: Path, version: str, year: int | None, sign: str, sheet: str | None, mapping: Path | None, **meta
) -> None:
    config = stored_config()
    from .store.repository import save_plan

    the_year = plan_year(version, year)
    if sign not in ("statement", "ledger"):
        fail([Problem("--sign", "unknown sign rule", expected="statement or ledger", found=sign)])
    plan_date_problems(kind, meta.get("effective_date"), the_year)
    if mapping is None:
        from .intake import read_plan

        result = read_plan(path, intake_context(config), sign=sign, sheet=sheet)
        amounts = result.amounts
    else:
        result, amounts = plan_through_mapping(path, mapping, config)
    if result.problems:
        fail(result.problems, result.omitted, f"nothing of {path.name} was stored")
    try:
        saved = save_plan(kind, version, the_year, path.name, result.checksum, result.rows, amounts, **meta)
    except ValueError as exc:
        fail([Problem(str(path), str(exc), key="--version")])
    say(
        f"{path.name}: {saved.stored} figures → {kind} version {version!r} ({the_year})"
        + (" (replaced the earlier import of this file)" if saved.replaced else "")
    )
    if saved.dropped:
        warn(f"the earlier import of {path.name} had figures for {saved.dropped} places this file has none for; "
             "they no longer count")


def plan_through_mapping(path: Path, mapping: Path, config):
    """A budget or forecast in an export that a ledger mapping describes (cost centre × account).

    Read like a ledger (ledger signs, all the mapping's validation), then turned into plan figures in statement
    sign. With [mapping.fixed] the figures are for the whole year; with dates, for their months.
    """
    from .intake import load_mapping, read_ledger

    ledger_mapping = run_or_fail(load_mapping, mapping)
    result = read_ledger(path, ledger_mapping, intake_context(config))
    scheme = config.scheme()
    yearly = ledger_mapping.fixed is not None
    amounts = [
        (None, centre, None, account, None if yearly else month, scheme.to_statement_sign(cents))
        for _year, month, centre, account, _internal, cents in result.balances
    ]
    return result, amounts


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


def plan_year(version: str, year: int | None) -> int:
    """--year, or the year the name ends in; the two must agree, and a year is 1900–2100."""
    named = name_year(version)
    if year is not None and named is not None and named != year:
        fail([Problem("--year", f"the version name ends in {named}", expected=str(named), found=str(year))])
    the_year = year if year is not None else year_from_name(version)
    if not 1900 <= the_year <= 2100:
        fail([Problem("--year", "not a year", expected="a year 1900–2100", found=str(the_year))])
    return the_year


def plan_date_problems(kind: str, when: date | None, year: int) -> None:
    """A budget takes effect from the year before its year (decided in December) to the end of the year; a
    forecast is made in its year or the next. A budget without a date is never the one 'in force': say so."""
    if when is None:
        if kind == "budget":
            warn("the budget has no --effective-date: a template's in_force budget column never takes it (name it "
                 "in the template, or import it again with a date)")
        return
    first, last = (year - 1, year) if kind == "budget" else (year, year + 1)
    if not first <= when.year <= last:
        option = "--effective-date" if kind == "budget" else "--date"
        fail([Problem(option, f"a {kind} of {year} is dated in {first}–{last}", expected=f"a date in {first}–{last}",
                      found=when.isoformat())])


def name_year(version: str) -> int | None:
    """The year a version name ends in ('MTA I 2025' -> 2025), or None."""
    import re

    match = re.search(r"(\d{4})\s*$", version)
    return int(match.group(1)) if match else None


def year_from_name(version: str) -> int:
    year = name_year(version)
    if year is None:
        fail([Problem("--version", "the version name does not end in a year; give --year", found=version)])
    return year


@import_app.command("budget")
def import_budget(
    file: Annotated[Path, typer.Argument(help="Budget file (CSV or XLSX): unit or cost centre × line or account.")],
    version: Annotated[str, typer.Option(help="Budget version name, e.g. 'TA 2025' or 'MTA I 2025'.")],
    year: Annotated[Optional[int], typer.Option(help="Financial year (default: the year the name ends in).")] = None,
    effective_date: Annotated[Optional[str], typer.Option(help="Date the version took effect (YYYY-MM-DD).")] = None,
    decision: Annotated[str, typer.Option(help="Decision reference, e.g. 'Aluevaltuusto 16.6.2025 § 45'.")] = "",
    sign: Annotated[str, typer.Option(help="statement (revenues +, costs −) or ledger (costs +).")] = "statement",
    sheet: Annotated[Optional[str], typer.Option(help="XLSX sheet (default: the first).")] = None,
    mapping: Annotated[Optional[Path], typer.Option(help="A ledger mapping file: read the budget as cost centre × account from an ERP export.")] = None,
) -> None:
    """Import a budget version."""
    plan_import("budget", file, version, year, sign, sheet, mapping, effective_date=parse_date(effective_date, "--effective-date"), decision_ref=decision)


@import_app.command("forecast")
def import_forecast(
    file: Annotated[Path, typer.Argument(help="Forecast file (CSV or XLSX): unit or cost centre × line or account.")],
    version: Annotated[str, typer.Option(help="Forecast version name, e.g. 'TPE 2025'.")],
    year: Annotated[Optional[int], typer.Option(help="Financial year (default: the year the name ends in).")] = None,
    date_: Annotated[Optional[str], typer.Option("--date", help="Date of the forecast (YYYY-MM-DD).")] = None,
    author: Annotated[str, typer.Option(help="Who made the forecast.")] = "",
    sign: Annotated[str, typer.Option(help="statement (revenues +, costs −) or ledger (costs +).")] = "statement",
    sheet: Annotated[Optional[str], typer.Option(help="XLSX sheet (default: the first).")] = None,
    mapping: Annotated[Optional[Path], typer.Option(help="A ledger mapping file: read the forecast as cost centre × account from an ERP export.")] = None,
) -> None:
    """Import a forecast version (tilinpäätösennuste)."""
    plan_import("forecast", file, version, year, sign, sheet, mapping, effective_date=parse_date(date_, "--date"), author=author)


def parse_date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail([Problem(option, "not a date", expected="YYYY-MM-DD", found=text)])


def intake_context(config):
    from .intake import IntakeContext

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


# --- export ----------------------------------------------------------------------------------------------


@export_app.command("imports")
def export_imports() -> None:
    """Print the import log: when, by whom, which file (name, SHA-256), how many rows, into which version."""
    ensure_db()
    from .store.repository import import_log

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["imported_at", "imported_by", "kind", "version", "file_name", "rows", "sha256", "replaced_at"])
    for batch in import_log():
        version = batch.version.name if batch.version else ""
        replaced = batch.replaced_by.imported_at.isoformat(timespec="seconds") if batch.replaced_by else ""
        writer.writerow([batch.imported_at.isoformat(timespec="seconds"), batch.imported_by, batch.kind, version, batch.file_name, batch.rows, batch.checksum, replaced])


@export_app.command("balances")
def export_balances(
    year: Annotated[int, typer.Option(help="Financial year.")],
    format: Annotated[str, typer.Option(help="Only csv for now.")] = "csv",
) -> None:
    """Print the stored monthly balances: year,month,cost_centre,account,internal,cents."""
    ensure_db()
    from .store.repository import balance_rows

    if format != "csv":
        fail([Problem("--format", "unknown format", expected="csv", found=format)])
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["year", "month", "cost_centre", "account", "internal", "cents"])
    for row in balance_rows(year):
        year_, month, centre, account, internal, cents = row
        writer.writerow([year_, month, centre, account, "true" if internal else "false", cents])


# --- report ----------------------------------------------------------------------------------------------

FORMATS = ("csv", "tables", "xlsx", "html", "pdf", "docx")
DOCUMENT_FORMATS = ("xlsx", "html", "pdf", "docx")  # the published documents (docs/documents.md)


@app.command("report")
def report(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM: months 1..MM of YYYY.")],
    unit: Annotated[str, typer.Option(help="Unit code.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory: CSV files and taulukot.xlsx, or the documents <template>-1-MM-YYYY.html/.pdf/.docx/.xlsx.")] = Path("out/tables"),
    format: Annotated[str, typer.Option(help=f"Comma-separated: {', '.join(FORMATS)} (csv: one CSV per table group; tables: taulukot.xlsx; xlsx, html, pdf, docx: the published documents).")] = "csv,tables",
    template: Annotated[Optional[str], typer.Option(help="Template code (default: the only one).")] = None,
    language: Annotated[str, typer.Option(help="fi or sv: the documents' fixed texts and the unit and line names.")] = "fi",
    docx_template: Annotated[Optional[Path], typer.Option("--docx-template", help="The organisation's .docx template (styles, page setup, header and footer with its logo) for the Word document.")] = None,
    status: Annotated[str, typer.Option(help="The documents' status on the title page: draft or approved.")] = "draft",
    status_date: Annotated[Optional[str], typer.Option("--status-date", help="The date of the status (approved: the approval's date), YYYY-MM-DD.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Take budget and forecast versions as they stood on this date, YYYY-MM-DD: a rerun shows the same figures (default: the --status-date, if given).")] = None,
) -> None:
    """Compute the report of a unit for a period and write its tables and documents."""
    options = DocumentOptions(docx_template, status, parse_date(status_date, "--status-date"))
    versions_as_of = parse_date(as_of, "--as-of") if as_of else options.status_date
    written = write_report(period, unit, out_dir, format, template, language, options, versions_as_of)
    for path in written:
        say(f"wrote {path}")


@dataclass(frozen=True)
class DocumentOptions:
    docx_template: Path | None = None
    status: str = "draft"
    status_date: date | None = None


def write_report(
    period: str,
    unit: str,
    out_dir: Path,
    formats: str,
    template_code: str | None,
    language: str,
    options: DocumentOptions | None = None,
    as_of: date | None = None,
) -> list[Path]:
    from .core.periods import Period
    from .core.statement import ReportError, build_report
    from .render import write_csv_tables, write_xlsx

    options = options or DocumentOptions()
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    check_report_options(wanted, language, options)
    try:
        the_period = Period.parse(period)
    except ValueError as exc:
        fail([Problem("--period", str(exc), expected="YYYY-MM", found=period)], what="nothing was written")
    config = stored_config()
    from .store.repository import DbFacts

    try:
        template = config.template(template_code)
        model = build_report(config.organisation, config.scheme(template.scheme), template, the_period, unit, DbFacts(), language, as_of)
    except (ReportError, KeyError) as exc:
        fail([Problem("report", str(exc).strip('"'))], what="nothing was written")
    for warning in model.warnings:
        warn(warning)
    from .forecast.series import missing_months

    # months before the first month with entries are not warned about: a ledger that books the year in
    # December (or a county that started in April) is not missing them
    missing = missing_months(DbFacts(), the_period)
    held = [m for m in range(1, the_period.month + 1) if m not in missing]
    if missing := [m for m in missing if not held or m > held[0]]:
        warn(f"the ledger holds no entries for {month_list(missing)} of {the_period.year}: the actual to date "
             f"counts {'it' if len(missing) == 1 else 'them'} as nothing")
    require_out_dir(out_dir)
    written: list[Path] = []
    try:
        if "csv" in wanted:
            written += write_csv_tables(model, out_dir)
        if "tables" in wanted:
            written.append(write_xlsx(model, out_dir / "taulukot.xlsx"))
        documents = [f for f in wanted if f in DOCUMENT_FORMATS]
        if documents:
            written += write_documents(model, config, template, out_dir, documents, language, options)
    except OSError as exc:  # a folder where a file should go, no permission, a full disk
        done = f"; written before it: {', '.join(p.name for p in written)}" if written else ""
        fail([Problem("--out", "a file of the report cannot be written", expected="a writable file in the folder",
                      found=f"{exc.filename or out_dir} ({exc.strerror or exc})")], what=f"the report is incomplete{done}")
    return written


def check_report_options(wanted: list[str], language: str, options: DocumentOptions) -> None:
    problems = []
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        problems.append(Problem("--format", "unknown format", expected=", ".join(FORMATS), found=",".join(unknown)))
    if language not in ("fi", "sv"):
        problems.append(Problem("--language", "unknown language", expected="fi, sv", found=language))
    if options.status not in ("draft", "approved"):
        problems.append(Problem("--status", "unknown status", expected="draft, approved", found=options.status))
    if options.docx_template is not None and not options.docx_template.is_file():
        problems.append(Problem("--docx-template", "no such file", expected="a .docx file", found=str(options.docx_template)))
    if problems:
        fail(problems, what="nothing was written")


def write_documents(model, config, template, out_dir: Path, formats: list[str], language: str, options: DocumentOptions) -> list[Path]:
    """The published documents of a computed report: its stored content attached, chart series computed, one
    document model, each format rendered from it (docs/documents.md)."""
    from .core.document import build_document
    from .core.series import build_series
    from .store.repository import DbFacts

    model = with_stored_content(model, config, template)
    model = with_forecast_basis(model, config, template, language)
    scheme = config.scheme(template.scheme)
    series = build_series(config.organisation, scheme, template, model, DbFacts(), language=language)
    document = build_document(
        model, template, series, language, options.status, options.status_date, document_sources(model), software_name(),
    )
    top = config.organisation.roots() == (model.unit_code,)
    base = out_dir / document_name(template.code, model.period_month, model.period_year, language,
                                   None if top else model.unit_code)
    try:
        return render_documents(document, base, formats, options.docx_template)
    except ProblemsError as exc:  # e.g. a narrative naming a figure that does not exist: name it
        fail(exc.problems, exc.omitted, what="the documents were not written")


def render_documents(document, base: Path, formats: list[str], docx_template: Path | None = None) -> list[Path]:
    from .render.charts import render_charts

    written: list[Path] = []
    # Each chart is drawn once, into every image format the asked documents need (SVG: web page, PDF; PNG: Word).
    kinds = (("svg",) if {"html", "pdf"} & set(formats) else ()) + (("png",) if "docx" in formats else ())
    charts = render_charts(document, kinds) if kinds else {}
    if "html" in formats:
        from .render.html import write_html

        written.append(write_html(document, base.with_suffix(".html"), charts))
    if "pdf" in formats:
        from .render.pdf import write_pdf

        written.append(write_pdf(document, base.with_suffix(".pdf"), charts))
    if "docx" in formats:
        from .render.docx import write_docx

        written.append(write_docx(document, base.with_suffix(".docx"), charts, docx_template))
    if "xlsx" in formats:
        from .render.xlsx_report import write_xlsx_report

        written.append(write_xlsx_report(document, base.with_suffix(".xlsx")))
    return written


def document_name(template_code: str, month: int, year: int, language: str, unit: str | None = None) -> str:
    """"osavuosikatsaus-1-6-2025" (Finnish), "osavuosikatsaus-1-6-2025-sv" (Swedish); a unit below the top of the
    organisation adds its code, so the reports of several units can share a folder:
    "osavuosikatsaus-1-6-2025-pesova-ls"."""
    own = f"-{unit.lower()}" if unit else ""
    return f"{template_code}-1-{month}-{year}{own}" + ("" if language == "fi" else f"-{language}")


def with_stored_content(model, config, template):
    """The report with the stored goals, key results, balancing programme and narratives."""
    from .core.content import attach_content
    from .store.content import load_content

    return attach_content(model, load_content(), config.organisation, config.scheme(template.scheme), template)


def with_forecast_basis(model, config, template, language: str):
    """The report with where its forecast figures came from: the forecast version of the period's year that the
    report's columns use (a template shows it with a `forecast_basis` part)."""
    from dataclasses import replace

    from .core.forecast_basis import build_forecast_basis
    from .core.periods import Period
    from .store.forecasts import basis_figures

    shown = any(part.kind == "forecast_basis" for section in template.document_sections() for part in section.parts)
    version = next((v for v in model.versions if v.kind == "forecast" and v.year == model.period_year), None)
    if not shown or version is None:
        return model
    basis = build_forecast_basis(version.name, version.year, version.author, basis_figures(version.name),
                                 config.organisation, config.scheme(template.scheme), model.unit_code,
                                 Period(model.period_year, model.period_month).end, language)
    return replace(model, forecast_basis=basis)


def document_sources(model):
    """The imported files the figures come from: every ledger import, and the plan versions the report uses."""
    from .core.document import Source
    from .store.repository import current_plan_batches, import_log

    used = {v.name for v in model.versions}
    current = current_plan_batches(used)  # a write whose figures were all replaced since is not a source
    sources = []
    for batch in import_log():
        if (batch.kind != "ledger" and batch.id not in current) or batch.replaced_by_id is not None:
            continue
        version = batch.version.name if batch.version is not None else None
        name = batch.file_name if version is None else f"{version} ({batch.file_name})"
        sources.append(Source(batch.kind, name, batch.rows, batch.imported_at.date().isoformat(), batch.checksum[:12]))
    return tuple(sources)


def software_name() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"Katsaus {version('katsaus')}"
    except PackageNotFoundError:
        return "Katsaus"


# --- demo ------------------------------------------------------------------------------------------------


@app.command("demo")
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("out"),
) -> None:
    """Build the demo county (the model report's division) from scratch into OUT and write its report."""
    from .demo.pipeline import run_demo

    for path in run_demo(out_dir, console=out):
        say(f"wrote {path}")


# --- goals, key results, balancing programme, narratives and checks (content_cli.py) ---------------------
from .content_cli import check as check_command, content_app  # noqa: E402  (after the helpers it uses)

app.add_typer(content_app, name="content")
app.command("check")(check_command)
from .backup_cli import backup as backup_command, restore as restore_command  # noqa: E402
app.command("backup")(backup_command)
app.command("restore")(restore_command)
