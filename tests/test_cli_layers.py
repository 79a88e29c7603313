"""The command line is a thin layer over katsaus.services: no circle of imports between the CLI modules, and
neither the services nor the demo import the CLI (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "katsaus"
CLI = {"katsaus.cli", "katsaus.content_cli", "katsaus.forecasting_cli", "katsaus.cli_common"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every katsaus module a file imports, at its top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("katsaus")}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("katsaus"):
                found.add(target)
                found |= {f"{target}.{a.name}" for a in node.names}
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in SRC.rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}


def test_the_resolver_sees_lazy_imports():
    # a known lazy import, so that the tests below can fail
    assert "katsaus.services.reports" in graph()["katsaus.content_cli"]


def test_services_and_demo_do_not_import_the_command_line():
    offenders = {name: deps & CLI for name, deps in graph().items()
                 if (name.startswith("katsaus.services") or name.startswith("katsaus.demo")) and deps & CLI}
    assert offenders == {}


def test_no_circle_of_imports_between_the_command_line_modules():
    edges = graph()
    assert edges["katsaus.content_cli"] & CLI == {"katsaus.cli_common"}
    assert edges["katsaus.forecasting_cli"] & CLI == {"katsaus.cli_common"}
    assert edges["katsaus.cli_common"] & CLI == set()
