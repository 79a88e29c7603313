"""docs/ARCHITECTURE.md's "may import" table, enforced over every module of src/katsaus: an import that breaks it —
at a module's top, inside a function or under TYPE_CHECKING — fails, and so does any circle of module-level imports
(TYPE_CHECKING ones included)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "katsaus"
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"


@dataclass(frozen=True)
class Import:
    source: str      # the importing module
    target: str      # the imported module (a name imported from a package counts as its module where one exists)
    line: int
    top: bool        # at module level (TYPE_CHECKING blocks included), not inside a function


@dataclass(frozen=True)
class Layer:
    name: str
    paths: tuple[str, ...]
    may_import: frozenset[str]


def read_table() -> list[Layer]:
    """The layers of ARCHITECTURE.md's table: name, the paths it names, the layers it may import."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    header = text.index("| layer | files | what lives there | may import |")
    layers = []
    for row in text[header:].splitlines()[2:]:
        if not row.startswith("|"):
            break
        cells = [c.strip() for c in row.strip("|").split("|")]
        name, files, allowed = cells[0], cells[1], cells[-1]
        paths = tuple(re.findall(r"`(src/katsaus/[^`]*)`", files))
        layers.append(Layer(name, paths, frozenset(re.findall(r"`([^`]+)`", allowed))))
    return layers


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in SRC.rglob("*.py") if "migrations" not in p.parts}


def resolve(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(path: Path, known: set[str]) -> list[Import]:
    """Every import of a katsaus module in a file, each with whether it is at module level."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_functions = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
                    for n in ast.walk(f)}
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = resolve(node, package)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for target in targets:
            if target.startswith("katsaus") and target != name:
                found.append(Import(name, target, node.lineno, id(node) not in in_functions))
    return found


def all_imports() -> list[Import]:
    found = modules()
    return [i for path in found.values() for i in imports_of(path, set(found))]


def layer_of(module: str, path: Path, layers: list[Layer]) -> Layer:
    """The most specific row naming the module's file or a folder above it."""
    relative = str(path.relative_to(ROOT))
    matches = [(len(p), layer) for layer in layers for p in layer.paths
               if relative == p or (p.endswith("/") and relative.startswith(p))]
    assert matches, f"{relative} is in no row of ARCHITECTURE.md's table"
    return max(matches, key=lambda m: m[0])[1]


def test_the_table_is_read() -> None:
    layers = {layer.name: layer for layer in read_table()}
    assert {"core", "services", "web", "cli"} <= set(layers)
    assert layers["web"].may_import == {"services", "render"}
    assert layers["core"].may_import <= {"core"}


def test_the_reader_sees_lazy_and_type_checking_imports() -> None:
    """Known imports of each kind, so that the tests below can fail."""
    found = {(i.source, i.target, i.top) for i in all_imports()}
    assert ("katsaus.content_cli", "katsaus.services.reports", False) in found  # inside a function
    assert any(s == "katsaus.services.reports" and t.startswith("katsaus.core.model") and top
               for s, t, top in found)  # under TYPE_CHECKING


def test_every_module_is_in_the_table() -> None:
    layers = read_table()
    for module, path in modules().items():
        layer_of(module, path, layers)


def test_every_import_keeps_to_the_table() -> None:
    layers = read_table()
    found = modules()
    broken = []
    for imp in all_imports():
        if imp.target not in found:
            continue
        source = layer_of(imp.source, found[imp.source], layers)
        target = layer_of(imp.target, found[imp.target], layers)
        if target.name != source.name and target.name not in source.may_import:
            broken.append(f"{imp.source}:{imp.line} ({source.name}) imports {imp.target} ({target.name})")
    assert broken == [], "imports that break docs/ARCHITECTURE.md's table:\n" + "\n".join(broken)


def test_no_circle_of_module_level_imports() -> None:
    graph: dict[str, set[str]] = {}
    known = modules()
    for imp in all_imports():
        if imp.top and imp.target in known:
            graph.setdefault(imp.source, set()).add(imp.target)
    circles = strongly_connected(graph)
    assert circles == [], "circles of imports: " + "; ".join(" -> ".join(sorted(c)) for c in circles)


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("graph, circles", [
    ({"a": {"b"}, "b": {"a"}}, [{"a", "b"}]),
    ({"a": {"b"}, "b": {"c"}}, []),
])
def test_circles_are_found(graph: dict[str, set[str]], circles: list[set[str]]) -> None:
    assert strongly_connected(graph) == circles
