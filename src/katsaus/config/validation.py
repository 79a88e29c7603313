"""Pydantic's validation errors as the project's problems: a code from pydantic's stable error type, its context
as parameters, the dotted key where it was found, and the value found.

Pydantic's own `msg` is English and never shown. Each error type a schema can produce has the code
`config.value.<type>` (its text in render/catalogue/config.toml); a validator of ours raises
`PydanticCustomError(code, code, params)` with a code of its own (dotted: `mapping.encoding_unknown`), kept as it
is. A type not in VALUE_TYPES (a newer pydantic) becomes `config.value.invalid`, so that nothing unknown is shown.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..core.errors import Param, Problem

# Every pydantic error type the configuration, content and mapping schemas can produce (tests/test_config_load.py
# feeds each field every kind of wrong value and checks this list): each has its text in the catalogue.
VALUE_TYPES = frozenset({
    "missing", "extra_forbidden", "model_type", "dict_type", "list_type", "tuple_type",
    "string_type", "string_too_short", "string_too_long", "string_pattern_mismatch",
    "int_type", "int_parsing", "int_from_float", "int_parsing_size",
    "bool_type", "bool_parsing",
    "decimal_type", "decimal_parsing", "decimal_max_places", "decimal_max_digits", "decimal_whole_digits",
    "finite_number",
    "date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
    "literal_error", "too_short", "too_long",
    "greater_than", "greater_than_equal", "less_than", "less_than_equal",
})
# The context values of an error that are data a reader needs (pydantic's `error` is English, `field_type` a
# Python type name).
CONTEXT_KEYS = ("min_length", "max_length", "ge", "gt", "le", "lt", "decimal_places", "max_digits", "whole_digits",
                "pattern")
FOUND_LENGTH = 80


def dotted(loc: Sequence[int | str]) -> str:
    """('units', 1, 'code') -> 'units[1].code'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def model_at(model: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The pydantic model that holds the keys at `loc` (list indexes skipped), or None if it is not a model."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = current.model_fields.get(part) if current is not None else None
        if field_info is None:
            return None
        current = inner_model(field_info.annotation)
    return current


def inner_model(annotation: object) -> type[BaseModel] | None:
    """list[X], X | None and X -> X when X is a model."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def keys_of(model: type[BaseModel]) -> tuple[str, ...]:
    """The keys a table of this model takes (fields excluded from the file, like a mapping's source, left out)."""
    return tuple(name for name, info in model.model_fields.items() if not info.exclude)


def found_text(value: object) -> str | None:
    """What the file held, as it was written; None for a whole table (it says nothing useful)."""
    if isinstance(value, dict):
        return None
    if isinstance(value, str | int | Decimal | float | date):
        text = str(value)
    else:
        text = repr(value)
    return text if len(text) <= FOUND_LENGTH else text[: FOUND_LENGTH - 1] + "…"


def literal_values(expected: str) -> tuple[Param, ...]:
    """pydantic's "'a', 'b' or 'c'" (or "1 or 1000") as the values themselves."""
    values: list[Param] = []
    for part in re.split(r", | or ", expected):
        try:
            value = ast.literal_eval(part)
        except (ValueError, SyntaxError):
            value = part
        values.append(value if isinstance(value, str | int) else str(value))
    return tuple(values)


def param_value(value: object) -> Param:
    """A context value as a parameter: data stays data (a sequence a tuple), anything else its text."""
    if isinstance(value, str | int | Decimal | date) or value is None:
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, tuple | list | set | frozenset):
        return tuple(param_value(item) for item in value)
    return str(value)


def error_problem(error: ErrorDetails, file: str, model: type[BaseModel], prefix: Sequence[str] = ()) -> Problem:
    """One pydantic error of `model` read from `file`; `prefix` is where the model's table sits in the file
    (("mapping",) for a ledger mapping), so that the key is the file's own."""
    loc = tuple(error["loc"])
    kind = error["type"]
    context = dict(error.get("ctx") or {})
    key = dotted((*prefix, *loc)) or None
    found = None if kind == "missing" else found_text(error.get("input"))
    params: dict[str, Param] = {}
    if kind == "extra_forbidden":
        holder = model_at(model, loc[:-1])
        params = {"name": str(loc[-1]), "allowed": keys_of(holder) if holder else ()}
    elif kind == "missing":
        params = {"name": str(loc[-1]) if loc else ""}
    elif kind == "literal_error":
        params = {"allowed": literal_values(str(context.get("expected", "")))}
    elif "." in kind:  # a code of ours, from a validator: its parameters are its context
        return Problem(kind, {name: param_value(value) for name, value in context.items()}, file=file, key=key,
                       found=found)
    else:
        params = {name: param_value(context[name]) for name in CONTEXT_KEYS if name in context}
    code = f"config.value.{kind}" if kind in VALUE_TYPES else "config.value.invalid"
    return Problem(code, params, file=file, key=key, found=found)


def validation_problems(exc: ValidationError, file: str, model: type[BaseModel],
                        prefix: Sequence[str] = ()) -> list[Problem]:
    return [error_problem(error, file, model, prefix) for error in exc.errors()]
