"""`python -m katsaus …` runs the CLI."""

from katsaus.cli import app

app(prog_name="katsaus")
