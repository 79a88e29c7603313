"""What a service refuses, as exceptions the CLI prints and the web shows beside the form."""

from __future__ import annotations

from dataclasses import dataclass


class ServiceError(Exception):
    """Base of every refusal of a service: nothing was changed."""


class NotAllowed(ServiceError):
    """The acting user's roles do not allow this (the web answers 403, or 404 where existence is private)."""


class NotFound(ServiceError, LookupError):
    """No such round, unit, user or published report."""


class InvalidTransition(ServiceError):
    """A round unit's status cannot go this way from where it is (e.g. approve a draft)."""


@dataclass(frozen=True)
class CurrentVersion:
    """The version an editor's save collided with: shown beside their own text."""

    version: int | None
    text: str
    entered_by: str
    entered_at: str


class StaleEdit(ServiceError):
    """Someone saved a newer version since the editor began: the save is refused, nothing overwritten.
    `current` holds the other person's text, so it can be shown beside one's own."""

    def __init__(self, what: str, base_version: int | None, current: CurrentVersion) -> None:
        self.what = what
        self.base_version = base_version
        self.current = current
        super().__init__(
            f"{what} was changed by {current.entered_by or 'someone'} at {current.entered_at} after you began "
            f"editing (your version {base_version}, now {current.version}); nothing was saved: compare the two "
            "texts and save again")


class PublishedPeriodLocked(ServiceError):
    """A change would alter a published report's figures or texts; it is refused and names the report."""

    def __init__(self, reports: list[str]) -> None:
        self.reports = reports
        super().__init__(
            "this change would alter the published report " + ", ".join(reports)
            + "; nothing was changed (publish a correction: change with correction=True / --correction, then publish again)")


from ..core.errors import Problem, ProblemsError  # noqa: E402


class Refused(ProblemsError):
    """Bad input, with what was (not) done: "nothing was stored", "nothing was written", … (the CLI prints it)."""

    def __init__(self, problems: list[Problem], omitted: int = 0, what: str = "nothing was stored") -> None:
        super().__init__(problems, omitted)
        self.what = what


def refuse(problems: list[Problem], what: str = "nothing was stored", omitted: int = 0) -> None:
    """Raise Refused when there are problems."""
    if problems or omitted:
        raise Refused(problems, omitted, what)


@dataclass
class Outcome:
    """What a service did, for the person who asked: lines to show, warnings, and the value made (paths
    written, the saved import …)."""

    lines: list[str]
    warnings: list[str]
    value: object = None
