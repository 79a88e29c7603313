"""The report of stored data, assembled once: the one computation behind every page, command and file.

`assemble(period, unit, template, language, as_of)` turns the stored facts into the report model of a template,
period and unit: its statements, its content (goals, key results, balancing, narratives), its forecast basis,
its chart series, its sources, its consistency findings and warnings, and its (draft) document. The unit page,
the round page, the forecast page, `katsaus report`, `katsaus check`, publishing and the open-data package all
take it from here, so that a page and the published report cannot disagree. It is kept (services.cache) while
the data it was computed from stands; every write clears it (services.audit.writing).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import Problem, Refused
from ..core.periods import Period
from ..store.generations import CONTENT, FIGURES, unit_kind
from .cache import data_key, memo, shared

if TYPE_CHECKING:
    from ..config.load import Config
    from ..core.content import Content
    from ..core.document import Document, Source, Status
    from ..core.model import Report
    from ..core.series import SeriesSet
    from ..core.template import Template
    from ..store.repository import DbFacts

LANGUAGES = ("fi", "sv")
_CONFIGS = memo(4)
_CONTENTS = memo(4)
_FACTS = memo(2)
_STATEMENTS = memo(512)
_REPORTS = memo(512)
_FINGERPRINTS = memo(64)


# --- the stored configuration and content ----------------------------------------------------------------------


def stored_config() -> Config:
    """The configuration loaded into the database, validated again as when it was loaded; Refused when there is
    none or it is unusable."""
    return _CONFIGS.get(("config", data_key(FIGURES)), _read_config)


def _read_config() -> Config:
    from ..config.load import Document as ConfigDocument
    from ..config.load import build_config
    from ..store.repository import stored_documents

    documents = [ConfigDocument(d.name, d.kind, d.content) for d in stored_documents()]
    if not any(d.kind == "organisation" for d in documents):
        raise Refused(Problem("configuration.not_loaded"), outcome="outcome.nothing_done")
    config, problems = build_config(documents)
    if problems:
        raise Refused(problems, outcome="outcome.nothing_done")
    return config


def report_kinds(config: Config, unit: str) -> tuple[str, ...]:
    """The kinds of stored data a report of `unit` shows (store.generations): the figures, the content every report
    reads, and the texts and entries of each unit it shows (itself and the units below it)."""
    return (FIGURES, CONTENT, *(unit_kind(u) for u in config.org.descendants(unit)))


def stored_content(units: tuple[str, ...]) -> Content:
    """The goals, key results, balancing measures and narratives of `units` (and what every report reads), with
    their histories."""
    from ..store.content import load_content

    key = ("content", units, data_key(CONTENT, *(unit_kind(u) for u in units)))
    return _CONTENTS.get(key, lambda: load_content(units))


def stored_facts() -> DbFacts:
    """The stored figures, read once while they stand; what is derived from them (each unit's own values, month
    by month) is computed once for every process of the application (services.cache.Shared)."""
    from ..store.repository import DbFacts
    from .cache import Shared

    key = data_key(FIGURES)
    return _FACTS.get(("facts", key), lambda: DbFacts(derived=Shared(f"facts|{key!r}")))


# --- the assembly ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assembled:
    """A report of stored data for a template, period and unit, with everything its readers are shown."""

    config: Config
    template: Template
    period: Period
    language: str
    as_of: date | None
    report: Report                    # figures, content and forecast basis
    series: SeriesSet                 # the charts' monthly series
    sources: tuple[Source, ...]       # the imported files the figures come from
    findings: tuple[Problem, ...]     # every consistency rule over the report (core.checks)
    warnings: tuple[Problem, ...]     # what the computation left out or could not know
    document: Document                # the draft document the pages show

    @property
    def unit_code(self) -> str:
        return self.report.unit_code

    @property
    def is_top(self) -> bool:
        """The organisation's own report (not a unit's below it)."""
        return self.config.org.roots() == (self.report.unit_code,)


def assemble(period: str | Period, unit: str | None = None, template_code: str | None = None,
             language: str = "fi", as_of: date | None = None) -> Assembled:
    """The report of `unit` (default: the organisation's top unit) for a period in a language, with the budget
    and forecast versions as they stood on `as_of` (default: all). Refused (with what cannot be computed)."""
    the_period = Period.parse(period)
    if language not in LANGUAGES:
        raise Refused(Problem("report.language_unknown", {"allowed": LANGUAGES}, key="language", found=language))
    config = stored_config()
    template = config.template(template_code).code  # one key for "the only template" and its name
    code = unit or config.org.roots()[0]
    key = ("report", the_period, code, template, language, as_of, data_key(*report_kinds(config, code)))
    # kept in this process, and for the others (a gunicorn worker that has not computed it reads it); shared
    # without the configuration, which every process has already (a county's is most of a unit's report)
    return _REPORTS.get(key, lambda: with_config(shared(key, lambda: without_config(
        _assemble(the_period, code, template, language, as_of))), config))


def without_config(assembled: Assembled) -> Assembled:
    return replace(assembled, config=None, template=None)  # type: ignore[arg-type]  # with_config puts them back


def with_config(assembled: Assembled, config: Config) -> Assembled:
    return replace(assembled, config=config, template=config.template(assembled.report.template_code))


def _assemble(period: Period, unit: str, template_code: str, language: str, as_of: date | None) -> Assembled:
    from ..core.checks import run_checks
    from ..core.content import attach_content
    from ..core.document import build_document

    config = stored_config()
    template = config.template(template_code)
    statement, series = statement_of(period, unit, template_code, language, as_of)
    content = stored_content(config.org.descendants(unit))
    report = attach_content(statement, content, config.org, config.scheme(template.scheme), template)
    report = with_forecast_basis(report, config, template, language)
    sources = document_sources(report)
    document = build_document(report, template, series, language, "draft", None, sources, software_name())
    warnings = tuple(report.warnings) + tuple(ledger_gap(period))
    findings = tuple(run_checks(report)) + unexplained_deviations(report, template, period)
    return Assembled(config, template, period, language, as_of, report, series, sources, findings, warnings,
                     document)


def statement_of(period: Period, unit: str, template_code: str, language: str,
                 as_of: date | None) -> tuple[Report, SeriesSet]:
    """The report's figures and chart series: kept while the figures stand (texts and entries change more often,
    and a new text needs no new sums)."""
    key = ("statement", period, unit, template_code, language, as_of, data_key(FIGURES))
    return _STATEMENTS.get(key, lambda: _statement(period, unit, template_code, language, as_of))


def _statement(period: Period, unit: str, template_code: str, language: str,
               as_of: date | None) -> tuple[Report, SeriesSet]:
    from ..core.series import build_series
    from ..core.statement import build_report

    config = stored_config()
    org = config.org
    template = config.template(template_code)
    scheme = config.scheme(template.scheme)
    facts = stored_facts()
    statement = build_report(org, scheme, template, period, unit, facts, language, as_of)
    return statement, build_series(org, scheme, template, statement, facts, language=language)


def unexplained_deviations(report: Report, template: Template, period: Period) -> tuple[Problem, ...]:
    """A warning for each line of a unit whose forecast differs from its budget by more than the template's
    threshold and has no stored explanation (the unit page asks for one)."""
    from ..core.deviations import Threshold, lines_needing_explanation, missing_explanations
    from ..store.models import DeviationExplanation

    threshold = Threshold(template.deviation_threshold_percent, template.deviation_threshold_cents)
    if not threshold.applies:
        return ()
    latest: dict[tuple[str, str], str] = {}
    rows = DeviationExplanation.objects.filter(template_code=template.code, period=period.key).order_by("id")
    for unit_code, line_code, text in rows.values_list("unit_code", "line_code", "text"):
        latest[unit_code, line_code] = text
    found: list[Problem] = []
    for unit_code in dict.fromkeys(t.unit_code for t in report.tables):
        needed = lines_needing_explanation(report, unit_code, threshold)
        explained = {line for (unit, line), text in latest.items() if unit == unit_code and text}
        found += missing_explanations(needed, explained, unit_code)
    return tuple(found)


def document_of(assembled: Assembled, status: Status = "draft", status_date: date | None = None,
                correction: str = "") -> Document:
    """The report's document with a status on its title page (the draft one is assembled already)."""
    from ..core.document import build_document

    if status == "draft" and status_date is None and not correction:
        return assembled.document
    return build_document(assembled.report, assembled.template, assembled.series, assembled.language, status,
                          status_date, assembled.sources, software_name(), correction)


def unit_source(period: str | Period, template_code: str | None, unit_code: str, language: str = "fi") -> Assembled:
    """The report a unit's figures are read from: the organisation's (the one published) when its document has
    a section of the unit, else the unit's own. Which it is, the template and the organisation tree say: the
    organisation's report is not computed to find out (it reads every unit's texts, and any of them changes)."""
    config = stored_config()
    top = config.org.roots()[0]
    in_top = unit_code == top or unit_code in top_section_units(config, template_code)
    return assemble(period, None if in_top else unit_code, template_code, language)


def top_section_units(config: Config, template_code: str | None) -> set[str]:
    """The units the organisation's document has sections of, from the template and the organisation tree."""
    from ..core.document import units_of_section

    top = config.org.roots()[0]
    return {unit for spec in config.template(template_code).document_sections()
            for unit in units_of_section(spec, top, lambda: config.org.children(top))}


def unit_findings(assembled: Assembled, unit_code: str) -> tuple[Problem, ...]:
    """The findings of the report about one unit (named by its code or by the name the report prints)."""
    names = {unit_code, assembled.config.org.unit(unit_code).name(assembled.language)}
    return tuple(f for f in assembled.findings if f.unit in names)


def findings(period: str | Period, unit: str | None = None, template_code: str | None = None,
             as_of: date | None = None, printed: Sequence[Path] = ()) -> tuple[Problem, ...]:
    """Every consistency rule over the unit's report, and each printed table's cells against it (`check
    --printed`)."""
    from ..render.csv_tables import printed_findings

    assembled = assemble(period, unit, template_code, as_of=as_of)
    return assembled.findings + tuple(f for path in printed for f in printed_findings(assembled.report, path))


def fingerprint(period: str | Period, unit_code: str, template_code: str, as_of: date | None) -> str:
    """SHA-256 of what a report says: its figures (plain numbers), content tables and narrative texts."""
    kinds = report_kinds(stored_config(), unit_code)
    return _FINGERPRINTS.get(("fingerprint", Period.parse(period), unit_code, template_code, as_of, data_key(*kinds)),
                             lambda: _fingerprint(assemble(period, unit_code, template_code, as_of=as_of).report))


def _fingerprint(report: Report) -> str:
    import tempfile

    from ..render.content_tables import write_content_tables
    from ..render.csv_tables import write_csv_figures

    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory(prefix="katsaus-fingerprint-") as folder:
        paths = write_csv_figures(report, Path(folder) / "figures") + write_content_tables(report, Path(folder) / "content")
        for path in sorted(paths):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for result in sorted(report.narratives, key=lambda n: (n.narrative.unit_code, n.narrative.section)):
        n = result.narrative
        digest.update(f"{n.unit_code}\0{n.section}\0{n.title}\0{n.markdown}\0".encode())
    return digest.hexdigest()


# --- parts of the assembly ------------------------------------------------------------------------------------


def with_forecast_basis(model: Report, config: Config, template: Template, language: str) -> Report:
    """The report with where its forecast figures came from: the forecast version of the period's year that the
    report's columns use (a template shows it with a `forecast_basis` part)."""
    from ..core.forecast_basis import build_forecast_basis
    from ..store.forecasts import basis_figures

    shown = any(part.kind == "forecast_basis" for section in template.document_sections() for part in section.parts)
    version = next((v for v in model.versions if v.kind == "forecast" and v.year == model.period.year), None)
    if not shown or version is None:
        return model
    basis = build_forecast_basis(version.name, version.year, version.author, basis_figures(version.name),
                                 config.org, config.scheme(template.scheme), model.unit_code,
                                 model.period.end, language)
    return replace(model, forecast_basis=basis)


def document_sources(model: Report) -> tuple[Source, ...]:
    """The imported files the figures come from: every ledger import, and the plan versions the report uses."""
    from ..core.document import Source
    from ..store.repository import current_plan_batches, import_log

    used = {v.name for v in model.versions}
    current = current_plan_batches(used)  # a write whose figures were all replaced since is not a source
    sources = []
    for batch in import_log():
        if (batch.kind != "ledger" and batch.id not in current) or batch.replaced_by_id is not None:
            continue
        version = batch.version.name if batch.version is not None else None
        name = batch.file_name if version is None else f"{version} ({batch.file_name})"
        sources.append(Source(batch.kind, name, batch.rows, batch.imported_at.date().isoformat(), batch.checksum[:12]))
    return tuple(sources)


def ledger_gap(period: Period) -> list[Problem]:
    """Months of the period the ledger holds nothing for (after its first month with entries), said once."""
    from ..forecast.series import missing_months

    # months before the first month with entries are not warned about: a ledger that books the year in
    # December (or a county that started in April) is not missing them
    missing = missing_months(stored_facts(), period)
    held = [m for m in range(1, period.month + 1) if m not in missing]
    missing = [m for m in missing if not held or m > held[0]]
    if not missing:
        return []
    return [Problem("report.ledger_gap", {"months": tuple(missing), "year": period.year}, severity="warning")]


def software_name() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"Katsaus {version('katsaus')}"
    except PackageNotFoundError:
        return "Katsaus"
