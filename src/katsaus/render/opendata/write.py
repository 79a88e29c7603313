"""Writing the package: a folder (datapackage.json, README.md, one CSV per resource) and the same as one .zip.

All or nothing: the files are written into a temporary folder beside the target and moved into place only when
every one of them is written, and the zip is written to a temporary name and renamed. A target folder that
holds anything other than a previous package's files is refused before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from katsaus.core.errors import Problem, Refused

from .package import DataPackage

DESCRIPTOR = "datapackage.json"
README = "README.md"


def package_files(package: DataPackage) -> dict[str, bytes]:
    """File name -> content of every file of the package, in the package's order."""
    files = {DESCRIPTOR: (json.dumps(package.as_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
             README: readme(package).encode("utf-8")}
    for resource in package.resources:
        files[resource.path] = csv_bytes(resource.header(), resource.rows)
    return files


def readme(package: DataPackage) -> str:
    """The package for a person (the Data Package convention's README.md): what it is, its licence, its files
    and their fields with units, from the same descriptors as datapackage.json."""
    meta = package.as_json()
    licence = meta["licenses"][0]
    lines = [f"# {meta['title']}", "", meta["description"], "", f"## {meta['title_sv']}", "", meta["description_sv"],
             "", f"Licence: [{licence['title']}]({licence['path']}) (`{licence['name']}`). "
             f"Created {meta['created']}; report status {meta['report']['status']}"
             + (f", approved {meta['report']['approved']}" if meta["report"].get("approved") else "") + ".",
             "", "CSV: UTF-8, comma, decimal point, ISO dates, empty = no value; amounts in euros with cents.", ""]
    for resource in package.resources:
        keys = ", ".join(resource.primary_key)
        lines += [f"## {resource.path}: {resource.title}", "", resource.description, "", f"Key: {keys}.", "",
                  "| field | type | meaning |", "|---|---|---|"]
        lines += [f"| `{f.name}` | {f.type} | {f.description.replace('|', '/')} |" for f in resource.fields]
        lines.append("")
    return "\n".join(lines)


def csv_bytes(header: list[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def folder_problems(folder: Path) -> list[Problem]:
    """A folder that exists must be empty or hold a previous package (datapackage.json and its CSV files),
    which a rerun replaces; anything else in it is someone else's and is not touched."""
    if folder.exists() and not folder.is_dir():
        return [Problem("opendata.folder_is_file", file=str(folder))]
    if not folder.is_dir():
        return []
    previous = (folder / DESCRIPTOR).is_file()
    others = sorted(p.name for p in folder.iterdir()
                    if not (previous and p.is_file() and (p.name in (DESCRIPTOR, README) or p.suffix == ".csv")))
    if others:
        return [Problem("opendata.folder_not_empty", {"count": len(others)}, file=str(folder),
                        found=", ".join(others[:10]))]
    return []


def write_datapackage(package: DataPackage, folder: Path) -> tuple[Path, Path]:
    """The package as `folder/` and `folder.zip`; returns both paths. Refused (`opendata.*`) before writing
    anything when the folder holds other files or a folder is where the zip goes."""
    files = package_files(package)
    zip_path = folder.with_name(folder.name + ".zip")
    problems = folder_problems(folder)
    if zip_path.exists() and not zip_path.is_file():
        problems.append(Problem("opendata.zip_is_folder", file=str(zip_path)))
    if problems:
        raise Refused(problems, outcome="outcome.nothing_written")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would make the published folder private
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        write_zip(files, staging / "package.zip", folder.name)
        replace_folder(staging, folder, zip_path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder, zip_path


def write_zip(files: dict[str, bytes], path: Path, root: str) -> None:
    """The same files under one folder named like the package (what unzipping gives a reader)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{root}/{name}", content)


def replace_folder(staging: Path, folder: Path, zip_path: Path) -> None:
    """Move the staged files into place: the old package (if any) aside, the new one in, the old one removed."""
    os.replace(staging / "package.zip", zip_path)
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
    os.replace(staging, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def resource_json(package: DataPackage, name: str) -> list[dict[str, str | None]]:
    """One resource's rows as JSON objects (field name -> text value, null for empty): what the publish step
    serves as `…/data/<resource>.json`."""
    return package.resource(name).json_rows()
