"""The demo report as a PDF: every printed row of the model report's income statements, tagged PDF/UA-1, page frame."""

from __future__ import annotations

import re

import pikepdf
import pytest
from doc_tools import DOCUMENT, demo_documents, pdf_text, reference_lines, spaces
from pikepdf import Name

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory):
    return demo_documents(tmp_path_factory) / f"{DOCUMENT}.pdf"


@pytest.fixture(scope="module")
def text(pdf_path):
    return pdf_text(pdf_path)


def struct_elements(pdf: pikepdf.Pdf):
    """Every structure element of the tree, depth first, with its parent's tag."""
    stack = [(pdf.Root.StructTreeRoot.K, None)]
    while stack:
        node, parent = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend((kid, parent) for kid in node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node, parent
            if "/K" in node:
                stack.append((node.K, node.S))


def test_the_pdf_prints_every_row_of_the_model_reports_income_statements(text):
    missing = [line for line in reference_lines() if line not in text]
    assert len(reference_lines()) == 51
    assert missing == []


def test_the_pdf_is_tagged_pdf_ua_with_language_title_and_structure(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        assert pdf.Root.Lang == "fi-FI"
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert "Osavuosikatsaus 1–6/2025" in str(pdf.docinfo.Title)
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"
        tags = [str(node.S) for node, _ in struct_elements(pdf)]
        for tag in ("/Document", "/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Caption", "/Figure", "/P"):
            assert tag in tags, tag


def test_every_table_header_cell_has_its_scope(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        headers = [node for node, _ in struct_elements(pdf) if node.S == Name.TH]
        assert len(headers) > 100
        scopes = {str(node.A.Scope) for node in headers}
        assert scopes == {"/Column", "/Row"}
        assert all("/ID" in node for node in headers)  # the data cells' /Headers point at these


def test_every_chart_is_a_figure_with_alternative_text_that_states_its_figures(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        figures = [node for node, _ in struct_elements(pdf) if node.S == Name.Figure]
        alts = [spaces(str(node.get("/Alt", ""))) for node in figures]
    # the division's cumulative chart and realisation chart, five result areas' cumulative charts, the balancing chart
    assert len(figures) == 8
    assert all(len(alt) > 40 for alt in alts)
    division = next(alt for alt in alts if alt.startswith("Toimintakate 1–6/2025 \u221276,1 milj. €"))
    assert "49,6 % talousarviosta; aikaan suhteutettu 50 %" in division
    assert any(alt.startswith("Tasapainottamistoimenpiteet 1–6/2025: tavoite yhteensä 7,7 milj. €") for alt in alts)


def test_pages_have_running_headers_and_page_numbers(pdf_path):
    from pypdf import PdfReader

    pages = PdfReader(str(pdf_path)).pages
    assert len(pages) > 10
    third = pages[2].extract_text()
    assert re.search(rf"Sivu\s+3\s+/\s+{len(pages)}", third)
    assert "Osavuosikatsaus 1–6/2025" in third  # the running header
    assert "1.1 Perhe-, sosiaali- ja vammaispalveluiden toimiala" in pdf_text_of(pages[2])
    # the table of contents gives each section's page
    assert re.search(r"1\.3\s+Strategiasta johdettujen tavoitteiden toteutuminen\s*\.*\s*\d+", pdf_text_of(pages[1]))


def pdf_text_of(page) -> str:
    return re.sub(r"\s+", " ", page.extract_text())


# --- headings keep with what follows (issue 16) ---------------------------------------------------------------------


def heading_texts(html_path) -> list[str]:
    """What heads something in the document: section and part headings, table captions and the colophon's labels."""
    from html.parser import HTMLParser

    class Headings(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []
            self.found: list[str] = []

        def handle_starttag(self, tag, attrs) -> None:
            if tag in ("h2", "h3", "h4", "h5", "caption", "dt"):
                self.open.append(tag)
                self.found.append("")

        def handle_endtag(self, tag) -> None:
            if self.open and tag == self.open[-1]:
                self.open.pop()

        def handle_data(self, data) -> None:
            if self.open:
                self.found[-1] += data

    parser = Headings()
    parser.feed(html_path.read_text(encoding="utf-8"))
    return [" ".join(t.split()) for t in parser.found if t.strip()]


def page_bodies(pdf_path) -> list[str]:
    """Each page's text without its running head and page number (WeasyPrint writes the margin boxes last)."""
    from pypdf import PdfReader

    bodies = []
    for page in PdfReader(str(pdf_path)).pages:
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        while lines and re.fullmatch(r"(Sivu|Sida) \d+ / \d+|(Osavuosikatsaus|Delårsrapport) 1–6/2025.*", lines[-1].strip()):
            lines.pop()
        bodies.append(" ".join(" ".join(lines).split()))
    return bodies


def pages_ending_with_a_heading(pdf_path, html_path) -> list[tuple[int, str]]:
    headings = sorted(set(heading_texts(html_path)), key=len, reverse=True)
    return [
        (number, next(h for h in headings if body.endswith(h)))
        for number, body in enumerate(page_bodies(pdf_path), start=1) if any(body.endswith(h) for h in headings)
    ]


@pytest.fixture(scope="module")
def swedish(tmp_path_factory):
    from doc_tools import swedish_documents

    return swedish_documents(tmp_path_factory)


def test_no_page_of_the_finnish_pdf_ends_with_a_heading(pdf_path):
    html = pdf_path.with_suffix(".html")
    assert "Tietoja raportista" in heading_texts(html) and "Organisaatio" in heading_texts(html)
    assert pages_ending_with_a_heading(pdf_path, html) == []


def test_no_page_of_the_swedish_pdf_ends_with_a_heading(swedish):
    pdf = swedish / f"{DOCUMENT}-sv.pdf"
    assert pages_ending_with_a_heading(pdf, pdf.with_suffix(".html")) == []


def test_the_colophon_is_in_one_piece_under_its_own_running_head(pdf_path):
    from pypdf import PdfReader

    pages = PdfReader(str(pdf_path)).pages
    holding = [i for i, page in enumerate(pages) if "Tietoja raportista" in page.extract_text()]
    assert len(holding) == 1  # heading, labels and values on one page, the running head naming it
    text = pdf_text_of(pages[holding[0]])
    assert "Organisaatio Kanta-Hämeen hyvinvointialue" in text and "Ohjelmisto" in text
    assert "1.3 Strategiasta" not in text  # the running head no longer names the last section
