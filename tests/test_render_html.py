"""The web page: self-contained, `lang`, captions and scoped headers, the model report's rows, print and small
screens; the document model's structure from the template; the Swedish report's fixed texts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from doc_tools import DOCUMENT, demo_documents, reference_lines, spaces, swedish_documents

from katsaus.render.i18n import CATALOGUE

pytestmark = pytest.mark.slow


class Tables(HTMLParser):
    """Each table's caption, its header cells with their scope, and its rows as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.rows: list[str] = []
        self.cell: list[str] | None = None
        self.row: list[str] | None = None
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "scopes": []})
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
            if tag == "th":
                self.tables[-1]["scopes"].append(attrs.get("scope"))

    def handle_endtag(self, tag):
        if tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(spaces(" ".join(c for c in self.row if c)))
            self.row = None

    def handle_data(self, data):
        if self.in_caption:
            self.tables[-1]["caption"] += data
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    return (demo_documents(tmp_path_factory) / f"{DOCUMENT}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tables(page) -> Tables:
    parser = Tables()
    parser.feed(page)
    return parser


def test_the_page_is_self_contained(page):
    # no stylesheet, script, image, font or frame from anywhere: CSS and SVG are inline
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(http" not in page
    assert "<link" not in page and "<script" not in page
    assert page.count("<svg") == 8


def test_the_page_declares_its_language_title_and_viewport(page):
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"fi\">")
    assert "<title>Osavuosikatsaus 1–6/2025 – Perhe-, sosiaali- ja vammaispalveluiden toimiala</title>" in page
    assert 'name="viewport"' in page
    assert "@media print" in page and "@media (max-width" in page
    assert page.count("<h1") == 1


def test_every_table_has_a_caption_and_scoped_headers(tables):
    assert len(tables.tables) == 16
    for table in tables.tables:
        assert table["caption"].startswith("Taulukko ")
        assert table["scopes"] and set(table["scopes"]) <= {"col", "row"}
        assert "row" in table["scopes"] and "col" in table["scopes"]


def test_the_page_prints_every_row_of_the_model_reports_income_statements(tables):
    assert [line for line in reference_lines() if line not in tables.rows] == []


def test_charts_are_named_and_described(page):
    svgs = re.findall(r"<svg\b[^>]*>", page)
    assert all('role="img"' in s and "aria-labelledby=" in s for s in svgs)
    descriptions = re.findall(r'<desc id="kuvio-\d+-desc">([^<]+)</desc>', page)
    assert len(descriptions) == 8
    assert spaces(descriptions[0]).startswith("Toimintakate 1–6/2025 \u221276,1 milj. €, 49,6 % talousarviosta; aikaan suhteutettu 50 %")


def test_sections_follow_the_template_with_the_content_in_place(page):
    headings = re.findall(r'<h([23]) class="section" id="osio-[\d-]+-h"><span class="section-number">([\d.]+)</span> ([^<]+)</h', page)
    numbers = [n for _, n, _ in headings]
    assert numbers == ["1.1", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.2", "1.3"]
    body = page[page.index('id="osio-1-1-2"') : page.index('id="osio-1-1-3"')]
    # narrative, operational goals, the operating statement, the chart, in the template's order
    order = [body.index(s) for s in ("Perhekeskuspalvelujen strategiset tavoitteet", "Toiminnalliset tavoitteet", "Käyttötalous (1000 €)", "<svg")]
    assert order == sorted(order)
    assert "Toteutunut 33 % (33 kappaletta)" in spaces(body)
    assert "*) Tuloslaskelma ei sisällä sisäisiä eriä." in page
    assert "Luonnos" in page


# --- Swedish ---------------------------------------------------------------------------------------------------


def test_every_fixed_text_is_translated():
    assert set(CATALOGUE["sv"]) == set(CATALOGUE["fi"])
    same = [k for k in CATALOGUE["fi"] if CATALOGUE["fi"][k] == CATALOGUE["sv"][k]
            and not k.startswith(("legend_budget", "thousand")) and k != "amount_unit_1"]  # "€" is "€"
    assert same == []


def test_the_swedish_report_has_swedish_fixed_texts_and_names(tmp_path_factory):
    sv = swedish_documents(tmp_path_factory)
    page = (sv / f"{DOCUMENT}-sv.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in page
    for expected in ("Innehåll", "Delårsrapport 1–6/2025", "Godkänd 19.8.2025", "Resultaträkning (1 000 €)", "Verksamhetens intäkter",
                     "UTF 1-6/2025", "Familjecentraltjänster", "Verksamhetsmål", "Räkenskapsperiodens resultat (före interna poster)"):
        assert expected in page, expected
    # the narratives stay as written
    assert "Strategiset tavoitteet ja tulosalueilla tavoiteltavat avaintulokset" in page
    # the same figures
    assert "16\u00a0777" in page and "49,6\u00a0%" in page
    from doc_tools import pdf_text

    assert "Sida 3 / " in pdf_text(sv / f"{DOCUMENT}-sv.pdf")
