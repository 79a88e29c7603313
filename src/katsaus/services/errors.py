"""The family of refusals as the services' callers (the web, the CLI) meet it, and what a service did.

The family itself is katsaus.core.errors (every layer below makes its problems with it); this module hands it on
as the services' API, with the refusals that only the services make: each a `Refused` of the family with its own
code and parameters. The web answers with a refusal's `status` and shows its problems in the reader's language;
the CLI prints them. Nothing of a refused operation was changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.errors import (
    Conflict,
    Money,
    NotAllowed,
    Note,
    NotFound,
    Percent,
    Problem,
    Refused,
    Severity,
    Term,
    refuse,
)

__all__ = [
    "Conflict", "CurrentVersion", "InvalidTransition", "Money", "Note", "NotAllowed", "NotFound", "Outcome", "Percent",
    "Problem", "PublishedPeriodLocked", "Refused", "Severity", "StaleEdit", "Term", "refuse",
]


@dataclass(frozen=True)
class CurrentVersion:
    """The version an editor's save collided with: shown beside their own text."""

    version: int | None
    text: str
    entered_by: str
    entered_at: str


class StaleEdit(Conflict):
    """Someone saved a newer version since the editor began: nothing is overwritten. `current` holds the other
    person's text, so that it can be shown beside one's own."""

    def __init__(self, what: str, base_version: int | None, current: CurrentVersion) -> None:
        self.what = what
        self.base_version = base_version
        self.current = current
        theirs = current.text if len(current.text) <= 200 else current.text[:199] + "…"
        super().__init__(Problem("edit.stale", {
            "what": what, "who": current.entered_by or Term("someone"), "when": current.entered_at,
            "yours": base_version, "now": current.version, "theirs": theirs}), outcome="outcome.nothing_saved")


class InvalidTransition(Conflict):
    """A round unit's status does not allow this now (approve a draft, edit a submitted unit)."""

    def __init__(self, code: str, unit_code: str, status: str, **params: Any) -> None:
        self.unit_code = unit_code
        self.unit_status = status
        super().__init__(Problem(code, {"unit": unit_code, "status": Term(f"status.{status}"), **params},
                                 unit=unit_code), outcome="outcome.nothing_changed")


class PublishedPeriodLocked(Conflict):
    """A change would alter a published report's figures or texts; it names the reports."""

    def __init__(self, reports: list[tuple[str, int]]) -> None:
        self.reports = reports  # (key, version) of each published report the change would alter
        shown = tuple(Note("published.report_version", {"report": key, "version": version}) for key, version in reports)
        super().__init__(Problem("published.locked", {"reports": shown}), outcome="outcome.nothing_changed")


@dataclass
class Outcome:
    """What a service did, for the person who asked: notes of what was done, warnings (problems that did not
    stop it), and the value made (paths written, the saved import …)."""

    notes: list[Note] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    value: Any = None
