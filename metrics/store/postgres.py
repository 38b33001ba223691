"""The PostgreSQL store: the same `Store` as the DuckDB file, on a server database shared by
several app servers (chosen by OUTCOMES_DATABASE_URL=postgresql://...). Its connection, and
what differs from DuckDB's and why, is metrics/store/postgres_connection.py's.

Connections come from a psycopg_pool pool per database (one per process), checked before use
so the app recovers by itself after the server restarts.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import psycopg.conninfo
from psycopg.types.string import StrDumper
from psycopg_pool import ConnectionPool

from metrics.config import DATABASE_URL_ENV, database, redacted
from metrics.store.changes import Versions, versions
from metrics.store.connection import Connection, Store, _asking
from metrics.store.errors import StoreError
from metrics.store.migrating import migrate
from metrics.store.postgres_changes import Listener, keep_versions, kept_versions, moment
from metrics.store.postgres_connection import CONNECT_SECONDS, PgConnection, _take
from metrics.store.postgres_words import Number

POOL_SIZE = 10
# A write waiting this long for another's row lock is refused as a conflict rather than
# left hanging (two connections of one thread can otherwise wait for each other for ever).
LOCK_TIMEOUT_MS = 5000
MIGRATION_WAIT_MS = 10 * 60 * 1000  # another server's migration, before saying so
# How long a thread waits for another asking the same database's versions before asking too.
ASKING_SECONDS = 0.5
# Advisory lock key (any fixed number): migrations at start-up.
MIGRATING_LOCK = 7_391_001


_POOLS: dict[str, ConnectionPool[Any]] = {}
CHECK_SECONDS = 3  # the first connection's look for a missing database (then the pool's)
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
    if pool is not None:
        return pool
    # Outside the lock: a server slow to answer holds up only the callers of this database,
    # not every thread wanting a pool of any database.
    _refuse_a_missing_database(url)
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


def _refuse_a_missing_database(url: str) -> None:
    """A database the server does not have is a mistake in the setting, said at once: the
    pool would retry in the background and, its whole timeout later, say only that it could
    not connect, as if the server were down. One connection first, before the pool's own, asks
    (once a process). Any other failure is left to the pool, which waits for a server that
    is starting or restarting."""
    try:
        # Briefly: a server that does not answer at once is the pool's to wait for.
        psycopg.connect(url, connect_timeout=CHECK_SECONDS).close()
    except psycopg.OperationalError as err:
        # A refused connection carries no SQLSTATE (3D000 is in the server's words only);
        # a server answering in another language is left to the pool, as before.
        if not re.search(r'FATAL: +database ".*" does not exist', str(err)):
            return
        name = psycopg.conninfo.conninfo_to_dict(url).get("dbname")
        raise StoreError(
            f"the database {name!r} does not exist on the server ({redacted(url)}): check the "
            f"database's name in --db or ${DATABASE_URL_ENV}, or create it (createdb {name})"
        ) from None


def close_pool(url: str) -> None:
    """Close this process's connections to `url` (before the database is dropped or used
    as a template)."""
    with _POOLS_LOCK:
        pool = _POOLS.pop(url, None)
    if pool is not None:
        pool.close()


# The connection each thread has open, by database: what a nested `connect()` shares.
_HELD = threading.local()


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
        """Each kind of data's version: kept while this process's listener has heard of no
        write since they were read (an app server's: metrics/store/postgres_changes.py),
        otherwise asked of the server (there is no file to look at)."""
        held = _HELD.__dict__.get("by_url", {}).get(self.url)
        if held is not None and held.in_transaction:  # inside this thread's transaction: its
            return versions(held)  # snapshot's, perhaps older than the kept; not kept either
        if (kept := kept_versions(self.url)) is not None:
            return kept
        # Threads finding them stale together ask the server once between them, unless the
        # asking takes long (a server not answering): then each asks for itself, never
        # queueing behind another's wait for the pool.
        asking = _asking(self.url)
        alone = asking.acquire(timeout=ASKING_SECONDS)
        try:
            if alone and (kept := kept_versions(self.url)) is not None:
                return kept
            at = moment(self.url)  # before asking: a write meanwhile moves it on
            with self.connect() as con:
                found = versions(con)
            keep_versions(self.url, at, found)
        finally:
            if alone:
                asking.release()
        return found

    def listen(self) -> Listener:
        """Start listening for the writes committed to this database by any process, on a
        connection of its own (metrics/store/postgres_changes.py): what an app server's
        watch waits on (ui/refresh.py), and what lets the versions be kept between writes."""
        return Listener(self.url)

    @contextmanager
    def connect_if_free(self) -> Iterator[bool]:
        """As `connect`: a server database is never held by another process the way a
        DuckDB file is, so it is always free (True)."""
        with self.connect():
            yield True

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
        # Another server's migration may take longer than a row lock is waited for
        # (LOCK_TIMEOUT_MS): its lock is waited for up to MIGRATION_WAIT_MS, then said plainly.
        con._pg.execute(f"SET lock_timeout = {MIGRATION_WAIT_MS}")
        try:
            con._pg.execute("SELECT pg_advisory_lock(%s)", [MIGRATING_LOCK])
        except psycopg.errors.LockNotAvailable:
            raise StoreError(
                f"another process has been bringing the database's schema up to date for "
                f"{MIGRATION_WAIT_MS // 60000} minutes; try again once it has finished"
            ) from None
        finally:
            con._pg.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
        try:
            migrate(con)
        except psycopg.errors.InsufficientPrivilege as err:
            raise StoreError(
                "the database's role may not create or change the app's tables "
                f"({str(err).splitlines()[0]}): run the app once as the database's owner, or "
                "grant the role CREATE on its schema, so that the schema can be brought up to "
                "date; nothing was changed"
            ) from None
        finally:
            con._pg.execute("SELECT pg_advisory_unlock(%s)", [MIGRATING_LOCK])
