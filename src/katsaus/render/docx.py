"""The document as Word (.docx) through python-docx, optionally on the organisation's own .docx template.

Word's own structures, so that its navigation pane, table of contents and accessibility checker work: the title
in the Title style, sections in Heading 1 (1.1 …) and Heading 2 (1.1.1 …), part headings one level below, a TOC
field (pre-filled with the entries, so it reads before anyone presses F9; Word fills in page numbers on update),
tables with a repeating header row, a caption paragraph with a SEQ field and a table title (alt text), charts as
PNG pictures with alt text, and the document language (fi-FI, sv-FI) on every run by default.

With `--docx-template FILE` the organisation's template supplies the styles, page setup, headers and footers
(its logo): its body is emptied and the report written in its place.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from markdown_it.token import Token

from katsaus.core.document import ChartPart, Document, NarrativePart, Section
from katsaus.render.charts import RenderedChart, render_charts
from katsaus.render.html import correction_rows, period_text, source_text, status_text, version_text
from katsaus.render.i18n import html_lang, text
from katsaus.render.presented import TextTable, default_heading, text_tables

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
PICTURE_WIDTH = Cm(16)


# --- the file and its styles ----------------------------------------------------------------------------


def open_base(template: Path | None) -> DocxDocument:
    """A new document, or the organisation's template with its body emptied (its section settings kept)."""
    if template is None:
        return new_docx()
    doc = new_docx(str(template))
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def ensure_style(doc: DocxDocument, name: str, base: str = "Normal", size: float | None = None) -> str:
    """The style's name, adding a paragraph style of that name when the base template lacks it."""
    try:
        doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        try:
            style.base_style = doc.styles[base]
        except KeyError:
            pass
        if size:
            style.font.size = Pt(size)
    return name


def set_language(doc: DocxDocument, lang: str) -> None:
    """The default run language (spelling, hyphenation, screen readers): w:docDefaults/w:rPrDefault/w:rPr/w:lang."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), lang)


# --- fields, bookmarks, hyperlinks -------------------------------------------------------------------------


def field_run(paragraph: Paragraph, kind: str, instruction: str = "", shown: str = "") -> None:
    """A complex field (begin, instruction, separate, result, end) inside one paragraph."""

    def char(value: str) -> BaseOxmlElement:
        run = OxmlElement("w:r")
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), value)
        run.append(element)
        return run

    if kind in ("begin", "whole"):
        paragraph._p.append(char("begin"))
        run = OxmlElement("w:r")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        run.append(instr)
        paragraph._p.append(run)
        paragraph._p.append(char("separate"))
    if shown:
        paragraph.add_run(shown)
    if kind in ("end", "whole"):
        paragraph._p.append(char("end"))


def bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    properties = paragraph._p.pPr  # w:pPr must stay the paragraph's first child (Word repairs a file otherwise)
    paragraph._p.insert(1 if properties is not None else 0, start)
    paragraph._p.append(end)


def internal_link(paragraph: Paragraph, anchor: str, label: str) -> None:
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = label
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def bookmark_name(section: Section) -> str:
    # "_Toc" names are what Word's own TOC uses; the leading "_" hides them from the bookmark list.
    return "_Toc_" + section.number.replace(".", "_")


# --- parts ------------------------------------------------------------------------------------------------


def write_title_page(doc: DocxDocument, document: Document) -> None:
    page = document.title_page
    language = document.language
    period = period_text(document)
    doc.add_paragraph(page.organisation)
    doc.add_paragraph(f"{page.title} {period}", style="Title")
    doc.add_paragraph(page.unit_name, style=ensure_style(doc, "Subtitle"))
    rows = [(text(language, "period"), period), (text(language, "status"), status_text(document))]
    rows += correction_rows(document)
    for label, value in rows:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write_toc(doc: DocxDocument, document: Document) -> None:
    keep_with_next(doc.add_paragraph(text(document.language, "toc"), style=ensure_style(doc, "TOC Heading", "Heading 1")))
    entries = document.sections
    for i, section in enumerate(entries):
        style = ensure_style(doc, f"toc {section.level}")
        paragraph = doc.add_paragraph(style=style)
        if i == 0:
            field_run(paragraph, "begin", 'TOC \\o "1-2" \\h \\z \\u')
        internal_link(paragraph, bookmark_name(section), f"{section.number} {section.title}")
        if i == len(entries) - 1:
            field_run(paragraph, "end")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write_heading(doc: DocxDocument, title: str, level: int) -> Paragraph:
    return keep_with_next(doc.add_paragraph(title, style=ensure_style(doc, f"Heading {level}", "Normal")))


def keep_with_next(paragraph: Paragraph) -> Paragraph:
    """Set on the paragraph itself: an organisation's own .docx template may have heading styles without it."""
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def write_narrative(doc: DocxDocument, part: NarrativePart, document: Document, level: int) -> None:
    """The narrative's Markdown, placeholders filled, as Word paragraphs (bold, italics, lists, headings)."""
    from markdown_it import MarkdownIt

    from katsaus.render.narratives import filled_markdown

    markdown = filled_markdown(part.narrative, document.conventions)
    tokens = MarkdownIt("commonmark", {"html": False}).parse(markdown)
    style = "Normal"
    lists: list[str] = []
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Bullet" if token.type == "bullet_list_open" else "List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "heading_open":
            style = ensure_style(doc, f"Heading {min(level + 1, 9)}")
        elif token.type == "inline":
            paragraph = doc.add_paragraph(style=ensure_style(doc, lists[-1]) if lists and style == "Normal" else style)
            if style != "Normal":  # a narrative's own heading
                keep_with_next(paragraph)
            inline_runs(paragraph, token.children or [])
            if part.style == "footnote":
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
        elif token.type in ("heading_close", "paragraph_close"):
            style = "Normal"


def inline_runs(paragraph: Paragraph, children: Iterable[Token]) -> None:
    bold = italic = False
    for child in children:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None
        elif child.type in ("softbreak",):
            paragraph.add_run(" ")
        elif child.type == "hardbreak":
            paragraph.add_run().add_break()


def caption(doc: DocxDocument, label: str, sequence: str, number: int, title: str) -> None:
    paragraph = doc.add_paragraph(style=ensure_style(doc, "Caption"))
    paragraph.add_run(f"{label} ")
    field_run(paragraph, "whole", f"SEQ {sequence} \\* ARABIC", str(number))
    paragraph.add_run(f". {title}")
    paragraph.paragraph_format.keep_with_next = True


def write_table(doc: DocxDocument, table: TextTable, document: Document) -> None:
    language = document.language
    label = text(language, "table_n", n="").replace(".", "").strip()  # "Taulukko" / "Tabell"
    caption(doc, label, label, table.number, table.caption)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    if "Table Grid" in [s.name for s in doc.styles]:
        grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    set_widths(grid, column_shares(table))
    describe_table(grid, table.numbered_caption(language))
    header = grid.rows[0]
    repeat_header(header)
    for i, head in enumerate(table.header):
        cell_text(header.cells[i], head, bold=True, right=i > 0 and table.numeric[i - 1])
    for r, row in enumerate(table.rows, start=1):
        cells = grid.rows[r].cells
        cell_text(cells[0], row.label, bold=row.total, indent=row.level)
        for c, value in enumerate(row.cells, start=1):
            cell_text(cells[c], value, bold=row.total, right=table.numeric[c - 1])
        keep_row_together(grid.rows[r])
    for note in table.footnotes:
        paragraph = doc.add_paragraph(note)
        for run in paragraph.runs:
            run.font.size = Pt(8.5)
    doc.add_paragraph()


SHARES = {"goals": (0.40, 0.30, 0.30), "key_results": (0.24, 0.17, 0.20, 0.24, 0.15),
          "forecast_basis": (0.24, 0.10, 0.32, 0.24, 0.10)}


def column_shares(table: TextTable) -> tuple[float, ...]:
    """Column widths as shares of the text width: the label column wide, numbers evenly in the rest."""
    if table.kind in SHARES:
        return SHARES[table.kind]
    rest = len(table.header) - 1
    return (0.34, *([0.66 / rest] * rest)) if rest else (1.0,)


def set_widths(grid: Table, shares: tuple[float, ...]) -> None:
    # Word reads w:gridCol, LibreOffice the cells' w:tcW: set both.
    widths = [int(PICTURE_WIDTH * share) for share in shares]
    for column, width in zip(grid.columns, widths):
        column.width = width
        for cell in column.cells:
            cell.width = width


def cell_text(cell: _Cell, value: str, bold: bool = False, right: bool = False, indent: int = 0) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(value)
    run.bold = bold or None
    run.font.size = Pt(8.5)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent:
        paragraph.paragraph_format.left_indent = Cm(0.4 * indent)


def describe_table(grid: Table, title: str) -> None:
    """w:tblCaption: the table's title for screen readers and Word's accessibility checker; w:tblLook: header row
    and first column are headers."""
    properties = grid._tbl.tblPr
    caption_el = OxmlElement("w:tblCaption")
    caption_el.set(qn("w:val"), title[:255])
    properties.append(caption_el)
    look = properties.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        properties.append(look)
    for key, value in (("w:firstRow", "1"), ("w:firstColumn", "1"), ("w:lastRow", "0"), ("w:noHBand", "0"), ("w:noVBand", "1"), ("w:val", "04A0")):
        look.set(qn(key), value)


def repeat_header(row: _Row) -> None:
    """The header row repeats on every page the table runs to, and marks the row as the table's header."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def keep_row_together(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    properties.insert(0, element)


def write_chart(doc: DocxDocument, part: ChartPart, chart: RenderedChart, language: str) -> None:
    doc.add_picture(io.BytesIO(chart.png), width=PICTURE_WIDTH)
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    for properties in picture._p.iter(qn("wp:docPr")):
        properties.set("descr", chart.alt)  # the picture's alt text (Word: "Alternative text")
        properties.set("title", chart.title)
    label = text(language, "figure_n", n="").replace(".", "").strip()
    caption(doc, label, label, part.number, chart.title)


def write_section(doc: DocxDocument, section: Section, document: Document, charts: dict[int, RenderedChart], ids: list[int]) -> None:
    heading = write_heading(doc, f"{section.number} {section.title}", section.level)
    ids.append(len(ids) + 1)
    bookmark(heading, bookmark_name(section), ids[-1])
    for part in section.parts:
        title = default_heading(part, document.language)
        if title:
            write_heading(doc, title, section.level + 1)
        if isinstance(part, NarrativePart):
            write_narrative(doc, part, document, section.level + 1)
        elif isinstance(part, ChartPart):
            write_chart(doc, part, charts[part.number], document.language)
        else:
            for table in text_tables(part, document):
                write_table(doc, table, document)


def write_about(doc: DocxDocument, document: Document) -> None:
    language = document.language
    keep_with_next(doc.add_paragraph(text(language, "about"), style=ensure_style(doc, "TOC Heading", "Heading 1")))
    rows = [
        (text(language, "organisation"), document.title_page.organisation),
        (text(language, "unit"), f"{document.title_page.unit_name} ({document.title_page.unit_code})"),
        (text(language, "period"), period_text(document)),
    ]
    rows += correction_rows(document)
    rows += [(text(language, "versions"), version_text(v, language)) for v in document.report.versions]
    rows += [(text(language, "sources"), source_text(s, language)) for s in document.sources]
    if document.software:
        rows.append((text(language, "software"), document.software))
    for i, (label, value) in enumerate(rows):
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
        if i < len(rows) - 1:  # the short colophon stays in one piece, its heading with it
            keep_with_next(paragraph)


def page_numbers(doc: DocxDocument, document: Document, own_template: bool) -> None:
    """Without an organisation template: the document's name in the header, "Sivu N" in the footer."""
    if own_template:
        return
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = f"{document.title_page.title} {period_text(document)} – {document.title_page.unit_name}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{text(document.language, 'page')} ")
    field_run(footer, "whole", "PAGE", "1")


def docx_document(document: Document, charts: dict[int, RenderedChart] | None = None, template: Path | None = None) -> DocxDocument:
    charts = charts if charts is not None else render_charts(document, ("png",))
    doc = open_base(template)
    set_language(doc, html_lang(document.language, pdf=True))
    page = document.title_page
    doc.core_properties.title = f"{page.title} {period_text(document)} – {page.unit_name}"
    doc.core_properties.author = page.organisation
    doc.core_properties.language = html_lang(document.language, pdf=True)
    doc.core_properties.subject = page.unit_name
    write_title_page(doc, document)
    if document.toc and document.sections:
        write_toc(doc, document)
    ids: list[int] = []
    for section in document.sections:
        write_section(doc, section, document, charts, ids)
    write_about(doc, document)
    page_numbers(doc, document, template is not None)
    return doc


def write_docx(document: Document, path: Path, charts: dict[int, RenderedChart] | None = None, template: Path | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    docx_document(document, charts, template).save(str(path))
    return path

