"""`katsaus content …` and `katsaus check`: goals, key results, the balancing programme, narratives and the checks.

Registered in cli.py; what each command does is in katsaus.services (content, reports), the shared command
helpers in cli_common.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_common import actor, call, fail, out, parse_date, say

content_app = typer.Typer(help="Goals, key results, the balancing programme and narratives.", no_args_is_help=True)

FAIL_ON = ("never", "error", "warning")
CorrectionOption = Annotated[bool, typer.Option("--correction", help="Allow the change although it alters a published report (then publish a corrected version).")]


@content_app.command("load")
def content_load(
    paths: Annotated[list[Path], typer.Argument(help="Content directories (*.toml, *.md below them) or files.")],
    retire_missing: Annotated[bool, typer.Option("--retire-missing", help="The files are the whole content: goals, key results, measures and metrics in use that they no longer define are retired (kept with their history, left out of reports).")] = False,
    correction: CorrectionOption = False,
) -> None:
    """Validate goal, key-result, balancing and narrative files against the configuration and store them."""
    from .services.content import load_content_files

    call(load_content_files, paths, retire_missing, actor(), correction=correction)


@content_app.command("override")
def content_override(
    goal: Annotated[str, typer.Argument(help="The goal's code.")],
    period: Annotated[str, typer.Option(help="The period as YYYY-MM.")],
    status: Annotated[str, typer.Option(help="met, not_met, progress or not_measurable.")],
    reason: Annotated[str, typer.Option(help="Why the status differs from what the rule gives (required, kept).")],
    correction: CorrectionOption = False,
) -> None:
    """Set a goal's status for a period by hand. A reason is required and kept with the status."""
    from .services.content import override_goal_status

    call(override_goal_status, goal, period, status, reason, actor(), correction=correction)


@content_app.command("render")
def content_render(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM.")],
    unit: Annotated[Optional[str], typer.Option(help="Unit code (default: the organisation's top unit).")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory: tables/*.csv and kertomukset.html.")] = Path("out"),
    template: Annotated[Optional[str], typer.Option(help="Template code (default: the only one).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Budget and forecast versions as they stood on this date, YYYY-MM-DD (as `report --as-of`).")] = None,
) -> None:
    """Write the goal, key-result and balancing tables (CSV) and the narratives (HTML) of a unit for a period."""
    from .services.reports import write_content_outputs

    for path in call(write_content_outputs, period, unit, out_dir, template, parse_date(as_of, "--as-of")):
        say(f"wrote {path}")


def check(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM.")],
    unit: Annotated[Optional[str], typer.Option(help="Unit code (default: the organisation's top unit).")] = None,
    format: Annotated[str, typer.Option(help="text or json ({\"findings\": [...]}).")] = "text",
    fail_on: Annotated[str, typer.Option(help="Exit 1 when a finding is this severe: never, error, warning.")] = "never",
    template: Annotated[Optional[str], typer.Option(help="Template code (default: the only one).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Budget and forecast versions as they stood on this date, YYYY-MM-DD (as `report --as-of`).")] = None,
) -> None:
    """Run every consistency rule over the period's report and print the findings."""
    from .core.checks import SEVERITY_ORDER
    from .core.errors import Problem
    from .services.reports import findings

    if format not in ("text", "json"):
        fail([Problem("--format", "unknown format", expected="text, json", found=format)], what="nothing was checked")
    if fail_on not in FAIL_ON:
        fail([Problem("--fail-on", "unknown severity", expected=", ".join(FAIL_ON), found=fail_on)], what="nothing was checked")
    found = call(findings, period, unit, template, as_of=parse_date(as_of, "--as-of"))
    if format == "json":
        typer.echo(findings_json(found))
    else:
        print_findings(found, out)
    limit = {"never": -1, "error": 0, "warning": 1}[fail_on]
    if any(SEVERITY_ORDER[f.severity] <= limit for f in found):
        raise typer.Exit(1)


# --- helpers --------------------------------------------------------------------------------------------------


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
