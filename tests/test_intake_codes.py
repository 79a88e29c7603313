"""The codes of the reading and storing packages (config, intake, forecast, and the store's imports, forecasts,
backups and content): every code written in them has Finnish and Swedish text, also where it is handed to a
helper rather than written in a Problem(...) call (tests/test_messages.py looks at those), and no code is built
with an f-string."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from katsaus.render.messages import catalogue

SRC = Path(__file__).resolve().parents[1] / "src" / "katsaus"
FILES = sorted([*SRC.joinpath("config").rglob("*.py"), *SRC.joinpath("intake").rglob("*.py"),
                *SRC.joinpath("forecast").rglob("*.py"),
                *(SRC / "store" / f"{name}.py" for name in ("repository", "forecasts", "backup", "content"))])
AREAS = ("config", "content", "mapping", "ledger", "plan", "xlsx", "file", "forecast", "store", "backup", "value",
         "outcome")
CODE = re.compile(rf"^({'|'.join(AREAS)})\.[a-z0-9_]+(\.[a-z0-9_]+)*$")
MAKERS = {"Problem", "Note", "Term", "BadValue", "PydanticCustomError", "invalid", "refuse", "Refused", "NotFound",
          "Conflict"}


def literals() -> dict[str, list[str]]:
    """Every string literal that reads as a code, {code: [file:line]}, and every word named by Term("...") as
    its term.<code>; a configuration key given as `key=` and the parts of an f-string (a key like
    f"mapping.columns.{field}") are not codes."""
    found: dict[str, list[str]] = {}
    for path in FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                skipped |= {id(part) for part in node.values}
            elif isinstance(node, ast.keyword) and node.arg == "key":
                skipped.add(id(node.value))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Term" \
                    and node.args and isinstance(node.args[0], ast.Constant):  # a word: term.<its code>
                skipped.add(id(node.args[0]))
                found.setdefault(f"term.{node.args[0].value}", []).append(f"{path.relative_to(SRC)}:{node.lineno}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped \
                    and CODE.match(node.value):
                found.setdefault(node.value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_every_code_of_these_packages_has_finnish_and_swedish_text() -> None:
    codes = literals()
    assert len(codes) > 150  # the scan sees them
    missing = {code: places for code, places in codes.items() if code not in catalogue()}
    assert not missing, "\n".join(f"{code}  ({', '.join(places)})" for code, places in sorted(missing.items()))


def test_no_code_is_built_with_an_f_string() -> None:
    """What varies is a parameter: an f-string code would be a code no test can look up."""
    built = []
    for path in FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.JoinedStr):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in MAKERS:
                    built.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert built == []
