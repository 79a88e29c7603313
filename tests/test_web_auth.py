"""The web application's login, sessions, language choice, CSRF and security headers (katsaus.web settings,
views.LoginView/LogoutView). Expected values come from the rules the issue sets (issue 11, sections 2 and 5)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.db, pytest.mark.django_db]

PASSWORD = "oikea-salasana-123"


@pytest.fixture
def person(db) -> User:
    return User.objects.create_user("liisa", password=PASSWORD)


def login(client: Client, username: str, password: str):
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_a_page_needs_a_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_the_right_password_logs_in_and_logout_ends_the_session(client, person):
    response = login(client, "liisa", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get(reverse("web:logout")).status_code == 405  # logging out is a POST (a link cannot do it)
    client.post(reverse("web:logout"))
    assert client.get(reverse("web:home")).status_code == 302


def test_a_wrong_password_is_named_and_tied_to_the_fields(client, person):
    response = login(client, "liisa", "väärä")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="form-errors"' in html and 'role="alert"' in html
    assert re.search(r'<input[^>]*name="password"[^>]*aria-describedby="[^"]*form-errors', html)


def test_five_wrong_passwords_lock_the_user_name_even_against_the_right_one(client, person):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "liisa", "arvaus")
    response = login(client, "liisa", PASSWORD)
    assert response.status_code == 429
    assert client.get(reverse("web:home")).status_code == 302  # not logged in


def test_a_post_without_the_csrf_token_is_refused(person):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:login"), {"username": "liisa", "password": PASSWORD})
    assert response.status_code == 403


def test_the_session_expires_when_idle_and_when_the_browser_closes():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_cookies_are_secure_when_served_over_https(monkeypatch):
    import importlib

    import katsaus.web.settings as web_settings

    monkeypatch.setenv("KATSAUS_HTTPS", "1")
    monkeypatch.setenv("KATSAUS_SECRET_KEY", "x" * 50)
    try:
        secure = importlib.reload(web_settings)
        assert secure.SESSION_COOKIE_SECURE and secure.CSRF_COOKIE_SECURE and secure.SECURE_SSL_REDIRECT
        assert secure.SECURE_HSTS_SECONDS >= 31536000
    finally:
        monkeypatch.delenv("KATSAUS_HTTPS")
        importlib.reload(web_settings)


def test_https_without_a_secret_key_refuses_to_start(monkeypatch):
    import importlib

    import katsaus.web.settings as web_settings

    monkeypatch.setenv("KATSAUS_HTTPS", "1")
    monkeypatch.delenv("KATSAUS_SECRET_KEY", raising=False)
    try:
        with pytest.raises(RuntimeError, match="KATSAUS_SECRET_KEY"):
            importlib.reload(web_settings)
    finally:
        monkeypatch.delenv("KATSAUS_HTTPS")
        importlib.reload(web_settings)


def test_security_headers_and_a_policy_without_inline_script(client):
    response = client.get(reverse("web:login"))
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_the_interface_speaks_finnish_by_default_and_swedish_when_chosen(client):
    assert "Kirjaudu sisään" in client.get(reverse("web:login")).content.decode()
    client.post(reverse("set_language"), {"language": "sv", "next": reverse("web:login")})
    page = client.get(reverse("web:login")).content.decode()
    assert "Logga in" in page and 'lang="sv"' in page
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"  # the choice is kept
