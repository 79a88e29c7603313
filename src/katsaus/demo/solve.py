"""Solve the printed tables for unrounded amounts per (result area, leaf line, column).

Unknowns: euros per leaf unit × leaf line × value column (the budget in force, the actual, the forecast).
Every printed cell is a linear constraint on them:

* an amount printed as v (1000 €) -> |Σ coef·x − 1000·v| ≤ 500 € − margin (inside the rounding interval);
* a difference (MTA − TPE) the same, on the difference of the two columns' forms;
* a ratio printed p % with a base printed b ≠ 0 -> p/100 − r ≤ num/den ≤ p/100 + r, linear once multiplied
  by den, whose sign is known from b; a ratio printed 0,0 % over a base printed 0 -> the base is exactly 0;
* an empty actual cell -> every variable in it is 0 and will get no ledger rows at all.

The margin is 50 € (amounts) and 0.01 percentage points (ratios) from the interval's edge; a priced slack per
row lets a cell come closer (never closer than 5 € / 0.001 pp) only where the printed figures force it.
The objective keeps the solution close (L1, relative) to a proportional prior and the forecast equal to the
budget wherever the printed figures allow: a linear program solved with HiGHS (scipy.optimize.milp). Floats
live only inside the solver; the result is rounded to cents (actuals) or whole euros (plans) and then verified
exactly against every printed cell with integer arithmetic (plans fall back to cents if euros ever missed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from katsaus.demo import profile
from katsaus.demo.inputs import DemoConfig
from katsaus.demo.reference import RefCell, format_amount, format_ratio, parse_amount, parse_percent

VALUE_KINDS = ("budget", "actual", "forecast")
Key = tuple[str, str, str]  # (leaf unit, leaf line, value column)


@dataclass(frozen=True)
class Margins:
    """How far inside the rounding intervals the solution stays (distance from the interval's edge).

    The solver aims at `amount_eur` / `ratio` for every cell and gives ground, at a heavy price, only where
    the printed figures themselves force a value near an edge, never closer than the `*_min` values.
    """

    amount_eur: float = 50.0  # i.e. |x − printed·1000 €| ≤ 450 €; the rounding interval is ±500 €
    amount_min_eur: float = 5.0
    ratio: float = 0.0001  # i.e. |ratio − printed/100| ≤ 0.0004; the interval is ±0.0005 (±0.05 pp)
    ratio_min: float = 0.00001


SLACK_PRICE = 1000.0  # objective cost of using up a cell's whole margin (prior deviations cost ~1 each)
FORECAST_PRICE = 20.0  # a forecast line differs from its budget line only where the printed figures need it


@dataclass(frozen=True)
class Solution:
    cents: dict[Key, int]  # statement sign
    empty: frozenset[Key]  # actual cells that must have no entries at all
    margins: Margins
    relaxed: int  # constraint rows whose margin the printed figures forced below the target


class InfeasibleError(RuntimeError):
    pass


def referenced(key: str | None, column: str, what: str) -> str:
    """The column a ratio or difference column names as its `what` (the template requires it)."""
    if key is None:
        raise ValueError(f"column {column!r} names no {what}")
    return key


@dataclass(frozen=True)
class Layout:
    """Index of the LP variables: value column × leaf unit × leaf line (in k€ inside the solver)."""

    units: tuple[str, ...]
    lines: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.units) * len(self.lines) * len(self.columns)

    def index(self, unit: str, line: str, column: str) -> int:
        c, u, ln = self.columns.index(column), self.units.index(unit), self.lines.index(line)
        return (c * len(self.units) + u) * len(self.lines) + ln

    def keys(self) -> list[Key]:
        return [(u, ln, c) for c in self.columns for u in self.units for ln in self.lines]


def value_columns(config: DemoConfig, cells: list[RefCell]) -> tuple[str, ...]:
    """The printed columns that are amounts of one version (budget, actual, forecast) plus those ratios and
    differences refer to."""
    used = {cell.column for cell in cells}
    needed: set[str] = set()
    for key in used:
        col = config.columns[key]
        refs = [col.numerator, col.denominator, col.minuend, col.subtrahend]
        needed |= {key} if col.kind in VALUE_KINDS else {r for r in refs if r}
    for key in needed:
        if config.columns[key].kind not in VALUE_KINDS or config.columns[key].year_offset != 0:
            raise ValueError(f"column {key!r} must be a budget, actual or forecast column of the year")
    return tuple(k for k in config.columns if k in needed)


class Forms:
    """Linear forms {variable index: coefficient} of printed cells."""

    def __init__(self, config: DemoConfig, layout: Layout) -> None:
        self.config = config
        self.layout = layout

    def value(self, unit: str, line: str, column: str) -> dict[int, int]:
        form: dict[int, int] = {}
        for leaf_unit in self.config.leaf_units_under(unit):
            for leaf, coef in self.config.terms(line).items():
                form[self.layout.index(leaf_unit, leaf, column)] = coef
        return form

    def of(self, unit: str, line: str, column: str) -> dict[int, int]:
        col = self.config.columns[column]
        if col.kind in VALUE_KINDS:
            return self.value(unit, line, column)
        if col.kind == "difference":
            form = dict(self.value(unit, line, referenced(col.minuend, column, "minuend")))
            for i, coef in self.value(unit, line, referenced(col.subtrahend, column, "subtrahend")).items():
                form[i] = form.get(i, 0) - coef
            return form
        raise ValueError(f"column {column!r} of kind {col.kind!r} is not an amount")


@dataclass
class Rows:
    """One-sided linear constraints `a·x + slack ≥ rhs` (sense +1) or `a·x − slack ≤ rhs` (sense −1); the
    slack (0 ≤ slack ≤ slack_max, priced in the objective) lets a cell give up part of its margin."""

    forms: list[Mapping[int, float]] = field(default_factory=list)
    senses: list[int] = field(default_factory=list)
    rhs: list[float] = field(default_factory=list)
    slack_max: list[float] = field(default_factory=list)

    def add(self, form: Mapping[int, float], sense: int, rhs: float, slack_max: float = 0.0) -> None:
        self.forms.append(form)
        self.senses.append(sense)
        self.rhs.append(rhs)
        self.slack_max.append(slack_max)

    def add_equal(self, form: Mapping[int, float], rhs: float) -> None:
        self.add(form, 1, rhs)
        self.add(form, -1, rhs)


Printed = dict[tuple[str, str, str], str]  # (unit, line, column) -> the printed text


def _printed(cells: list[RefCell]) -> Printed:
    return {(c.unit, c.line, c.column): c.text for c in cells}


def build_constraints(config: DemoConfig, cells: list[RefCell], layout: Layout, margins: Margins
                      ) -> tuple[Rows, set[int]]:
    """Every printed cell as linear rows (k€); returns the rows and the variables fixed to 0 (empty cells)."""
    forms, printed = Forms(config, layout), _printed(cells)
    rows, empty = Rows(), set[int]()
    inner = 0.5 - margins.amount_eur / 1000  # half-width of the target interval, k€
    give = (margins.amount_eur - margins.amount_min_eur) / 1000
    for cell in cells:
        col = config.columns[cell.column]
        if col.kind == "ratio":
            _ratio_rows(rows, forms, cell, printed, margins)
        elif cell.is_empty:
            if col.kind != "actual":
                raise ValueError(f"{cell}: only actual cells can be empty (plans are written with explicit 0)")
            empty |= set(forms.of(cell.unit, cell.line, cell.column))
        else:
            target, form = parse_amount(cell.text), forms.of(cell.unit, cell.line, cell.column)
            rows.add(form, 1, target - inner, give)
            rows.add(form, -1, target + inner, give)
    return rows, empty


def _ratio_rows(rows: Rows, forms: Forms, cell: RefCell, printed: Printed, margins: Margins) -> None:
    col = forms.config.columns[cell.column]
    percent = parse_percent(cell.text)
    denominator = referenced(col.denominator, cell.column, "denominator")
    base_text = printed.get((cell.unit, cell.line, denominator))
    if base_text is None:
        raise ValueError(f"{cell}: the ratio's base column {denominator!r} is not printed")
    den = forms.value(cell.unit, cell.line, denominator)
    if base_text == "" or parse_amount(base_text) == 0:
        if percent != 0:
            raise ValueError(f"{cell}: a non-zero ratio over a base printed 0 is not supported")
        rows.add_equal(den, 0.0)  # "0,0 %" over a printed 0: the base is exactly zero
        return
    num = forms.value(cell.unit, cell.line, referenced(col.numerator, cell.column, "numerator"))
    ratio = float(percent / Decimal(100))
    base = parse_amount(base_text)
    sign = 1 if base > 0 else -1
    # The slack is in k€ of the numerator; |den| ≥ |base| − 0.5, so slack ≤ give·(|base| − 0.5) moves the
    # ratio bound by at most `give`: the ratio never comes closer than ratio_min to the interval's edge.
    give = (margins.ratio - margins.ratio_min) * (abs(base) - 0.5)
    for bound, lower_side in ((ratio - 0.0005 + margins.ratio, True), (ratio + 0.0005 - margins.ratio, False)):
        # ratio ≥ bound  <=>  num − bound·den ≥ 0 when den > 0; a negative den flips the inequality
        form: dict[int, float] = dict(num)
        for i, coef in den.items():
            form[i] = form.get(i, 0) - bound * coef
        rows.add(form, 1 if lower_side == (sign > 0) else -1, 0.0, give)


def build_prior(config: DemoConfig, cells: list[RefCell], layout: Layout) -> np.ndarray:
    """A plausible proportional prior (k€): the profile's composition of each result area, fitted by
    iterative proportional scaling to every printed amount whose leaves all share one natural sign."""
    x = np.zeros(layout.size)
    for unit in layout.units:
        for line, share in profile.composition(unit).items():
            if line in layout.lines and line in profile.NATURAL_SIGN:
                for column in layout.columns:
                    x[layout.index(unit, line, column)] = profile.NATURAL_SIGN[line] * share
    targets = _fit_targets(config, cells, layout)
    for _ in range(200):
        for idx, target in targets:
            current = x[idx].sum()
            if current != 0 and np.sign(current) == np.sign(target):
                x[idx] *= target / current
    return x


def _fit_targets(config: DemoConfig, cells: list[RefCell], layout: Layout) -> list[tuple[np.ndarray, float]]:
    forms, targets, keys = Forms(config, layout), [], layout.keys()
    for cell in cells:
        if config.columns[cell.column].kind not in VALUE_KINDS or cell.is_empty:
            continue
        target = parse_amount(cell.text)
        form = forms.value(cell.unit, cell.line, cell.column)
        signs = {profile.NATURAL_SIGN.get(keys[i][1], 0) for i in form}
        if target != 0 and set(form.values()) == {1} and signs == {int(np.sign(target))}:
            targets.append((np.array(sorted(form)), float(target)))
    return targets


class _Program:
    """A sparse constraint matrix built row by row: lower ≤ Σ coef·v ≤ upper."""

    def __init__(self, rows: int, columns: int) -> None:
        self.matrix = lil_matrix((rows, columns))
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, entries: dict[int, float], lower: float, upper: float = np.inf) -> None:
        r = len(self.lower)
        for i, coef in entries.items():
            self.matrix[r, i] = coef
        self.lower.append(lower)
        self.upper.append(upper)

    def constraint(self) -> LinearConstraint:
        return LinearConstraint(self.matrix.tocsr(), self.lower, self.upper)


def solve_lp(config: DemoConfig, cells: list[RefCell], layout: Layout, margins: Margins
             ) -> tuple[np.ndarray, set[int], list[int]]:
    """min Σ w·|x − prior| + Σ λ·|x_forecast − x_budget| + price·slack  subject to the printed cells.

    Variables, in this order: x (k€, one per key), d ≥ |x − prior|, e ≥ |forecast − budget|, one slack per
    constraint row. Returns x, the indices fixed to 0 by empty cells, and the rows whose margin gave way.
    """
    rows, empty = build_constraints(config, cells, layout, margins)
    prior = build_prior(config, cells, layout)
    n, pairs, m = layout.size, _forecast_budget_pairs(config, layout), len(rows.forms)
    e0, s0 = 2 * n, 2 * n + len(pairs)
    weights = 1.0 / np.maximum(np.abs(prior), 50.0)  # relative deviation; 50 k€ floor for tiny lines
    slack_max = np.array(rows.slack_max)
    slack_cost = np.where(slack_max > 0, SLACK_PRICE / np.maximum(slack_max, 1e-12), 0.0)
    cost = np.concatenate([np.zeros(n), weights, [FORECAST_PRICE * weights[b] for b, _ in pairs], slack_cost])
    program = _Program(m + 2 * n + 2 * len(pairs), s0 + m)
    for r, (form, sense, rhs) in enumerate(zip(rows.forms, rows.senses, rows.rhs)):
        entries = {**form, s0 + r: sense}  # a·x + slack ≥ rhs  or  a·x − slack ≤ rhs
        program.add(entries, *((rhs, np.inf) if sense > 0 else (-np.inf, rhs)))
    for i in range(n):  # d_i ≥ |x_i − prior_i|
        program.add({n + i: 1, i: -1}, -prior[i])
        program.add({n + i: 1, i: 1}, prior[i])
    for j, (b, f) in enumerate(pairs):  # e_j ≥ |x_forecast − x_budget|
        program.add({e0 + j: 1, f: -1, b: 1}, 0.0)
        program.add({e0 + j: 1, f: 1, b: -1}, 0.0)
    lb, ub = _variable_bounds(layout, empty, s0 + m)
    ub[s0:] = slack_max
    result = milp(cost, constraints=program.constraint(), bounds=Bounds(lb, ub))
    if result.status != 0 or result.x is None:
        raise InfeasibleError(f"the printed figures admit no solution with {margins}: {result.message}")
    tight = [r for r in range(m) if result.x[s0 + r] > 1e-9]
    return result.x[:n], empty, tight


def _forecast_budget_pairs(config: DemoConfig, layout: Layout) -> list[tuple[int, int]]:
    kinds = {c: config.columns[c].kind for c in layout.columns}
    budgets = [c for c in layout.columns if kinds[c] == "budget"]
    forecasts = [c for c in layout.columns if kinds[c] == "forecast"]
    return [(layout.index(u, ln, b), layout.index(u, ln, f))
            for b in budgets for f in forecasts for u in layout.units for ln in layout.lines]


def _variable_bounds(layout: Layout, empty: set[int], total: int) -> tuple[np.ndarray, np.ndarray]:
    """Free variables, except: natural signs of operating lines, and 0 for empty cells."""
    lb, ub = np.full(total, -np.inf), np.full(total, np.inf)
    lb[layout.size:] = 0.0
    for i, (_, line, _) in enumerate(layout.keys()):
        sign = profile.NATURAL_SIGN.get(line, 0)
        if sign > 0:
            lb[i] = 0.0
        elif sign < 0:
            ub[i] = 0.0
        if i in empty:
            lb[i] = ub[i] = 0.0
    return lb, ub


def to_cents(config: DemoConfig, layout: Layout, x: np.ndarray, plan_cents: int = 100) -> dict[Key, int]:
    """Actuals to the cent; budgets and forecasts to multiples of `plan_cents` (100 = whole euros)."""
    cents: dict[Key, int] = {}
    for i, key in enumerate(layout.keys()):
        if config.columns[key[2]].kind == "actual":
            cents[key] = int(round(x[i] * 100_000))
        else:
            cents[key] = int(round(x[i] * 100_000 / plan_cents)) * plan_cents
    return cents


def evaluate(config: DemoConfig, cents: dict[Key, int], empty: frozenset[Key], cell: RefCell) -> str:
    """What the report prints for a cell, computed exactly from cents (the verification of a solution)."""
    col = config.columns[cell.column]
    if col.kind == "ratio":
        num = _amount(config, cents, empty, cell.unit, cell.line, referenced(col.numerator, cell.column, "numerator"))
        den = _amount(config, cents, empty, cell.unit, cell.line,
                      referenced(col.denominator, cell.column, "denominator"))
        return format_ratio(num, den)
    if col.kind == "difference":
        a = _amount(config, cents, empty, cell.unit, cell.line, referenced(col.minuend, cell.column, "minuend"))
        b = _amount(config, cents, empty, cell.unit, cell.line, referenced(col.subtrahend, cell.column, "subtrahend"))
        return format_amount(None if a is None or b is None else a - b)
    return format_amount(_amount(config, cents, empty, cell.unit, cell.line, cell.column))


def _amount(config: DemoConfig, cents: dict[Key, int], empty: frozenset[Key], unit: str, line: str,
            column: str) -> int | None:
    keys = [(u, leaf, column, coef) for u in config.leaf_units_under(unit)
            for leaf, coef in config.terms(line).items()]
    if all((u, leaf, c) in empty for u, leaf, c, _ in keys):
        return None
    return sum(coef * cents[(u, leaf, c)] for u, leaf, c, coef in keys)


def mismatches(config: DemoConfig, cells: list[RefCell], cents: dict[Key, int], empty: frozenset[Key]
               ) -> list[str]:
    out = []
    for cell in cells:
        got = evaluate(config, cents, empty, cell)
        if got != cell.text:
            out.append(f"{cell.unit}/{cell.line}/{cell.column}: printed {cell.text!r}, solution gives {got!r}")
    return out


def solve(config: DemoConfig, cells: list[RefCell], margins: Margins = Margins()) -> Solution:
    """Solve, round to cents, verify exactly against every printed cell."""
    layout = Layout(tuple(config.leaf_units), tuple(config.leaf_lines), value_columns(config, cells))
    x, empty_idx, tight = solve_lp(config, cells, layout, margins)
    keys = layout.keys()
    empty = frozenset(keys[i] for i in empty_idx)
    missed: list[str] = []
    # Plans in whole euros as they are made; should the rounding of a plan ever push a cell out (the
    # margins make that practically impossible), fall back to plans in cents, which the margins cover.
    for plan_cents in (100, 1):
        cents = to_cents(config, layout, x, plan_cents)
        missed = mismatches(config, cells, cents, empty)
        if not missed:
            return Solution(cents, empty, margins, len(tight))
    raise InfeasibleError("the rounded solution misses printed cells:\n" + "\n".join(missed))
