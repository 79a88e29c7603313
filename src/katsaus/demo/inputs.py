"""The demo generator's own minimal reading of the TOML configuration (organisation, scheme, template).

The real configuration loader (`katsaus.config`) validates everything; the generator only needs the structure,
so it reads the files with `tomllib` itself and fails loudly on anything it does not understand.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class PrefixRange:
    """An account prefix range such as "30-31": every account whose first len(low) characters lie in [low, high]."""

    low: str
    high: str

    @classmethod
    def parse(cls, text: str) -> "PrefixRange":
        low, _, high = text.partition("-")
        high = high or low
        if len(low) != len(high) or not (low.isdigit() and high.isdigit()):
            raise ValueError(f"bad account prefix range {text!r}")
        return cls(low, high)

    def matches(self, account: str) -> bool:
        head = account[: len(self.low)]
        return len(head) == len(self.low) and self.low <= head <= self.high


@dataclass(frozen=True)
class CostCentre:
    code: str
    name: str
    unit: str
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Unit:
    code: str
    name_fi: str
    parent: str | None


@dataclass(frozen=True)
class Line:
    code: str
    name_fi: str
    accounts: tuple[PrefixRange, ...] = ()
    sum_of: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return bool(self.accounts)


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    kind: str
    version: str | None = None
    year_offset: int = 0
    numerator: str | None = None
    denominator: str | None = None
    minuend: str | None = None
    subtrahend: str | None = None


@dataclass(frozen=True)
class DemoConfig:
    """Everything the generator needs from configs/demo."""

    units: tuple[Unit, ...]
    cost_centres: tuple[CostCentre, ...]
    lines: tuple[Line, ...]
    internal: tuple[PrefixRange, ...]
    columns: dict[str, TemplateColumn]
    row_labels: dict[str, str] = field(default_factory=dict)  # printed label -> line code (template overrides)

    # --- organisation
    def unit(self, code: str) -> Unit:
        return next(u for u in self.units if u.code == code)

    def children(self, code: str) -> list[str]:
        return [u.code for u in self.units if u.parent == code]

    @property
    def leaf_units(self) -> list[str]:
        """Units that carry cost centres, in presentation order: the units the generator solves for."""
        owners = {cc.unit for cc in self.cost_centres}
        return [u.code for u in self.units if u.code in owners]

    def leaf_units_under(self, code: str) -> list[str]:
        """The leaf units whose sum a unit is (a leaf unit is its own sum)."""
        if code in self.leaf_units:
            return [code]
        return [leaf for child in self.children(code) for leaf in self.leaf_units_under(child)]

    def cost_centres_of(self, unit: str, day: date) -> list[CostCentre]:
        return [cc for cc in self.cost_centres if cc.unit == unit and cc.valid_on(day)]

    # --- scheme
    def line(self, code: str) -> Line:
        return next(ln for ln in self.lines if ln.code == code)

    @property
    def leaf_lines(self) -> list[str]:
        return [ln.code for ln in self.lines if ln.is_leaf]

    def terms(self, code: str) -> dict[str, int]:
        """A line as a signed sum of leaf lines (sum_of entries may start with '-' to subtract)."""
        line = self.line(code)
        if line.is_leaf:
            return {code: 1}
        result: dict[str, int] = {}
        for item in line.sum_of:
            sign = -1 if item.startswith("-") else 1
            for leaf, coef in self.terms(item.lstrip("-")).items():
                result[leaf] = result.get(leaf, 0) + sign * coef
        return {leaf: coef for leaf, coef in result.items() if coef}

    def line_of_account(self, account: str) -> str | None:
        for line in self.lines:
            if any(r.matches(account) for r in line.accounts):
                return line.code
        return None

    def is_internal(self, account: str) -> bool:
        return any(r.matches(account) for r in self.internal)

    def line_by_label(self, label: str) -> str:
        if label in self.row_labels:
            return self.row_labels[label]
        for line in self.lines:
            if line.name_fi == label:
                return line.code
        raise KeyError(f"no statement line is printed as {label!r}")

    def unit_by_name(self, name: str) -> str:
        for unit in self.units:
            if unit.name_fi == name:
                return unit.code
        raise KeyError(f"no unit is named {name!r}")


def _read(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_demo_config(config_dir: Path) -> DemoConfig:
    org = _read(config_dir / "organisation.toml")
    scheme = _read(config_dir / "scheme.toml")
    template = _read(config_dir / "template.toml")
    units = tuple(Unit(u["code"], u["name_fi"], u.get("parent")) for u in org["units"])
    centres = tuple(
        CostCentre(str(c["code"]), c["name"], c["unit"], c.get("valid_from"), c.get("valid_to"))
        for c in org["cost_centres"]
    )
    lines = tuple(
        Line(
            ln["code"],
            ln["name_fi"],
            tuple(PrefixRange.parse(r) for r in ln.get("accounts", [])),
            tuple(ln.get("sum_of", [])),
        )
        for ln in scheme["lines"]
    )
    internal = tuple(PrefixRange.parse(r) for r in scheme["scheme"].get("internal_accounts", []))
    if scheme["scheme"].get("ledger_sign", "costs_positive") != "costs_positive":
        raise ValueError("the demo generator writes ledger signs and needs ledger_sign = 'costs_positive'")
    tpl = template["template"]
    columns = {
        c["key"]: TemplateColumn(
            key=c["key"],
            kind=c["kind"],
            version=c.get("version"),
            year_offset=c.get("year_offset", 0),
            numerator=c.get("numerator"),
            denominator=c.get("denominator"),
            minuend=c.get("minuend"),
            subtrahend=c.get("subtrahend"),
        )
        for c in tpl.get("columns", [])
    }
    labels = {
        row["label"]: row["line"]
        for table in tpl.get("tables", [])
        for row in table.get("rows", [])
        if "label" in row
    }
    return DemoConfig(units, centres, lines, internal, columns, labels)
