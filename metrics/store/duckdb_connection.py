"""The DuckDB store's `Connection`: what the rest of the domain sees of a connection to the
system of record, whichever database holds it (metrics/store/postgres_connection.py's
`PgConnection` is the same for a PostgreSQL server).

Only the store's modules call its methods: every query of the system of record lives in this
package. Parameters are named `$name`; a statement that changes data is refused outside a
transaction (metrics/store/connection.py's `transaction`), whose commit records what kinds of
data it wrote (metrics/store/changes.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from metrics.store.changes import Kind, Versions, commits, note_commit, rows_for, versions
from metrics.store.errors import StoreBusy, StoreError, WriteConflict
from metrics.store.read_kinds import watch
from metrics.store.schema import POSTGRES_ONLY
from metrics.store.writes import CHANGED, CHANGED_KIND, note_write

# A DuckDB write's number is taken and its transaction committed under one lock: two of this
# process's writers could otherwise commit in the opposite order to their numbers, and a
# reader between the two commits would keep an answer under the later number without the
# earlier write (seen by none until the next write of that kind). Only one process can
# write a DuckDB file, so a lock in the process is enough (PostgreSQL: an advisory lock).
_NUMBERING = threading.Lock()
# `one_writer`'s locks, by database and name. Only this process's threads need them: DuckDB
# lets one process at a time have the file, so another process's writer waits to open it.
_WRITERS: dict[tuple[str | None, str], threading.Lock] = {}
_WRITERS_LOCK = threading.Lock()
ONE_WRITER_WAIT_SECONDS = 120.0  # as long as a command waits for the DuckDB file


def writer_busy(name: str, waited: float) -> StoreBusy:
    """`one_writer`'s refusal once it has waited `waited` seconds, in plain words."""
    return StoreBusy(
        f"Other {name} were still being stored after {waited:.0f} s, so this one was not "
        "stored. Try again once they are done."
    )


class Rows(Protocol):
    """What a query gives back: its rows, and their column names in `description`."""

    @property
    def description(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...


Params = Mapping[str, object] | Sequence[object] | None


class Connection:
    """One unit of work's connection to the system of record, whichever database holds it.

    Only modules of `metrics.store` call its methods; the rest of the domain passes it along
    (so that several calls share one transaction) and never sees the driver. Parameters are
    named, `$name`, in every query. A statement that changes data is refused outside
    `transaction()`: that is what keeps every write all-or-nothing with its audit rows, and
    what bumps the data version every cache is keyed on."""

    backend = "duckdb"
    # What the open transaction has written, by kind (metrics/store/changes.py), and the
    # origins of the figures it stores, when its writer has said (`storing_origins`).
    changed: set[Kind]
    _origins: frozenset[str] | None = None
    _indicators: frozenset[str] | None = None  # of the figures it stores (`storing_indicators`)
    _seen: tuple[int, Versions] | None = None  # `versions()`, and the commits it was read after
    source: str | None = None  # which database (metrics/store/remembered.py's key); None: none
    _versions_from: Callable[[], Versions] | None = None  # the store's `versions`, if it has one
    committed: int | None = None  # the number of the last write committed here (None: none)

    def __init__(self, raw: duckdb.DuckDBPyConnection):
        self._raw = raw
        self.in_transaction = False
        self.changed = set()

    def execute(self, sql: str, params: Params = None) -> Rows:
        note_write(self, sql)
        watch(sql)
        return self._raw.execute(sql, params)

    def storing_origins(self, origins: set[str]) -> None:
        """The figures this connection writes to `observations` are of these origins (those
        of the staged rows it stores): only those kinds of figures change
        (metrics/store/changes.py). For the connection's life; a second call adds to it."""
        self._origins = frozenset(origins) | (self._origins or frozenset())

    def storing_indicators(self, indicators: set[str]) -> None:
        """The figures this connection writes (staged rows, with their upload and periods)
        are of these indicators: its commits say so (`changes.rows_for`), so that a read of
        another indicator's figures stays cached. For the connection's life; a second call
        adds to it."""
        self._indicators = frozenset(indicators) | (self._indicators or frozenset())

    def versions(self) -> Versions:
        """Each kind of data's version (metrics/store/remembered.py asks before every read):
        a DuckDB file's store answers from the file's look on disk while it has not changed
        (`Store.versions`); otherwise read once per connection unless this process has
        committed a write since."""
        if self._versions_from is not None:
            return self._versions_from()
        now = commits()
        if self._seen is None or self._seen[0] != now:
            self._seen = (now, versions(self))
        return self._seen[1]

    def _run(self, sql: str, params: Params = None) -> Rows:
        """`execute` without the guard: the store's own statements (migrations)."""
        return self._raw.execute(sql, params)

    def executemany(
        self, sql: str, rows: Sequence[Sequence[object] | Mapping[str, object]]
    ) -> None:
        if not self.in_transaction:
            raise StoreError("a write outside a transaction was refused (executemany)")
        note_write(self, sql)
        self._raw.executemany(sql, rows)

    def arrow(self, sql: str, params: Params = None) -> pa.Table:
        """A query's result as an Arrow table (for large reads: no Python object per row).
        Through `sql()`, not `execute()`: DuckDB 2.0 copies a DB-API result once more (and
        warns) to give it as Arrow."""
        watch(sql)
        return self._raw.sql(sql, params=params).to_arrow_table()

    def register(self, name: str, data: pa.Table) -> None:
        """`data` readable as the table `name` until `unregister` or the connection's end,
        e.g. to insert it whole with one `INSERT ... SELECT` or compare it with what is
        stored (DuckDB reads the Arrow table in place; a server database gets a temporary
        table)."""
        self._raw.register(name, data)

    def unregister(self, name: str) -> None:
        self._raw.unregister(name)

    def cursor(self) -> Connection:
        """Another connection to the same database, with its own transaction."""
        con = Connection(self._raw.cursor())
        con.source, con._versions_from = self.source, self._versions_from
        return con

    def close(self) -> None:
        self._raw.close()

    def schema_statements(self, statement: str) -> list[str]:
        """A migration's statement in this database's words (they are DuckDB's); none for
        a statement marked as PostgreSQL's only (an index DuckDB does without)."""
        if statement.lstrip().startswith(POSTGRES_ONLY):
            return []
        return [statement]

    @contextmanager
    def one_writer(self, name: str, wait: float = ONE_WRITER_WAIT_SECONDS) -> Iterator[None]:
        """While the block lasts, no other writer that asks for `name` on this database gets
        in: for a write that must see what another of its kind has just committed (whether
        it replaces stored figures, and so needs a reason), which two transactions at once
        would each have decided alone, from snapshots without the other's rows. Taken before
        the transaction begins, so that its snapshot is taken after the writer before it.
        Refused in plain words (StoreBusy) after `wait` seconds."""
        if self.in_transaction:
            raise StoreError(f"{name}: one writer at a time is asked for before the transaction")
        with _WRITERS_LOCK:
            lock = _WRITERS.setdefault((self.source, name), threading.Lock())
        if not lock.acquire(timeout=wait):
            raise writer_busy(name, wait)
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def _atomic(self, bump: bool = True) -> Iterator[None]:
        """One transaction on this connection (see `transaction`; `bump` False: `keeping`)."""
        raw = self._raw
        raw.execute("BEGIN TRANSACTION")
        self.in_transaction, self.changed = True, set()
        version: int | None = None
        with ExitStack() as numbering:
            try:
                yield
                if bump:
                    numbering.enter_context(_NUMBERING)
                    version = raw.execute(CHANGED).fetchall()[0][0]
                    for kind in rows_for(self.changed, self._indicators):
                        raw.execute(CHANGED_KIND, {"version": version, "kind": kind})
            except duckdb.Error as err:
                self.in_transaction = False
                with suppress(duckdb.TransactionException):  # DuckDB may have ended it already
                    raw.execute("ROLLBACK")
                if _lost_race(err):
                    raise WriteConflict(str(err)) from err
                raise
            except BaseException:
                self.in_transaction = False
                raw.execute("ROLLBACK")
                raise
            self.in_transaction = False
            try:
                raw.execute("COMMIT")
            except duckdb.Error as err:  # DuckDB has already rolled the transaction back
                if _lost_race(err):
                    raise WriteConflict(str(err)) from err
                raise
        if bump:  # `keeping` (a prune) leaves the last write's number be
            self.committed = version
        note_commit()


def _lost_race(err: duckdb.Error) -> bool:
    """DuckDB's words for losing to a concurrent writer: a write-write conflict, or a key
    another transaction added after this one read (every write here reads the latest rows in
    its own transaction first, so a duplicate key can only come from a concurrent writer)."""
    if isinstance(err, duckdb.TransactionException):
        return "conflict" in str(err).lower() or "constraint violation" in str(err).lower()
    return isinstance(err, duckdb.ConstraintException) and "duplicate key" in str(err).lower()
