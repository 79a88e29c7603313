"""Reading a report's statement tables back out of every output format, row by row and cell by cell.

Shared by the example tests that compare printed tables of other organisations (test_example_seinajoki.py,
test_example_kauhava.py). Each reader returns {row label: [cell texts or values, blank cells included]} for one
table, found by a header cell, so a test compares the same cells in every format.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from doc_tools import REFERENCE, ROOT, pdf_text, spaces

Rows = dict[str, list[str]]


def run_example(name: str, out: Path) -> Path:
    """examples/NAME/run.sh into `out`, with this environment's katsaus and a fresh database of its own."""
    env = {**os.environ, "OUT": str(out), "KATSAUS": str(Path(sys.executable).parent / "katsaus")}
    env.pop("KATSAUS_DB", None)
    result = subprocess.run(["bash", str(ROOT / "examples" / name / "run.sh")], capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def transcription(name: str) -> list[dict[str, str]]:
    """A transcribed table of reference/public ('#' lines are its notes)."""
    with (REFERENCE / "public" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if line.strip() and not line.startswith("#")))


def clean(text: str) -> str:
    return spaces(text).strip()


def finnish(value: Decimal | int | None, decimals: int = 0, percent: bool = False) -> str:
    """A number as the Finnish tables print it (independent of the renderers): 6 228 970,36; -2,5 %."""
    if value is None:
        return ""
    number = f"{abs(Decimal(value)):,.{decimals}f}".replace(",", " ").replace(".", ",")
    sign = "-" if Decimal(value) < 0 and number.strip("0, ") else ""
    return f"{sign}{number}" + (" %" if percent else "")


def csv_rows(path: Path, keys: list[str]) -> Rows:
    with path.open(encoding="utf-8", newline="") as handle:
        return {clean(r["line"]): [clean(r[k]) for k in keys] for r in csv.DictReader(handle)}


def html_rows(path: Path, first_header: str, nth: int = 0) -> Rows:
    """The rows of the `nth` HTML table whose label column's header is `first_header`."""
    from lxml import html

    tree = html.parse(str(path))
    for table in tree.iter("table"):
        header = [clean(c.text_content()) for c in table.iter("th")][:1]
        if header != [first_header]:
            continue
        if nth:
            nth -= 1
            continue
        rows: Rows = {}
        for tr in table.iter("tr"):
            cells = [clean(c.text_content()) for c in tr if c.tag in ("th", "td")]
            if tr.getparent().tag != "thead" and cells:
                rows.setdefault(cells[0], cells[1:])
        return rows
    raise AssertionError(f"no table headed {first_header!r} in {path}")


def docx_rows(path: Path, first_header: str, nth: int = 0) -> Rows:
    from docx import Document

    for table in Document(str(path)).tables:
        grid = [[clean(cell.text) for cell in row.cells] for row in table.rows]
        if grid and grid[0][0] == first_header and nth:
            nth -= 1
        elif grid and grid[0][0] == first_header:
            return {row[0]: row[1:] for row in grid[1:]}
    raise AssertionError(f"no table headed {first_header!r} in {path}")


def xlsx_rows(path: Path, first_header: str, nth: int = 0) -> dict[str, list[object]]:
    """The `nth` table sheet of the document workbook whose header row starts with `first_header`: the stored
    values."""
    from openpyxl import load_workbook

    book = load_workbook(str(path), data_only=True)
    for sheet in book.worksheets:
        grid = [list(row) for row in sheet.iter_rows(values_only=True)]
        for i, row in enumerate(grid):
            if row and row[0] == first_header and nth:
                nth -= 1
                break
            if row and row[0] == first_header:
                width = len([c for c in row if c is not None])
                body = []
                for r in grid[i + 1:]:
                    if not r or all(c is None for c in r):
                        break  # the table ends at an empty row (footnotes follow it)
                    body.append(r)
                return {r[0]: list(r[1:width]) + [None] * (width - len(r)) for r in body}
    raise AssertionError(f"no sheet with a table headed {first_header!r} in {path}")


def pdf_lines(path: Path) -> list[str]:
    return [clean(line) for line in pdf_text(path).splitlines()]


def printed_line(label: str, cells: list[str]) -> str:
    """A row as PDF text shows it: the label, then the non-blank cells in order."""
    return " ".join([label, *(c for c in cells if c)])


def number_of(text: str) -> Decimal | None:
    """The value of a printed number ("6 228 970,36", "-2,5 %" -> -0.025), None for a blank or a word."""
    if not text or not re.fullmatch(r"-?[\d ]+(,\d+)?( %)?", text):
        return None
    value = Decimal(text.replace(" ", "").replace("%", "").replace(",", "."))
    return value / 100 if text.endswith("%") else value


def rebuilt_inputs(name: str, out: Path) -> dict[str, tuple[bytes, bytes]]:
    """examples/NAME/build_inputs.py run again into `out`: every file it writes, with the committed one beside it."""
    import importlib.util

    example = ROOT / "examples" / name
    sys.path.insert(0, str(example.parent))
    spec = importlib.util.spec_from_file_location(f"build_{name.replace('-', '_')}", example / "build_inputs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (out / "config").mkdir(parents=True, exist_ok=True)
    module.HERE = out  # the script writes below its HERE
    module.main(REFERENCE / "public")
    written = sorted(p for p in out.rglob("*") if p.is_file())
    return {str(p.relative_to(out)): (p.read_bytes(), (example / p.relative_to(out)).read_bytes()) for p in written}


def package_figure(folder: Path, unit: str, line: str, column: str) -> str:
    """One amount of an open-data package written by an example (figures.csv), after checking that the package
    is valid by the Frictionless framework (types, keys, foreign keys)."""
    from frictionless import Package

    [descriptor] = folder.glob("*-datapackage/datapackage.json")
    report = Package(str(descriptor)).validate()
    assert report.valid, [e.message for task in report.tasks for e in task.errors][:5]
    with (descriptor.parent / "figures.csv").open(encoding="utf-8", newline="") as handle:
        found = [r["amount_eur"] for r in csv.DictReader(handle)
                 if (r["unit_code"], r["line_code"], r["column"]) == (unit, line, column)]
    assert len(found) == 1, (unit, line, column, found)
    return found[0]
