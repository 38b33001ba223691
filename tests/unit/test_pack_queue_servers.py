"""The pack queue's "once" across app servers (issue 29): two processes on one PostgreSQL
database, as two app servers are. Each queue is its own server's (memory is per server), but
one pack per person and the same pack made by one server at a time hold across both, through
named locks in the database (metrics/store/locks.py). The other "server" is a real process
making a real pack through `packs.make`, held at its first step until the test lets it go."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from metrics import packs as pack
from metrics.access.people import MEMBER, Actor
from metrics.packs.queue import PackBusy, PackQueue
from metrics.store.connection import Store
from metrics.store.locks import holding

ROOT = Path(__file__).resolve().parents[2]
Q = "2026-27 Q2"
WAITING_ELSEWHERE = "Waiting for another app server to finish making this same pack"

# The other app server: makes `audience`'s pack for `person`, says "making" when its build
# has begun, and stops there when the test writes a line (the build itself is not the point).
OTHER_SERVER = """
import sys
from charter import load_charter
from metrics import packs as pack
from metrics.access.people import MEMBER, Actor
from metrics.store.connection import Store

url, person, audience = sys.argv[1:4]

def progress(words):
    if words.startswith("Gathering"):
        print("making", flush=True)
        sys.stdin.readline()
        raise SystemExit(0)

reader = Actor(person, person, f"{person}@x.example", "app", frozenset({MEMBER}))
pack.make(Store(url), load_charter(), "2026-27 Q2", audience, ("html",), reader,
          progress=progress, queue=pack.PackQueue())
"""


def person(name: str) -> Actor:
    return Actor(name, name, f"{name}@x.example", "app", frozenset({MEMBER}))


class OtherServer:
    def __init__(self, url: str, who: str, audience: str):
        self.process = subprocess.Popen(
            [sys.executable, "-c", OTHER_SERVER, url, who, audience],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        assert line.strip() == "making", self.process.stderr.read() if self.process.stderr else ""

    def finish(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("done\n")
        self.process.stdin.flush()
        assert self.process.wait(60) == 0

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(60)


def stopped_at_gathering(said: list[str]):
    def progress(words: str) -> None:
        said.append(words)
        if words.startswith("Gathering"):
            raise RuntimeError("begun")

    return progress


def make_in_thread(store: Store, charter, who: str, audience: str, said: list[str]):
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            pack.make(store, charter, Q, audience, ("html",), person(who),
                      progress=stopped_at_gathering(said), queue=PackQueue())  # fmt: skip
        except BaseException as err:  # the test reads what it was
            outcome.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_the_same_pack_is_made_by_one_app_server_at_a_time(pg_url, charter):
    store = Store(pg_url)
    other = OtherServer(pg_url, "alice", pack.SCRUTINY)
    try:
        said: list[str] = []
        thread, outcome = make_in_thread(store, charter, "bob", pack.SCRUTINY, said)
        wait_for(lambda: WAITING_ELSEWHERE in said)
        time.sleep(1)
        assert said == [WAITING_ELSEWHERE]  # waiting: not begun while the other makes it
        other.finish()
        thread.join(60)
        assert said == [WAITING_ELSEWHERE, "Gathering the figures, commentary and actions"]
        assert str(outcome[0]) == "begun"
    finally:
        other.process.kill()


def test_another_pack_is_not_held_up_by_one_being_made_elsewhere(pg_url, charter):
    other = OtherServer(pg_url, "alice", pack.SCRUTINY)
    try:
        said: list[str] = []
        thread, outcome = make_in_thread(Store(pg_url), charter, "bob", pack.PLANNING_GROUP, said)
        thread.join(60)
        assert said == ["Gathering the figures, commentary and actions"]
        assert str(outcome[0]) == "begun"
    finally:
        other.finish()


def test_one_pack_per_person_whichever_app_server_they_ask(pg_url, charter):
    other = OtherServer(pg_url, "alice", pack.SCRUTINY)
    try:
        with pytest.raises(PackBusy, match="You are already making a pack"):
            pack.make(Store(pg_url), charter, Q, pack.PLANNING_GROUP, ("html",),
                      person("alice"), queue=PackQueue())  # fmt: skip
    finally:
        other.finish()


def test_an_app_server_killed_while_making_a_pack_does_not_hold_it_for_ever(pg_url, charter):
    other = OtherServer(pg_url, "alice", pack.SCRUTINY)
    other.kill()  # PostgreSQL ends its session, and with it the locks it held
    said: list[str] = []
    thread, outcome = make_in_thread(Store(pg_url), charter, "alice", pack.SCRUTINY, said)
    thread.join(30)
    assert said[-1] == "Gathering the figures, commentary and actions"
    assert str(outcome[0]) == "begun"


def test_on_a_duckdb_file_the_same_rules_hold_in_the_one_process(store):
    """The DuckDB fallback: one writer process, so a lock in the process is "once"."""
    with holding(store) as first, holding(store) as second:
        assert first.take("pack meeting Q2 scrutiny")
        assert not second.take("pack meeting Q2 scrutiny")
        assert first.take("pack meeting Q2 scrutiny")  # its own: still held
        assert second.take("pack meeting Q2 planning group")
    with holding(store) as third:
        assert third.take("pack meeting Q2 scrutiny")  # let go when the block ended
