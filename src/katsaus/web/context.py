"""What every page's navigation needs to know about the person."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def nav(request: HttpRequest) -> dict[str, Any]:
    from katsaus.services.actors import actor_of
    from katsaus.services.permissions import can_manage_users

    actor = getattr(request, "actor", None) or actor_of(getattr(request, "user", None))
    return {"nav": {"controller": can_manage_users(actor)}}
