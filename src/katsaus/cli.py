"""The `katsaus` command: configuration, intake, figures and reports, over the same code as the web application.

Each command parses its options, calls a service of katsaus.services (which validates, writes in one
transaction and keeps the audit record of the acting user, `katsaus --user NAME`) and prints what it did.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .backup_cli import backup as backup_command
from .backup_cli import restore as restore_command
from .cli_common import STARTED, STATE, actor, call, fail, note, parse_date, progress_bar, say
from .content_cli import check as check_command
from .content_cli import content_app
from .forecasting_cli import forecast_app
from .services.documents import FORMATS
from .services.errors import Note, Problem, Term


def wrote(path: Path) -> None:
    note(Note("cli.wrote", {"path": str(path)}))

app = typer.Typer(help="Katsaus: interim reports of Finnish wellbeing services counties and municipalities.", no_args_is_help=True)
config_app = typer.Typer(help="Organisation, statement scheme and report templates.", no_args_is_help=True)
import_app = typer.Typer(help="Import ledger exports, budgets and forecasts.", no_args_is_help=True)
export_app = typer.Typer(help="Export stored data.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(forecast_app, name="forecast")

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="KATSAUS_DB", help="SQLite file path or postgresql:// URL (default katsaus.sqlite3)."),
]
UserOption = Annotated[
    str | None,
    typer.Option("--user", envvar="KATSAUS_USER", help="The operator's name for the audit log (default the OS user name). The operator holds the database and may do everything (docs/rounds.md)."),
]
AsUserOption = Annotated[
    str | None,
    typer.Option("--as-user", envvar="KATSAUS_AS_USER", help="Act as this configured user, with that user's roles checked (instead of as the operator)."),
]
LanguageOption = Annotated[
    str | None,
    typer.Option("--messages", envvar="KATSAUS_LANGUAGE", help="fi or sv: the language of the command's messages (default fi)."),
]
CorrectionOption = Annotated[bool, typer.Option("--correction", help="Allow the change although it alters a published report (then publish a corrected version).")]


@app.callback()
def main(db: DbOption = None, user: UserOption = None, as_user: AsUserOption = None,
         messages: LanguageOption = None) -> None:
    """Choose the database, who acts and the language of the messages for every subcommand."""
    STATE["db"] = db
    STATE["user"] = user
    STATE["as_user"] = as_user
    STATE["language"] = messages
    if messages not in (None, "fi", "sv"):
        fail([Problem("cli.language_unknown", {"allowed": ("fi", "sv")}, key="--messages", found=messages)])


# --- config ---------------------------------------------------------------------------------------------


@config_app.command("load")
def config_load(
    paths: Annotated[list[Path], typer.Argument(help="A directory of *.toml files, or the files.")],
    correction: CorrectionOption = False,
) -> None:
    """Validate configuration files and load them into the database."""
    from .services import imports

    call(imports.load_config, paths, actor(), correction=correction, create_db=True)


@config_app.command("check")
def config_check(paths: Annotated[list[Path], typer.Argument(help="A directory of *.toml files, or the files.")]) -> None:
    """Validate configuration files without loading them."""
    from .services import imports

    call(imports.check_config, paths, database=False)


# --- import ----------------------------------------------------------------------------------------------


@import_app.command("ledger")
def import_ledger(
    files: Annotated[list[Path], typer.Argument(help="Ledger exports (CSV or XLSX).")],
    mapping: Annotated[Path | None, typer.Option(help="Mapping file describing the export (default: the Finnish ERP format).")] = None,
    add: Annotated[bool, typer.Option("--add", help="The files are further parts of months already imported (sub-ledgers): add their balances to those of other files instead of refusing the overlap.")] = False,
    correction: CorrectionOption = False,
) -> None:
    """Import ledger exports as monthly balances. Importing the same file again (the same content, or the same
    name for the same months) replaces it; a file whose balances another file already holds is refused."""
    from .services import imports

    with imports.ledger_import_prepared(files, mapping):
        call(imports.import_ledger, files, mapping, add, actor(), progress=progress_bar, correction=correction)


@import_app.command("budget")
def import_budget(
    file: Annotated[Path, typer.Argument(help="Budget file (CSV or XLSX) with a header row: yksikkö (a unit code) or kustannuspaikka (a cost centre of organisation.toml); rivi (a leaf line's code or Finnish name) or tili (an account in a line's ranges); kuukausi (1-12, empty: the whole year; optional); summa. English names unit, cost_centre, line, account, month, amount work too. An ERP export in another layout needs --mapping. README: Budget and forecast files.")],
    version: Annotated[str, typer.Option(help="Budget version name, e.g. 'TA 2025' or 'MTA I 2025'.")],
    year: Annotated[int | None, typer.Option(help="Financial year (default: the year the name ends in).")] = None,
    effective_date: Annotated[str | None, typer.Option(help="Date the version took effect (YYYY-MM-DD).")] = None,
    decision: Annotated[str, typer.Option(help="Decision reference, e.g. 'Aluevaltuusto 16.6.2025 § 45'.")] = "",
    sign: Annotated[str, typer.Option(help="statement (revenues +, costs −) or ledger (costs +).")] = "statement",
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet (default: the first).")] = None,
    mapping: Annotated[Path | None, typer.Option(help="A ledger mapping file: read the budget as cost centre × account from an ERP export.")] = None,
    correction: CorrectionOption = False,
) -> None:
    """Import a budget version."""
    from .services import imports

    when = parse_date(effective_date, "--effective-date")
    call(imports.import_plan, "budget", file, version, year, sign, sheet, mapping, actor(), correction=correction,
         effective_date=when, decision_ref=decision)


@import_app.command("forecast")
def import_forecast(
    file: Annotated[Path, typer.Argument(help="Forecast file (CSV or XLSX) with a header row: yksikkö (a unit code) or kustannuspaikka (a cost centre of organisation.toml); rivi (a leaf line's code or Finnish name) or tili (an account in a line's ranges); kuukausi (1-12, empty: the whole year; optional); summa. English names unit, cost_centre, line, account, month, amount work too. An ERP export in another layout needs --mapping. README: Budget and forecast files.")],
    version: Annotated[str, typer.Option(help="Forecast version name, e.g. 'TPE 2025'.")],
    year: Annotated[int | None, typer.Option(help="Financial year (default: the year the name ends in).")] = None,
    date_: Annotated[str | None, typer.Option("--date", help="Date of the forecast (YYYY-MM-DD).")] = None,
    author: Annotated[str, typer.Option(help="Who made the forecast.")] = "",
    sign: Annotated[str, typer.Option(help="statement (revenues +, costs −) or ledger (costs +).")] = "statement",
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet (default: the first).")] = None,
    mapping: Annotated[Path | None, typer.Option(help="A ledger mapping file: read the forecast as cost centre × account from an ERP export.")] = None,
    correction: CorrectionOption = False,
) -> None:
    """Import a forecast version (tilinpäätösennuste)."""
    from .services import imports

    when = parse_date(date_, "--date")
    call(imports.import_plan, "forecast", file, version, year, sign, sheet, mapping, actor(), correction=correction,
         effective_date=when, author=author)


# --- export ----------------------------------------------------------------------------------------------


@export_app.command("imports")
def export_imports() -> None:
    """Print the import log: when, by whom, which file (name, SHA-256), how many rows, into which version."""
    from .services.exports import write_import_log

    call(write_import_log, sys.stdout, actor())


@export_app.command("balances")
def export_balances(
    year: Annotated[int, typer.Option(help="Financial year.")],
    format: Annotated[str, typer.Option(help="Only csv for now.")] = "csv",
) -> None:
    """Print the stored monthly balances: year,month,cost_centre,account,internal,cents."""
    from .services.exports import write_balances

    if format != "csv":
        fail([Problem("cli.format_unknown", {"allowed": ("csv",)}, key="--format", found=format)])
    call(write_balances, sys.stdout, year, actor())


@export_app.command("audit")
def export_audit(
    since: Annotated[str | None, typer.Option(help="Only changes from this date on, YYYY-MM-DD.")] = None,
) -> None:
    """Print the audit log as CSV: when, who, kind, item, action, field, before, after (every change)."""
    from datetime import UTC, datetime

    from .services.audit import export_audit_csv

    start = parse_date(since, "--since")
    call(export_audit_csv, sys.stdout, actor(), datetime.combine(start, datetime.min.time(), UTC) if start else None)


# --- report ----------------------------------------------------------------------------------------------



@app.command("report")
def report(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM: months 1..MM of YYYY.")],
    unit: Annotated[str, typer.Option(help="Unit code.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory: CSV files and taulukot.xlsx, or the documents <template>-1-MM-YYYY.html/.pdf/.docx/.xlsx.")] = Path("out/tables"),
    format: Annotated[str, typer.Option(help=f"Comma-separated: {', '.join(FORMATS)} (csv: one CSV per table group; tables: taulukot.xlsx; xlsx, html, pdf, docx: the published documents; datapackage: the open-data package, a folder and a .zip).")] = "csv,tables",
    template: Annotated[str | None, typer.Option(help="Template code (default: the only one).")] = None,
    language: Annotated[str, typer.Option(help="fi or sv: the documents' fixed texts and the unit and line names.")] = "fi",
    docx_template: Annotated[Path | None, typer.Option("--docx-template", help="The organisation's .docx template (styles, page setup, header and footer with its logo) for the Word document.")] = None,
    status: Annotated[str, typer.Option(help="The documents' status on the title page: draft or approved.")] = "draft",
    status_date: Annotated[str | None, typer.Option("--status-date", help="The date of the status (approved: the approval's date), YYYY-MM-DD.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Take budget and forecast versions as they stood on this date, YYYY-MM-DD: a rerun shows the same figures (default: the --status-date, if given).")] = None,
) -> None:
    """Compute the report of a unit for a period and write its tables and documents."""
    from .services.documents import DocumentOptions, write_report

    options = DocumentOptions(docx_template, status, parse_date(status_date, "--status-date"))
    versions_as_of = parse_date(as_of, "--as-of") if as_of else options.status_date
    for path in call(write_report, period, unit, out_dir, format, template, language, options, versions_as_of):
        wrote(path)


# --- publishing, users ------------------------------------------------------------------------------------


@app.command("publish")
def publish(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM.")],
    template: Annotated[str | None, typer.Option(help="Template code (default: the only one).")] = None,
    public: Annotated[bool, typer.Option("--public", help="Readable without logging in.")] = False,
    correction_note: Annotated[str, typer.Option("--correction-note", help="What a new version of a published report corrects (required for a second version).")] = "",
) -> None:
    """Publish the organisation's report of a period: HTML, PDF, Word, Excel and the figures as CSV, written once
    and kept with their SHA-256; a round of the period must be approved."""
    from .services.publish import publish_report

    published = call(publish_report, actor(), period=period, template_code=template, public=public,
                     correction_note=correction_note)
    note(Note("publish.published_public" if published.public else "publish.published",
              {"report": published.key, "version": published.version}))
    if published.correction_note:
        say(published.correction_note)
    for _format, name, digest, size in published.files:
        say(f"  {name}  {size} B  sha256 {digest}")


user_app = typer.Typer(help="Users and their roles.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The user name (login).")],
    role: Annotated[list[str], typer.Option("--role", help="controller, director, unit_manager or reader; repeat for several.")],
    unit: Annotated[list[str], typer.Option("--unit", help="The unit of a director or unit manager, one per --role in order.")] = [],  # noqa: B006
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input (an existing user's password is kept without it).")] = False,
) -> None:
    """Add a user with roles, or roles to an existing user."""
    from .services.users import add_user

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else ""
    units = list(unit)
    roles = [(r, units.pop(0) if r in ("director", "unit_manager") and units else "") for r in role]
    info = call(add_user, name, password, roles, actor())
    note(user_note(info))


def user_note(info: Any) -> Note:
    roles = tuple(Term(f"role.{r.role}") if not r.unit_code else Note("user.role_of_unit", {"role": Term(f"role.{r.role}"), "unit": r.unit_code}) for r in info.roles)
    return Note("user.roles" if info.active else "user.roles_inactive", {"name": info.name, "roles": roles or Term("none")})


@user_app.command("list")
def user_list() -> None:
    """List the users and their roles."""
    from .services.users import list_users

    for info in call(list_users, actor()):
        note(user_note(info))


# --- demo ------------------------------------------------------------------------------------------------


@app.command("demo")
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("out"),
) -> None:
    """Build the demo county (the model report's division) from scratch into OUT and write its report."""
    from rich.console import Console

    from .demo.pipeline import run_demo

    written = run_demo(out_dir, console=Console())
    STARTED.append(True)  # run_demo opened its database itself: closed at the end like any command's (WAL folded in)
    for path in written:
        wrote(path)


# --- goals, key results, balancing programme, narratives and checks (content_cli.py), backups ------------
app.add_typer(content_app, name="content")
app.command("check")(check_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)
