"""The report as a Frictionless Data Package: its metadata and resources, checked before anything is written.

`build_package` is plain: the caller passes the computed report (with its content), the organisation, the
scheme, the check findings and the imported files. What cannot become a valid package (a code with whitespace
or a control character, an empty name, an unknown licence) is collected as problems, all of them, and raised
as one `Refused` (codes `opendata.*`), so that nothing is written half (docs/open-data.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from katsaus.core.errors import Problem, Refused
from katsaus.core.licences import LICENCES, licence_problem
from katsaus.core.model import Report
from katsaus.core.org import OrgTree
from katsaus.core.scheme import Scheme

from .resources import (
    CODE_PATTERN,
    Field,
    ImportedFile,
    Resource,
    balancing_resource,
    figures_resource,
    findings_resource,
    goals_resources,
    key_results_resource,
    lines_resource,
    sources_resource,
    units_resource,
)

PROFILE = "tabular-data-package"
STATUSES = ("draft", "approved")


@dataclass(frozen=True)
class PackageMeta:
    """What the package says about the report beside its figures."""

    name: str  # the package's name: lower-case letters, digits, "-", "_", "."
    licence: str = "CC-BY-4.0"
    status: str = "draft"  # one of STATUSES
    status_date: date | None = None
    created: datetime | None = None  # default: now (UTC)
    software: str = "Katsaus"
    title_fi: str = "Osavuosikatsaus"
    title_sv: str = "Delårsrapport"


@dataclass(frozen=True)
class DataPackage:
    descriptor: dict[str, Any]  # datapackage.json without its resources
    resources: tuple[Resource, ...]

    def resource(self, name: str) -> Resource:
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise KeyError(f"no resource {name!r}; resources are {[r.name for r in self.resources]}")

    def as_json(self) -> dict[str, Any]:
        return {**self.descriptor, "resources": [r.descriptor() for r in self.resources]}


def package_name(text: str) -> str:
    """A Data Package name from a document name: "Osavuosikatsaus-1-6-2025" -> "osavuosikatsaus-1-6-2025"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9._-]+", "-", plain).strip("-") or "katsaus"


def build_package(
    report: Report,
    org: OrgTree,
    scheme: Scheme,
    meta: PackageMeta,
    findings: Iterable[Problem] = (),
    sources: Iterable[ImportedFile] = (),
) -> DataPackage:
    """The report's package. `findings` are the consistency checks' problems (core.checks, check --printed).
    Refused (nothing made) naming everything that would make the package invalid."""
    sources = tuple(sources)
    resources = (
        units_resource(report, org),
        lines_resource(report, scheme),
        figures_resource(report),
        *goals_resources(report),
        key_results_resource(report),
        balancing_resource(report),
        findings_resource(findings),
        sources_resource(sources),
    )
    problems = meta_problems(meta) + value_problems(resources)
    if problems:
        raise Refused(problems, outcome="outcome.nothing_written")
    return DataPackage(descriptor(report, org, meta, sources), resources)


def meta_problems(meta: PackageMeta) -> list[Problem]:
    problems = []
    unknown = licence_problem(meta.licence)
    if unknown is not None:
        problems.append(replace(unknown, key="licence"))
    if not re.fullmatch(r"[a-z0-9._-]+", meta.name):
        problems.append(Problem("opendata.name_invalid", key="name", found=meta.name))
    if meta.status not in STATUSES:
        problems.append(Problem("opendata.status_unknown", {"known": STATUSES}, key="status", found=meta.status))
    return problems


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def value_problems(resources: Iterable[Resource]) -> list[Problem]:
    """Codes that a foreign key could not match exactly and names that would not read back as written: each
    located at its CSV file, row (row 1 is the header) and column."""
    problems = []
    for resource in resources:
        for number, row in enumerate(resource.rows, start=2):  # row 1 of the CSV is the header
            for field, value in zip(resource.fields, row):
                problem = field_problem(field, value)
                if problem is not None:
                    problems.append(replace(problem, file=resource.path, row=number, column=field.name, found=value))
    return problems


def field_problem(field: Field, value: str) -> Problem | None:
    """What is wrong with one value (the caller locates it), or None."""
    if value == "":
        return Problem("opendata.value_required") if field.required else None
    if field.pattern == CODE_PATTERN and not re.fullmatch(CODE_PATTERN, value):
        return Problem("opendata.code_whitespace")
    if CONTROL.search(value):
        return Problem("opendata.control_character")
    if field.name.startswith("name") and value != value.strip():  # names are matched by people and programs
        return Problem("opendata.name_surrounding_space")
    return None


def descriptor(report: Report, org: OrgTree, meta: PackageMeta, sources: tuple[ImportedFile, ...]) -> dict[str, Any]:
    created = (meta.created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    title, link = LICENCES[meta.licence]
    months = f"1–{report.period.month}/{report.period.year}"
    unit_sv = (org.unit(report.unit_code).name_sv if org.has_unit(report.unit_code) else None) or report.unit_name
    organisation_sv = org.name_sv or report.organisation
    return {
        "profile": PROFILE,
        "name": meta.name,
        "title": f"{report.unit_name} – {meta.title_fi} {months}",
        "title_sv": f"{unit_sv} – {meta.title_sv} {months}",
        "description": (
            f"{report.organisation}: {meta.title_fi.lower()} {months}, {report.unit_name}. Tuloslaskelmien luvut "
            "euroina ja sentteinä, toiminnalliset tavoitteet, avaintulokset, tasapainottamistoimenpiteet, "
            "tarkistusten havainnot ja lähdetiedostot. Samat luvut kuin julkaistussa raportissa."
        ),
        "description_sv": (
            f"{organisation_sv}: {meta.title_sv.lower()} {months}, {unit_sv}. Resultaträkningarnas siffror i "
            "euro och cent, verksamhetsmål, nyckelresultat, balanseringsåtgärder, kontrollernas fynd och "
            "källfilerna. Samma siffror som i den publicerade rapporten."
        ),
        "language": ["fi", "sv"],
        "keywords": ["osavuosikatsaus", "talous", "hyvinvointialue", "delårsrapport", "ekonomi"],
        "licenses": [{"name": meta.licence, "path": link, "title": title}],
        "sources": [{"title": _source_title(s)} for s in sources],
        "contributors": [{"title": report.organisation, "role": "publisher"},
                         {"title": meta.software, "role": "wrangler"}],
        "created": created.isoformat().replace("+00:00", "Z"),
        "version": f"{report.period.key}-{meta.status}",
        "report": {
            "organisation": report.organisation,
            "unit_code": report.unit_code,
            "unit_name": report.unit_name,
            "template": report.template_code,
            "period_start": f"{report.period.year:04d}-01-01",
            "period_end": _period_end(report),
            "status": meta.status,
            "approved": meta.status_date.isoformat() if meta.status == "approved" and meta.status_date else None,
            "status_date": meta.status_date.isoformat() if meta.status_date else None,
        },
    }


def _source_title(source: ImportedFile) -> str:
    version = f"{source.version}: " if source.version else ""
    return f"{source.kind} {version}{source.file_name} (sha256 {source.sha256})"


def _period_end(report: Report) -> str:
    return report.period.end.isoformat()
