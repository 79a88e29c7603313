"""Login throttling that applies to logins through the web only."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class WebAxesBackend(AxesStandaloneBackend):
    """django-axes for a login from a request (the web login form); a caller without a request (a script, the
    test client's `login`) is not a guess from the network and passes on to Django's password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):  # type: ignore[override]
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
