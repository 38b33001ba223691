"""Seeing another process's write before anyone asks: a server watches its DuckDB file, and
when the file changes (an analyst's `python -m metrics load`, a scheduled import) it reads
the new version in the background and works out what every page reads first.

DuckDB lets one process write a file, so the app lets go of it between reads (a kept
connection lingers 0.3 s: metrics/store/keeper.py) and must open it again after another
process's write to see what changed: about 40 ms of reading the catalogue, then the versions
query and the changed indicators' statuses on DuckDB's empty buffers. Paid by the first
person to open a page after a load, that made the first visit two to three times a warm one
(bench/README.md, "The cold page after an upload"). Here it is paid as soon as a command
(`python -m metrics ...`, which says it is at work on the file for as long as it runs:
metrics/store/on_disk.py, `command_at_work`) has ended (or, a command left at work, once the
file has been free and still for AT_WORK_SECONDS), or once a change made otherwise has been
still for QUIET_SECONDS; never while another process has the file open:
the versions (every cached read's key), the quarters with figures and the statuses of the
quarter a page opens on (`context.default_quarter`), which the statements, the review, the
scrutiny view and the scorecard are built from (the eight quarters before it too:
metrics/assess/status_kept.py's WINDOW), and that quarter's data quality (each indicator's
rating, on the indicator and statement pages).

What it costs others: the file is opened only when no other process holds it and no
command is at work on it, or none has been for AT_WORK_SECONDS of the file free and still
(so a command pausing longer than that between two steps may find the file held and wait
for it; never waited for here: a busy file is tried again later),
and then held for the work and the kept connection's linger, about 0.4 s, as a page's read
holds it; a command started within that waits its turn, as it does while people use the
app. Who holds the file is read from Linux's /proc/locks; where that cannot be read, a
command between two steps that leaves the file still for QUIET_SECONDS waits its turn. A
server nobody has used for ACTIVE_SECONDS does nothing (night-time imports and reminders run
alone), and its next visitor reads the change as before.

The results go into the caches the pages' own reads use (ui/reads.py), which work each
result out once while others asking for it wait. Nothing is drawn. Only a server watches
(not AppTest, whose runtime is a stand-in). A change the app made itself is
read again too: a save of commentary or an action moves the data version, so the latest
quarter's statuses are put together again in the background (from the kept statuses of
each indicator: metrics/assess/status_kept.py), and its data quality read again (about
50 ms: it is keyed on every kind of data, so any write moves it).

On PostgreSQL there is no file to watch, and none is held: every write transaction
notifies the app servers as it commits (metrics/store/postgres_changes.py), and each
server's ServerWatch does the same work once the notifications have been quiet for
QUIET_SECONDS. Each app server behind the proxy listens for itself: its caches are its own.
The listener also lets the server keep the data versions between writes (a warm page run
then asks PostgreSQL nothing); while it reconnects every page run asks the server, and once
back it counts as a change, read here again, since a write may have been missed.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol

from streamlit import runtime

from metrics.assess import status_kept
from metrics.store.on_disk import files_seen, in_use_elsewhere, look
from ui import context, reads
from ui.read_keys import QUARTERS, data_key

log = logging.getLogger(__name__)

POLL_SECONDS = 0.02  # how often the file is looked at while it is changing: two `stat`s
# ... and while it is quiet: looking 50 times a second was 16 ms of CPU a second for as long
# as the server was in use (half of it Python waking up), some 4 % of a crowd's server CPU
# (bench/README.md, "what the crowd's excess is made of"). A change is seen within this.
IDLE_POLL_SECONDS = 0.1
# How long the file must be still before it is opened: a command that writes, lets go and
# opens it again within this (a reminder run, a second return) keeps it to itself.
QUIET_SECONDS = 0.1
# ... but a change made by a command (`python -m metrics ...`, which says it is at work on the
# file: metrics/store/on_disk.py, `command_at_work`) is read at the first look after the
# command has ended (within this): it will not open the file again. Only where /proc/locks
# tells (Linux, and a command in the same pid namespace and on a file system whose device
# /proc/locks names as stat does; otherwise the stillness rule holds).
LET_GO_SECONDS = 0.02
# A command at work this long (a read-only command left open, one stopped with Ctrl-Z), or a
# change waiting this long (the file held open by a process stopped with it open), is looked
# at as often as an idle file; and once the file has been free and still this long, a
# command at work no longer holds back the reading of a change: read as before.
AT_WORK_SECONDS = 5.0
ACTIVE_SECONDS = 15 * 60  # a server with no page run for this long leaves changes be
SETTLING_LOOKS = 5  # the versions are kept without opening the file once it has settled
# PostgreSQL (ServerWatch): how long one wait for the listener lasts (a stop is heard within it).
LISTEN_SECONDS = 0.5

_LOCK = threading.Lock()
_WATCHES: dict[str, Watching] = {}


class Watching:
    """A thread of the server's that calls `on_change` after another's write (`_run`, below),
    until `stop()`; `visited` is when a page last ran, `changes` how many it worked on."""

    def __init__(self, on_change: Callable[[], bool]) -> None:
        self.on_change = on_change
        self.visited = time.monotonic()  # the last page run (`watch()` moves it on)
        self.changes = 0  # changes worked on so far (tests wait for them)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="store-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop looking; a refresh under way is let finish (a read cut off by the
        interpreter's end leaves DuckDB's objects behind it, as ui/prefetch.py says)."""
        self._stopping.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        raise NotImplementedError


class Watch(Watching):
    """A thread looking at `file` every IDLE_POLL_SECONDS (POLL_SECONDS for AT_WORK_SECONDS
    after it changed, while the change waits, or after a command is first seen at work on
    it) and, once a change is free to read (at the first look after the command that made
    it ended, or QUIET_SECONDS still, or AT_WORK_SECONDS free and still while a command is
    still at work) and a page has run in the last ACTIVE_SECONDS, calling `on_change` (which
    says whether it could do its work: False, tried again later) until `stop()`."""

    def __init__(self, file: Path, on_change: Callable[[], bool]) -> None:
        self.file = file
        super().__init__(on_change)

    def _run(self) -> None:
        seen, since, pending, command = look(self.file), 0.0, False, False
        changed = noticed = 0.0  # when the file last changed; when a command was first seen
        at_work = False  # a command was at work at the last look

        def pause() -> float:  # quick for a while after a change or a command is first seen:
            # a change is read, or a command's end seen, at once; a file left held or a
            # command left at work for long (stopped with Ctrl-Z) is looked at as idle
            since_now = time.monotonic()
            quick = (pending and since_now - changed < AT_WORK_SECONDS) or (
                at_work and since_now - noticed < AT_WORK_SECONDS
            )
            return POLL_SECONDS if quick else IDLE_POLL_SECONDS

        while not self._stopping.wait(pause()):
            now, at = look(self.file), time.monotonic()
            using = in_use_elsewhere(self.file)
            working = using is not None and using.command
            if working and not at_work:
                noticed = at
            at_work = working
            if working:
                command = True  # a command at work: its change is read the moment it ends
            if now != seen:
                seen, since, changed, pending = now, at, at, True
                continue
            if not pending:
                command = working
                continue
            if using is not None and using.store:
                since = at  # another process has it open: from when it lets go
                continue
            if working and at - since < AT_WORK_SECONDS:
                continue  # a command between two steps: it may open the file again
            if at - since < (LET_GO_SECONDS if command else QUIET_SECONDS):
                continue
            if at - self.visited > ACTIVE_SECONDS or now[0] is None:
                pending = command = False  # nobody about, or the file is gone (a restore)
                continue
            try:
                done = self.on_change()
            except Exception:  # not tried again until the next change; a page's own read
                # of the same says what went wrong to the reader
                log.warning("reading %s again after a change failed", self.file, exc_info=True)
                done = True
            if done:
                pending = command = False
                self.changes += 1
            else:
                since = time.monotonic()  # another process holds it: later


class ServerWatch(Watching):
    """A thread waiting on the PostgreSQL store's listener (metrics/store/postgres_changes.py:
    notifications of any process's committed writes, this one's included, and its own
    return after the server was lost) and, once it has heard nothing more for QUIET_SECONDS
    and a page has run in the last ACTIVE_SECONDS, calling `on_change`. The listener is
    closed with the watch."""

    def __init__(self, listen: Callable[[], Listening], on_change: Callable[[], bool]) -> None:
        self.listener = listen()
        super().__init__(on_change)

    def _run(self) -> None:
        heard = self.listener
        try:
            while not self._stopping.is_set():
                if not heard.changed.wait(LISTEN_SECONDS):
                    continue  # (a stop is heard within LISTEN_SECONDS)
                while True:  # until quiet: a load of several returns is read once
                    before = heard.heard  # (then clear: what moves it after sets it again)
                    heard.changed.clear()
                    if self._stopping.wait(QUIET_SECONDS):
                        return
                    if heard.heard == before:
                        break
                if time.monotonic() - self.visited > ACTIVE_SECONDS or not heard.listening:
                    continue  # nobody about, or the server gone: the next visitor asks
                try:
                    self.on_change()
                except Exception:  # a page's own read of the same says what went wrong
                    log.warning("reading the store again after a change failed", exc_info=True)
                self.changes += 1
        finally:
            heard.close()


class Listening(Protocol):
    """What ServerWatch uses of the store's listener (metrics/store/postgres_changes.py)."""

    heard: int
    listening: bool
    changed: threading.Event

    def close(self) -> None: ...


def watch() -> Watching | None:
    """Start watching the app's store, once per database and process, in a server: its file
    (DuckDB) or its notifications (PostgreSQL). Every page run says the server is in use."""
    if not runtime.exists() or type(runtime.get_instance()) is not runtime.Runtime:
        return None  # AppTest's runtime is a stand-in: its tests ask for what they read
    store = context.store()
    file = getattr(store, "file", None)
    listen = getattr(store, "listen", None)  # PostgreSQL's (PgStore), imported only there
    with _LOCK:
        found = _WATCHES.get(str(store.path))
        if found is None:
            if isinstance(file, Path):
                found = Watch(file, refresh)
            elif listen is not None:
                found = ServerWatch(listen, refresh)
            else:
                return None
            _WATCHES[str(store.path)] = found
    found.visited = time.monotonic()
    return found


def refresh() -> bool:
    """The versions, the quarters, and the statuses and data quality of the quarter a page
    opens on, as the pages read them, if the file can be opened at once (False if another
    process holds it)."""
    store = context.store()
    if not store.exists():
        return True  # nothing to read; never made here
    with store.connect_if_free() as free:
        if not free:
            return False
        key = data_key()
        quarter = context.default_quarter(reads._quarters(*data_key(*QUARTERS)))
        if quarter is not None:  # the quarter a page opens on; in memory only: the watch
            with status_kept.in_memory_only():  # writes nothing to the file it watches
                reads._status(*key, quarter)
            # Its data quality: each indicator's rating, beside the figures on the indicator
            # and statement pages; read again after every write (received returns, figures),
            # it was most of the indicator page's first visit after a load (bench/README.md).
            reads._quality(*key, quarter, date.today())
        file = getattr(store, "file", None)
        if not isinstance(file, Path):
            return True  # PostgreSQL: no file to settle; its versions are kept by the listener
        # The versions are kept without opening the file only once it has settled (on_disk's
        # 50 ms): ask once more then, while it is open and nobody else can change it.
        for _ in range(SETTLING_LOOKS):
            if files_seen(file) is not None:
                break
            time.sleep(0.02)
        store.versions()
    return True


@atexit.register
def _stop_all() -> None:
    with _LOCK:
        watches = list(_WATCHES.values())
        _WATCHES.clear()
    for one in watches:
        one.stop()
