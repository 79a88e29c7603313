"""The bad-input corpus (tests/bad_inputs, written by its make_corpus.py): every file is refused with the
expected problem (its code, and the row, column, what was found and the Finnish words where the case names
them), every problem reads in Finnish and Swedish, and no parser raises anything but the project's own refusal."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from reliability_support import CTX, assert_readable

from katsaus.config.load import load_config_files
from katsaus.core.errors import Problem, Refused
from katsaus.intake.ledger import read_ledger
from katsaus.intake.mapping import load_mapping, parse_mapping
from katsaus.intake.plans import read_plan
from katsaus.render.messages import problem_line

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))["case"]
DEMO = Path(__file__).parents[1] / "configs" / "demo"


def problems_of(case: dict, tmp_path: Path) -> list[Problem]:
    path = CORPUS / case["file"]
    kind = case["kind"]
    if kind == "ledger":
        mapping = parse_mapping(tomllib.loads("[mapping]\n" + case.get("mapping", "")), "m.toml")
        return read_ledger(path, mapping, CTX).problems
    if kind == "plan":
        return read_plan(path, CTX).problems
    try:
        if kind == "mapping":
            load_mapping(path)
        else:
            config = tmp_path / "config"
            config.mkdir()
            shutil.copy(path, config / "organisation.toml")
            for name in ("scheme.toml", "template.toml"):
                shutil.copy(DEMO / name, config / name)
            load_config_files(sorted(config.glob("*.toml")))
    except Refused as exc:
        return list(exc.problems)
    return []


def test_the_corpus_has_forty_cases_or_more() -> None:
    assert len(CASES) >= 40
    assert {c["file"] for c in CASES} == {p.name for p in CORPUS.iterdir() if p.name not in ("cases.toml",
                                                                                             "make_corpus.py")}


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_a_bad_file_is_refused_with_its_message(case: dict, tmp_path: Path) -> None:
    problems = [p for p in problems_of(case, tmp_path) if p.severity == "error"]
    assert problems, f"{case['file']} ({case['what']}) was accepted"
    for problem in problems:
        assert_readable(problem)
    said = [str(p) for p in problems]
    matching = [p for p in problems if p.code == case["code"]]
    assert matching, said
    for name in ("row", "column", "found"):
        if name in case:
            assert any(getattr(p, name) == case[name] for p in matching), (name, said)
    if "fi" in case:
        assert any(case["fi"] in problem_line(p, "fi") for p in matching), [problem_line(p, "fi") for p in matching]


def test_a_huge_field_is_refused_also_after_a_library_raised_the_process_wide_limit(tmp_path: Path) -> None:
    """The csv module's field limit is process-wide and frictionless raises it when imported: the intake says
    its own limit, so a 3 MB field is refused whatever was imported before."""
    import csv
    import sys

    case = next(c for c in CASES if c["file"] == "huge_line.csv")
    before = csv.field_size_limit(sys.maxsize)
    try:
        problems = problems_of(case, tmp_path)
        said = [str(p) for p in problems]
    finally:
        csv.field_size_limit(before)
    assert any(p.code == case["code"] and p.row == case["row"] for p in problems), said
