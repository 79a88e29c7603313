"""Budget and forecast files: layouts, signs, exact cents, and the plan files of the bad corpus."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
from reliability_support import assert_readable

from katsaus.core.errors import Term
from katsaus.intake.context import IntakeContext, parse_ranges
from katsaus.intake.plans import read_plan
from katsaus.render.messages import problem_line

BAD = Path(__file__).parent / "data" / "bad"

CTX = IntakeContext(
    cost_centres={"511000": (), "511010": ((date(2024, 1, 1), date(2025, 6, 30)),)},
    unit_codes=frozenset({"PESOVA", "PESOVA-HALL"}),
    line_codes={
        "myyntituotot": "Myyntituotot",
        "henkilostokulut": "Henkilöstökulut",
        "palvelujen_ostot": "Palvelujen ostot",
    },
    leaf_account_ranges=parse_ranges(["30-34", "40-49"]),
)


def cents(text: str) -> int:
    """Independent of the code under test: remove spaces, comma to point, Decimal euros to cents."""
    value = Decimal(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    return int(value * 100)


def only(problems, params=None, **fields):
    assert len(problems) == 1, problems
    for name, value in fields.items():
        assert getattr(problems[0], name) == value, (name, problems[0])
    for name, value in (params or {}).items():
        assert problems[0].params.get(name) == value, (name, problems[0])
    assert_readable(problems[0])
    return problems[0]


def test_default_csv_with_bom_codes_names_and_months(tmp_path: Path) -> None:
    rows = [
        ("PESOVA-HALL", "Myyntituotot", "", "1\u00a0250\u00a0000,00"),
        ("pesova-hall", "henkilostokulut", "6", "-412 000,5"),
        ("PESOVA", "PALVELUJEN OSTOT", "12", "-99.99"),
        ("PESOVA", "palvelujen_ostot", "1", "0"),
    ]
    text = "Yksikkö;Rivi;Kuukausi;Summa;Selite\n" + "".join(f"{u};{line};{m};{a};huom\n" for u, line, m, a in rows)
    path = tmp_path / "ta2025.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = read_plan(path, CTX)
    assert result.problems == [] and result.omitted == 0
    assert result.rows == 4
    assert result.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.amounts == [
        ("PESOVA", None, "palvelujen_ostot", None, 1, 0),
        ("PESOVA", None, "palvelujen_ostot", None, 12, cents("-99.99")),
        ("PESOVA-HALL", None, "henkilostokulut", None, 6, cents("-412000,5")),
        ("PESOVA-HALL", None, "myyntituotot", None, None, cents("1250000")),
    ]


def test_windows_1252_finnish_line_name(tmp_path: Path) -> None:
    path = tmp_path / "tpe.csv"
    path.write_bytes("yksikkö;rivi;summa\nPESOVA;Henkilöstökulut;-1234,56\n".encode("cp1252"))
    result = read_plan(path, CTX)
    assert result.problems == []
    assert result.amounts == [("PESOVA", None, "henkilostokulut", None, None, -123456)]


def test_cost_centre_and_account_english_comma_delimited_ledger_sign(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text('cost_centre,account,month,amount\n511000,300100,1,"-1000,00"\n511010,400100,1,250.25\n')
    result = read_plan(path, CTX, sign="ledger")
    assert result.problems == []
    assert result.amounts == [
        (None, "511000", None, "300100", 1, 100000),
        (None, "511010", None, "400100", 1, -25025),
    ]


def test_xlsx_first_sheet_and_named_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "TA 2025"
    first.append(["Yksikkö", "Rivi", "Kuukausi", "Summa"])
    first.append(["PESOVA", "Myyntituotot", None, 1500000.5])
    first.append(["PESOVA", "henkilostokulut", 3, "-2 000,10"])
    second = book.create_sheet("TPE")
    second.append(["unit", "line", "amount"])
    second.append(["PESOVA", "myyntituotot", -7])
    path = tmp_path / "plans.xlsx"
    book.save(path)
    result = read_plan(path, CTX)
    assert result.problems == []
    assert result.amounts == [
        ("PESOVA", None, "henkilostokulut", None, 3, -200010),
        ("PESOVA", None, "myyntituotot", None, None, 150000050),
    ]
    named = read_plan(path, CTX, sheet="TPE")
    assert named.amounts == [("PESOVA", None, "myyntituotot", None, None, -700)]
    missing = read_plan(path, CTX, sheet="Ei ole")
    only(missing.problems, {"sheet": "Ei ole", "sheets": ("TA 2025", "TPE")}, code="xlsx.sheet_missing", key="sheet")


# ----- bad plan files ------------------------------------------------------------------------------


def test_missing_column() -> None:
    problem = only(read_plan(BAD / "plan_missing_column.csv", CTX).problems,
                   {"column": "rivi", "names": ("rivi", "line", "tili", "account")}, code="plan.column_missing", row=1,
                   column="rivi", found="yksikkö, kuukausi, summa")
    assert problem.file == str(BAD / "plan_missing_column.csv")
    assert "odotettiin jokin sarakkeista rivi, line, tili, account" in problem_line(problem, "fi")


def test_bad_values_are_all_reported_with_rows_and_columns() -> None:
    problems = read_plan(BAD / "plan_bad_values.csv", CTX).problems
    assert [(p.row, p.column, p.found) for p in problems] == [
        (3, "yksikkö", "EIOLE"),
        (4, "rivi", "Ei tällaista riviä"),
        (5, "kuukausi", "13"),
        (6, "summa", "sata"),
    ]
    assert [p.code for p in problems] == ["plan.unit_unknown", "plan.line_unknown", "plan.month_invalid",
                                          "value.amount_invalid"]
    assert "odotettiin 1–12, tai tyhjä koko vuodelle" in problem_line(problems[2], "fi")
    for problem in problems:
        assert_readable(problem)


def test_duplicates_and_whole_year_next_to_months() -> None:
    result = read_plan(BAD / "plan_duplicates.csv", CTX)
    duplicate, mixed = result.problems
    assert (duplicate.code, duplicate.row) == ("plan.duplicate_month", 3)
    assert duplicate.params == {"target": "PESOVA / myyntituotot", "month": 1, "first_row": 2}
    assert (mixed.code, mixed.row, mixed.column) == ("plan.months_beside_year", 5, "kuukausi")
    assert mixed.params["other_row"] == 4
    for problem in result.problems:
        assert_readable(problem)


def test_unit_and_cost_centre_rules() -> None:
    problems = read_plan(BAD / "plan_both_unit_and_cost_centre.csv", CTX).problems
    assert [(p.row, p.column) for p in problems] == [(2, "kustannuspaikka"), (3, "yksikkö"), (4, "tili")]
    assert (problems[0].code, problems[0].found) == ("plan.unit_and_cost_centre", "PESOVA / 511000")
    assert problems[1].code == "plan.unit_or_cost_centre_missing"  # the unit or cost centre is empty
    assert (problems[2].code, problems[2].found) == ("plan.account_unknown", "120000")


def test_empty_file() -> None:
    only(read_plan(BAD / "plan_empty.csv", CTX).problems, code="file.empty")


def test_header_only() -> None:
    result = read_plan(BAD / "plan_header_only.csv", CTX)
    only(result.problems, code="file.no_data_rows", row=2)


def test_truncated_last_line() -> None:
    result = read_plan(BAD / "plan_truncated.csv", CTX)
    only(result.problems, {"count": 4, "delimiter": Term("intake.delimiter.semicolon")},
         code="file.last_line_truncated", row=3, found="PESOVA;myyntituotot;2")
    assert result.amounts == [("PESOVA", None, "myyntituotot", None, 1, 10000)]


def test_utf16_file() -> None:
    only(read_plan(BAD / "plan_utf16.csv", CTX).problems, code="file.utf16")


def test_merged_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "TA"
    sheet.append(["yksikkö", "rivi", "summa"])
    sheet.append(["PESOVA", "myyntituotot", 1])
    sheet.append([None, "henkilostokulut", -1])
    sheet.merge_cells("A2:A3")
    path = tmp_path / "ta.xlsx"
    book.save(path)
    only(read_plan(path, CTX).problems, code="xlsx.merged_cells", sheet="TA", found="A2:A3")


def test_cap_and_count_of_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("yksikkö;rivi;kuukausi;summa\n" + "".join(f"PESOVA;myyntituotot;1;x{i}\n" for i in range(30)))
    result = read_plan(path, CTX, max_problems=10)
    assert [p.row for p in result.problems] == list(range(2, 12))
    assert result.omitted == 20


def test_missing_file(tmp_path: Path) -> None:
    only(read_plan(tmp_path / "nope.csv", CTX).problems, code="file.not_found")


def test_a_derived_line_is_named_as_one(tmp_path: Path) -> None:
    import dataclasses

    ctx = dataclasses.replace(CTX, derived_lines=frozenset({"toimintakulut", "Toimintakulut"}))
    path = tmp_path / "b.csv"
    path.write_text("yksikkö;rivi;summa\nPESOVA;toimintakulut;-1\nPESOVA;poistot;-1\n", encoding="utf-8")
    derived, unknown = read_plan(path, ctx).problems
    assert (derived.row, derived.code, derived.found) == (2, "plan.line_derived", "toimintakulut")
    assert problem_line(derived, "fi") == (
        f"{path}, rivi 2, sarake 'rivi': summarivi (muiden rivien summa): suunnitelmaluvut annetaan niille riveille, "
        "joista se lasketaan; odotettiin sellaisen kaavan rivin koodi tai suomenkielinen nimi, jolle tilit kirjataan, "
        "löytyi 'toimintakulut'")
    assert (unknown.row, unknown.code, unknown.found) == (3, "plan.line_unknown", "poistot")


def test_a_figure_at_another_level_of_detail_names_both(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("yksikkö;kustannuspaikka;rivi;summa\nPESOVA;;myyntituotot;1\n;511000;myyntituotot;2\n",
                    encoding="utf-8")
    problem = only(read_plan(path, CTX).problems, code="plan.level_mixed", row=3)
    assert problem.params == {"first_row": 2, "first": Term("intake.level.unit_line"),
                              "level": Term("intake.level.cost_centre_line")}
    assert "luvun tarkkuus on kustannuspaikka ja kaavan rivi, mutta rivillä 2 se on yksikkö ja kaavan rivi" in \
        problem_line(problem, "fi")
