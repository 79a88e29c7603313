"""Login throttling that applies to logins through the web only."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class WebAxesBackend(AxesStandaloneBackend):  # type: ignore[misc]  # django-axes ships no types
    """django-axes for a login from a request (the web login form); a caller without a request (a script, the
    test client's `login`) is not a guess from the network and passes on to Django's password check."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
