"""The open-data package of a computed report from the store: its content, its check findings, its imported files.

The one function the command line (`katsaus report --format datapackage`) and the publish step call. It reads
the store (content, import log), so it lives in services/ rather than in render/ (which imports only core), and
hands plain data to render.opendata's build_package and write_datapackage (docs/open-data.md).
"""

from __future__ import annotations

import json
from datetime import date, timezone
from pathlib import Path

from katsaus.config.load import Config
from katsaus.core.model import Report
from katsaus.core.template import Template

from katsaus.render.opendata import DataPackage, ImportedFile, PackageMeta, build_package, package_name, write_datapackage
from katsaus.render.opendata.ckan import AVOINDATA_LICENCES, ckan_dataset

SUFFIX = "-datapackage"


def report_package(model: Report, config: Config, template: Template, status: str = "draft", status_date: date | None = None,
                   software: str = "Katsaus") -> DataPackage:
    """The package of a report computed by core.statement.build_report (content not yet attached)."""
    from katsaus.core.checks import run_checks
    from katsaus.core.content import attach_content
    from katsaus.store.content import load_content

    scheme = config.scheme(template.scheme)
    full = attach_content(model, load_content(), config.organisation, scheme, template)
    meta = PackageMeta(
        # portals hold many organisations' packages: the name starts with the organisation's code
        name=package_name(f"{config.organisation.code}-{folder_name(full, config, template).removesuffix(SUFFIX)}"),
        licence=template.document.licence,
        status=status,
        status_date=status_date,
        software=software,
        title_fi=template.document.title or template.name_fi,
        title_sv=template.document.title_sv or template.name_sv or "Delårsrapport",
    )
    return build_package(full, config.organisation, scheme, meta, run_checks(full), imported_files(full))


def folder_name(model: Report, config: Config, template: Template) -> str:
    """"osavuosikatsaus-1-6-2025-datapackage"; a unit below the top of the organisation adds its code (as the
    documents' names do), so the packages of several units can share a folder."""
    top = config.organisation.roots() == (model.unit_code,)
    own = "" if top else f"-{model.unit_code.lower()}"
    return f"{template.code}-1-{model.period_month}-{model.period_year}{own}{SUFFIX}"


def imported_files(model: Report) -> tuple[ImportedFile, ...]:
    """Every ledger import, and the plan-version writes whose figures the report's versions still use."""
    from katsaus.store.repository import current_plan_batches, import_log

    current = current_plan_batches({v.name for v in model.versions})
    return tuple(
        ImportedFile(
            kind=batch.kind,
            file_name=batch.file_name,
            rows=batch.rows,
            imported_at=batch.imported_at.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            sha256=batch.checksum,
            version=batch.version.name if batch.version is not None else "",
        )
        for batch in import_log()
        if batch.kind == "ledger" or batch.id in current
    )


def write_report_datapackage(model: Report, config: Config, template: Template, out_dir: Path, status: str = "draft",
                             status_date: date | None = None, software: str = "Katsaus") -> list[Path]:
    """`<out>/<document>-datapackage/`, the same as `.zip`, and its CKAN dataset `.ckan.json`; ProblemsError (nothing written) when the
    report cannot become a valid package or the folder holds other files."""
    package = report_package(model, config, template, status, status_date, software)
    folder, archive = write_datapackage(package, out_dir / folder_name(model, config, template))
    # the dataset for a CKAN portal (avoindata.fi's licence ids), beside the zip: upload both
    ckan = folder.with_name(folder.name + ".ckan.json")
    dataset = ckan_dataset(package, licences=AVOINDATA_LICENCES)
    ckan.write_text(json.dumps(dataset, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [folder, archive, ckan]
