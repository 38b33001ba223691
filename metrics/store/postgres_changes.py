"""Being told of every write to the PostgreSQL store the moment it commits, and what that
saves: the versions asked once per change rather than once per page.

Every write transaction on PostgreSQL sends a notification on CHANNEL as part of its commit
(metrics/store/postgres_connection.py, `PgConnection._atomic`: `pg_notify` with the new
data version), which PostgreSQL delivers to every listening connection when, and only if,
the transaction commits. An app server listens on a connection of its own (`Listener`, a
thread outside the pool) for two reasons:

- its watch (ui/refresh.py's ServerWatch) works out what the pages read first as soon as an
  analyst's load or another app server's save has committed, as a DuckDB server does by
  watching its file;
- the data versions, which every page run asks first, are kept between changes
  (`kept_versions`): without a listener each run asked the server (three round trips with
  the pool's check and reset), and in a crowd each round trip waited for Python's lock
  again among twenty busy threads (bench/README.md, "PostgreSQL's crowd").

Kept versions are used only while the listener has been connected and heard nothing since
they were read, this process has committed nothing since (`changes.commits`), and for
KEEP_SECONDS at most: a write by another process is seen as soon as its notification
arrives (a few milliseconds after its commit, as if the page had started that much
earlier), this process's own writes at once. Without a listener (a command, a test, the
connection lost) every asking goes to the server, as before.

Failing closed: a listener trusts its connection only once it has heard its own
notification (`Listener._probe`): a pooler in transaction mode between the app and the
server (PgBouncer's) takes a LISTEN without error and then delivers nothing, and kept
versions would never change. Were notifications lost some other way unnoticed, KEEP_SECONDS
bounds how stale a page can be.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import suppress
from typing import Any

import psycopg

from metrics.store.changes import Versions, commits

log = logging.getLogger(__name__)

# The channel every write transaction notifies with its data version.
CHANNEL = "outcomes_data_changes"
PROBE = "probe "  # a listener's notification to itself (`Listener._probe`): not a write
# Kept versions are asked again after this even when nothing was heard: were notifications
# ever lost between server and app unnoticed, a page would be stale by this much at most.
KEEP_SECONDS = 1.0
APPLICATION = "outcomes: listening for changes"  # the connection's name in pg_stat_activity
CONNECT_SECONDS = 10  # as the pool's (metrics/store/postgres_connection.py)

WAIT_SECONDS = 0.5  # one wait for notifications: a `close()` is heard within it
# A server that could not be reached is tried again after this, doubling to the second.
RETRY_SECONDS, RETRY_MAX_SECONDS = 1.0, 30.0

_LISTENERS: dict[str, Listener] = {}  # the one listening for each database, by URL
_KEPT: dict[str, tuple[tuple[int, int], float, Versions]] = {}
_LOCK = threading.Lock()


class Listener:
    """A thread with a connection of its own, LISTENing on CHANNEL for the database at `url`
    until `close()`. `heard` counts the notifications heard, and the connection made again
    after it was lost (writes may have been missed meanwhile); `changed` is set whenever it
    moves. `generation` moves with it, and also when the connection is first made or lost
    (the kept versions' guard). The server gone, it says so once and tries again, waiting
    RETRY_SECONDS and then twice as long each time, up to RETRY_MAX_SECONDS."""

    def __init__(self, url: str):
        self.url = url
        self.generation = self.heard = 0
        self.listening = False  # connected, and LISTENing since `generation` last moved
        self.changed = threading.Event()
        self._closing = threading.Event()
        self._probes = 0
        self._thread = threading.Thread(target=self._run, name="store-listen", daemon=True)
        with _LOCK:
            if url in _LISTENERS:
                raise RuntimeError(f"already listening for changes to {url}")
            _LISTENERS[url] = self
        self._thread.start()

    def close(self) -> None:
        """Stop listening (within WAIT_SECONDS) and close the connection."""
        self._closing.set()
        with _LOCK:
            if _LISTENERS.get(self.url) is self:
                del _LISTENERS[self.url]
            self.generation += 1  # kept versions are not used again
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def _heard(self) -> None:
        self.generation += 1
        self.heard += 1
        self.changed.set()

    def _run(self) -> None:
        retry, told, lost = RETRY_SECONDS, False, False
        while not self._closing.is_set():
            try:
                con = psycopg.connect(
                    self.url,
                    autocommit=True,
                    connect_timeout=CONNECT_SECONDS,
                    application_name=APPLICATION,
                )
            except psycopg.OperationalError as err:
                if not told:  # once per outage: the pages say it to their readers
                    log.warning("listening for the store's changes: %s", _first_line(err))
                    told = True
                lost = True
                self._closing.wait(retry)
                retry = min(2 * retry, RETRY_MAX_SECONDS)
                continue
            retry, told = RETRY_SECONDS, False
            try:
                con.execute(f"LISTEN {CHANNEL}")
                heard = self._probe(con)
                with _LOCK:  # kept versions read before LISTEN are not used
                    if lost or heard:
                        self._heard()  # what committed while it was away is unknown
                    else:
                        self.generation += 1
                    self.listening = True
                while not self._closing.is_set():
                    for said in con.notifies(timeout=WAIT_SECONDS, stop_after=1):
                        if not said.payload.startswith(PROBE):  # another's connecting
                            with _LOCK:
                                self._heard()
            except psycopg.Error as err:  # the server restarting, the network lost
                log.warning("listening for the store's changes: %s", _first_line(err))
            except _Unheard as err:
                log.warning("listening for the store's changes: %s", err)
                self._closing.wait(RETRY_MAX_SECONDS)
            finally:
                with _LOCK:
                    self.listening = False
                    self.generation += 1
                lost = True
                with suppress(psycopg.Error):  # already gone, perhaps
                    con.close()

    def _probe(self, con: psycopg.Connection[Any]) -> int:
        """Notify itself and wait for it: a connection that does not hear its own
        notification (a pooler between app and server that hands each statement to any
        server connection) would never hear anyone's, and versions kept on its word would
        never change. Returns how many writes were heard meanwhile."""
        self._probes += 1
        probe = f"{PROBE}{os.getpid()}.{id(self)}.{self._probes}"
        con.execute("SELECT pg_notify(%s, %s)", [CHANNEL, probe])
        heard, deadline = 0, time.monotonic() + CONNECT_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            for said in con.notifies(timeout=left, stop_after=1):
                if said.payload == probe:
                    return heard
                heard += not said.payload.startswith(PROBE)
        raise _Unheard(
            f"a notification sent on {CHANNEL} did not come back within {CONNECT_SECONDS} s"
            " (is a pooler in transaction mode between the app and PostgreSQL?): the data"
            " versions are asked of the server on every page"
        )


class _Unheard(Exception):
    """The listening connection does not hear its own notification."""


def listener(url: str) -> Listener | None:
    """The listener of this process for the database at `url`, if one was started."""
    return _LISTENERS.get(url)


def kept_versions(url: str) -> Versions | None:
    """The versions last read of `url`, if nothing can have changed since: a listener has
    been listening throughout and heard nothing, this process has committed nothing, and
    they were read less than KEEP_SECONDS ago."""
    with _LOCK:
        found, kept = _LISTENERS.get(url), _KEPT.get(url)
        if found is None or not found.listening or kept is None:
            return None
        fresh = time.monotonic() - kept[1] < KEEP_SECONDS
        return kept[2] if fresh and kept[0] == (found.generation, commits()) else None


def keep_versions(url: str, moment: tuple[int, int] | None, versions: Versions) -> None:
    """Keep `versions`, read after `moment` (`moment()`, taken before they were asked), for
    KEEP_SECONDS at most."""
    if moment is not None:
        with _LOCK:
            _KEPT[url] = (moment, time.monotonic(), versions)


def moment(url: str) -> tuple[int, int] | None:
    """Where the listener and this process's commits stand (None: nobody listening)."""
    with _LOCK:
        found = _LISTENERS.get(url)
        if found is None or not found.listening:
            return None
        return found.generation, commits()


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0] if str(err) else type(err).__name__
