"""The tables and documents written from an assembled report (services.reports.assemble): `katsaus report`, the
content outputs and findings of `katsaus content render`, and the documents publishing freezes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import Note, Problem, Refused
from .errors import Outcome
from .reports import LANGUAGES, Assembled, assemble, document_of

if TYPE_CHECKING:
    from ..core.document import Document, Status

FORMATS = ("csv", "tables", "xlsx", "html", "pdf", "docx", "datapackage")
DOCUMENT_FORMATS = ("xlsx", "html", "pdf", "docx")  # the published documents (docs/documents.md)
STATUSES = ("draft", "approved")


@dataclass(frozen=True)
class DocumentOptions:
    docx_template: Path | None = None
    status: str = "draft"  # checked by report_option_problems
    status_date: date | None = None
    correction: str = ""  # a published correction's note (services.publish), in the document's language


def report_option_problems(wanted: list[str], language: str, options: DocumentOptions) -> list[Problem]:
    problems = []
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        problems.append(Problem("report.format_unknown", {"allowed": FORMATS}, key="format", found=",".join(unknown)))
    if language not in LANGUAGES:
        problems.append(Problem("report.language_unknown", {"allowed": LANGUAGES}, key="language", found=language))
    if options.status not in STATUSES:
        problems.append(Problem("report.status_unknown", {"allowed": STATUSES}, key="status", found=options.status))
    if options.docx_template is not None and not options.docx_template.is_file():
        problems.append(Problem("report.docx_template_missing", key="docx-template", found=str(options.docx_template)))
    return problems


def write_report_files(assembled: Assembled, out_dir: Path, wanted: list[str], options: DocumentOptions,
                       written: list[Path] | None = None) -> list[Path]:
    """Write the asked tables and documents of an assembled report into `out_dir` (which exists), appending to
    `written` as it goes. OSError when a file cannot be written; Refused when a document cannot be made (a
    narrative naming no figure)."""
    from ..render import write_csv_tables, write_xlsx

    written = [] if written is None else written
    if "datapackage" in wanted:  # first: a package that cannot be valid stops the command before any file
        from .open_data import write_report_datapackage

        written += write_report_datapackage(assembled, out_dir, options.status, options.status_date)
    if "csv" in wanted:
        written += write_csv_tables(assembled.report, out_dir)
    if "tables" in wanted:
        written.append(write_xlsx(assembled.report, out_dir / "taulukot.xlsx"))
    documents = [f for f in wanted if f in DOCUMENT_FORMATS]
    if documents:
        written += write_documents(assembled, out_dir, documents, options)
    return written


def write_documents(assembled: Assembled, out_dir: Path, formats: Sequence[str],
                    options: DocumentOptions) -> list[Path]:
    """The published documents of an assembled report, each format rendered from one document model
    (docs/documents.md)."""
    status: Status = "approved" if options.status == "approved" else "draft"
    document = document_of(assembled, status, options.status_date, options.correction)
    report = assembled.report
    base = out_dir / document_name(assembled.template.code, report.period.month, report.period.year,
                                   assembled.language, None if assembled.is_top else report.unit_code)
    return render_documents(document, base, formats, options.docx_template)


def render_documents(document: Document, base: Path, formats: Sequence[str],
                     docx_template: Path | None = None) -> list[Path]:
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


def write_report(period: str, unit: str | None, out_dir: Path, formats: str, template_code: str | None,
                 language: str, options: DocumentOptions | None = None, as_of: date | None = None) -> Any:
    """Compute the report of a unit for a period and write its tables and documents. Returns an Outcome whose
    value is the paths written; Refused says what was (not) written."""
    options = options or DocumentOptions()
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    problems = report_option_problems(wanted, language, options)
    if problems:
        raise Refused(problems, outcome="outcome.nothing_written")
    try:
        assembled = assemble(period, unit, template_code, language, as_of)
    except Refused as exc:
        raise exc.with_outcome("outcome.nothing_written") from None
    require_out_dir(out_dir)
    written: list[Path] = []
    try:
        written = write_report_files(assembled, out_dir, wanted, options, written)
    except OSError as exc:  # a folder where a file should go, no permission, a full disk
        raise Refused(Problem("report.file_unwritable", {"reason": exc.strerror or str(exc)}, key="out",
                              found=str(exc.filename or out_dir)),
                      outcome=Note("outcome.report_incomplete_after", {"written": tuple(p.name for p in written)})
                      if written else "outcome.report_incomplete") from None
    except Refused as exc:  # a narrative naming a figure that does not exist; an invalid package value
        raise exc.with_outcome("outcome.documents_not_written") from None
    return Outcome(warnings=list(assembled.warnings), value=written)


def require_out_dir(out_dir: Path, key: str = "out") -> None:
    """Make the output folder, or say why it cannot be (a file of that name, no permission)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = "exists" if isinstance(exc, FileExistsError) else exc.strerror or str(exc)
        raise Refused(Problem("report.folder_unusable", {"reason": reason}, key=key, found=str(out_dir)),
                      outcome="outcome.nothing_written") from None


def write_content_outputs(period: str, unit: str | None, out_dir: Path, template_code: str | None = None,
                          as_of: date | None = None) -> list[Path]:
    """The content tables, the narratives page and the findings (tarkistukset.json) of one report."""
    import json

    from ..render.content_tables import write_content_tables
    from ..render.narratives import write_narratives

    assembled = assemble(period, unit, template_code, as_of=as_of)
    require_out_dir(out_dir / "tables")
    written = write_content_tables(assembled.report, out_dir / "tables")
    text = json.dumps({"findings": [finding_json(f, assembled.language) for f in assembled.findings]},
                      ensure_ascii=False, indent=2) + "\n"
    path = out_dir / "tarkistukset.json"
    try:
        written.append(write_narratives(assembled.report, out_dir / "kertomukset.html"))
    except Refused as exc:  # a reference to a figure that does not exist: name it, write the findings anyway
        path.write_text(text, encoding="utf-8")
        raise exc.with_outcome("outcome.narratives_not_written") from None
    path.write_text(text, encoding="utf-8")
    return [*written, path]


def finding_json(finding: Problem, language: str = "fi") -> dict[str, Any]:
    """A finding as data (tarkistukset.json, `katsaus check --format json`): its code and rule, severity, the text and
    what was expected in the reader's language, every part of its location ("" where it has none), the passage of
    text it is about, what was found, and its parameters as the reader reads them."""
    from ..core.checks import rule_of
    from ..render.messages import param_text, shown

    view = shown(finding, language)
    return {"code": finding.code, "rule": rule_of(finding), "severity": finding.severity, "message": view.text,
            "expected": view.expected, "unit": view.unit, "table": view.table, "row": view.row, "column": view.column,
            "file": view.file, "sheet": view.sheet, "key": view.key, "passage": view.passage, "found": view.found,
            "params": {k: param_text(v, language) for k, v in finding.params.items()}}
