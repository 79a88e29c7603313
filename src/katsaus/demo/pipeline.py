"""`katsaus demo`: generate the demo county's data, load it into a fresh database and write its report.

Everything goes through the same functions as the CLI commands: configuration loading, intake, store,
computation and renderers. Nothing here computes a figure.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.console import Console

PUBLISHED = Path(__file__).parent / "published" / "tuloslaskelma-1-6-2025.csv"
REPO_ROOT = Path(__file__).resolve().parents[3]
DEMO_CONFIG = REPO_ROOT / "configs" / "demo"
DEMO_PERIOD = "2025-06"
DEMO_UNIT = "PESOVA"
DEMO_DOCUMENTS = "html,pdf,docx,xlsx"
DEMO_SUGGESTION = "TPE 6/2025 ehdotus"


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


def as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def run_demo(out_dir: Path, config_dir: Path = DEMO_CONFIG, console: Console | None = None) -> list[Path]:
    console = console or Console(stderr=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    database = out_dir / "katsaus-demo.sqlite3"
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        stale.unlink(missing_ok=True)

    from ..store.setup import setup

    setup(str(database))
    from .generate import generate

    data_dir = out_dir / "demo-data"
    console.print(f"generating the demo data into {data_dir}")
    generate(PUBLISHED, config_dir, data_dir)
    load_everything(config_dir, data_dir, console)
    from ..services.reports import write_content_outputs, write_report

    written = write_report(DEMO_PERIOD, DEMO_UNIT, out_dir / "tables", "csv,tables", None, "fi").value
    written += write_content_outputs(DEMO_PERIOD, DEMO_UNIT, out_dir)  # goal tables, narratives, tarkistukset.json
    # The published documents: osavuosikatsaus-1-6-2025.html, .pdf, .docx and .xlsx (docs/documents.md).
    written += write_report(DEMO_PERIOD, DEMO_UNIT, out_dir, DEMO_DOCUMENTS, None, "fi").value
    written += write_forecast_round(out_dir, console)
    return [database, *written]


def write_forecast_round(out_dir: Path, console: Console) -> list[Path]:
    """The forecast round's start (docs/forecasting.md): the suggested version in the database, its figures
    with their methods as CSV, and the controllers' sheet. The report keeps using the dated TPE 2025."""
    from ..services.forecasts import suggest, write_csv, write_sheet_file
    from ..store.forecasts import figures

    for line in suggest(DEMO_PERIOD, DEMO_SUGGESTION, "demo", budget="in_force", years_back=5).lines:
        console.print(line, highlight=False, markup=False)
    figures_csv = out_dir / f"ennusteehdotus-{DEMO_PERIOD}.csv"
    write_csv(figures(DEMO_SUGGESTION), str(figures_csv))
    workbook = out_dir / f"ennuste-{DEMO_PERIOD}.xlsx"
    for line in write_sheet_file(DEMO_PERIOD, DEMO_SUGGESTION, workbook, budget="in_force", previous=None).lines:
        console.print(line, highlight=False, markup=False)
    return [figures_csv, workbook]


def load_everything(config_dir: Path, data_dir: Path, console: Console) -> None:
    from ..services.imports import intake_context
    from ..config import load_config_dir
    from ..core.errors import ProblemsError
    from ..intake import load_mapping, read_ledger, read_plan
    from ..store.repository import save_config, save_ledger, save_plan

    config = load_config_dir(config_dir)
    save_config(config, user="demo")
    context = intake_context(config)
    mapping = load_mapping(None)
    for path in sorted(data_dir.glob("kirjanpito-*.csv")):
        result = read_ledger(path, mapping, context)
        if result.problems:
            raise ProblemsError(result.problems, result.omitted)
        save_ledger(path.name, result.checksum, result.rows, result.balances, user="demo")
        console.print(f"imported {path.name}: {result.rows} rows")
    for version in read_versions(data_dir / "versions.toml"):
        path = data_dir / version.file
        result = read_plan(path, context)
        if result.problems:
            raise ProblemsError(result.problems, result.omitted)
        save_plan(
            version.kind,
            version.name,
            version.year,
            path.name,
            result.checksum,
            result.rows,
            result.amounts,
            effective_date=version.effective_date,
            decision_ref=version.decision_ref,
            author=version.author,
            user="demo",
        )
        console.print(f"imported {version.kind} {version.name!r} from {path.name}")
    load_demo_content(config_dir, config, console)


def load_demo_content(config_dir: Path, config, console: Console) -> None:
    """The model report's goals, key results, balancing measures (content/*.toml) and narratives (narratives/*.md)."""
    from ..config.content import load_content
    from ..store.content import save_content

    content = load_content([config_dir / "content", config_dir / "narratives"], config)
    save_content(content, user="demo")
    console.print(f"loaded {len(content.goals)} goals, {len(content.key_results)} key results, {len(content.narratives)} narratives")
