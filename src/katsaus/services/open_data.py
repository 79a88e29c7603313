"""The open-data package of a computed report from the store: its content, its check findings, its imported files.

The one function the command line (`katsaus report --format datapackage`) and the publish step call. It reads
the store (content, import log), so it lives in services/ rather than in render/ (which imports only core), and
hands plain data to render.opendata's build_package and write_datapackage (docs/open-data.md).
"""

from __future__ import annotations

import json
from datetime import UTC, date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.model import Report

from ..render.opendata import DataPackage, ImportedFile, PackageMeta, build_package, package_name, write_datapackage
from ..render.opendata.ckan import AVOINDATA_LICENCES, ckan_dataset
from .reports import Assembled, software_name

SUFFIX = "-datapackage"


def report_package(assembled: Assembled, status: str = "draft", status_date: date | None = None) -> DataPackage:
    """The package of an assembled report: its figures, content, findings and imported files."""
    config, template, report = assembled.config, assembled.template, assembled.report
    meta = PackageMeta(
        # portals hold many organisations' packages: the name starts with the organisation's code
        name=package_name(f"{config.org.code}-{folder_name(assembled).removesuffix(SUFFIX)}"),
        licence=template.document.licence,
        status=status,
        status_date=status_date,
        software=software_name(),
        title_fi=template.document.title or template.name_fi,
        title_sv=template.document.title_sv or template.name_sv or "Delårsrapport",
    )
    return build_package(report, config.org, config.scheme(template.scheme), meta, assembled.findings,
                         imported_files(report))


def folder_name(assembled: Assembled) -> str:
    """"osavuosikatsaus-1-6-2025-datapackage"; a unit below the top of the organisation adds its code (as the
    documents' names do), so the packages of several units can share a folder."""
    report = assembled.report
    own = "" if assembled.is_top else f"-{report.unit_code.lower()}"
    return f"{assembled.template.code}-1-{report.period.month}-{report.period.year}{own}{SUFFIX}"


def imported_files(model: Report) -> tuple[ImportedFile, ...]:
    """Every ledger import, and the plan-version writes whose figures the report's versions still use."""
    from ..store.repository import current_plan_batches, import_log

    current = current_plan_batches({v.name for v in model.versions})
    return tuple(
        ImportedFile(
            kind=batch.kind,
            file_name=batch.file_name,
            rows=batch.rows,
            imported_at=batch.imported_at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            sha256=batch.checksum,
            version=batch.version.name if batch.version is not None else "",
        )
        for batch in import_log()
        if batch.kind == "ledger" or batch.id in current
    )


def write_report_datapackage(assembled: Assembled, out_dir: Path, status: str = "draft",
                             status_date: date | None = None) -> list[Path]:
    """`<out>/<document>-datapackage/`, the same as `.zip`, and its CKAN dataset `.ckan.json`; Refused (nothing
    written) when the report cannot become a valid package or the folder holds other files."""
    package = report_package(assembled, status, status_date)
    folder, archive = write_datapackage(package, out_dir / folder_name(assembled))
    # the dataset for a CKAN portal (avoindata.fi's licence ids), beside the zip: upload both
    ckan = folder.with_name(folder.name + ".ckan.json")
    dataset = ckan_dataset(package, licences=AVOINDATA_LICENCES)
    ckan.write_text(json.dumps(dataset, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [folder, archive, ckan]
