"""Properties of importing through the CLI into the real database: twice changes nothing; a failed import
changes nothing. Random ledgers come from hypothesis; expected balances are summed here independently."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from katsaus.cli import app

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

DEMO = Path(__file__).parents[1] / "configs" / "demo"
CENTRES = ["510000", "521000", "531000", "541000", "551000"]
ACCOUNTS = ["300000", "320000", "400000", "401000", "430000", "950000"]
HEADER = "pvm;kustannuspaikka;tili;summa;tosite;selite\n"

runner = CliRunner()


@pytest.fixture
def loaded(db):
    result = runner.invoke(app, ["config", "load", str(DEMO)])
    assert result.exit_code == 0, result.output


rows = st.lists(
    st.tuples(
        st.integers(1, 12),  # month
        st.integers(1, 28),  # day
        st.sampled_from(CENTRES),
        st.sampled_from(ACCOUNTS),
        st.integers(-10**10, 10**10),  # cents
    ),
    min_size=1,
    max_size=40,
)


def ledger_text(entries) -> str:
    lines = [HEADER]
    for month, day, centre, account, cents in entries:
        sign = "-" if cents < 0 else ""
        euros, rest = divmod(abs(cents), 100)
        lines.append(f"{day}.{month}.2025;{centre};{account};{sign}{euros},{rest:02d};T1;selite\n")
    return "".join(lines)


def expected(entries) -> list[tuple[str, ...]]:
    sums: dict[tuple, int] = defaultdict(int)
    for month, _day, centre, account, cents in entries:
        sums[(month, centre, account)] += cents
    return sorted(
        ("2025", str(m), c, a, "true" if a.startswith("9") else "false", str(v)) for (m, c, a), v in sums.items()
    )


def exported() -> list[tuple[str, ...]]:
    result = runner.invoke(app, ["export", "balances", "--year", "2025"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "year,month,cost_centre,account,internal,cents"
    return sorted(tuple(line.split(",")) for line in lines[1:])


def clear() -> None:
    from katsaus.store import models

    models.Balance.objects.all().delete()
    models.ImportBatch.objects.all().delete()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=rows)
def test_importing_a_file_twice_changes_nothing(loaded, tmp_path, entries):
    clear()
    path = tmp_path / "kirjanpito.csv"
    path.write_text(ledger_text(entries), encoding="utf-8")
    first = runner.invoke(app, ["import", "ledger", str(path)])
    assert first.exit_code == 0, first.output
    once = exported()
    second = runner.invoke(app, ["import", "ledger", str(path)])
    assert second.exit_code == 0 and "(korvasi saman tiedoston aiemman tuonnin)" in second.output, second.output
    assert exported() == once == expected(entries)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=rows, before=rows, seed=st.integers(0, 10**6), damage=st.sampled_from(["amount", "date", "centre", "account", "columns"]))
def test_a_failed_import_leaves_the_database_unchanged(loaded, tmp_path, entries, before, seed, damage):
    clear()
    good = tmp_path / "aiempi.csv"
    good.write_text(ledger_text(before), encoding="utf-8")
    assert runner.invoke(app, ["import", "ledger", str(good)]).exit_code == 0
    state = exported()
    lines = ledger_text(entries).splitlines(keepends=True)
    at = random.Random(seed).randrange(1, len(lines))
    fields = lines[at].rstrip("\n").split(";")
    if damage == "amount":
        fields[3] = "12x,00"
    elif damage == "date":
        fields[0] = "31.2.2025"
    elif damage == "centre":
        fields[1] = "999999"
    elif damage == "account":
        fields[2] = "123456"
    else:
        fields = fields[:3]
    lines[at] = ";".join(fields) + "\n"
    bad = tmp_path / "uusi.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["import", "ledger", str(bad)])
    text = " ".join(result.output.split())
    assert result.exit_code == 1
    # the damaged row, named by the code of what is wrong with it (a row cut short at the end of the file is
    # perhaps a file only partly copied)
    codes = {"amount": "value.amount_invalid", "date": "value.date_impossible", "centre": "ledger.cost_centre_unknown",
             "account": "ledger.account_unknown",
             "columns": "file.last_line_truncated" if at == len(lines) - 1 else "file.row_too_few_fields"}
    assert re.search(rf"\[{re.escape(codes[damage])}\] \S*uusi\.csv, rivi {at + 1}\b", text), text
    assert "tiedostoista uusi.csv ei tallennettu mitään" in text
    assert exported() == state
