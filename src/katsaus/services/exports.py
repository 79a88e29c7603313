"""Stored data written out as CSV for the controller: the import log and the monthly balances."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from .actors import Actor
from .permissions import can_import, require

IMPORT_LOG_COLUMNS = ["imported_at", "imported_by", "kind", "version", "file_name", "rows", "sha256", "replaced_at"]
BALANCE_COLUMNS = ["year", "month", "cost_centre", "account", "internal", "cents"]


def write_import_log(stream: SupportsWrite[str], actor: Actor) -> int:
    """When, by whom, which file (name, SHA-256), how many rows, into which version; returns how many imports."""
    from ..store.repository import import_log

    require(can_import(actor), actor, "import")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(IMPORT_LOG_COLUMNS)
    batches = import_log()
    for batch in batches:
        version = batch.version.name if batch.version else ""
        replaced = batch.replaced_by.imported_at.isoformat(timespec="seconds") if batch.replaced_by else ""
        writer.writerow([batch.imported_at.isoformat(timespec="seconds"), batch.imported_by, batch.kind, version,
                         batch.file_name, batch.rows, batch.checksum, replaced])
    return len(batches)


def write_balances(stream: SupportsWrite[str], year: int, actor: Actor) -> int:
    """The stored monthly balances of a year (ledger sign, cents); returns how many rows."""
    from ..store.repository import balance_rows

    require(can_import(actor), actor, "import")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(BALANCE_COLUMNS)
    count = 0
    for year_, month, centre, account, internal, cents in balance_rows(year):
        writer.writerow([year_, month, centre, account, "true" if internal else "false", cents])
        count += 1
    return count
