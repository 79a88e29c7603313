"""The ledger mapping: how one ERP's export is laid out. The default is the Finnish default format.

A mapping file looks like this (every key optional):

    [mapping]
    format = "csv"              # csv | xlsx
    encoding = "auto"           # auto | utf-8 | windows-1252 | any Python codec name
    delimiter = ";"
    decimal = ","
    thousands = ""              # "", " ", "\u00a0", ".", ",", "'"
    date_format = "%d.%m.%Y"
    sign = "ledger"             # ledger | statement | debit_credit
    header_row = 1
    sheet = ""
    account_pattern = ""        # regex with one group, e.g. '^TILI/(\\d+)'
    cost_centre_pattern = ""

    [mapping.columns]
    date = "pvm"                # leave out (or "") when [mapping.fixed] gives the month
    cost_centre = "kustannuspaikka"
    account = "tili"
    amount = "summa"            # sign = debit_credit: debit = "debet", credit = "kredit" instead
    document = "tosite"
    text = "selite"
    line = ""                   # the export's own statement-line column: every account's line is checked

    [mapping.fixed]             # exports without dates: every row belongs to this month
    year = 2011
    month = 12

    [mapping.unknown]
    cost_centre = "error"       # or a catch-all cost-centre code
    account = "error"           # or a catch-all account
    ignore_accounts = []        # prefix ranges skipped silently, e.g. ["1-2"]
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from katsaus.config.files import read_toml
from katsaus.config.validation import validation_problems
from katsaus.core.errors import Param, Problem, Refused
from katsaus.intake.context import AccountRange, parse_range
from katsaus.intake.values import BadValue

DEFAULT_SOURCE = ""  # the default mapping has no file: problems about it name only the key
THOUSANDS_ALLOWED = ("", " ", "\u00a0", ".", ",", "'")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Columns(_Strict):
    """Our field -> the file's column name ("" = the file has no such column)."""

    date: str = "pvm"
    cost_centre: str = "kustannuspaikka"
    account: str = "tili"
    amount: str = "summa"
    debit: str = ""
    credit: str = ""
    document: str = "tosite"
    text: str = "selite"
    # the export's own statement-line column, if it has one: checked against the scheme on import
    line: str = ""


class Unknown(_Strict):
    cost_centre: str = "error"
    account: str = "error"
    ignore_accounts: tuple[str, ...] = ()

    @field_validator("ignore_accounts")
    @classmethod
    def _ranges(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for text in value:
            try:
                parse_range(text)
            except BadValue as bad:
                raise invalid(bad.code, **bad.params) from None
        return value

    @property
    def ignore_ranges(self) -> tuple[AccountRange, ...]:
        return tuple(parse_range(t) for t in self.ignore_accounts)

    @property
    def cost_centre_catch_all(self) -> str | None:
        return None if self.cost_centre == "error" else self.cost_centre

    @property
    def account_catch_all(self) -> str | None:
        return None if self.account == "error" else self.account


class Fixed(_Strict):
    year: int = Field(ge=1900, le=2100)
    month: int = Field(ge=1, le=12)


class LedgerMapping(_Strict):
    format: Literal["csv", "xlsx"] = "csv"
    encoding: str = "auto"
    delimiter: str = ";"
    decimal: Literal[",", "."] = ","
    thousands: Literal["", " ", "\u00a0", ".", ",", "'"] = ""
    date_format: str = "%d.%m.%Y"
    sign: Literal["ledger", "statement", "debit_credit"] = "ledger"
    header_row: int = Field(default=1, ge=1)
    sheet: str = ""
    account_pattern: str = ""
    cost_centre_pattern: str = ""
    columns: Columns = Columns()
    unknown: Unknown = Unknown()
    fixed: Fixed | None = None
    # where the mapping came from, for Problems about the mapping itself (not a TOML key)
    source: str = Field(default=DEFAULT_SOURCE, exclude=True)

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str) -> str:
        if value.lower() == "auto":
            return "auto"
        try:
            name = codecs.lookup(value).name
        except LookupError:
            raise invalid("mapping.encoding_unknown") from None
        if name.startswith("utf-16") or name.startswith("utf-32"):
            raise invalid("mapping.encoding_utf16")
        return name

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, value: str) -> str:
        if len(value) != 1 or value in "\r\n\"":
            raise invalid("mapping.delimiter_invalid")
        return value

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, value: str) -> str:
        if not all(f"%{c}" in value for c in "dmY") and value != "%Y-%m-%d":
            raise invalid("mapping.date_format_parts")
        try:
            sample = datetime(2025, 12, 31).strftime(value)
            datetime.strptime(sample, value)  # a format that cannot read its own output is useless
        except ValueError:
            raise invalid("mapping.date_format_unreadable") from None
        return value

    @field_validator("account_pattern", "cost_centre_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        if value:
            try:
                groups = re.compile(value).groups
            except re.error as exc:
                raise invalid("mapping.pattern_invalid", position=exc.pos) from None
            if groups != 1:
                raise invalid("mapping.pattern_groups", groups=groups)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> LedgerMapping:
        cols = self.columns
        if self.sign == "debit_credit" and not (cols.debit and cols.credit):
            raise invalid("mapping.debit_credit_columns")
        if self.sign != "debit_credit" and not cols.amount:
            raise invalid("mapping.amount_column_needed")
        if not cols.date and self.fixed is None:
            raise invalid("mapping.fixed_needed")
        if not cols.cost_centre or not cols.account:
            raise invalid("mapping.code_columns_needed")
        if self.thousands == self.decimal:
            raise invalid("mapping.separators_same", separator=self.decimal)
        return self

    # ----- what the readers need -------------------------------------------------------------

    def required_columns(self) -> dict[str, str]:
        """Our field -> file column for the columns the reader needs, in a stable order."""
        cols = self.columns
        wanted: dict[str, str] = {}
        if self.fixed is None:
            wanted["date"] = cols.date
        wanted["cost_centre"] = cols.cost_centre
        wanted["account"] = cols.account
        if self.sign == "debit_credit":
            wanted["debit"] = cols.debit
            wanted["credit"] = cols.credit
        else:
            wanted["amount"] = cols.amount
        return wanted

    def thousands_chars(self) -> str:
        """Characters to drop from amounts: a space separator also means the no-break spaces."""
        if self.thousands in (" ", "\u00a0"):
            return " \u00a0\u202f"
        return self.thousands


def default_mapping() -> LedgerMapping:
    return LedgerMapping()


def invalid(code: str, **params: Param) -> PydanticCustomError:
    """A value a validator refuses, as pydantic carries it: the code is the error's type, the parameters its
    context (config.validation turns it into the Problem)."""
    return PydanticCustomError(code, code, params or None)


def parse_mapping(data: dict[str, Any], source: str) -> LedgerMapping:
    """A parsed TOML document -> LedgerMapping, or Refused listing every problem."""
    problems = [Problem("mapping.table_unknown", file=source, key=key, found=key) for key in data if key != "mapping"]
    body = data.get("mapping", {})
    if not isinstance(body, dict):
        problems.append(Problem("mapping.not_a_table", file=source, key="mapping", found=str(body)[:80]))
        body = {}
    mapping = None
    try:
        mapping = LedgerMapping.model_validate({**body, "source": source})
    except ValidationError as exc:
        problems += validation_problems(exc, source, LedgerMapping, ("mapping",))
    if problems or mapping is None:
        raise Refused(problems, outcome="outcome.nothing_done")
    return mapping


def load_mapping(path: Path | str | None) -> LedgerMapping:
    """Read a mapping file; None gives the default format. Raises Refused naming file and key."""
    if path is None:
        return default_mapping()
    path = Path(path)
    data, problem = read_toml(path, encoding="utf-8-sig")
    if problem is not None:
        raise Refused([problem], outcome="outcome.nothing_done")
    return parse_mapping(data, str(path))
