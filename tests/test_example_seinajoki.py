"""The City of Seinäjoki's printed tables 8.5 and 8.2 (financial statements 2024), reproduced cell by cell.

examples/seinajoki-2024/run.sh imports input files built from the printed figures and writes the two tables in
every format. Each printed cell — blank cells included — is compared with the CSV, the web page, the Word file,
the Excel workbook and the PDF text. The expected cells are read here from the transcriptions in
../shared/reference/public/ and formatted by this test, not by the code under test.

Three cells of 8.5 cannot be reproduced, because the printed table contradicts itself there: its revenue
deviation (actual − amended budget) is printed as 0, -203 and blank where the printed actual and budget give
581, 174 and 932. They are named in INCONSISTENT; `katsaus check --printed` reports each as an error.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from table_tools import (
    csv_rows,
    docx_rows,
    finnish,
    html_rows,
    number_of,
    package_figure,
    pdf_lines,
    printed_line,
    rebuilt_inputs,
    run_example,
    transcription,
    xlsx_rows,
)

BINDING_KEYS = ["koodi", "sitovuus"] + [f"{block}_{k}" for block in ("maararaha", "tuloarvio")
                                        for k in ("alkup_ta", "ta_muutokset", "ta_jalkeen", "toteuma", "poikkeama")]
STATEMENT_KEYS = ["alkuperainen_ta", "ta_muutokset", "ta_muutosten_jalkeen", "toteutuma", "poikkeama"]
# 8.2's heading rows, printed without figures (seinajoki-tp2024-raw-tables.txt, page 142), and the row they precede
HEADINGS = {"Toimintatulot": "Myyntitulot", "Toimintamenot": "Palkat ja palkkiot", "Henkilöstökulut": "Palkat ja palkkiot",
            "Rahoitustulot- ja menot": "Korkotuotot muilta", "Poistot ja arvonalentumiset": "Suunnitelman mukaiset poistot",
            "Satunnaiset erät": "TILIKAUDEN TULOS"}
# (unit, column): the printed cell and the cell its own printed actual and budget give (toteuma − ta_jalkeen)
INCONSISTENT = {
    ("Ympäristöterveydenhuolto", "tuloarvio_poikkeama"): ("0", "581"),
    ("Elinvoima ja kilpailukyky", "tuloarvio_poikkeama"): ("-203", "174"),
    ("Työllisyyspalvelut", "tuloarvio_poikkeama"): ("", "932"),
}

pytestmark = pytest.mark.slow


def printed_binding() -> dict[str, list[str]]:
    """8.5 as printed: the unit's name, then its code, B and the ten figures (1000 €)."""
    rows = {}
    for r in transcription("seinajoki-tp2024-sitovat-erat-kayttotalous.csv"):
        rows[r["yksikko"]] = [r["koodi"], r["sitovuus"]] + [finnish(int(r[k])) if r[k] else "" for k in BINDING_KEYS[2:]]
    return rows


def printed_statement() -> dict[str, list[str]]:
    """8.2 as printed, heading rows included, in print order."""
    rows: dict[str, list[str]] = {}
    for r in transcription("seinajoki-tp2024-tuloslaskelmaosa.csv"):
        if r["rivi"] == "erittely":
            break  # the second table of the page
        for heading, before in HEADINGS.items():
            if before == r["rivi"]:
                rows[heading] = [""] * len(STATEMENT_KEYS)
        rows[r["rivi"]] = [finnish(int(r[k])) if r[k] else "" for k in STATEMENT_KEYS]
    return rows


def reproducible(printed: dict[str, list[str]]) -> dict[str, list[str]]:
    """The printed table with its self-contradicting cells replaced by what its own figures give."""
    out = {label: list(cells) for label, cells in printed.items()}
    for (unit, key), (_printed, consistent) in INCONSISTENT.items():
        out[unit][BINDING_KEYS.index(key)] = consistent
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    return run_example("seinajoki-2024", tmp_path_factory.mktemp("seinajoki"))


TABLES = {
    "sitovat-erat": ("sitovat_erat.csv", "Käyttötalousosa", BINDING_KEYS, lambda: reproducible(printed_binding())),
    "tuloslaskelmaosa": ("tuloslaskelmaosa.csv", "TULOSLASKELMAOSA KAUPUNKI ulkoiset ja sisäiset", STATEMENT_KEYS, printed_statement),
}


def test_the_printed_inconsistencies_are_real():
    """The named cells really contradict the table's own printed figures; every other deviation agrees."""
    for r in transcription("seinajoki-tp2024-sitovat-erat-kayttotalous.csv"):
        for block, sign in (("maararaha", -1), ("tuloarvio", 1)):
            actual, budget = int(r[f"{block}_toteuma"] or 0), int(r[f"{block}_ta_jalkeen"] or 0)
            consistent = finnish(sign * (actual - budget))
            printed = finnish(int(r[f"{block}_poikkeama"])) if r[f"{block}_poikkeama"] else ""
            named = INCONSISTENT.get((r["yksikko"], f"{block}_poikkeama"))
            assert (printed != consistent) == (named is not None), r["yksikko"]
            if named:
                assert named == (printed, consistent)


@pytest.mark.parametrize("table", TABLES)
def test_csv_has_every_printed_cell(outputs, table):
    name, _head, keys, expected = TABLES[table]
    got = csv_rows(outputs / table / name, keys)
    assert list(got) == list(expected())  # the same rows in the printed order, heading rows included
    assert got == expected()


@pytest.mark.parametrize("table", TABLES)
def test_web_page_has_every_printed_cell(outputs, table):
    _name, head, _keys, expected = TABLES[table]
    assert html_rows(outputs / table / f"{table}-1-12-2024.html", head) == expected()


@pytest.mark.parametrize("table", TABLES)
def test_word_has_every_printed_cell(outputs, table):
    _name, head, _keys, expected = TABLES[table]
    assert docx_rows(outputs / table / f"{table}-1-12-2024.docx", head) == expected()


@pytest.mark.parametrize("table", TABLES)
def test_excel_holds_every_printed_figure(outputs, table):
    """The workbook stores numbers (606 for "606" in 1000 €), text for the code and B, nothing for a blank."""
    _name, head, _keys, expected = TABLES[table]
    got = xlsx_rows(outputs / table / f"{table}-1-12-2024.xlsx", head)
    texts = 2 if table == "sitovat-erat" else 0  # the unit's code and B are text columns
    want = {label: [c if i < texts else number_of(c) for i, c in enumerate(cells)] for label, cells in expected().items()}
    assert {label: [Decimal(str(v)) if isinstance(v, (int, float)) else v for v in cells] for label, cells in got.items()} == want


@pytest.mark.parametrize("table", TABLES)
def test_pdf_prints_every_row(outputs, table):
    """PDF text drops blank cells, so each row is its label and its non-blank cells in order."""
    _name, _head, _keys, expected = TABLES[table]
    lines = pdf_lines(outputs / table / f"{table}-1-12-2024.pdf")
    missing = [printed_line(label, cells) for label, cells in expected().items() if printed_line(label, cells) not in lines]
    assert missing == []


def test_check_reports_each_inconsistent_printed_cell_as_an_error(outputs):
    findings = json.loads((outputs / "sitovat-erat" / "tarkistukset.json").read_text(encoding="utf-8"))["findings"]
    printed = {(f["row"], f["column"]): f for f in findings if f["rule"] == "printed"}
    assert set(printed) == set(INCONSISTENT)
    for where, (found, expected) in INCONSISTENT.items():
        assert printed[where]["severity"] == "error"
        assert (printed[where]["found"], printed[where]["expected"]) == (found, expected)


def test_the_statement_checks_find_only_rounding(outputs):
    """8.2's totals were computed from cents: its printed parts differ from them by rounding only (info)."""
    findings = json.loads((outputs / "tuloslaskelmaosa" / "tarkistukset.json").read_text(encoding="utf-8"))["findings"]
    assert [(f["severity"], f["code"]) for f in findings] == [("info", "check.derived_line.rounding_only")]
    # one finding lists every such cell with its printed figure and the sum of its printed parts, in order
    cells, printed, sums = (findings[0]["params"][key].replace("\u00a0", " ").split(", ") for key in ("cells", "printed", "sums"))
    assert ("Toimintatulot yhteensä / toteutuma", finnish(84083125), finnish(84083126)) in zip(cells, printed, sums)
    assert "Toimintatulot yhteensä / toteutuma" in findings[0]["message"]


def test_the_committed_input_files_are_what_build_inputs_writes(tmp_path):
    """The input files come from the printed figures by build_inputs.py alone, and are committed as it writes them."""
    files = rebuilt_inputs("seinajoki-2024", tmp_path)
    assert files and [name for name, (built, committed) in files.items() if built != committed] == []


def test_the_open_data_package_gives_the_printed_figures_in_the_statements_sign(outputs):
    """8.5 prints costs as positive appropriations (sign = "reversed"); the package keeps the statement's sign.
    Vaalit (100): printed appropriation 606 and actual 530 (1000 €), estimate 420 (the printed table)."""
    folder = outputs / "sitovat-erat"
    assert package_figure(folder, "100", "toimintamenot", "maararaha_alkup_ta") == "-606000.00"
    assert package_figure(folder, "100", "toimintamenot", "maararaha_toteuma") == "-530000.00"
    assert package_figure(folder, "100", "toimintatulot", "tuloarvio_alkup_ta") == "420000.00"
    # 8.2 has heading rows without figures ("Toimintatulot"); Myyntitulot prints 26 672 100 € actual
    sales = Decimal(package_figure(outputs / "tuloslaskelmaosa", "SEINAJOKI", "myyntitulot", "toteutuma"))
    assert sales.quantize(Decimal(1), ROUND_HALF_UP) == 26672100
