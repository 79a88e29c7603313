"""What a ledger export's header says: shared by the reading (ledger.py) and the row-by-row check (rowcheck.py)."""

from __future__ import annotations

from dataclasses import dataclass

from katsaus.core.errors import Term


@dataclass(frozen=True)
class Layout:
    """What the header says: the file's column names and where our fields are."""

    header: list[str]
    fields: dict[str, int]
    header_row: int
    sheet: str | None = None

    def column(self, field: str) -> str:
        return self.header[self.fields[field]]


DELIMITERS = {";": Term("intake.delimiter.semicolon"), ",": Term("intake.delimiter.comma"),
              "\t": Term("intake.delimiter.tab"), "|": Term("intake.delimiter.pipe")}


def delimiter_param(delimiter: str) -> Term | str:
    """A field delimiter as a problem's parameter: the usual ones by name (a tab cannot be seen), any other
    as the character itself."""
    return DELIMITERS.get(delimiter, delimiter)
