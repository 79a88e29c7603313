"""Configuration files: the demo configuration loads; every kind of mistake names file, key and problem (a
stable code, its parameters, the key and what was found), and every problem reads in Finnish and Swedish."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from reliability_support import assert_readable

from katsaus.config import load_config_dir, load_config_files
from katsaus.core.errors import NotFound, Problem, Refused
from katsaus.render.messages import catalogue, problem_line

DEMO = Path(__file__).parents[1] / "configs" / "demo"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(paths: Iterable[Path]) -> list[Problem]:
    with pytest.raises(Refused) as info:
        load_config_files(paths)
    for problem in info.value.problems:
        assert_readable(problem)
    return list(info.value.problems)


def find(problems: Sequence[Problem], code: str, params: dict[str, Any] | None = None, **where: Any) -> Problem:
    """The first problem with this code, these parameters (a subset) and location fields; fails naming them all."""
    for problem in problems:
        if problem.code == code and all(problem.params.get(k) == v for k, v in (params or {}).items()) \
                and all(getattr(problem, k) == v for k, v in where.items()):
            return problem
    raise AssertionError(f"no {code} {params or ''} {where} in:\n" + "\n".join(str(p) for p in problems))


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
    assert (problem.code, problem.file, problem.key, problem.found) == (
        "config.parent_unknown", str(org), "units[1].parent", "Z")
    assert problem_line(problem, "fi") == (
        f"{org}, kohta 'units[1].parent': ylempi yksikkö ei ole tämän tiedoston yksikkö; "
        "odotettiin jonkin yksikön koodi, löytyi 'Z'")


def test_unit_cycle_is_found(tmp_path):
    text = ORG.replace('code = "A"\nname_fi = "A"', 'code = "A"\nname_fi = "A"\nparent = "B"')
    problem = find(problems_of([write(tmp_path, "org.toml", text)]), "config.unit_cycle", key="units[0].parent")
    assert problem.params["cycle"] == "A → B → A"


def test_cost_centre_with_unknown_unit_and_backwards_validity(tmp_path):
    text = ORG.replace('unit = "B"', 'unit = "Q"\nvalid_from = 2025-01-01\nvalid_to = 2024-01-01')
    problems = problems_of([write(tmp_path, "org.toml", text)])
    find(problems, "config.cost_centre_unit_unknown", key="cost_centres[0].unit", found="Q")
    find(problems, "config.validity_backwards", {"valid_from": date(2025, 1, 1)}, key="cost_centres[0].valid_to",
         found="2024-01-01")


def test_overlapping_validity_of_the_same_cost_centre(tmp_path):
    text = ORG + '\n[[cost_centres]]\ncode = "1"\nunit = "A"\nvalid_from = 2025-01-01\n'
    find(problems_of([write(tmp_path, "org.toml", text)]), "config.cost_centre_overlap",
         {"code": "1", "other": "cost_centres[0]"}, key="cost_centres[1].valid_from")


def test_misspelt_key_is_named(tmp_path):
    problems = problems_of([write(tmp_path, "org.toml", ORG.replace("name_fi = \"B\"", "nimi = \"B\""))])
    unknown = find(problems, "config.value.extra_forbidden", key="units[1].nimi", found="B")
    assert unknown.params == {"name": "nimi", "allowed": ("code", "name_fi", "name_sv", "parent")}
    assert "Extra inputs" not in problem_line(unknown, "fi")  # our words, not pydantic's
    assert problem_line(unknown, "fi").endswith(
        "tuntematon kohta nimi; odotettiin jokin näistä: code, name_fi, name_sv, parent, löytyi 'B'")
    find(problems, "config.value.missing", {"name": "name_fi"}, key="units[1].name_fi")


def test_overlapping_account_ranges_and_unknown_sum_term(tmp_path):
    text = SCHEME.replace('accounts = ["4"]', 'accounts = ["30-31"]').replace('sum_of = ["r", "c"]', 'sum_of = ["r", "x"]')
    problems = problems_of([write(tmp_path, "s.toml", text)])
    find(problems, "config.accounts_overlap", {"line": "c", "accounts": "30-31", "other_line": "r", "other_accounts": "3"},
         key="lines[1].accounts")
    find(problems, "config.sum_line_unknown", key="lines[2].sum_of", found="x")


def test_bad_account_range(tmp_path):
    problems = problems_of([write(tmp_path, "s.toml", SCHEME.replace('accounts = ["3"]', 'accounts = ["30-4"]'))])
    find(problems, "scheme.account_range_form", {"examples": ("30-31", "4")}, key="lines[0].accounts[0]",
         found="30-4")  # unequal length
    problems = problems_of([write(tmp_path, "s.toml", SCHEME.replace('accounts = ["3"]', 'accounts = ["31-30"]'))])
    find(problems, "scheme.account_range_backwards", {"low": "31", "high": "30"}, key="lines[0].accounts[0]",
         found="31-30")


def test_derived_line_cycle(tmp_path):
    text = SCHEME.replace('accounts = ["4"]', 'sum_of = ["k"]')
    problem = find(problems_of([write(tmp_path, "s.toml", text)]), "config.line_cycle", key="lines")
    assert problem.params["cycle"] == "c → k → c"


def test_template_refers_to_unknown_things(tmp_path):
    text = TEMPLATE.replace('rows = [{ line = "k" }]', 'rows = [{ line = "zz" }]\ncolumns = ["nope"]') + (
        '[[template.columns]]\nkey = "pct"\nkind = "ratio"\nlabel = "%"\nnumerator = "tot"\n'
    )
    problems = problems_of([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", text)])
    find(problems, "config.row_line_unknown", {"scheme": "s"}, key="template.tables[0].rows[0].line", found="zz")
    find(problems, "config.table_column_unknown", {"columns": ("tot", "pct")}, key="template.tables[0].columns[0]",
         found="nope")
    find(problems, "config.column_operand_missing", {"kind": "ratio", "name": "denominator"},
         key="template.columns[1].denominator")


def test_bad_enum_value_lists_allowed_values(tmp_path):
    problems = problems_of([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", TEMPLATE.replace('scheme = "s"', 'scheme = "s"\nzero_base = "nolla"'))])
    problem = find(problems, "config.value.literal_error", {"allowed": ("zero", "blank", "dash")},
                   key="template.zero_base", found="nolla")
    assert "jokin näistä: zero, blank, dash" in problem_line(problem, "fi")


def test_unreadable_toml_and_unknown_kind(tmp_path):
    bad, what = write(tmp_path, "bad.toml", "[[units]\n"), write(tmp_path, "what.toml", "[something]\nx=1\n")
    problems = problems_of([bad, what])
    find(problems, "file.toml_invalid", {"position": 8}, file=str(bad), row=1)
    find(problems, "config.kind_unknown", {"tables": ("organisation", "scheme", "template")}, file=str(what),
         found="something")


def test_a_line_summed_twice_is_refused(tmp_path):
    text = SCHEME.replace('sum_of = ["r", "c"]', 'sum_of = ["r", "c", "c"]')
    problems = problems_of([write(tmp_path, "s.toml", text)])
    find(problems, "config.sum_line_repeated", {"line": "c", "count": 2}, key="lines[2].sum_of", found="c")


@pytest.mark.parametrize(
    "label, code, params",
    [
        ("TOT {period", "config.placeholder_braces", {}),
        ("TOT {perioid}", "config.placeholder_unknown", {"placeholder": "perioid"}),
        ("TOT {period.__class__}", "config.placeholder_unknown", {"placeholder": "period.__class__"}),
        ("TOT {tot.versio}", "config.placeholder_unknown", {"placeholder": "tot.versio"}),
        ("TOT {period!r}", "config.placeholder_format", {"placeholder": "period", "format": "!r"}),
    ],
)
def test_a_column_label_with_a_wrong_placeholder_is_refused_at_load(tmp_path, label, code, params):
    """Found at `config check`, not when a report is made (a brace error used to crash the report)."""
    problems = problems_of([write(tmp_path, "s.toml", SCHEME),
                            write(tmp_path, "t.toml", TEMPLATE.replace('label = "TOT"', f'label = "{label}"'))])
    find(problems, code, params, key="template.columns[0].label", found=label)


def test_an_unknown_placeholder_names_the_known_ones(tmp_path):
    problems = problems_of([write(tmp_path, "s.toml", SCHEME),
                            write(tmp_path, "t.toml", TEMPLATE.replace('label = "TOT"', 'label = "TOT {perioid}"'))])
    problem = find(problems, "config.placeholder_unknown")
    assert problem.params["allowed"] == ("{version}", "{version_short}", "{year}", "{months}", "{period}",
                                         "{KEY.version}", "{KEY.version_short}")


def test_column_placeholders_that_are_known_load(tmp_path):
    text = TEMPLATE.replace('label = "TOT"', 'label = "TOT {period} {year} {months} {tot.version_short} {{x}}"')
    load_config_files([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", text)])


def test_a_column_key_used_twice_is_named(tmp_path):
    text = TEMPLATE + '[[template.columns]]\nkey = "tot"\nkind = "actual"\nlabel = "TOT2"\n'
    problems = problems_of([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", text)])
    find(problems, "config.column_repeated", {"key": "tot", "count": 2}, key="template.columns[1].key")


def test_a_line_counted_twice_through_a_sum_is_refused(tmp_path):
    text = SCHEME + '[[lines]]\ncode = "t"\nname_fi = "T"\nsum_of = ["k", "r"]\n'  # k already holds r
    problems = problems_of([write(tmp_path, "s.toml", text)])
    find(problems, "config.leaf_counted_twice", {"line": "t", "leaf": "r", "count": 2}, key="lines[3].sum_of",
         found="k, r")


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


def unit_template_problems(tmp_path: Path, text: str) -> list[Problem]:
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
    problem = find(problems, "config.table_column_needs_line", {"column": "tot"}, key="template.tables[0].line")
    assert problem.found is None  # the table has no line


def test_a_table_of_units_takes_no_rows_and_a_table_of_lines_needs_them(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE + 'rows = [{ line = "k" }]\n')
    find(problems, "config.table_by_unit_takes_no_rows", {"count": 1}, key="template.tables[0].rows")
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace('rows_by = "unit"', 'rows_by = "line"'))
    find(problems, "config.table_needs_rows", key="template.tables[0].rows")


def test_wrong_uses_of_the_new_column_settings_are_named(tmp_path):
    text = (UNIT_TABLE.replace('text = "{unit_code}"', 'text = "{unit_nr}"')
            .replace('subtrahend = "tot"', 'subtrahend = "tot"\nsign = "reversed"\nline = "c"')
            .replace('line = "c"\nsign = "reversed"\nzero', 'line = "zz"\nsign = "reversed"\nzero'))
    problems = unit_template_problems(tmp_path, text)
    find(problems, "config.placeholder_unknown", {"placeholder": "unit_nr"}, key="template.columns[0].text")
    find(problems, "config.sign_only_in_amount_columns", {"kind": "difference", "sign": "reversed"},
         key="template.columns[3].sign")
    find(problems, "config.line_only_in_amount_columns", {"kind": "difference"}, key="template.columns[3].line",
         found="c")
    find(problems, "config.column_line_unknown", key="template.columns[1].line", found="zz")


def test_a_text_column_needs_its_words_and_others_take_none(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace('text = "{unit_code}"\n', '').replace('minuend = "ta"', 'minuend = "ta"\ntext = "x"'))
    find(problems, "config.text_column_needs_text", key="template.columns[0].text")
    find(problems, "config.text_only_in_text_columns", key="template.columns[3].text", found="difference")


def test_a_heading_row_has_a_label_and_no_line(tmp_path):
    text = TEMPLATE.replace('rows = [{ line = "k" }]', 'rows = [{ heading = true }, { label = "X", heading = true, line = "k" }, { label = "Y" }]')
    problems = problems_of([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", text)])
    find(problems, "config.heading_needs_label", key="template.tables[0].rows[0].label")
    find(problems, "config.heading_takes_no_line", key="template.tables[0].rows[1].line", found="k")
    problem = find(problems, "config.row_needs_line", key="template.tables[0].rows[2].line")
    assert "heading = true" in problem_line(problem, "fi")


def test_amount_decimals_beyond_cents_are_refused_with_the_range(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace("amount_decimals = 2", "amount_decimals = 3"))
    problem = find(problems, "config.value.less_than_equal", {"le": 2}, key="template.amount_decimals", found="3")
    assert "odotettiin enintään 2" in problem_line(problem, "fi")


def test_an_unknown_key_names_the_keys_allowed_in_its_place(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace('label_header = "Yksikkö"', 'label_heading = "Yksikkö"'))
    (problem,) = [p for p in problems if p.key and "label_heading" in p.key]
    assert (problem.code, problem.file, problem.key) == (
        "config.value.extra_forbidden", str(tmp_path / "t.toml"), "template.tables[0].label_heading")
    assert {"rows_by", "label_header"} <= set(problem.params["allowed"])


def test_a_difference_of_two_lines_is_refused_in_a_table_of_units(tmp_path):
    problems = unit_template_problems(tmp_path, UNIT_TABLE.replace('line = "c"\nsign = "reversed"\nempty', 'line = "r"\nsign = "reversed"\nempty'))
    find(problems, "config.difference_lines_differ", {"column": "dev", "minuend_line": "c", "subtrahend_line": "r"},
         key="template.tables[0].columns")


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
    assert any(p.key == key and p.code.startswith("config.value.") for p in problems), problems


# --- a configuration that is not loaded is NotFound; pydantic's every error type has words -------------------


def test_an_unknown_licence_names_the_known_ones(tmp_path):
    text = TEMPLATE + '[template.document]\nlicence = "CC-BY-5.0"\n'
    problems = problems_of([write(tmp_path, "s.toml", SCHEME), write(tmp_path, "t.toml", text)])
    problem = find(problems, "licence.unknown", key="template.document.licence", found="CC-BY-5.0")
    assert problem.params["known"][:2] == ("CC-BY-4.0", "CC0-1.0")  # data, not the text of a tuple
    assert "odotettiin jokin lisensseistä CC-BY-4.0, CC0-1.0, " in problem_line(problem, "fi")


def test_a_template_or_scheme_not_loaded_is_not_found_and_one_not_named_is_refused(tmp_path):
    config = load_config_files([write(tmp_path, "o.toml", ORG), write(tmp_path, "s.toml", SCHEME),
                                write(tmp_path, "t.toml", TEMPLATE), write(tmp_path, "u.toml", UNIT_TABLE)])
    with pytest.raises(NotFound) as missing:
        config.template("nope")
    assert missing.value.codes == ("config.template_not_loaded",)
    assert missing.value.problems[0].params == {"name": "nope", "loaded": ("t", "u")}
    assert isinstance(missing.value, LookupError)
    with pytest.raises(Refused) as unnamed:
        config.template()
    assert unnamed.value.codes == ("config.template_not_named",) and not isinstance(unnamed.value, NotFound)
    with pytest.raises(NotFound) as scheme:
        config.scheme("x")
    assert scheme.value.codes == ("config.scheme_not_loaded",)
    for refused in (missing.value, unnamed.value, scheme.value):
        assert_readable(refused.problems[0])


WRONG_VALUES: tuple[object, ...] = (
    "x", "", " ", "2025-13", 0, -1, 3, 10**30, 1.5, 0.005, float("inf"), Decimal("NaN"), Decimal("0.001"), True,
    [], ["x"], [1], [{}], {}, {"zz": 1}, {"a": "x"}, date(2025, 1, 1), datetime(2025, 1, 1, 3), time(1),
)


def schema_models() -> list[type[BaseModel]]:
    """Every pydantic model of the configuration, content and mapping files, nested ones included."""
    from katsaus.config.content import ContentFile, NarrativeHead
    from katsaus.config.load import KINDS
    from katsaus.config.validation import inner_model
    from katsaus.intake.mapping import LedgerMapping

    found: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [*KINDS.values(), ContentFile, NarrativeHead, LedgerMapping]
    while todo:
        model = todo.pop()
        if model in found:
            continue
        found.append(model)
        todo += [m for f in model.model_fields.values() if (m := inner_model(f.annotation)) is not None]
    return found


def test_every_kind_of_wrong_value_has_a_code_with_words_in_both_languages():
    """Each field of each schema is given every kind of wrong value: each error pydantic makes becomes a known
    code (config.value.<type>, or a code of our validators) whose texts name only parameters it has."""
    from katsaus.config.validation import VALUE_TYPES, error_problem

    seen: set[str] = set()
    for model in schema_models():
        for name in model.model_fields:
            for value in WRONG_VALUES:
                try:
                    model.model_validate({name: value})
                except ValidationError as exc:
                    for error in exc.errors():
                        problem = error_problem(error, "f.toml", model)
                        assert problem.code != "config.value.invalid", (model, name, value, error["type"])
                        assert_readable(problem)
                        seen.add(problem.code)
        with pytest.raises(ValidationError) as not_a_table:
            model.model_validate("x")
        seen |= {error_problem(e, "f.toml", model).code for e in not_a_table.value.errors()}
    assert {f"config.value.{kind}" for kind in VALUE_TYPES} <= set(catalogue())
    assert {"config.value.missing", "config.value.extra_forbidden", "config.value.literal_error",
            "config.value.string_too_short", "config.value.greater_than_equal", "config.value.model_type",
            "config.value.decimal_max_places", "content.period_format", "mapping.encoding_unknown"} <= seen
