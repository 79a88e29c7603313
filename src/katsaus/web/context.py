"""What every page's navigation needs to know about the user."""

from __future__ import annotations

from django.http import HttpRequest


def nav(request: HttpRequest) -> dict:
    from katsaus.services.permissions import can_manage_users

    user = getattr(request, "user", None)
    return {"nav": {"controller": bool(user is not None and user.is_authenticated and can_manage_users(user))}}
