"""The forecast round in the browser, on the services the CLI's `forecast` commands use (services.forecasts):
a suggestion's figures beside the controllers' forecast version, one value set with its reason, the controllers'
sheet (budget, actual to date, suggestion and previous forecast per unit × line) downloaded and uploaded again."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from katsaus.core.errors import ProblemsError
from katsaus.services import forecasts
from katsaus.web.entries import euros_text
from katsaus.web.uploads import safe_name, shown


@dataclass(frozen=True)
class FigurePair:
    unit: str
    line: str
    suggestion: str
    method: str
    forecast: str
    reason: str


def forecast_versions() -> list[str]:
    from katsaus.store.models import PlanVersion

    return list(PlanVersion.objects.filter(kind="forecast").order_by("-year", "name").values_list("name", flat=True))


def made_at(version: str) -> str:
    """The period a forecast version was made at ("2025-06"), which its sheet is of."""
    from katsaus.store.forecasts import summary

    info = summary(version)
    return info.made_at_period if info is not None else ""


def side_by_side(suggestion: str, forecast: str | None) -> list[FigurePair]:
    """The suggestion's figures, each beside the forecast version's figure of the same unit × line (if any)."""
    from katsaus.store.forecasts import figure_map

    suggested = figure_map(suggestion)
    chosen = figure_map(forecast) if forecast else {}
    keys = sorted(set(suggested) | set(chosen))
    return [FigurePair(unit, line, euros_text(suggested[unit, line].cents) if (unit, line) in suggested else "",
                       suggested[unit, line].method if (unit, line) in suggested else "",
                       euros_text(chosen[unit, line].cents) if (unit, line) in chosen else "",
                       chosen[unit, line].reason if (unit, line) in chosen else "") for unit, line in keys]


def sheet_bytes(period: str, suggestion: str) -> tuple[str, bytes]:
    """The controllers' sheet as the CLI writes it (`forecast sheet`), read back for download."""
    with tempfile.TemporaryDirectory(prefix="katsaus-sheet-") as folder:
        path = Path(folder) / f"ennuste-{period}.xlsx"
        forecasts.write_sheet_file(period, suggestion, path)
        return path.name, path.read_bytes()


def upload_sheet(upload: Any, version: str, actor: Any) -> forecasts.Outcome:
    """A filled-in sheet stored as a forecast version (`forecast upload`); problems under the file's own name."""
    with tempfile.TemporaryDirectory(prefix="katsaus-upload-") as folder:
        path = Path(folder) / safe_name(upload.name)
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            return forecasts.upload(path, version, actor)
        except ProblemsError as exc:
            exc.shown = shown(exc.problems, Path(folder))  # type: ignore[attr-defined]
            raise
