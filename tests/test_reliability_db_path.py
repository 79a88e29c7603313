"""A missing --db SQLite file (store/setup.py): refused by every command that reads or adds to a database, so a
mistyped path is not silently a new empty database; `config load` and `restore` create it."""

from __future__ import annotations

from pathlib import Path

from reliability_support import DEMO, katsaus


def test_a_missing_database_file_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "kirjoitusvirhe.sqlite3"
    ledger = tmp_path / "k.csv"
    ledger.write_text("pvm;kustannuspaikka;tili;summa;tosite;selite\n", encoding="utf-8")
    for args in (["export", "imports"], ["import", "ledger", str(ledger)], ["backup", str(tmp_path / "b")],
                 ["forecast", "show", "--version", "TPE"], ["content", "load", str(DEMO / "content")]):
        result = katsaus(str(missing), *args, check=False)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        said = " ".join(result.stderr.split())
        assert "[database.missing]" in said and str(missing) in said, (args, said)
        assert "tietokantatiedostoa ei ole" in said and "katsaus config load KANSIO" in said, (args, said)
        assert "Traceback" not in result.stderr
        assert not missing.exists(), args


def test_config_load_creates_the_database(tmp_path: Path) -> None:
    made = tmp_path / "uusi.sqlite3"
    katsaus(str(made), "config", "load", str(DEMO))
    assert made.is_file()
    assert katsaus(str(made), "export", "imports").stdout.startswith("imported_at,")


def test_a_command_leaves_one_self_contained_database_file(tmp_path: Path) -> None:
    """The CLI keeps Django's objects out of the garbage collector (cli_common.ensure_db) and closes the
    connections itself at exit: SQLite folds its write-ahead log into the file, so a copy of the file alone
    (what a user backs up) holds everything."""
    import shutil
    import sqlite3

    db = tmp_path / "k.sqlite3"
    ledger = tmp_path / "k.csv"
    ledger.write_text("pvm;kustannuspaikka;tili;summa;tosite;selite\n5.1.2025;521000;400000;1000,00;P1;x\n",
                      encoding="utf-8")
    katsaus(str(db), "config", "load", str(DEMO))
    katsaus(str(db), "import", "ledger", str(ledger))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.csv", "k.sqlite3"]
    copy = tmp_path / "copy" / "k.sqlite3"
    copy.parent.mkdir()
    shutil.copy(db, copy)
    with sqlite3.connect(copy) as con:
        assert con.execute("SELECT count(*), sum(cents) FROM katsaus_balance").fetchone() == (1, 100000)


def test_migrate_runs_only_when_a_migration_is_not_applied(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "k.sqlite3"
    katsaus(str(db), "config", "load", str(DEMO))
    with sqlite3.connect(db) as con:
        # the two newest migrations taken back, as if this database were made by the katsaus before them
        con.execute("DELETE FROM django_migrations WHERE app = 'katsaus' AND name IN "
                    "('0012_generation', '0013_balance_batch_without_db_constraint')")
        con.execute("DROP TABLE katsaus_generation")
    assert katsaus(str(db), "export", "imports").returncode == 0  # any command brings the schema up to date
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM django_migrations WHERE name IN "
                           "('0012_generation', '0013_balance_batch_without_db_constraint')").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM katsaus_generation").fetchone() == (0,)  # made again, empty
