"""The report can show where each forecast figure came from: a controllers' forecast version made with
`katsaus forecast set` (own value, a taken suggestion, the budget kept), a template with a `forecast_basis`
part loaded over the demo database, and every document format printing the same rows."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
from contextlib import closing
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from doc_tools import ROOT, axe_violations, copy_sqlite, demo_documents, docx_table_lines, pdf_text, run_katsaus, spaces

pytestmark = pytest.mark.slow

VERSION = "TPE 6/2025"
SECTION = """

[[template.sections]]
title = "Ennusteen perusteet"
title_sv = "Prognosens grunder"
units = "self"
level = 1
parts = [{ kind = "forecast_basis" }]
"""
# (unit, line, how, reason): the expected row label, the method as printed in Finnish
FIGURES = (
    ("PESOVA-LS", "palvelujen_ostot", ("--value", "-30 000 000,00"), "sijoitusten kasvu jatkuu syksyllä"),
    ("PESOVA-VP", "palvelujen_ostot", ("--suggestion", "TPE 6/2025 ehdotus"), "ehdotus vastaa asiakasmäärien kehitystä"),
    ("PESOVA-HALL", "palkat_ja_palkkiot", ("--budget", "in_force"), "ei muutoksia"),
)
EXPECTED = (
    ("Perhe-, sosiaali- ja vammaispalveluiden hallinto: Palkat ja palkkiot", "talousarvio", "ei muutoksia"),
    ("Lastensuojelun palvelut: Palvelujen ostot", "oma arvio", "sijoitusten kasvu jatkuu syksyllä"),
    # the taken suggestion says how it was made (its words are checked against its stored explanation below)
    ("Vammaispalvelut: Palvelujen ostot", "ehdotus", "ehdotus vastaa asiakasmäärien kehitystä"),
)
# the test's own Finnish and Swedish names of the methods a note may name
NAMES = {"fi": {"profile": "aiempien vuosien kausiprofiili", "level_fast": "nopeasti tasoitettu kuukausitaso",
                "level": "tasoitettu kuukausitaso", "seasonal_rate": "kausitasoitettu tahti", "rest": "loppuvuosi kuten aiempina vuosina"},
         "sv": {"profile": "tidigare års säsongsprofil", "level_fast": "snabbt utjämnad månadsnivå",
                "level": "utjämnad månadsnivå", "seasonal_rate": "säsongsrensad takt", "rest": "resten av året som tidigare år"}}


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> Path:
    demo = demo_documents(tmp_path_factory)
    work = tmp_path_factory.mktemp("forecast-basis")
    db = work / "katsaus.sqlite3"
    copy_sqlite(demo / "katsaus-demo.sqlite3", db)
    config = work / "config"
    config.mkdir()
    for path in (ROOT / "configs" / "demo").glob("*.toml"):
        shutil.copy(path, config / path.name)
    template = (ROOT / "configs" / "demo" / "template.toml").read_text(encoding="utf-8")
    template = re.sub(r'^code = ".*"$', 'code = "tpe-perusteet"', template, count=1, flags=re.M)
    (config / "template-tpe.toml").write_text(template + SECTION, encoding="utf-8")
    for i, (unit, line, how, reason) in enumerate(FIGURES):
        first = ("--period", "2025-06") if i == 0 else ()
        done = run_katsaus("forecast", "set", "--version", VERSION, *first, "--unit", unit, "--line", line, *how,
                           "--reason", reason, db=db)
        assert done.returncode == 0, done.stdout + done.stderr
    loaded = run_katsaus("config", "load", str(config), db=db)  # a second load over a loaded database
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    out = work / "out"
    for language in ("fi", "sv"):
        done = run_katsaus("report", "--period", "2025-06", "--unit", "PESOVA", "--template", "tpe-perusteet",
                           "--format", "html,pdf,docx,xlsx", "--language", language, "--out", str(out / language), db=db)
        assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_the_web_page_lists_each_figure_with_its_method_reason_and_author(documents):
    page = spaces((documents / "fi" / "tpe-perusteet-1-6-2025.html").read_text(encoding="utf-8"))
    table = page[page.index('class="forecast-basis"'):]
    table = table[: table.index("</table>")]
    rows = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]
    assert rows[0] == ["Yksikkö ja rivi", "Ennuste (1000 €)", "Peruste", "Perustelu", "Kirjannut"]
    assert [(r[0], r[3], r[4]) for r in rows[1:]] == [(label, reason, "test") for label, _, reason in EXPECTED]
    assert all(r[2].startswith(method) for r, (_, method, _) in zip(rows[1:], EXPECTED))
    assert rows[2][1] == "-30 000"  # the own value, in the report's 1000 €
    assert rows[3][1] == thousands(suggested("PESOVA-VP", "palvelujen_ostot", documents))  # the stored suggestion
    assert "Ennusteen TPE 6/2025 perusteet" in page or "ennusteen TPE 6/2025 perusteet" in page


def test_word_excel_and_pdf_print_the_same_rows(documents):
    from openpyxl import load_workbook

    folder = documents / "fi"
    word = docx_table_lines(folder / "tpe-perusteet-1-6-2025.docx")
    pdf = re.sub(r"\s+", " ", pdf_text(folder / "tpe-perusteet-1-6-2025.pdf"))
    book = load_workbook(folder / "tpe-perusteet-1-6-2025.xlsx")
    sheet = next(book[n] for n in book.sheetnames if "Ennusteen perusteet" in n)
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    for label, method, reason in EXPECTED:
        assert any(line.startswith(label) and method in line and reason in line for line in word), label
        assert label in pdf and reason in pdf
        assert any(row[:1] == [label] and any(str(c).startswith(method) for c in row) and reason in row for row in cells), label
    own = next(row for row in cells if row[:1] == [EXPECTED[1][0]])
    assert own[1] == -30000  # a number in the workbook, shown in 1000 €


def test_the_swedish_report_names_the_methods_in_swedish(documents):
    page = spaces((documents / "sv" / "tpe-perusteet-1-6-2025-sv.html").read_text(encoding="utf-8"))
    assert "Prognosens grunder" in page and "egen bedömning" in page and "Motivering" in page


def test_the_taken_suggestion_is_explained_as_its_machine_note_says(documents):
    # What `katsaus forecast suggest` stored of how the suggestion was made (its explanation, as data: a
    # suggestion has no reason of its own words any more) and the report's words of it: worded here by the
    # test's own names, the methods and their weights must agree. (The demo's pool at 2025-06 mixes methods;
    # the words of a method taken alone are checked in test_render_presented.)
    assert shown_suggestion("PESOVA-VP", "palvelujen_ostot", documents)["reason"] == ""
    expected = expected_words(stored_explanation("PESOVA-VP", "palvelujen_ostot", documents))
    for language, name in (("fi", "tpe-perusteet-1-6-2025.html"), ("sv", "tpe-perusteet-1-6-2025-sv.html")):
        page = spaces((documents / language / name).read_text(encoding="utf-8"))
        assert expected[language] in page, language


def stored_explanation(unit: str, line: str, out: Path) -> dict:
    """How the suggestion was made, as `katsaus forecast suggest` stored it in the database (the explanation of
    core.forecast as JSON: its kind, the methods' whole-percent shares largest first, the series' own years)."""
    with closing(sqlite3.connect(out.parent / "katsaus.sqlite3")) as database:
        found = database.execute(
            "SELECT a.explanation FROM katsaus_planamount a JOIN katsaus_planversion v ON v.id = a.version_id "
            "WHERE v.name = ? AND a.unit_code = ? AND a.line_code = ? AND a.superseded_by_id IS NULL",
            ("TPE 6/2025 ehdotus", unit, line)).fetchall()
    assert len(found) == 1, found
    return json.loads(found[0][0])


def expected_words(how: dict) -> dict[str, str]:
    """The Finnish and Swedish words the report must print for a mixed suggestion made as `how` says."""
    assert how["kind"] == "combination" and how["own_years"] > 0 and how["shares"], how
    years = how["own_years"]
    words = {language: ", ".join(f"{NAMES[language][m]} {p} %" for m, p in how["shares"] if p != 0) for language in NAMES}
    return {
        "fi": f"ehdotus, menetelmien yhdistelmä: {words['fi']}; painot sen mukaan, miten menetelmät osuivat aiempina "
              f"vuosina (tämä sarja {years} v. ja kaikki sarjat)",
        "sv": f"förslag, kombination av metoder: {words['sv']}; vikterna efter hur metoderna träffade tidigare år "
              f"(denna serie {years} år och alla serier)",
    }


def shown_suggestion(unit: str, line: str, out: Path) -> dict[str, str]:
    """The suggestion's row as `katsaus forecast show --csv` prints it."""
    db = out.parent / "katsaus.sqlite3"
    shown = run_katsaus("forecast", "show", "--version", "TPE 6/2025 ehdotus", "--csv", "-", db=db)
    assert shown.returncode == 0, shown.stderr
    return next(r for r in csv.DictReader(io.StringIO(shown.stdout)) if (r["unit"], r["line"]) == (unit, line))


def suggested(unit: str, line: str, out: Path) -> Decimal:
    """The suggestion's figure as `katsaus forecast show --csv` prints it, in euros."""
    return Decimal(shown_suggestion(unit, line, out)["amount_eur"])


def thousands(euros: Decimal) -> str:
    rounded = int((euros / 1000).quantize(Decimal(1), ROUND_HALF_UP))
    return f"{rounded:,}".replace(",", " ")


def test_the_page_with_the_basis_has_no_accessibility_violations(documents):
    assert axe_violations(documents / "fi" / "tpe-perusteet-1-6-2025.html") == []
