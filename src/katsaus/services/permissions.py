"""Who may see and change what: roles that follow the organisation tree, checked for an explicit actor.

- controller: the whole organisation — sees and edits every unit, approves, publishes, manages users and rounds;
- director of unit D: sees D and every unit below it, approves or returns them (does not edit their texts);
- unit manager of unit U: sees and edits U (each unit they are named for);
- reader: published reports only.

The command line's `Operator` is an administrator (services/actors.py says why): every predicate allows it. A
`Person` is allowed what their roles allow; a person who is inactive or has no role, and `Anonymous`, may do
nothing but read a public published report. Every predicate takes the actor first; anything that is not an
actor raises TypeError (there is no way around the roles by passing a name).

The predicates were `rules` predicates registered as Django permissions; they are plain functions now. rules'
value is `user.has_perm(...)` on Django's user object, and here the actor is not the user object (an operator
has none): composing three predicates with `or` needs no library, and one way of asking keeps one answer.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import NotAllowed, Problem, Term
from .actors import Actor, Operator, Person, actor_name, require_actor
from .cache import data_key, memo

ROLES = ("controller", "director", "unit_manager", "reader")
UNIT_ROLES = ("director", "unit_manager")  # the roles that are named for a unit
# what an actor may do with no unit named: the operation's code, as refusals name it
OPERATIONS = ("open_round", "publish", "manage_users", "import")


def roles_of(actor: Actor) -> list[tuple[str, str]]:
    """(role, unit code) pairs of an active person, read once per actor; [] for anyone else."""
    actor = require_actor(actor)
    if not isinstance(actor, Person) or not actor.active:
        return []
    if not actor._roles:
        from ..store.models import RoleAssignment

        actor._roles.extend(RoleAssignment.objects.filter(user_id=actor.user.pk).values_list("role", "unit_code"))
        if not actor._roles:
            actor._roles.append(("", ""))  # read: none
    return [r for r in actor._roles if r[0]]


def units_below(unit_code: str) -> frozenset[str]:
    """The unit and every unit below it in the stored organisation tree."""
    return unit_tree().get(unit_code, frozenset({unit_code}))


_TREES = memo(2)


def unit_tree() -> dict[str, frozenset[str]]:
    """Each stored unit with every unit below it (itself included), read once while the organisation stands."""
    return _TREES.get(("tree", data_key()), _read_tree)


def _read_tree() -> dict[str, frozenset[str]]:
    from ..store.models import Unit

    children: dict[str | None, list[str]] = {}
    codes = []
    for code, parent in Unit.objects.values_list("code", "parent__code"):
        children.setdefault(parent, []).append(code)
        codes.append(code)
    tree = {}
    for code in codes:
        found: set[str] = set()
        todo = [code]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo += children.get(current, [])
        tree[code] = frozenset(found)
    return tree


def is_controller(actor: Actor) -> bool:
    return isinstance(require_actor(actor), Operator) or any(r == "controller" for r, _ in roles_of(actor))


def directs(actor: Actor, unit_code: str) -> bool:
    """A director of this unit or of a unit above it."""
    return any(role == "director" and unit_code in units_below(unit) for role, unit in roles_of(actor))


def manages(actor: Actor, unit_code: str) -> bool:
    return ("unit_manager", unit_code) in roles_of(actor)


def can_view_unit(actor: Actor, unit_code: str) -> bool:
    """The unit's page: its figures, texts, status and findings (drafts included)."""
    return is_controller(actor) or directs(actor, unit_code) or manages(actor, unit_code)


def can_edit_unit(actor: Actor, unit_code: str) -> bool:
    """Write the unit's narrative and entries (the round's status decides too: see rounds.can_edit)."""
    return is_controller(actor) or manages(actor, unit_code)


def can_approve(actor: Actor, unit_code: str) -> bool:
    """Approve or return the unit's submission."""
    return is_controller(actor) or directs(actor, unit_code)


def can_publish(actor: Actor) -> bool:
    return is_controller(actor)


def can_manage_users(actor: Actor) -> bool:
    return is_controller(actor)


def can_open_round(actor: Actor) -> bool:
    return is_controller(actor)


def can_import(actor: Actor) -> bool:
    """Import files, load configuration and content, write forecasts: the controller."""
    return is_controller(actor)


def can_read_report(actor: Actor, published_report: Any) -> bool:
    """A published report: anyone if public, else anyone with a role (and the operator). A draft is not a
    published report."""
    if published_report is None or getattr(published_report, "pk", None) is None:
        return False
    return bool(getattr(published_report, "public", False)) or is_controller(actor) or bool(roles_of(actor))


def visible_units(actor: Actor) -> list[str]:
    """The codes of the units the actor may see, in the organisation's order."""
    from ..store.models import Unit

    codes = list(Unit.objects.order_by("id").values_list("code", flat=True))
    if is_controller(actor):
        return codes
    return [code for code in codes if can_view_unit(actor, code)]


def require(allowed: bool, actor: Actor, operation: str, unit: str | None = None) -> None:
    """Refuse (NotAllowed, 403) when `allowed` is false: names the actor and the operation's code."""
    if not allowed:
        raise NotAllowed(Problem("permission.denied", {"who": actor_name(actor) or Term("anonymous"),
                                                       "operation": Term(f"operation.{operation}")},
                                 unit=unit), outcome="outcome.nothing_done")
