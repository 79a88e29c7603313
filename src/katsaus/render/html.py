"""The document as one self-contained, accessible web page (and the HTML that WeasyPrint turns into the PDF).

Self-contained: the stylesheet is inlined and the charts are inline SVG, so the page makes no request to any other
host. Accessible: `lang`, landmarks, a skip link, one h1 and ordered headings, tables with captions and
`<th scope>` headers, charts named by a title and described by their key figures (WCAG 2.1 AA, Act 306/2019).
The page is responsive (tables scroll sideways on a phone) and has a print stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from katsaus.core.document import ChartPart, Document, NarrativePart, Section, Source
from katsaus.core.model import VersionInfo
from katsaus.render.charts import RenderedChart, render_charts
from katsaus.render.i18n import CATALOGUE, html_lang, language_of, text
from katsaus.render.presented import TextTable, default_heading, text_tables

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("katsaus.render", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,  # a misspelt variable is an error, not an empty string in a public document
        trim_blocks=True,
        lstrip_blocks=True,
    )


# --- view ----------------------------------------------------------------------------------------------------


@dataclass
class TableView:
    id: str
    css: str
    caption: str
    header: tuple[str, ...]
    numeric: tuple[bool, ...]
    numeric_header: tuple[bool, ...]
    rows: tuple[Any, ...]
    footnotes: tuple[str, ...]


@dataclass
class PartView:
    kind: str
    heading: str | None = None
    style: str = "normal"
    html: str = ""
    tables: list[TableView] = field(default_factory=list)
    key: str = ""
    svg: str = ""
    img: str = ""
    alt: str = ""
    caption: str = ""


CSS_CLASS = {"statement": "statement", "goals": "goals", "key_results": "key-results", "balancing": "balancing",
             "forecast_basis": "forecast-basis"}


def table_view(table: TextTable, language: str) -> TableView:
    return TableView(
        id=f"taulukko-{table.number}",
        css=CSS_CLASS[table.kind],
        caption=table.numbered_caption(language),
        header=table.header,
        numeric=table.numeric,
        numeric_header=(False, *table.numeric),
        rows=table.rows,
        footnotes=table.footnotes,
    )


def narrative_html(part: NarrativePart, document: Document) -> str:
    from katsaus.render.narratives import narrative_html as render

    return render(part.narrative, document.conventions)


def part_view(part: Any, document: Document, charts: dict[int, RenderedChart], pdf: bool) -> PartView:
    language = document.language
    view = PartView(part.kind, default_heading(part, language), getattr(part, "style", "normal"))
    if isinstance(part, NarrativePart):
        view.html = narrative_html(part, document)
    elif isinstance(part, ChartPart):
        chart = charts[part.number]
        view.key = part.key
        view.alt = chart.alt
        view.caption = f"{text(language, 'figure_n', n=part.number)} {chart.title}"
        # The PDF takes the chart as an image with alt text (WeasyPrint tags it as a Figure with /Alt);
        # the page takes the SVG inline, named by its <title> and described by its <desc>.
        if pdf:
            view.img = chart.svg_data_uri
        else:
            view.svg = chart.svg
    else:
        view.tables = [table_view(t, language) for t in text_tables(part, document)]
    return view


class TocEntry(TypedDict):
    """A line of the table of contents: a section, and the sections under it."""

    anchor: str
    number: str
    title: str
    children: list[TocEntry]


def toc_entries(sections: tuple[Section, ...]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for section in sections:
        entry: TocEntry = {"anchor": section.anchor, "number": section.number, "title": section.title, "children": []}
        if section.level == 2 and entries:
            entries[-1]["children"].append(entry)
        else:
            entries.append(entry)
    return entries


def day(value: date | str | None, language: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, format="d.M.yyyy", locale=language_of(language))


def status_text(document: Document) -> str:
    page = document.title_page
    language = document.language
    when = day(page.status_date, language)
    key = page.status if not when else f"{page.status}_on"
    return text(language, key, date=when) if when else text(language, key)


def correction_rows(document: Document) -> list[tuple[str, str]]:
    """A published correction says so on its title page and in its colophon."""
    correction = document.title_page.correction
    return [(text(document.language, "correction"), correction)] if correction else []


def version_text(version: VersionInfo, language: str) -> str:
    details = [f"{text(language, 'kind_' + version.kind)} {version.year}"]
    if version.effective_date:
        details.append(f"{text(language, 'version_effective').lower()} {day(version.effective_date, language)}")
    if version.decision_ref:
        details.append(version.decision_ref)
    if version.author:
        details.append(version.author)
    return f"{version.name} ({', '.join(details)})"


def source_text(source: Source, language: str) -> str:
    parts = [f"{text(language, 'kind_' + source.kind) if 'kind_' + source.kind in CATALOGUE['fi'] else source.kind}: {source.name}"]
    if source.rows is not None:
        parts.append(f"{format_decimal(source.rows, locale=language_of(language))} {text(language, 'source_rows').lower()}")
    if source.imported_at:
        parts.append(f"{text(language, 'source_imported').lower()} {day(source.imported_at, language)}")
    return ", ".join(parts)


def period_text(document: Document) -> str:
    page = document.title_page
    return f"1–{page.period.month}/{page.period.year}"


def context(document: Document, charts: dict[int, RenderedChart], pdf: bool) -> dict[str, Any]:
    language = document.language
    page = document.title_page
    period = period_text(document)
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    print_css = ""
    if pdf:
        print_css = environment().get_template("print.css.j2").render(page_word=text(language, "page"))
    sections = [
        {
            "anchor": s.anchor,
            "number": s.number,
            "title": s.title,
            "level": s.level,
            "parts": [part_view(p, document, charts, pdf) for p in s.parts],
        }
        for s in document.sections
    ]
    return {
        "lang": html_lang(language, pdf),
        "page_title": f"{page.title} {period} – {page.unit_name}",
        "running_title": f"{page.title} {period}",
        "software": document.software,
        "css": css,
        "print_css": print_css,
        "t": {key: text(language, key) for key in CATALOGUE["fi"] if "{" not in CATALOGUE["fi"][key]},
        "title_page": page,
        "period": period,
        "status_text": status_text(document),
        "toc": toc_entries(document.sections) if document.toc else [],
        "sections": sections,
        "versions": [version_text(v, language) for v in document.report.versions],
        "sources": [source_text(s, language) for s in document.sources],
    }


def render_html(document: Document, charts: dict[int, RenderedChart] | None = None, pdf: bool = False) -> str:
    """The page as a string; `pdf=True` gives the variant WeasyPrint lays out (page frame, charts as images)."""
    charts = charts if charts is not None else render_charts(document, ("svg",))
    return environment().get_template("report.html.j2").render(**context(document, charts, pdf))


def write_html(document: Document, path: Path, charts: dict[int, RenderedChart] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(document, charts), encoding="utf-8")
    return path
