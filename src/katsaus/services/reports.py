"""The report of stored data: one computation, read by the CLI (report, check), the web's unit pages and
publishing alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.errors import Problem, ProblemsError
from ..core.periods import Period


def parse_period(text: str | Period, option: str = "--period") -> Period:
    if isinstance(text, Period):
        return text
    from .errors import Refused

    try:
        return Period.parse(text)
    except ValueError as exc:
        raise Refused([Problem(option, str(exc), expected="YYYY-MM", found=str(text))], what="nothing was done") from None


def period_key(period: Period) -> str:
    return f"{period.year}-{period.month:02d}"


def stored_config():
    """The loaded configuration; Refused ("nothing was done") when there is none or it is unusable."""
    from ..config import ConfigError
    from ..store.repository import load_config
    from .errors import Refused

    try:
        return load_config()
    except ConfigError as exc:
        raise Refused(exc.problems, exc.omitted, "nothing was done") from None


def statement_report(period: str | Period, unit: str | None, template_code: str | None = None, language: str = "fi",
                     as_of: date | None = None, config=None):
    """The statement report (figures only) of a unit; the organisation's top unit when `unit` is None.
    Returns (config, template, report). ProblemsError names what cannot be computed."""
    from ..core.statement import ReportError, build_report
    from ..store.repository import DbFacts

    the_period = parse_period(period)
    config = config or stored_config()
    org = config.organisation
    code = unit or org.roots()[0]
    try:
        template = config.template(template_code)
        scheme = config.scheme(template.scheme)
        report = build_report(org, scheme, template, the_period, code, DbFacts(), language, as_of)
    except (ReportError, KeyError) as exc:
        from .errors import Refused

        raise Refused([Problem("report", str(exc).strip('"'))], what="nothing was done") from None
    return config, template, report


def full_report(period: str | Period, unit: str | None, template_code: str | None = None, language: str = "fi",
                as_of: date | None = None, config=None):
    """The statement report with the stored content attached (what checks, renderers and unit pages read)."""
    from ..core.content import attach_content
    from ..store.content import load_content

    config, template, report = statement_report(period, unit, template_code, language, as_of, config)
    return attach_content(report, load_content(), config.organisation, config.scheme(template.scheme), template)


def findings(period: str | Period, unit: str | None, template_code: str | None = None, as_of: date | None = None,
             printed: tuple[Path, ...] = ()):
    """Every consistency rule over the unit's report, and each printed table's cells against it (`check --printed`):
    core.checks.Finding tuples."""
    from ..core.checks import run_checks
    from ..render.csv_tables import printed_findings

    model = full_report(period, unit, template_code, as_of=as_of)
    return run_checks(model) + tuple(finding for path in printed for finding in printed_findings(model, path))


# --- tables and documents ------------------------------------------------------------------------------------

FORMATS = ("csv", "tables", "xlsx", "html", "pdf", "docx", "datapackage")
DOCUMENT_FORMATS = ("xlsx", "html", "pdf", "docx")  # the published documents (docs/documents.md)


@dataclass(frozen=True)
class DocumentOptions:
    docx_template: Path | None = None
    status: str = "draft"
    status_date: date | None = None
    correction: str = ""  # a published correction's note (services.publish), in the document's language


def report_option_problems(wanted: list[str], language: str, options: DocumentOptions) -> list[Problem]:
    problems = []
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        problems.append(Problem("--format", "unknown format", expected=", ".join(FORMATS), found=",".join(unknown)))
    if language not in ("fi", "sv"):
        problems.append(Problem("--language", "unknown language", expected="fi, sv", found=language))
    if options.status not in ("draft", "approved"):
        problems.append(Problem("--status", "unknown status", expected="draft, approved", found=options.status))
    if options.docx_template is not None and not options.docx_template.is_file():
        problems.append(Problem("--docx-template", "no such file", expected="a .docx file", found=str(options.docx_template)))
    return problems


def ledger_gap_warning(period: Period) -> str | None:
    """Months of the period the ledger holds nothing for (after its first month with entries), said once."""
    from ..forecast.series import missing_months
    from ..store.repository import DbFacts

    # months before the first month with entries are not warned about: a ledger that books the year in
    # December (or a county that started in April) is not missing them
    missing = missing_months(DbFacts(), period)
    held = [m for m in range(1, period.month + 1) if m not in missing]
    missing = [m for m in missing if not held or m > held[0]]
    if not missing:
        return None
    return (f"the ledger holds no entries for {month_list(missing)} of {period.year}: the actual to date "
            f"counts {'it' if len(missing) == 1 else 'them'} as nothing")


def month_list(months: list[int]) -> str:
    """[1, 2, 3, 5] -> 'months 1–3, 5'."""
    runs: list[list[int]] = []
    for m in months:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return ("month " if len(months) == 1 else "months ") + ", ".join(parts)


def write_report_files(model, config, template, out_dir: Path, wanted: list[str], language: str,
                       options: DocumentOptions, written: list[Path] | None = None) -> list[Path]:
    """Write the asked tables and documents of a computed report into `out_dir` (which exists), appending to
    `written` as it goes. OSError when a file cannot be written; ProblemsError when a document cannot be made
    (a narrative naming no figure)."""
    from ..render import write_csv_tables, write_xlsx

    written = [] if written is None else written
    if "datapackage" in wanted:  # first: a package that cannot be valid stops the command before any file
        from .open_data import write_report_datapackage

        written += write_report_datapackage(model, config, template, out_dir, options.status, options.status_date,
                                            software_name())
    if "csv" in wanted:
        written += write_csv_tables(model, out_dir)
    if "tables" in wanted:
        written.append(write_xlsx(model, out_dir / "taulukot.xlsx"))
    documents = [f for f in wanted if f in DOCUMENT_FORMATS]
    if documents:
        written += write_documents(model, config, template, out_dir, documents, language, options)
    return written


def write_documents(model, config, template, out_dir: Path, formats: list[str], language: str, options: DocumentOptions) -> list[Path]:
    """The published documents of a computed report: its stored content attached, chart series computed, one
    document model, each format rendered from it (docs/documents.md)."""
    from ..core.document import build_document
    from ..core.series import build_series
    from ..store.repository import DbFacts

    model = with_stored_content(model, config, template)
    model = with_forecast_basis(model, config, template, language)
    scheme = config.scheme(template.scheme)
    series = build_series(config.organisation, scheme, template, model, DbFacts(), language=language)
    document = build_document(
        model, template, series, language, options.status, options.status_date, document_sources(model), software_name(),
        options.correction,
    )
    top = config.organisation.roots() == (model.unit_code,)
    base = out_dir / document_name(template.code, model.period_month, model.period_year, language,
                                   None if top else model.unit_code)
    return render_documents(document, base, formats, options.docx_template)


def render_documents(document, base: Path, formats: list[str], docx_template: Path | None = None) -> list[Path]:
    from ..render.charts import render_charts

    written: list[Path] = []
    # Each chart is drawn once, into every image format the asked documents need (SVG: web page, PDF; PNG: Word).
    kinds = (("svg",) if {"html", "pdf"} & set(formats) else ()) + (("png",) if "docx" in formats else ())
    charts = render_charts(document, kinds) if kinds else {}
    if "html" in formats:
        from ..render.html import write_html

        written.append(write_html(document, base.with_suffix(".html"), charts))
    if "pdf" in formats:
        from ..render.pdf import write_pdf

        written.append(write_pdf(document, base.with_suffix(".pdf"), charts))
    if "docx" in formats:
        from ..render.docx import write_docx

        written.append(write_docx(document, base.with_suffix(".docx"), charts, docx_template))
    if "xlsx" in formats:
        from ..render.xlsx_report import write_xlsx_report

        written.append(write_xlsx_report(document, base.with_suffix(".xlsx")))
    return written


def document_name(template_code: str, month: int, year: int, language: str, unit: str | None = None) -> str:
    """"osavuosikatsaus-1-6-2025" (Finnish), "osavuosikatsaus-1-6-2025-sv" (Swedish); a unit below the top of the
    organisation adds its code, so the reports of several units can share a folder:
    "osavuosikatsaus-1-6-2025-pesova-ls"."""
    own = f"-{unit.lower()}" if unit else ""
    return f"{template_code}-1-{month}-{year}{own}" + ("" if language == "fi" else f"-{language}")


def with_stored_content(model, config, template):
    """The report with the stored goals, key results, balancing programme and narratives."""
    from ..core.content import attach_content
    from ..store.content import load_content

    return attach_content(model, load_content(), config.organisation, config.scheme(template.scheme), template)


def with_forecast_basis(model, config, template, language: str):
    """The report with where its forecast figures came from: the forecast version of the period's year that the
    report's columns use (a template shows it with a `forecast_basis` part)."""
    from dataclasses import replace

    from ..core.forecast_basis import build_forecast_basis
    from ..store.forecasts import basis_figures

    shown = any(part.kind == "forecast_basis" for section in template.document_sections() for part in section.parts)
    version = next((v for v in model.versions if v.kind == "forecast" and v.year == model.period_year), None)
    if not shown or version is None:
        return model
    basis = build_forecast_basis(version.name, version.year, version.author, basis_figures(version.name),
                                 config.organisation, config.scheme(template.scheme), model.unit_code,
                                 Period(model.period_year, model.period_month).end, language)
    return replace(model, forecast_basis=basis)


def document_sources(model):
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


def software_name() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"Katsaus {version('katsaus')}"
    except PackageNotFoundError:
        return "Katsaus"


def write_report(period: str, unit: str, out_dir: Path, formats: str, template_code: str | None, language: str,
                 options: DocumentOptions | None = None, as_of: date | None = None):
    """Compute the report of a unit for a period and write its tables and documents. Returns
    Outcome(lines=[], warnings, value=[paths written]); Refused says what was (not) written."""
    from ..core.statement import ReportError, build_report
    from ..render import write_csv_tables  # noqa: F401  (the renderers load before any file is written)
    from ..store.repository import DbFacts
    from .errors import Outcome, Refused

    options = options or DocumentOptions()
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    problems = report_option_problems(wanted, language, options)
    if problems:
        raise Refused(problems, what="nothing was written")
    try:
        the_period = Period.parse(period)
    except ValueError as exc:
        raise Refused([Problem("--period", str(exc), expected="YYYY-MM", found=period)], what="nothing was written") from None
    config = stored_config()
    try:
        template = config.template(template_code)
        model = build_report(config.organisation, config.scheme(template.scheme), template, the_period, unit, DbFacts(), language, as_of)
    except (ReportError, KeyError) as exc:
        raise Refused([Problem("report", str(exc).strip('"'))], what="nothing was written") from None
    warnings = list(model.warnings)
    gap = ledger_gap_warning(the_period)
    if gap:
        warnings.append(gap)
    require_out_dir(out_dir)
    written: list[Path] = []
    try:
        written = write_report_files(model, config, template, out_dir, wanted, language, options, written)
    except OSError as exc:  # a folder where a file should go, no permission, a full disk
        done = f"; written before it: {', '.join(p.name for p in written)}" if written else ""
        raise Refused([Problem("--out", "a file of the report cannot be written", expected="a writable file in the folder",
                               found=f"{exc.filename or out_dir} ({exc.strerror or exc})")],
                      what=f"the report is incomplete{done}") from None
    except ProblemsError as exc:  # a narrative naming a figure that does not exist; an invalid package value
        raise Refused(exc.problems, exc.omitted, what="the documents were not written") from None
    return Outcome([], warnings, written)


def require_out_dir(out_dir: Path, option: str = "--out") -> None:
    """Make the output folder, or say why it cannot be (a file of that name, no permission)."""
    from .errors import Refused

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = "a file of that name exists" if isinstance(exc, FileExistsError) else exc.strerror
        raise Refused([Problem(option, "not a folder the files can be written to", expected="a folder (made if missing)",
                               found=f"{out_dir} ({why})")], what="nothing was written") from None


def write_content_outputs(period: str, unit: str | None, out_dir: Path, template_code: str | None = None,
                          as_of: date | None = None) -> list[Path]:
    """The content tables, the narratives page and the findings (tarkistukset.json) of one report."""
    import json

    from ..core.checks import run_checks
    from ..render.content_tables import write_content_tables
    from ..render.narratives import NarrativeError, write_narratives
    from .errors import Refused

    try:
        report = full_report(period, unit, template_code, as_of=as_of)
    except ProblemsError as exc:
        raise Refused(exc.problems, exc.omitted, "nothing was done") from None
    require_out_dir(out_dir / "tables")
    written = write_content_tables(report, out_dir / "tables")
    found = run_checks(report)
    text = json.dumps({"findings": [f.as_dict() for f in found]}, ensure_ascii=False, indent=2) + "\n"
    try:
        written.append(write_narratives(report, out_dir / "kertomukset.html"))
    except NarrativeError as exc:  # a reference to a figure that does not exist: name it, write the findings anyway
        (out_dir / "tarkistukset.json").write_text(text, encoding="utf-8")
        raise Refused(exc.problems, what="the narratives were not written") from None
    path = out_dir / "tarkistukset.json"
    path.write_text(text, encoding="utf-8")
    return [*written, path]
