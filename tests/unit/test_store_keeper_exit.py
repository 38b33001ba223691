"""At exit the store keeper closes what it keeps and stops its closing thread (issue 27 item
27): a daemon thread cut off by the interpreter's end keeps the connection its frame last held
past DuckDB's own end, and DuckDB's bindings print 'nanobind: leaked ...' (seen on a busy
machine, where the thread was still asleep between its rounds)."""

from __future__ import annotations

import duckdb

from metrics.store.keeper import Keeper


def test_closing_at_exit_stops_the_closing_thread_at_once(tmp_path):
    path = str(tmp_path / "kept.duckdb")
    keeper = Keeper()
    cursor = keeper.cursor(path, linger=40.0, open_file=lambda: duckdb.connect(path))
    cursor.close()
    keeper.release(path)
    closer = keeper._closer
    assert closer is not None and closer.is_alive()  # asleep for 10 s between its rounds
    keeper.close_all()
    assert not keeper.is_open(path)
    assert not closer.is_alive()  # stopped and waited for, not left asleep at exit
