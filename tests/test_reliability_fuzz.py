"""Every parser fuzzed with hypothesis: whatever the bytes, the answer is a result with problems or the project's
own refusal (Refused and its kinds), never another exception; and every problem is a code with Finnish and
Swedish words, all the parameters they name given. Time-boxed: a few seconds per parser."""

from __future__ import annotations

import io
import os
import random
import shutil
import tempfile
import tomllib
from datetime import date
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import CTX, assert_readable

from katsaus.config.content import load_content
from katsaus.config.load import load_config_dir
from katsaus.core.errors import Problem, Refused
from katsaus.forecast.sheet import REQUIRED, SHEET, read_upload
from katsaus.intake.ledger import read_ledger
from katsaus.intake.mapping import load_mapping, parse_mapping
from katsaus.intake.plans import read_plan

DEMO = Path(__file__).parents[1] / "configs" / "demo"
# CI runs the same examples every time (a red build names a change, not a draw); elsewhere each run explores anew
FAST = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                derandomize=bool(os.environ.get("CI")))

# what ledger and plan files are made of: separators, quotes, digits, signs, letters, odd spaces and line ends
CELL = st.text(alphabet=st.sampled_from(list("0123456789,.;-+ \"'eE_aäÖ€\t\r\n\u00a0\u2212\ufeff\x00/:")),
               max_size=12)
ROW = st.lists(CELL, min_size=0, max_size=8)


def readable(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        assert_readable(problem)


def write(data: bytes, suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile(delete=False, suffix=suffix, dir=tempfile.gettempdir())
    with handle:
        handle.write(data)
    return Path(handle.name)


def mutate(data: bytes, seed: int, edits: int) -> bytes:
    """Flip, drop and duplicate a few bytes (a damaged download, a bad disk)."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(edits):
        at = rng.randrange(len(out)) if out else 0
        choice = rng.random()
        if choice < 0.4 and out:
            out[at] = rng.randrange(256)
        elif choice < 0.7 and out:
            del out[at:at + rng.randint(1, 50)]
        else:
            out[at:at] = out[at:at + rng.randint(1, 50)]
    return bytes(out)


def workbook(rows: list[list[object]], title: str = "Sheet") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append([cell.replace("\x00", "") if isinstance(cell, str) else cell for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_CELL = st.one_of(st.none(), CELL, st.integers(-10**15, 10**15), st.floats(allow_nan=True, allow_infinity=True),
                      st.dates(date(1800, 1, 1), date(2200, 1, 1)))


@FAST
@given(header=st.sampled_from([["pvm", "kustannuspaikka", "tili", "summa"], []]), rows=st.lists(ROW, max_size=12),
       mapping=st.sampled_from(['', 'thousands = " "', 'decimal = "."\ndelimiter = ","', 'sign = "debit_credit"\n'
                                '[mapping.columns]\ndebit = "summa"\ncredit = "tili"']))
def test_csv_ledger(header: list[str], rows: list[list[str]], mapping: str) -> None:
    text = "\n".join(";".join(row) for row in [header, *rows])
    path = write(text.encode("utf-8", errors="surrogatepass"), ".csv")
    try:
        result = read_ledger(path, parse_mapping(tomllib.loads("[mapping]\n" + mapping), "m"), CTX)
        assert result.ok or result.problems
        readable(result.problems)
    finally:
        path.unlink()


@FAST
@given(data=st.binary(max_size=400))
def test_csv_ledger_bytes(data: bytes) -> None:
    path = write(b"pvm;kustannuspaikka;tili;summa\n" + data, ".csv")
    try:
        readable(read_ledger(path, parse_mapping({}, "m"), CTX).problems)
    finally:
        path.unlink()


BASE_XLSX = workbook([["pvm", "kustannuspaikka", "tili", "summa"], [date(2025, 1, 2), "511000", "300100", 12.5]])


@FAST
@given(rows=st.lists(st.lists(XLSX_CELL, max_size=5), max_size=6), seed=st.integers(0, 10**6),
       edits=st.integers(0, 3))
def test_xlsx_ledger(rows: list[list[object]], seed: int, edits: int) -> None:
    data = workbook([["pvm", "kustannuspaikka", "tili", "summa"], *rows]) if rows else BASE_XLSX
    path = write(mutate(data, seed, edits), ".xlsx")
    try:
        readable(read_ledger(path, parse_mapping({"mapping": {"format": "xlsx"}}, "m"), CTX).problems)
    finally:
        path.unlink()


@FAST
@given(rows=st.lists(ROW, max_size=10), header=st.sampled_from(["yksikkö;rivi;kuukausi;summa",
                                                                "kustannuspaikka;tili;summa", ""]))
def test_plan_csv(rows: list[list[str]], header: str) -> None:
    path = write("\n".join([header, *(";".join(r) for r in rows)]).encode("utf-8", errors="surrogatepass"), ".csv")
    try:
        readable(read_plan(path, CTX).problems)
    finally:
        path.unlink()


MAPPING_VALUE = st.one_of(st.text(max_size=6), st.integers(-5, 5), st.booleans(), st.lists(st.text(max_size=4),
                                                                                             max_size=2))
MAPPING_KEYS = st.sampled_from(["format", "encoding", "delimiter", "decimal", "thousands", "date_format", "sign",
                                "header_row", "sheet", "account_pattern", "cost_centre_pattern", "columns", "fixed",
                                "unknown", "other"])


@FAST
@given(body=st.dictionaries(MAPPING_KEYS, st.one_of(MAPPING_VALUE, st.dictionaries(st.text(max_size=8),
                                                                                   MAPPING_VALUE, max_size=3)),
                            max_size=5),
       text=st.text(max_size=80))
def test_mapping(body: dict, text: str) -> None:
    try:
        parse_mapping({"mapping": body}, "m.toml")
    except Refused as refused:
        readable(refused.problems)
    path = write(text.encode("utf-8", errors="surrogatepass"), ".toml")
    try:
        load_mapping(path)
    except Refused as refused:
        readable(refused.problems)
    finally:
        path.unlink()


def mutated_lines(text: str, seed: int, edits: int) -> str:
    """Drop, repeat or swap lines, or change a value, of a valid TOML file (what hand edits do)."""
    rng = random.Random(seed)
    lines = text.splitlines()
    for _ in range(edits):
        at = rng.randrange(len(lines))
        choice = rng.random()
        if choice < 0.3:
            del lines[at]
        elif choice < 0.5:
            lines.insert(at, lines[rng.randrange(len(lines))])
        elif choice < 0.8 and "=" in lines[at]:
            key = lines[at].split("=")[0]
            lines[at] = key + "= " + rng.choice(['""', '"X"', "0", "-1", "2025-13-01", "[]", '["1-"]', "true",
                                                 '"ä' + "x" * 300 + '"', "{}"])
        else:
            lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
    return "\n".join(lines) + "\n"


@FAST
@given(seed=st.integers(0, 10**6), edits=st.integers(1, 4),
       name=st.sampled_from(["organisation.toml", "scheme.toml", "template.toml"]))
def test_configuration(seed: int, edits: int, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for other in ("organisation.toml", "scheme.toml", "template.toml"):
            shutil.copy(DEMO / other, Path(folder) / other)
        path = Path(folder) / name
        path.write_text(mutated_lines(path.read_text(encoding="utf-8"), seed, edits), encoding="utf-8")
        try:
            load_config_dir(Path(folder))
        except Refused as refused:
            readable(refused.problems)


CONFIG = load_config_dir(DEMO)
CONTENT_FILES = sorted((DEMO / "content").glob("*.toml")) + sorted((DEMO / "narratives").glob("*.md"))


@FAST
@given(seed=st.integers(0, 10**6), edits=st.integers(1, 4), which=st.integers(0, len(CONTENT_FILES) - 1))
def test_content_files(seed: int, edits: int, which: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        copies = []
        for index, source in enumerate(CONTENT_FILES):
            target = Path(folder) / source.name
            text = source.read_text(encoding="utf-8")
            target.write_text(mutated_lines(text, seed, edits) if index == which else text, encoding="utf-8")
            copies.append(target)
        try:
            load_content(copies, CONFIG)
        except Refused as refused:
            readable(refused.problems)


SHEET_CELL = st.one_of(st.none(), st.sampled_from(["PESOVA-PK", "palkat_ja_palkkiot", "oma", "ehdotus",
                                                   "talousarvio", "-1 234,50", "1.234", "arvio", ""]), XLSX_CELL)


@FAST
@given(rows=st.lists(st.lists(SHEET_CELL, min_size=len(REQUIRED), max_size=len(REQUIRED) + 1), max_size=5),
       seed=st.integers(0, 10**6), edits=st.integers(0, 2))
def test_forecast_sheet(rows: list[list[object]], seed: int, edits: int) -> None:
    data = mutate(workbook([list(REQUIRED), *rows], title=SHEET), seed, edits)
    path = write(data, ".xlsx")
    try:
        readable(read_upload(path, frozenset({"PESOVA-PK"}), frozenset({"palkat_ja_palkkiot"}), {}, {},
                             "testaaja").problems)
    finally:
        path.unlink()


AMOUNT = st.text(alphabet=st.sampled_from(list("0123456789,. -+eE_\u00a0'")), min_size=1, max_size=10)


@FAST
@given(amounts=st.lists(AMOUNT, min_size=1, max_size=20),
       separators=st.sampled_from([(",", ""), (",", " "), (".", ","), (",", "."), (".", "'")]))
def test_duckdb_and_python_agree_on_what_is_an_amount(amounts: list[str], separators: tuple[str, str]) -> None:
    """The query's amount check (regexp_full_match + cast) and the row-by-row pass (values.parse_amount) accept and
    refuse the same texts, and the accepted ones sum to the same cents."""
    from katsaus.intake.values import BadValue, parse_amount

    decimal, thousands = separators
    mapping = parse_mapping({"mapping": {"decimal": decimal, "thousands": thousands, "delimiter": ";"}}, "m")
    cleaned = [a.replace(";", "") for a in amounts]
    text = "pvm;kustannuspaikka;tili;summa\n" + "".join(f"2.1.2025;511000;300100;{a}\n" for a in cleaned)
    path = write(text.encode(), ".csv")
    try:
        result = read_ledger(path, mapping, CTX)
    finally:
        path.unlink()
    expected_refused, total = set(), 0
    for row, amount in enumerate(cleaned, start=2):
        if not amount.strip(" "):
            continue  # an empty amount in an otherwise filled row
        try:
            total += parse_amount(amount, decimal, mapping.thousands_chars())
        except BadValue:
            expected_refused.add(row)
    refused = {p.row for p in result.problems if p.column == "summa"}
    empty_rows = {row for row, a in enumerate(cleaned, start=2) if not a.strip(" ")}
    assert refused - empty_rows == expected_refused
    if not result.problems:
        assert sum(b[5] for b in result.balances) == total
