"""The demo report as a PDF: every printed row of the model report's income statements, tagged PDF/UA-1, page frame."""

from __future__ import annotations

import re

import pikepdf
import pytest
from pikepdf import Name

from doc_tools import DOCUMENT, demo_documents, pdf_text, reference_lines, spaces

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
