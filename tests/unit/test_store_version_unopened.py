"""A DuckDB store's data version, asked again while nothing has changed on disk, is answered
without opening the file: a scheduled load holding the file does not hold up every page. Any
commit, by this process or another, is still seen at once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from metrics.store.connection import Store, StoreError, transaction
from metrics.store.on_disk import SETTLED_NS

ROOT = Path(__file__).resolve().parents[2]

HOLD = (
    "import sys, time, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('holding', flush=True)\n"
    "time.sleep(30)\n"
)


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "v.duckdb", wait=0.5)
    with store.connect() as con, transaction(con):
        con.execute("CREATE TABLE t (x INTEGER)")
    return store


def _settle() -> None:
    time.sleep(2 * SETTLED_NS / 1e9)  # a file changed this instant is always looked at again


def test_unchanged_file_is_not_opened_while_another_process_holds_it(tmp_path):
    store = _store(tmp_path)
    _settle()
    before = store.version()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store.path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        _settle()
        started = time.monotonic()
        assert store.version() == before  # answered from the last look: no wait, no error
        assert time.monotonic() - started < 0.4
        # Another Store of the same file (the app has two: the run's, the cached reads')
        # answers from the process's last look too, without waiting for the holder.
        started = time.monotonic()
        assert Store(store.path, wait=0.3).version() == before
        assert time.monotonic() - started < 0.4
        # A change while held cannot be seen without the file: it is opened, and waits.
        store.file.touch()
        _settle()
        with pytest.raises(StoreError, match="could not open"):
            Store(store.path, wait=0.3).version()
    finally:
        holder.kill()
        holder.wait()


def test_a_commit_by_another_process_is_seen_at_once(tmp_path):
    store = _store(tmp_path)
    _settle()
    before = store.version()
    code = (
        "import sys; from metrics.store.connection import Store, transaction\n"
        "s = Store(sys.argv[1])\n"
        "with s.connect() as c, transaction(c): c.execute('INSERT INTO t VALUES (1)')\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(store.path)], cwd=ROOT, timeout=120)
    assert done.returncode == 0
    assert store.version() == before + 1
    _settle()
    assert store.version() == before + 1


def test_own_commits_are_seen_at_once_and_after_settling(tmp_path):
    store = _store(tmp_path)
    for n in range(3):
        _settle()
        seen = store.version()
        with store.connect() as con, transaction(con):
            con.execute("INSERT INTO t VALUES ($n)", {"n": n})
        assert store.version() == seen + 1
