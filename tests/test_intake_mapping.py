"""The ledger mapping file: defaults, a full file, and problems that name file, key, allowed and given values."""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_support import assert_readable

from katsaus.core.errors import Problem, Refused
from katsaus.intake.mapping import default_mapping, load_mapping, parse_mapping
from katsaus.render.messages import problem_line

INTAKE = Path(__file__).parent / "data" / "intake"


def problems_of(text: str, tmp_path: Path) -> list[Problem]:
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Refused) as caught:
        load_mapping(path)
    assert all(p.file == str(path) for p in caught.value.problems)
    for problem in caught.value.problems:
        assert_readable(problem)
    return list(caught.value.problems)


def test_default_is_the_finnish_default_format() -> None:
    m = default_mapping()
    assert (m.format, m.encoding, m.delimiter, m.decimal, m.thousands) == ("csv", "auto", ";", ",", "")
    assert (m.date_format, m.sign, m.header_row, m.fixed) == ("%d.%m.%Y", "ledger", 1, None)
    assert m.required_columns() == {"date": "pvm", "cost_centre": "kustannuspaikka", "account": "tili", "amount": "summa"}
    assert (m.columns.document, m.columns.text) == ("tosite", "selite")
    assert m.unknown.cost_centre_catch_all is None and m.unknown.account_catch_all is None
    assert load_mapping(None) == m


def test_full_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "erp.toml"
    path.write_text(
        """
[mapping]
format = "xlsx"
encoding = "windows-1252"
decimal = "."
thousands = " "
date_format = "%Y-%m-%d"
sign = "debit_credit"
header_row = 3
sheet = "Vienti"
cost_centre_pattern = '^KP(\\d+)'

[mapping.columns]
date = "Päivä"
cost_centre = "Kp"
account = "Tili"
debit = "Debet"
credit = "Kredit"

[mapping.unknown]
cost_centre = "599999"
account = "error"
ignore_accounts = ["1-2", "39"]
""",
        encoding="utf-8",
    )
    m = load_mapping(path)
    assert m.source == str(path)
    assert (m.format, m.encoding, m.header_row, m.sheet) == ("xlsx", "cp1252", 3, "Vienti")
    assert m.required_columns() == {
        "date": "Päivä", "cost_centre": "Kp", "account": "Tili", "debit": "Debet", "credit": "Kredit",
    }
    assert m.thousands_chars() == " \u00a0\u202f"
    assert m.unknown.cost_centre_catch_all == "599999"
    assert m.unknown.ignore_ranges == (("1", "2"), ("39", "39"))


def test_example_mappings_load() -> None:
    jkl = load_mapping(INTAKE / "jyvaskyla-2011.toml")
    assert jkl.fixed is not None and (jkl.fixed.year, jkl.fixed.month) == (2011, 12)
    assert "date" not in jkl.required_columns()
    assert load_mapping(INTAKE / "comma-point-statement.toml").sign == "statement"


def test_value_not_allowed_names_key_allowed_values_and_value(tmp_path: Path) -> None:
    problems = problems_of('[mapping]\nsign = "plus"\ndecimal = ";"\n', tmp_path)
    by_key = {p.key: p for p in problems}
    assert by_key["mapping.sign"].code == "config.value.literal_error"
    assert by_key["mapping.sign"].params["allowed"] == ("ledger", "statement", "debit_credit")
    assert by_key["mapping.sign"].found == "plus"
    assert by_key["mapping.decimal"].params["allowed"] == (",", ".")
    assert by_key["mapping.decimal"].found == ";"
    assert "något av dessa: ledger, statement, debit_credit" in problem_line(by_key["mapping.sign"], "sv")


def test_unknown_keys_list_the_allowed_keys(tmp_path: Path) -> None:
    problems = problems_of('[mapping]\ndelimeter = ","\n[mapping.columns]\nsum = "x"\n[other]\n', tmp_path)
    by_key = {p.key: p for p in problems}
    assert by_key["mapping.delimeter"].code == "config.value.extra_forbidden"
    assert "delimiter" in by_key["mapping.delimeter"].params["allowed"]
    assert "source" not in by_key["mapping.delimeter"].params["allowed"]  # not a key of the file
    assert by_key["mapping.columns.sum"].params["allowed"][:4] == ("date", "cost_centre", "account", "amount")
    assert by_key["mapping.columns.sum"].found == "x"
    assert by_key["other"].code == "mapping.table_unknown"


def test_bad_encoding_delimiter_pattern_and_ranges(tmp_path: Path) -> None:
    problems = problems_of(
        '[mapping]\nencoding = "klingon"\ndelimiter = ";;"\naccount_pattern = "TILI/\\\\d+"\n'
        '[mapping.unknown]\nignore_accounts = ["1-22"]\n',
        tmp_path,
    )
    by_key = {p.key: p for p in problems}
    assert (by_key["mapping.encoding"].code, by_key["mapping.encoding"].found) == ("mapping.encoding_unknown", "klingon")
    assert (by_key["mapping.delimiter"].code, by_key["mapping.delimiter"].found) == ("mapping.delimiter_invalid", ";;")
    assert by_key["mapping.account_pattern"].code == "mapping.pattern_groups"  # one (group) that captures the code
    assert by_key["mapping.account_pattern"].params == {"groups": 0}
    ranges = by_key["mapping.unknown.ignore_accounts"]  # the bounds need the same number of digits
    assert ranges.code == "scheme.account_range_form" and "1-22" in ranges.found  # found: the list given


def test_without_date_column_a_fixed_month_is_needed(tmp_path: Path) -> None:
    problems = problems_of('[mapping.columns]\ndate = ""\n', tmp_path)
    assert [(p.key, p.code) for p in problems] == [("mapping", "mapping.fixed_needed")]
    assert "[mapping.fixed]" in problem_line(problems[0], "fi")
    month = problems_of('[mapping.columns]\ndate = ""\n[mapping.fixed]\nyear = 2011\nmonth = 13\n', tmp_path)
    assert [(p.key, p.found) for p in month] == [("mapping.fixed.month", "13")]


def test_debit_credit_needs_both_columns() -> None:
    with pytest.raises(Refused) as caught:
        parse_mapping({"mapping": {"sign": "debit_credit", "columns": {"debit": "D"}}}, "m.toml")
    assert caught.value.codes == ("mapping.debit_credit_columns",)
    assert "columns.debit ja columns.credit" in problem_line(caught.value.problems[0], "fi")


def test_bad_patterns_say_where(tmp_path: Path) -> None:
    problems = problems_of('[mapping]\ncost_centre_pattern = "KP(\\\\d+"\ndate_format = "%Y"\n', tmp_path)
    by_key = {p.key: p for p in problems}
    assert (by_key["mapping.cost_centre_pattern"].code, by_key["mapping.cost_centre_pattern"].params) == (
        "mapping.pattern_invalid", {"position": 2})
    assert by_key["mapping.date_format"].code == "mapping.date_format_parts"
    assert problems_of('[mapping]\nthousands = ","\n', tmp_path)[0].params == {"separator": ","}


def test_missing_file_and_broken_toml(tmp_path: Path) -> None:
    with pytest.raises(Refused) as caught:
        load_mapping(tmp_path / "nope.toml")
    assert caught.value.codes == ("file.not_found",)
    assert caught.value.problems[0].file == str(tmp_path / "nope.toml")
    problems = problems_of("[mapping\n", tmp_path)
    assert [(p.code, p.row) for p in problems] == [("file.toml_invalid", 1)]
