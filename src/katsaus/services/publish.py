"""Publishing freezes a report: its HTML page, PDF, Word, Excel and figures as CSV are written once, stored in
the database with their SHA-256 under a stable key (organisation/template/period) and a version number.

A published report's figures and texts are fingerprinted (SHA-256 of its plain figures, content tables and
narrative texts, computed with the versions as they stood when it was published). Every service that changes
what reports read (imports, content, forecasts, unit edits) calls `refuse_changes_to_published` inside its
transaction: a change that alters a published report's fingerprint is rolled back, naming the report. A
correction is made with correction=True (CLI --correction) and published as a new version that says what it
corrects; the earlier version stays.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..core.errors import Problem, ProblemsError
from .audit import acting, actor_name
from .errors import InvalidTransition, NotFound, PublishedPeriodLocked
from .permissions import can_publish, can_read_report, is_operator, require
from .reports import (
    DocumentOptions, parse_period, period_key, stored_config, write_documents,
)

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
}
DOCUMENTS = ("html", "pdf", "docx", "xlsx")
DATA = "data/"  # the open-data package's files, below the report's address


def report_key(organisation_code: str, template_code: str, period: str) -> str:
    """The stable address of a published report: 'omahame/osavuosikatsaus/2025-06'."""
    return f"{organisation_code.lower()}/{template_code}/{period}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(period: str, unit_code: str, template_code: str, as_of: date | None, config=None) -> str:
    """SHA-256 of what a report says: its figures (plain numbers), content tables and narrative texts."""
    from ..render.content_tables import write_content_tables
    from ..render.csv_tables import write_csv_figures
    from .reports import full_report

    report = full_report(period, unit_code, template_code, as_of=as_of, config=config)
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory(prefix="katsaus-fingerprint-") as folder:
        paths = write_csv_figures(report, Path(folder) / "figures") + write_content_tables(report, Path(folder) / "content")
        for path in sorted(paths):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for result in sorted(report.narratives, key=lambda n: (n.narrative.unit_code, n.narrative.section)):
        n = result.narrative
        digest.update(f"{n.unit_code}\0{n.section}\0{n.title}\0{n.markdown}\0".encode())
    return digest.hexdigest()


def latest_published() -> list:
    """The latest version of every published report."""
    from ..store.models import PublishedReport

    latest: dict[str, Any] = {}
    for report in PublishedReport.objects.order_by("key", "version"):
        latest[report.key] = report
    return list(latest.values())


def refuse_changes_to_published(from_period: str | None = None) -> None:
    """Inside a change's transaction, after its writes: refuse (PublishedPeriodLocked, the transaction rolls
    back) if a published report would now say anything else. `from_period`: the change is to a period's entry,
    so only reports of that period and later can show it (the others are not recomputed)."""
    reports = [r for r in latest_published() if from_period is None or r.period >= from_period]
    if not reports:
        return
    config = stored_config()
    changed = [f"{r.key} (version {r.version})" for r in reports
               if fingerprint(r.period, r.unit_code, r.template_code, r.as_of, config) != r.fingerprint]
    if changed:
        raise PublishedPeriodLocked(changed)


@dataclass(frozen=True)
class Published:
    key: str
    version: int
    public: bool
    correction_note: str
    files: tuple[tuple[str, str, str, int], ...]  # (format, name, sha256, size)
    id: int


def published_of(report) -> Published:
    files = tuple((f.format, f.name, f.sha256, f.size) for f in report.files.order_by("id"))
    return Published(report.key, report.version, report.public, report.correction_note, files, report.pk)


def publish_report(actor: Any, period: str | None = None, template_code: str | None = None, the_round: Any = None,
                   public: bool = False, correction_note: str = "", language: str = "fi") -> Published:
    """Publish the organisation's report of a round (or of a template and period). Raises NotAllowed (not a
    controller), InvalidTransition (a unit of the round is not approved; nothing changed since the last
    version), ProblemsError (bad period, template; a correction without a note)."""
    from ..store.models import PublishedFile, PublishedReport

    require(can_publish(actor), actor, "publish reports")
    if the_round is not None:
        period, template_code = the_round.period, the_round.template_code
    if period is None:
        raise ProblemsError([Problem("--period", "publishing needs a period or a round", expected="YYYY-MM")])
    key_period = period_key(parse_period(period))
    config = stored_config()
    the_round = the_round or find_open_round(key_period, template_code, config)
    refuse_unapproved(the_round)
    today = timezone.localdate()
    as_of, (config, template, model) = versions_as_of(key_period, template_code, language, today, config)
    key = report_key(config.organisation.code, template.code, key_period)
    previous = PublishedReport.objects.filter(key=key).order_by("-version").first()
    printed = fingerprint(key_period, model.unit_code, template.code, as_of, config)
    note = correction_text(previous, printed, correction_note)
    correction = document_correction(previous, correction_note, language)
    files = render_all(model, config, template, language, today, correction)
    with acting(actor), transaction.atomic():
        report = PublishedReport.objects.create(
            key=key, organisation_code=config.organisation.code, template_code=template.code, period=key_period,
            unit_code=model.unit_code, version=(previous.version + 1) if previous else 1, public=public,
            correction_note=note, fingerprint=printed, as_of=as_of, round=the_round, published_by=actor_name(actor))
        for format_, name, data in files:
            PublishedFile.objects.create(report=report, format=format_, name=name, media_type=MEDIA_TYPES[format_],
                                         sha256=sha256(data), size=len(data), content=data)
    return published_of(report)


def versions_as_of(period: str, template_code: str | None, language: str, today: date, config):
    """The report with its budget and forecast versions as they stand today, so that a version made later
    (next quarter's forecast) does not alter it. Undated versions count only without a date: then every
    version counts (as_of None), and a later version that the report would take is refused like any change."""
    from .reports import statement_report

    try:
        return today, statement_report(period, None, template_code, language, today, config)
    except ProblemsError:
        return None, statement_report(period, None, template_code, language, None, config)


def find_open_round(period: str, template_code: str | None, config):
    from ..store.models import ReportingRound

    code = config.template(template_code).code if template_code or len(config.templates) == 1 else template_code
    rounds = ReportingRound.objects.filter(period=period)
    return rounds.filter(template_code=code).first() if code else None


def refuse_unapproved(the_round) -> None:
    if the_round is None:
        return
    waiting = [f"{u.unit_code} ({u.status})" for u in the_round.units.all() if u.status != "approved"]
    if waiting:
        raise InvalidTransition(f"the round of {the_round.template_code} {the_round.period} is not approved: "
                                + ", ".join(waiting))


def correction_text(previous, printed: str, note: str) -> str:
    """A first version needs no note; a later one is a correction: it must change something and say what."""
    if previous is None:
        return note.strip()
    if previous.fingerprint == printed:
        raise InvalidTransition(f"{previous.key} version {previous.version} already says exactly this: nothing to correct")
    if not note.strip():
        raise ProblemsError([Problem("--correction-note", f"version {previous.version + 1} of {previous.key} is a "
                                     "correction and must say what it corrects", expected="a note")])
    return document_correction(previous, note, "fi")


def document_correction(previous, note: str, language: str) -> str:
    """What a correction's documents say on their title page and in their colophon (nothing for a first
    version): 'Korjattu versio 2, korvaa version 1: …' in the documents' language."""
    from ..render.i18n import text

    if previous is None:
        return ""
    return text(language, "correction_of", version=previous.version + 1, previous=previous.version, note=note.strip())


def render_all(model, config, template, language: str, today: date,
               correction: str = "") -> list[tuple[str, str, bytes]]:
    """Every published file of the report, rendered once: (format, file name, bytes). A correction's note is
    printed in its documents."""
    from ..render.csv_tables import write_csv_figures

    options = DocumentOptions(status="approved", status_date=today, correction=correction)
    with tempfile.TemporaryDirectory(prefix="katsaus-publish-") as folder:
        out = Path(folder)
        paths = write_documents(model, config, template, out, list(DOCUMENTS), language, options)
        files = [(p.suffix.lstrip("."), p.name, p.read_bytes()) for p in paths]
        files += [("csv", p.name, p.read_bytes()) for p in write_csv_figures(model, out / "csv")]
        files += open_data_files(model, config, template, today, out / "opendata")
    return files


def open_data_files(model, config, template, today: date, out: Path) -> list[tuple[str, str, bytes]]:
    """The open-data package as published (docs/open-data.md), with status approved and the publish date: its
    .zip, and below data/ its files (datapackage.json, README.md, one CSV per resource, so that the descriptor's
    relative paths resolve at the published address) and each resource's rows as JSON."""
    import json

    from ..render.opendata import resource_json
    from ..render.opendata.write import package_files, write_zip
    from .open_data import folder_name, report_package

    package = report_package(model, config, template, status="approved", status_date=today)
    contents = package_files(package)
    root = folder_name(model, config, template)
    out.mkdir(parents=True, exist_ok=True)
    write_zip(contents, out / f"{root}.zip", root)
    files = [("zip", f"{root}.zip", (out / f"{root}.zip").read_bytes())]
    files += [(Path(name).suffix.lstrip("."), f"{DATA}{name}", data) for name, data in contents.items()]
    for resource in package.resources:
        rows = json.dumps(resource_json(package, resource.name), ensure_ascii=False, indent=1) + "\n"
        files.append(("json", data_file(resource.name), rows.encode("utf-8")))
    return files


def data_file(resource: str) -> str:
    """The published name of a resource's JSON rows, which is also its address below the report's."""
    return f"{DATA}{resource}.json"


def list_published(user: Any) -> list[Published]:
    """Every published version the user may read, newest first."""
    from ..store.models import PublishedReport

    reports = PublishedReport.objects.order_by("key", "-version")
    return [published_of(r) for r in reports if is_operator(user) or can_read_report(user, r)]


def get_published(key: str, user: Any, version: int | None = None):
    """A published report by its key (latest version unless asked). NotFound also when the user may not read
    it: a report's existence is not told to someone who may not see it."""
    from ..store.models import PublishedReport

    reports = PublishedReport.objects.filter(key=key)
    report = reports.filter(version=version).first() if version else reports.order_by("-version").first()
    if report is None or not (is_operator(user) or can_read_report(user, report)):
        raise NotFound(f"no published report {key}" + (f" version {version}" if version else ""))
    return report


def published_file(key: str, name_or_format: str, user: Any, version: int | None = None):
    """One stored file of a published report (PublishedFile: name, media_type, sha256, content)."""
    report = get_published(key, user, version)
    found = report.files.filter(name=name_or_format).first() or report.files.filter(format=name_or_format).order_by("id").first()
    if found is None:
        raise NotFound(f"{key} has no file {name_or_format}")
    return found
