"""Documentation that cannot drift: every configuration key and every CLI option is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main
from pydantic import BaseModel
from typer.core import TyperGroup

from katsaus.cli import app
from katsaus.config import schema
from katsaus.intake.mapping import LedgerMapping

ROOT = Path(__file__).parents[1]
CONFIG_DOC = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def model_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        inner = getattr(field.annotation, "__args__", (field.annotation,))
        nested = [t for t in inner if isinstance(t, type) and issubclass(t, BaseModel)]
        if nested:
            sep = "[]." if getattr(field.annotation, "__origin__", None) is list else "."
            keys += model_keys(nested[0], f"{key}{sep}")
        else:
            keys.append(key)
    return keys


def documented(key: str) -> bool:
    """`a.b.c` is documented as `a.b.c`, or as a sibling after a comma in the same cell: `a.b.x`, `.c`."""
    parent, _, last = key.rpartition(".")
    sibling = rf"`{re.escape(parent)}\.[\w\[\]]+`(, `\.[\w]+`)*, `\.{re.escape(last)}`"
    plain_sibling = rf"`{re.escape(parent)}\.[\w\[\]]+`, `{re.escape(key)}`"
    return f"`{key}`" in CONFIG_DOC or bool(re.search(sibling, CONFIG_DOC) or re.search(plain_sibling, CONFIG_DOC))


def test_every_configuration_key_is_documented():
    keys = []
    for model in (schema.OrganisationFile, schema.SchemeFile, schema.TemplateFile):
        keys += model_keys(model)
    keys += [k for k in model_keys(LedgerMapping, "mapping.") if k != "mapping.source"]  # source: not a TOML key
    missing = [k for k in keys if not documented(k)]
    assert missing == []


def test_every_cli_command_is_in_the_readme():
    root = typer.main.get_command(app)
    commands = []
    for name, command in root.commands.items():
        if isinstance(command, TyperGroup):
            commands += [f"katsaus {name} {sub}" for sub in command.commands]
        else:
            commands.append(f"katsaus {name}")
    missing = [c for c in commands if c not in README]
    assert missing == []


def command_options(command, name: str = "katsaus"):
    """(command line, option) for every long option of every command, e.g. ('katsaus report', '--as-of')."""
    if hasattr(command, "commands"):
        for sub, inner in command.commands.items():
            yield from command_options(inner, f"{name} {sub}")
        return
    for param in command.params:
        for option in getattr(param, "opts", ()):
            if option.startswith("--") and option != "--help":
                yield name, option


def test_every_cli_option_is_documented_where_its_command_is():
    docs = [README] + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))]
    found = list(command_options(typer.main.get_command(app)))
    missing = [f"{name} {option}" for name, option in found
               if not any(name in text and option in text for text in docs)]
    assert len(found) > 50 and missing == []
