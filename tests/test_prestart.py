"""prestart: which command lines begin hashing before the CLI is imported, kept in step with the CLI itself."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from katsaus import prestart


@pytest.mark.parametrize(("argv", "files"), [
    (["import", "ledger", "a.csv"], ["a.csv"]),
    (["--db", "k.sqlite3", "--user", "u", "import", "ledger", "--mapping", "m.toml", "--add", "a.csv", "b.csv"],
     ["a.csv", "b.csv"]),
    (["--db=k.sqlite3", "import", "ledger", "--mapping=m.toml", "--correction", "a.csv"], ["a.csv"]),
    (["import", "ledger", "--", "-odd.csv"], ["-odd.csv"]),
    (["import", "ledger", "--help"], []),
    (["import", "ledger", "--unknown", "a.csv"], []),
    (["import", "budget", "a.csv", "--version", "TA 2025"], []),
    (["--install-completion"], []),
    (["--db"], []),
    ([], []),
])
def test_the_ledger_files_of_a_command_line(argv: list[str], files: list[str]) -> None:
    assert prestart.ledger_files(argv) == [Path(f) for f in files]


def options(command) -> tuple[set[str], set[str]]:
    with_value: set[str] = set()
    flags: set[str] = set()
    for param in command.params:
        if param.param_type_name == "option":
            (flags if param.is_flag else with_value).update([*param.opts, *param.secondary_opts])
    return with_value, flags


def test_it_knows_every_option_of_the_main_command_and_of_import_ledger() -> None:
    """An option added to the CLI and not here would have its value taken for a file (or a file for a
    value): this fails first."""
    import typer.main

    from katsaus.cli import app

    group = typer.main.get_command(app)
    with_value, _ = options(group)
    assert with_value == prestart.GLOBAL_OPTIONS_WITH_VALUE
    ledger = group.commands["import"].commands["ledger"]
    assert options(ledger) == (set(prestart.LEDGER_OPTIONS_WITH_VALUE), set(prestart.LEDGER_FLAGS))


def test_a_begun_hash_is_taken_over_by_the_read(tmp_path: Path) -> None:
    from katsaus.intake.encoding import Checksum

    path = tmp_path / "k.csv"
    path.write_bytes(b"pvm;kustannuspaikka;tili;summa\n" * 1000)
    prestart.begin(["import", "ledger", str(path)])
    try:
        (started,) = Checksum._started.values()
        taken = Checksum.of(path)
        assert taken is started and not Checksum._started
        assert taken.result() == hashlib.sha256(path.read_bytes()).hexdigest()
    finally:
        Checksum.drop_started()
