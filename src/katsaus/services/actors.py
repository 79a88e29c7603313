"""Who acts: every service that reads private data or changes anything takes an explicit actor.

- `Person`: a configured user (Django's auth user) acting with the roles they have been given — from the web, or
  from the command line with `katsaus --as-user NAME`. Their roles are checked for every operation.
- `Operator`: the person at the command line (`katsaus --user NAME`, default the OS user name). Whoever runs
  `katsaus` holds the database itself — its SQLite file or a PostgreSQL URL with its credentials — and could
  change anything with the database's own tools, so roles cannot bind them: the operator is an explicit
  administrator, allowed every operation and named in the audit log (docs/rounds.md, "Who the command line acts
  as"). A controller who wants the command line to keep to a role uses `--as-user`.
- `Anonymous`: a visitor who has not logged in: public published reports only.

There is no other kind: a bare name or a user object is not an actor (`actor_of` makes one from a request's user).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

SYSTEM = "system"


@dataclass(frozen=True)
class Operator:
    """The command line's operator: an administrator, named for the audit log."""

    name: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("an operator needs a name for the audit log")

    @property
    def username(self) -> str:
        return self.name


@dataclass(frozen=True, eq=False)
class Person:
    """A configured user acting with their roles. `roles` is read once per actor (one request, one command)."""

    user: AbstractBaseUser
    via: str = "web"  # where they act from: "web", or "cli" with --as-user
    _roles: list[tuple[str, str]] = field(default_factory=list, repr=False, compare=False)

    @property
    def username(self) -> str:
        return str(self.user.get_username())

    @property
    def active(self) -> bool:
        return bool(getattr(self.user, "is_active", False))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Person) and other.user.pk == self.user.pk

    def __hash__(self) -> int:
        return hash(("person", self.user.pk))


@dataclass(frozen=True)
class Anonymous:
    """Not logged in."""

    @property
    def username(self) -> str:
        return ""


Actor: TypeAlias = Operator | Person | Anonymous
ACTOR_KINDS = (Operator, Person, Anonymous)


def actor_of(user: object) -> Person | Anonymous:
    """The actor of a web request's user (Django's user or AnonymousUser): a Person when logged in, else
    Anonymous."""
    from django.contrib.auth.base_user import AbstractBaseUser

    if not isinstance(user, AbstractBaseUser) or not user.is_authenticated:
        return Anonymous()
    return Person(user)


def person_named(name: str) -> Person:
    """The command line's `--as-user NAME`: the configured, active user of that name (NotFound otherwise)."""
    from django.contrib.auth import get_user_model

    from ..core.errors import NotFound, Problem

    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is None:
        raise NotFound(Problem("user.not_found", {"name": name}, key="--as-user", found=name))
    return Person(user, via="cli")


def require_actor(actor: Any) -> Actor:
    """The actor itself; a bare name or user object is a programming error, never a permission."""
    if not isinstance(actor, ACTOR_KINDS):
        raise TypeError(f"an actor is an Operator, Person or Anonymous, not {type(actor).__name__}")
    return actor


def actor_name(actor: Actor | None) -> str:
    """The name the audit log records."""
    if actor is None:
        return SYSTEM
    return require_actor(actor).username or SYSTEM


def is_administrator(actor: Actor) -> bool:
    return isinstance(require_actor(actor), Operator)


def source_of(actor: Actor) -> str:
    """Where a stored value was entered: "cli" or "web"."""
    return actor.via if isinstance(actor, Person) else "cli"
