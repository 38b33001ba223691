"""Making packs one after another: at most OUTCOMES_PACK_BUILDS at once on this server (1
unless set), at most WAITING
more in the queue, and one per person (running or waiting). Three packs for a quarter with
3,000 actions made at once took the server to 2.7 GB; one at a time, a pack stays within
1 GB (`make bench`, "planning-group pack ... peak memory").

A pack waits its turn in the order it was asked for, saying how many are ahead of it; a person
who asks for a second pack while the first is being made, or anyone when the queue is full,
is told so plainly and nothing is made.

With several app servers on one PostgreSQL database (issue 29) the queue is still each
server's (memory is each server's own), but two rules hold across all of them, through named
locks in the database (metrics/store/locks.py): one pack per person, whichever server they
ask, and the same pack (kind, quarter, audience) made by one server at a time: another server
asked for it waits, saying so, rather than making it a second time at the same moment. On a
DuckDB file the app is one process, and the same rules hold in it.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from metrics.access.writing import ReviewError
from metrics.config import pack_builds
from metrics.store.connection import Store
from metrics.store.locks import holding

WAITING = 4  # more than this waiting: "try again in a few minutes"
SAY_EVERY = 5.0  # seconds between "still waiting" lines
ASK_AGAIN = 0.5  # seconds between asks whether another server has finished the same pack
ALREADY = "You are already making a pack: wait for it to finish, then make the next."


class PackBusy(ReviewError):
    """The pack cannot be queued now; the message says why and what to do."""


class PackQueue:
    """Turns to make a pack, first come first served."""

    def __init__(self, running: int | None = None, waiting: int = WAITING):
        # None: OUTCOMES_PACK_BUILDS (metrics/config.py), read when the first pack asks, so
        # that a wrong value locks the app (ui/access.py) rather than failing this import
        self._running, self.waiting = running, max(0, waiting)
        self._lock = threading.Condition()
        self._tickets = itertools.count()
        self._queue: list[tuple[int, str]] = []  # (ticket, person) waiting, in order
        self._busy: dict[int, str] = {}  # ticket -> person, being made

    @property
    def running(self) -> int:
        """Packs made at once on this server."""
        if self._running is None:
            self._running = pack_builds()
        return max(1, self._running)

    def people(self) -> set[str]:
        with self._lock:
            return {p for _, p in self._queue} | set(self._busy.values())

    @contextmanager
    def turn(
        self,
        person: str,
        progress: Callable[[str], None],
        store: Store | None = None,
        pack: str = "",
    ) -> Iterator[None]:
        """Wait for a turn to make `person`'s pack (saying how many are ahead), make it inside
        the block, and give the turn to the next when the block ends, however it ends. Given
        the `store`, the person's one pack and the same `pack` (its name) made once at a time
        hold across every app server using that store."""
        with holding(store) if store is not None else nullcontext() as shared:
            if shared is not None and not shared.take(f"pack for {person}"):
                raise PackBusy(ALREADY)
            with self._here(person, progress):
                if shared is not None and pack:
                    said = False
                    while not shared.take(f"pack {pack}"):
                        if not said:
                            progress("Waiting for another app server to finish making this "
                                     "same pack")  # fmt: skip
                            said = True
                        time.sleep(ASK_AGAIN)
                yield

    @contextmanager
    def _here(self, person: str, progress: Callable[[str], None]) -> Iterator[None]:
        """A turn on this server's own queue."""
        with self._lock:
            if person in {p for _, p in self._queue} or person in self._busy.values():
                raise PackBusy(ALREADY)
            if len(self._queue) >= self.waiting and len(self._busy) >= self.running:
                raise PackBusy(
                    f"{len(self._busy) + len(self._queue)} packs are being made or waiting on "
                    "this server. Try again in a few minutes."
                )
            ticket = next(self._tickets)
            self._queue.append((ticket, person))
            said = -1
            try:
                while not (len(self._busy) < self.running and self._queue[0][0] == ticket):
                    ahead = len(self._busy) + [t for t, _ in self._queue].index(ticket)
                    if ahead != said:
                        progress(f"Waiting for {ahead} pack{'s' if ahead != 1 else ''} ahead "
                                 "of yours to be made")  # fmt: skip
                        said = ahead
                    self._lock.wait(SAY_EVERY)
            except BaseException:
                self._queue = [(t, p) for t, p in self._queue if t != ticket]
                self._lock.notify_all()
                raise
            self._queue.pop(0)
            self._busy[ticket] = person
        try:
            yield
        finally:
            with self._lock:
                del self._busy[ticket]
                self._lock.notify_all()


QUEUE = PackQueue()
