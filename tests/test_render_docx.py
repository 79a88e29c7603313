"""The demo report as Word: the model report's rows in its tables, Word's own headings, TOC, captions, alt texts,
the document language, LibreOffice opening it, and the organisation's own template."""

from __future__ import annotations

import io
import zipfile

import pytest
from doc_tools import DOCUMENT, demo_documents, docx_table_lines, libreoffice_convert, reference_lines, run_katsaus
from docx import Document
from docx.oxml.ns import qn

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory):
    return demo_documents(tmp_path_factory) / f"{DOCUMENT}.docx"


def test_the_word_tables_hold_every_row_of_the_model_reports_income_statements(docx_path):
    lines = docx_table_lines(docx_path)
    missing = [line for line in reference_lines() if line not in lines]
    assert missing == []


def test_sections_are_word_headings_in_the_templates_order(docx_path):
    doc = Document(str(docx_path))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    level1 = [text for style, text in headings if style == "Heading 1"]
    level2 = [text for style, text in headings if style == "Heading 2"]
    assert [t.split(" ")[0] for t in level1] == ["1.1", "1.2", "1.3"]
    assert [t.split(" ")[0] for t in level2 if t[:1].isdigit()] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5"]
    assert "1.1.2 Perhekeskuspalvelut" in level2
    assert "Toiminnalliset tavoitteet" in [t for s, t in headings if s == "Heading 3"]
    assert doc.paragraphs[1].style.name == "Title"


def test_the_toc_is_a_word_field_with_the_entries_filled_in(docx_path):
    doc = Document(str(docx_path))
    instructions = [node.text for node in doc.element.body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith("TOC ") for i in instructions)
    entries = [p.text for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert entries[0].startswith("1.1 ") and entries[-1].startswith("1.3 ") and len(entries) == 8
    # each entry links to its heading's bookmark
    anchors = {link.get(qn("w:anchor")) for link in doc.element.body.iter(qn("w:hyperlink"))}
    bookmarks = {mark.get(qn("w:name")) for mark in doc.element.body.iter(qn("w:bookmarkStart"))}
    assert anchors and anchors <= bookmarks
    for paragraph in doc.element.body.iter(qn("w:p")):  # schema order: w:pPr first, or Word offers to repair
        children = [child.tag for child in paragraph]
        assert qn("w:pPr") not in children[1:]


def test_tables_have_captions_titles_and_repeating_header_rows(docx_path):
    doc = Document(str(docx_path))
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("Taulukko 1. Perhe-, sosiaali- ja vammaispalveluiden toimiala") for c in captions)
    assert any(c.startswith("Kuvio 1. Toimintakate") for c in captions)
    for table in doc.tables:
        properties = table._tbl.tblPr
        assert properties.find(qn("w:tblCaption")) is not None
        first_row = table.rows[0]._tr.trPr
        assert first_row is not None and first_row.find(qn("w:tblHeader")) is not None


def test_pictures_have_alternative_text_and_the_language_is_finnish(docx_path):
    doc = Document(str(docx_path))
    descriptions = [node.get("descr") for node in doc.element.body.iter(qn("wp:docPr"))]
    assert len(descriptions) == 8 and all(d and len(d) > 40 for d in descriptions)
    assert any("49,6\u00a0% talousarviosta" in d for d in descriptions)
    language = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert language.get(qn("w:val")) == "fi-FI"
    assert "Osavuosikatsaus 1–6/2025" in doc.core_properties.title


def test_libreoffice_opens_and_converts_the_word_file(docx_path, tmp_path):
    converted = libreoffice_convert(docx_path, tmp_path)
    from pypdf import PdfReader

    assert len(PdfReader(str(converted)).pages) > 10


def organisation_template(path):
    """A .docx such as an organisation keeps: its own body font, a logo in the header, a sample body text."""
    from PIL import Image

    doc = Document()
    doc.styles["Normal"].font.name = "Georgia"
    logo = io.BytesIO()
    Image.new("RGB", (120, 40), (31, 78, 121)).save(logo, format="PNG")
    logo.seek(0)
    doc.sections[0].header.paragraphs[0].add_run().add_picture(logo)
    doc.add_paragraph("POHJAN ESIMERKKITEKSTI")
    doc.save(str(path))
    return path


def test_the_word_file_can_use_the_organisations_template(tmp_path_factory, tmp_path):
    demo = demo_documents(tmp_path_factory)
    template = organisation_template(tmp_path / "pohja.docx")
    result = run_katsaus(
        "report", "--period", "2025-06", "--unit", "PESOVA", "--format", "docx", "--docx-template", str(template),
        "--out", str(tmp_path / "out"), db=demo / "katsaus-demo.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    written = tmp_path / "out" / f"{DOCUMENT}.docx"
    doc = Document(str(written))
    assert doc.styles["Normal"].font.name == "Georgia"
    texts = [p.text for p in doc.paragraphs]
    assert "POHJAN ESIMERKKITEKSTI" not in texts
    assert any(t.startswith("1.1.2 Perhekeskuspalvelut") for t in texts)
    with zipfile.ZipFile(written) as archive:
        headers = [n for n in archive.namelist() if n.startswith("word/header")]
        assert any(b"a:blip" in archive.read(n) for n in headers)  # the logo stays in the header
    libreoffice_convert(written, tmp_path / "pdf")


def test_headings_keep_with_the_next_paragraph_whatever_the_template(docx_path):
    """Set on each heading itself (issue 16): an organisation's template may have heading styles without it."""
    doc = Document(str(docx_path))
    headings = [p for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "TOC Heading"]
    assert len(headings) > 10
    assert [p.text for p in headings if p.paragraph_format.keep_with_next is not True] == []
    texts = [p.text for p in doc.paragraphs]
    about = texts.index("Tietoja raportista")
    colophon = doc.paragraphs[about:]
    assert colophon[1].text.startswith("Organisaatio: ")
    # the colophon stays in one piece: every paragraph but its last keeps with the next
    assert [p.paragraph_format.keep_with_next for p in colophon[:-1]] == [True] * (len(colophon) - 1)


def test_the_colophon_stays_on_one_page_when_word_lays_it_out(docx_path, tmp_path):
    """LibreOffice lays the Word file out as Word would: heading, labels and values of the colophon on one page."""
    from pypdf import PdfReader

    pdf = libreoffice_convert(docx_path, tmp_path)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages]
    holding = [i for i, text in enumerate(pages) if "Tietoja raportista" in text or "Ohjelmisto:" in text]
    assert len(holding) == 1, holding
    assert pages[holding[0]].index("Tietoja raportista") < pages[holding[0]].index("Organisaatio:")
