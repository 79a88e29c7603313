"""Users and their roles: Django's auth users, one RoleAssignment per role (and unit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..core.errors import NotFound, Problem, Refused, Term
from .actors import Actor
from .audit import writing
from .permissions import ROLES, UNIT_ROLES, can_manage_users, require

MIN_PASSWORD = 8
MAX_PASSWORD = 200
MAX_NAME = 150


@dataclass(frozen=True)
class RoleSpec:
    role: str
    unit_code: str = ""


@dataclass(frozen=True)
class UserInfo:
    name: str
    active: bool
    roles: tuple[RoleSpec, ...]


def role_problems(roles: Sequence[RoleSpec]) -> list[Problem]:
    from ..store.models import Unit

    units = set(Unit.objects.values_list("code", flat=True))
    problems = []
    roles_allowed = tuple(Term(f"role.{r}") for r in ROLES)
    if not roles:
        problems.append(Problem("user.role_missing", {"allowed": roles_allowed}, key="role"))
    for spec in roles:
        if spec.role not in ROLES:
            problems.append(Problem("user.role_unknown", {"allowed": roles_allowed}, key="role", found=spec.role[:40]))
        elif spec.role in UNIT_ROLES and not spec.unit_code:
            problems.append(Problem("user.role_needs_unit", {"role": Term(f"role.{spec.role}")}, key="unit"))
        elif spec.role in UNIT_ROLES and spec.unit_code not in units:
            problems.append(Problem("user.unit_unknown", key="unit", found=spec.unit_code[:40]))
        elif spec.role not in UNIT_ROLES and spec.unit_code:
            problems.append(Problem("user.role_takes_no_unit", {"role": Term(f"role.{spec.role}")}, key="unit",
                                    found=spec.unit_code[:40]))
    return problems


def add_user(name: str, password: str, roles: Sequence[RoleSpec | tuple[str, str]], actor: Actor) -> UserInfo:
    """Create a user with a password and roles, or add roles to an existing user (password then changed if
    given). Raises NotAllowed (not a controller), Refused (bad name, password, role or unit)."""
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from ..store.models import RoleAssignment

    require(can_manage_users(actor), actor, "manage_users")
    specs = [r if isinstance(r, RoleSpec) else RoleSpec(*r) for r in roles]
    problems = role_problems(specs)
    if not name or name != name.strip() or len(name) > MAX_NAME:
        problems.append(Problem("user.name_invalid", {"max": MAX_NAME}, key="name", found=name[:MAX_NAME + 10]))
    existing = User.objects.filter(username=name).first()
    if password or existing is None:
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            problems.append(Problem("user.password_length", {"min": MIN_PASSWORD, "max": MAX_PASSWORD},
                                    key="password", found=str(len(password))))
        else:
            try:
                validate_password(password, existing)
            except ValidationError as exc:
                problems += [Problem(f"user.password.{e.code or 'invalid'}", key="password")
                             for e in exc.error_list]
    if problems:
        raise Refused(problems, outcome="outcome.nothing_saved")
    with writing(actor):
        user = existing or User(username=name)
        if password:
            user.set_password(password)
        user.save()
        for spec in specs:
            RoleAssignment.objects.get_or_create(user=user, role=spec.role, unit_code=spec.unit_code)
    return user_info(user)


def remove_role(name: str, role: str, unit_code: str, actor: Actor) -> UserInfo:
    from ..store.models import RoleAssignment

    require(can_manage_users(actor), actor, "manage_users")
    user = get_user(name)
    with writing(actor):
        for assignment in RoleAssignment.objects.filter(user=user, role=role, unit_code=unit_code):
            assignment.delete()
    return user_info(user)


def set_active(name: str, active: bool, actor: Actor) -> UserInfo:
    """Deactivate (or reactivate) a user: kept with their history, may no longer log in."""
    require(can_manage_users(actor), actor, "manage_users")
    user = get_user(name)
    with writing(actor):
        user.is_active = active
        user.save()
    return user_info(user)


def get_user(name: str) -> Any:
    from django.contrib.auth.models import User

    try:
        return User.objects.get(username=name)
    except User.DoesNotExist:
        raise NotFound(Problem("user.not_found", {"name": name[:MAX_NAME]}, found=name[:MAX_NAME])) from None


def user_info(user: Any) -> UserInfo:
    roles = tuple(RoleSpec(r, u) for r, u in user.katsaus_roles.order_by("role", "unit_code").values_list("role", "unit_code"))
    return UserInfo(user.username, user.is_active, roles)


def list_users(actor: Actor) -> list[UserInfo]:
    from django.contrib.auth.models import User

    require(can_manage_users(actor), actor, "manage_users")
    return [user_info(u) for u in User.objects.order_by("username").prefetch_related("katsaus_roles")]
