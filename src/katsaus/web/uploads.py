"""The controller's file upload: ledger exports, budgets and forecasts through the same import services as the
CLI (katsaus.services.imports), so the same validation: every problem of every file listed with its file, sheet,
row, column, expected and found, and nothing stored unless everything is valid.

The uploaded files are written to a private temporary folder under their own base names (the import rules
recognise a file by its name) and removed after the import."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from katsaus.core.errors import Problem, ProblemsError
from katsaus.services import imports

SAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


@dataclass(frozen=True)
class ShownProblem:
    file: str
    sheet: str
    row: str
    column: str
    message: str
    expected: str
    found: str


def safe_name(name: str) -> str:
    """The upload's own base name, without a folder part or characters a file name should not hold."""
    base = Path(name.replace("\\", "/")).name
    cleaned = SAFE_NAME.sub("_", base).strip(" .") or "upload"
    return cleaned[:200]


def shown(problems: Iterable[Problem], folder: Path) -> list[ShownProblem]:
    """Problems with the temporary folder taken out of their file names."""
    prefix = str(folder) + "/"

    def text(value: Any) -> str:
        return "" if value is None else str(value).replace(prefix, "")

    return [ShownProblem(text(p.file), text(p.sheet), text(p.row), text(p.column), text(p.message), text(p.expected),
                         text(p.found)) for p in problems]


def import_uploads(kind: str, uploads: list, actor: Any, version: str = "", year: int | None = None,
                   effective_date=None, decision_ref: str = "", author: str = "") -> imports.Outcome:
    """Import the uploaded files as the CLI's `import KIND` does; Refused (a ProblemsError) lists the problems
    with the files' own names."""
    with tempfile.TemporaryDirectory(prefix="katsaus-upload-") as temp:
        folder = Path(temp)
        paths = []
        for upload in uploads:
            path = folder / safe_name(upload.name)
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            paths.append(path)
        try:
            if kind == "ledger":
                return imports.import_ledger(paths, None, False, actor)
            meta = {"effective_date": effective_date, "decision_ref": decision_ref} if kind == "budget" else {
                "effective_date": effective_date, "author": author}
            return imports.import_plan(kind, paths[0], version, year, "statement", None, None, actor, **meta)
        except ProblemsError as exc:
            exc.shown = shown(exc.problems, folder)  # type: ignore[attr-defined]
            raise
