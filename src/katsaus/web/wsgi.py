"""The WSGI application for gunicorn: `gunicorn katsaus.web.wsgi` (README, "The web application")."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "katsaus.web.settings")
application = get_wsgi_application()
