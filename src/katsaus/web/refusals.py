"""The one place where the web maps the family of refusals (katsaus.services.errors.Refused and its kinds) to
what a person sees: the refusal's HTTP status, and its problems in the reader's language.

A view that shows a refusal beside its form names the page to show again (`@shown_again_by(page)`); the page is
called with the refusal and the problems as text, and answers with the refusal's status. Any other refusal gets
the refusal page. Views themselves never catch a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from katsaus.render.messages import Shown, outcome_text, shown
from katsaus.services.actors import Actor, actor_of, require_actor
from katsaus.services.errors import Refused

AGAIN = "katsaus_again"


class Again(Protocol):
    def __call__(self, exc: Refused, problems: list[Shown]) -> HttpResponse: ...


def language() -> str:
    """The reader's language: the interface's (Finnish unless they chose Swedish)."""
    return "sv" if get_language() == "sv" else "fi"


def shown_problems(exc: Refused) -> list[Shown]:
    return [shown(p, language()) for p in exc.problems]


def shown_again_by(page: Callable[..., HttpResponse]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The view shows its refusals on `page(request, exc, problems, *args, **kwargs)`."""
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            def again(exc: Refused, problems: list[Shown]) -> HttpResponse:
                return page(request, exc, problems, *args, **kwargs)

            setattr(request, AGAIN, again)
            return view(request, *args, **kwargs)
        return wrapped
    return decorate


def request_actor(request: HttpRequest) -> Actor:
    """The actor ActorMiddleware put on the request (made from its user where it has not run)."""
    found = getattr(request, "actor", None)
    return require_actor(found) if found is not None else actor_of(getattr(request, "user", None))


class ActorMiddleware:
    """Every request carries its actor (services.actors): the logged-in person, or Anonymous."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = actor_of(getattr(request, "user", None))  # type: ignore[attr-defined]
        return self.get_response(request)


class RefusalMiddleware:
    """A refusal raised by a view becomes its page again (when the view named one) or the refusal page, with the
    refusal's status (400, 403, 404, 409)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Refused):
            return None
        problems = shown_problems(exception)
        again: Again | None = getattr(request, AGAIN, None)
        if again is not None and exception.status not in (403, 404):
            response = again(exception, problems)
            if response.status_code == 200:  # the page again, with the refusal's status (a redirect stays one)
                response.status_code = exception.status
            return response
        return render(request, "web/refused.html", {
            "problems": problems, "outcome": outcome_text(exception, language()), "status": exception.status,
        }, status=exception.status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal (settings.CSRF_FAILURE_VIEW) in the site's look and the reader's language: a form sent
    from a page that had expired, or without its token."""
    return render(request, "403.html", {"csrf_failed": True}, status=403)
