"""`python -m katsaus …` and the `katsaus` command: the CLI, after what can start before it is imported."""

import gc
import sys


def main() -> None:
    from katsaus.prestart import begin

    begin(sys.argv[1:])
    from katsaus.cli import app

    try:
        app(prog_name="katsaus")  # ends with SystemExit
    finally:
        leave()


def leave() -> None:
    """Close the database connections, then keep every object out of the garbage collector's passes as the
    interpreter exits: they would walk all of Django's objects, 0.2 s of every command. Only the command
    process does this (tests call the CLI's app in their own process)."""
    from katsaus.cli_common import close_connections

    close_connections()
    gc.freeze()


if __name__ == "__main__":
    main()
