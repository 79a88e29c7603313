"""The application layer: what the CLI and the web application do, as plain functions, and nothing else does.

Every operation a person performs is one function here that takes the acting person as an explicit actor
(`actors.Operator` for the command line, `actors.Person` for a configured user, `actors.Anonymous`), checks what
that actor may do (`permissions`), validates its input, writes in one transaction (`audit.writing`: the acting
person in every history record, and the cached reports of the data it changes no longer served), and refuses a
change to a published report. A refusal is the family of `errors` (`Refused` and its kinds `NotAllowed`,
`NotFound`, `Conflict`, each with coded problems and an HTTP status); what an operation did is an
`errors.Outcome` of coded notes. No function here composes words for a person: the web and the CLI make them
from codes with katsaus.render.messages.

The modules, each one subject:
    actors, permissions   who acts and what they may do
    reports               the one assembly of a report (`assemble`), and the tables and documents written from it
    units                 what a unit's page in a round shows (`unit_page`), from the assembly
    rounds                opening a round, a unit's status changes, the round's progress
    content               a unit's texts and entries, content files, goal status overrides
    imports, uploads      configuration, ledger, budget and forecast files (from the CLI or the browser)
    forecasts             suggested forecasts, values with reasons, the controllers' sheet, the forecast page
    publish               freezing a report's files, published reports and their files
    open_data             the open-data package of an assembled report
    users, audit          users and roles; the audit log
    exports, backup       the import log and balances as CSV; backing up and restoring the database
    database, cache       opening the database for a command; the cache of assembled reports

Django must be set up first (`database.open_database()` or the web's settings). Import the modules, not names
from this package.
"""
