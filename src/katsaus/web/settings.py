"""Settings of the web application: the store's settings plus sessions, login throttling (django-axes), htmx,
a Content-Security-Policy without inline script (django-csp), static files (WhiteNoise) and the fi/sv interface.

Environment: KATSAUS_DB (as the CLI), KATSAUS_SECRET_KEY (required when KATSAUS_HTTPS is set),
KATSAUS_HTTPS=1 (served over HTTPS: secure cookies, HSTS, redirect), KATSAUS_ALLOWED_HOSTS (comma-separated),
KATSAUS_SESSION_SECONDS (idle session lifetime, default 8 hours), KATSAUS_MEDIA (published files' folder).
"""

from __future__ import annotations

import os
from pathlib import Path

from csp.constants import NONE, SELF

from katsaus.store import settings as store_settings
from katsaus.store.settings import *  # noqa: F401,F403  (the database, the store app, time zone)
from katsaus.store.settings import INSTALLED_APPS as STORE_APPS

HERE = Path(__file__).parent
HTTPS = os.environ.get("KATSAUS_HTTPS", "").lower() in ("1", "true", "yes")

if HTTPS and "KATSAUS_SECRET_KEY" not in os.environ:
    raise RuntimeError("KATSAUS_SECRET_KEY must be set when the application is served over HTTPS")

WEB_APPS = [
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    "katsaus.web",
]
INSTALLED_APPS = [*STORE_APPS, *(app for app in WEB_APPS if app not in STORE_APPS)]

ALLOWED_HOSTS = [h for h in os.environ.get("KATSAUS_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",") if h]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "katsaus.web.refusals.ActorMiddleware",  # request.actor: who acts, for every service call
    "django.contrib.messages.middleware.MessageMiddleware",
    "katsaus.web.refusals.RefusalMiddleware",  # a service's refusal: its status, its problems in the reader's words
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "katsaus.web.middleware.PrivateCacheMiddleware",
    # last, as django-axes asks: it answers a locked-out login attempt
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "katsaus.web.backends.WebAxesBackend",  # first: refuses a locked-out user before the password is checked
    *getattr(store_settings, "AUTHENTICATION_BACKENDS", ["django.contrib.auth.backends.ModelBackend"]),
]

ROOT_URLCONF = "katsaus.web.root_urls"
WSGI_APPLICATION = "katsaus.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "katsaus.web.context.nav",
            ],
        },
    }
]

# --- the interface language: Finnish or Swedish, the user's choice kept in a cookie (django.views.i18n) ---
LANGUAGES = [("fi", "suomi"), ("sv", "svenska")]
LANGUAGE_CODE = "fi"
USE_I18N = True
LOCALE_PATHS = [HERE / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- login and sessions ---
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_AGE = int(os.environ.get("KATSAUS_SESSION_SECONDS", 8 * 3600))
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle session expires
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "katsaus.web.refusals.csrf_failure"  # the 403 page in the site's look (templates/403.html)
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token travels in hx-headers on <body>
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- guessing passwords: five failures lock the user name from that address for 15 minutes ---
AXES_FAILURE_LIMIT = int(os.environ.get("KATSAUS_LOGIN_FAILURES", 5))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_VERBOSE = False

# --- Content-Security-Policy: nothing inline, nothing from other hosts ---
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- static files, served by WhiteNoise (also under gunicorn); no build step ---
STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("KATSAUS_STATIC_ROOT") or None  # collectstatic's target, if one is wanted
WHITENOISE_USE_FINDERS = True  # serve straight from the app's static/ folder without collectstatic
WHITENOISE_AUTOREFRESH = False

MEDIA_ROOT = Path(os.environ.get("KATSAUS_MEDIA", "media")).resolve()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}, "axes": {"level": "WARNING"}},
}
