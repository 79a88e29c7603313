"""`katsaus content …` and `katsaus check`: goals, key results, the balancing programme, narratives and the checks.

Registered in cli.py; the shared helpers (database, errors) are imported from there when a command runs.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

content_app = typer.Typer(help="Goals, key results, the balancing programme and narratives.", no_args_is_help=True)

FAIL_ON = ("never", "error", "warning")


@content_app.command("load")
def content_load(
    paths: Annotated[list[Path], typer.Argument(help="Content directories (*.toml, *.md below them) or files.")],
    retire_missing: Annotated[bool, typer.Option("--retire-missing", help="The files are the whole content: goals, key results, measures and metrics in use that they no longer define are retired (kept with their history, left out of reports).")] = False,
) -> None:
    """Validate goal, key-result, balancing and narrative files against the configuration and store them."""
    from .cli import run_or_fail, say, stored_config, warn
    from .config.content import load_content

    config = stored_config()  # starts Django: store modules can only be imported after it
    from .store.content import missing_definitions, save_content

    content = run_or_fail(load_content, paths, config)
    missing = missing_definitions(content)
    added = save_content(content, retire=missing if retire_missing else None)
    say(
        f"Loaded {len(content.goals)} operational goals, {len(content.key_results)} key results, "
        f"{len(content.measures)} balancing measures, {len(content.narratives)} narratives; "
        f"{added['values']} new values and {added['narratives']} new narrative versions stored."
    )
    listed = "; ".join(f"{kind}: {', '.join(codes)}" for kind, codes in missing.items())
    if missing and retire_missing:
        say(f"Retired (no longer in the files; kept with their history, left out of reports): {listed}")
    elif missing:
        warn(f"in the database but not in these files, still shown in reports: {listed}. "
             "If they were removed, load the whole content again with --retire-missing.")


@content_app.command("override")
def content_override(
    goal: Annotated[str, typer.Argument(help="The goal's code.")],
    period: Annotated[str, typer.Option(help="The period as YYYY-MM.")],
    status: Annotated[str, typer.Option(help="met, not_met, progress or not_measurable.")],
    reason: Annotated[str, typer.Option(help="Why the status differs from what the rule gives (required, kept).")],
) -> None:
    """Set a goal's status for a period by hand. A reason is required and kept with the status."""
    from .cli import ensure_db, fail, say
    from .core.errors import Problem
    from .core.goals import STATUS_CODES

    the_period = parse_period(period)
    if status not in STATUS_CODES:
        fail([Problem("--status", "unknown status", expected=", ".join(STATUS_CODES), found=status)])
    if not reason.strip():
        fail([Problem("--reason", "a status override needs a reason", expected="a reason in words", found=reason)])
    ensure_db()
    from .store.content import override_status

    try:
        new = override_status(goal, the_period, status, reason)
    except LookupError as exc:
        fail([Problem("goal", str(exc).strip('"'))])
    say(f"{goal} {the_period.label()}: status {status}" + ("" if new else " (unchanged)") + f"; reason kept: {reason.strip()}")


@content_app.command("render")
def content_render(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM.")],
    unit: Annotated[Optional[str], typer.Option(help="Unit code (default: the organisation's top unit).")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory: tables/*.csv and kertomukset.html.")] = Path("out"),
    template: Annotated[Optional[str], typer.Option(help="Template code (default: the only one).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Budget and forecast versions as they stood on this date, YYYY-MM-DD (as `report --as-of`).")] = None,
) -> None:
    """Write the goal, key-result and balancing tables (CSV) and the narratives (HTML) of a unit for a period."""
    from .cli import parse_date, say

    for path in write_content_outputs(period, unit, out_dir, template, parse_date(as_of, "--as-of")):
        say(f"wrote {path}")


def check(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM.")],
    unit: Annotated[Optional[str], typer.Option(help="Unit code (default: the organisation's top unit).")] = None,
    format: Annotated[str, typer.Option(help="text or json ({\"findings\": [...]}).")] = "text",
    fail_on: Annotated[str, typer.Option(help="Exit 1 when a finding is this severe: never, error, warning.")] = "never",
    template: Annotated[Optional[str], typer.Option(help="Template code (default: the only one).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Budget and forecast versions as they stood on this date, YYYY-MM-DD (as `report --as-of`).")] = None,
    printed: Annotated[Optional[list[Path]], typer.Option("--printed", help="A printed table in the layout of `report --format csv` (unit,line,level,<column keys>): each cell is compared with the report's; a difference is an error. Repeatable.")] = None,
) -> None:
    """Run every consistency rule over the period's report and print the findings."""
    from .cli import fail, out, parse_date
    from .core.checks import SEVERITY_ORDER, run_checks
    from .core.errors import Problem

    if format not in ("text", "json"):
        fail([Problem("--format", "unknown format", expected="text, json", found=format)], what="nothing was checked")
    if fail_on not in FAIL_ON:
        fail([Problem("--fail-on", "unknown severity", expected=", ".join(FAIL_ON), found=fail_on)], what="nothing was checked")
    model = full_report(period, unit, template, as_of=parse_date(as_of, "--as-of"))
    findings = run_checks(model) + printed_cells(model, printed or [])
    if format == "json":
        typer.echo(findings_json(findings))
    else:
        print_findings(findings, out)
    limit = {"never": -1, "error": 0, "warning": 1}[fail_on]
    if any(SEVERITY_ORDER[f.severity] <= limit for f in findings):
        raise typer.Exit(1)


# --- helpers --------------------------------------------------------------------------------------------------


def printed_cells(model, paths: list[Path]) -> tuple:
    """`check --printed FILE`: the printed tables' cells against the report (render.csv_tables.printed_findings)."""
    from .render.csv_tables import printed_findings

    return tuple(finding for path in paths for finding in printed_findings(model, path))


def parse_period(text: str):
    from .cli import fail
    from .core.errors import Problem
    from .core.periods import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        fail([Problem("--period", str(exc), expected="YYYY-MM", found=text)], what="nothing was done")


def full_report(period: str, unit: str | None, template_code: str | None = None, language: str = "fi",
                as_of: date | None = None):
    """The statement report of the stored data with the stored content attached (what checks and renderers read)."""
    from .cli import fail, stored_config
    from .core.content import attach_content
    from .core.errors import Problem
    from .core.statement import ReportError, build_report

    the_period = parse_period(period)
    config = stored_config()  # starts Django: store modules can only be imported after it
    from .store.content import load_content
    from .store.repository import DbFacts

    org = config.organisation
    code = unit or org.roots()[0]
    try:
        template = config.template(template_code)
        scheme = config.scheme(template.scheme)
        report = build_report(org, scheme, template, the_period, code, DbFacts(), language, as_of)
    except (ReportError, KeyError) as exc:
        fail([Problem("report", str(exc).strip('"'))], what="nothing was done")
    return attach_content(report, load_content(), org, scheme, template)


def findings_json(findings) -> str:
    return json.dumps({"findings": [f.as_dict() for f in findings]}, ensure_ascii=False, indent=2)


def print_findings(findings, console) -> None:
    from rich.markup import escape

    colours = {"error": "red", "warning": "yellow", "info": "blue"}
    for f in findings:
        where = f.location() or "report"
        text = f"[{colours[f.severity]}]{f.severity}[/] [bold]{escape(f.rule)}[/] {escape(where)}: {escape(f.message)}"
        if f.passage:
            text += f"\n    text: {escape(f.passage)}"
        if f.expected or f.found:
            text += f"\n    expected: {escape(f.expected or '-')}  found: {escape(f.found or '-')}"
        console.print(text, highlight=False)
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    console.print(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes.", highlight=False)


def write_content_outputs(period: str, unit: str | None, out_dir: Path, template_code: str | None = None,
                          as_of: date | None = None) -> list[Path]:
    """The content tables, the narratives page and the findings (tarkistukset.json) of one report."""
    from .cli import fail, require_out_dir
    from .core.checks import run_checks
    from .render.content_tables import write_content_tables
    from .render.narratives import NarrativeError, write_narratives

    report = full_report(period, unit, template_code, as_of=as_of)
    require_out_dir(out_dir / "tables")
    written = write_content_tables(report, out_dir / "tables")
    findings = run_checks(report)
    try:
        written.append(write_narratives(report, out_dir / "kertomukset.html"))
    except NarrativeError as exc:  # a reference to a figure that does not exist: name it, write the findings anyway
        (out_dir / "tarkistukset.json").write_text(findings_json(findings) + "\n", encoding="utf-8")
        fail(exc.problems, what="the narratives were not written")
    path = out_dir / "tarkistukset.json"
    path.write_text(findings_json(findings) + "\n", encoding="utf-8")
    return [*written, path]
