"""What the `katsaus` command's modules share: the database, the acting user, printing and refusals.

cli.py, content_cli.py and forecasting_cli.py import this module and never each other's helpers, so there is
no circle of imports between them (tests/test_cli_layers.py checks it).
"""

from __future__ import annotations

import getpass
import os
from contextlib import contextmanager
from typing import Any, Callable, Iterator, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .core.errors import Problem, ProblemsError

err = Console(stderr=True)
out = Console()

# chosen by the main callback (katsaus --db … --user …) for every subcommand
STATE: dict[str, str | None] = {"db": None, "user": None}
STARTED: list[bool] = []  # Django has been started by this process's first command that needs the database


def actor() -> str:
    """The acting person's name for the audit log: --user, else KATSAUS_USER, else the OS user name."""
    return STATE["user"] or os.environ.get("KATSAUS_USER") or getpass.getuser()


def ensure_db(create: bool = False) -> None:
    """Start Django on the chosen database only when a command needs it (so --help touches nothing); only a
    command meant to make a database (`config load`, `restore`) may create a missing SQLite file."""
    from django.db import DatabaseError

    from .store.setup import setup

    try:
        setup(STATE["db"], create=create)
    except DatabaseError as exc:  # not a database file, a server refusing, a schema another program made
        target = STATE["db"] or os.environ.get("KATSAUS_DB") or "the default database"
        fail([Problem(str(target), "the database cannot be opened", key="--db",
                      expected="an SQLite file made by katsaus (or a new path), or a postgresql:// URL",
                      found=str(exc).strip().splitlines()[0])], what="nothing was done")
    if not STARTED:
        STARTED.append(True)


def close_connections() -> None:
    """Close the database connections of a command that started Django: SQLite folds its write-ahead log into
    the database file and leaves one self-contained file behind."""
    if STARTED:
        from django.db import connections

        connections.close_all()


def fail(problems: list[Problem], omitted: int = 0, what: str = "nothing was stored") -> NoReturn:
    for problem in problems:
        err.print(f"[red]error[/red] {escape(str(problem))}", highlight=False)
    if omitted:
        err.print(f"… and {omitted} more problem{'' if omitted == 1 else 's'}", highlight=False)
    count = len(problems) + omitted
    err.print(escape(f"{count} problem{'' if count == 1 else 's'}; {what}."), highlight=False)
    raise typer.Exit(1)


def warn(text: str) -> None:
    err.print(f"[yellow]warning[/yellow] {escape(text)}", highlight=False)


def say(text: str) -> None:
    """Print a plain message: names, reasons and paths come from users and files, so brackets in them are
    text, not Rich markup (an unescaped '[/b]' in a version name would crash the command after its write)."""
    out.print(escape(text), highlight=False, soft_wrap=True)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def parse_date(text: str | None, option: str):
    """An option's YYYY-MM-DD date (None if not given), or a refusal naming the option."""
    from .services.imports import parse_date as parse

    return call(parse, text, option, database=False)


def euros_grouped(cents: int | None) -> str:
    from .services.forecasts import euros

    return euros(cents, True)


@contextmanager
def progress_bar(description: str) -> Iterator:
    """A Rich progress bar on a terminal; silent when output goes to a file or CI."""
    if not err.is_terminal:
        yield lambda stage, fraction: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(description, total=1.0)

        def report(stage: str, fraction: float) -> None:
            bar.update(task, completed=fraction, description=f"{description}: {stage}")

        yield report


def call(service: Callable, *args: Any, database: bool = True, create_db: bool = False, **kwargs: Any) -> Any:
    """Run a service (on the database, unless `database` is False; `create_db`: a missing SQLite file may be
    made): print its lines and warnings, or its refusal (exit 1). Returns the service's value (an Outcome's
    value, or what it returned)."""
    from .services.errors import Outcome, Refused, ServiceError

    if database:
        ensure_db(create=create_db)
    try:
        result = service(*args, **kwargs)
    except Refused as exc:
        fail(exc.problems, exc.omitted, exc.what)
    except ProblemsError as exc:
        fail(exc.problems, exc.omitted)
    except ServiceError as exc:
        fail([Problem(service.__name__.replace("_", " "), str(exc))], what="nothing was changed")
    if isinstance(result, Outcome):
        for line in result.lines:
            say(line)
        for warning in result.warnings:
            warn(warning)
        return result.value
    return result
