"""What every page's navigation needs to know about the person."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def nav(request: HttpRequest) -> dict[str, Any]:
    from katsaus.services.permissions import can_manage_users

    from .refusals import request_actor

    return {"nav": {"controller": can_manage_users(request_actor(request))}}
