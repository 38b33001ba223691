"""What every backend of the store must do, whatever database holds the data: the data
version every cache is keyed on, all-or-nothing writes, and writes only inside a transaction.

Written against `Store` and `Connection` only (no driver calls), so that a second backend can
run the same tests: the `any_store` fixture gives each backend in turn.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from metrics.store.connection import Store, StoreError, transaction

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def any_store(tmp_path) -> Store:
    return Store(tmp_path / "contract.duckdb")


def _table(store: Store) -> None:
    with store.connect() as con, transaction(con):
        con.execute("CREATE TABLE contract_t (k INTEGER PRIMARY KEY, v VARCHAR)")


def test_a_new_store_is_at_version_zero_and_reading_changes_nothing(any_store):
    assert any_store.version() == 0
    _table(any_store)
    after = any_store.version()
    with any_store.connect() as con:
        con.execute("SELECT count(*) FROM contract_t").fetchall()
    assert any_store.version() == after


def test_each_committed_write_bumps_the_version_and_a_rolled_back_one_does_not(any_store):
    _table(any_store)
    before = any_store.version()
    with any_store.connect() as con, transaction(con):
        con.execute("INSERT INTO contract_t VALUES ($k, $v)", {"k": 1, "v": "one"})
    once = any_store.version()
    assert once > before
    with pytest.raises(ZeroDivisionError), any_store.connect() as con, transaction(con):
        con.execute("INSERT INTO contract_t VALUES ($k, $v)", {"k": 2, "v": "two"})
        _ = 1 / 0
    assert any_store.version() == once
    with any_store.connect() as con:
        assert con.execute("SELECT k FROM contract_t ORDER BY k").fetchall() == [(1,)]


def test_a_write_outside_a_transaction_is_refused_and_changes_nothing(any_store):
    _table(any_store)
    before = any_store.version()
    for sql in (
        "INSERT INTO contract_t VALUES (3, 'x')",
        "  update contract_t SET v = 'y'",
        "DELETE FROM contract_t",
    ):
        with pytest.raises(StoreError, match="outside a transaction"), any_store.connect() as c:
            c.execute(sql)
    with any_store.connect() as con:
        assert con.execute("SELECT count(*) FROM contract_t").fetchall() == [(0,)]
    assert any_store.version() == before


def test_a_transaction_inside_another_is_part_of_it(any_store):
    _table(any_store)
    before = any_store.version()
    with pytest.raises(RuntimeError), any_store.connect() as con, transaction(con):
        con.execute("INSERT INTO contract_t VALUES (1, 'a')")
        with transaction(con):
            con.execute("INSERT INTO contract_t VALUES (2, 'b')")
        raise RuntimeError("the outer write fails after the inner block ended")
    with any_store.connect() as con:
        assert con.execute("SELECT count(*) FROM contract_t").fetchall() == [(0,)]
    assert any_store.version() == before


def test_writers_of_different_rows_at_once_both_commit(any_store):
    """The version is a row per write, not one counter: two writers of unrelated rows never
    collide over it."""
    _table(any_store)
    before = any_store.version()
    ready = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(k: int) -> None:
        try:
            with any_store.connect() as con, transaction(con):
                con.execute("INSERT INTO contract_t VALUES ($k, 'w')", {"k": k})
                ready.wait(timeout=10)
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=write, args=(k,)) for k in (10, 11)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert any_store.version() == before + 2


def test_another_process_sees_the_same_version(any_store):
    """The version lives in the database, so a command run elsewhere (or another app server)
    agrees with this process, and its writes move this process's caches on."""
    _table(any_store)
    code = (
        "import sys; from metrics.store.connection import Store, transaction\n"
        "s = Store(sys.argv[1])\n"
        "with s.connect() as c, transaction(c): c.execute('INSERT INTO contract_t VALUES (5, 5)')\n"
        "print(s.version())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, str(any_store.path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert other.returncode == 0, other.stderr
    assert int(other.stdout.strip()) == any_store.version()
