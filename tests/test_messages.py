"""The one catalogue of messages: every code the source can make has Finnish and Swedish text with the same
parameters, and the texts are made from codes and parameters in the reader's form."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from katsaus.core.errors import Money, Note, Percent, Problem, Refused, Term
from katsaus.render import messages

SRC = Path(__file__).resolve().parents[1] / "src" / "katsaus"
# the constructors whose first argument (or `code=`) is a message code, and the keyword that names an outcome
CODE_CALLS = {"Problem", "Note", "Term", "InvalidTransition"}
OUTCOME_KEYWORDS = {"outcome"}


def literal_codes() -> dict[str, list[str]]:
    """Every code written as a string literal where a Problem, Note or Term is made, or an outcome named:
    {code: [file:line, …]}."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            values = []
            if name in CODE_CALLS:
                values += node.args[:1] + [k.value for k in node.keywords if k.arg == "code"]
            values += [k.value for k in node.keywords if k.arg in OUTCOME_KEYWORDS]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    code = f"term.{value.value}" if name == "Term" else value.value
                    found.setdefault(code, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_every_literal_code_has_finnish_and_swedish_text() -> None:
    catalogue = messages.catalogue()
    missing = {code: places for code, places in literal_codes().items() if code not in catalogue}
    assert not missing, "codes without catalogue text:\n" + "\n".join(f"{c}  ({', '.join(p)})"
                                                                    for c, p in sorted(missing.items()))


def test_every_entry_is_in_both_languages_with_the_same_parameters() -> None:
    wrong = []
    for code, entry in messages.catalogue().items():
        for part in ("", "expected_"):
            texts = {lang: entry.get(part + lang) for lang in messages.LANGUAGES}
            if all(t is None for t in texts.values()):
                continue
            if any(not t for t in texts.values()):
                wrong.append(f"{code}: {part or 'text'} missing in {[k for k, t in texts.items() if not t]}")
            elif len({frozenset(messages.placeholders(t or "")) for t in texts.values()}) > 1:
                wrong.append(f"{code}: {part or 'text'} parameters differ between languages")
        unknown = set(entry) - {"fi", "sv", "expected_fi", "expected_sv"}
        if unknown:
            wrong.append(f"{code}: unknown parts {sorted(unknown)}")
    assert not wrong, "\n".join(wrong)


def test_every_status_and_role_and_severity_has_words() -> None:
    from katsaus.services.permissions import ROLES
    from katsaus.services.rounds import STATUSES

    catalogue = messages.catalogue()
    codes = [f"term.status.{s}" for s in STATUSES] + [f"term.role.{r}" for r in ROLES] + \
        [f"term.severity.{s}" for s in ("error", "warning", "info")]
    assert [c for c in codes if c not in catalogue] == []


def test_a_problem_is_shown_in_the_readers_language_with_its_parameters_in_their_form() -> None:
    problem = Problem("outcome.more_problems", {"count": 12345}, file="kirjanpito.csv", row=12, column="summa",
                      found="1,2,3")
    assert messages.problem_line(problem, "fi") == \
        "kirjanpito.csv, rivi 12, sarake 'summa': … ja 12345 muuta ongelmaa, löytyi '1,2,3'"
    assert messages.problem_line(problem, "sv") == \
        "kirjanpito.csv, rad 12, kolumn 'summa': … och 12345 andra problem, hittades '1,2,3'"


@pytest.mark.parametrize(("value", "fi", "sv"), [
    (Money(-123456789), "-1\u00a0234\u00a0567,89\u00a0€", "-1\u00a0234\u00a0567,89\u00a0€"),
    (Percent(Fraction(1, 8)), "12,5\u00a0%", "12,5\u00a0%"),
    (Decimal("58.2"), "58,2", "58,2"),
    (Fraction(2, 3), "0,6667", "0,6667"),
    (2025, "2025", "2025"),
    (date(2025, 6, 30), "30.6.2025", "30.6.2025"),
    (Term("status.approved"), "hyväksytty", "godkänd"),
    (("a", 3), "a, 3", "a, 3"),
])
def test_parameters_in_the_readers_form(value: object, fi: str, sv: str) -> None:
    assert messages.param_text(value, "fi") == fi
    assert messages.param_text(value, "sv") == sv


def test_a_refusal_says_what_was_not_done() -> None:
    refused = Refused([Problem("outcome.nothing_done")], omitted=2, outcome="outcome.nothing_stored")
    assert messages.outcome_text(refused, "fi") == "ongelmia 3; mitään ei tallennettu."
    assert messages.outcome_text(refused, "sv") == "problem 3; ingenting sparades."
    assert messages.note_text(Note("outcome.nothing_written"), "sv") == "ingenting skrevs"


def test_an_unknown_code_shows_its_code_in_production_and_fails_in_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(messages, "STRICT", False)
    assert messages.note_text(Note("no.such.code", {"n": 1}), "fi") == "no.such.code(n=1)"
    monkeypatch.setattr(messages, "STRICT", True)
    with pytest.raises(KeyError, match="no.such.code"):
        messages.note_text(Note("no.such.code"), "fi")
