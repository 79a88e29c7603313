"""The reporting round: a controller opens it, unit managers write and submit, directors return or approve.

Status of a unit: not_started → draft (its first save) → submitted → returned (with the director's comment)
→ submitted → approved. Every transition is checked (who may, from which state), made in a transaction on the
locked row and kept in the audit history with the acting person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction

from ..core.errors import NotAllowed, NotFound, Problem, Refused, Term
from ..core.periods import Period
from .actors import Actor, actor_name
from .audit import writing
from .errors import InvalidTransition
from .permissions import can_approve, can_edit_unit, can_open_round, can_view_unit, require
from .reports import stored_config

MAX_COMMENT = 5_000

STATUSES = ("not_started", "draft", "submitted", "returned", "approved")
EDITABLE = ("not_started", "draft", "returned")
# transition: (the states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "start": (("not_started",), "draft"),
    "submit": (("draft", "returned"), "submitted"),
    "return": (("submitted",), "returned"),
    "approve": (("submitted",), "approved"),
}


def open_round(period: str | Period, deadline: date, actor: Actor, units: Sequence[str] | None = None,
               template_code: str | None = None) -> Any:
    """Open the round of a template (default: the only one) for a period, for the given units (default: every
    unit of the organisation). Raises NotAllowed, Refused (bad period, template, unit; a round of this template
    and period exists)."""
    from ..store.models import ReportingRound, RoundUnit

    require(can_open_round(actor), actor, "open_round")
    the_period = Period.parse(period)
    config = stored_config()
    template = config.template(template_code)
    org_units = [u.code for u in config.org.units]
    chosen = list(units) if units else org_units
    problems = [Problem("round.unit_unknown", key="units", found=code[:40]) for code in chosen if code not in org_units]
    if len(set(chosen)) != len(chosen):
        problems.append(Problem("round.unit_twice", key="units", found=", ".join(chosen)[:200]))
    if ReportingRound.objects.filter(template_code=template.code, period=the_period.key).exists():
        problems.append(Problem("round.exists", {"template": template.code, "period": the_period.key}, key="period"))
    if problems:
        raise Refused(problems, outcome="outcome.nothing_done")
    with writing(actor):
        the_round = ReportingRound.objects.create(
            organisation_code=config.org.code, template_code=template.code, period=the_period.key,
            deadline=deadline, opened_by=actor_name(actor))
        order = {code: i for i, code in enumerate(org_units)}
        for code in sorted(chosen, key=order.__getitem__):
            RoundUnit.objects.create(round=the_round, unit_code=code, position=order[code], changed_by=actor_name(actor))
    return the_round


def get_round(round_id: int) -> Any:
    from ..store.models import ReportingRound

    try:
        return ReportingRound.objects.get(pk=round_id)
    except ReportingRound.DoesNotExist:
        raise NotFound(Problem("round.not_found", {"round": round_id})) from None


def find_round(period: str | Period, template_code: str | None = None) -> Any:
    """The round of a period (and template, when several); None if none is open."""
    from ..store.models import ReportingRound

    rounds = ReportingRound.objects.filter(period=Period.parse(period).key)
    if template_code:
        rounds = rounds.filter(template_code=template_code)
    return rounds.order_by("-id").first()


def list_rounds() -> list[Any]:
    from ..store.models import ReportingRound

    return list(ReportingRound.objects.order_by("-period", "template_code"))


def round_unit(the_round: Any, unit_code: str) -> Any:
    from ..store.models import RoundUnit

    try:
        return RoundUnit.objects.get(round=the_round, unit_code=unit_code)
    except RoundUnit.DoesNotExist:
        raise NotFound(Problem("unit.not_in_round", {"unit": unit_code}, unit=unit_code)) from None


def units_of(the_round: Any, actor: Actor) -> list[Any]:
    """The round's units the actor may see, in the organisation's order."""
    return [u for u in the_round.units.all() if can_view_unit(actor, u.unit_code)]


def can_edit(actor: Actor, unit: Any) -> bool:
    """May the actor change this round unit's texts and entries now (role and status)?"""
    return unit.status in EDITABLE and can_edit_unit(actor, unit.unit_code)


def transition(the_round: Any, unit_code: str, name: str, actor: Actor, allowed: bool, comment: str = "") -> Any:
    """Move a unit's status, on the locked row, or refuse with what it is and what is needed."""
    from ..store.models import RoundUnit

    sources, target = TRANSITIONS[name]
    with writing(actor):
        try:
            unit = RoundUnit.objects.select_for_update().get(round=the_round, unit_code=unit_code)
        except RoundUnit.DoesNotExist:
            raise NotFound(Problem("unit.not_in_round", {"unit": unit_code}, unit=unit_code)) from None
        if not allowed:
            raise NotAllowed(Problem("permission.denied", {"who": actor_name(actor),
                                                           "operation": Term(f"operation.{name}")}, unit=unit_code))
        if unit.status not in sources:
            raise InvalidTransition("round.transition_refused", unit_code, unit.status,
                                    done=Term(f"transition.{name}"),
                                    allowed=tuple(Term(f"status.{s}") for s in sources))
        unit.status = target
        unit.comment = comment if name == "return" else ("" if name == "approve" else unit.comment)
        unit.changed_by = actor_name(actor)
        unit.save()
    return unit


def mark_draft(the_round: Any, unit_code: str, actor: Actor) -> Any:
    """A unit's first save in the round makes it a draft (the save itself checks the right to edit). A unit
    that is a draft already is left as it is: two managers saving their first texts at the same moment both
    saw "not started", and the second's save is as valid as the first's."""
    from ..store.models import RoundUnit

    with transaction.atomic():
        unit = RoundUnit.objects.select_for_update().filter(round=the_round, unit_code=unit_code).first()
        if unit is not None and unit.status == "draft":
            return unit
        return transition(the_round, unit_code, "start", actor, True)


def submit_unit(the_round: Any, unit_code: str, actor: Actor) -> Any:
    """The unit's manager (or the controller) submits a draft, or a returned unit after fixing it."""
    return transition(the_round, unit_code, "submit", actor, can_edit_unit(actor, unit_code))


def return_unit(the_round: Any, unit_code: str, comment: str, actor: Actor) -> Any:
    """A director above the unit (or the controller) returns a submission with a comment (required)."""
    if not comment.strip() or len(comment) > MAX_COMMENT:
        raise Refused(Problem("round.return_comment", {"max": MAX_COMMENT}, key="comment"),
                      outcome="outcome.nothing_changed")
    return transition(the_round, unit_code, "return", actor, can_approve(actor, unit_code), comment.strip())


def approve_unit(the_round: Any, unit_code: str, actor: Actor) -> Any:
    """A director above the unit (or the controller) approves a submission."""
    return transition(the_round, unit_code, "approve", actor, can_approve(actor, unit_code))


def check_editable(period: str, unit_code: str, actor: Actor) -> list[Any]:
    """Before a change to a unit's texts or entries of a period: the actor may edit the unit, and no round of
    the period holds it submitted or approved. Returns the rounds whose unit goes from not started to draft."""
    from ..store.models import RoundUnit

    require(can_edit_unit(actor, unit_code), actor, "edit_unit", unit_code)
    # The rows stay locked until the caller's transaction ends, so that the status read here is still the
    # status when the save is stored and the unit made a draft: a concurrent first save waits, then reads
    # "draft"; a concurrent submit waits for the save (ordered by id, so that two saves lock alike).
    with transaction.atomic():
        units = list(RoundUnit.objects.select_for_update(of=("self",)).filter(round__period=period, unit_code=unit_code)
                     .select_related("round").order_by("id"))
    locked = [u for u in units if u.status not in EDITABLE]
    if locked:
        u = locked[0]
        raise InvalidTransition("round.unit_locked", unit_code, u.status, template=u.round.template_code,
                                period=period)
    return [u.round for u in units if u.status == "not_started"]


@dataclass(frozen=True)
class UnitProgress:
    unit_code: str
    name: str
    status: str
    comment: str
    changed_by: str
    changed_at: datetime
    errors: int
    warnings: int


@dataclass(frozen=True)
class RoundProgress:
    round_id: int
    period: str
    template_code: str
    deadline: date
    units: tuple[UnitProgress, ...]

    @property
    def not_submitted(self) -> list[str]:
        return [u.unit_code for u in self.units if u.status in EDITABLE]

    @property
    def failing(self) -> list[str]:
        """The units whose checks find an error."""
        return [u.unit_code for u in self.units if u.errors]

    @property
    def all_approved(self) -> bool:
        return all(u.status == "approved" for u in self.units)


def round_progress(the_round: Any, actor: Actor, language: str = "fi") -> RoundProgress:
    """The status, comment and check findings (counted by severity) of each unit the actor may see: the
    findings are those of the report each unit's page shows (reports.unit_source), so that the two agree."""
    from .cache import tokens_read_once
    from .reports import unit_findings, unit_source

    with tokens_read_once():  # one reading of the tokens for every unit's report (a county has a hundred)
        config = stored_config()
        names = {u.code: u.name(language) for u in config.org.units}
        units = []
        for unit in units_of(the_round, actor):
            found = unit_findings(unit_source(the_round.period, the_round.template_code, unit.unit_code, language),
                                  unit.unit_code)
            units.append(UnitProgress(
                unit.unit_code, names.get(unit.unit_code, unit.unit_code), unit.status, unit.comment,
                unit.changed_by, unit.changed_at, sum(f.severity == "error" for f in found),
                sum(f.severity == "warning" for f in found)))
    return RoundProgress(the_round.pk, the_round.period, the_round.template_code, the_round.deadline, tuple(units))
