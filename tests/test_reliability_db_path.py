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
        assert "no such database file" in said and "config load DIR` creates one" in said, (args, said)
        assert "Traceback" not in result.stderr
        assert not missing.exists(), args


def test_config_load_creates_the_database(tmp_path: Path) -> None:
    made = tmp_path / "uusi.sqlite3"
    katsaus(str(made), "config", "load", str(DEMO))
    assert made.is_file()
    assert katsaus(str(made), "export", "imports").stdout.startswith("imported_at,")
