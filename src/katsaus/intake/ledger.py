"""Reading a ledger export into monthly balances per cost centre and account.

The happy path is two DuckDB queries and no Python loop over rows:

1. *stage 1* scans the file once and aggregates to (year, month, raw cost centre, raw account) groups with
   the DECIMAL sum of the amounts and the count of rows whose date or amount did not parse. For a CSV file
   DuckDB's own CSV reader parses the dates (dateformat): that is its fast path. Amounts are text: plain ones
   (digits, a sign, the decimal mark) are cast as they are, the rest only if they match values.amount_pattern.
   XLSX columns are all text, dates parsed with try_strptime / TRY_CAST. Rows the reader rejects (wrong field
   count, bad UTF-8, unparsable values) go to DuckDB's reject table and are counted.
2. *stage 2* works on those few groups: trims and extracts codes, checks accounts against the scheme's
   ranges and cost centres against the organisation and their validity (per month; a month that a validity
   interval covers only partly is re-read day by day), substitutes catch-alls, counts the problems and
   re-aggregates the balances in exact integer cents.

Only when something is wrong does a slow second pass (rowcheck.py, row by row in Python) walk the file to
give each problem its line number as a text editor shows it; it stops at `max_problems`, and the counts of
stage 2 give `omitted`.

Stage 1 needs only the file and its mapping, not the organisation: start_reading begins it before a
command has opened the database, and read_ledger takes it over. The file's SHA-256 is computed in the
background (encoding.Checksum) and waited for only by whoever asks LedgerResult.checksum.
"""

from __future__ import annotations

import atexit
import csv
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import duckdb

from katsaus.core.errors import Problem
from katsaus.intake.context import IntakeContext, ranges_sql
from katsaus.intake.encoding import CORES, FALLBACK, Checksum, FileVersion, file_version, sniff, transcode
from katsaus.intake.layout import Layout, delimiter_param
from katsaus.intake.mapping import LedgerMapping
from katsaus.intake.rowcheck import FIELD_LIMIT, FIELD_TOO_LONG, UNPARSABLE, LedgerRowChecker, Record
from katsaus.intake.values import amount_pattern
from katsaus.intake.xlsx import ROW_COLUMN, Sheet, error_cell, read_sheet, text_rows

if TYPE_CHECKING:
    import polars as pl

LOG = logging.getLogger(__name__)

Balance = tuple[int, int, str, str, bool, int]
Progress = Callable[[str, float], None]
MEMORY_LIMIT = "1GB"
CANDIDATE_DELIMITERS = (";", ",", "\t", "|")


@dataclass(frozen=True)
class LedgerResult:
    file: str
    pending_checksum: Callable[[], str]  # the file's sha256, still being computed in the background
    rows: int
    balances: list[Balance]
    problems: list[Problem]
    omitted: int = 0

    @property
    def checksum(self) -> str:
        """The file's sha256 (waits for the background hashing; store.save_ledger asks for it only after the
        balances are inserted, so the hashing overlaps that)."""
        return self.pending_checksum()

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _normal(name: str) -> str:
    return name.strip(" \ufeff\"'\t").casefold()


# ----- header ---------------------------------------------------------------------------------------


def match_header(
    header: list[str], wanted: dict[str, str], label: str, row: int, sheet: str | None = None
) -> tuple[dict[str, int], list[Problem]]:
    """Find each wanted column (exact name first, then ignoring case); name what is missing."""
    exact = {name.strip(): i for i, name in reversed(list(enumerate(header)))}
    folded = {_normal(name): i for i, name in reversed(list(enumerate(header)))}
    fields: dict[str, int] = {}
    problems: list[Problem] = []
    shown = ", ".join(header) or None  # the header as found (None: an empty row)
    for field, name in wanted.items():
        index = exact.get(name.strip(), folded.get(_normal(name)))
        if index is None:
            problems.append(Problem("ledger.column_missing", {"column": name}, file=label, sheet=sheet, row=row,
                                    column=name, key=f"mapping.columns.{field}", found=shown))
        else:
            fields[field] = index
    return fields, problems


def fixed_over_dates(header: list[str], mapping: LedgerMapping, label: str, row: int,
                     sheet: str | None = None) -> list[Problem]:
    """[mapping.fixed] puts every row in one month: a file with its own date column would have its dates
    silently overridden (a year's export read as December)."""
    name = mapping.columns.date
    if mapping.fixed is None or not name or _normal(name) not in {_normal(h) for h in header}:
        return []
    return [Problem("ledger.fixed_over_dates", {"column": name, "month": mapping.fixed.month,
                                                "year": mapping.fixed.year},
                    file=label, sheet=sheet, row=row, column=name, key="mapping.fixed", found=name)]


def _delimiter_hint(line: str, mapping: LedgerMapping, label: str, row: int) -> Problem | None:
    for candidate in CANDIDATE_DELIMITERS:
        if candidate == mapping.delimiter:
            continue
        header = next(csv.reader([line], delimiter=candidate), [])
        if len(header) > 1 and not match_header(header, mapping.required_columns(), label, row)[1]:
            return Problem("ledger.delimiter_mismatch", {"delimiter": delimiter_param(candidate),
                                                         "mapping_delimiter": delimiter_param(mapping.delimiter)},
                           file=label, row=row, key="mapping.delimiter")
    return None


def _csv_layout(path: Path, mapping: LedgerMapping, label: str) -> tuple[Layout | None, list[Problem]]:
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        for _ in range(mapping.header_row - 1):
            handle.readline()
        line = handle.readline()
    row = mapping.header_row
    if not line.strip():
        return None, [Problem("ledger.header_row_empty", file=label, row=row)]
    header = next(csv.reader([line.rstrip("\r\n")], delimiter=mapping.delimiter), [])
    fields, problems = match_header(header, mapping.required_columns(), label, row)
    problems += fixed_over_dates(header, mapping, label, row)
    if problems and not fields.keys() >= mapping.required_columns().keys():
        hint = _delimiter_hint(line.rstrip("\r\n"), mapping, label, row)
        return None, [hint] if hint else problems
    if problems:
        return None, problems
    return Layout(header, fields, row), []


# ----- DuckDB ---------------------------------------------------------------------------------------


def _connect(tmp: str) -> duckdb.DuckDBPyConnection:
    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    con = duckdb.connect(
        config={
            "threads": threads,
            "memory_limit": MEMORY_LIMIT,
            "temp_directory": os.path.join(tmp, "duckdb"),
            # insertion order is irrelevant to a GROUP BY and keeping it costs memory
            "preserve_insertion_order": False,
        }
    )
    # progress is polled by _run; these are session settings, not allowed in connect()
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


class _Scan:
    """One statement executing in a worker thread: the caller shows its progress while it runs, or (an early
    read) goes on starting the application. While it runs, background hashing waits (CORES)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, sql: str) -> None:
        self.con = con
        self.failure: list[BaseException] = []
        self.worker = threading.Thread(target=self._work, args=(sql,), name="katsaus-duckdb", daemon=True)
        self.worker.start()

    def _work(self, sql: str) -> None:
        try:
            with CORES.scanning():
                self.con.execute(sql)
        except BaseException as exc:  # re-raised in the caller's thread
            self.failure.append(exc)

    def wait(self, report: Progress, stage: str) -> None:
        while self.worker.is_alive():
            self.worker.join(0.2)
            done = self.con.query_progress()
            if done >= 0:
                report(stage, min(done, 100.0) / 100)
        if self.failure:
            raise self.failure[0]
        report(stage, 1.0)

    def stop(self) -> None:
        if self.worker.is_alive():
            self.con.interrupt()
            self.worker.join()


def _run(con: duckdb.DuckDBPyConnection, sql: str, report: Progress, stage: str) -> None:
    _Scan(con, sql).wait(report, stage)


def _cost_centre_table(con: duckdb.DuckDBPyConnection, ctx: IntakeContext) -> None:
    con.execute("CREATE TEMP TABLE ccv (code VARCHAR, lo DATE, hi DATE)")
    rows = [(code, lo, hi) for code in ctx.cost_centres for lo, hi in ctx.validity(code)]
    if rows:
        # one statement with list parameters: executemany would be a round trip per cost centre
        codes, los, his = (list(column) for column in zip(*rows))
        con.execute("INSERT INTO ccv SELECT unnest(?), unnest(?), unnest(?)", [codes, los, his])


class _Sql:
    """The SQL texts, built from the mapping and the header layout."""

    def __init__(self, mapping: LedgerMapping, layout: Layout, ctx: IntakeContext | None, xlsx: bool) -> None:
        self.m = mapping
        self.layout = layout
        self.ctx = ctx
        self.xlsx = xlsx

    def col(self, field: str) -> str:
        return f"c{self.layout.fields[field]}"

    @property
    def typed_date(self) -> bool:
        """CSV dates are parsed by DuckDB's CSV reader (dateformat): its own parser is the fast path."""
        return not self.xlsx and self.m.fixed is None

    def column_types(self) -> dict[str, str]:
        types = {f"c{i}": "VARCHAR" for i in range(len(self.layout.header))}
        if self.typed_date:
            types[self.col("date")] = "DATE"
        return types

    def csv_options(self) -> str:
        # amounts stay text: DuckDB's DECIMAL reader takes '1e3' and '1_000,50' for numbers (see _decimal)
        options = []
        if self.typed_date:
            options.append(f"dateformat={_lit(self.m.date_format)}")
        return ", ".join(options)

    def _date(self) -> str:
        column = self.col("date")
        if self.typed_date:
            return column
        formats = [self.m.date_format] + (["%Y-%m-%d %H:%M:%S", "%Y-%m-%d"] if self.xlsx else [])
        parsed = ", ".join(f"try_strptime({column}, {_lit(f)})" for f in formats)
        return f"CAST(coalesce({parsed}) AS DATE)"

    def _decimal(self, column: str) -> str:
        """Text to DECIMAL(18,2), NULL unless it has the shape of an amount: rounded to cents row by row, as
        values.parse_amount does.

        Most amounts are plain: digits, a sign and the decimal mark, nothing else. For those DuckDB's cast is
        exactly as strict as amount_pattern (it refuses '+-5', '5-', '1,2,3' and a lone mark too), and matching
        the string against those characters alone is much cheaper than matching the whole pattern (BENCHMARKS.md;
        a little cheaper, too, than searching it for any other character). Only the
        rest go through the pattern: thousands separators, spaces, and what the cast alone would take for a
        number ('1e3', '1_000', '1.234' under a decimal comma)."""
        mark = self.m.decimal
        plain = column if mark == "." else f"replace({column}, {_lit(mark)}, '.')"
        only_plain = _lit(f"[0-9+\\-{re.escape(mark)}]+")
        chars = self.m.thousands_chars()
        text = column
        for char in chars:
            text = f"replace({text}, {_lit(char)}, '')"
        if mark == ",":
            text = f"replace({text}, ',', '.')"
        shape = _lit(amount_pattern(mark, chars))
        return (f"CASE WHEN regexp_full_match({column}, {only_plain}) THEN TRY_CAST({plain} AS DECIMAL(18,2)) "
                f"WHEN regexp_full_match({column}, {shape}) THEN TRY_CAST(trim({text}) AS DECIMAL(18,2)) END")

    def _amount(self) -> str:
        """The row's amount as DECIMAL(18,2) in the file's sign, NULL when it cannot be read."""
        if self.m.sign != "debit_credit":
            return self._decimal(self.col("amount"))
        debit, credit = self.col("debit"), self.col("credit")
        d_empty, c_empty = (f"coalesce(trim({c}), '') = ''" for c in (debit, credit))
        d_val, c_val = (self._decimal(c) for c in (debit, credit))
        ok = f"({d_empty} OR {d_val} IS NOT NULL) AND ({c_empty} OR {c_val} IS NOT NULL) AND NOT ({d_empty} AND {c_empty})"
        return f"CASE WHEN {ok} THEN coalesce({d_val}, 0) - coalesce({c_val}, 0) END"

    def _total(self) -> str:
        """Group sum to ledger-sign cents: exact, the DECIMAL sum is scaled, never a DOUBLE."""
        cents = "CAST(sum(amount) * 100 AS BIGINT)"
        return f"-{cents}" if self.m.sign == "statement" else cents

    def stage1(self, relation: str, daily: list[str]) -> str:
        fields = self.m.required_columns()
        not_blank = "(" + " OR ".join(f"{self.col(f)} IS NOT NULL" for f in fields) + ")"
        if self.m.fixed is None:
            dated = "CASE WHEN year(d0) BETWEEN 1900 AND 2100 THEN d0 END"
            day_of = "NULL::DATE"
            if daily:
                day_of = f"CASE WHEN cc IN ({', '.join(_lit(c) for c in daily)}) THEN dt END"
            date_sql = self._date()
            keys = f"year(dt) AS y, month(dt) AS m, {day_of} AS day"
        else:
            dated, date_sql = "NULL::DATE", "NULL::DATE"
            keys = f"{self.m.fixed.year} AS y, {self.m.fixed.month} AS m, NULL::DATE AS day"
        return f"""
            CREATE OR REPLACE TEMP TABLE g AS
            WITH parsed AS (
                SELECT {date_sql} AS d0, {self.col('cost_centre')} AS cc, {self.col('account')} AS acc,
                       {self._amount()} AS amount
                FROM {relation} WHERE {not_blank}
            ), checked AS (SELECT {dated} AS dt, cc, acc, amount FROM parsed)
            SELECT {keys}, cc, acc, {self._total()} AS cents, count(*) AS n, count(amount) AS n_amount
            FROM checked GROUP BY ALL"""

    def _code(self, column: str, pattern: str) -> str:
        text = f"trim({column})"
        if pattern:
            text = f"trim(regexp_extract({text}, {_lit(pattern)}, 1))"
        return f"nullif({text}, '')"

    def stage2(self) -> str:
        assert self.ctx is not None, "stage 2 checks against the organisation and scheme"
        unknown = self.m.unknown
        ignore = ranges_sql("acc_code", unknown.ignore_ranges)
        known = self.ctx.known_sql("acc_code")
        if self.m.fixed is None:
            # validity is checked per month; only a month an interval covers partly needs the daily rerun
            state = """CASE WHEN NOT cc_known THEN 'unknown' WHEN n_dated = 0 OR cover THEN 'valid'
                            WHEN NOT touch THEN 'invalid' ELSE 'partial' END"""
        else:
            state = "CASE WHEN NOT cc_known THEN 'unknown' WHEN touch THEN 'valid' ELSE 'invalid' END"
        return f"""
            CREATE OR REPLACE TEMP TABLE c AS
            WITH k AS (
                SELECT y, m, day, cc, cents, n, n_amount,
                       CASE WHEN y IS NULL THEN 0 ELSE n END AS n_dated,
                       coalesce(day, make_date(y, m, 1)) AS first,
                       coalesce(day, last_day(make_date(y, m, 1))) AS last,
                       {self._code('cc', self.m.cost_centre_pattern)} AS cc_code,
                       {self._code('acc', self.m.account_pattern)} AS acc_code
                FROM g
            ), f AS (
                SELECT *,
                    coalesce(acc_code IS NOT NULL AND {ignore}, FALSE) AS ignored,
                    coalesce(acc_code IS NOT NULL AND {known}, FALSE) AS acc_known,
                    coalesce(cc_code IN (SELECT code FROM ccv), FALSE) AS cc_known,
                    EXISTS (SELECT 1 FROM ccv WHERE ccv.code = k.cc_code AND ccv.lo <= k.first AND ccv.hi >= k.last)
                        AS cover,
                    EXISTS (SELECT 1 FROM ccv WHERE ccv.code = k.cc_code AND ccv.lo <= k.last AND ccv.hi >= k.first)
                        AS touch
                FROM k
            )
            SELECT *, {state} AS cc_state FROM f"""

    def counts(self) -> str:
        unknown = self.m.unknown
        invalid_rows = "n" if self.m.fixed is not None else "n_dated"
        bad_cc = "0" if unknown.cost_centre_catch_all else (
            f"CASE cc_state WHEN 'unknown' THEN n WHEN 'invalid' THEN {invalid_rows} ELSE 0 END"
        )
        bad_acc = "0" if unknown.account_catch_all else "CASE WHEN acc_known THEN 0 ELSE n END"
        bad_date = "0" if self.m.fixed is not None else "n - n_dated"
        return f"""
            SELECT coalesce(sum(n), 0),
                   coalesce(sum({bad_date}) FILTER (NOT ignored), 0),
                   coalesce(sum(n - n_amount) FILTER (NOT ignored), 0),
                   coalesce(sum({bad_cc}) FILTER (NOT ignored), 0),
                   coalesce(sum({bad_acc}) FILTER (NOT ignored), 0)
            FROM c"""

    def partial(self) -> str:
        return "SELECT DISTINCT cc FROM c WHERE cc_state = 'partial' AND NOT ignored AND cc IS NOT NULL"

    def balances(self) -> str:
        assert self.ctx is not None
        unknown = self.m.unknown
        catch_cc = _lit(unknown.cost_centre_catch_all) if unknown.cost_centre_catch_all else "NULL"
        catch_acc = _lit(unknown.account_catch_all) if unknown.account_catch_all else "NULL"
        return f"""
            WITH r AS (
                SELECT y, m, cents,
                       CASE WHEN cc_state = 'valid' THEN cc_code ELSE {catch_cc} END AS cc_final,
                       CASE WHEN acc_known THEN acc_code ELSE {catch_acc} END AS acc_final
                FROM c WHERE NOT ignored AND y IS NOT NULL AND n_amount > 0
            )
            SELECT CAST(y AS INTEGER) AS y, CAST(m AS INTEGER) AS m, cc_final, acc_final,
                   {self.ctx.internal_sql('acc_final')} AS internal,
                   CAST(sum(cents) AS BIGINT) AS cents
            FROM r WHERE cc_final IS NOT NULL AND acc_final IS NOT NULL
            GROUP BY ALL ORDER BY y, m, cc_final, acc_final, internal"""


def _csv_relation(path: Path, sql: _Sql, mapping: LedgerMapping, rejects: str) -> str:
    columns = "{" + ", ".join(f"{_lit(name)}: {_lit(kind)}" for name, kind in sql.column_types().items()) + "}"
    typed = sql.csv_options()
    return f"""read_csv({_lit(str(path))}, delim={_lit(mapping.delimiter)}, quote='"', escape='"',
        header=true, skip={mapping.header_row - 1}, auto_detect=false, columns={columns}, {typed + ',' if typed else ''}
        store_rejects=true, rejects_table={_lit(rejects)}, rejects_scan={_lit(rejects + '_scan')})"""


# ----- the read -------------------------------------------------------------------------------------


@dataclass
class _Counts:
    rows: int = 0
    date: int = 0
    amount: int = 0
    cost_centre: int = 0
    account: int = 0
    rejected: int = 0  # rows DuckDB could not split into the header's fields (or decode)
    cast: int = 0  # dates and amounts DuckDB's CSV reader could not parse (their rows are left out)

    @property
    def problems(self) -> int:
        return self.date + self.amount + self.cost_centre + self.account + self.rejected + self.cast


class _Reader:
    """One read of one file: the DuckDB connection, the temp dir, and what has been found."""

    def __init__(self, path: Path, mapping: LedgerMapping, ctx: IntakeContext | None, tmp: str, report: Progress) -> None:
        self.path = path
        self.label = str(path)
        self.mapping = mapping
        self.ctx = ctx
        self.tmp = tmp
        self.report = report
        self.source = path  # the UTF-8 file DuckDB reads (a transcoded copy if needed)
        self.encoding = "utf-8"
        self.layout: Layout | None = None
        self.xlsx_rows: pl.DataFrame | None = None
        self.scans = 0

    # -- inputs --

    def open_csv(self) -> list[Problem]:
        requested = self.mapping.encoding
        sniffed = sniff(self.path, requested, self.label)
        if sniffed.problem is not None:
            return [sniffed.problem]
        assert sniffed.encoding is not None
        if sniffed.encoding != "utf-8":
            problem = self.transcode(sniffed.encoding)
            if problem is not None:
                return [problem]
        layout, problems = _csv_layout(self.source, self.mapping, self.label)
        self.layout = layout
        return problems

    def transcode(self, encoding: str) -> Problem | None:
        self.report("transcoding", 0.0)
        target = Path(self.tmp) / "utf8.csv"
        problem = transcode(self.path, encoding, target, self.label, auto=self.mapping.encoding == "auto")
        self.source, self.encoding = target, encoding
        self.report("transcoding", 1.0)
        return problem

    def open_xlsx(self) -> list[Problem]:
        sheet, problems = read_sheet(self.path, self.mapping.sheet or None, self.mapping.header_row, self.label)
        if sheet is None:
            return problems
        fields, problems = match_header(
            sheet.header, self.mapping.required_columns(), self.label, sheet.header_row, sheet.name
        )
        problems += fixed_over_dates(sheet.header, self.mapping, self.label, sheet.header_row, sheet.name)
        if problems:
            return problems
        self.layout = Layout(sheet.header, fields, sheet.header_row, sheet.name)
        problems = _error_cells(sheet, self.layout, self.label)
        if problems:
            return problems
        self.xlsx_rows = _numbers_in_file_notation(self.path, sheet, self.layout, self.mapping)
        self.source = Path(self.tmp) / "sheet.parquet"
        self.xlsx_rows.write_parquet(self.source)
        return []

    # -- the two stages --

    def relation(self, sql: _Sql) -> str:
        if self.mapping.format == "xlsx":
            return f"read_parquet({_lit(str(self.source))})"
        self.scans += 1
        return _csv_relation(self.source, sql, self.mapping, f"rejects_{self.scans}")

    def aggregate(self, con: duckdb.DuckDBPyConnection, sql: _Sql, daily: list[str], scanned: bool = False) -> _Counts:
        """Stage 1 (unless an early read has done it: `scanned`) and stage 2, and the counts of problems."""
        if not scanned:
            _run(con, sql.stage1(self.relation(sql), daily), self.report, "reading")
        con.execute(sql.stage2())
        row = con.execute(sql.counts()).fetchone() or (0, 0, 0, 0, 0)
        counts = _Counts(*(int(v) for v in row))
        if self.mapping.format == "csv":
            self.rejected(con, counts)
        return counts

    def rejects_table(self) -> str:
        return f"rejects_{self.scans}"

    def rejected(self, con: duckdb.DuckDBPyConnection, counts: _Counts) -> None:
        """Rejected rows are not in the groups: count them as rows, and as problems (cast errors one by one)."""
        row = con.execute(
            f"""SELECT count(DISTINCT line), count(DISTINCT line) FILTER (error_type <> 'CAST'),
                       count(*) FILTER (error_type = 'CAST')
                FROM {self.rejects_table()}"""
        ).fetchone() or (0, 0, 0)
        lines, structural, casts = (int(v) for v in row)
        counts.rows += lines
        counts.rejected = structural
        counts.cast = casts

    def fallback_allowed(self) -> bool:
        """Auto encoding may still switch to Windows-1252 unless a UTF-8 byte-order mark said otherwise."""
        if self.mapping.format != "csv" or self.mapping.encoding != "auto" or self.encoding != "utf-8":
            return False
        with self.path.open("rb") as handle:
            return handle.read(3) != b"\xef\xbb\xbf"

    def bad_encoding(self, con: duckdb.DuckDBPyConnection) -> bool:
        row = con.execute(
            f"SELECT count(*) FROM {self.rejects_table()} WHERE error_type = 'INVALID ENCODING'"
        ).fetchone()
        return bool(row and row[0])


AMOUNT_FIELDS = ("amount", "debit", "credit")


def _error_cells(sheet: Sheet, layout: Layout, label: str) -> list[Problem]:
    """Excel error cells (#DIV/0!, #N/A) in a column that is read: calamine gives them as empty."""
    read = {sheet.first_column + index: field for field, index in layout.fields.items()}
    return [error_cell(label, sheet.name, row, layout.column(read[column]), shown)
            for column, row, shown in sheet.errors if column in read and row > sheet.header_row]


def _numbers_in_file_notation(path: Path, sheet: Sheet, layout: Layout, mapping: LedgerMapping) -> pl.DataFrame:
    """Number cells of the amount columns written with the mapping's decimal mark, text cells left as typed, so
    that one strict rule reads both: a number cell 1234.5 becomes '1234,5', a text cell '1.234' stays and is
    refused under decimal ',' (it means 1 234, not 1,23)."""
    import polars as pl

    frame = sheet.rows
    if mapping.decimal == ".":
        return frame
    for field in AMOUNT_FIELDS:
        if field not in layout.fields:
            continue
        name = f"c{layout.fields[field]}"
        typed = sorted(text_rows(path, sheet.member, sheet.first_column + layout.fields[field]))
        number = pl.col(name).str.replace(".", mapping.decimal, literal=True)
        frame = frame.with_columns(
            pl.when(pl.col(ROW_COLUMN).is_in(typed)).then(pl.col(name)).otherwise(number).alias(name)
        )
    return frame




def _csv_records(reader: _Reader) -> Iterator[Record]:
    """Records after the header with the line they start on, as a text editor numbers lines.

    DuckDB's reject table numbers records, not lines, once a quoted field spans lines, so the row-by-row pass
    parses the file itself (strict, so an unterminated quote is an error rather than swallowing the file).
    """
    # the limit is process-wide and other libraries raise it when imported (frictionless does): say ours
    previous_limit = csv.field_size_limit(FIELD_LIMIT)
    try:
        yield from _csv_records_within_limit(reader)
    finally:
        csv.field_size_limit(previous_limit)


def _csv_records_within_limit(reader: _Reader) -> Iterator[Record]:
    mapping = reader.mapping
    with reader.source.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        for _ in range(mapping.header_row):
            handle.readline()
        records = csv.reader(handle, delimiter=mapping.delimiter, quotechar='"', doublequote=True, strict=True)
        previous = 0
        while True:
            try:
                fields: list[str] | str = next(records)
            except StopIteration:
                return
            except csv.Error as exc:
                # the module's own words: only the field limit is told apart (an unclosed quote, a quote
                # inside a field and the like are all a record that is not CSV)
                fields = FIELD_TOO_LONG if "field larger than field limit" in str(exc) else UNPARSABLE
            start, previous = mapping.header_row + previous + 1, records.line_num
            if fields:
                yield start, fields


def _xlsx_records(reader: _Reader) -> Iterator[Record]:
    frame = reader.xlsx_rows
    assert frame is not None
    names = [c for c in frame.columns if c != ROW_COLUMN]
    for record in frame.iter_rows(named=True):
        yield int(record[ROW_COLUMN]), ["" if record[c] is None else str(record[c]) for c in names]


def _with_last(records: Iterator[Record]) -> Iterator[tuple[int, list[str] | str, bool]]:
    """Each record with a flag for the last one (a short last line is a truncated file)."""
    previous: Record | None = None
    for record in records:
        if previous is not None:
            yield previous[0], previous[1], False
        previous = record
    if previous is not None:
        yield previous[0], previous[1], True


def _locate(reader: _Reader, limit: int) -> tuple[list[Problem], bool]:
    """The slow pass: problems row by row, in file order, up to `limit`; True if the whole file was seen."""
    assert reader.layout is not None and reader.ctx is not None
    xlsx = reader.mapping.format == "xlsx"
    checker = LedgerRowChecker(reader.label, reader.mapping, reader.ctx, reader.layout, xlsx=xlsx)
    records = _xlsx_records(reader) if xlsx else _csv_records(reader)
    problems: list[Problem] = []
    for row, fields, last in _with_last(records):
        problems.extend(checker.check(row, fields, last=last))
        if len(problems) >= limit:
            return problems[:limit], False
    return problems, True


def _mapping_problems(mapping: LedgerMapping, ctx: IntakeContext) -> list[Problem]:
    """Catch-alls must themselves be known, or every substituted row would be wrong."""
    problems = []
    unknown = mapping.unknown
    if unknown.cost_centre_catch_all and not ctx.cost_centre_known(unknown.cost_centre_catch_all):
        problems.append(Problem("mapping.catch_all_cost_centre_unknown", file=mapping.source,
                                key="mapping.unknown.cost_centre", found=unknown.cost_centre_catch_all))
    if unknown.account_catch_all and not ctx.account_known(unknown.account_catch_all):
        problems.append(Problem("mapping.catch_all_account_unknown", {"ranges": ctx.range_texts()},
                                file=mapping.source, key="mapping.unknown.account", found=unknown.account_catch_all))
    return problems


def read_ledger(
    path: Path | str,
    mapping: LedgerMapping,
    ctx: IntakeContext,
    *,
    progress: Progress | None = None,
    max_problems: int = 50,
) -> LedgerResult:
    """Read and check one ledger export. Balances are meaningful only when `problems` has no errors."""
    path = Path(path)
    report: Progress = progress or (lambda stage, fraction: None)
    if not path.is_file():
        return LedgerResult(str(path), lambda: "", 0, [], [Problem("file.not_found", file=str(path))])
    checksum = Checksum.of(path)
    early = _EarlyRead.take(path, mapping)
    tmp = early.tmp if early is not None else tempfile.TemporaryDirectory(prefix="katsaus-intake-")
    try:
        rows, balances, problems, omitted = _read(path, mapping, ctx, tmp.name, report, max(1, max_problems), early)
    finally:
        tmp.cleanup()
    result = LedgerResult(str(path), checksum.result, rows, balances, problems, omitted)
    report("done", 1.0)
    return result


def start_reading(path: Path | str, mapping: LedgerMapping) -> None:
    """Begin reading a CSV ledger export before the organisation and the scheme are known.

    The first scan (stage 1) needs only the file and its mapping, so a command starts it before the database
    opens and it runs while the application starts. read_ledger takes it over when it is called for the same,
    unchanged file with the same mapping; a read never taken over is stopped when the process exits."""
    _EarlyRead.start(Path(path), mapping)


def stop_unused_reads() -> None:
    """Stop the early reads and checksums no read_ledger has taken over, and remove their temp dirs."""
    _EarlyRead.stop_all()
    Checksum.drop_started()


@dataclass
class _EarlyRead:
    """Stage 1 of a CSV ledger begun by start_reading, with its temp dir, connection and reader."""

    mapping: LedgerMapping
    tmp: tempfile.TemporaryDirectory[str]
    reader: _Reader
    problems: list[Problem]
    con: duckdb.DuckDBPyConnection | None = None
    scan: _Scan | None = None

    _pending: ClassVar[dict[FileVersion, _EarlyRead]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()
    _stopped_at_exit: ClassVar[bool] = False

    @classmethod
    def start(cls, path: Path, mapping: LedgerMapping) -> None:
        key = file_version(path)
        if key is None or mapping.format != "csv":
            return
        with cls._lock:
            if key in cls._pending:
                return
            if not cls._stopped_at_exit:
                cls._stopped_at_exit = True
                atexit.register(cls.stop_all)
        tmp = tempfile.TemporaryDirectory(prefix="katsaus-intake-")
        reader = _Reader(path, mapping, None, tmp.name, lambda stage, fraction: None)
        early = cls(mapping, tmp, reader, reader.open_csv())
        if not early.problems and reader.layout is not None:
            early.con = _connect(tmp.name)
            sql = _Sql(mapping, reader.layout, None, xlsx=False)  # stage 1 reads no context
            early.scan = _Scan(early.con, sql.stage1(reader.relation(sql), []))
        with cls._lock:
            cls._pending[key] = early

    @classmethod
    def take(cls, path: Path, mapping: LedgerMapping) -> _EarlyRead | None:
        key = file_version(path)
        with cls._lock:
            early = cls._pending.pop(key, None) if key is not None else None
        if early is not None and early.mapping != mapping:
            early.stop()
            early.tmp.cleanup()
            return None
        return early

    @classmethod
    def stop_all(cls) -> None:
        with cls._lock:
            pending = list(cls._pending.values())
            cls._pending.clear()
        for early in pending:
            early.stop()
            early.tmp.cleanup()

    def stop(self) -> None:
        if self.scan is not None:
            self.scan.stop()
        if self.con is not None:
            self.con.close()


def _read(
    path: Path, mapping: LedgerMapping, ctx: IntakeContext, tmp: str, report: Progress, cap: int,
    early: _EarlyRead | None = None,
) -> tuple[int, list[Balance], list[Problem], int]:
    problems = _mapping_problems(mapping, ctx)
    if problems:
        if early is not None:
            early.stop()
        return 0, [], problems, 0
    con, scan = None, None
    if early is not None:
        reader, problems, con, scan = early.reader, early.problems, early.con, early.scan
        reader.ctx, reader.report = ctx, report
    else:
        reader = _Reader(path, mapping, ctx, tmp, report)
        problems = reader.open_xlsx() if mapping.format == "xlsx" else reader.open_csv()
    if problems or reader.layout is None:
        return 0, [], problems[:cap], max(0, len(problems) - cap)
    con = con or _connect(tmp)
    try:
        return _query(con, reader, cap, scan)
    finally:
        if scan is not None:
            scan.stop()
        con.close()


def _query(
    con: duckdb.DuckDBPyConnection, reader: _Reader, cap: int, scan: _Scan | None = None
) -> tuple[int, list[Balance], list[Problem], int]:
    assert reader.layout is not None
    sql = _Sql(reader.mapping, reader.layout, reader.ctx, xlsx=reader.mapping.format == "xlsx")
    try:
        if scan is not None:
            scan.wait(reader.report, "reading")  # one statement at a time on a connection
        assert reader.ctx is not None
        _cost_centre_table(con, reader.ctx)
        counts = reader.aggregate(con, sql, [], scanned=scan is not None)
        if reader.fallback_allowed() and reader.bad_encoding(con):
            # UTF-8 at the start, something else later: read it all as Windows-1252
            problem = reader.transcode(FALLBACK)
            if problem is not None:
                return 0, [], [problem], 0
            counts = reader.aggregate(con, sql, [])
        partial = [row[0] for row in con.execute(sql.partial()).fetchall()]
        if partial:
            # a cost centre's validity ends inside a month that has entries: check those rows day by day
            counts = reader.aggregate(con, sql, partial)
    except duckdb.Error as exc:
        LOG.warning("%s cannot be read: %s", reader.label, str(exc).splitlines()[0])
        return 0, [], [Problem("ledger.unreadable", file=reader.label)], 0
    # the SQL casts give int, int, str, str, bool, int already; converting 360k tuples again costs 0.3 s
    balances: list[Balance] = con.execute(sql.balances()).fetchall()
    problems, omitted = _problems(con, reader, counts, cap)
    return counts.rows, balances, problems, omitted


def _problems(con: duckdb.DuckDBPyConnection, reader: _Reader, counts: _Counts, cap: int) -> tuple[list[Problem], int]:
    """Locate the problems the counts say exist; `omitted` is how many more there are beyond the cap."""
    layout = reader.layout
    assert layout is not None
    if counts.rows == 0:
        return [Problem("file.no_data_rows", file=reader.label, sheet=layout.sheet, row=layout.header_row + 1)], 0
    if counts.problems == 0:
        return [], 0
    reader.report("locating problems", 0.0)
    problems, complete = _locate(reader, cap)
    if not problems:
        problems = [Problem("ledger.problems_not_located", {"count": counts.problems}, file=reader.label)]
    # a complete row-by-row pass is the exact count; a pass stopped at the cap leaves the SQL counts
    total = len(problems) if complete else max(counts.problems, len(problems))
    reader.report("locating problems", 1.0)
    return problems, total - len(problems)
