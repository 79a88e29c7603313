"""Who may see and change what: roles that follow the organisation tree.

- controller: the whole organisation — sees and edits every unit, approves, publishes, manages users and rounds;
- director of unit D: sees D and every unit below it, approves or returns them (does not edit their texts);
- unit manager of unit U: sees and edits U (each unit they are named for);
- reader: published reports only.

Each predicate is a `rules` predicate, so the web can also ask `user.has_perm("katsaus.view_unit", code)`.
A user who is not logged in, inactive or has no role may do nothing but read a public published report.
"""

from __future__ import annotations

from typing import Any

import rules

ROLES = ("controller", "director", "unit_manager", "reader")
UNIT_ROLES = ("director", "unit_manager")  # the roles that are named for a unit


def roles_of(user: Any) -> list[tuple[str, str]]:
    """(role, unit code) pairs of an active user; [] for anyone else. Cached on the user object per request."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, "_katsaus_roles", None)
    if cached is None:
        from ..store.models import RoleAssignment

        cached = list(RoleAssignment.objects.filter(user=user).values_list("role", "unit_code"))
        user._katsaus_roles = cached
    return cached


def units_below(unit_code: str) -> set[str]:
    """The unit and every unit below it in the stored organisation tree."""
    from ..store.models import Unit

    children: dict[str | None, list[str]] = {}
    for code, parent in Unit.objects.values_list("code", "parent__code"):
        children.setdefault(parent, []).append(code)
    found, todo = set(), [unit_code]
    while todo:
        code = todo.pop()
        if code not in found:
            found.add(code)
            todo += children.get(code, [])
    return found


def has_role(user: Any, role: str) -> bool:
    return any(r == role for r, _ in roles_of(user))


@rules.predicate
def is_controller(user: Any) -> bool:
    return has_role(user, "controller")


@rules.predicate
def directs(user: Any, unit_code: str) -> bool:
    """A director of this unit or of a unit above it."""
    return any(role == "director" and unit_code in units_below(unit) for role, unit in roles_of(user))


@rules.predicate
def manages(user: Any, unit_code: str) -> bool:
    return ("unit_manager", unit_code) in roles_of(user)


@rules.predicate
def has_any_role(user: Any) -> bool:
    return bool(roles_of(user))


@rules.predicate
def is_public(user: Any, published: Any) -> bool:
    return bool(getattr(published, "public", False))


view_unit = is_controller | directs | manages
edit_unit = is_controller | manages
approve_unit = is_controller | directs
read_report = is_public | has_any_role

rules.add_perm("katsaus.view_unit", view_unit)
rules.add_perm("katsaus.edit_unit", edit_unit)
rules.add_perm("katsaus.approve_unit", approve_unit)
rules.add_perm("katsaus.publish", is_controller)
rules.add_perm("katsaus.manage_users", is_controller)
rules.add_perm("katsaus.open_round", is_controller)
rules.add_perm("katsaus.read_report", read_report)
rules.add_perm("katsaus.import", is_controller)


def can_view_unit(user: Any, unit_code: str) -> bool:
    """The unit's page: its figures, texts, status and findings (drafts included)."""
    return bool(view_unit.test(user, unit_code))


def can_edit_unit(user: Any, unit_code: str) -> bool:
    """Write the unit's narrative and entries (the round's status decides too: see rounds.can_edit)."""
    return bool(edit_unit.test(user, unit_code))


def can_approve(user: Any, unit_code: str) -> bool:
    """Approve or return the unit's submission."""
    return bool(approve_unit.test(user, unit_code))


def can_publish(user: Any) -> bool:
    return bool(is_controller.test(user))


def can_manage_users(user: Any) -> bool:
    return bool(is_controller.test(user))


def can_open_round(user: Any) -> bool:
    return bool(is_controller.test(user))


def can_import(user: Any) -> bool:
    """Import files, load configuration and content, write forecasts: the controller."""
    return bool(is_controller.test(user))


def can_read_report(user: Any, published_report: Any) -> bool:
    """A published report: anyone if public, else anyone with a role. A draft is not a published report."""
    return published_report is not None and getattr(published_report, "pk", None) is not None \
        and bool(read_report.test(user, published_report))


def visible_units(user: Any) -> list[str]:
    """The codes of the units the user may see, in the organisation's order."""
    from ..store.models import Unit

    return [code for code in Unit.objects.values_list("code", flat=True) if can_view_unit(user, code)]


def is_operator(actor: Any) -> bool:
    """A name (the CLI's --user) rather than a user object: the person at the command line, who has the
    database itself in hand; the CLI records their name and checks no role."""
    return isinstance(actor, str)


def require(allowed: bool, actor: Any, what: str) -> None:
    from .errors import NotAllowed

    if not (allowed or is_operator(actor)):
        from .audit import actor_name

        raise NotAllowed(f"{actor_name(actor)} may not {what}")
