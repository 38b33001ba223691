"""Being told of every write to the PostgreSQL store the moment it commits, and what that
saves: the versions asked once per change rather than once per page.

Every write transaction on PostgreSQL sends a notification on CHANNEL as part of its commit
(metrics/store/postgres_connection.py, `PgConnection._atomic`: `pg_notify` with the new
data version), which PostgreSQL delivers to every listening connection when, and only if,
the transaction commits. An app server listens on a connection of its own (`Listener`, a
thread outside the pool) for two reasons:

- its watch (ui/watches.py's ServerWatch, calling ui/refresh.py) works out what the pages
  read first as soon as an analyst's load or another app server's save has committed, as a
  DuckDB server does by watching its file;
- the data versions, which every page run asks first, are kept between changes
  (`kept_versions`): without a listener each run asked the server (three round trips with
  the pool's check and reset), and in a crowd each round trip waited for Python's lock
  again among two dozen busy threads (bench/README.md, "PostgreSQL's crowd").

Kept versions are used only while the listener has been connected and heard nothing since
they were read, this process has committed nothing since (`changes.commits`), they were not
read inside a transaction (whose snapshot may be older), and for KEEP_SECONDS at most: a
write by another process is seen as soon as its notification arrives (a few milliseconds
after its commit, as if the page had started that much earlier), this process's own writes
at once. Without a listener (a command, a test, the connection lost) every asking goes to
the server, as before.

Failing closed: a listener trusts its connection only once it has heard a notification sent
from a second connection (`Listener._probe`), and probes again after PROBE_SECONDS of quiet,
with TCP keepalives beneath. A pooler in transaction mode between the app and the server
(PgBouncer's) takes a LISTEN without error and then hands the listener's waits to no server
connection, and a connection dropped by a firewall says nothing: either would leave kept
versions unchanged. The real bound, however notifications might be lost, is KEEP_SECONDS:
no page is staler than that.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

from metrics.store.changes import Versions, commits

log = logging.getLogger(__name__)

# The channel every write transaction notifies with its data version.
CHANNEL = "outcomes_data_changes"
PROBE = "probe "  # a listener's notification to itself (`Listener._probe`): not a write
# Kept versions are asked again after this even when nothing was heard: were notifications
# ever lost between server and app unnoticed, a page would be stale by this much at most.
KEEP_SECONDS = 1.0
APPLICATION = "outcomes: listening for changes"  # the connection's name in pg_stat_activity
PROBING = "outcomes: probing for changes"  # the probe's sender's, for the moment it is open
CONNECT_SECONDS = 10  # as the pool's (metrics/store/postgres_connection.py)

WAIT_SECONDS = 0.5  # one wait for notifications: a `close()` is heard within it
# A listener whose connection failed (or never heard its probe) tries again after this,
# doubling each time to the second.
RETRY_SECONDS, RETRY_MAX_SECONDS = 1.0, 30.0
# How often a quiet listener checks it still hears (a connection a firewall dropped without
# a word hears nothing, and says nothing): a probe, and TCP keepalives.
PROBE_SECONDS = 60.0
# TCP keepalives (libpq's): a peer gone without a word is noticed within about a minute.
KEEPALIVES = "keepalives=1 keepalives_idle=30 keepalives_interval=10 keepalives_count=3"

_LISTENERS: dict[str, Listener] = {}  # the one listening for each database, by URL
_KEPT: dict[str, tuple[tuple[int, int], float, Versions]] = {}
_LOCK = threading.Lock()
_MOVES = itertools.count(1)  # generations, process-wide: no listener takes up another's


class Unheard(Exception):
    """A listener's probe did not come back: its connection does not hear notifications."""


class Listener:
    """A thread with a connection of its own, LISTENing on CHANNEL for the database at `url`
    until `close()`. `heard` counts the notifications heard, and the connection made again
    after it was lost (writes may have been missed meanwhile); `changed` is set whenever it
    moves. `generation` moves with it, and also whenever the connection is made or lost
    (the kept versions' guard). Whatever goes wrong, it says so and tries again, after
    RETRY_SECONDS and then twice as long each time, up to RETRY_MAX_SECONDS."""

    def __init__(self, url: str):
        self.url = url
        self.generation, self.heard = next(_MOVES), 0
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
        """Stop listening and close the connection: within WAIT_SECONDS, or once a connection
        being made (CONNECT_SECONDS at most) is made."""
        self._closing.set()
        with _LOCK:
            if _LISTENERS.get(self.url) is self:
                del _LISTENERS[self.url]
            self.generation = next(_MOVES)  # kept versions are not used again
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def _heard(self, count: int = 1) -> None:
        if count:
            with _LOCK:
                self.generation = next(_MOVES)
                self.heard += count
            self.changed.set()

    def _run(self) -> None:
        retry, told, lost = RETRY_SECONDS, "", False
        while not self._closing.is_set():
            try:
                with self._connection() as con:
                    heard = self._listen(con)
                    with _LOCK:  # kept versions read before LISTEN are not used
                        self.generation = next(_MOVES)
                        self.listening = True
                    self._heard(heard + lost)  # what committed while it was away is unknown
                    retry, told = RETRY_SECONDS, ""
                    self._hear(con)
            except Exception as err:  # the server restarting, the network lost, a pooler
                said = _first_line(err)
                if said != told:  # once per kind of failure: the pages say it to readers
                    log.warning("listening for the store's changes: %s", said)
                    told = said
            finally:
                with _LOCK:
                    self.listening = False
                    self.generation = next(_MOVES)
            lost = True  # (also when it never connected: the pages asked the server meanwhile)
            if self._closing.wait(retry):
                break
            retry = min(2 * retry, RETRY_MAX_SECONDS)

    def _connection(self, name: str = APPLICATION) -> psycopg.Connection[Any]:
        options = make_conninfo(self.url, connect_timeout=CONNECT_SECONDS, application_name=name)
        return psycopg.connect(f"{options} {KEEPALIVES}", autocommit=True)

    def _listen(self, con: psycopg.Connection[Any]) -> int:
        con.execute(f"LISTEN {CHANNEL}")
        return self._probe(con)

    def _hear(self, con: psycopg.Connection[Any]) -> None:
        """Count what is heard until closed; probe again after PROBE_SECONDS of quiet."""
        quiet_since = time.monotonic()
        while not self._closing.is_set():
            count = 0
            for said in con.notifies(timeout=WAIT_SECONDS, stop_after=1):
                count += not said.payload.startswith(PROBE)  # another's probe: no write
            self._heard(count)
            if count:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > PROBE_SECONDS:
                self._heard(self._probe(con))
                quiet_since = time.monotonic()

    def _probe(self, con: psycopg.Connection[Any]) -> int:
        """Notify, from a second connection, and wait for it on `con`: a connection that does
        not hear it (behind a pooler in transaction mode, which hands the LISTEN to one of
        its server connections and the listener's later waits to none; dropped by a
        firewall) would not hear anyone's writes either. How many writes were heard
        meanwhile; raises Unheard if the probe does not come back within CONNECT_SECONDS."""
        self._probes += 1
        probe = f"{PROBE}{os.getpid()}.{id(self)}.{self._probes}"
        with self._connection(PROBING) as sender:
            sender.execute("SELECT pg_notify(%s, %s)", [CHANNEL, probe])
        heard, back, deadline = 0, False, time.monotonic() + CONNECT_SECONDS
        while not back and not self._closing.is_set():
            if (left := deadline - time.monotonic()) <= 0:
                break
            for said in con.notifies(timeout=min(left, WAIT_SECONDS), stop_after=1):
                back = back or said.payload == probe
                heard += not said.payload.startswith(PROBE)
        if not back and not self._closing.is_set():
            raise Unheard(
                f"a notification on {CHANNEL} did not come back within {CONNECT_SECONDS} s (a"
                " pooler in transaction mode between the app and PostgreSQL? a dropped"
                " connection?): the data versions are asked of the server on every page"
            )
        return heard


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
