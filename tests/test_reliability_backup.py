"""`katsaus backup` and `katsaus restore` (store/backup.py): the restored database gives back the same figures,
texts and import log, compared through the exports a user sees; a backup taken while another process imports
holds that import wholly or not at all. Runs on SQLite and, under `make test`, on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from reliability_support import (
    DEMO,
    assert_readable,
    balances_total,
    child_env,
    command,
    copy_database,
    fresh_database,
    katsaus,
    ledger_rows,
    ledger_total,
    state,
)
from run_once import once_per_run

pytestmark = pytest.mark.db


def backup_tables(path: Path) -> dict[str, list[str]]:
    """A backup file's rows per table (the header says when and where it was made, which differs)."""
    tables: dict[str, list[str]] = {}
    current = ""
    with path.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            record = json.loads(line)
            if isinstance(record, dict):
                current = record["table"]
                tables[current] = []
            else:
                tables[current].append(line)
    return tables


@pytest.fixture
def filled(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with configuration, two ledger imports (one replaced), a budget, a forecast figure with its
    reason, and the demo's goals and narratives: filled by katsaus commands once per test run, a copy of it for
    each test."""
    template, _ = once_per_run("reliability-filled", tmp_path_factory, fill)
    return copy_database(template, tmp_path, "source")


def fill(tmp_path: Path) -> str:
    db = fresh_database(tmp_path, "filled")
    katsaus(db, "config", "load", str(DEMO))
    ledger = tmp_path / "kirjanpito.csv"
    ledger.write_text(ledger_rows(300, seed=1), encoding="utf-8")
    katsaus(db, "import", "ledger", str(ledger))
    ledger.write_text(ledger_rows(300, seed=2), encoding="utf-8")
    katsaus(db, "import", "ledger", str(ledger))  # a corrected export replaces the first
    budget = tmp_path / "budget.csv"
    budget.write_text("yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-13000\nPESOVA-LS;palvelujen_ostot;-500\n",
                      encoding="utf-8")
    katsaus(db, "import", "budget", str(budget), "--version", "TA 2025")
    katsaus(db, "forecast", "set", "--version", "TPE 6/2025", "--period", "2025-06", "--unit", "PESOVA-PK",
            "--line", "palkat_ja_palkkiot", "--value", "-1 234,50", "--reason", "arvio <b>'; DROP TABLE x;--")
    katsaus(db, "content", "load", str(DEMO / "content"), str(DEMO / "narratives"))
    return db


def test_restore_gives_back_the_same_figures_texts_and_log(filled: str, tmp_path: Path) -> None:
    before = state(filled)
    assert before[0].count("\n") > 50
    # the replaced ledger import is in the log, with the time it was replaced; the current one is not replaced
    ledger_lines = [line.split(",") for line in before[1].splitlines() if ",ledger," in line]
    assert len(ledger_lines) == 2 and ledger_lines[0][-1] != "" and ledger_lines[1][-1] == ""
    first = tmp_path / "first.katsaus-backup"
    said = katsaus(filled, "backup", str(first)).stdout
    assert "varmuuskopioitiin" in said  # backup.written, in Finnish
    target = fresh_database(tmp_path, "target")
    assert "palautettiin" in katsaus(target, "restore", str(first)).stdout  # backup.restored
    assert state(target) == before
    # every table, texts and the forecast figure's reason included, row for row
    second = tmp_path / "second.katsaus-backup"
    katsaus(target, "backup", str(second))
    original, restored = backup_tables(first), backup_tables(second)
    assert restored == original
    assert any("DROP TABLE x" in row for row in original["katsaus_planamount"])
    assert any(rows for table, rows in original.items() if "narrative" in table)


def test_restore_replaces_what_was_written_after_the_backup(filled: str, tmp_path: Path) -> None:
    before = state(filled)
    saved = tmp_path / "saved.katsaus-backup"
    katsaus(filled, "backup", str(saved))
    more = tmp_path / "toinen.csv"
    more.write_text(ledger_rows(50, seed=9), encoding="utf-8")
    katsaus(filled, "import", "ledger", str(more), "--add")
    assert state(filled) != before
    katsaus(filled, "restore", str(saved))
    assert state(filled) == before
    # the next command works: the restored ids continue (PostgreSQL sequences reset)
    katsaus(filled, "import", "ledger", str(more), "--add")


def test_a_damaged_or_foreign_backup_restores_nothing(filled: str, tmp_path: Path) -> None:
    before = state(filled)
    good = tmp_path / "good.katsaus-backup"
    katsaus(filled, "backup", str(good))
    lines = good.read_text(encoding="utf-8").splitlines(keepends=True)
    truncated = tmp_path / "truncated.katsaus-backup"
    truncated.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    cut = tmp_path / "cut.katsaus-backup"
    cut.write_text("".join(lines)[:-40], encoding="utf-8")
    foreign = tmp_path / "foreign.csv"
    foreign.write_text("pvm;summa\n1.1.2025;5\n", encoding="utf-8")
    # a truncated file?, damaged, not a katsaus backup, no such backup file: each says so, and that nothing was
    # restored (the CLI prints each problem with its code, then the outcome in the reader's language)
    for path, code in ((truncated, "backup.truncated"), (cut, "backup.damaged"), (foreign, "backup.not_a_backup"),
                       (tmp_path / "missing", "file.not_found")):
        result = katsaus(filled, "restore", str(path), check=False)
        assert result.returncode == 1, result.stdout
        assert code in result.stderr and "mitään ei palautettu" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert state(filled) == before


def test_a_backup_while_another_process_imports_holds_all_of_it_or_none(tmp_path: Path) -> None:
    db = fresh_database(tmp_path, "busy")
    katsaus(db, "config", "load", str(DEMO))
    text = ledger_rows(40_000, seed=3)
    (tmp_path / "iso.csv").write_text(text, encoding="utf-8")
    importer = subprocess.Popen(command(db, "import", "ledger", str(tmp_path / "iso.csv")), env=child_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    totals = set()
    deadline = time.monotonic() + 120
    index = 0
    while importer.poll() is None and time.monotonic() < deadline:
        index += 1
        path = tmp_path / f"b{index}.katsaus-backup"
        katsaus(db, "backup", str(path))
        copy = fresh_database(tmp_path, f"copy{index}")
        katsaus(copy, "restore", str(path))
        totals.add(balances_total(copy))
    assert importer.wait(timeout=120) == 0, importer.stderr.read() if importer.stderr else ""
    assert totals <= {0, ledger_total(text)}
    assert index >= 1


@pytest.mark.django_db(transaction=True)  # a backup opens its own snapshot transaction (PostgreSQL: first thing)
def test_a_damaged_or_foreign_backup_is_refused_in_process_with_the_line_it_names(tmp_path: Path) -> None:
    """The refusals the command prints, made by store.backup itself: each a code naming the file (and the line
    where there is one), nothing restored, the database as it was."""
    from katsaus.config import load_config_dir
    from katsaus.core.errors import NotFound, Refused
    from katsaus.store import backup, models, repository

    repository.save_config(*stored(load_config_dir(DEMO)), user="test")
    good = tmp_path / "good.katsaus-backup"
    backup.backup(good)
    lines = good.read_text(encoding="utf-8").splitlines(keepends=True)
    cases = {
        "truncated": ("".join(lines[: len(lines) // 2]), "backup.truncated", None),
        "cut": ("".join(lines)[:-40], "backup.damaged", len(lines)),
        "foreign": ("pvm;summa\n1.1.2025;5\n", "backup.not_a_backup", 1),
        "unknown_table": (lines[0] + '{"table": "nope", "columns": []}\n', "backup.table_unknown", 2),
        "row_first": (lines[0] + "[1, 2]\n", "backup.row_before_table", 2),
        # a balance of an import batch the backup does not hold (the database itself does not check this
        # reference: store.models.Balance.batch)
        "balance_of_no_batch": (with_rows(lines, "katsaus_balance", [
            "id", "batch_id", "year", "month", "cost_centre", "account", "internal", "cents"],
            [[1, 999, 2025, 1, "100", "4000", False, 100]]), "backup.damaged", None),
    }
    units = models.Unit.objects.count()
    for name, (text, code, row) in cases.items():
        path = tmp_path / f"{name}.katsaus-backup"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(Refused) as refused:
            backup.restore(path)
        (problem,) = refused.value.problems
        assert (problem.code, problem.file, problem.row) == (code, str(path), row), name
        assert refused.value.outcome.code == "outcome.nothing_restored"
        assert_readable(problem)
        if code == "backup.truncated":  # a truncated file?: fewer rows than its header says
            assert 0 < problem.params["rows"] < problem.params["expected"]
    assert models.Unit.objects.count() == units  # nothing restored, nothing lost
    with pytest.raises(NotFound) as missing:
        backup.restore(tmp_path / "missing")
    assert missing.value.codes == ("file.not_found",)


def with_rows(lines: list[str], table: str, columns: list[str], rows: list[list[object]]) -> str:
    """A backup's text with a table's rows added, its header counting them."""
    import json

    header = json.loads(lines[0])
    header["rows"][table] = header["rows"].get(table, 0) + len(rows)
    added = [json.dumps({"table": table, "columns": columns}) + "\n"] + [json.dumps(row) + "\n" for row in rows]
    return json.dumps(header) + "\n" + "".join(lines[1:]) + "".join(added)


def stored(config):
    """A loaded configuration as the store keeps it: its documents and its organisation."""
    from katsaus.store.repository import StoredDocument

    return [StoredDocument(d.name, d.kind, d.content) for d in config.documents], config.organisation
