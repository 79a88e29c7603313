"""The package as a CKAN dataset: the dict that CKAN's action API `package_create` takes (docs/open-data.md).

Finland's open-data portal (avoindata.fi) and many city portals run CKAN. The mapping is ours and small rather
than a library's: frictionless-ckan-mapper (last release 1.0.9, 2022) copies the SPDX identifier into
`license_id` where CKAN expects its own licence ids, passes the Table Schema on as a nested object and puts the
unknown keys (the Swedish texts, the report's status) into extras unchanged, and has no checksums to give.
Nothing here talks to a portal: a county uploads the dict (and the files) with its own key, e.g.
`ckanapi action package_create`.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from .package import DataPackage
from .write import package_files

# SPDX identifier (core.licences) -> the licence id of CKAN's default licence register (ckan/model/license.py)
CKAN_LICENCES: dict[str, str] = {
    "CC-BY-4.0": "cc-by",
    "CC0-1.0": "cc-zero",
    "CC-BY-SA-4.0": "cc-by-sa",
    "ODC-By-1.0": "odc-by",
    "ODbL-1.0": "odc-odbl",
    "PDDL-1.0": "odc-pddl",
}
# avoindata.fi registers Creative Commons 4.0 by its versioned id; the others as CKAN's defaults
AVOINDATA_LICENCES: dict[str, str] = {**CKAN_LICENCES, "CC-BY-4.0": "cc-by-4.0"}

NAME_RULE = re.compile(r"[a-z0-9_-]{2,100}")  # CKAN's rule for a dataset's and a tag's name


def ckan_dataset(
    package: DataPackage,
    base_url: str | None = None,
    owner_org: str | None = None,
    licences: dict[str, str] = CKAN_LICENCES,
) -> dict[str, Any]:
    """The dataset dict of the package. `base_url`: where the package's files are published (each resource's
    url is base_url/file); without it the urls are the bare file names, for an upload that attaches the files."""
    meta = package.as_json()
    files = package_files(package)
    dataset: dict[str, Any] = {
        "name": ckan_name(meta["name"]),
        "title": meta["title"],
        "notes": notes(meta),
        "license_id": licences.get(meta["licenses"][0]["name"], "other-open"),
        "version": meta.get("version", ""),
        "author": meta["contributors"][0]["title"],
        "tags": [{"name": k} for k in meta.get("keywords", []) if NAME_RULE.fullmatch(k)],
        "extras": extras(meta),
        "resources": [file_resource(name, files[name], base_url) for name in EXTRA_FILES] + [
            resource_dict(r.descriptor(), files[r.path], base_url) for r in package.resources
        ],
    }
    if owner_org:
        dataset["owner_org"] = owner_org
    return dataset


def ckan_name(name: str) -> str:
    """CKAN allows a-z, 0-9, "-" and "_" (2–100 characters); a package name may also hold dots."""
    return re.sub(r"[^a-z0-9_-]", "-", name)[:100]


def notes(meta: dict[str, Any]) -> str:
    """The description in Finnish, then in Swedish (CKAN shows notes as Markdown)."""
    parts = [meta["description"]]
    if meta.get("description_sv"):
        parts.append(f"**{meta.get('title_sv', '')}**\n\n{meta['description_sv']}")
    return "\n\n".join(parts)


def extras(meta: dict[str, Any]) -> list[dict[str, str]]:
    report = meta.get("report", {})
    values = {
        "title_sv": meta.get("title_sv"),
        "created": meta.get("created"),
        "report_status": report.get("status"),
        "approved": report.get("approved"),
        "period_start": report.get("period_start"),
        "period_end": report.get("period_end"),
        "unit_code": report.get("unit_code"),
        "sources": "; ".join(s["title"] for s in meta.get("sources", [])),
    }
    return [{"key": k, "value": v} for k, v in values.items() if v]


def url(name: str, base_url: str | None) -> str:
    return f"{base_url.rstrip('/')}/{name}" if base_url else name


def resource_dict(descriptor: dict[str, Any], content: bytes, base_url: str | None) -> dict[str, Any]:
    return {
        **published_file(descriptor["title"], descriptor["path"], content, base_url),
        "description": descriptor["description"],
        "format": "CSV",
        "mimetype": "text/csv",
        "schema": json.dumps(descriptor["schema"], ensure_ascii=False),  # the Table Schema, as ckanext-validation reads it
    }


def published_file(name: str, path: str, content: bytes, base_url: str | None) -> dict[str, Any]:
    """What CKAN says of any file: its name, address, size and checksum."""
    return {"name": name, "url": url(path, base_url), "size": len(content),
            "hash": "sha256:" + hashlib.sha256(content).hexdigest()}


# the package's files beside its CSV resources: name -> (description, format, media type)
EXTRA_FILES = {
    "datapackage.json": ("The Frictionless Data Package descriptor: every resource's Table Schema and the package's "
                         "metadata.", "JSON", "application/json"),
    "README.md": ("The package described for a person: licence, files and fields.", "Markdown", "text/markdown"),
}


def file_resource(name: str, content: bytes, base_url: str | None) -> dict[str, Any]:
    description, form, mediatype = EXTRA_FILES[name]
    return {**published_file(name, name, content, base_url), "description": description, "format": form,
            "mimetype": mediatype}
