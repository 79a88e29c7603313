"""What a command can begin before the command line tool is even imported (about 0.3 s of Python on one
core, while the other waits): hashing the files `katsaus import ledger` names.

Only the arguments are read here. Nothing is decided: the command itself parses and checks everything as
always, and its read of each file takes the started hash over (intake.encoding.Checksum.start/of); a hash
nobody takes over is dropped when the import ends. Any other command, or arguments this reading does not
know, start nothing."""

from __future__ import annotations

from pathlib import Path

GLOBAL_OPTIONS_WITH_VALUE = frozenset({"--db", "--user", "--as-user", "--messages"})
LEDGER_OPTIONS_WITH_VALUE = frozenset({"--mapping"})
LEDGER_FLAGS = frozenset({"--add", "--correction"})


def ledger_files(argv: list[str]) -> list[Path]:
    """The files of `[--db X] [--user Y] import ledger [--mapping M] [--add] [--correction] FILE…`; [] for any
    other command line."""
    rest = _after_options(argv, GLOBAL_OPTIONS_WITH_VALUE, frozenset())
    if rest is None or rest[:2] != ["import", "ledger"]:
        return []
    files: list[Path] = []
    arguments = iter(rest[2:])
    for argument in arguments:
        name = argument.split("=", 1)[0]
        if argument == "--":
            files.extend(Path(a) for a in arguments)
        elif name in LEDGER_OPTIONS_WITH_VALUE:
            if "=" not in argument:
                next(arguments, None)
        elif argument in LEDGER_FLAGS:
            continue
        elif argument.startswith("-"):
            return []  # --help or an option this reading does not know: leave it all to the command
        else:
            files.append(Path(argument))
    return files


def _after_options(argv: list[str], with_value: frozenset[str], flags: frozenset[str]) -> list[str] | None:
    position = 0
    while position < len(argv) and argv[position].startswith("-"):
        name = argv[position].split("=", 1)[0]
        if name in with_value:
            position += 1 if "=" in argv[position] else 2
        elif name in flags:
            position += 1
        else:
            return None
    return argv[position:]


def begin(argv: list[str]) -> None:
    files = ledger_files(argv)
    if files:
        from katsaus.intake.encoding import Checksum

        for path in files:
            Checksum.start(path)
