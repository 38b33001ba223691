"""On PostgreSQL a server hears another process's write as it commits (a notification sent
with the commit: metrics/store/postgres_changes.py) and works out what the pages read first,
as a DuckDB server does by watching its file (ui/refresh.py's ServerWatch). A real
PostgreSQL cluster, a real `python -m metrics load` in a process of its own."""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
import streamlit as st

from metrics.assess.rollup import charter_status
from metrics.partners.quality import quality
from metrics.periods.text import parse_period
from metrics.store import postgres, postgres_changes
from metrics.store.changes import Versions
from metrics.store.connection import Store, transaction
from metrics.store.postgres import close_pool
from metrics.store.postgres_changes import APPLICATION, Listener, listener
from tests.conftest import ROOT, demo_copies_for
from ui import reads, refresh, watches
from ui.read_keys import QUARTERS, data_key


@pytest.fixture
def pg_demo(tmp_path_factory, charter, request) -> Iterator[str]:
    """A private copy of the demo in PostgreSQL: its URL."""
    copies = demo_copies_for("postgresql", tmp_path_factory, charter, request)
    url = str(copies.copy())
    try:
        yield url
    finally:
        copies.drop(url)


@pytest.fixture
def app_on(monkeypatch) -> Callable[[str], None]:
    def use(url: str) -> None:
        monkeypatch.delenv("OUTCOMES_DB", raising=False)
        monkeypatch.setenv("OUTCOMES_DATABASE_URL", url)
        st.cache_resource.clear()  # the app's store is this database; shared reads afresh

    return use


def load_elsewhere(url: str, folder: Path, quarter: str) -> None:
    """An analyst's load in a process of its own."""
    path = folder / "return.csv"
    path.write_text(f"indicator,period,value\nshort-breaks-receiving,{quarter},411\n")
    command = [sys.executable, "-m", "metrics", "load", str(path), "--db", url, "--user", "t"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


_labels = itertools.count(1)


def write(url: str, then_fail: bool = False) -> None:
    """A write through the store (a period of its own), committed or rolled back."""
    sql = "INSERT INTO periods VALUES ($label, 'quarter', DATE '2001-01-01', DATE '2001-03-31')"
    with Store(url).connect() as con, transaction(con):
        con.execute(sql, {"label": f"test {next(_labels)}"})
        if then_fail:
            raise RuntimeError("rolled back")


def listeners(url: str) -> int:
    """The connections to `url`'s database listening on the store's channel."""
    name = url.split("?")[0].rsplit("/", 1)[-1]
    with psycopg.connect(url, autocommit=True) as con:
        sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s"
        return con.execute(sql, [name, APPLICATION]).fetchall()[0][0]


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


@pytest.fixture
def listening(pg_url) -> Iterator[Listener]:
    """A listener on the test's database, connected."""
    found = Listener(pg_url)
    try:
        wait_for(lambda: found.listening, "the listener did not connect")
        yield found
    finally:
        found.close()


def end_listeners(url: str) -> None:
    """The server ends the database's listening connections, as a restart would."""
    name = url.split("?")[0].rsplit("/", 1)[-1]
    sql = (
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND application_name = %s"
    )
    with psycopg.connect(url, autocommit=True) as admin:
        ended = admin.execute(sql, [name, APPLICATION]).fetchall()
    assert ended == [(True,)]


def unannounced_write(url: str) -> None:
    """A data version added without a notification (as no write of ours does): what shows
    whether the versions were asked of the server or kept."""
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("INSERT INTO data_changes (changed_at) VALUES (current_timestamp)")


def test_a_listener_hears_committed_writes_only(pg_url, listening, tmp_path):
    assert listening.heard == 0  # its own connecting is no change
    write(pg_url)
    wait_for(lambda: listening.heard == 1, "a committed write was not heard")
    with pytest.raises(RuntimeError):
        write(pg_url, then_fail=True)
    time.sleep(0.5)
    assert listening.heard == 1  # a rollback notifies nobody
    write(pg_url)
    write(pg_url)
    wait_for(lambda: listening.heard == 3, "two writes were not both heard")
    load_elsewhere(pg_url, tmp_path, "2001-02 Q3")  # another process's commit
    wait_for(lambda: listening.heard >= 4, "another process's write was not heard")
    assert listener(pg_url) is listening
    listening.close()
    assert listener(pg_url) is None
    wait_for(lambda: listeners(pg_url) == 0, "the listener's connection was left open")


def test_a_listener_cut_off_by_the_server_comes_back_and_counts_its_return(pg_url, listening):
    """A write may commit while the listener is away: its return is heard as a change."""
    end_listeners(pg_url)
    wait_for(lambda: listening.heard == 1, "the listener's return was not heard")
    assert listening.listening
    write(pg_url)
    wait_for(lambda: listening.heard == 2, "a write after the return was not heard")


@pytest.fixture
def kept_long(monkeypatch) -> None:
    """Kept versions kept for as long as the test takes (a slow machine's second would
    otherwise let them be asked again, and a test of keeping pass without it)."""
    monkeypatch.setattr(postgres_changes, "KEEP_SECONDS", 600.0)


def test_the_versions_are_kept_while_nothing_is_heard(pg_url, listening, kept_long, tmp_path):
    store = Store(pg_url)
    first = store.versions()
    unannounced_write(pg_url)
    assert store.versions() == first  # kept: nothing was heard
    with store.connect() as con:  # the store's reads (metrics/store/remembered.py) too
        assert con.versions() == first
    write(pg_url)  # this process's own write: seen at once, not when it is heard
    mine = store.versions()
    assert mine.latest == first.latest + 2
    load_elsewhere(pg_url, tmp_path, "2001-02 Q3")
    wait_for(lambda: store.versions().latest > mine.latest, "another's write was not seen")
    with store.connect() as con:
        assert con.versions() == store.versions()


class RolledBack(Exception):
    pass


def test_versions_read_in_a_transaction_are_its_own_and_not_kept(pg_url, listening, kept_long):
    """A transaction's snapshot may be older than the latest commit: what it reads is not
    kept for the process, and inside it a connection reads its own, not the kept ones."""
    store = Store(pg_url)
    with pytest.raises(RolledBack), store.connect() as con, transaction(con):
        con.execute("SELECT count(*) FROM periods").fetchall()  # its snapshot starts here
        unannounced_write(pg_url)
        inside = store.versions()
        raise RolledBack
    outside = store.versions()
    assert outside.latest == inside.latest + 1
    assert store.versions() == outside  # kept now
    unannounced_write(pg_url)
    with store.connect() as con, transaction(con):
        assert con.versions().latest == outside.latest + 1  # not the kept ones


def in_another_thread(work: Callable[[], object]) -> None:
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=30)


def test_a_transaction_does_not_take_newer_kept_versions(pg_url, listening, kept_long):
    """Another thread keeps versions newer than this thread's transaction's snapshot: inside
    the transaction the store says the snapshot's, as its reads see it."""
    store = Store(pg_url)
    with store.connect() as con, transaction(con):
        con.execute("SELECT count(*) FROM periods").fetchall()  # its snapshot starts here
        mine = store.versions()
        in_another_thread(lambda: write(pg_url))  # committed (this thread would share its
        wait_for(lambda: listening.heard == 1, "the write was not heard")  # transaction)
        newer: list[Versions] = []
        in_another_thread(lambda: newer.append(store.versions()))  # read there, and kept
        assert newer and newer[0].latest == mine.latest + 1
        assert store.versions() == mine  # the snapshot's, not the kept newer ones
        assert con.versions() == mine
    assert store.versions().latest > newer[0].latest  # outside it: its own commit too


def test_kept_versions_are_asked_again_after_keep_seconds(pg_url, listening):
    """However notifications might be lost, a page is stale by KEEP_SECONDS at most."""
    store = Store(pg_url)
    first = store.versions()
    unannounced_write(pg_url)
    started = time.monotonic()
    wait_for(lambda: store.versions() != first, "kept versions were never asked again", 10)
    assert time.monotonic() - started <= postgres_changes.KEEP_SECONDS + 1.0


def test_another_listener_connecting_is_no_change(pg_url, listening):
    """Each listener notifies itself as it connects (its probe); the others hear that, and
    must not take it for a write."""
    other_url = pg_url + "&sslmode=disable"  # the same database, another server's listener
    other = Listener(other_url)
    try:
        wait_for(lambda: other.listening, "the second listener did not connect")
        time.sleep(0.3)
        assert listening.heard == 0 and other.heard == 0
        write(pg_url)
        wait_for(lambda: listening.heard == 1 and other.heard == 1, "a write was not heard")
    finally:
        other.close()


def test_the_versions_are_asked_without_a_listener_or_while_it_is_away(pg_url, monkeypatch):
    store = Store(pg_url)
    first = store.versions()
    unannounced_write(pg_url)
    assert store.versions().latest == first.latest + 1  # nobody listening: asked
    found = Listener(pg_url)
    try:
        wait_for(lambda: found.listening, "the listener did not connect")
        seen = store.versions()
        monkeypatch.setattr(found, "listening", False)  # as while it reconnects
        unannounced_write(pg_url)
        assert store.versions().latest == seen.latest + 1
    finally:
        found.close()
    unannounced_write(pg_url)
    assert store.versions().latest == seen.latest + 2  # closed: asked again


def test_another_processs_load_is_read_before_anyone_asks(pg_demo, app_on, charter, tmp_path):
    app_on(pg_demo)
    store = Store(pg_demo)
    before = store.versions().latest
    days = {date.today()}  # the quality's key has the day it was read (a run across midnight)
    watch = watches.ServerWatch(store.listen, refresh.refresh)
    try:  # listening before the load: a notification is not kept for later listeners
        wait_for(lambda: watch.listener.listening, "the watch did not listen")
        load_elsewhere(pg_demo, tmp_path, "2001-02 Q3")
        wait_for(lambda: watch.changes > 0, "the load's notification was not heard", 60)
        quarters = reads._quarters(*data_key(*QUARTERS))
        # Asked without working anything out (the load may have committed more than once:
        # the key is the last one's)
        wait_for(
            lambda: reads._status.holds(*data_key(), quarters[0]),
            "the statuses were not read ahead",
        )
        key = data_key()
        latest = Store(pg_demo).versions().latest
        assert key[1] == latest > before
        days.add(date.today())
        held = [d for d in days if reads._quality.holds(*key, quarters[0], d)]
        assert held, "the quarter's data quality was not read ahead"
    finally:
        watch.stop()
    wait_for(lambda: listeners(pg_demo) == 0, "the watch's connection was left open")
    fresh = charter_status(Store(pg_demo), charter, parse_period(quarters[0]))
    assert reads._status(*key, quarters[0]) == fresh
    assert reads._quality(*key, quarters[0], held[0]) == quality(
        Store(pg_demo), charter, quarters[0], held[0]
    )


def test_a_server_nobody_uses_leaves_a_change_to_its_next_visitor(pg_url, app_on):
    app_on(pg_url)
    asked: list[int] = []
    watch = watches.ServerWatch(Store(pg_url).listen, lambda: bool(asked.append(1)) or True)
    watch.visited -= watches.ACTIVE_SECONDS + 1
    try:
        wait_for(lambda: watch.listener.listening, "the watch did not listen")
        write(pg_url)
        wait_for(lambda: watch.listener.heard == 1, "the write was not heard")
        time.sleep(0.5)
    finally:
        watch.stop()
    assert asked == [] and watch.changes == 0


def test_a_server_lost_and_back_is_read_once_and_then_its_writes(pg_url, app_on, tmp_path):
    """The database server restarting (here: the listener's connection ended) costs a
    warning and a later try, never the watch; back, it reads once, since a write may have
    been missed; and a write after its return is read."""
    app_on(pg_url)
    asked: list[int] = []
    watch = watches.ServerWatch(Store(pg_url).listen, lambda: bool(asked.append(1)) or True)
    try:
        wait_for(lambda: watch.listener.listening, "the watch did not listen")
        time.sleep(2 * watches.QUIET_SECONDS)
        assert asked == []  # connecting is no change
        end_listeners(pg_url)
        wait_for(lambda: asked == [1], "the watch did not read after the server's return")
        write(pg_url)
        wait_for(lambda: len(asked) == 2, "a write after the return was not read")
    finally:
        watch.stop()
    wait_for(lambda: listeners(pg_url) == 0, "the watch's connection was left open")


@pytest.fixture
def without_notify(pg_cluster, pg_url) -> Iterator[str]:
    """The test's database reached as a role that may not call pg_notify: its URL."""
    role = f"no_notify_{time.monotonic_ns()}"
    pg_cluster.admin(f"CREATE ROLE {role} LOGIN")
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("REVOKE EXECUTE ON FUNCTION pg_notify(text, text) FROM PUBLIC")
        con.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        con.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
    url = pg_url.replace("postgres@", f"{role}@")
    try:
        yield url
    finally:
        postgres_changes_close(url)
        close_pool(url)
        pg_cluster.drop(pg_url)  # (the role's connections with it) before the role goes
        pg_cluster.admin(f"DROP ROLE {role}")


def postgres_changes_close(url: str) -> None:
    found = listener(url)
    if found is not None:
        found.close()


def test_a_listener_that_cannot_hear_fails_closed_and_waits_between_tries(without_notify, caplog):
    """Its probe cannot be sent (no pg_notify for the app's role; as on a standby): it never
    trusts the connection, so the versions are asked every time; it says so once, and
    tries again after 1 s, then 2 s, ..., not in a loop."""
    found = Listener(without_notify)
    try:
        time.sleep(2.5)
        assert not found.listening
        assert found._probes <= 3  # tries at 0, 1 and 3 s; a loop would make hundreds
        store = Store(without_notify)
        first = store.versions()
        unannounced_write(without_notify)
        assert store.versions().latest == first.latest + 1  # asked, not kept
    finally:
        found.close()
    said = [r.getMessage() for r in caplog.records if r.name == postgres_changes.__name__]
    assert len(said) == 1 and "pg_notify" in said[0], said


def test_threads_asking_a_server_that_does_not_answer_do_not_queue(pg_url, listening, monkeypatch):
    """Threads finding the kept versions stale ask once between them; but when that asking
    hangs (here: a session holding the versions' table locked, each asking given up after
    the lock timeout), the others ask for themselves rather than queue behind it one lock
    timeout after another."""
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_MS", 1000)  # set on the pool's connections
    store = Store(pg_url)
    store.versions()
    write(pg_url)  # this process's write: the kept versions are stale
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            store.versions()
        except BaseException as err:  # the lock timeout, said as the store says it
            errors.append(err)

    with psycopg.connect(pg_url) as holder:  # a transaction holding the table
        holder.execute("LOCK TABLE data_changes IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        threads = [threading.Thread(target=ask) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        took = time.monotonic() - started
        holder.rollback()
    assert len(errors) == 4, errors
    assert took < 3.0, f"the askings queued: {took:.1f} s for four 1 s lock timeouts"
    assert store.versions().latest >= 1  # and asked again once the table is free
