"""Keeping a DuckDB file open for a moment after its last use, for the app.

Opening the file is the dearest step of any read: about 40 ms for the demo database, and a
freshly opened database starts with an empty buffer cache, so its first queries are slow too.
Once any connection to a file is open, DuckDB shares that database (and its cache) with every
further connection in the process for a tenth of a millisecond. The app, which serves many
people at once, therefore keeps one idle connection per file while reads keep coming, and
closes it `linger` seconds after the last one ended: a scheduled `python -m metrics load`
(which waits and retries on a locked file) waits at most that long once the app is idle (and,
while people use the app, after each of its own writes for the server's reading of the
change and then that long: ui/refresh.py).

Only stores made with `linger` use this (ui/reads.py's); the command line and the domain's
own stores open and close the file for every unit of work, as before.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb


@dataclass
class _Held:
    connection: duckdb.DuckDBPyConnection  # never queried: it keeps the database open
    inode: int
    linger: float
    users: int = 0
    last_used: float = field(default_factory=time.monotonic)


class Keeper:
    """One idle connection per file, closed once nobody has used the file for a while."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, _Held] = {}
        self._closer: threading.Thread | None = None
        self._stopping = threading.Event()

    def cursor(
        self, path: str, linger: float, open_file: Callable[[], duckdb.DuckDBPyConnection]
    ) -> duckdb.DuckDBPyConnection:
        """A connection of its own to `path` (a cursor of the kept one), opening the file with
        `open_file` when it is not open; hand it back with `release`."""
        with self._lock:
            held = self._held.get(path)
            if held is not None and held.users == 0 and held.inode != _inode(path):
                self._close(path)  # the file was replaced: never serve the old one
                held = None
            if held is not None:
                held.users += 1
                return held.connection.cursor()
        # Opening may wait for another process to let go of the file: never under our lock,
        # which every read of every file in the app needs.
        opened, spare = open_file(), None
        with self._lock:
            held = self._held.get(path)
            if held is None:
                held = self._held[path] = _Held(opened, _inode(path), linger)
                if self._closer is None:
                    self._closer = threading.Thread(
                        target=self._close_idle, name="store-keeper", daemon=True
                    )
                    self._closer.start()
            else:
                spare = opened  # another thread opened it meanwhile: keep theirs
            held.users += 1
            held.linger = max(held.linger, linger)
            cursor = held.connection.cursor()
        if spare is not None:
            spare.close()  # the same database, still open through the kept connection
        return cursor

    def release(self, path: str) -> None:
        with self._lock:
            held = self._held[path]
            held.users -= 1
            held.last_used = time.monotonic()

    def is_open(self, path: str) -> bool:
        with self._lock:
            return path in self._held

    def close_all(self) -> None:
        """At exit: a connection still kept (its linger not yet over) is closed, not left to
        outlive the interpreter (DuckDB's bindings then report it and its types as leaked),
        and the closing thread is stopped and waited for: a daemon thread cut off at exit
        keeps what its frame last held (a connection) past DuckDB's own end."""
        self._stopping.set()
        with self._lock:
            for path in list(self._held):
                self._close(path)
            closer = self._closer
        if closer is not None and closer is not threading.current_thread():
            closer.join(timeout=5)

    def _close(self, path: str) -> None:
        self._held.pop(path).connection.close()

    def _close_idle(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                for path, held in list(self._held.items()):
                    if held.users == 0 and now - held.last_used >= held.linger:
                        self._close(path)
                if not self._held:
                    self._closer = None
                    return
                wait = min(h.linger for h in self._held.values()) / 4
            if self._stopping.wait(wait):  # close_all at exit: it has closed everything
                with self._lock:
                    self._closer = None
                return


def _inode(path: str) -> int:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return -1


KEEPER = Keeper()
atexit.register(KEEPER.close_all)
