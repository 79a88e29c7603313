"""Configuration files: the demo configuration loads; every kind of mistake names file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from katsaus.config import ConfigError, load_config_dir, load_config_files

DEMO = Path(__file__).parents[1] / "configs" / "demo"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(paths) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config_files(paths)
    return [str(p) for p in info.value.problems]


ORG = """
[organisation]
code = "X"
name_fi = "X"
[[units]]
code = "A"
name_fi = "A"
[[units]]
code = "B"
name_fi = "B"
parent = "A"
[[cost_centres]]
code = "1"
unit = "B"
"""

SCHEME = """
[scheme]
code = "s"
name_fi = "S"
[[lines]]
code = "r"
name_fi = "R"
accounts = ["3"]
[[lines]]
code = "c"
name_fi = "C"
accounts = ["4"]
[[lines]]
code = "k"
name_fi = "K"
sum_of = ["r", "c"]
"""

TEMPLATE = """
[template]
code = "t"
name_fi = "T"
scheme = "s"
[[template.columns]]
key = "tot"
kind = "actual"
label = "TOT"
[[template.tables]]
key = "x"
rows = [{ line = "k" }]
"""


def test_demo_configuration_loads():
    config = load_config_dir(DEMO)
    assert config.organisation.children("PESOVA") == ("PESOVA-HALL", "PESOVA-PK", "PESOVA-LS", "PESOVA-VP", "PESOVA-SP")
    assert config.scheme().line_of_account("401000") == "palkat_ja_palkkiot"
    assert config.scheme().is_internal("950000")
    assert config.template().conventions.amount_unit == 1000


def test_a_valid_minimal_configuration_loads(tmp_path):
    config = load_config_files([write(tmp_path, "o.toml", ORG), write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", TEMPLATE)])
    assert config.organisation.descendants("A") == ("A", "B")


def test_unknown_parent_names_file_key_and_value(tmp_path):
    org = write(tmp_path, "org.toml", ORG.replace('parent = "A"', 'parent = "Z"'))
    (problem,) = problems_of([org])
    assert "org.toml" in problem and "key 'units[1].parent'" in problem and "found 'Z'" in problem


def test_unit_cycle_is_found(tmp_path):
    text = ORG.replace('code = "A"\nname_fi = "A"', 'code = "A"\nname_fi = "A"\nparent = "B"')
    assert any("cycle" in p for p in problems_of([write(tmp_path, "org.toml", text)]))


def test_cost_centre_with_unknown_unit_and_backwards_validity(tmp_path):
    text = ORG.replace('unit = "B"', 'unit = "Q"\nvalid_from = 2025-01-01\nvalid_to = 2024-01-01')
    problems = problems_of([write(tmp_path, "org.toml", text)])
    assert any("cost_centres[0].unit" in p and "'Q'" in p for p in problems)
    assert any("cost_centres[0].valid_to" in p and "before valid_from" in p for p in problems)


def test_overlapping_validity_of_the_same_cost_centre(tmp_path):
    text = ORG + '\n[[cost_centres]]\ncode = "1"\nunit = "A"\nvalid_from = 2025-01-01\n'
    assert any("valid twice at once" in p for p in problems_of([write(tmp_path, "org.toml", text)]))


def test_misspelt_key_is_named(tmp_path):
    problems = problems_of([write(tmp_path, "org.toml", ORG.replace("name_fi = \"B\"", "nimi = \"B\""))])
    unknown = [p for p in problems if "units[1].nimi" in p]
    assert unknown and "unknown key 'nimi'" in unknown[0] and "code, name_fi, name_sv, parent" in unknown[0]
    assert not any("Extra inputs" in p for p in problems)  # our words, not pydantic's
    assert any("units[1].name_fi" in p and "required key is missing" in p for p in problems)


def test_overlapping_account_ranges_and_unknown_sum_term(tmp_path):
    text = SCHEME.replace('accounts = ["4"]', 'accounts = ["30-31"]').replace('sum_of = ["r", "c"]', 'sum_of = ["r", "x"]')
    problems = problems_of([write(tmp_path, "s.toml", text)])
    assert any("overlap" in p and "lines[1].accounts" in p for p in problems)
    assert any("lines[2].sum_of" in p and "found 'x'" in p for p in problems)


def test_bad_account_range(tmp_path):
    problems = problems_of([write(tmp_path, "s.toml", SCHEME.replace('accounts = ["3"]', 'accounts = ["30-4"]'))])
    assert any("lines[0].accounts[0]" in p and "equal length" in p for p in problems)


def test_derived_line_cycle(tmp_path):
    text = SCHEME.replace('accounts = ["4"]', 'sum_of = ["k"]')
    assert any("cycle" in p for p in problems_of([write(tmp_path, "s.toml", text)]))


def test_template_refers_to_unknown_things(tmp_path):
    text = TEMPLATE.replace('rows = [{ line = "k" }]', 'rows = [{ line = "zz" }]\ncolumns = ["nope"]') + (
        '[[template.columns]]\nkey = "pct"\nkind = "ratio"\nlabel = "%"\nnumerator = "tot"\n'
    )
    problems = problems_of([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", text)])
    assert any("rows[0].line" in p and "found 'zz'" in p for p in problems)
    assert any("tables[0].columns[0]" in p and "found 'nope'" in p for p in problems)
    assert any("columns[1].denominator" in p for p in problems)


def test_bad_enum_value_lists_allowed_values(tmp_path):
    problems = problems_of([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", TEMPLATE.replace('scheme = "s"', 'scheme = "s"\nzero_base = "nolla"'))])
    assert any("template.zero_base" in p and "'zero', 'blank' or 'dash'" in p and "'nolla'" in p for p in problems)


def test_unreadable_toml_and_unknown_kind(tmp_path):
    problems = problems_of([write(tmp_path, "bad.toml", "[[units]\n"), write(tmp_path, "what.toml", "[something]\nx=1\n")])
    assert any("bad.toml" in p and "not readable TOML" in p for p in problems)
    assert any("what.toml" in p and "cannot tell what this file configures" in p for p in problems)


def test_a_line_summed_twice_is_refused(tmp_path):
    text = SCHEME.replace('sum_of = ["r", "c"]', 'sum_of = ["r", "c", "c"]')
    problems = problems_of([write(tmp_path, "s.toml", text)])
    assert any("lines[2].sum_of" in p and "names line 'c' 2 times" in p for p in problems)


@pytest.mark.parametrize(
    "label, message",
    [
        ("TOT {period", "the braces do not match"),
        ("TOT {perioid}", "unknown placeholder {perioid}"),
        ("TOT {period.__class__}", "unknown placeholder {period.__class__}"),
        ("TOT {tot.versio}", "unknown placeholder {tot.versio}"),
        ("TOT {period!r}", "placeholder {period} has a format or conversion (!r)"),
    ],
)
def test_a_column_label_with_a_wrong_placeholder_is_refused_at_load(tmp_path, label, message):
    """Found at `config check`, not when a report is made (a brace error used to crash the report)."""
    problems = problems_of([write(tmp_path, "s.toml", SCHEME),
                            write(tmp_path, "t.toml", TEMPLATE.replace('label = "TOT"', f'label = "{label}"'))])
    assert any("template.columns[0].label" in p and message in p for p in problems), problems


def test_column_placeholders_that_are_known_load(tmp_path):
    text = TEMPLATE.replace('label = "TOT"', 'label = "TOT {period} {year} {months} {tot.version_short} {{x}}"')
    load_config_files([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", text)])


def test_a_column_key_used_twice_is_named(tmp_path):
    text = TEMPLATE + '[[template.columns]]\nkey = "tot"\nkind = "actual"\nlabel = "TOT2"\n'
    problems = problems_of([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", text)])
    assert any("column key 'tot' appears 2 times" in p for p in problems), problems


def test_a_line_counted_twice_through_a_sum_is_refused(tmp_path):
    text = SCHEME + '[[lines]]\ncode = "t"\nname_fi = "T"\nsum_of = ["k", "r"]\n'  # k already holds r
    problems = problems_of([write(tmp_path, "s.toml", text)])
    assert any("lines[3].sum_of" in p and "line 't' counts line 'r' 2 times through the lines it sums" in p
               for p in problems), problems


# --- the settings for other organisations' printed tables ------------------------------------------------------

UNIT_TABLE = """
[template]
code = "u"
name_fi = "U"
scheme = "s"
amount_unit = 1
amount_decimals = 2
narratives = false
[[template.columns]]
key = "koodi"
kind = "text"
label = "Koodi"
text = "{unit_code}"
[[template.columns]]
key = "ta"
kind = "budget"
label = "TA"
line = "c"
sign = "reversed"
zero = "blank"
[[template.columns]]
key = "tot"
kind = "actual"
label = "TOT"
line = "c"
sign = "reversed"
empty = "zero"
[[template.columns]]
key = "dev"
kind = "difference"
label = "Poikkeama"
minuend = "ta"
subtrahend = "tot"
[[template.columns]]
key = "dev_pct"
kind = "ratio"
label = "%"
numerator = "dev"
denominator = "ta"
[[template.tables]]
key = "units"
rows_by = "unit"
units = "self_and_children"
label_header = "Yksikkö"
"""


def unit_template_problems(tmp_path: Path, text: str) -> list[str]:
    return problems_of([write(tmp_path, "o.toml", ORG), write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", text)])


def test_a_table_of_units_with_its_settings_loads(tmp_path):
    config = load_config_files([write(tmp_path, "o.toml", ORG), write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", UNIT_TABLE)])
    template = config.template("u")
    assert template.tables[0].rows_by == "unit" and template.tables[0].label_header == "Yksikkö"
    assert template.column("ta").sign == "reversed" and template.column("ta").zero == "blank"
    assert template.column("tot").empty == "zero" and template.column("koodi").text == "{unit_code}"
    assert template.conventions.amount_decimals == 2 and not template.narratives


def test_a_table_of_units_needs_a_line_for_each_amount_column(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace('line = "c"\nsign = "reversed"\nempty', 'sign = "reversed"\nempty'))
    assert any("template.tables[0].line" in p and "column 'tot' needs a line" in p and "found 'no line'" in p for p in problems)


def test_a_table_of_units_takes_no_rows_and_a_table_of_lines_needs_them(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE + 'rows = [{ line = "k" }]\n')
    assert any("tables[0].rows" in p and "takes no rows" in p for p in problems)
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace('rows_by = "unit"', 'rows_by = "line"'))
    assert any("tables[0].rows" in p and "needs rows" in p for p in problems)


def test_wrong_uses_of_the_new_column_settings_are_named(tmp_path):
    text = (UNIT_TABLE.replace('text = "{unit_code}"', 'text = "{unit_nr}"')
            .replace('subtrahend = "tot"', 'subtrahend = "tot"\nsign = "reversed"\nline = "c"')
            .replace('line = "c"\nsign = "reversed"\nzero', 'line = "zz"\nsign = "reversed"\nzero'))
    problems = unit_template_problems(tmp_path, text)
    assert any("columns[0].text" in p and "unknown placeholder {unit_nr}" in p for p in problems)
    assert any("columns[3].sign" in p and "no sign of its own" in p for p in problems)
    assert any("columns[3].line" in p and "follows its columns' lines" in p for p in problems)
    assert any("columns[1].line" in p and "found 'zz'" in p for p in problems)


def test_a_text_column_needs_its_words_and_others_take_none(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace('text = "{unit_code}"\n', '').replace('minuend = "ta"', 'minuend = "ta"\ntext = "x"'))
    assert any("columns[0].text" in p and "needs text" in p for p in problems)
    assert any("columns[3].text" in p and "only a text column" in p for p in problems)


def test_a_heading_row_has_a_label_and_no_line(tmp_path):
    text = TEMPLATE.replace('rows = [{ line = "k" }]', 'rows = [{ heading = true }, { label = "X", heading = true, line = "k" }, { label = "Y" }]')
    problems = problems_of([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", text)])
    assert any("rows[0].label" in p and "needs its label" in p for p in problems)
    assert any("rows[1].line" in p and "names no line" in p for p in problems)
    assert any("rows[2].line" in p and "heading = true" in p for p in problems)


def test_amount_decimals_beyond_cents_are_refused_with_the_range(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace("amount_decimals = 2", "amount_decimals = 3"))
    assert any("template.amount_decimals" in p and "less than or equal to 2" in p and "found '3'" in p for p in problems)


def test_an_unknown_key_names_the_keys_allowed_in_its_place(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace('label_header = "Yksikkö"', 'label_heading = "Yksikkö"'))
    (problem,) = [p for p in problems if "label_heading" in p]
    assert "t.toml" in problem and "template.tables[0].label_heading" in problem
    assert "rows_by" in problem and "label_header" in problem


def test_a_difference_of_two_lines_is_refused_in_a_table_of_units(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace('line = "c"\nsign = "reversed"\nempty', 'line = "r"\nsign = "reversed"\nempty'))
    assert any("tables[0].columns" in p and "difference 'dev'" in p and "found 'c and r'" in p for p in problems)


def thresholds_of(tmp_path: Path, settings: str):
    config = load_config_files([write(tmp_path, "o.toml", ORG), write(tmp_path, "s.toml", SCHEME),
                                write(tmp_path, "t.toml", TEMPLATE.replace('scheme = "s"', 'scheme = "s"\n' + settings))])
    template = config.templates["t"]
    return template.deviation_threshold_percent, template.deviation_threshold_cents


def test_deviation_thresholds_load_as_an_exact_percentage_and_whole_cents(tmp_path):
    from decimal import Decimal

    assert thresholds_of(tmp_path, "") == (None, None)
    assert thresholds_of(tmp_path, "deviation_threshold_percent = 5\ndeviation_threshold_euros = 100000") == (
        Decimal(5), 100_000_00)
    assert thresholds_of(tmp_path, "deviation_threshold_percent = 2.5\ndeviation_threshold_euros = 1234.56") == (
        Decimal("2.5"), 1234_56)


@pytest.mark.parametrize("setting, key", [
    ("deviation_threshold_percent = 0", "template.deviation_threshold_percent"),
    ("deviation_threshold_percent = -5", "template.deviation_threshold_percent"),
    ("deviation_threshold_euros = -1", "template.deviation_threshold_euros"),
    ("deviation_threshold_euros = 0.005", "template.deviation_threshold_euros"),
    ('deviation_threshold_euros = "paljon"', "template.deviation_threshold_euros"),
])
def test_a_bad_deviation_threshold_is_named(tmp_path, setting, key):
    problems = problems_of([write(tmp_path, "s.toml", SCHEME),
                            write(tmp_path, "t.toml", TEMPLATE.replace('scheme = "s"', 'scheme = "s"\n' + setting))])
    assert any(key in p for p in problems), problems
