"""The PostgreSQL store: the same `Connection` and `Store` as the DuckDB file, on a server
database shared by several app servers (chosen by OUTCOMES_DATABASE_URL=postgresql://...).

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
- Connections come from a psycopg_pool pool per database (one per process), checked before
  use so the app recovers by itself after the server restarts.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg import errors, sql
from psycopg.types.string import StrDumper
from psycopg_pool import ConnectionPool, PoolTimeout

from metrics.config import database, redacted
from metrics.store.changes import Versions, note_commit, rows_for, versions, watch
from metrics.store.connection import (
    Connection,
    Params,
    Rows,
    Store,
    StoreError,
    WriteConflict,
)
from metrics.store.migrating import migrate
from metrics.store.postgres_words import ARROW, Number, pg_type, postgres_ddl, translate
from metrics.store.writes import CHANGED, CHANGED_KIND, note_write

POOL_SIZE = 10
CONNECT_SECONDS = 10.0
# A write waiting this long for another's row lock is refused as a conflict rather than
# left hanging (two connections of one thread can otherwise wait for each other for ever).
LOCK_TIMEOUT_MS = 5000
# Advisory lock keys (any fixed numbers): migrations at start-up, and the data version.
MIGRATING_LOCK = 7_391_001
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
        try:
            yield
            if bump:
                self._pg.execute("SELECT pg_advisory_xact_lock(%s)", [VERSION_LOCK])
                version = self._run(CHANGED).fetchall()[0][0]
                for kind in rows_for(self.changed):
                    self._run(CHANGED_KIND, {"version": version, "kind": kind})
            self.in_transaction = False
            self._pg.execute("COMMIT")
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


_POOLS: dict[str, ConnectionPool[Any]] = {}
_POOLS_LOCK = threading.Lock()


def _configure(con: psycopg.Connection[Any]) -> None:
    con.adapters.register_loader("numeric", Number)
    # A list of text as text[] (`unnest($ids)`); a single text stays an untyped literal.
    con.adapters.register_dumper(str, StrDumper)
    con.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")


def _reset(con: psycopg.Connection[Any]) -> None:
    con.execute("DISCARD TEMP")


def pool_for(url: str) -> ConnectionPool[Any]:
    """This process's pool of connections to the database at `url`."""
    with _POOLS_LOCK:
        pool = _POOLS.get(url)
        if pool is None:
            pool = ConnectionPool(
                url,
                min_size=1,
                max_size=POOL_SIZE,
                kwargs={"autocommit": True, "cursor_factory": psycopg.ClientCursor},
                configure=_configure,
                reset=_reset,
                check=ConnectionPool.check_connection,
                timeout=CONNECT_SECONDS,
                name=f"store {redacted(url)}",
                open=False,
            )
            pool.open(wait=False)
            _POOLS[url] = pool
        return pool


def close_pool(url: str) -> None:
    """Close this process's connections to `url` (before the database is dropped or used
    as a template)."""
    with _POOLS_LOCK:
        pool = _POOLS.pop(url, None)
    if pool is not None:
        pool.close()


# The connection each thread has open, by database: what a nested `connect()` shares.
_HELD = threading.local()


def _take(pool: ConnectionPool[Any]) -> psycopg.Connection[Any]:
    try:
        con: psycopg.Connection[Any] = pool.getconn()
        return con
    except PoolTimeout as err:
        raise StoreError(
            f"could not connect to the database server ({pool.name}) within {CONNECT_SECONDS:.0f} s"
        ) from err


class PgStore(Store):
    """A PostgreSQL database of observations and uploads (see the module's docstring)."""

    def __init__(self, path: Any = None, wait: float = 0.0, linger: float = 0.0):
        self.url = str(database(path))
        self.path = self.url  # what caches are keyed on, as a file's path is
        self.wait = wait
        self.linger = linger
        self._migrated = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Store({redacted(self.url)!r})"

    def exists(self) -> bool:
        return True  # the database is the server's: migrated on first use

    def versions(self) -> Versions:
        """Each kind of data's version, asked of the server every time: there is no file to
        look at, and a pooled connection answers at once (nothing holds the database the way
        a process holds a DuckDB file)."""
        with self.connect() as con:
            return versions(con)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A pooled connection for one unit of work. A `connect()` inside another on the same
        thread shares the outer one (and its transaction, if one is open), where DuckDB hands
        out a cursor: a second pooled connection per thread let a crowd starve the pool, each
        session holding one connection while it waited for another (make bench's crowd on
        PostgreSQL: pages failing with a pool timeout)."""
        held: dict[str, PgConnection] = _HELD.__dict__.setdefault("by_url", {})
        outer = held.get(self.url)
        if outer is not None:
            yield outer
            return
        pool = pool_for(self.url)
        con = PgConnection(_take(pool), pool)
        con.source = self.url
        held[self.url] = con
        try:
            if not self._migrated:
                with self._lock:
                    self._migrate_once(con)
                    self._migrated = True
            yield con
        finally:
            del held[self.url]
            con.close()

    def _migrate_once(self, con: PgConnection) -> None:
        """Migrations run once however many app servers start at the same moment: each
        waits for the advisory lock, and the later ones find nothing left to do."""
        con._pg.execute("SELECT pg_advisory_lock(%s)", [MIGRATING_LOCK])
        try:
            migrate(con)
        finally:
            con._pg.execute("SELECT pg_advisory_unlock(%s)", [MIGRATING_LOCK])
