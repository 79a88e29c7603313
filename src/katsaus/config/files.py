"""Reading a TOML file (configuration, content, a ledger mapping): what cannot be read is a Problem naming the
file and the line, never an exception."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.errors import Problem

TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)\s*$")


def read_text(path: Path, encoding: str = "utf-8") -> tuple[str | None, Problem | None]:
    """The file's text, or the problem that stops reading it."""
    label = str(path)
    try:
        return path.read_text(encoding=encoding), None
    except FileNotFoundError:
        return None, Problem("file.not_found", file=label)
    except IsADirectoryError:
        return None, Problem("file.is_folder", file=label)
    except UnicodeDecodeError as exc:
        data = exc.object if isinstance(exc.object, bytes) else bytes(exc.object)
        row = data.count(b"\n", 0, exc.start) + 1
        return None, Problem("file.not_utf8_text", {"bytes": data[exc.start:exc.end].hex(" ")}, file=label, row=row)
    except OSError:
        return None, Problem("file.unreadable", file=label)


def toml_problem(exc: tomllib.TOMLDecodeError, text: str, label: str, first_line: int = 1) -> Problem:
    """Broken TOML, located at the line and character tomllib names (`first_line`: the line of the file the
    text starts on, for a narrative's front matter)."""
    place = TOML_PLACE.search(str(exc))
    if place:
        line, position = int(place.group(1)), int(place.group(2))
    else:  # "(at end of document)"
        lines = text.split("\n")
        line, position = len(lines), len(lines[-1]) + 1
    return Problem("file.toml_invalid", {"position": position}, file=label, row=first_line - 1 + line)


def parse_toml(text: str, label: str, parse_float: Callable[[str], Any] = float,
               first_line: int = 1) -> tuple[dict[str, Any] | None, Problem | None]:
    try:
        return tomllib.loads(text, parse_float=parse_float), None
    except tomllib.TOMLDecodeError as exc:
        return None, toml_problem(exc, text, label, first_line)


def read_toml(path: Path, encoding: str = "utf-8",
              parse_float: Callable[[str], Any] = float) -> tuple[dict[str, Any], Problem | None]:
    """A TOML file's content ({} when it cannot be read), and the problem that stopped reading it."""
    text, problem = read_text(path, encoding)
    if text is None:
        return {}, problem
    data, problem = parse_toml(text, str(path), parse_float)
    return data or {}, problem
