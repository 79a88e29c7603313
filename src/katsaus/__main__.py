"""`python -m katsaus …` and the `katsaus` command: the CLI, after what can start before it is imported."""

import sys


def main() -> None:
    from katsaus.prestart import begin

    begin(sys.argv[1:])
    from katsaus.cli import app

    app(prog_name="katsaus")


if __name__ == "__main__":
    main()
