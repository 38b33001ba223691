"""The migration runner: a store's schema brought up to date, one transaction per migration
(the migrations themselves are schema.py's), and the version a store is at.

`Store.connect` runs it when a store is first used, so this module cannot import
connection.py: it is given anything with the few methods it uses (`Migratable`), which every
`Connection` has, on either backend."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from metrics.store.errors import StoreError
from metrics.store.schema import MIGRATIONS, SCHEMA_VERSION


class Fetched(Protocol):
    def fetchall(self) -> list[Any]: ...


class Migratable(Protocol):
    """What the runner uses of a connection (metrics/store/connection.py's `Connection`)."""

    def execute(self, sql: str, params: Mapping[str, object] | None = None, /) -> Fetched: ...

    def _run(self, sql: str, params: Mapping[str, object] | None = None, /) -> object: ...

    def schema_statements(self, statement: str, /) -> list[str]: ...


def schema_version(con: Migratable) -> int:
    tables = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = 'schema_version' AND table_schema = current_schema()"
    ).fetchall()[0][0]
    if not tables:
        return 0
    return int(con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0])


def migrate(con: Migratable) -> int:
    """Bring the schema up to date, one transaction per migration. Returns the version."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"the database is at schema version {current}, newer than this program "
            f"({SCHEMA_VERSION}); update the program"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        con._run("BEGIN TRANSACTION")
        try:
            for statement in MIGRATIONS[version - 1]:
                for said in con.schema_statements(statement):
                    con._run(said)
            con._run(
                "INSERT INTO schema_version VALUES ($version, $at)",
                {"version": version, "at": datetime.now()},
            )
            con._run("COMMIT")
        except Exception:
            con._run("ROLLBACK")
            raise
    return SCHEMA_VERSION
