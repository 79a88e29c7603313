"""Ledger intake: happy paths with independently computed cents, and the bad-file corpus in tests/data/bad."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from doc_tools import REFERENCE
from reliability_support import assert_readable

from katsaus.core.errors import Term
from katsaus.intake.context import IntakeContext, in_ranges, parse_ranges, ranges_sql
from katsaus.intake.ledger import read_ledger
from katsaus.intake.mapping import default_mapping, load_mapping, parse_mapping
from katsaus.intake.values import BadValue
from katsaus.render.messages import problem_line

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"
INTAKE = DATA / "intake"
JYVASKYLA = REFERENCE / "public" / "jyvaskyla-2011-talousarvio-ja-toteuma-tileittain.csv"
HEADER = ["pvm", "kustannuspaikka", "tili", "summa", "tosite", "selite"]

CTX = IntakeContext(
    cost_centres={
        "511000": ((None, None),),
        "511010": ((date(2024, 1, 1), date(2025, 6, 30)),),
        "511020": ((date(2025, 3, 1), None),),
        "511030": ((None, date(2025, 6, 15)),),
        "599999": (),
    },
    unit_codes=frozenset({"PESOVA"}),
    line_codes={"myyntituotot": "Myyntituotot"},
    leaf_account_ranges=parse_ranges(["30-34", "40-41", "43-49", "90-97"]),
    internal_ranges=parse_ranges(["90-99"]),
)

# (date, cost centre, account, amount as the file shows it, text)
ROWS = [
    ("2.1.2025", "511000", "300100", "1234,56", "Myyntilasku"),
    ("15.01.2025", "511000", "300100", "-0,01", "Hyvitys"),
    ("31.1.2025", "511000", "400100", "-98765,43", "Palkat"),
    ("1.2.2025", "511010", "400100", "0,10", "Palkat"),
    ("28.2.2025", "511010", "950100", "17", "Sisäinen veloitus"),
    ("3.3.2025", "511020", "430000", "1000000,99", "Ostolasku öljy"),
    ("3.3.2025", "511020", "430000", "-0,99", "Oikaisu"),
]


def expected_balances(rows, *, negate: bool = False, decimal: str = ",", thousands: str = "") -> list[tuple]:
    """Independent of the code under test: Python Decimal on the texts, one row at a time."""
    sums: dict[tuple, int] = defaultdict(int)
    for day, cc, acc, amount, *_ in rows:
        d, m, y = (int(p) for p in day.replace("/", ".").split("."))
        text = amount
        for ch in thousands:
            text = text.replace(ch, "")
        value = Decimal(text.replace(decimal, "."))
        cents = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        sums[(y, m, cc, acc, acc[:2] >= "90")] += -cents if negate else cents
    return sorted(k + (v,) for k, v in sums.items())


def write_csv(path: Path, rows, *, header=HEADER, delimiter=";", encoding="utf-8", bom=False, newline="\n") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    for day, cc, acc, amount, text in rows:
        writer.writerow([day, cc, acc, amount, "1001", text][: len(header)])
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def only(problems, params=None, **fields):
    """The one problem, checked field by field (and its parameters) against what the message must say."""
    assert len(problems) == 1, problems
    problem = problems[0]
    for name, value in fields.items():
        assert getattr(problem, name) == value, (name, problem)
    for name, value in (params or {}).items():
        assert problem.params.get(name) == value, (name, problem)
    assert_readable(problem)
    return problem


# ----- context -------------------------------------------------------------------------------------


def test_account_ranges_in_python_and_sql_agree() -> None:
    import duckdb

    ranges = parse_ranges(["30-31", "4", "950-951"])
    accounts = ["300000", "319999", "320000", "29", "3", "400", "49", "950100", "951", "952000", "", "9501"]
    expected = [in_ranges(a, ranges) for a in accounts]
    assert expected == [True, True, False, False, False, True, True, True, True, False, False, True]
    con = duckdb.connect()
    got = [con.execute(f"SELECT {ranges_sql('a', ranges)} FROM (SELECT ? AS a)", [a]).fetchone()[0] for a in accounts]
    assert got == expected


def test_context_helpers() -> None:
    assert CTX.account_known("470000") and not CTX.account_known("420000")
    assert CTX.account_internal("950100") and not CTX.account_internal("400100")
    assert CTX.cost_centre_valid("511010", date(2025, 6, 30))
    assert not CTX.cost_centre_valid("511010", date(2025, 7, 1))
    assert CTX.cost_centre_valid("599999", date(1999, 1, 1))  # no intervals given = always valid
    assert not CTX.cost_centre_valid("nope", date(2025, 1, 1))
    with pytest.raises(BadValue) as refused:  # a ValueError with its code
        parse_ranges(["3-40"])
    assert isinstance(refused.value, ValueError) and refused.value.code == "scheme.account_range_form"


# ----- happy paths ---------------------------------------------------------------------------------


def test_default_format_with_bom(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kirjanpito.csv", ROWS, bom=True)
    result = read_ledger(path, default_mapping(), CTX)
    assert result.problems == [] and result.omitted == 0
    assert result.balances == expected_balances(ROWS)
    assert result.rows == len(ROWS)
    assert result.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.file == str(path)
    # the two 3.3. rows are one balance; the 950100 balance is internal
    assert (2025, 3, "511020", "430000", False, 100000000) in result.balances
    assert (2025, 2, "511010", "950100", True, 1700) in result.balances


def test_default_format_without_bom_and_crlf(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kirjanpito.csv", ROWS, newline="\r\n")
    result = read_ledger(path, default_mapping(), CTX)
    assert result.problems == []
    assert result.balances == expected_balances(ROWS)


def test_windows_1252_with_scandinavian_letters(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kirjanpito.csv", ROWS, encoding="cp1252")
    assert "ä".encode("cp1252") in path.read_bytes()
    result = read_ledger(path, default_mapping(), CTX)
    assert result.problems == []
    assert result.balances == expected_balances(ROWS)
    assert result.checksum == hashlib.sha256(path.read_bytes()).hexdigest()


def test_windows_1252_found_only_after_the_first_megabyte(tmp_path: Path) -> None:
    ctx = IntakeContext(
        cost_centres={"511000": (), "YLEISÄ": ()}, leaf_account_ranges=parse_ranges(["30-49"])
    )
    rows = [("2.1.2025", "511000", "300100", "1,00", "x" * 40)] * 30000 + [("3.1.2025", "YLEISÄ", "400100", "5,00", "y")]
    path = write_csv(tmp_path / "big.csv", rows, encoding="cp1252")
    assert path.stat().st_size > 1 << 20
    result = read_ledger(path, default_mapping(), ctx)
    assert result.problems == []
    assert result.balances == [
        (2025, 1, "511000", "300100", False, 3000000),
        (2025, 1, "YLEISÄ", "400100", False, 500),
    ]


def test_comma_delimiter_decimal_point_nbsp_thousands_dmy_statement_sign(tmp_path: Path) -> None:
    rows = [
        ("2/1/2025", "511000", "300100", "1\u00a0234.56", "Sales"),
        ("02/01/2025", "511000", "300100", "-12\u00a0000\u00a0000.10", "Credit"),
        ("31/3/2025", "511020", "400100", "-5.5", "Wages"),
    ]
    path = write_csv(tmp_path / "export.csv", rows, header=["Date", "CostCentre", "Account", "Amount"], delimiter=",")
    mapping = load_mapping(INTAKE / "comma-point-statement.toml")
    result = read_ledger(path, mapping, CTX)
    assert result.problems == []
    assert result.balances == expected_balances(rows, negate=True, decimal=".", thousands="\u00a0")
    assert result.balances[0] == (2025, 1, "511000", "300100", False, 1199876554)


def test_space_thousands_separator_accepts_plain_and_no_break_space(tmp_path: Path) -> None:
    rows = [("2.1.2025", "511000", "300100", "1 234,56", "a"), ("2.1.2025", "511000", "300100", "2\u00a0000,00", "b")]
    path = write_csv(tmp_path / "k.csv", rows)
    mapping = parse_mapping({"mapping": {"thousands": " "}}, "m.toml")
    result = read_ledger(path, mapping, CTX)
    assert result.problems == []
    assert result.balances == [(2025, 1, "511000", "300100", False, 323456)]


def test_debit_credit_columns(tmp_path: Path) -> None:
    text = "pvm;kp;tili;debet;kredit\n2.1.2025;511000;400100;100,00;\n3.1.2025;511000;400100;;30,50\n4.1.2025;511000;300100;;1000\n"
    path = tmp_path / "dc.csv"
    path.write_text(text, encoding="utf-8")
    mapping = parse_mapping(
        {"mapping": {"sign": "debit_credit", "columns": {"cost_centre": "kp", "debit": "debet", "credit": "kredit"}}},
        "m.toml",
    )
    result = read_ledger(path, mapping, CTX)
    assert result.problems == []
    assert result.balances == [
        (2025, 1, "511000", "300100", False, -100000),
        (2025, 1, "511000", "400100", False, 6950),
    ]


def test_xlsx_with_date_cells_numbers_and_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kirjaukset"
    sheet.append(HEADER)
    sheet.append([date(2025, 1, 31), "511000", 300100, 1234.56, 1, "Myynti"])
    sheet.append(["2.2.2025", 511000, "300100", "-12,30", 2, "Hyvitys"])
    sheet.append([])
    sheet.append([date(2025, 2, 28), "511000", 300100, 0.1, 3, "Pyöristys"])
    sheet.append([date(2025, 2, 28), "511010", 950100, -7, 4, "Sisäinen"])
    path = tmp_path / "kirjanpito.xlsx"
    book.save(path)
    mapping = parse_mapping({"mapping": {"format": "xlsx"}}, "m.toml")
    result = read_ledger(path, mapping, CTX)
    assert result.problems == []
    assert result.rows == 4
    assert result.balances == [
        (2025, 1, "511000", "300100", False, 123456),
        (2025, 2, "511000", "300100", False, -1230 + 10),
        (2025, 2, "511010", "950100", True, -700),
    ]


def test_jyvaskyla_export_fixed_period_and_account_pattern() -> None:
    if not JYVASKYLA.exists():
        pytest.skip("reference data not present")
    with JYVASKYLA.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    ccs = {r["Rapo2011hierarkia Taso 05 - Avain - Category Code"] for r in records}
    ctx = IntakeContext(
        cost_centres={c: () for c in ccs},
        leaf_account_ranges=parse_ranges(["30-36", "40-49", "88", "90-98"]),
        internal_ranges=parse_ranges(["90-98"]),
    )
    sums: dict[tuple, int] = defaultdict(int)
    for r in records:
        account = r["Tilinumero Taso 0 - Avain - Category Code"].removeprefix("TILI/")
        euros = int(r["Toteuma eur"].replace("\u00a0", ""))
        sums[(2011, 12, r["Rapo2011hierarkia Taso 05 - Avain - Category Code"], account, account >= "90")] += euros * 100
    result = read_ledger(JYVASKYLA, load_mapping(INTAKE / "jyvaskyla-2011.toml"), ctx)
    assert result.problems == []
    assert result.rows == len(records)
    assert result.balances == sorted(k + (v,) for k, v in sums.items())


def test_catch_alls_and_ignored_accounts(tmp_path: Path) -> None:
    rows = [
        ("2.1.2025", "777777", "300100", "1,00", "unknown cost centre"),
        ("15.7.2025", "511010", "300100", "2,00", "511010 closed 30.6."),
        ("2.1.2025", "511000", "420000", "4,00", "account outside every line"),
        ("2.1.2025", "511000", "", "8,00", "no account"),
        ("2.1.2025", "", "150000", "16,00", "balance sheet, ignored"),
        ("2.1.2025", "511000", "300100", "32,00", "fine"),
    ]
    path = write_csv(tmp_path / "k.csv", rows)
    mapping = parse_mapping(
        {"mapping": {"unknown": {"cost_centre": "599999", "account": "490000", "ignore_accounts": ["1-2"]}}}, "m"
    )
    result = read_ledger(path, mapping, CTX)
    assert result.problems == []
    assert result.rows == 6
    assert result.balances == [
        (2025, 1, "511000", "300100", False, 3200),
        (2025, 1, "511000", "490000", False, 1200),
        (2025, 1, "599999", "300100", False, 100),
        (2025, 7, "599999", "300100", False, 200),
    ]


def test_catch_all_must_be_known(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "k.csv", ROWS)
    mapping = parse_mapping({"mapping": {"unknown": {"cost_centre": "000000", "account": "120000"}}}, "m.toml")
    problems = read_ledger(path, mapping, CTX).problems
    assert [(p.code, p.file, p.key, p.found) for p in problems] == [
        ("mapping.catch_all_cost_centre_unknown", "m.toml", "mapping.unknown.cost_centre", "000000"),
        ("mapping.catch_all_account_unknown", "m.toml", "mapping.unknown.account", "120000"),
    ]
    assert problems[1].params == {"ranges": ("30-34", "40-41", "43-49", "90-97")}


def test_validity_ending_inside_a_month_is_checked_day_by_day(tmp_path: Path) -> None:
    rows = [
        ("10.6.2025", "511030", "300100", "1,00", "before the end"),
        ("15.6.2025", "511030", "300100", "2,00", "last valid day"),
        ("20.6.2025", "511030", "300100", "4,00", "after the end"),
    ]
    path = write_csv(tmp_path / "k.csv", rows)
    result = read_ledger(path, default_mapping(), CTX)
    only(result.problems, {"code": "511030", "day": date(2025, 6, 20), "validity": ("–15.6.2025",)},
         code="ledger.cost_centre_not_valid_on", row=4, column="kustannuspaikka", found="511030")
    assert problem_line(result.problems[0], "fi") == (
        f"{path}, rivi 4, sarake 'kustannuspaikka': kustannuspaikka 511030 ei ole voimassa 20.6.2025; "
        "odotettiin silloin voimassa oleva kustannuspaikka (511030 on voimassa –15.6.2025), löytyi '511030'")
    assert result.omitted == 0
    mapping = parse_mapping({"mapping": {"unknown": {"cost_centre": "599999"}}}, "m")
    result = read_ledger(path, mapping, CTX)
    assert result.problems == []
    assert result.balances == [(2025, 6, "511030", "300100", False, 300), (2025, 6, "599999", "300100", False, 400)]


def test_progress_is_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "k.csv", ROWS)
    seen: list[tuple[str, float]] = []
    read_ledger(path, default_mapping(), CTX, progress=lambda stage, fraction: seen.append((stage, fraction)))
    assert seen[-1] == ("done", 1.0)
    assert ("reading", 1.0) in seen
    assert all(0.0 <= fraction <= 1.0 for _, fraction in seen)


# ----- the bad-file corpus -------------------------------------------------------------------------


def read_bad(name: str, mapping=None, **kwargs):
    path = BAD / name
    result = read_ledger(path, mapping or default_mapping(), CTX, **kwargs)
    assert not result.ok
    assert all(p.file == str(path) for p in result.problems)
    for problem in result.problems:
        assert_readable(problem)
    return result


def test_wrong_delimiter() -> None:
    only(read_bad("wrong_delimiter.csv").problems, {
        "delimiter": Term("intake.delimiter.comma"), "mapping_delimiter": Term("intake.delimiter.semicolon")},
        code="ledger.delimiter_mismatch", row=1, key="mapping.delimiter")


def test_utf16_file() -> None:
    only(read_bad("utf16.csv").problems, code="file.utf16", row=None)


def test_windows_1252_file_when_the_mapping_says_utf8() -> None:
    mapping = parse_mapping({"mapping": {"encoding": "utf-8"}}, "m.toml")
    problem = only(read_bad("not_utf8.csv", mapping).problems, {"bytes": "e4"}, code="file.not_utf8", row=3)
    assert 'encoding = "windows-1252"' in problem_line(problem, "fi")


def test_file_neither_utf8_nor_windows_1252() -> None:
    only(read_bad("neither_encoding.csv").problems, {"bytes": "81"}, code="file.encoding_unknown", row=3)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "kuva.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = read_ledger(path, default_mapping(), CTX)
    only(result.problems, code="file.binary")


def test_missing_column() -> None:
    only(
        read_bad("missing_column.csv").problems, {"column": "tili"},
        code="ledger.column_missing", row=1, column="tili", key="mapping.columns.account",
        found="pvm, kustannuspaikka, summa, tosite, selite",
    )


def test_text_in_amount() -> None:
    only(read_bad("text_in_amount.csv").problems, {"example": "-1234,56"}, code="value.amount_invalid", row=3,
         column="summa", found="kaksitoista")


def test_impossible_date() -> None:
    only(read_bad("impossible_date.csv").problems, {"example": "31.12.2025"}, code="value.date_impossible", row=2,
         column="pvm", found="31.2.2025")


def test_unknown_account() -> None:
    problem = only(read_bad("unknown_account.csv").problems, {"ranges": ("30-34", "40-41", "43-49", "90-97")},
                   code="ledger.account_unknown", row=4, column="tili", found="123456")
    assert "odotettiin tili väleiltä 30-34, 40-41, 43-49, 90-97" in problem_line(problem, "fi")


def test_unknown_and_invalid_cost_centre() -> None:
    unknown, invalid = read_bad("unknown_cost_centre.csv").problems
    assert (unknown.row, unknown.column, unknown.found, unknown.code) == (
        2, "kustannuspaikka", "999999", "ledger.cost_centre_unknown",
    )
    assert (invalid.code, invalid.row, invalid.column, invalid.found) == (
        "ledger.cost_centre_not_valid_on", 3, "kustannuspaikka", "511010")
    assert invalid.params == {"code": "511010", "day": date(2025, 7, 15), "validity": ("1.1.2024–30.6.2025",)}


def test_empty_file() -> None:
    only(read_bad("empty.csv").problems, code="file.empty", row=None)


def test_header_only() -> None:
    result = read_bad("header_only.csv")
    only(result.problems, code="file.no_data_rows", row=2)
    assert result.rows == 0


def test_truncated_last_line() -> None:
    result = read_bad("truncated.csv")
    only(result.problems, {"count": 6, "delimiter": Term("intake.delimiter.semicolon")},
         code="file.last_line_truncated", row=4, found="4.1.2025;511000;40")


def test_merged_cells_in_xlsx(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pääkirja"
    sheet.append(HEADER)
    sheet.append([date(2025, 1, 2), "511000", 300100, 10, 1, "a"])
    sheet.append([date(2025, 1, 3), None, 300100, 20, 2, "b"])
    sheet.merge_cells("B2:B3")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    result = read_ledger(path, parse_mapping({"mapping": {"format": "xlsx"}}, "m"), CTX)
    only(result.problems, {"cells": "B2:B3"}, code="xlsx.merged_cells", sheet="Pääkirja", found="B2:B3",
         file=str(path))


def test_several_errors_in_one_file_are_all_reported() -> None:
    problems = read_bad("several_errors.csv").problems
    located = [(p.row, p.column) for p in problems]
    assert located == [
        (3, "summa"),
        (4, "pvm"),
        (5, "kustannuspaikka"),
        (6, "tili"),
        (7, None),
        (8, "pvm"),
        (8, "kustannuspaikka"),
        (8, "tili"),
        (8, "summa"),
    ]
    assert problems[1].found == "30.2.2025" and problems[2].found == "888888" and problems[3].found == "999999"
    assert problems[4].code == "file.row_too_few_fields"


def test_problem_cap_reports_the_count_of_the_rest(tmp_path: Path) -> None:
    rows = [("2.1.2025", "511000", "300100", f"x{i}", "bad") for i in range(120)]
    rows += [("2.1.2025", "511000", "300100", "1,00", "good")]
    path = write_csv(tmp_path / "k.csv", rows)
    result = read_ledger(path, default_mapping(), CTX, max_problems=50)
    assert len(result.problems) == 50
    assert result.omitted == 70
    assert [p.row for p in result.problems] == list(range(2, 52))
    assert result.problems[-1].found == "x49"


def test_problem_cap_counts_structural_and_value_problems(tmp_path: Path) -> None:
    lines = ["2.1.2025;511000;300100;1,00;1;ok", "2.1.2025;511000", "2.1.2025;999;300100;1,00;1;cc"] * 10
    path = tmp_path / "k.csv"
    path.write_text(";".join(HEADER) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = read_ledger(path, default_mapping(), CTX, max_problems=5)
    assert [p.row for p in result.problems] == [3, 4, 6, 7, 9]
    assert result.omitted == 20 - 5


def test_quoted_newlines_keep_line_numbers_and_an_open_quote_is_reported() -> None:
    ctx = IntakeContext(cost_centres={"511000": ()}, leaf_account_ranges=parse_ranges(["30-49"]))
    path = BAD / "quotes.csv"
    result = read_ledger(path, default_mapping(), ctx)
    amount, quote = result.problems
    # line 2-3 is one record (a quoted newline), so the bad amount is on line 4 and the open quote on line 5
    assert (amount.row, amount.column, amount.found) == (4, "summa", "abc")
    assert quote.row == 5 and quote.code == "file.row_unparsable"
    assert result.omitted == 0


def test_xlsx_problems_name_sheet_and_sheet_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Vienti"
    sheet.append(["Raportti 1-6/2025"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append([date(2025, 1, 2), "511000", 300100, 10, 1, "ok"])
    sheet.append([])
    sheet.append(["31.2.2025", "511000", 300100, "kymmenen", 2, "bad"])
    path = tmp_path / "vienti.xlsx"
    book.save(path)
    mapping = parse_mapping({"mapping": {"format": "xlsx", "header_row": 3}}, "m")
    problems = read_ledger(path, mapping, CTX).problems
    assert [(p.sheet, p.row, p.column, p.found) for p in problems] == [
        ("Vienti", 6, "pvm", "31.2.2025"),
        ("Vienti", 6, "summa", "kymmenen"),
    ]


def test_csv_header_below_a_preamble_keeps_physical_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(
        "Pääkirjaote 1.1.-30.6.2025\n\n" + ";".join(HEADER) + "\n2.1.2025;511000;300100;1,00;1;a\n"
        "3.1.2025;511000;300100;x;2;b\n",
        encoding="utf-8",
    )
    result = read_ledger(path, parse_mapping({"mapping": {"header_row": 3}}, "m"), CTX)
    only(result.problems, row=5, column="summa", found="x")
    assert result.balances == [(2025, 1, "511000", "300100", False, 100)]


def test_explicit_windows_1252_encoding(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "k.csv", ROWS, encoding="cp1252")
    result = read_ledger(path, parse_mapping({"mapping": {"encoding": "windows-1252"}}, "m"), CTX)
    assert result.problems == []
    assert result.balances == expected_balances(ROWS)


def test_explicit_utf8_with_bad_bytes_after_the_first_megabyte(tmp_path: Path) -> None:
    ctx = IntakeContext(cost_centres={"511000": (), "YLEISÄ": ()}, leaf_account_ranges=parse_ranges(["30-49"]))
    rows = [("2.1.2025", "511000", "300100", "1,00", "x" * 40)] * 30000 + [("3.1.2025", "YLEISÄ", "400100", "5,00", "y")]
    path = write_csv(tmp_path / "big.csv", rows, encoding="cp1252")
    result = read_ledger(path, parse_mapping({"mapping": {"encoding": "utf-8"}}, "m"), ctx)
    only(result.problems, {"bytes": "c4"}, code="ledger.bytes_not_utf8", row=30002, column="kustannuspaikka")


def test_missing_file(tmp_path: Path) -> None:
    result = read_ledger(tmp_path / "nope.csv", default_mapping(), CTX)
    only(result.problems, code="file.not_found", file=str(tmp_path / "nope.csv"))


# ----- strict amounts: the plain fast path and the pattern agree with the row-by-row reading ----------------

TRICKY_AMOUNTS = [
    "1234,56", "-0,01", "+5", ",5", "5,", "-,5", "0", "007,50", "12,345", " 12,5 ",  # amounts
    "1e3", "1E3", "1_000,50", "1.234", "\t12,5", "12,5\t", "+-5", "5-", "1,2,3", ",", "-", "1 234,50", "12 5",
]


@pytest.mark.parametrize("thousands", ["", " "])
def test_each_amount_is_read_or_refused_as_the_row_by_row_pass_reads_it(tmp_path: Path, thousands: str) -> None:
    """The query takes digits, sign and decimal mark straight to the cast and everything else through
    values.amount_pattern; values.parse_amount, the independent row-by-row reading, decides which amounts are
    refused and what the others are. One file per amount: the row-by-row pass runs only when the query has
    found a problem, so a lax query would pass a lone '1e3' without a word."""
    from katsaus.intake.values import BadValue, parse_amount

    mapping = parse_mapping({"mapping": {"thousands": thousands}}, "m")
    refused = []
    for index, amount in enumerate(TRICKY_AMOUNTS):
        path = tmp_path / f"k{index}.csv"
        path.write_text(f'pvm;kustannuspaikka;tili;summa\n2.1.2025;511000;300100;"{amount}"\n', encoding="utf-8")
        result = read_ledger(path, mapping, CTX)
        try:
            cents = parse_amount(amount, ",", mapping.thousands_chars())
        except BadValue:
            refused.append(amount)
            assert [(p.row, p.column) for p in result.problems] == [(2, "summa")], amount
        else:
            assert (result.problems, result.balances) == ([], [(2025, 1, "511000", "300100", False, cents)]), amount
    assert {"1e3", "1_000,50", "1.234", "\t12,5", "+-5", "5-", "1,2,3"} <= set(refused)
    assert ("1 234,50" in refused) == (thousands == "")


# ----- an early read (start_reading) gives what a read from the start gives --------------------------------


@pytest.fixture
def early_reads():
    """Early reads and started checksums are process-wide: none is left for the next test."""
    from katsaus.intake.encoding import Checksum
    from katsaus.intake.ledger import _EarlyRead

    yield _EarlyRead._pending
    _EarlyRead.stop_all()
    Checksum._started.clear()


def test_a_read_started_early_is_taken_over_with_the_same_result(tmp_path: Path, early_reads) -> None:
    from katsaus.intake.encoding import Checksum
    from katsaus.intake.ledger import start_reading

    path = write_csv(tmp_path / "k.csv", ROWS + [("40.1.2025", "511000", "300100", "1e3", "Väärin")])
    plain = read_ledger(path, default_mapping(), CTX)
    Checksum.start(path)
    start_reading(path, default_mapping())
    assert early_reads
    early = read_ledger(path, default_mapping(), CTX)
    assert not early_reads and not Checksum._started
    assert (early.rows, early.balances, early.problems, early.checksum) == (
        plain.rows, plain.balances, plain.problems, plain.checksum)
    assert {(p.row, p.column) for p in early.problems} == {(9, "pvm"), (9, "summa")}


def test_an_early_read_of_a_file_changed_since_or_another_mapping_is_not_used(tmp_path: Path, early_reads) -> None:
    from katsaus.intake.encoding import Checksum
    from katsaus.intake.ledger import start_reading

    path = write_csv(tmp_path / "k.csv", ROWS)
    Checksum.start(path)
    start_reading(path, default_mapping())
    write_csv(path, ROWS[:2])  # rewritten before the import reads it
    result = read_ledger(path, default_mapping(), CTX)
    assert result.balances == expected_balances(ROWS[:2])
    assert result.checksum == hashlib.sha256(path.read_bytes()).hexdigest()

    stale = set(early_reads)  # begun on the file before it was rewritten
    start_reading(path, default_mapping())
    statement = parse_mapping({"mapping": {"sign": "statement"}}, "m")
    result = read_ledger(path, statement, CTX)
    assert result.balances == expected_balances(ROWS[:2], negate=True)
    assert set(early_reads) == stale  # the one of the other mapping was stopped, not used


def test_an_early_read_never_taken_over_is_stopped_and_its_temp_dir_removed(tmp_path: Path, early_reads) -> None:
    from katsaus.intake.ledger import _EarlyRead, start_reading

    path = write_csv(tmp_path / "k.csv", ROWS * 2000)
    start_reading(path, default_mapping())
    (early,) = early_reads.values()
    folder = Path(early.tmp.name)
    assert folder.is_dir()
    _EarlyRead.stop_all()  # as at exit
    assert not folder.exists() and not early_reads
    assert early.scan is not None and not early.scan.worker.is_alive()


def test_hashing_waits_for_a_scan_but_not_for_someone_who_needs_the_sum(tmp_path: Path) -> None:
    from katsaus.intake.encoding import CORES, Checksum

    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 100_000)
    with CORES.scanning():
        waiting = Checksum(path)
        waiting._thread.join(0.3)
        assert waiting._thread.is_alive()  # paused while the scan holds the cores
        assert waiting.result() == hashlib.sha256(path.read_bytes()).hexdigest()  # asked for: no deadlock
    assert Checksum(path).result() == hashlib.sha256(path.read_bytes()).hexdigest()
