"""What a statement writes: a write outside `transaction()` refused (on every backend), and
inside one, the kinds of data it changes noted for the transaction's `data_change_kinds`
rows (metrics/store/changes.py). Both backends' connections call `note_write` before every
statement of theirs."""

from __future__ import annotations

import re
from typing import Protocol

from metrics.store.changes import Kind, statement_start, written
from metrics.store.errors import StoreError


class Connection(Protocol):
    """What is used here of a connection (metrics/store/connection.py's, which imports this)."""

    in_transaction: bool
    changed: set[Kind]
    _origins: frozenset[str] | None


# A statement that changes stored data; outside a transaction it is refused (see `execute`).
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|COPY|CREATE|DROP|ALTER|TRUNCATE)\b", re.I)

# The rows a committed transaction adds: its number (the data version), and a row for each
# kind of data it wrote (metrics/store/changes.py).
CHANGED = "INSERT INTO data_changes (changed_at) VALUES (current_timestamp) RETURNING version"
CHANGED_KIND = "INSERT INTO data_change_kinds (version, kind) VALUES ($version, $kind)"


def refuse_write_outside_transaction(con: Connection, sql: str) -> None:
    """A statement that changes data is refused outside `transaction()`, on every backend."""
    if not con.in_transaction and _WRITE.match(statement_start(sql)) and not _temporary(sql):
        raise StoreError(f"a write outside a transaction was refused: {sql.split()[0:3]}")


def note_write(con: Connection, sql: str) -> None:
    """Refuse a write outside a transaction; inside one, note the kinds of data it changes
    (a temporary table's statements change none)."""
    refuse_write_outside_transaction(con, sql)
    if con.in_transaction and not _temporary(sql):
        con.changed |= written(sql, con._origins)


def _temporary(sql: str) -> bool:
    return bool(
        re.match(
            r"^\s*(CREATE\s+(OR\s+REPLACE\s+)?TEMP|DROP\s+TABLE\s+IF\s+EXISTS\s+(_|pg_temp\.))",
            sql,
            re.I,
        )
    )
