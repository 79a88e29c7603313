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

from django.utils import timezone

from ..core.errors import Conflict, NotFound, Problem, Refused, Term
from ..core.periods import Period
from .actors import Actor, actor_name
from .audit import writing
from .documents import DocumentOptions, write_documents
from .errors import PublishedPeriodLocked
from .permissions import can_publish, can_read_report, require
from .reports import Assembled, assemble, fingerprint, stored_config

MAX_NOTE = 2_000

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


def latest_published() -> list[Any]:
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
    changed = [(r.key, r.version) for r in reports
               if fingerprint(r.period, r.unit_code, r.template_code, r.as_of) != r.fingerprint]
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


def published_of(report: Any) -> Published:
    files = tuple((f.format, f.name, f.sha256, f.size) for f in report.files.order_by("id"))
    return Published(report.key, report.version, report.public, report.correction_note, files, report.pk)


def publish_report(actor: Actor, period: str | Period | None = None, template_code: str | None = None,
                   the_round: Any = None, public: bool = False, correction_note: str = "",
                   language: str = "fi") -> Published:
    """Publish the organisation's report of a round (or of a template and period). Raises NotAllowed (not a
    controller), Conflict (a unit of the round is not approved; nothing changed since the last version), Refused
    (bad period, template; a correction without a note)."""
    from ..store.models import PublishedFile, PublishedReport

    require(can_publish(actor), actor, "publish")
    if the_round is not None:
        period, template_code = the_round.period, the_round.template_code
    if period is None:
        raise Refused(Problem("publish.period_missing", key="period"), outcome="outcome.nothing_published")
    the_period = Period.parse(period)
    if len(correction_note) > MAX_NOTE:
        raise Refused(Problem("text.too_long", {"max": MAX_NOTE, "length": len(correction_note)},
                              key="correction-note"), outcome="outcome.nothing_published")
    config = stored_config()
    the_round = the_round or find_open_round(the_period, template_code, config)
    refuse_unapproved(the_round)
    today = timezone.localdate()
    assembled = versions_as_of(the_period, template_code, language, today)
    template = assembled.template
    key = report_key(config.org.code, template.code, the_period.key)
    previous = PublishedReport.objects.filter(key=key).order_by("-version").first()
    printed = fingerprint(the_period, assembled.unit_code, template.code, assembled.as_of)
    note = correction_text(previous, printed, correction_note)
    correction = document_correction(previous, correction_note, language)
    files = render_all(assembled, today, correction)
    with writing(actor):
        report = PublishedReport.objects.create(
            key=key, organisation_code=config.org.code, template_code=template.code, period=the_period.key,
            unit_code=assembled.unit_code, version=(previous.version + 1) if previous else 1, public=public,
            correction_note=note, fingerprint=printed, as_of=assembled.as_of, round=the_round,
            published_by=actor_name(actor))
        for format_, name, data in files:
            PublishedFile.objects.create(report=report, format=format_, name=name, media_type=MEDIA_TYPES[format_],
                                         sha256=sha256(data), size=len(data), content=data)
    return published_of(report)


def versions_as_of(period: Period, template_code: str | None, language: str, today: date) -> Assembled:
    """The report with its budget and forecast versions as they stand today, so that a version made later
    (next quarter's forecast) does not alter it. Undated versions count only without a date: then every
    version counts (as_of None), and a later version that the report would take is refused like any change."""
    try:
        return assemble(period, None, template_code, language, today)
    except Refused:
        return assemble(period, None, template_code, language, None)


def find_open_round(period: Period, template_code: str | None, config: Any) -> Any:
    from ..store.models import ReportingRound

    code = config.template(template_code).code if template_code or len(config.templates) == 1 else template_code
    rounds = ReportingRound.objects.filter(period=period.key)
    return rounds.filter(template_code=code).first() if code else None


def refuse_unapproved(the_round: Any) -> None:
    if the_round is None:
        return
    waiting = [u for u in the_round.units.all() if u.status != "approved"]
    if waiting:
        raise Conflict([Problem("publish.unit_not_approved", {"unit": u.unit_code, "status": Term(f"status.{u.status}"),
                                                              "period": the_round.period}, unit=u.unit_code)
                        for u in waiting], outcome="outcome.nothing_published")


def correction_text(previous: Any, printed: str, note: str) -> str:
    """A first version needs no note; a later one is a correction: it must change something and say what."""
    if previous is None:
        return note.strip()
    if previous.fingerprint == printed:
        raise Conflict(Problem("publish.nothing_to_correct", {"report": previous.key, "version": previous.version}),
                       outcome="outcome.nothing_published")
    if not note.strip():
        raise Refused(Problem("publish.correction_note_missing", {"report": previous.key,
                                                                  "version": previous.version + 1},
                              key="correction-note"), outcome="outcome.nothing_published")
    return document_correction(previous, note, "fi")


def document_correction(previous: Any, note: str, language: str) -> str:
    """What a correction's documents say on their title page and in their colophon (nothing for a first
    version): 'Korjattu versio 2, korvaa version 1: …' in the documents' language."""
    from ..render.i18n import text

    if previous is None:
        return ""
    return text(language, "correction_of", version=previous.version + 1, previous=previous.version, note=note.strip())


def render_all(assembled: Assembled, today: date, correction: str = "") -> list[tuple[str, str, bytes]]:
    """Every published file of the report, rendered once: (format, file name, bytes). A correction's note is
    printed in its documents."""
    from ..render.csv_tables import write_csv_figures

    options = DocumentOptions(status="approved", status_date=today, correction=correction)
    with tempfile.TemporaryDirectory(prefix="katsaus-publish-") as folder:
        out = Path(folder)
        paths = write_documents(assembled, out, list(DOCUMENTS), options)
        files = [(p.suffix.lstrip("."), p.name, p.read_bytes()) for p in paths]
        files += [("csv", p.name, p.read_bytes()) for p in write_csv_figures(assembled.report, out / "csv")]
        files += open_data_files(assembled, today, out / "opendata")
    return files


def open_data_files(assembled: Assembled, today: date, out: Path) -> list[tuple[str, str, bytes]]:
    """The open-data package as published (docs/open-data.md), with status approved and the publish date: its
    .zip, and below data/ its files (datapackage.json, README.md, one CSV per resource, so that the descriptor's
    relative paths resolve at the published address) and each resource's rows as JSON."""
    import json

    from ..render.opendata import resource_json
    from ..render.opendata.write import package_files, write_zip
    from .open_data import folder_name, report_package

    package = report_package(assembled, status="approved", status_date=today)
    contents = package_files(package)
    root = folder_name(assembled)
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


def list_published(actor: Actor) -> list[Published]:
    """Every published version the actor may read, newest first."""
    from ..store.models import PublishedReport

    reports = PublishedReport.objects.order_by("key", "-version")
    return [published_of(r) for r in reports if can_read_report(actor, r)]


def get_published(key: str, actor: Actor, version: int | None = None) -> Any:
    """A published report by its key (latest version unless asked). NotFound also when the actor may not read
    it: a report's existence is not told to someone who may not see it."""
    from ..store.models import PublishedReport

    reports = PublishedReport.objects.filter(key=key)
    report = reports.filter(version=version).first() if version else reports.order_by("-version").first()
    if report is None or not can_read_report(actor, report):
        raise NotFound(Problem("published.not_found", {"report": key, "version": version}))
    return report


def round_versions(the_round: Any) -> list[Any]:
    """The versions published from a round, newest first."""
    return list(the_round.published.order_by("-version"))


def published_versions(report: Any) -> list[Any]:
    """Every version of a published report, newest first (the reader may read one, so they may see the list)."""
    return list(type(report).objects.filter(key=report.key).order_by("-version"))


def published_files(report: Any) -> list[Any]:
    """The stored files of a published version, by format and name (without their content)."""
    return list(report.files.order_by("format", "name").only("format", "name", "sha256", "size", "media_type"))


def published_file(key: str, name_or_format: str, actor: Actor, version: int | None = None) -> Any:
    """One stored file of a published report (PublishedFile: name, media_type, sha256, content)."""
    report = get_published(key, actor, version)
    found = report.files.filter(name=name_or_format).first() or report.files.filter(format=name_or_format).order_by("id").first()
    if found is None:
        raise NotFound(Problem("published.file_not_found", {"report": key, "file": name_or_format[:200]}))
    return found
