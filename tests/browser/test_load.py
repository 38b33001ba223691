"""Twenty councillors open the dashboard at once while a scheduled load runs."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from bench import load
from bench.server import ROOT
from metrics.store.connection import Store
from metrics.store.queries import series


def test_twenty_sessions_and_a_concurrent_load(server, tmp_path):
    report = load.run(server.url, server.db, tmp_path / "load", sessions=20)
    assert report.errors == []  # (the first load was seen at work: the crowd waited for it)
    # The crowd began only once the first `python -m metrics load` had started up and was at
    # work on the file (its imports alone take some 0.6 s), so that its data lands under the
    # crowd; begun with the loader, the crowd was over before the load had read its file.
    assert report.waited > 0.2
    assert len(report.times) == 20 * len(load.PAGES)  # every session drew both pages
    for result in report.loads:
        assert result.returncode == 0, result.stdout
        assert "lock" not in result.stdout.lower()
    loaded = [r.period for r in series(Store(server.db), "short-breaks-receiving", "E99000001")]
    assert {"2015-16 Q1", "2015-16 Q2"} <= set(loaded)


def test_the_floor_app_draws_its_two_pages(tmp_path):
    """make bench measures our pages against this trivial app: it must start as ours does
    and draw both of its pages (title, text, chart, table) without an error."""
    from bench.pages import FLOOR_APP, FLOOR_PAGES
    from bench.server import Server

    floor = Server(tmp_path / "floor.duckdb", app=FLOOR_APP)
    try:
        result = load._run(lambda: load.open_pages(floor.url, 60, FLOOR_PAGES))
    finally:
        floor.stop()
    assert result.errors == [] and result.pages == FLOOR_PAGES
    assert all(t > 0 for t in result.times)


def test_a_server_reads_another_processs_load_before_anyone_asks(server, tmp_path):
    """After a load by another process, the server opens the database again by itself
    (ui/refresh.py), with no page asked for: seen as the file among its open files."""
    load.single(server.url, pages=[load.OVERVIEW])  # the first page starts the watch
    held = f"/proc/{server.process.pid}/fd"

    def holds_the_file() -> bool:
        for fd in os.listdir(held):
            try:
                if os.readlink(f"{held}/{fd}") == str(server.db):
                    return True
            except OSError:  # closed meanwhile
                continue
        return False

    deadline = time.monotonic() + 10
    while holds_the_file():  # the visit's opening lingers a moment (0.3 s)
        assert time.monotonic() < deadline, "the server never let go of the file"
        time.sleep(0.01)
    seen, done = threading.Event(), threading.Event()

    def looking() -> None:  # from before the load: the server may let go before it returns
        since = None  # held on every look since then: a refresh's hold (its work and the
        # 0.3 s linger), not a failed try at opening while the load has the file (a moment)
        while not done.is_set() and not seen.is_set():
            if not holds_the_file():
                since = None
            elif since is None:
                since = time.monotonic()
            elif time.monotonic() - since >= 0.1:
                seen.set()
            time.sleep(0.005)

    watcher = threading.Thread(target=looking)
    watcher.start()
    try:
        path = load.write_return(tmp_path / "return.csv", "2001-02 Q3")
        command = [sys.executable, "-m", "metrics", "load", str(path), "--db", str(server.db)]
        done_load = subprocess.run(
            [*command, "--user", "t"], capture_output=True, text=True, cwd=ROOT
        )
        assert done_load.returncode == 0, done_load.stdout + done_load.stderr
        assert seen.wait(10), "the server did not read the load by itself"
    finally:
        done.set()
        watcher.join()
