"""Writes the bad-input corpus of this folder and its manifest cases.toml (run it to rebuild them):

    .venv/bin/python tests/bad_inputs/make_corpus.py

Each case is one real-world bad file (as ERP exports, Excel and hand edits make them), the parser that reads
it (ledger / plan / mapping / organisation), and the refusal expected: the problem's code, and where they
matter the row, the column and what was found it names, and a part of its Finnish words (`fi`).
tests/test_reliability_corpus.py reads every case and checks the refusal.
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


def case(name: str, kind: str, data: bytes | str, code: str, row: int | None = None, mapping: str = "",
         what: str = "", column: str = "", found: str = "", fi: str = "") -> None:
    path = HERE / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    CASES.append(dict(file=name, kind=kind, code=code, row=row, mapping=mapping, what=what, column=column,
                      found=found, fi=fi))


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
    case("empty.csv", "ledger", b"", "file.empty", what="a 0-byte export")
    case("only_bom.csv", "ledger", b"\xef\xbb\xbf", "file.empty", what="a UTF-8 byte-order mark and nothing else")
    case("header_only_crlf.csv", "ledger", H.replace("\n", "\r\n"), "file.no_data_rows", row=2,
         what="a header with Windows line ends and no rows")
    case("binary.csv", "ledger", bytes(range(256)) * 8, "file.binary", what="a binary file named .csv")
    case("gzip_named_csv.csv", "ledger", b"\x1f\x8b\x08\x00" + bytes(200), "file.binary",
         what="a compressed export with the wrong name")
    case("utf16_bom.csv", "ledger", (H + OK).encode("utf-16"), "file.utf16", what="Excel's 'Unicode text'")
    case("wrong_delimiter_comma.csv", "ledger", (H + OK).replace(";", ","), "ledger.delimiter_mismatch", row=1,
         fi="tiedoston kenttien erotin näyttää olevan pilkku (,)",
         what="a comma-separated export under the default mapping")
    case("tab_delimited.csv", "ledger", (H + OK).replace(";", "\t"), "ledger.delimiter_mismatch", row=1,
         fi="tiedoston kenttien erotin näyttää olevan sarkain",
         what="a tab-separated export")
    case("missing_amount_column.csv", "ledger", "pvm;kustannuspaikka;tili;tosite\n2.1.2025;511000;300100;1\n",
         "ledger.column_missing", row=1, column="summa", what="an export without the amount column")
    case("header_in_row_3.csv", "ledger", "Kirjanpidon raportti\n\n" + H + OK, "ledger.column_missing", row=1, column="pvm",
         what="a title line above the header (header_row not set)")
    case("exponent.csv", "ledger", H + "2.1.2025;511000;300100;1e3;1;x\n", "value.amount_exponent", row=2,
         what="an amount written 1e3")
    case("underscore.csv", "ledger", H + "2.1.2025;511000;300100;1_000,50;1;x\n", "value.amount_underscore", row=2,
         what="an amount written 1_000,50")
    case("trailing_minus.csv", "ledger", H + "2.1.2025;511000;300100;1234,50-;1;x\n", "value.amount_trailing_minus", row=2,
         what="a Finnish ERP's trailing minus, 1234,50-")
    case("trailing_minus_grouped.csv", "ledger", H + "2.1.2025;511000;300100;1 234,50-;1;x\n",
         "value.amount_trailing_minus", row=2, mapping='thousands = " "', what="1 234,50- with a space thousands separator")
    case("broken_thousands_groups.csv", "ledger", H + "2.1.2025;511000;300100;1 23 4,50;1;x\n", "value.amount_invalid",
         row=2, found="1 23 4,50", mapping='thousands = " "', what="thousands groups that are not of three")
    case("decimal_point.csv", "ledger", H + "2.1.2025;511000;300100;1.234;1;x\n", "value.amount_decimal_point", row=2,
         what="1.234 in a decimal-comma file (a thousands separator?)")
    case("summary_row.csv", "ledger", H + OK + ";;;12,50;;Yhteensä\n", "value.date_empty", row=3,
         what="a 'Yhteensä' total row at the end of the export")
    case("summary_row_labelled.csv", "ledger", H + OK + "Yhteensä;;;12,50;;\n", "value.date_invalid", row=3, found="Yhteensä",
         what="a total row with its label in the date column")
    case("mixed_date_formats.csv", "ledger", H + OK + "2025-01-03;511000;300100;1,00;2;x\n", "value.date_invalid", row=3,
         found="2025-01-03",
         what="ISO and Finnish dates in one file")
    case("us_date.csv", "ledger", H + "1/31/2025;511000;300100;1,00;2;x\n", "value.date_invalid", row=2, found="1/31/2025",
         what="a US date")
    case("impossible_date.csv", "ledger", H + "31.2.2025;511000;300100;1,00;2;x\n", "value.date_impossible", row=2,
         found="31.2.2025",
         what="31 February")
    case("account_with_letters.csv", "ledger", H + "2.1.2025;511000;44abc;1,00;2;x\n", "ledger.account_not_number", row=2,
         found="44abc",
         what="an account 44abc")
    case("unknown_cost_centre.csv", "ledger", H + "2.1.2025;999999;300100;1,00;2;x\n", "ledger.cost_centre_unknown",
         row=2, found="999999", what="a cost centre the organisation does not have")
    case("cost_centre_out_of_validity.csv", "ledger", H + "2.8.2025;511010;300100;1,00;2;x\n",
         "ledger.cost_centre_not_valid_on", row=2, fi="kustannuspaikka 511010 ei ole voimassa 2.8.2025", what="a cost centre booked to after it was closed")
    case("unclosed_quote.csv", "ledger", H + '2.1.2025;511000;300100;"1,00;2;x\n' + OK, "file.row_unparsable", row=2,
         what="an unclosed quote that would swallow the rest of the file")
    case("quoted_separator.csv", "ledger", H + '2.1.2025;511000;300100;12,50;1;"Lasku; osa 1"\n'
         + '2.1.2025;511000;300100;12,50;1;Lasku; osa 2\n', "file.row_too_many_fields", row=3,
         what="a separator inside an unquoted text")
    case("truncated_last_line.csv", "ledger", H + OK + "2.1.2025;511000;30", "file.last_line_truncated", row=3,
         what="a download cut short")
    case("nul_bytes.csv", "ledger", (H + OK).encode() + b"2.1.2025;511000;300100;\x00\x00;1;x\n", "file.binary",
         what="NUL bytes in an amount")
    case("latin1_in_amount.csv", "ledger", (H + OK).encode() + "2.1.2025;511000;300100;1,00€;1;x\n".encode("cp1252"),
         "value.amount_invalid", row=3, found="1,00€", what="Windows-1252 bytes in a UTF-8 file, in the amount")
    case("huge_line.csv", "ledger", H + OK + "2.1.2025;511000;300100;1,00;1;" + "x" * 3_000_000 + "\n"
         + "2.1.2025;511000;300100;abc;1;x\n", "file.field_too_long", row=3, what="a 3 MB text field")
    case("odd name ';DROP TABLE x;--' ä €.csv", "ledger", H + "2.1.2025;511000;300100;x;1;x\n", "value.amount_invalid",
         row=2, found="x", what="a file name with quotes, semicolons, spaces and non-ASCII")
    case("fixed_over_own_dates.csv", "ledger", H + OK, "ledger.fixed_over_dates", row=1, column="pvm",
         fi="[mapping.fixed] kirjaisi jokaisen rivin kuukaudelle 12/2025",
         mapping="[mapping.fixed]\nyear = 2025\nmonth = 12", what="[mapping.fixed] over a file with dates")
    case("empty.xlsx", "ledger", b"", "xlsx.not_xlsx", mapping='format = "xlsx"', what="a 0-byte .xlsx",
         fi="se on tyhjä tiedosto")
    case("damaged.xlsx", "ledger", xlsx([["pvm"], ["x"]])[:300], "xlsx.not_xlsx", mapping='format = "xlsx"',
         what="a workbook cut short", fi="vaurioitunut tai kesken jäänyt ZIP-paketti")
    case("csv_named.xlsx", "ledger", H + OK, "xlsx.not_xlsx", found="pvm;kustannuspaikka;tili;summa;tosite;se", mapping='format = "xlsx"',
         what="a CSV file renamed .xlsx")
    case("merged_header.xlsx", "ledger", xlsx([["pvm", "kustannuspaikka", "tili", "summa"],
                                               ["2.1.2025", "511000", "300100", "1"]], merge="A1:B1"),
         "xlsx.merged_cells", found="A1:B1", mapping='format = "xlsx"', what="merged header cells")
    case("text_1_234.xlsx", "ledger", xlsx([["pvm", "kustannuspaikka", "tili", "summa"],
                                            ["2.1.2025", "511000", "300100", "1.234"]]),
         "value.amount_decimal_point", row=2, mapping='format = "xlsx"', what="a text cell '1.234' (1 234, not 1,23)")
    case("error_cell.xlsx", "ledger", xlsx([["pvm", "kustannuspaikka", "tili", "summa"],
                                            ["2.1.2025", "511000", "300100", 5]], error=("D2", "#DIV/0!")),
         "xlsx.error_cell", row=2, column="summa", found="#DIV/0!", mapping='format = "xlsx"', what="an Excel error cell in the amount")


def plans() -> None:
    case("plan_mixed_levels.csv", "plan", "yksikkö;kustannuspaikka;rivi;summa\nPESOVA;;myyntituotot;100\n"
         ";511000;myyntituotot;50\n", "plan.level_mixed", row=3,
         what="a unit's figure and a cost centre's figure in one budget file")
    case("plan_ambiguous.csv", "plan", "yksikkö;rivi;summa\nPESOVA;myyntituotot;1.234\n", "value.amount_ambiguous", row=2,
         found="1.234",
         what="1.234 in a budget")
    case("plan_month_13.csv", "plan", "yksikkö;rivi;kuukausi;summa\nPESOVA;myyntituotot;13;100\n", "plan.month_invalid",
         row=2, found="13", what="month 13")
    case("plan_duplicate.csv", "plan", "yksikkö;rivi;summa\nPESOVA;myyntituotot;100\nPESOVA;myyntituotot;100\n",
         "plan.duplicate_year", row=3, fi="on jo rivillä 2", what="the same figure twice")
    case("plan_year_and_months.csv", "plan", "yksikkö;rivi;kuukausi;summa\nPESOVA;myyntituotot;;1200\n"
         "PESOVA;myyntituotot;1;100\n", "plan.months_beside_year", row=3,
         fi="rivillä 2 on saman kohteen koko vuoden luku", what="a whole-year figure beside monthly ones")
    case("plan_error_cell.xlsx", "plan", xlsx([["yksikkö", "rivi", "summa"], ["PESOVA", "myyntituotot", 5]],
                                              error=("C2", "#N/A")), "xlsx.error_cell", row=2, found="#N/A", what="#N/A in a budget sheet")


def mappings() -> None:
    case("mapping_not_toml.toml", "mapping", "[mapping\nformat = csv", "file.toml_invalid", row=1,
         what="a mapping with broken TOML")
    case("mapping_unknown_key.toml", "mapping", '[mapping]\ndelimeter = ";"\n', "config.value.extra_forbidden",
         what="a misspelt key")
    case("mapping_same_separators.toml", "mapping", '[mapping]\ndecimal = ","\nthousands = ","\n', "mapping.separators_same",
         what="the same decimal and thousands separator")
    case("mapping_utf16.toml", "mapping", '[mapping]\nformat = "csv"\n'.encode("utf-16"), "file.not_utf8_text",
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
    case("org_cycle.toml", "organisation", ORG.format(parent='parent = "A"', extra="", centres=""), "config.unit_cycle",
         what="units that are each other's parents")
    case("org_duplicate_unit.toml", "organisation",
         ORG.format(parent="", extra='\n[[units]]\ncode = "B"\nname_fi = "B2"\n', centres=""), "config.unit_repeated",
         what="a unit code twice")
    case("org_overlapping_validity.toml", "organisation",
         ORG.format(parent="", extra="", centres='\n[[cost_centres]]\ncode = "100"\nunit = "B"\n'
                    'valid_from = 2025-06-01\n'), "config.cost_centre_overlap",
         what="one cost centre valid in two units at the same time")
    case("org_unknown_parent.toml", "organisation", ORG.format(parent='parent = "X"', extra="", centres=""), "config.parent_unknown", found="X",
         what="a parent unit that does not exist")


def write_manifest() -> None:
    lines = ["# Written by make_corpus.py: one [[case]] per file of this folder.\n"]
    for c in CASES:
        lines.append("[[case]]")
        for key in ("file", "kind", "code", "what"):
            lines.append(f"{key} = {toml_string(c[key])}")
        if c["row"] is not None:
            lines.append(f"row = {c['row']}")
        for key in ("column", "found", "fi"):
            if c[key]:
                lines.append(f"{key} = {toml_string(c[key])}")
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
