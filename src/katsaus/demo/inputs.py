"""The demo generator's view of the configuration (organisation, scheme, template).

The files are read and validated by `katsaus.config.load_config_dir`; this module only adds the few derived
questions the generator asks of the core objects (which units carry cost centres, a line as a signed sum of
leaf lines, a printed label's line) on top of `OrgTree`, `Scheme` and `Template`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from katsaus.config import load_config_dir
from katsaus.core.org import CostCentre, OrgTree
from katsaus.core.scheme import Scheme
from katsaus.core.template import ColumnSpec, Template


@dataclass(frozen=True)
class DemoConfig:
    """Everything the generator needs from configs/demo: the loaded core objects plus derived lookups."""

    org: OrgTree
    scheme: Scheme
    template: Template

    @cached_property
    def columns(self) -> dict[str, ColumnSpec]:
        """The template's columns by key, in template order."""
        return {column.key: column for column in self.template.columns}

    # --- organisation
    @cached_property
    def leaf_units(self) -> list[str]:
        """Units that carry cost centres, in presentation order: the units the generator solves for."""
        owners = {cc.unit for cc in self.org.cost_centres}
        return [u.code for u in self.org.units if u.code in owners]

    def leaf_units_under(self, code: str) -> list[str]:
        """The leaf units whose sum a unit is (a leaf unit is its own sum)."""
        if code in self.leaf_units:
            return [code]
        return [leaf for child in self.org.children(code) for leaf in self.leaf_units_under(child)]

    def cost_centres_of(self, unit: str, day: date) -> list[CostCentre]:
        return [cc for cc in self.org.cost_centres if cc.unit == unit and cc.valid_on(day)]

    def unit_by_name(self, name: str) -> str:
        for unit in self.org.units:
            if unit.name_fi == name:
                return unit.code
        raise KeyError(f"no unit is named {name!r}")

    # --- scheme
    @cached_property
    def leaf_lines(self) -> list[str]:
        return [line.code for line in self.scheme.leaf_lines()]

    def terms(self, code: str) -> dict[str, int]:
        """A line as a signed sum of leaf lines."""
        line = self.scheme.line(code)
        if not line.is_derived:
            return {code: 1}
        result: dict[str, int] = {}
        for term in line.sum_of:
            for leaf, coef in self.terms(term.line).items():
                result[leaf] = result.get(leaf, 0) + term.sign * coef
        return {leaf: coef for leaf, coef in result.items() if coef}

    # --- template
    @cached_property
    def row_labels(self) -> dict[str, str]:
        """Printed label -> line code, from the template rows that override a line's name."""
        return {row.label: row.line for table in self.template.tables for row in table.rows if row.label}

    def line_by_label(self, label: str) -> str:
        if label in self.row_labels:
            return self.row_labels[label]
        for line in self.scheme.lines:
            if line.name_fi == label:
                return line.code
        raise KeyError(f"no statement line is printed as {label!r}")


def load_demo_config(config_dir: Path) -> DemoConfig:
    """Load configs/demo with the configuration loader; the generator writes ledger signs, costs positive."""
    config = load_config_dir(Path(config_dir))
    if config.organisation is None:
        raise ValueError(f"{config_dir}: the demo generator needs an organisation.toml")
    template = config.template()
    scheme = config.scheme(template.scheme)
    if scheme.ledger_sign != "costs_positive":
        raise ValueError("the demo generator writes ledger signs and needs ledger_sign = 'costs_positive'")
    return DemoConfig(config.organisation, scheme, template)
