"""The web application of the reporting round: server-rendered Django pages with htmx, on the services layer.

Views stay thin: they check the role (katsaus.services' predicates), call a service and render a template.
Run it with `make serve` (SQLite demo) or gunicorn `katsaus.web.wsgi` (README, "The web application").
"""
