"""The licences an open-data package may carry: SPDX identifiers with their names and addresses.

Plain data so that the configuration check (config.schema) and the package writer (render.opendata) validate
the same list. Only open licences a Finnish public body actually uses for data are listed; another one is added
here, with its address, rather than typed free-form into a template.
"""

from __future__ import annotations

from .errors import Problem

DEFAULT_LICENCE = "CC-BY-4.0"

# identifier -> (title, address)
LICENCES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0 (public domain dedication)", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "ODC-By-1.0": ("Open Data Commons Attribution License 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "PDDL-1.0": ("Open Data Commons Public Domain Dedication and License 1.0", "https://opendatacommons.org/licenses/pddl/1-0/"),
}


def licence_problem(identifier: str) -> Problem | None:
    """None for a known identifier; else the problem (`licence.unknown`, naming the known ones, the identifier as
    found), for the caller to locate (a template's `document.licence`)."""
    if identifier in LICENCES:
        return None
    return Problem("licence.unknown", {"licence": identifier, "known": tuple(LICENCES)}, found=identifier)
