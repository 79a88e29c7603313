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
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from katsaus.core.errors import Problem, ProblemsError
from katsaus.intake.context import AccountRange, parse_range

DEFAULT_SOURCE = "(default mapping)"
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
            parse_range(text)  # raises ValueError with the reason
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
            raise ValueError("not an encoding Python knows (use auto, utf-8, windows-1252, ...)") from None
        if name.startswith("utf-16") or name.startswith("utf-32"):
            raise ValueError("UTF-16/UTF-32 files are not supported; save the file as UTF-8")
        return name

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, value: str) -> str:
        if len(value) != 1 or value in "\r\n\"":
            raise ValueError("one character, e.g. ';' or ',' or '\\t'")
        return value

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, value: str) -> str:
        if not all(f"%{c}" in value for c in "dmY") and value != "%Y-%m-%d":
            raise ValueError("a strptime format with %d, %m and %Y, e.g. '%d.%m.%Y'")
        sample = datetime(2025, 12, 31).strftime(value)
        datetime.strptime(sample, value)  # a format that cannot read its own output is useless
        return value

    @field_validator("account_pattern", "cost_centre_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        if value:
            try:
                groups = re.compile(value).groups
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
            if groups != 1:
                raise ValueError("the pattern needs exactly one (group) that captures the code")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "LedgerMapping":
        cols = self.columns
        if self.sign == "debit_credit" and not (cols.debit and cols.credit):
            raise ValueError("sign = 'debit_credit' needs columns.debit and columns.credit")
        if self.sign != "debit_credit" and not cols.amount:
            raise ValueError("columns.amount is needed unless sign = 'debit_credit'")
        if not cols.date and self.fixed is None:
            raise ValueError("without columns.date the mapping needs [mapping.fixed] year and month")
        if not cols.cost_centre or not cols.account:
            raise ValueError("columns.cost_centre and columns.account are needed")
        if self.thousands == self.decimal:
            raise ValueError("thousands and decimal separators must differ")
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


def _loc_key(loc: tuple[Any, ...]) -> str:
    return ".".join(["mapping", *(str(part) for part in loc)])


def _allowed(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """For an unknown key: the keys the table it sits in allows."""
    target: Any = model
    for part in loc[:-1]:
        field = target.model_fields.get(str(part)) if isinstance(target, type) else None
        if field is None:
            return None
        target = field.annotation
        if hasattr(target, "__args__"):  # Fixed | None
            target = next(a for a in target.__args__ if a is not type(None))
    if isinstance(target, type) and issubclass(target, BaseModel):
        return ", ".join(k for k in target.model_fields if k != "source")
    return None


def _problem(source: str, err: dict[str, Any]) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    # a model-level error gets the whole table as input, which says nothing useful
    found = None if kind == "missing" or isinstance(value, dict) else str(value)
    if kind == "extra_forbidden":
        return Problem(source, "unknown key", key=_loc_key(loc), expected=_allowed(LedgerMapping, loc), found=found)
    if kind == "literal_error":
        return Problem(
            source, "value not allowed", key=_loc_key(loc), expected=err["ctx"]["expected"], found=found
        )
    message = err["msg"].removeprefix("Value error, ")
    return Problem(source, message, key=_loc_key(loc) if loc else "mapping", found=found)


def parse_mapping(data: dict[str, Any], source: str) -> LedgerMapping:
    """A parsed TOML document -> LedgerMapping, or ProblemsError listing every problem."""
    problems = [
        Problem(source, "unknown table", key=key, expected="mapping", found=key) for key in data if key != "mapping"
    ]
    body = data.get("mapping", {})
    if not isinstance(body, dict):
        problems.append(Problem(source, "[mapping] must be a table", key="mapping", found=repr(body)))
        body = {}
    try:
        mapping = LedgerMapping.model_validate({**body, "source": source})
    except ValidationError as exc:
        problems.extend(_problem(source, err) for err in exc.errors())
        mapping = None
    if problems or mapping is None:
        raise ProblemsError(problems)
    return mapping


def load_mapping(path: Path | str | None) -> LedgerMapping:
    """Read a mapping file; None gives the default format. Raises ProblemsError naming file and key."""
    if path is None:
        return default_mapping()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ProblemsError([Problem(str(path), "mapping file not found")]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProblemsError([Problem(str(path), f"not a valid TOML file: {exc}")]) from None
    return parse_mapping(data, str(path))
