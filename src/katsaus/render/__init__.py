"""Renderers of the report model: Finnish/Swedish number formatting (Babel), CSV and XLSX.

Renderers only present: they never compute a figure, they only round for presentation.

The names below are imported when first asked for (PEP 562): a command that only needs the message catalogue
(render.messages: every `katsaus` command) does not import the report model, the table writers and XlsxWriter,
about 90 ms of each process's start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from katsaus.render.csv_tables import write_csv_figures, write_csv_tables
    from katsaus.render.numbers import (
        amount_number,
        cell_number,
        format_amount,
        format_cell,
        format_ratio,
        ratio_number,
    )
    from katsaus.render.xlsx_tables import write_xlsx

_WHERE = {
    "amount_number": "numbers", "cell_number": "numbers", "format_amount": "numbers", "format_cell": "numbers",
    "format_ratio": "numbers", "ratio_number": "numbers",
    "write_csv_figures": "csv_tables", "write_csv_tables": "csv_tables",
    "write_xlsx": "xlsx_tables",
}

__all__ = [
    "amount_number",
    "cell_number",
    "format_amount",
    "format_cell",
    "format_ratio",
    "ratio_number",
    "write_csv_figures",
    "write_csv_tables",
    "write_xlsx",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
