"""The codes core makes from names (a rule's failure, a narrative problem as a finding, the terms of statuses,
rules, methods and kinds) have Finnish and Swedish text: tests/test_messages.py finds the codes written as
literals; these are built at run time, so their families are listed here. Read from the catalogue files
themselves, so that this holds whatever the rest of the render package is doing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from katsaus.core import checks, forecast, goals, narrative

CATALOGUE = Path(__file__).resolve().parents[1] / "src" / "katsaus" / "render" / "catalogue"


def catalogue() -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE.glob("*.toml")):
        with path.open("rb") as handle:
            entries.update(tomllib.load(handle))
    return entries


def narrative_codes() -> set[str]:
    """Every narrative.* code the placeholders can give, from the catalogue's core.toml (narrative.py's codes are
    literals, which tests/test_messages.py checks there)."""
    with (CATALOGUE / "core.toml").open("rb") as handle:
        return {code for code in tomllib.load(handle) if code.startswith("narrative.")}


FAMILIES = {
    "a rule that fails": {f"check.{name}.failed" for name, _ in checks.RULES},
    "a narrative problem as a finding": {"check.narrative_reference." + c.split(".", 1)[1] for c in narrative_codes()},
    "goal statuses": {f"term.goal_status.{s}" for s in goals.STATUS_CODES},
    "goal rules": {f"term.goal_rule.{k}" for k in goals.RULE_KINDS},
    "forecast methods": {f"term.forecast_method.{m}" for m in forecast.METHODS},
    "why a method did not apply": {f"term.forecast_why.{w}" for w in (*forecast.WHY.values(), "not_applicable")},
    "claims": {f"term.claim.{c}" for c in checks.CLAIMS},
    "metric places and roles": {f"term.metric_place.{p}" for p in ("goal", "key_result")}
    | {f"term.metric_role.{r}" for r in ("actual", "measured", "baseline", "target")},
    "figure kinds": {"term.figure_kind.amount", "term.figure_kind.percent"},
    "plan kinds": {"term.plan_kind.budget", "term.plan_kind.forecast"},
    "cell kinds": {f"term.cell_kind.{k}" for k in ("amount", "ratio", "text")},
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_code_built_from_a_name_has_finnish_and_swedish_text(family: str) -> None:
    known = catalogue()
    missing = sorted(code for code in FAMILIES[family] if not (known.get(code, {}).get("fi") and known[code].get("sv")))
    assert missing == []


def test_the_narrative_codes_are_all_there_is() -> None:
    """Each narrative.* code of the catalogue is one core.narrative makes (so the family above is complete)."""
    source = Path(narrative.__file__).read_text(encoding="utf-8")
    assert narrative_codes() and all(f'"{code}"' in source for code in narrative_codes())

