"""Users and their roles: Django's auth users, one RoleAssignment per role (and unit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from django.db import transaction

from ..core.errors import Problem, ProblemsError
from .audit import acting
from .permissions import (  # noqa: F401  (the predicates are part of this module's API)
    ROLES, UNIT_ROLES, can_approve, can_edit_unit, can_manage_users, can_publish, can_read_report, can_view_unit,
    require, visible_units,
)

MIN_PASSWORD = 8


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
    if not roles:
        problems.append(Problem("--role", "a user needs at least one role", expected=", ".join(ROLES), found=""))
    for spec in roles:
        if spec.role not in ROLES:
            problems.append(Problem("--role", "unknown role", expected=", ".join(ROLES), found=spec.role))
        elif spec.role in UNIT_ROLES and not spec.unit_code:
            problems.append(Problem("--unit", f"a {spec.role} is named for a unit", expected="a unit code", found=""))
        elif spec.role in UNIT_ROLES and spec.unit_code not in units:
            problems.append(Problem("--unit", "no such unit in the organisation", expected="a unit code of the loaded "
                                    "organisation", found=spec.unit_code))
        elif spec.role not in UNIT_ROLES and spec.unit_code:
            problems.append(Problem("--unit", f"a {spec.role} is not named for a unit", expected="no --unit",
                                    found=spec.unit_code))
    return problems


def add_user(name: str, password: str, roles: Sequence[RoleSpec | tuple[str, str]], actor: Any) -> UserInfo:
    """Create a user with a password and roles, or add roles to an existing user (password then changed if
    given). Raises NotAllowed (not a controller), ProblemsError (bad name, password, role or unit)."""
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from ..store.models import RoleAssignment

    require(can_manage_users(actor), actor, "manage users")
    specs = [r if isinstance(r, RoleSpec) else RoleSpec(*r) for r in roles]
    problems = role_problems(specs)
    if not name or name != name.strip() or len(name) > 150:
        problems.append(Problem("NAME", "not a user name", expected="1–150 characters without surrounding spaces", found=name))
    existing = User.objects.filter(username=name).first()
    if password or existing is None:
        try:
            validate_password(password, existing)
            if len(password) < MIN_PASSWORD:
                raise ValidationError(f"at least {MIN_PASSWORD} characters")
        except ValidationError as exc:
            problems.append(Problem("--password-stdin", "the password is not acceptable",
                                    expected="; ".join(exc.messages), found=f"{len(password)} characters"))
    if problems:
        raise ProblemsError(problems)
    with acting(actor), transaction.atomic():
        user = existing or User(username=name)
        if password:
            user.set_password(password)
        user.save()
        for spec in specs:
            RoleAssignment.objects.get_or_create(user=user, role=spec.role, unit_code=spec.unit_code)
    return user_info(user)


def remove_role(name: str, role: str, unit_code: str, actor: Any) -> UserInfo:
    from ..store.models import RoleAssignment

    require(can_manage_users(actor), actor, "manage users")
    user = get_user(name)
    with acting(actor), transaction.atomic():
        for assignment in RoleAssignment.objects.filter(user=user, role=role, unit_code=unit_code):
            assignment.delete()
    return user_info(user)


def set_active(name: str, active: bool, actor: Any) -> UserInfo:
    """Deactivate (or reactivate) a user: kept with their history, may no longer log in."""
    require(can_manage_users(actor), actor, "manage users")
    user = get_user(name)
    with acting(actor), transaction.atomic():
        user.is_active = active
        user.save()
    return user_info(user)


def get_user(name: str):
    from django.contrib.auth.models import User

    from .errors import NotFound

    try:
        return User.objects.get(username=name)
    except User.DoesNotExist:
        raise NotFound(f"no user {name!r}") from None


def user_info(user) -> UserInfo:
    roles = tuple(RoleSpec(r, u) for r, u in user.katsaus_roles.order_by("role", "unit_code").values_list("role", "unit_code"))
    return UserInfo(user.username, user.is_active, roles)


def list_users() -> list[UserInfo]:
    from django.contrib.auth.models import User

    return [user_info(u) for u in User.objects.order_by("username").prefetch_related("katsaus_roles")]
