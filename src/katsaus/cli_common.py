"""What the `katsaus` command's modules share: the database, the acting person, the language, printing, and the one
place where a refusal becomes what the person reads.

cli.py, content_cli.py and forecasting_cli.py import this module and never each other's helpers, so there is
no circle of imports between them (tests/test_cli_layers.py checks it).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .services.errors import Note, Outcome, Problem, Refused

err = Console(stderr=True)
out = Console()

# chosen by the main callback (katsaus --db … --user … --as-user … --language …) for every subcommand
STATE: dict[str, str | None] = {"db": None, "user": None, "as_user": None, "language": None}
STARTED: list[bool] = []  # Django has been started by this process's first command that needs the database
COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


def language() -> str:
    """The language the command speaks: --language, else KATSAUS_LANGUAGE, else Finnish."""
    chosen = STATE["language"] or os.environ.get("KATSAUS_LANGUAGE") or "fi"
    return chosen if chosen in ("fi", "sv") else "fi"


def operator_name() -> str:
    """The operator's name for the audit log: --user, else KATSAUS_USER, else the OS user name."""
    return STATE["user"] or os.environ.get("KATSAUS_USER") or getpass.getuser()


def actor() -> Any:
    """Who acts: the configured user of --as-user with their roles, else the operator (an administrator:
    services/actors.py and docs/rounds.md say why)."""
    from .services.actors import Operator, person_named

    if STATE["as_user"]:
        ensure_db()
        return call(person_named, STATE["as_user"], database=False)
    return Operator(operator_name())


def ensure_db(create: bool = False) -> None:
    """Start Django on the chosen database only when a command needs it (so --help touches nothing); only a
    command meant to make a database (`config load`, `restore`) may create a missing SQLite file."""
    from .services.database import open_database

    call(open_database, STATE["db"], create, database=False)
    if not STARTED:
        STARTED.append(True)


def close_connections() -> None:
    """Close the database connections of a command that started Django: SQLite folds its write-ahead log into
    the database file and leaves one self-contained file behind."""
    if STARTED:
        from .services.database import close_connections as close

        close()


def as_option(problem: Problem) -> Problem:
    """A problem located at an input the services name neutrally ("unit", "effective-date") located at the
    command's option for it ("--unit", "--effective-date") when the command has one, else at the option of the
    `katsaus` command above it ("db" → "--db")."""
    from dataclasses import replace

    context = current_context()
    if problem.key is None or context is None or problem.key.startswith("-"):
        return problem
    options: dict[str, str] = {}
    chain: list[Any] = []
    while context is not None:
        chain.append(context.command)
        context = context.parent
    for command in reversed(chain):  # the main command first: the running command's own options win
        params = [param for param in command.params
                  if param.param_type_name == "option" and param.name and param.opts]
        # by the option's own spelling ("out" → "--out" of out_dir), then by its parameter's name, which wins
        options.update({opt[2:].replace("-", "_"): param.opts[0]
                        for param in params for opt in param.opts if opt.startswith("--")})
        options.update({param.name: param.opts[0] for param in params})
    option = options.get(problem.key.replace("-", "_"))
    return replace(problem, key=option) if option else problem


def current_context() -> Any:
    """The running command's context (Typer's own copy of click keeps it; None outside a command)."""
    import importlib

    try:  # Typer 0.29 vendors click (pinned in pyproject); a Typer on the public click keeps it there
        found = importlib.import_module("typer._click.globals")
    except ImportError:
        found = importlib.import_module("click")
    return found.get_current_context(silent=True)


def show_problem(problem: Problem) -> None:
    """One problem as a line: its severity, its code (to look up or tell support), where, what, expected, found."""
    from .render.messages import problem_line, term_text

    problem = as_option(problem)
    words = term_text(f"severity.{problem.severity}", language())
    err.print(f"[{COLOURS[problem.severity]}]{escape(words)}[/] [dim]\\[{escape(problem.code)}][/] "
              f"{escape(problem_line(problem, language()))}", highlight=False, soft_wrap=True)


def refused(exc: Refused) -> NoReturn:
    """Print a refusal: every problem, how many more, what was not done; exit 1."""
    from .render.messages import fill, outcome_text

    for problem in exc.problems:
        show_problem(problem)
    if exc.omitted:
        err.print(escape(fill("outcome.more_problems", "", {"count": exc.omitted}, language()) or ""),
                  highlight=False)
    err.print(escape(outcome_text(exc, language())), highlight=False)
    raise typer.Exit(1)


def fail(problems: list[Problem], outcome: str = "outcome.nothing_done") -> NoReturn:
    """Refuse a command's own options (before any service is called)."""
    refused(Refused(problems, outcome=outcome))


def note(text: Note | str) -> None:
    """A note of what was done, in the person's language."""
    from .render.messages import note_text

    say(note_text(text, language()))


def say(text: str) -> None:
    """Print a plain message: names, reasons and paths come from users and files, so brackets in them are
    text, not Rich markup (an unescaped '[/b]' in a version name would crash the command after its write)."""
    out.print(escape(text), highlight=False, soft_wrap=True)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def parse_date(text: str | None, option: str) -> date | None:
    """An option's YYYY-MM-DD date (None if not given), or a refusal naming the option."""
    from .services.imports import parse_date as parse

    parsed: date | None = call(parse, text, option, database=False)
    return parsed


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[str, float], None]]:
    """A Rich progress bar on a terminal; silent when output goes to a file or CI."""
    if not err.is_terminal:
        yield lambda stage, fraction: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(description, total=1.0)

        def report(stage: str, fraction: float) -> None:
            bar.update(task, completed=fraction, description=f"{description}: {stage}")

        yield report


def call(service: Callable[..., Any], *args: Any, database: bool = True, create_db: bool = False,
         **kwargs: Any) -> Any:
    """Run a service (on the database, unless `database` is False; `create_db`: a missing SQLite file may be
    made): print its notes and warnings, or its refusal (exit 1). Returns the service's value (an Outcome's
    value, or what it returned). The one place where the CLI maps the family of refusals."""
    if database:
        ensure_db(create=create_db)
    try:
        result = service(*args, **kwargs)
    except Refused as exc:
        refused(exc)
    if isinstance(result, Outcome):
        for line in result.notes:
            note(line)
        for warning in result.warnings:
            show_problem(warning)
        return result.value
    return result
