"""Forecast versions: saving figures with their provenance, reading them back.

A forecast version holds at most one whole-year figure per unit × leaf line. Every write (a suggestion run, a
`forecast set`, an uploaded sheet) is one import batch in one transaction and replaces the version's figures
for the unit × line pairs it contains; the other pairs stay. The batch records the file and who wrote it; each
figure records its method or reason, its range and who entered it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NoReturn

from django.db import transaction
from django.db.models import F, QuerySet

from ..core.errors import Conflict, Problem, Refused
from ..core.forecast import Explanation, ForecastFigure
from ..core.forecast_basis import SUGGEST_SOURCE, BasisFigure
from . import models
from .repository import SavedImport, current_user, one_writer_at_a_time, plan_kind


@dataclass(frozen=True)
class VersionSummary:
    name: str
    year: int
    made_at_period: str
    author: str
    effective_date: date | None
    created_at: datetime
    figures: int
    suggestion: bool = False  # every write was `katsaus forecast suggest`: machine suggestions only
    stamp: str = ""  # the latest write (time and batch): a sheet records it to notice a rewritten suggestion


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
    name: str, year: int, made_at_period: str, author: str, effective_date: date | None, suggestion: bool = False
) -> models.PlanVersion:
    """The named forecast version, created if missing. An existing one must be a forecast of the same year, made
    at the same period, and of the same kind: machine suggestions (`suggestion`) and controllers' figures are
    never mixed in one version, so "ehdotus" on a sheet always means a machine suggestion, and a suggestion run
    never overwrites what controllers entered. Rewriting a whole suggestion (suggest --replace) may move it
    to another period.

    Refused when the name is empty or begins or ends with a space; Conflict when the version cannot take these
    figures (each problem's code says why)."""
    if not name.strip() or name != name.strip():
        raise Refused(Problem("store.version_name_invalid", {"name": name}), outcome="outcome.nothing_stored")
    version, created = models.PlanVersion.objects.get_or_create(
        name=name,
        defaults=dict(kind="forecast", year=year, made_at_period=made_at_period, author=author,
                      effective_date=effective_date),
    )
    if version.kind != "forecast" or version.year != year:
        refuse_version(Problem("store.version_other_kind", {
            "name": name, "kind": plan_kind(version.kind), "year": version.year, "wanted_kind": plan_kind("forecast"),
            "wanted_year": year}))
    if created:
        return version
    holds_suggestions = is_suggestion(version)
    if suggestion and not holds_suggestions:
        refuse_version(Problem("store.version_not_suggestions", {"name": name}))
    if not suggestion and holds_suggestions:
        refuse_version(Problem("store.version_holds_suggestions", {"name": name}))
    if made_at_period and version.made_at_period != made_at_period:
        if not suggestion:
            refuse_version(Problem("store.version_other_period", {
                "name": name, "made_at": version.made_at_period or None, "period": made_at_period}))
        version.made_at_period = made_at_period
        version.save(update_fields=["made_at_period"])
    if not suggestion and per_cost_centre(version):
        refuse_version(Problem("store.version_per_cost_centre", {"name": name}))
    return version


def refuse_version(problem: Problem) -> NoReturn:
    raise Conflict(problem, outcome="outcome.nothing_stored")


def is_suggestion(version: models.PlanVersion) -> bool:
    """Every write of the version was a suggestion run."""
    sources = list(version.batches.values_list("file_name", flat=True))
    return bool(sources) and all(source.startswith(SUGGEST_SOURCE) for source in sources)


def per_cost_centre(version: models.PlanVersion) -> bool:
    """The version has current figures placed by cost centre or account (an imported file)."""
    return version.amounts.current().filter(unit_code__isnull=True).exists() or \
        version.amounts.current().filter(line_code__isnull=True).exists()


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
    suggestion: bool = False,
) -> SavedImport:
    """Store figures under a forecast version: all or nothing. `suggestion`: a suggestion run's figures (see
    forecast_version for what may be written where)."""
    one_writer_at_a_time()
    version = forecast_version(version_name, year, made_at_period, author or user or current_user(), effective_date,
                               suggestion)
    pairs: set[tuple[str, str]] = set()
    for f in figures:
        if (f.unit, f.line) in pairs:
            raise Refused(Problem("store.figure_repeated", {"unit": f.unit, "line": f.line}),
                          outcome="outcome.nothing_stored")
        pairs.add((f.unit, f.line))
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
    latest = version.batches.order_by("-imported_at", "-id").first()
    stamp = f"{latest.imported_at.isoformat()} #{latest.id}" if latest else ""
    return VersionSummary(version.name, version.year, version.made_at_period, version.author, version.effective_date,
                          version.created_at, version.amounts.current().count(), is_suggestion(version), stamp)


def version_kind(name: str) -> tuple[str, int] | None:
    """(kind, year) of any plan version of this name."""
    found = models.PlanVersion.objects.filter(name=name).values_list("kind", "year").first()
    return (found[0], found[1]) if found else None


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


def forecast_amounts(name: str, history: bool = False) -> QuerySet[models.PlanAmount]:
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
    """The newest other forecast version of the year that is not a suggestion: the sheet's "previous forecast"."""
    candidates = models.PlanVersion.objects.filter(kind="forecast", year=year).exclude(name__in=list(exclude))
    ordered = candidates.order_by(F("effective_date").desc(nulls_last=True), "-created_at", "-id")
    newest = next((v for v in ordered if not is_suggestion(v)), None)
    return newest.name if newest else None
