"""An export's own statement-line column, checked against the scheme.

Some exports name each row's statement line themselves (Jyväskylä's "Summataso3"). When the mapping names that
column (`columns.line`), every account's line in the file must be the line the scheme gives the account, or
the import is refused: the configuration and the ERP must not silently disagree about where money goes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb

from katsaus.core.errors import Problem
from katsaus.intake.mapping import LedgerMapping

# DuckDB reads these itself; Windows-1252 differs from Latin-1 only in characters line names do not use.
DUCKDB_ENCODINGS = {"auto": "utf-8", "utf-8": "utf-8", "utf-8-sig": "utf-8", "cp1252": "latin-1", "latin-1": "latin-1", "iso8859-1": "latin-1"}
PYTHON_ENCODINGS = {"auto": "utf-8-sig", "utf-8": "utf-8-sig", "latin-1": "latin-1"}


def check_line_column(
    path: Path,
    mapping: LedgerMapping,
    line_of_account: Callable[[str], str | None],
    line_names: Mapping[str, str],
    max_problems: int = 50,
) -> tuple[list[Problem], int]:
    """Problems (capped) and the count of the rest; nothing to check when the mapping names no line column."""
    column = mapping.columns.line
    if not column:
        return [], 0
    label = str(path)
    if mapping.format != "csv":
        return [Problem("mapping.line_column_csv_only", file=mapping.source, key="mapping.columns.line",
                        found=column)], 0
    pairs = distinct_pairs(path, mapping, column)
    wrong = {
        (account, line): expected
        for account, line in pairs
        if (expected := line_of_account(account)) is not None and not same_line(line, expected, line_names)
    }
    if not wrong:
        return [], 0
    rows = first_rows(path, mapping, column, set(wrong))
    listed = sorted(wrong.items())
    problems = [
        Problem("ledger.line_differs", {"account": account, "line": expected, "name": line_names.get(expected, expected)},
                file=label, row=rows.get((account, line)), column=column, found=line)
        for (account, line), expected in listed[:max_problems]
    ]
    return problems, max(0, len(listed) - max_problems)


def same_line(text: str, code: str, line_names: Mapping[str, str]) -> bool:
    wanted = text.strip().casefold()
    return wanted in (code.casefold(), line_names.get(code, "").casefold())


def account_code(text: str, pattern: str) -> str:
    if pattern:
        match = re.search(pattern, text.strip())
        return match.group(1).strip() if match else ""
    return text.strip()


def distinct_pairs(path: Path, mapping: LedgerMapping, column: str) -> set[tuple[str, str]]:
    """The distinct (account code, line text) pairs of the file, in one DuckDB scan."""
    encoding = DUCKDB_ENCODINGS.get(mapping.encoding, "utf-8")
    account = mapping.columns.account
    extracted = f"regexp_extract(trim(\"{account}\"), {lit(mapping.account_pattern)}, 1)" if mapping.account_pattern else f"trim(\"{account}\")"
    query = f"""
        SELECT DISTINCT {extracted} AS account, trim("{column}") AS line
        FROM read_csv({lit(str(path))}, delim={lit(mapping.delimiter)}, header=true, all_varchar=true,
                      skip={mapping.header_row - 1}, encoding={lit(encoding)})
        WHERE "{column}" IS NOT NULL"""
    with duckdb.connect() as con:
        return {(code, line) for code, line in con.execute(query).fetchall() if code}


def first_rows(path: Path, mapping: LedgerMapping, column: str, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The first row of each disagreeing pair: a slow pass, made only when there is something to report."""
    found: dict[tuple[str, str], int] = {}
    encoding = PYTHON_ENCODINGS.get(DUCKDB_ENCODINGS.get(mapping.encoding, "utf-8"), "utf-8-sig")
    with path.open(encoding=encoding, newline="", errors="replace") as handle:
        reader = csv.reader(handle, delimiter=mapping.delimiter)
        for _ in range(mapping.header_row - 1):
            next(reader, None)
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
        if column not in header or mapping.columns.account not in header:
            return found
        line_at, account_at = header.index(column), header.index(mapping.columns.account)
        for row in reader:
            if len(row) <= max(line_at, account_at):
                continue
            pair = (account_code(row[account_at], mapping.account_pattern), row[line_at].strip())
            if pair in wanted and pair not in found:
                found[pair] = reader.line_num
                if len(found) == len(wanted):
                    break
    return found


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
