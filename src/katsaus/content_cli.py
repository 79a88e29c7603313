"""`katsaus content …` and `katsaus check`: goals, key results, the balancing programme, narratives and the checks.

Registered in cli.py; what each command does is in katsaus.services (content, reports), the shared command
helpers in cli_common.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import actor, call, fail, language, note, out, parse_date
from .services.errors import Note, Problem

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
    unit: Annotated[str | None, typer.Option(help="Unit code (default: the organisation's top unit).")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory: tables/*.csv and kertomukset.html.")] = Path("out"),
    template: Annotated[str | None, typer.Option(help="Template code (default: the only one).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Budget and forecast versions as they stood on this date, YYYY-MM-DD (as `report --as-of`).")] = None,
) -> None:
    """Write the goal, key-result and balancing tables (CSV) and the narratives (HTML) of a unit for a period."""
    from .services.documents import write_content_outputs

    for path in call(write_content_outputs, period, unit, out_dir, template, parse_date(as_of, "--as-of")):
        note(Note("cli.wrote", {"path": str(path)}))


def check(
    period: Annotated[str, typer.Option(help="The period as YYYY-MM.")],
    unit: Annotated[str | None, typer.Option(help="Unit code (default: the organisation's top unit).")] = None,
    format: Annotated[str, typer.Option(help="text or json ({\"findings\": [...]}).")] = "text",
    fail_on: Annotated[str, typer.Option(help="Exit 1 when a finding is this severe: never, error, warning.")] = "never",
    template: Annotated[str | None, typer.Option(help="Template code (default: the only one).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Budget and forecast versions as they stood on this date, YYYY-MM-DD (as `report --as-of`).")] = None,
    printed: Annotated[list[Path] | None, typer.Option("--printed", help="A printed table in the layout of `report --format csv` (unit,line,level,<column keys>): each cell is compared with the report's; a difference is an error. Repeatable.")] = None,
) -> None:
    """Run every consistency rule over the period's report and print the findings."""
    from .services.reports import findings

    if format not in ("text", "json"):
        fail([Problem("cli.format_unknown", {"allowed": ("text", "json")}, key="--format", found=format)],
             outcome="outcome.nothing_checked")
    if fail_on not in FAIL_ON:
        fail([Problem("cli.fail_on_unknown", {"allowed": FAIL_ON}, key="--fail-on", found=fail_on)],
             outcome="outcome.nothing_checked")
    found = call(findings, period, unit, template, as_of=parse_date(as_of, "--as-of"), printed=tuple(printed or ()))
    if format == "json":
        typer.echo(findings_json(found))
    else:
        print_findings(found)
    severe = {"never": (), "error": ("error",), "warning": ("error", "warning")}[fail_on]
    if any(f.severity in severe for f in found):
        raise typer.Exit(1)


# --- helpers --------------------------------------------------------------------------------------------------


def findings_json(findings: Sequence[Problem]) -> str:
    """The findings as data: code, severity, the text in the command's language, location, parameters, found."""
    from .services.documents import finding_json

    return json.dumps({"findings": [finding_json(f, language()) for f in findings]},
                      ensure_ascii=False, indent=2)


def print_findings(findings: Sequence[Problem]) -> None:
    """Each finding: severity, code, where, what; the passage of text it is about; expected and found."""
    from rich.markup import escape

    from .cli_common import COLOURS
    from .render.messages import note_text, shown, term_text

    for f in findings:
        view = shown(f, language())
        text = (f"[{COLOURS[f.severity]}]{escape(view.severity_text)}[/] [bold]{escape(f.code)}[/] "
                f"{escape(view.where or note_text('check.where_report', language()))}: {escape(view.text)}")
        if f.passage:
            text += f"\n    {escape(term_text('passage', language()))}: {escape(f.passage)}"
        if view.expected or view.found:
            text += (f"\n    {escape(term_text('expected', language()))}: {escape(view.expected or '-')}  "
                     f"{escape(term_text('found', language()))}: {escape(view.found or '-')}")
        out.print(text, highlight=False)
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    note(Note("check.summary", {"errors": counts["error"], "warnings": counts["warning"], "notes": counts["info"]}))
