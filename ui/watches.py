"""The threads that notice another process's write to the app's store, for ui/refresh.py:
`Watch` looks at a DuckDB file (and /proc/locks: who holds it, whether a command is at work
on it), `ServerWatch` waits on the PostgreSQL store's listener (metrics/store/postgres_changes.py).
Each calls `on_change` (ui/refresh.py's `refresh`) once a change is free to read and a page
has run lately; when that is, and what it costs others, is ui/refresh.py's docstring."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from metrics.store.on_disk import in_use_elsewhere, look

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
# PostgreSQL (ServerWatch): how long one wait for the listener lasts (a stop is heard within it).
LISTEN_SECONDS = 0.5


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
