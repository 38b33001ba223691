"""The DuckDB store: opening the file safely, migrating it, and a per-call connection.

The rest of the domain sees a `Connection` (metrics/store/duckdb_connection.py), never the
driver's own type, and only the store's modules call its methods: every query of the system of
record lives in this package.

Why no connection held open for the life of the app: DuckDB lets only one process hold a
file read-write, and a scheduled `python -m metrics load` must work while the dashboard is
running. So every use opens the file briefly, and an open that meets another process's lock
waits and retries instead of failing. Results are cached as data by the app, keyed on
`Store.version()`: a counter every write transaction bumps (`transaction`), kept in the
database itself so that every process (and, with a server database, every app server) agrees.

Opening the file is the expensive part (about 40 ms for the demo database: DuckDB reads its
catalogue, and checkpoints when the last connection closes), while a second connection to a
file this process already has open costs a tenth of a millisecond. So `connect()` inside
another `connect()` on the same thread takes a cursor of the open connection instead of
opening the file again: a whole page's reads, wrapped in one outer `connect()`, open the file
once. A cursor is its own connection to the same database (its own transaction), exactly as
a second `duckdb.connect` would be. A store made with `linger` (the app's) goes further and
keeps the file open for a moment after its last use (metrics/store/keeper.py).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import duckdb

from metrics.config import database, db_path
from metrics.store import pruning
from metrics.store.changes import Versions, versions

# Kept importable from here: the rest of the store, the domain and the tests find them here.
from metrics.store.duckdb_connection import (
    ONE_WRITER_WAIT_SECONDS,
    Connection as Connection,
    Params as Params,
    Rows as Rows,
)
from metrics.store.errors import (
    StoreBusy as StoreBusy,
    StoreError as StoreError,
    WriteConflict as WriteConflict,
)
from metrics.store.keeper import KEEPER
from metrics.store.migrating import migrate
from metrics.store.on_disk import files_seen
from metrics.store.writes import (
    refuse_write_outside_transaction as refuse_write_outside_transaction,
)

LOCK_WAIT_SECONDS = 120.0

# DuckDB's Python client caches one database instance per file in a process; two threads
# opening the same file at the same instant can both try to attach it ("Unique file handle
# conflict", caught by the load test). Opening is brief, so a process-wide lock makes it safe.
_OPENING = threading.Lock()

# The connections this thread has open, by file: what a nested `connect()` takes a cursor of.
_HELD = threading.local()
# What `keeping` may write without a new data version: derived results only.
KEPT = frozenset({"forecasts_kept", "statuses_kept"})


class Store:
    """A DuckDB file of observations and uploads; given a postgresql:// URL (as `path` or
    in $OUTCOMES_DATABASE_URL), a PostgreSQL database instead (metrics/store/postgres.py's
    PgStore, which does everything below the same way)."""

    path: Path | str  # the file, or the server database's URL: what caches are keyed on

    def __new__(cls, path: str | os.PathLike[str] | None = None, *args: Any, **kw: Any) -> Store:
        if cls is Store and isinstance(database(path), str):
            from metrics.store.postgres import PgStore

            return super().__new__(PgStore)
        return super().__new__(cls)

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        wait: float = LOCK_WAIT_SECONDS,
        linger: float = 0.0,
    ):
        self.file = db_path(path)
        self.path = self.file
        self.wait = wait
        self.linger = linger  # seconds to keep the file open after its last use
        self._migrated = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Store({str(self.file)!r})"

    def exists(self) -> bool:
        return self.file.exists()

    def version(self) -> int:
        """The data version: a counter every write transaction bumps, so a cheap cache key
        that every process using the store agrees on (0 before anything is stored)."""
        return self.versions().latest

    def versions(self) -> Versions:
        """Each kind of data's version (metrics/store/changes.py): what a cache of one kind
        of data is keyed on, so that a write of another kind leaves it be.

        Asked again while neither the file nor its write-ahead log has changed on disk, the
        answer is the one read last time, without opening the file: opening it waits for
        any other process holding it (a scheduled load), and every page asks this first.
        A commit by any process changes one of the two files (see `files_seen`).

        The last look is the process's, not this object's: the app has more than one `Store`
        of its file (the run's, the cached reads'), and after another process's load each
        asked again (a cold page's prefetch threads, two or three at once: bench/README.md).
        Threads that find the look changed together ask the database once between them."""
        if not self.exists():
            return Versions()
        key = str(self.file)
        seen = files_seen(self.file)
        if (found := _last_look(key, seen)) is not None:
            return found
        with _asking(key):
            if (found := _last_look(key, seen)) is not None:  # another thread has just asked
                return found
            with self.connect() as con:
                found = versions(con)
            # `seen` was taken before the query: a commit since makes the next look differ.
            with _LOOKS_LOCK:
                if seen is not None:
                    _LOOKS[key] = (seen, found)
                else:
                    _LOOKS.pop(key, None)
        return found

    def _open(self, wait: float | None = None) -> duckdb.DuckDBPyConnection:
        """The file opened, waiting up to `wait` seconds (the store's own when None) for
        another process to let go of it."""
        self.file.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + (self.wait if wait is None else wait)
        delay = 0.02
        while True:
            try:
                with _OPENING:
                    return duckdb.connect(str(self.file))
            except duckdb.IOException as err:
                locked = "lock" in str(err).lower()
                if not locked or time.monotonic() >= deadline:
                    problem = f"could not open {self.file}: {err}".split(". See also")[0]
                    raise (StoreBusy if locked else StoreError)(problem) from err
                # Another process (the app, or a scheduled load) has the file: wait our turn.
                time.sleep(delay + random.uniform(0, delay))
                delay = min(delay * 2, 0.1)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for one unit of work; the file is released when the outermost block
        on this thread ends (a nested block gets a cursor of the outer connection)."""
        with self._connected(self._open) as con:
            yield con

    @contextmanager
    def connect_if_free(self) -> Iterator[bool]:
        """For reads that need not happen now (ui/refresh.py): True inside the block when
        the file could be opened at once, and this thread's reads in the block use that
        opening (`connect` nested); False when another process holds it, without waiting.
        Any other failure (a broken file, a schema newer than this program) is raised."""
        with ExitStack() as stack:
            try:
                stack.enter_context(self._connected(lambda: self._open(wait=0.0)))
            except StoreBusy:
                yield False
                return
            yield True

    @contextmanager
    def _connected(
        self, open_file: Callable[[], duckdb.DuckDBPyConnection]
    ) -> Iterator[Connection]:
        held: dict[str, duckdb.DuckDBPyConnection] = _HELD.__dict__.setdefault("by_file", {})
        key = str(self.file)
        outer = held.get(key)
        if outer is not None:
            cursor = outer.cursor()
            try:
                yield _of(Connection(cursor), self)
            finally:
                cursor.close()
            return
        kept = self.linger > 0
        con = KEEPER.cursor(key, self.linger, open_file) if kept else open_file()
        held[key] = con
        try:
            if not self._migrated:
                with self._lock:
                    migrate(Connection(con))
                    self._migrated = True
            yield _of(Connection(con), self)
        finally:
            del held[key]
            con.close()
            if kept:
                KEEPER.release(key)


# Each file's last look on disk and the versions read then (`Store.versions`), and a lock per
# file that one thread at a time holds to read them again.
_LOOKS: dict[str, tuple[tuple[object, ...], Versions]] = {}
_ASKING: dict[str, threading.Lock] = {}
_LOOKS_LOCK = threading.Lock()


def _last_look(key: str, seen: tuple[object, ...] | None) -> Versions | None:
    """The versions read at the file's last look, if it still looks the same."""
    with _LOOKS_LOCK:
        last = _LOOKS.get(key)
    return last[1] if seen is not None and last is not None and last[0] == seen else None


def _asking(key: str) -> threading.Lock:
    """The lock threads take to ask a database's versions one at a time (a file's path, or
    a server database's URL: metrics/store/postgres.py)."""
    with _LOOKS_LOCK:
        return _ASKING.setdefault(key, threading.Lock())


def _of(con: Connection, store: Store) -> Connection:
    """`con`, knowing its store: which database it is (its file, and which file at that
    path: its inode, since a database made afresh at the same path (a restore, a rebuilt
    demo) starts its versions again), and how to ask its versions."""
    try:
        con.source = f"{store.file}#{os.stat(store.file).st_ino}"
    except OSError:
        con.source = None  # remember nothing of a file that cannot be looked at
    con._versions_from = store.versions
    return con


@contextmanager
def transaction(con: Connection) -> Iterator[Connection]:
    """All or nothing: commit when the block ends, roll back if it raises. Losing a race with
    another writer raises WriteConflict (never DuckDB's own error). Every transaction that
    commits bumps the data version (a row in `data_changes`: inserts of different rows never
    conflict, so two writers of unrelated things do not collide over the counter). Now and
    then, after the commit, the versions' old rows are pruned (metrics/store/pruning.py)."""
    if con.in_transaction:  # already inside one: part of it
        yield con
        return
    with con._atomic():
        yield con
    pruning.after_commit(con)  # now and then, in a transaction of its own


@contextmanager
def one_writer(
    con: Connection, name: str, wait: float = ONE_WRITER_WAIT_SECONDS
) -> Iterator[Connection]:
    """Writers that name `name` one at a time, on any connection to the database (the
    connection's `one_writer`): around a `transaction` whose decision rests on what the
    writer before it stored (a return that replaces stored figures needs a reason). After
    `wait` seconds behind another, refused in plain words (StoreBusy)."""
    with con.one_writer(name, wait):
        yield con


@contextmanager
def keeping(con: Connection) -> Iterator[Connection]:
    """All or nothing like `transaction`, for derived results the store keeps by what they
    were computed from (a forecast, metrics/store/forecasts.py), without bumping the data
    version: they change nothing a reader sees, and a bump would make every page's cache
    cold after each pack. Inside another transaction: part of it."""
    if con.in_transaction:
        yield con
        return
    with con._atomic(bump=False):
        yield con
        if con.changed - KEPT:  # anything else written here would be missed by every cache
            raise StoreError(f"only derived results may be kept unversioned, not {con.changed}")


def data_version(con: Connection) -> int:
    """The latest committed write's number (0 before any)."""
    row = con.execute("SELECT coalesce(max(version), 0) FROM data_changes").fetchall()[0]
    return int(row[0])  # (fetchall: DuckDB's connection is busy until its result is fetched)
