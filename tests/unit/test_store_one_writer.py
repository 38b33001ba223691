"""`store.connection.one_writer`: writers of one kind one at a time, on either backend."""

from __future__ import annotations

import threading
import time

import pytest

from metrics.store.connection import StoreBusy, one_writer


def test_a_writer_waits_its_turn_past_the_pools_lock_timeout_and_is_refused_plainly_after_its_wait(
    store,
):
    """PostgreSQL's pool ends any lock wait after 5 s (for row locks): the advisory lock's
    wait ended with it, and a second return of the same kind was refused as 'the database
    server could not be used'. It now waits its own time, and is then refused in plain words."""
    held, release = threading.Event(), threading.Event()

    def first() -> None:
        with store.connect() as con, one_writer(con, "needs returns"):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=first)
    holder.start()
    try:
        assert held.wait(30)
        with store.connect() as con:
            busy = pytest.raises(StoreBusy, match="Other needs returns were still being stored")
            with busy, one_writer(con, "needs returns", wait=1.0):
                pass
            with one_writer(con, "finance returns", wait=1.0):  # another kind: no wait
                pass
        threading.Timer(6.5, release.set).start()
        start = time.monotonic()
        with store.connect() as con, one_writer(con, "needs returns", wait=30):
            waited = time.monotonic() - start
        assert waited > 5.5  # past the pool's 5 s, in once the first was done
    finally:
        release.set()
        holder.join(30)
