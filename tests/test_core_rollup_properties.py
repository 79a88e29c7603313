"""Property: for any tree and any ledger, every parent equals the sum of its children (exact cents)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from katsaus.core.facts import Balance, MemoryFacts, PlanVersion
from katsaus.core.model import Conventions
from katsaus.core.org import CostCentre, OrgTree, Unit
from katsaus.core.periods import Period
from katsaus.core.scheme import AccountRange, Line, Scheme, Term
from katsaus.core.statement import build_report
from katsaus.core.template import ColumnSpec, RowSpec, TableSpec, Template

SCHEME = Scheme(
    code="s",
    name_fi="s",
    lines=(
        Line("r", "Tuotot", accounts=(AccountRange("3", "3"),)),
        Line("c", "Kulut", accounts=(AccountRange("4", "4"),)),
        Line("k", "Kate", sum_of=(Term("r"), Term("c"))),
    ),
)
TEMPLATE = Template(
    code="t",
    name_fi="t",
    scheme="s",
    columns=(ColumnSpec("tot", "actual", "TOT"),),
    tables=(TableSpec("x", "x", "x", "descendants", (RowSpec("r"), RowSpec("c"), RowSpec("k"))),),
    conventions=Conventions(),
)


@st.composite
def trees_and_ledgers(draw):
    size = draw(st.integers(1, 12))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, size)]
    units = tuple(Unit(f"U{i}", f"Unit {i}", None if p is None else f"U{p}") for i, p in enumerate(parents))
    centres = tuple(CostCentre(f"C{i}", "", f"U{draw(st.integers(0, size - 1))}") for i in range(draw(st.integers(1, 15))))
    balances = draw(
        st.lists(
            st.builds(
                Balance,
                year=st.just(2025),
                month=st.integers(1, 12),
                cost_centre=st.sampled_from([c.code for c in centres]),
                account=st.sampled_from(["300000", "310000", "400000", "450000"]),
                internal=st.just(False),
                cents=st.integers(-10**11, 10**11),
            ),
            max_size=60,
        )
    )
    return OrgTree("O", "O", units, centres), balances


@settings(max_examples=150, deadline=None)
@given(trees_and_ledgers(), st.integers(1, 12))
def test_parent_equals_sum_of_children(tree_and_ledger, month):
    org, balances = tree_and_ledger
    report = build_report(org, SCHEME, TEMPLATE, Period(2025, month), "U0", MemoryFacts(balances, [PlanVersion("x", "budget", 2025)], []))
    value = {(t.unit_code, r.line_code): r.cells[0].cents for t in report.tables for r in t.rows}
    for unit in org.units:
        for line in ("r", "c", "k"):
            own = sum(
                -b.cents
                for b in balances
                if b.month <= month
                and org.unit_of(b.cost_centre, Period(2025, b.month).end) == unit.code
                and (line == "k" or b.account[0] == {"r": "3", "c": "4"}[line])
            )
            children = [value[(child, line)] for child in org.children(unit.code)]
            has_own = any(
                b.month <= month and org.unit_of(b.cost_centre, Period(2025, b.month).end) == unit.code for b in balances
            )
            expected_children = sum(v for v in children if v is not None)
            got = value[(unit.code, line)]
            if got is None:
                assert all(v is None for v in children)
                assert line != "k" or not has_own  # a unit with balances of its own has a margin
            else:
                assert got == own + expected_children, (unit.code, line)
    # the root is the whole ledger of the period
    total = sum(-b.cents for b in balances if b.month <= month)
    assert (value[("U0", "k")] or 0) == total
