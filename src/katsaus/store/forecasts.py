"""Forecast versions: saving figures with their provenance, reading them back.

A forecast version holds at most one whole-year figure per unit × leaf line. Every write (a suggestion run, a
`forecast set`, an uploaded sheet) is one import batch in one transaction and replaces the version's figures
for the unit × line pairs it contains; the other pairs stay. The batch records the file and who wrote it; each
figure records its method or reason, its range and who entered it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Sequence

from django.db import transaction
from django.db.models import F

from ..core.forecast import Explanation, ForecastFigure
from ..core.forecast_basis import SUGGEST_SOURCE, BasisFigure
from . import models
from .repository import SavedImport, current_user


class ForecastStoreError(ValueError):
    """The version cannot take these figures (e.g. the name is a budget, or of another year)."""


@dataclass(frozen=True)
class VersionSummary:
    name: str
    year: int
    made_at_period: str
    author: str
    effective_date: date | None
    created_at: datetime
    figures: int


@dataclass(frozen=True)
class StoredFigure:
    figure: ForecastFigure
    source: str  # the batch's file name
    written_at: datetime
    replaced_at: datetime | None = None  # when a later write replaced it (history only)
    replaced_by: str = ""  # who made that write


def checksum(figures: Sequence[ForecastFigure]) -> str:
    payload = json.dumps([f.__dict__ for f in figures], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def forecast_version(
    name: str, year: int, made_at_period: str, author: str, effective_date: date | None
) -> models.PlanVersion:
    """The named forecast version, created if missing; an existing one must be a forecast of the same year."""
    version, created = models.PlanVersion.objects.get_or_create(
        name=name,
        defaults=dict(kind="forecast", year=year, made_at_period=made_at_period, author=author,
                      effective_date=effective_date),
    )
    if version.kind != "forecast" or version.year != year:
        raise ForecastStoreError(
            f"version {name!r} already exists as a {version.kind} of {version.year}; these figures are a forecast of {year}"
        )
    if not created and made_at_period and version.made_at_period != made_at_period:
        version.made_at_period = made_at_period
        version.save(update_fields=["made_at_period"])
    return version


@transaction.atomic
def save_figures(
    version_name: str,
    year: int,
    made_at_period: str,
    figures: Sequence[ForecastFigure],
    source: str,
    author: str = "",
    user: str | None = None,
    effective_date: date | None = None,
    replace_all: bool = False,
) -> SavedImport:
    """Store figures under a forecast version: all or nothing."""
    version = forecast_version(version_name, year, made_at_period, author or user or current_user(), effective_date)
    pairs = {(f.unit, f.line) for f in figures}
    if len(pairs) != len(figures):
        raise ForecastStoreError("the same unit and line twice in one write")
    batch = models.ImportBatch.objects.create(
        kind="forecast", file_name=source, checksum=checksum(figures), rows=len(figures),
        imported_by=user or current_user(), version=version,
    )
    replaced = supersede_figures(version, None if replace_all else pairs, batch)
    models.PlanAmount.objects.bulk_create(
        [
            models.PlanAmount(
                version=version, batch=batch, unit_code=f.unit, line_code=f.line, month=None, cents=f.cents,
                method=f.method, reason=f.reason, low_cents=f.low_cents, high_cents=f.high_cents,
                entered_by=f.entered_by or user or current_user(),
                explanation=f.explanation.as_dict() if f.explanation else {},
            )
            for f in figures
        ],
        batch_size=5000,
    )
    return SavedImport(batch.id, replaced, len(figures), len(figures))


def supersede_figures(version: models.PlanVersion, pairs: set[tuple[str, str]] | None, batch: models.ImportBatch) -> int:
    """Mark the version's current figures of these unit × line pairs (None: all) as replaced by `batch`; they
    stay as the history. Returns how many were replaced."""
    current = models.PlanAmount.objects.current().filter(version=version)
    ids = [i for i, unit, line in current.values_list("id", "unit_code", "line_code")
           if pairs is None or (unit, line) in pairs]
    for start in range(0, len(ids), 500):  # a bounded number of SQL variables per statement
        models.PlanAmount.objects.filter(id__in=ids[start:start + 500]).update(superseded_by=batch)
    return len(ids)


def version_exists(name: str) -> bool:
    return models.PlanVersion.objects.filter(name=name).exists()


def summary(name: str) -> VersionSummary | None:
    version = models.PlanVersion.objects.filter(name=name, kind="forecast").first()
    if version is None:
        return None
    return VersionSummary(version.name, version.year, version.made_at_period, version.author, version.effective_date,
                          version.created_at, version.amounts.current().count())


def figures(name: str, history: bool = False) -> list[StoredFigure]:
    """A forecast version's current figures with their provenance, in order of entry; with `history`, also
    every figure a later write replaced, with when and by whom."""
    return [
        StoredFigure(
            ForecastFigure(a.unit_code or a.cost_centre or "", a.line_code or a.account or "", a.cents,
                           a.method, a.reason, a.low_cents, a.high_cents, a.entered_by,
                           Explanation.from_dict(a.explanation)),
            a.batch.file_name,
            a.batch.imported_at,
            a.superseded_by.imported_at if a.superseded_by else None,
            a.superseded_by.imported_by if a.superseded_by else "",
        )
        for a in forecast_amounts(name, history)
    ]


def basis_figures(name: str) -> list[BasisFigure]:
    """A forecast version's figures as the report's forecast basis reads them: placed by unit or cost centre,
    line or account, with method, reason, author and the file or command that wrote them."""
    return [
        BasisFigure(a.cents, a.unit_code or None, a.cost_centre or None, a.line_code or None, a.account or None,
                    a.method or "", a.reason or "", a.entered_by or "", a.batch.file_name,
                    a.batch.file_name.startswith(SUGGEST_SOURCE), Explanation.from_dict(a.explanation))
        for a in forecast_amounts(name)
    ]


def forecast_amounts(name: str, history: bool = False):
    """A forecast version's current figures (with `history`, also the replaced ones) with their write, in
    order of entry."""
    amounts = models.PlanAmount.objects.filter(version__name=name, version__kind="forecast")
    if not history:
        amounts = amounts.current()
    return amounts.select_related("batch", "superseded_by").order_by("id")


def figure_map(name: str) -> dict[tuple[str, str], ForecastFigure]:
    """Figures stored by unit × line (a suggestion version), keyed for taking them over."""
    return {(s.figure.unit, s.figure.line): s.figure for s in figures(name) if s.figure.unit and s.figure.line}


def latest_forecast(year: int, exclude: Sequence[str] = ()) -> str | None:
    """The newest other forecast version of the year: the sheet's "previous forecast"."""
    candidates = models.PlanVersion.objects.filter(kind="forecast", year=year).exclude(name__in=list(exclude))
    newest = candidates.order_by(F("effective_date").desc(nulls_last=True), "-created_at", "-id").first()
    return newest.name if newest else None
