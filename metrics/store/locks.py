"""Work that must happen once however many app servers run (issue 29): named locks that
every process using the same store sees.

On PostgreSQL a name is a session advisory lock (`pg_try_advisory_lock`), held on a
connection of its own, opened for the holder and outside the pool: the pool's connections
are lent out and reset between uses, and a lock must stay with whoever took it until they
let it go. PostgreSQL lets it go by itself when that connection ends, so a holder that dies
(kill -9, a lost network) never leaves the work locked for ever. Names are hashed to the two
32-bit keys form (`NAMESPACE`, hash): a key space apart from the single-number keys of
migrations and the data version (metrics/store/postgres.py).

On a DuckDB file only one process can write, so the app is one process: a lock in this
process is the whole of "once" there, as it always was.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from metrics.store.connection import Store

NAMESPACE = 7391  # the first key of every named lock: ours, whatever else uses the database
CONNECT_SECONDS = 10

_LOCAL = threading.Lock()
_LOCAL_HELD: set[tuple[str, str]] = set()  # (store, name) held in this process (DuckDB)


def key(name: str) -> int:
    """A name's second key: a stable signed 32-bit hash (Python's hash() differs per
    process). Two names sharing a key only make one wait for the other."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=4).digest(), "big", signed=True
    )


class Locks:
    """The named locks one holder has taken; `take` tries one without waiting."""

    def __init__(self, store: Store):
        self.store = store
        self.held: list[str] = []
        self._pg: Any = None  # psycopg.Connection, opened on the first `take` on PostgreSQL

    @property
    def _on_postgres(self) -> bool:
        return isinstance(self.store.path, str)  # a URL: see Store.path

    def take(self, name: str) -> bool:
        """Take the lock `name` if nobody (in any app server) holds it; False if somebody
        does. Taking one this holder already has is True."""
        if name in self.held:
            return True
        if self._on_postgres:
            taken = self._take_on_server(name)
        else:
            with _LOCAL:
                mine = (str(self.store.path), name)
                taken = mine not in _LOCAL_HELD
                _LOCAL_HELD.add(mine)
        if taken:
            self.held.append(name)
        return taken

    def _take_on_server(self, name: str) -> bool:
        import psycopg

        from metrics.store.postgres_connection import _unavailable

        try:
            if self._pg is None or self._pg.closed:
                self._pg = psycopg.connect(
                    str(self.store.path), autocommit=True, connect_timeout=CONNECT_SECONDS
                )
            row = self._pg.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", [NAMESPACE, key(name)]
            ).fetchone()
        except psycopg.Error as err:
            raise _unavailable(err) from err
        return bool(row and row[0])

    def release(self) -> None:
        """Let every lock go: on the server, said before the connection is closed, since a
        close only asks the server to end the session, which lets the locks go a moment
        later (a pack started again at once was refused as "already making a pack" on
        PostgreSQL, tests/unit/test_pack_queue.py, once in a whole `make test`)."""
        if self._pg is not None:
            import psycopg

            try:
                with suppress(psycopg.Error):  # a broken connection: its end lets them go
                    self._pg.execute("SELECT pg_advisory_unlock_all()")
                self._pg.close()
            finally:
                self._pg = None
        else:
            with _LOCAL:
                for name in self.held:
                    _LOCAL_HELD.discard((str(self.store.path), name))
        self.held = []


@contextmanager
def holding(store: Store) -> Iterator[Locks]:
    """Named locks for one piece of work: whatever it takes is let go when the block ends,
    however it ends."""
    locks = Locks(store)
    try:
        yield locks
    finally:
        locks.release()


__all__ = ["Locks", "holding", "key"]
