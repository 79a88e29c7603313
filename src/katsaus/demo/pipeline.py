"""`katsaus demo`: generate the demo county's data, load it into a fresh database and write its report.

Everything goes through the services, as a person's commands do: configuration loading, imports, content,
reports. Nothing here computes a figure.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console

from ..services.actors import Operator
from ..services.errors import Outcome

PUBLISHED = Path(__file__).parent / "published" / "tuloslaskelma-1-6-2025.csv"
REPO_ROOT = Path(__file__).resolve().parents[3]
DEMO_CONFIG = REPO_ROOT / "configs" / "demo"
DEMO_PERIOD = "2025-06"
DEMO_UNIT = "PESOVA"
DEMO_DOCUMENTS = "html,pdf,docx,xlsx,datapackage"
DEMO_SUGGESTION = "TPE 6/2025 ehdotus"
OPERATOR = Operator("demo")  # the demo's loads are the demo's in the audit log


@dataclass(frozen=True)
class VersionFile:
    name: str
    kind: str
    year: int
    file: str
    effective_date: date | None
    decision_ref: str
    author: str


def read_versions(path: Path) -> list[VersionFile]:
    """versions.toml written by the generator: which file holds which budget or forecast version."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = data.get("versions", [])
    return [
        VersionFile(
            name=e["name"],
            kind=e["kind"],
            year=int(e["year"]),
            file=e["file"],
            effective_date=as_date(e.get("effective_date") or e.get("date")),
            decision_ref=e.get("decision_ref", ""),
            author=e.get("author", ""),
        )
        for e in entries
    ]


def as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def run_demo(out_dir: Path, config_dir: Path = DEMO_CONFIG, console: Console | None = None) -> list[Path]:
    """Generate the demo data into OUT/demo-data, load it into a fresh OUT/katsaus-demo.sqlite3 through the
    services (as the CLI's commands do, as the operator "demo"), and write the report, its tables, the content
    outputs and the start of the forecast round."""
    from ..services.database import open_database
    from ..services.documents import write_content_outputs, write_report

    console = console or Console(stderr=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    database = out_dir / "katsaus-demo.sqlite3"
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        stale.unlink(missing_ok=True)
    open_database(str(database), create=True)
    from .generate import generate

    data_dir = out_dir / "demo-data"
    generate(PUBLISHED, config_dir, data_dir)
    load_everything(config_dir, data_dir, console)
    written: list[Path] = write_report(DEMO_PERIOD, DEMO_UNIT, out_dir / "tables", "csv,tables", None, "fi").value
    written += write_content_outputs(DEMO_PERIOD, DEMO_UNIT, out_dir)  # goal tables, narratives, tarkistukset.json
    # The published documents: osavuosikatsaus-1-6-2025.html, .pdf, .docx and .xlsx (docs/documents.md).
    written += write_report(DEMO_PERIOD, DEMO_UNIT, out_dir, DEMO_DOCUMENTS, None, "fi").value
    written += write_forecast_round(out_dir, console)
    return [database, *written]


def say(console: Console, outcome: Outcome) -> None:
    """What a service did, as the CLI prints it (in Finnish)."""
    from ..render.messages import note_text, problem_line

    for note in outcome.notes:
        console.print(note_text(note, "fi"), highlight=False, markup=False)
    for warning in outcome.warnings:
        console.print(problem_line(warning, "fi"), highlight=False, markup=False)


def write_forecast_round(out_dir: Path, console: Console) -> list[Path]:
    """The forecast round's start (docs/forecasting.md): the suggested version in the database, its figures
    with their methods as CSV, and the controllers' sheet. The report keeps using the dated TPE 2025."""
    from ..services.forecasts import suggest, version_figures, write_csv, write_sheet_file

    say(console, suggest(DEMO_PERIOD, DEMO_SUGGESTION, OPERATOR, budget="in_force", years_back=5))
    figures_csv = out_dir / f"ennusteehdotus-{DEMO_PERIOD}.csv"
    write_csv(version_figures(DEMO_SUGGESTION).rows, str(figures_csv))
    workbook = out_dir / f"ennuste-{DEMO_PERIOD}.xlsx"
    say(console, write_sheet_file(DEMO_PERIOD, DEMO_SUGGESTION, workbook, budget="in_force", previous=None))
    return [figures_csv, workbook]


def load_everything(config_dir: Path, data_dir: Path, console: Console) -> None:
    """The demo's configuration, ledger, budgets, forecasts and content, each loaded by the service a person's
    command calls (checks, one transaction, audit record, published-report guard)."""
    from ..services.content import load_content_files
    from ..services.imports import import_ledger, import_plan, load_config

    say(console, load_config([config_dir], OPERATOR))
    say(console, import_ledger(sorted(data_dir.glob("kirjanpito-*.csv")), None, False, OPERATOR))
    for version in read_versions(data_dir / "versions.toml"):
        meta: dict[str, Any] = ({"effective_date": version.effective_date, "decision_ref": version.decision_ref}
                if version.kind == "budget" else {"effective_date": version.effective_date, "author": version.author})
        say(console, import_plan(version.kind, data_dir / version.file, version.name, version.year, "statement", None,
                                 None, OPERATOR, **meta))
    say(console, load_content_files([config_dir / "content", config_dir / "narratives"], False, OPERATOR))
