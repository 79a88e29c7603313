"""Files a person uploads in the browser, imported by the same services as the CLI's commands.

The uploads are written to a private temporary folder under their own base names (the import rules recognise a
file by its name) and removed after the import; every problem names the file as the person named it.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..core.errors import Problem, Refused
from .actors import Actor
from .errors import Outcome

SAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)
T = TypeVar("T")


class Upload(Protocol):
    """An uploaded file (Django's UploadedFile): its name as the person's computer had it, and its bytes."""

    name: str | None

    def chunks(self) -> Iterator[bytes]: ...


def safe_name(name: str) -> str:
    """The upload's own base name, without a folder part or characters a file name should not hold."""
    base = Path(name.replace("\\", "/")).name
    cleaned = SAFE_NAME.sub("_", base).strip(" .") or "upload"
    return cleaned[:200]


def as_named(problems: Iterable[Problem], folder: Path) -> list[Problem]:
    """Problems with the temporary folder taken out of their file names."""
    prefix = str(folder) + "/"
    return [replace(p, file=p.file.replace(prefix, "")) if p.file else p for p in problems]


def with_uploads(uploads: Sequence[Upload], work: Callable[[list[Path]], T]) -> T:
    """Write the uploads to a private folder, run `work` on their paths, remove them; a refusal names the files
    as uploaded."""
    with tempfile.TemporaryDirectory(prefix="katsaus-upload-") as temp:
        folder = Path(temp)
        paths = []
        for upload in uploads:
            path = folder / safe_name(upload.name or "upload")
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            paths.append(path)
        try:
            return work(paths)
        except Refused as exc:
            raise exc.copy(problems=as_named(exc.problems, folder)) from None


def import_uploads(kind: str, uploads: Sequence[Upload], actor: Actor, version: str = "", year: int | None = None,
                   effective_date: date | None = None, decision_ref: str = "", author: str = "") -> Outcome:
    """Import uploaded files as the CLI's `import KIND` does."""
    from .imports import import_ledger, import_plan

    def work(paths: list[Path]) -> Outcome:
        if kind == "ledger":
            return import_ledger(paths, None, False, actor)
        meta: dict[str, Any] = ({"effective_date": effective_date, "decision_ref": decision_ref} if kind == "budget"
                                else {"effective_date": effective_date, "author": author})
        return import_plan(kind, paths[0], version, year, "statement", None, None, actor, **meta)

    return with_uploads(uploads, work)


def upload_forecast_sheet(upload: Upload, version: str, actor: Actor) -> Outcome:
    """A filled-in forecast sheet stored as a forecast version (`forecast upload`)."""
    from .forecasts import upload as store

    return with_uploads([upload], lambda paths: store(paths[0], version, actor))
