"""Helpers of the document tests: the demo documents built once, text out of PDF and Word, LibreOffice, Chromium + axe.

The system tools (LibreOffice, Chromium, poppler, axe-core from npm) are installed by `make system-deps`
(scripts/install-system-deps.sh); a test that needs a missing one fails and says how to install it, rather than
skipping quietly.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from run_once import once_per_run

ROOT = Path(__file__).parents[1]
# the reference material (the model report, its tables, public data): a verbatim copy of ../shared/reference,
# kept in the repository so that a clone tests on its own (tests/test_reference_copy.py checks the copy)
REFERENCE = ROOT / "reference"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "install the document tools with `make system-deps` (scripts/install-system-deps.sh test)"
DOCUMENT = "osavuosikatsaus-1-6-2025"


# --- the demo documents, built once per test run ------------------------------------------------------------


def run_katsaus(*args: str, db: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "KATSAUS_USER": "test"}
    env.pop("KATSAUS_DB", None)
    if db is not None:
        env["KATSAUS_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "katsaus", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout
    )


def _katsaus_demo(out: Path) -> Path:
    result = run_katsaus("demo", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def demo_documents(factory: pytest.TempPathFactory) -> Path:
    """`katsaus demo` (the command, end to end, in a process of its own) into a temporary directory, once for the
    whole test run, every test module and xdist worker (tests/run_once.py). Its readers only read it; a test that
    changes the demo database copies it first."""
    return once_per_run("demo-documents", factory, _katsaus_demo)[0]


def copy_sqlite(source: Path, target: Path) -> Path:
    """A copy of an SQLite database with what its write-ahead log still holds (`katsaus demo` leaves one beside the
    file): SQLite's backup API, not a copy of the file alone."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
    return target


def swedish_documents(factory: pytest.TempPathFactory) -> Path:
    """The demo report in Swedish, approved, from the demo database (once for the whole test run)."""
    demo = demo_documents(factory)

    def report(out: Path) -> Path:
        result = run_katsaus(
            "report", "--period", "2025-06", "--unit", "PESOVA", "--format", "html,pdf,docx,xlsx", "--language", "sv",
            "--status", "approved", "--status-date", "2025-08-19", "--out", str(out), db=demo / "katsaus-demo.sqlite3",
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return out

    return once_per_run("documents-sv", factory, report)[0]


def jyvaskyla_example(factory: pytest.TempPathFactory) -> Path:
    """examples/jyvaskyla-2011/run.sh on the city's file in reference/public, with this environment's katsaus and a
    database of its own, once for the whole test run: test_example_jyvaskyla.py reads its statement,
    test_open_data.py its open-data package."""

    def run(out: Path) -> Path:
        env = {**os.environ, "OUT": str(out), "KATSAUS": str(Path(sys.executable).parent / "katsaus")}
        env.pop("KATSAUS_DB", None)
        source = REFERENCE / "public" / "jyvaskyla-2011-talousarvio-ja-toteuma-tileittain.csv"
        result = subprocess.run(["bash", str(ROOT / "examples" / "jyvaskyla-2011" / "run.sh"), str(source)],
                                capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return out

    return once_per_run("example-jyvaskyla-2011", factory, run)[0]


# --- the printed rows of the reference tables ------------------------------------------------------------------


def spaces(text: str) -> str:
    """Only the kind of space is normalised: no-break and narrow spaces and runs of blanks become one space."""
    return re.sub(r"[ \t\u00a0\u202f]+", " ", text)


def reference_lines() -> list[str]:
    """Each row of tables/tuloslaskelma.csv as printed: the line name, then its non-empty cells."""
    with (REFERENCE / "tables" / "tuloslaskelma.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = ("mta", "tot", "tot_pct", "tpe", "tpe_pct", "mta_minus_tpe")
    return [" ".join([row["line"], *(spaces(row[k]) for k in keys if row[k])]) for row in rows]


# --- reading the documents ---------------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return spaces("\n".join(page.extract_text() for page in PdfReader(str(path)).pages))


def docx_table_lines(path: Path) -> list[str]:
    """Every table row of a Word file as one line: its cells' texts joined by a space (empty cells dropped)."""
    from docx import Document

    lines = []
    for table in Document(str(path)).tables:
        for row in table.rows:
            cells = [spaces(cell.text).strip() for cell in row.cells]
            lines.append(" ".join(c for c in cells if c))
    return lines


# --- LibreOffice -------------------------------------------------------------------------------------------------


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        pytest.fail(f"LibreOffice (soffice) is missing: {INSTALL_HINT}")
    return path


def libreoffice_convert(source: Path, out_dir: Path, target: str = "pdf") -> Path:
    """Convert with headless LibreOffice on a throwaway profile; fail with its output if it does not convert."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(out_dir), str(source)],
            capture_output=True, text=True, timeout=180,
        )
    converted = out_dir / f"{source.stem}.{target}"
    assert result.returncode == 0 and converted.is_file() and converted.stat().st_size > 0, (
        f"LibreOffice could not convert {source.name}: rc={result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return converted


# --- Chromium and axe-core ---------------------------------------------------------------------------------------


def axe_violations(page_path: Path, width: int = 1280, height: int = 900) -> list[dict]:
    """axe-core's violations on the page, opened from file in Debian's Chromium through Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: {INSTALL_HINT}")
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_path.as_uri())
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        finally:
            browser.close()
    foreign = [url for url in requests if not url.startswith(("file:", "data:", "about:"))]
    assert foreign == [], f"the page requested other hosts: {foreign}"
    return result["violations"]
