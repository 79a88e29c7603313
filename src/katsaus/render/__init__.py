"""Renderers of the report model: Finnish/Swedish number formatting (Babel), CSV and XLSX.

Renderers only present: they never compute a figure, they only round for presentation.
"""

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
