"""The PostgreSQL store's connection: the same `Connection` as the DuckDB file's, on a server
database shared by several app servers (metrics/store/postgres.py's `PgStore` hands it out).

What differs from DuckDB, and why it is done this way:
- Parameters: the store's queries name them `$name`; psycopg wants `%(name)s` and reads
  every `%` of the text as its own, so `translate` (postgres_words.py) rewrites both,
  leaving `$` inside string literals, quoted names and comments alone.
- Isolation: REPEATABLE READ, PostgreSQL's snapshot isolation, the same as DuckDB's: a
  transaction reads one snapshot, and of two transactions changing the same row the second
  fails (40001) instead of overwriting it; two inserts of one key fail on the key (23505).
  Both become WriteConflict, as DuckDB's conflicts do. SERIALIZABLE would refuse more than
  DuckDB does (its predicate locks cover a whole table where no index serves a read, so two
  uploads of unrelated figures would collide over `observations`), and READ COMMITTED less
  (an update would silently apply over another's committed change).
- The data version: the same `data_changes` rows. Sequence numbers are handed out when the
  row is inserted, not when the transaction commits, so a transaction taking 5 that commits
  after another took 6 would leave max(version) at 6 and caches would miss its change. An
  advisory lock taken just before the row is added, held until commit, keeps numbers in
  commit order (it serialises only the last moment of each write).
- Parameters are bound by psycopg on the client (ClientCursor: its own quoting, never string
  formatting of ours), because the store's portable queries say `($who IS NULL OR name =
  $who)` and `IN (SELECT unnest($ids))`: PostgreSQL cannot type a parameter sent alone
  ("could not determine data type of parameter $1"), whereas a quoted literal takes its type
  from where it stands, as DuckDB's parameters do.
- `register`: a temporary table filled by COPY from the Arrow table (CSV, streamed).
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg import errors, sql
from psycopg_pool import ConnectionPool, PoolTimeout

from metrics.store.changes import Versions, note_commit, rows_for
from metrics.store.duckdb_connection import (
    ONE_WRITER_WAIT_SECONDS,
    Connection,
    Params,
    Rows,
    writer_busy,
)
from metrics.store.errors import StoreError, WriteConflict
from metrics.store.postgres_changes import CHANNEL, kept_versions
from metrics.store.postgres_words import ARROW, pg_type, postgres_ddl, translate
from metrics.store.read_kinds import watch
from metrics.store.writes import CHANGED, CHANGED_KIND, note_write

CONNECT_SECONDS = 10.0
# Advisory lock key (any fixed number): the data version.
VERSION_LOCK = 7_391_002


class PgConnection(Connection):
    """A `Connection` on one of the pool's connections (autocommit outside `transaction`)."""

    backend = "postgresql"

    def __init__(self, raw: psycopg.Connection[Any], pool: ConnectionPool[Any]):
        self._pg = raw
        self._pool = pool
        self._registered: set[str] = set()
        self.in_transaction = False
        self.changed = set()

    def versions(self) -> Versions:
        """As a DuckDB connection's, but first the versions kept while an app server's
        listener has heard of no change (metrics/store/postgres_changes.py)."""
        if self.in_transaction or not self.source:  # the transaction's own snapshot
            return super().versions()
        kept = kept_versions(self.source)
        return kept if kept is not None else super().versions()

    def execute(self, sql_text: str, params: Params = None) -> Rows:
        note_write(self, sql_text)
        watch(sql_text)
        return self._run(sql_text, params)

    def _run(self, sql_text: str, params: Params = None) -> psycopg.Cursor[Any]:
        args: Any = {} if params is None else params
        try:
            return self._pg.execute(translate(sql_text), args, prepare=False)
        except psycopg.OperationalError as err:
            if _lost_race(err):
                raise  # `transaction` rolls back and says WriteConflict
            raise _unavailable(err) from err

    def executemany(
        self, sql_text: str, rows: Sequence[Sequence[object] | Mapping[str, object]]
    ) -> None:
        if not self.in_transaction:
            raise StoreError("a write outside a transaction was refused (executemany)")
        note_write(self, sql_text)
        with _plainly(), self._pg.cursor() as cur:
            cur.executemany(translate(sql_text), rows)

    def arrow(self, sql_text: str, params: Params = None) -> pa.Table:
        watch(sql_text)
        cur = self._run(sql_text, params)
        rows = cur.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(cur.description or [])
        arrays = [
            pa.array(list(values), type=ARROW.get(col.type_code))
            for col, values in zip(cur.description or [], columns, strict=True)
        ]
        return pa.Table.from_arrays(arrays, names=[col.name for col in cur.description or []])

    def register(self, name: str, data: pa.Table) -> None:
        """`data` as the temporary table `name` (this connection only), filled by COPY, then
        analysed: autovacuum never sees a temporary table, and without its row count the
        planner guessed 880 rows for 38 wanted figures and sorted every current total to
        merge-join them (0.4 s in a national charter status; with statistics, 0.04 s)."""
        with _plainly():
            self._register(name, data)
            self._pg.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(name)))

    def _register(self, name: str, data: pa.Table) -> None:
        table = sql.Identifier(name)
        self.unregister(name)
        columns = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(f.name), sql.SQL(pg_type(f.type)))
            for f in data.schema
        )
        self._pg.execute(sql.SQL("CREATE TEMP TABLE {} ({})").format(table, columns))
        self._registered.add(name)
        data = data.cast(
            pa.schema(
                pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f
                for f in data.schema
            )
        )
        with self._pg.cursor() as cur:
            if any(pa.types.is_binary(t) or pa.types.is_large_binary(t) for t in data.schema.types):
                with cur.copy(sql.SQL("COPY {} FROM STDIN").format(table)) as copy:
                    for row in data.to_pylist():
                        copy.write_row(list(row.values()))
                return
            buffer = io.BytesIO()
            pa_csv.write_csv(data, buffer)  # strings quoted, nulls empty: PostgreSQL's CSV
            with cur.copy(
                sql.SQL("COPY {} FROM STDIN (FORMAT csv, HEADER true)").format(table)
            ) as copy:
                copy.write(buffer.getvalue())

    def unregister(self, name: str) -> None:
        with _plainly():
            self._pg.execute(
                sql.SQL("DROP TABLE IF EXISTS pg_temp.{}").format(sql.Identifier(name))
            )
        self._registered.discard(name)

    def cursor(self) -> Connection:
        """Another of the pool's connections, with its own transaction."""
        con = PgConnection(_take(self._pool), self._pool)
        con.source = self.source
        return con

    def close(self) -> None:
        if self._pg.closed:
            self._pool.putconn(self._pg)
            return
        for name in list(self._registered):
            try:
                self.unregister(name)
            except psycopg.Error:
                break  # the connection is broken: the pool will discard it
        self._pool.putconn(self._pg)

    @contextmanager
    def _atomic(self, bump: bool = True) -> Iterator[None]:
        try:
            self._pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        except psycopg.OperationalError as err:
            raise _unavailable(err) from err
        self.in_transaction, self.changed = True, set()
        version: int | None = None
        try:
            yield
            if bump:
                self._pg.execute("SELECT pg_advisory_xact_lock(%s)", [VERSION_LOCK])
                version = self._run(CHANGED).fetchall()[0][0]
                for kind in rows_for(self.changed, self._indicators):
                    self._run(CHANGED_KIND, {"version": version, "kind": kind})
                # Delivered to the listening app servers at COMMIT, never for a rollback
                # (metrics/store/postgres_changes.py).
                self._pg.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(version)])
            self.in_transaction = False
            self._pg.execute("COMMIT")
            if bump:  # `keeping` (a prune) leaves the last write's number be
                self.committed = version
            note_commit()
        except psycopg.Error as err:
            self.in_transaction = False
            self._roll_back()
            if _lost_race(err):
                raise WriteConflict(str(err)) from err
            if isinstance(err, psycopg.OperationalError):
                raise _unavailable(err) from err
            raise
        except BaseException:
            self.in_transaction = False
            self._roll_back()
            raise

    @contextmanager
    def one_writer(self, name: str, wait: float = ONE_WRITER_WAIT_SECONDS) -> Iterator[None]:
        """As a DuckDB connection's, for every process and app server on the database: a
        session-level advisory lock on `name` (let go at the block's end, or with the
        session if the server is lost). The pool's lock timeout (5 s, for row locks) ends
        each wait for it; it is asked again until `wait` seconds have passed."""
        if self.in_transaction:
            raise StoreError(f"{name}: one writer at a time is asked for before the transaction")
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        deadline = time.monotonic() + wait
        while True:
            try:
                self._pg.execute("SELECT pg_advisory_lock(%s)", [key])
                break
            except errors.LockNotAvailable:  # (autocommit: no transaction to roll back)
                if time.monotonic() >= deadline:
                    raise writer_busy(name, wait) from None
            except psycopg.OperationalError as err:
                raise _unavailable(err) from err
        try:
            yield
        finally:
            if not self._pg.closed and not self._pg.broken:
                with suppress(psycopg.OperationalError):
                    self._pg.execute("SELECT pg_advisory_unlock(%s)", [key])

    def _roll_back(self) -> None:
        """Roll back after a failure; a connection the server has just ended cannot, and
        needs not (the server rolled it back): the pool discards it."""
        if not self._pg.closed and not self._pg.broken:
            with suppress(psycopg.OperationalError):
                self._pg.execute("ROLLBACK")

    def schema_statements(self, statement: str) -> list[str]:
        return postgres_ddl(statement)


def _lost_race(err: psycopg.Error) -> bool:
    """PostgreSQL's words for losing to a concurrent writer: a serialization failure (the
    row changed after this transaction's snapshot), a deadlock, a key another transaction
    added, or a row lock not released in time."""
    return isinstance(
        err,
        errors.SerializationFailure
        | errors.DeadlockDetected
        | errors.UniqueViolation
        | errors.LockNotAvailable,
    )


@contextmanager
def _plainly() -> Iterator[None]:
    """The server gone (restarting, a lost network) as StoreError, whose `public` words a
    page shows, never the driver's own error."""
    try:
        yield
    except psycopg.OperationalError as err:
        if _lost_race(err):
            raise
        raise _unavailable(err) from err


def _unavailable(err: Exception) -> StoreError:
    return StoreError(f"the database server could not be used: {str(err).splitlines()[0]}")


def _take(pool: ConnectionPool[Any]) -> psycopg.Connection[Any]:
    try:
        con: psycopg.Connection[Any] = pool.getconn()
        return con
    except PoolTimeout as err:
        raise StoreError(
            f"could not connect to the database server ({pool.name}) within {CONNECT_SECONDS:.0f} s"
        ) from err
