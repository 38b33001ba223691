"""What every backend of the store must do, whatever database holds the data: the data
version every cache is keyed on, all-or-nothing writes, and writes only inside a transaction.

Written against `Store` and `Connection` only (no driver calls), so that a second backend can
run the same tests: the `any_store` fixture gives each backend in turn.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from metrics.store.connection import Store, StoreError, WriteConflict, transaction

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["duckdb", "postgresql"])
def any_store(request, tmp_path) -> Store:
    """Each backend in turn: a DuckDB file, then a fresh PostgreSQL database."""
    if request.param == "duckdb":
        return Store(tmp_path / "contract.duckdb")
    return Store(request.getfixturevalue("pg_url"))


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


def test_writers_of_the_same_row_at_once_one_conflicts_and_nothing_is_half_stored(any_store):
    """Both read, then both change the same row and add a row of their own: one commits
    whole, the other gets WriteConflict and leaves nothing (not even its own new row)."""
    _table(any_store)
    with any_store.connect() as con, transaction(con):
        con.execute("CREATE TABLE contract_log (writer VARCHAR PRIMARY KEY)")
        con.execute("INSERT INTO contract_t VALUES (1, 'start')")
    before = any_store.version()
    ready = threading.Barrier(2)
    outcomes: dict[str, BaseException | None] = {}

    def write(name: str) -> None:
        try:
            with any_store.connect() as con, transaction(con):
                con.execute("SELECT v FROM contract_t WHERE k = 1").fetchall()  # its snapshot
                ready.wait(timeout=10)
                con.execute("UPDATE contract_t SET v = $v WHERE k = 1", {"v": name})
                con.execute("INSERT INTO contract_log VALUES ($w)", {"w": name})
            outcomes[name] = None
        except BaseException as err:  # judged below
            outcomes[name] = err

    threads = [threading.Thread(target=write, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    conflicts = [n for n, err in outcomes.items() if isinstance(err, WriteConflict)]
    winners = [n for n, err in outcomes.items() if err is None]
    assert len(conflicts) == 1 and len(winners) == 1, outcomes
    with any_store.connect() as con:
        assert con.execute("SELECT v FROM contract_t WHERE k = 1").fetchall() == [(winners[0],)]
        assert con.execute("SELECT writer FROM contract_log").fetchall() == [(winners[0],)]
    assert any_store.version() == before + 1


def test_a_big_registered_table_is_inserted_whole_and_unchanged(any_store):
    """register + INSERT ... SELECT: 100,000 rows with awkward text (quotes, commas, new
    lines, % and $name, empty text beside NULL), numbers, dates, times and flags."""
    n = 100_000
    awkward = ["plain", 'say "hi", then', "two\nlines", "100% of $k", "", None, "O'Neil"]
    data = pa.table(
        {
            "k": pa.array(range(n), pa.int64()),
            "v": pa.array([awkward[i % len(awkward)] for i in range(n)], pa.string()),
            "x": pa.array([None if i % 11 == 0 else i / 8 for i in range(n)], pa.float64()),
            "d": pa.array([date(2024, 1, 1) + timedelta(days=i % 900) for i in range(n)]),
            "t": pa.array([datetime(2025, 3, 1, 9, 30) + timedelta(seconds=i) for i in range(n)]),
            "ok": pa.array([i % 3 == 0 for i in range(n)]),
        }
    )
    with any_store.connect() as con, transaction(con):
        con.execute(
            "CREATE TABLE contract_big (k BIGINT PRIMARY KEY, v VARCHAR, x DOUBLE PRECISION, "
            "d DATE, t TIMESTAMP, ok BOOLEAN)"
        )
    before = any_store.version()
    with any_store.connect() as con:
        con.register("staged_big", data)
        with transaction(con):
            con.execute("INSERT INTO contract_big SELECT * FROM staged_big")
        con.unregister("staged_big")
    with any_store.connect() as con:
        stored = con.arrow("SELECT k, v, x, d, t, ok FROM contract_big ORDER BY k")
        empty = con.execute("SELECT count(*) FROM contract_big WHERE v = ''").fetchall()
    assert stored.num_rows == n
    for name in data.column_names:
        assert stored[name].to_pylist() == data[name].to_pylist(), name
    assert empty == [(len(range(4, n, len(awkward))),)]
    assert any_store.version() == before + 1


def test_a_registered_table_with_bytes_reads_back(any_store):
    data = pa.table({"k": [1, 2], "b": pa.array([b"\x00\xff%$k", None], pa.binary())})
    with any_store.connect() as con:
        con.register("staged_bytes", data)
        assert con.execute("SELECT k, b FROM staged_bytes ORDER BY k").fetchall() == [
            (1, b"\x00\xff%$k"),
            (2, None),
        ]


def test_every_kind_of_write_is_refused_outside_a_transaction(any_store):
    """Whatever its case, spacing or parameters; executemany too; and a literal `%` or `$k`
    inside a string is text, not a parameter, on every backend."""
    _table(any_store)
    before = any_store.version()
    with any_store.connect() as con:
        for statement, params in (
            ("insert into contract_t values ($k, $v)", {"k": 1, "v": "x"}),
            ("\n  UPDATE contract_t SET v = '100% $k'", None),
            ("CREATE TABLE contract_other (k INTEGER)", None),
            ("DROP TABLE contract_t", None),
            ("ALTER TABLE contract_t ADD COLUMN w VARCHAR", None),
        ):
            with pytest.raises(StoreError, match="outside a transaction"):
                con.execute(statement, params)
        with pytest.raises(StoreError, match="outside a transaction"):
            con.executemany("INSERT INTO contract_t VALUES ($k, $v)", [{"k": 2, "v": "y"}])
        assert con.execute("SELECT count(*) FROM contract_t").fetchall() == [(0,)]
        with transaction(con):
            con.execute("INSERT INTO contract_t VALUES ($k, '100% of $k, ''$v''')", {"k": 7})
            con.executemany("INSERT INTO contract_t VALUES ($k, $v)", [{"k": 8, "v": "%s"}])
        assert con.execute(
            "SELECT v FROM contract_t WHERE v LIKE '100%' AND k = $k", {"k": 7}
        ).fetchall() == [("100% of $k, '$v'",)]
        assert con.execute("SELECT v FROM contract_t WHERE k = $k", {"k": 8}).fetchall() == [
            ("%s",)
        ]
    assert any_store.version() == before + 1


def test_a_parameter_standing_alone_or_a_list_takes_its_type_from_where_it_stands(any_store):
    """The portable filters the store's queries use: `($v IS NULL OR v = $v)`, and a list
    parameter read with unnest, on every backend."""
    _table(any_store)
    with any_store.connect() as con:
        with transaction(con):
            con.executemany(
                "INSERT INTO contract_t VALUES ($k, $v)", [{"k": 1, "v": "a"}, {"k": 2, "v": "b"}]
            )
        either = "SELECT k FROM contract_t WHERE ($v IS NULL OR v = $v) ORDER BY k"
        assert con.execute(either, {"v": None}).fetchall() == [(1,), (2,)]
        assert con.execute(either, {"v": "b"}).fetchall() == [(2,)]
        listed = "SELECT k FROM contract_t WHERE v IN (SELECT unnest($vs)) ORDER BY k"
        assert con.execute(listed, {"vs": ["a", "z"]}).fetchall() == [(1,)]


def test_reads_that_need_not_happen_now_use_one_opening_when_free(any_store):
    """`connect_if_free` (the server's reading of another process's write, ui/refresh.py):
    free here, and the block's reads share its connection, as `connect` nested does."""
    with any_store.connect_if_free() as free:
        assert free is True
        with any_store.connect() as con:
            assert con.execute("SELECT 1").fetchall() == [(1,)]
    assert any_store.version() == 0
