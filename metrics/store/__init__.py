"""The system of record: the one package that talks to the database. Every query of the
stored data lives here (named functions, grouped by capability); the rest of the domain calls
them with a `Connection` it never looks inside.

The in-memory DuckDB that reads and checks an upload or an EES file before anything is stored
(metrics/ingest/) is an analysis engine of its own, not the store: it never holds the system
of record, and its SQL stays with the checks it makes.
"""

from metrics.store.connection import Connection, Store, StoreError, WriteConflict, transaction

__all__ = ["Connection", "Store", "StoreError", "WriteConflict", "transaction"]
