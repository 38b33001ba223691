"""A server reads another process's write as soon as it is made (ui/refresh.py): the versions,
the quarters and the latest quarter's statuses and data quality are in the pages' caches
before anyone opens a page. Real DuckDB files, a real `python -m metrics load` in a process
of its own."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
import streamlit as st

from metrics.assess.rollup import charter_status
from metrics.partners.quality import quality
from metrics.periods.text import parse_period
from metrics.store import on_disk
from metrics.store.connection import Store
from tests.conftest import ROOT
from ui import reads, refresh, watches
from ui.read_keys import QUARTERS, data_key


def load_elsewhere(db: Path, folder: Path, quarter: str) -> None:
    """An analyst's load in a process of its own, as a scheduled load runs beside the app."""
    path = folder / "return.csv"
    path.write_text(f"indicator,period,value\nshort-breaks-receiving,{quarter},411\n")
    command = [sys.executable, "-m", "metrics", "load", str(path), "--db", str(db), "--user", "t"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_another_processs_load_is_read_before_anyone_asks(
    demo_store, charter, monkeypatch, tmp_path
):
    monkeypatch.setenv("OUTCOMES_DB", str(demo_store.path))
    st.cache_resource.clear()  # the app's store is this copy; every shared read starts afresh
    before = demo_store.versions().latest
    started = datetime.now()
    days = {date.today()}  # the quality's key has the day it was read (a run across midnight)
    watch = watches.Watch(demo_store.path, refresh.refresh)
    try:
        load_elsewhere(demo_store.path, tmp_path, "2001-02 Q3")
        deadline = time.monotonic() + 60
        while watch.changes == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert watch.changes, "the load's change to the file was not seen"
        latest = Store(demo_store.path).versions().latest
        assert latest > before
        # Asked without working anything out: it was worked out for the new version already.
        key = data_key()
        assert key[1] == latest
        quarters = reads._quarters(*data_key(*QUARTERS))
        assert reads._status.holds(*key, quarters[0])
        days.add(date.today())
        held = [d for d in days if reads._quality.holds(*key, quarters[0], d)]
        assert held, "the quarter's data quality was not read ahead"
        time.sleep(1)  # its own opening and letting go: read again once, then still
        assert watch.changes <= 2
    finally:
        watch.stop()
    with demo_store.connect() as con:  # the statuses it worked out: in memory, not the store
        sql = "SELECT count(*) FROM statuses_kept WHERE made_at >= $at"
        assert con.execute(sql, {"at": started}).fetchall()[0][0] == 0
    fresh = charter_status(Store(demo_store.path), charter, parse_period(quarters[0]))
    assert reads._status(*key, quarters[0]) == fresh
    assert reads._quality(*key, quarters[0], held[0]) == quality(
        Store(demo_store.path), charter, quarters[0], held[0]
    )


def test_a_quiet_file_is_only_looked_at(demo_store, monkeypatch):
    """Looking is all a quiet file costs: no refresh without a change."""
    monkeypatch.setenv("OUTCOMES_DB", str(demo_store.path))
    st.cache_resource.clear()
    asked: list[int] = []
    watch = watches.Watch(demo_store.path, lambda: bool(asked.append(1)) or True)
    try:
        time.sleep(5 * watches.IDLE_POLL_SECONDS)
    finally:
        watch.stop()
    assert asked == [] and watch.changes == 0


def test_a_quiet_file_is_looked_at_slowly_a_changed_one_often(monkeypatch, tmp_path):
    """Ten looks a second at a quiet file (fifty cost 16 ms of CPU a second while the server
    was in use), fifty once it has changed, until the change is read: here a file that
    keeps changing, as while a load writes it."""
    looks: list[float] = []
    changed = {"now": False}

    def looked(_file: Path) -> tuple[object, ...]:
        looks.append(time.monotonic())
        return ((1, 2, 3, len(looks)),) if changed["now"] else ((1, 2, 3, 0),)

    monkeypatch.setattr(watches, "look", looked)
    watch = watches.Watch(tmp_path / "store.duckdb", lambda: False)  # never still: not read
    try:
        time.sleep(5 * watches.IDLE_POLL_SECONDS)
        quiet = len(looks)
        changed["now"] = True
        time.sleep(5 * watches.IDLE_POLL_SECONDS)
        busy = len(looks) - quiet
    finally:
        watch.stop()
    assert 1 <= quiet <= 7  # every 0.1 s at most (a wait is never shorter than asked)
    assert busy > 8  # every 20 ms: 25 in the half second on an idle machine


def test_only_a_server_watches(fresh):
    """AppTest's runtime is a stand-in: its pages start no watch (their tests ask for what
    they read, and a thread reading in the background would make their counts uncertain)."""
    fresh().run()
    assert refresh._WATCHES == {}
    assert refresh.watch() is None


def test_a_server_nobody_uses_leaves_a_change_to_its_next_visitor(
    demo_store, monkeypatch, tmp_path
):
    """Night-time imports and reminders run alone: no page for ACTIVE_SECONDS, no refresh."""
    monkeypatch.setenv("OUTCOMES_DB", str(demo_store.path))
    st.cache_resource.clear()
    watch = watches.Watch(demo_store.path, refresh.refresh)
    watch.visited -= watches.ACTIVE_SECONDS + 1
    try:
        load_elsewhere(demo_store.path, tmp_path, "2001-02 Q3")
        time.sleep(1)
    finally:
        watch.stop()
    assert watch.changes == 0


def test_a_file_another_process_holds_is_not_waited_for(demo_store, monkeypatch):
    monkeypatch.setenv("OUTCOMES_DB", str(demo_store.path))
    st.cache_resource.clear()
    holding = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
        "print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", holding, str(demo_store.path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert refresh.refresh() is False  # at once: the holder has 60 s to go
        assert holder.poll() is None
    finally:
        holder.kill()
        holder.wait()
    assert refresh.refresh() is True


def test_a_file_taken_away_is_not_made_again(demo_store, monkeypatch):
    """An operator moving the file aside to restore it: the watch never makes an empty one."""
    monkeypatch.setenv("OUTCOMES_DB", str(demo_store.path))
    st.cache_resource.clear()
    watch = watches.Watch(demo_store.path, refresh.refresh)
    try:
        demo_store.path.rename(demo_store.path.with_suffix(".aside"))
        time.sleep(1)
        assert not demo_store.path.exists()
        assert refresh.refresh() is True and not demo_store.path.exists()
    finally:
        watch.stop()
        demo_store.path.with_suffix(".aside").rename(demo_store.path)


def test_a_file_that_cannot_be_used_is_not_taken_for_busy(tmp_path, monkeypatch):
    """A schema newer than this program (or a broken file) is said, not tried again and
    again as if another process held the file (which kept it open for good)."""
    from metrics.store.connection import StoreError, transaction
    from metrics.store.keeper import KEEPER

    path = tmp_path / "newer.duckdb"
    with Store(path).connect() as con, transaction(con):
        con.execute("INSERT INTO schema_version VALUES (999, now())")
    monkeypatch.setenv("OUTCOMES_DB", str(path))
    st.cache_resource.clear()
    with pytest.raises(StoreError, match="newer than this program"):
        refresh.refresh()
    time.sleep(0.5)  # the kept connection's linger (0.3 s): nothing holds it after
    assert not KEEPER.is_open(str(path))


def test_the_quarter_read_ahead_is_the_one_a_page_opens_on():
    """The picker, the read-ahead and the server's reading of a load share one rule: the
    latest complete quarter with figures, else the latest with any."""
    from metrics.ingest.template import latest_complete_quarter
    from metrics.periods.text import parse_period as period
    from ui.context import default_quarter

    done = latest_complete_quarter()
    under_way, before = done.shift(1).label, done.shift(-1).label
    assert default_quarter([under_way, done.label, before]) == done.label
    assert default_quarter([under_way, before]) == under_way
    assert default_quarter([]) is None
    assert period(under_way).start > period(done.label).start


WRITES_AT_WORK = (
    "import sys, duckdb\n"
    "from pathlib import Path\n"
    "from metrics.store.on_disk import command_at_work\n"
    "with command_at_work(Path(sys.argv[1])):\n"
    "    con = duckdb.connect(sys.argv[1])\n"
    "    con.execute('CREATE TABLE IF NOT EXISTS t (x INTEGER)')\n"
    "    con.execute('INSERT INTO t VALUES (1)')\n"
    "    con.close()\n"
    "    print('written', flush=True)\n"
    "    sys.stdin.readline()\n"
    "print('done', flush=True)\n"
    "sys.stdin.readline()\n"
)


class _Command:
    """A command in a process of its own that writes the file, lets go of it and stays at
    work (as a load between its check and its store) until told to end."""

    def __init__(self, file: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WRITES_AT_WORK, str(file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self._said() == "written"

    def _said(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def next(self) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return self._said()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)


def _until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return bool(condition())


@contextmanager
def _watching_a_command(tmp_path: Path) -> Iterator[tuple[list[float], _Command]]:
    """A store made before the watch looks, the watch (each read's time), and a command
    that writes it, lets go of it and stays at work."""
    file = tmp_path / "s.duckdb"
    Store(file).versions()
    read: list[float] = []
    watch = watches.Watch(file, lambda: bool(read.append(time.monotonic())) or True)
    command = _Command(file)
    try:
        yield read, command
    finally:
        command.close()
        watch.stop()


def test_a_commands_change_is_read_when_it_ends_not_while_it_is_at_work(tmp_path):
    """The file written, let go of and still for many times QUIET_SECONDS: the command may
    open it again, so the watch waits; the moment the command ends, it reads the change."""
    with _watching_a_command(tmp_path) as (read, command):
        time.sleep(10 * watches.QUIET_SECONDS)
        assert read == []  # still at work, though the file has been free and still
        asked = time.monotonic()  # the command ends after this
        assert command.next() == "done"
        assert _until(lambda: bool(read))
        assert read[0] >= asked


def test_where_locks_cannot_be_seen_a_quiet_file_is_read_as_before(tmp_path, monkeypatch):
    """Not Linux (no /proc/locks): the change is read once the file has been still for
    QUIET_SECONDS, whatever the command is doing."""
    monkeypatch.setattr(on_disk, "LOCKS", tmp_path / "no-such-locks")
    with _watching_a_command(tmp_path) as (read, command):
        assert _until(lambda: bool(read))  # while the command is still at work
        assert command.process.poll() is None


def test_a_command_at_work_for_long_holds_a_change_back_no_longer(tmp_path, monkeypatch):
    """A command left at work (a read-only one left open, one stopped with Ctrl-Z) with the
    file free and still: after AT_WORK_SECONDS the change is read as before."""
    monkeypatch.setattr(watches, "AT_WORK_SECONDS", 2.0)
    with _watching_a_command(tmp_path) as (read, command):
        time.sleep(0.5)
        assert read == []  # free and still, but not yet for AT_WORK_SECONDS
        assert _until(lambda: bool(read))  # while the command is still at work
        assert command.process.poll() is None


def _counted(looks: list[float], start: float, end: float) -> int:
    """Looks from `start` to `end` seconds after the first."""
    return sum(start <= t - looks[0] < end for t in looks)


def _counting(monkeypatch) -> list[float]:
    """The time of every look the watch takes (the real look, counted)."""
    looks: list[float] = []
    original = watches.look

    def looked(at: Path) -> tuple[object, ...]:
        looks.append(time.monotonic())
        return original(at)

    monkeypatch.setattr(watches, "look", looked)
    return looks


def test_a_command_at_work_is_looked_at_often_at_first_then_as_an_idle_file(tmp_path, monkeypatch):
    """Its end is seen within POLL_SECONDS while it is new; a command left at work for long
    costs no more than a quiet file (fifty looks a second, each reading /proc/locks, would)."""
    monkeypatch.setattr(watches, "AT_WORK_SECONDS", 1.0)
    file = tmp_path / "s.duckdb"
    Store(file).versions()
    command = _Command(file)  # written before the watch starts: no change for it to read
    looks = _counting(monkeypatch)
    watch = watches.Watch(file, lambda: True)
    try:
        assert _until(lambda: bool(looks) and looks[-1] - looks[0] > 2.1)
        assert command.process.poll() is None and watch.changes == 0
    finally:
        command.close()
        watch.stop()
    assert _counted(looks, 0, 0.6) > 10  # every 20 ms: about 30 on an idle machine
    assert _counted(looks, 1.5, 2.1) <= 7  # every 0.1 s at most


HOLDS_IT = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "con.execute('CREATE TABLE t (x INTEGER)')\n"
    "con.execute('INSERT INTO t VALUES (1)')\n"
    "con.execute('CHECKPOINT')\n"
    "print('written', flush=True)\n"
    "sys.stdin.readline()\n"
)


def test_a_change_another_process_keeps_held_is_looked_at_as_idle_after_a_while(
    tmp_path, monkeypatch
):
    """A process that wrote and keeps the file open (stopped with Ctrl-Z, say): the change
    waits for it, looked at often only for AT_WORK_SECONDS, then as a quiet file."""
    monkeypatch.setattr(watches, "AT_WORK_SECONDS", 1.0)
    file = tmp_path / "s.duckdb"
    Store(file).versions()
    looks = _counting(monkeypatch)
    watch = watches.Watch(file, lambda: True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDS_IT, str(file)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "written"
        written = time.monotonic()
        assert _until(lambda: looks[-1] - written > 2.2)
        assert watch.changes == 0  # held: never opened under it
    finally:
        holder.communicate("\n", timeout=30)
        watch.stop()
    after = [t for t in looks if t >= written]
    assert _counted(after, 0, 0.6) > 10  # the change is new: every 20 ms
    assert _counted(after, 1.5, 2.1) <= 7  # held past AT_WORK_SECONDS: every 0.1 s at most
