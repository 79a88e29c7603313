"""The reporting round: a controller opens it, unit managers write and submit, directors return or approve.

Status of a unit: not_started → draft (its first save) → submitted → returned (with the director's comment)
→ submitted → approved. Every transition is checked (who may, from which state), made in a transaction on the
locked row and kept in the audit history with the acting person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Sequence

from django.db import transaction

from ..core.errors import Problem, ProblemsError
from .audit import acting, actor_name
from .errors import InvalidTransition, NotAllowed, NotFound
from .permissions import can_approve, can_edit_unit, can_open_round, can_view_unit, is_operator, require
from .reports import parse_period, period_key, stored_config

STATUSES = ("not_started", "draft", "submitted", "returned", "approved")
EDITABLE = ("not_started", "draft", "returned")
# transition: (the states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "start": (("not_started",), "draft"),
    "submit": (("draft", "returned"), "submitted"),
    "return": (("submitted",), "returned"),
    "approve": (("submitted",), "approved"),
}


DONE = {"start": "started", "submit": "submitted", "return": "returned", "approve": "approved"}


def open_round(period: str, deadline: date, actor: Any, units: Sequence[str] | None = None,
               template_code: str | None = None):
    """Open the round of a template (default: the only one) for a period, for the given units (default: every
    unit of the organisation). Raises NotAllowed, ProblemsError (bad period, template, unit; a round of this
    template and period exists)."""
    from ..store.models import ReportingRound, RoundUnit

    require(can_open_round(actor), actor, "open a reporting round")
    the_period = parse_period(period)
    config = stored_config()
    try:
        template = config.template(template_code)
    except KeyError as exc:
        raise ProblemsError([Problem("--template", str(exc).strip('"'))]) from None
    org_units = [u.code for u in config.organisation.units]
    chosen = list(units) if units else org_units
    problems = [Problem("--unit", "no such unit in the organisation", expected="a unit code", found=code)
                for code in chosen if code not in org_units]
    if len(set(chosen)) != len(chosen):
        problems.append(Problem("--unit", "a unit named twice", found=", ".join(chosen)))
    if ReportingRound.objects.filter(template_code=template.code, period=period_key(the_period)).exists():
        problems.append(Problem("round", f"a round of {template.code} for {period_key(the_period)} is already open"))
    if problems:
        raise ProblemsError(problems)
    with acting(actor), transaction.atomic():
        the_round = ReportingRound.objects.create(
            organisation_code=config.organisation.code, template_code=template.code, period=period_key(the_period),
            deadline=deadline, opened_by=actor_name(actor))
        order = {code: i for i, code in enumerate(org_units)}
        for code in sorted(chosen, key=order.__getitem__):
            RoundUnit.objects.create(round=the_round, unit_code=code, position=order[code], changed_by=actor_name(actor))
    return the_round


def get_round(round_id: int):
    from ..store.models import ReportingRound

    try:
        return ReportingRound.objects.get(pk=round_id)
    except ReportingRound.DoesNotExist:
        raise NotFound(f"no reporting round #{round_id}") from None


def find_round(period: str, template_code: str | None = None):
    """The round of a period (and template, when several); None if none is open."""
    from ..store.models import ReportingRound

    rounds = ReportingRound.objects.filter(period=period_key(parse_period(period)))
    if template_code:
        rounds = rounds.filter(template_code=template_code)
    return rounds.order_by("-id").first()


def list_rounds() -> list:
    from ..store.models import ReportingRound

    return list(ReportingRound.objects.order_by("-period", "template_code"))


def round_unit(the_round: Any, unit_code: str):
    from ..store.models import RoundUnit

    try:
        return RoundUnit.objects.get(round=the_round, unit_code=unit_code)
    except RoundUnit.DoesNotExist:
        raise NotFound(f"unit {unit_code} does not report in round #{getattr(the_round, 'pk', the_round)}") from None


def units_of(the_round: Any, actor: Any) -> list:
    """The round's units the actor may see, in the organisation's order."""
    return [u for u in the_round.units.all() if is_operator(actor) or can_view_unit(actor, u.unit_code)]


def can_edit(actor: Any, unit: Any) -> bool:
    """May the actor change this round unit's texts and entries now (role and status)?"""
    return unit.status in EDITABLE and (is_operator(actor) or can_edit_unit(actor, unit.unit_code))


def transition(the_round: Any, unit_code: str, name: str, actor: Any, allowed: bool, comment: str = ""):
    """Move a unit's status, on the locked row, or refuse with what it is and what is needed."""
    from ..store.models import RoundUnit

    sources, target = TRANSITIONS[name]
    with acting(actor), transaction.atomic():
        try:
            unit = RoundUnit.objects.select_for_update().get(round=the_round, unit_code=unit_code)
        except RoundUnit.DoesNotExist:
            raise NotFound(f"unit {unit_code} does not report in this round") from None
        if not (allowed or is_operator(actor)):
            raise NotAllowed(f"{actor_name(actor)} may not {name} {unit_code}")
        if unit.status not in sources:
            raise InvalidTransition(f"{unit_code} is {unit.status}: it can be {DONE[name]} only when "
                                    f"{' or '.join(sources)}")
        unit.status = target
        unit.comment = comment if name == "return" else ("" if name == "approve" else unit.comment)
        unit.changed_by = actor_name(actor)
        unit.save()
    return unit


def mark_draft(the_round: Any, unit_code: str, actor: Any):
    """A unit's first save in the round makes it a draft (the save itself checks the right to edit). A unit
    that is a draft already is left as it is: two managers saving their first texts at the same moment both
    saw "not started", and the second's save is as valid as the first's."""
    from ..store.models import RoundUnit

    with transaction.atomic():
        unit = RoundUnit.objects.select_for_update().filter(round=the_round, unit_code=unit_code).first()
        if unit is not None and unit.status == "draft":
            return unit
        return transition(the_round, unit_code, "start", actor, True)


def submit_unit(the_round: Any, unit_code: str, actor: Any):
    """The unit's manager (or the controller) submits a draft, or a returned unit after fixing it."""
    return transition(the_round, unit_code, "submit", actor, can_edit_unit(actor, unit_code))


def return_unit(the_round: Any, unit_code: str, comment: str, actor: Any):
    """A director above the unit (or the controller) returns a submission with a comment (required)."""
    if not comment.strip():
        raise ProblemsError([Problem("comment", "a returned unit needs the director's comment", expected="a comment")])
    return transition(the_round, unit_code, "return", actor, can_approve(actor, unit_code), comment.strip())


def approve_unit(the_round: Any, unit_code: str, actor: Any):
    """A director above the unit (or the controller) approves a submission."""
    return transition(the_round, unit_code, "approve", actor, can_approve(actor, unit_code))


def check_editable(period: str, unit_code: str, actor: Any) -> list:
    """Before a change to a unit's texts or entries of a period: the actor may edit the unit, and no round of
    the period holds it submitted or approved. Returns the rounds whose unit goes from not started to draft."""
    from ..store.models import RoundUnit

    require(can_edit_unit(actor, unit_code), actor, f"edit {unit_code}")
    # The rows stay locked until the caller's transaction ends, so that the status read here is still the
    # status when the save is stored and the unit made a draft: a concurrent first save waits, then reads
    # "draft"; a concurrent submit waits for the save (ordered by id, so that two saves lock alike).
    with transaction.atomic():
        units = list(RoundUnit.objects.select_for_update(of=("self",)).filter(round__period=period, unit_code=unit_code)
                     .select_related("round").order_by("id"))
    locked = [u for u in units if u.status not in EDITABLE]
    if locked:
        u = locked[0]
        raise InvalidTransition(f"{unit_code} is {u.status} in the round of {u.round.template_code} {period}: "
                                "it cannot be changed unless a director returns it")
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


def round_progress(the_round: Any, with_checks: bool = True) -> RoundProgress:
    """Each unit's status, comment and check findings (counted by severity) — the controller's view."""
    from .reports import findings

    config = stored_config()
    names = {u.code: u.name_fi for u in config.organisation.units}
    units = []
    for unit in the_round.units.all():
        found = findings(the_round.period, unit.unit_code, the_round.template_code) if with_checks else ()
        units.append(UnitProgress(
            unit.unit_code, names.get(unit.unit_code, unit.unit_code), unit.status, unit.comment, unit.changed_by,
            unit.changed_at, sum(f.severity == "error" for f in found), sum(f.severity == "warning" for f in found)))
    return RoundProgress(the_round.pk, the_round.period, the_round.template_code, the_round.deadline, tuple(units))
