"""Writes the bad-input corpus of this folder and its manifest cases.toml (run it to rebuild them):

    .venv/bin/python tests/bad_inputs/make_corpus.py

Each case is one real-world bad file (as ERP exports, Excel and hand edits make them), the parser that reads
it (ledger / plan / mapping / organisation), and the refusal expected: a part of the message, and the row
where one is named. tests/test_reliability_corpus.py reads every case and checks the refusal.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
H = "pvm;kustannuspaikka;tili;summa;tosite;selite\n"
OK = "2.1.2025;511000;300100;12,50;1;x\n"
CASES: list[dict] = []


def case(name: str, kind: str, data: bytes | str, message: str, row: int | None = None, mapping: str = "",
         what: str = "") -> None:
    path = HERE / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    CASES.append(dict(file=name, kind=kind, message=message, row=row, mapping=mapping, what=what))


def xlsx(rows: list[list], merge: str = "", error: tuple[str, str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if error is None:
        return data
    # an error cell as Excel writes it (openpyxl cannot): <c r="D2" t="e"><v>#DIV/0!</v></c>
    ref, shown = error
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index(f'<c r="{ref}"')
                end = text.index("</c>", start) + 4
                text = text[:start] + f'<c r="{ref}" t="e"><f>1/0</f><v>{shown}</v></c>' + text[end:]
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def ledgers() -> None:
    case("empty.csv", "ledger", b"", "the file is empty", what="a 0-byte export")
    case("only_bom.csv", "ledger", b"\xef\xbb\xbf", "empty", what="a UTF-8 byte-order mark and nothing else")
    case("header_only_crlf.csv", "ledger", H.replace("\n", "\r\n"), "no data rows", row=2,
         what="a header with Windows line ends and no rows")
    case("binary.csv", "ledger", bytes(range(256)) * 8, "binary", what="a binary file named .csv")
    case("gzip_named_csv.csv", "ledger", b"\x1f\x8b\x08\x00" + bytes(200), "binary",
         what="a compressed export with the wrong name")
    case("utf16_bom.csv", "ledger", (H + OK).encode("utf-16"), "UTF-16", what="Excel's 'Unicode text'")
    case("wrong_delimiter_comma.csv", "ledger", (H + OK).replace(";", ","), "delimiter ','", row=1,
         what="a comma-separated export under the default mapping")
    case("tab_delimited.csv", "ledger", (H + OK).replace(";", "\t"), "delimiter '\\t'", row=1,
         what="a tab-separated export")
    case("missing_amount_column.csv", "ledger", "pvm;kustannuspaikka;tili;tosite\n2.1.2025;511000;300100;1\n",
         "column 'summa' is missing", row=1, what="an export without the amount column")
    case("header_in_row_3.csv", "ledger", "Kirjanpidon raportti\n\n" + H + OK, "column 'pvm' is missing", row=1,
         what="a title line above the header (header_row not set)")
    case("exponent.csv", "ledger", H + "2.1.2025;511000;300100;1e3;1;x\n", "exponent", row=2,
         what="an amount written 1e3")
    case("underscore.csv", "ledger", H + "2.1.2025;511000;300100;1_000,50;1;x\n", "underscore", row=2,
         what="an amount written 1_000,50")
    case("trailing_minus.csv", "ledger", H + "2.1.2025;511000;300100;1234,50-;1;x\n", "trailing minus", row=2,
         what="a Finnish ERP's trailing minus, 1234,50-")
    case("trailing_minus_grouped.csv", "ledger", H + "2.1.2025;511000;300100;1 234,50-;1;x\n",
         "trailing minus", row=2, mapping='thousands = " "', what="1 234,50- with a space thousands separator")
    case("broken_thousands_groups.csv", "ledger", H + "2.1.2025;511000;300100;1 23 4,50;1;x\n", "not an amount",
         row=2, mapping='thousands = " "', what="thousands groups that are not of three")
    case("decimal_point.csv", "ledger", H + "2.1.2025;511000;300100;1.234;1;x\n", "decimal point", row=2,
         what="1.234 in a decimal-comma file (a thousands separator?)")
    case("summary_row.csv", "ledger", H + OK + ";;;12,50;;Yhteensä\n", "is empty", row=3,
         what="a 'Yhteensä' total row at the end of the export")
    case("summary_row_labelled.csv", "ledger", H + OK + "Yhteensä;;;12,50;;\n", "not a date", row=3,
         what="a total row with its label in the date column")
    case("mixed_date_formats.csv", "ledger", H + OK + "2025-01-03;511000;300100;1,00;2;x\n", "2025-01-03", row=3,
         what="ISO and Finnish dates in one file")
    case("us_date.csv", "ledger", H + "1/31/2025;511000;300100;1,00;2;x\n", "1/31/2025", row=2,
         what="a US date")
    case("impossible_date.csv", "ledger", H + "31.2.2025;511000;300100;1,00;2;x\n", "31.2.2025", row=2,
         what="31 February")
    case("account_with_letters.csv", "ledger", H + "2.1.2025;511000;44abc;1,00;2;x\n", "not a number", row=2,
         what="an account 44abc")
    case("unknown_cost_centre.csv", "ledger", H + "2.1.2025;999999;300100;1,00;2;x\n", "unknown cost centre",
         row=2, what="a cost centre the organisation does not have")
    case("cost_centre_out_of_validity.csv", "ledger", H + "2.8.2025;511010;300100;1,00;2;x\n",
         "not valid on 2.8.2025", row=2, what="a cost centre booked to after it was closed")
    case("unclosed_quote.csv", "ledger", H + '2.1.2025;511000;300100;"1,00;2;x\n' + OK, "cannot be read as CSV", row=2,
         what="an unclosed quote that would swallow the rest of the file")
    case("quoted_separator.csv", "ledger", H + '2.1.2025;511000;300100;12,50;1;"Lasku; osa 1"\n'
         + '2.1.2025;511000;300100;12,50;1;Lasku; osa 2\n', "too many fields", row=3,
         what="a separator inside an unquoted text")
    case("truncated_last_line.csv", "ledger", H + OK + "2.1.2025;511000;30", "truncated", row=3,
         what="a download cut short")
    case("nul_bytes.csv", "ledger", (H + OK).encode() + b"2.1.2025;511000;300100;\x00\x00;1;x\n", "binary",
         what="NUL bytes in an amount")
    case("latin1_in_amount.csv", "ledger", (H + OK).encode() + "2.1.2025;511000;300100;1,00€;1;x\n".encode("cp1252"),
         "not an amount", row=3, what="Windows-1252 bytes in a UTF-8 file, in the amount")
    case("huge_line.csv", "ledger", H + OK + "2.1.2025;511000;300100;1,00;1;" + "x" * 3_000_000 + "\n"
         + "2.1.2025;511000;300100;abc;1;x\n", "field larger than field limit", row=3, what="a 3 MB text field")
    case("odd name ';DROP TABLE x;--' ä €.csv", "ledger", H + "2.1.2025;511000;300100;x;1;x\n", "not an amount",
         row=2, what="a file name with quotes, semicolons, spaces and non-ASCII")
    case("fixed_over_own_dates.csv", "ledger", H + OK, "[mapping.fixed] would put every row", row=1,
         mapping="[mapping.fixed]\nyear = 2025\nmonth = 12", what="[mapping.fixed] over a file with dates")
    case("empty.xlsx", "ledger", b"", "not an XLSX file", mapping='format = "xlsx"', what="a 0-byte .xlsx")
    case("damaged.xlsx", "ledger", xlsx([["pvm"], ["x"]])[:300], "not an XLSX file", mapping='format = "xlsx"',
         what="a workbook cut short")
    case("csv_named.xlsx", "ledger", H + OK, "not an XLSX file", mapping='format = "xlsx"',
         what="a CSV file renamed .xlsx")
    case("merged_header.xlsx", "ledger", xlsx([["pvm", "kustannuspaikka", "tili", "summa"],
                                               ["2.1.2025", "511000", "300100", "1"]], merge="A1:B1"),
         "merged cells", mapping='format = "xlsx"', what="merged header cells")
    case("text_1_234.xlsx", "ledger", xlsx([["pvm", "kustannuspaikka", "tili", "summa"],
                                            ["2.1.2025", "511000", "300100", "1.234"]]),
         "decimal point", row=2, mapping='format = "xlsx"', what="a text cell '1.234' (1 234, not 1,23)")
    case("error_cell.xlsx", "ledger", xlsx([["pvm", "kustannuspaikka", "tili", "summa"],
                                            ["2.1.2025", "511000", "300100", 5]], error=("D2", "#DIV/0!")),
         "#DIV/0!", row=2, mapping='format = "xlsx"', what="an Excel error cell in the amount")


def plans() -> None:
    case("plan_mixed_levels.csv", "plan", "yksikkö;kustannuspaikka;rivi;summa\nPESOVA;;myyntituotot;100\n"
         ";511000;myyntituotot;50\n", "another level of detail", row=3,
         what="a unit's figure and a cost centre's figure in one budget file")
    case("plan_ambiguous.csv", "plan", "yksikkö;rivi;summa\nPESOVA;myyntituotot;1.234\n", "ambiguous", row=2,
         what="1.234 in a budget")
    case("plan_month_13.csv", "plan", "yksikkö;rivi;kuukausi;summa\nPESOVA;myyntituotot;13;100\n", "not a month",
         row=2, what="month 13")
    case("plan_duplicate.csv", "plan", "yksikkö;rivi;summa\nPESOVA;myyntituotot;100\nPESOVA;myyntituotot;100\n",
         "already on row 2", row=3, what="the same figure twice")
    case("plan_year_and_months.csv", "plan", "yksikkö;rivi;kuukausi;summa\nPESOVA;myyntituotot;;1200\n"
         "PESOVA;myyntituotot;1;100\n", "whole year", row=3, what="a whole-year figure beside monthly ones")
    case("plan_error_cell.xlsx", "plan", xlsx([["yksikkö", "rivi", "summa"], ["PESOVA", "myyntituotot", 5]],
                                              error=("C2", "#N/A")), "#N/A", row=2, what="#N/A in a budget sheet")


def mappings() -> None:
    case("mapping_not_toml.toml", "mapping", "[mapping\nformat = csv", "not a valid TOML file",
         what="a mapping with broken TOML")
    case("mapping_unknown_key.toml", "mapping", '[mapping]\ndelimeter = ";"\n', "unknown key",
         what="a misspelt key")
    case("mapping_same_separators.toml", "mapping", '[mapping]\ndecimal = ","\nthousands = ","\n', "must differ",
         what="the same decimal and thousands separator")
    case("mapping_utf16.toml", "mapping", '[mapping]\nformat = "csv"\n'.encode("utf-16"), "not a valid TOML",
         what="a mapping saved as UTF-16")


ORG = """[organisation]
code = "TESTI"
name_fi = "Testi"

[[units]]
code = "A"
name_fi = "A"
parent = "B"

[[units]]
code = "B"
name_fi = "B"
{parent}
{extra}
[[cost_centres]]
code = "100"
unit = "A"
valid_from = 2025-01-01
valid_to = 2025-12-31
{centres}"""


def organisations() -> None:
    case("org_cycle.toml", "organisation", ORG.format(parent='parent = "A"', extra="", centres=""), "cycle",
         what="units that are each other's parents")
    case("org_duplicate_unit.toml", "organisation",
         ORG.format(parent="", extra='\n[[units]]\ncode = "B"\nname_fi = "B2"\n', centres=""), "appears twice",
         what="a unit code twice")
    case("org_overlapping_validity.toml", "organisation",
         ORG.format(parent="", extra="", centres='\n[[cost_centres]]\ncode = "100"\nunit = "B"\n'
                    'valid_from = 2025-06-01\n'), "valid twice at once",
         what="one cost centre valid in two units at the same time")
    case("org_unknown_parent.toml", "organisation", ORG.format(parent='parent = "X"', extra="", centres=""), "parent is not a unit",
         what="a parent unit that does not exist")


def write_manifest() -> None:
    lines = ["# Written by make_corpus.py: one [[case]] per file of this folder.\n"]
    for c in CASES:
        lines.append("[[case]]")
        for key in ("file", "kind", "message", "what"):
            lines.append(f"{key} = {toml_string(c[key])}")
        if c["row"] is not None:
            lines.append(f"row = {c['row']}")
        if c["mapping"]:
            lines.append(f"mapping = {toml_string(c['mapping'])}")
        lines.append("")
    (HERE / "cases.toml").write_text("\n".join(lines), encoding="utf-8")


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


if __name__ == "__main__":
    ledgers()
    plans()
    mappings()
    organisations()
    write_manifest()
    print(f"{len(CASES)} cases")
