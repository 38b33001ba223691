"""The store: all or nothing, no change on reload, revisions kept with who/when/why, as-at
queries, the upload log with the original bytes, and schema migrations."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from metrics.access import command_line
from metrics.ingest import load_file
from metrics.ingest.kept import upload_file
from metrics.store.connection import Store, StoreError, transaction
from metrics.store.migrating import schema_version
from metrics.store.queries import current_count, series, upload_errors, uploads
from metrics.store.schema import SCHEMA_VERSION

HEADER = b"indicator,period,value,numerator,denominator,status\n"
V1 = HEADER + (
    b"ehcp-issued-20-weeks,2024-25 Q1,,26,50,provisional\n"
    b"short-breaks-receiving,2024-25 Q1,431,,,\n"
)
V2 = (
    HEADER
    + b"ehcp-issued-20-weeks,2024-25 Q1,,30,50,final\nshort-breaks-receiving,2024-25 Q1,431,,,\n"
)


def load(store, charter, content, name="r.csv", **kw):
    return load_file(store, charter, name, content, by=kw.pop("user", "analyst"), **kw)


def test_loading_the_same_file_again_is_no_change(store, charter):
    assert load(store, charter, V1).outcome == "loaded"
    again = load(store, charter, V1)
    assert again.outcome == "no change" and (again.added, again.unchanged) == (0, 2)
    assert current_count(store) == 2
    assert [u["outcome"] for u in uploads(store)] == ["no change", "loaded"]


def test_a_bad_row_among_good_ones_changes_nothing(demo_store, charter):
    def snapshot():
        with demo_store.connect() as con:
            return con.execute("SELECT * FROM observations ORDER BY obs_id").fetchall()

    before = snapshot()
    good = [
        f"short-breaks-receiving,20{y}-{y + 1} Q{q},{400 + q},,,"
        for y in range(10, 20)
        for q in range(1, 5)
    ]
    lines = [*good[:20], "short-breaks-receiving,2019-20 Q9,400,,,", *good[20:]]
    content = HEADER + "\n".join(lines).encode() + b"\n"
    report = load(demo_store, charter, content)
    assert report.outcome == "rejected" and [e.row for e in report.errors] == [22]
    assert snapshot() == before
    logged = uploads(demo_store)[0]
    assert (logged["outcome"], logged["rejected"], logged["rows_in_file"]) == ("rejected", 1, 41)
    assert upload_errors(demo_store, logged["upload_id"])[0][0] == 22


def test_revision_needs_a_reason_and_keeps_history(store, charter):
    load(store, charter, V1)
    refused = load(store, charter, V2)
    assert refused.outcome == "rejected" and "give a reason" in refused.errors[0].problem
    assert series(store, "ehcp-issued-20-weeks", "E99000001")[0].value == 52
    time.sleep(0.01)
    between = datetime.now()
    time.sleep(0.01)
    report = load(store, charter, V2, reason="Provider corrected a miscount", user="sam")
    assert (report.outcome, report.revised, report.unchanged) == ("loaded", 1, 1)
    rev = report.revisions[0]
    assert (rev.old_value, rev.new_value, rev.old_status, rev.new_status) == (
        52,
        60,
        "provisional",
        "final",
    )

    now = series(store, "ehcp-issued-20-weeks", "E99000001")
    assert [(r.value, r.status, r.revised) for r in now] == [(60, "final", True)]
    assert (now[0].recorded_by, now[0].revision_reason) == ("sam", "Provider corrected a miscount")
    then = series(store, "ehcp-issued-20-weeks", "E99000001", as_at=between)
    assert [(r.value, r.status) for r in then] == [(52, "provisional")]
    with store.connect() as con:
        old = con.execute(
            "SELECT value, superseded_at IS NOT NULL, superseded_by FROM observation_history "
            "WHERE indicator_id = 'ehcp-issued-20-weeks' ORDER BY obs_id"
        ).fetchall()
    assert old[0][:2] == (52, True) and old[0][2] == report.upload_id
    assert series(store, "ehcp-issued-20-weeks", "E99000001", as_at=datetime(2000, 1, 1)) == []


def test_every_upload_is_logged_with_its_bytes(store, charter):
    load(store, charter, V1, name="q1.csv")
    load(store, charter, b"nonsense", name="q1.pdf")
    log = uploads(store)
    assert [(u["file_name"], u["outcome"]) for u in log] == [
        ("q1.pdf", "rejected"),
        ("q1.csv", "loaded"),
    ]
    assert log[1]["sha256"] == hashlib.sha256(V1).hexdigest()
    assert (log[1]["added"], log[1]["uploaded_by"]) == (2, "analyst")
    assert upload_file(store, log[1]["upload_id"], command_line()) == ("q1.csv", V1)
    assert upload_file(store, log[0]["upload_id"], command_line()) == ("q1.pdf", b"nonsense")


def test_status_change_alone_needs_no_reason(store, charter):
    load(store, charter, V1)
    confirmed = V1.replace(b"provisional", b"final")
    report = load(store, charter, confirmed)
    assert report.outcome == "loaded" and report.revised == 1 and report.figures_changed == 0


def test_schema_is_created_and_versioned(store):
    with store.connect() as con:
        assert schema_version(con) == SCHEMA_VERSION
    with store.connect() as con:  # opening again migrates nothing
        assert con.execute("SELECT count(*) FROM schema_version").fetchall()[0][0] == SCHEMA_VERSION


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    with Store(path).connect() as con, transaction(con):
        con.execute("INSERT INTO schema_version VALUES (999, now())")
    with pytest.raises(StoreError, match="newer than this program"), Store(path).connect():
        pass


HOLD = (
    "import duckdb, sys, time\n"
    "c = duckdb.connect(sys.argv[1])\n"
    "print('held', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
)


def hold(path, seconds: float):
    """Another process holding the database file, as the app or a scheduled load would."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_locked_file_is_waited_for_then_reported(tmp_path):
    path = tmp_path / "locked.duckdb"
    with Store(path).connect():
        pass
    holder = hold(path, 1.0)
    with Store(path, wait=30).connect() as con:  # waits for the other process to let go
        assert con.execute("SELECT 1").fetchall() == [(1,)]
    holder.wait()
    holder = hold(path, 5.0)
    try:
        with pytest.raises(StoreError, match="could not open"), Store(path, wait=0.3).connect():
            pass
    finally:
        holder.kill()
        holder.wait()


def test_store_never_holds_the_file_between_uses(duckdb_store, charter):
    # About the DuckDB file's lock (another process opens it): DuckDB only.
    store = duckdb_store
    import subprocess
    import sys

    load(store, charter, V1)
    other = subprocess.run(
        [sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1])", str(store.path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr  # another process can open it: we let go


def test_a_nested_connection_shares_the_opening_but_not_the_transaction(duckdb_store):
    """Inside a connection, another `connect()` on the same thread reuses the open file: it
    is its own connection (a write still uncommitted outside is not seen inside), closing it
    leaves the outer one working, and the file is let go when the outer block ends."""
    store = duckdb_store  # about opening the DuckDB file once per thread: DuckDB only
    import subprocess
    import sys
    import threading

    with store.connect() as con, transaction(con):
        con.execute("CREATE TABLE t (x INTEGER)")
    with store.connect() as outer:
        with transaction(outer):
            outer.execute("INSERT INTO t VALUES (1)")
            with store.connect() as inner:
                assert inner is not outer
                assert inner.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
            seen: list[object] = []  # another thread opens its own connection, and works

            def elsewhere() -> None:
                with Store(store.path).connect() as con:
                    seen.append(con.execute("SELECT 1").fetchall())

            worker = threading.Thread(target=elsewhere)
            worker.start()
            worker.join()
            assert seen == [[(1,)]]
        assert outer.execute("SELECT count(*) FROM t").fetchall() == [(1,)]
    other = subprocess.run(
        [sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1])", str(store.path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr  # let go once the outer block ended


def _other_process(path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_the_apps_store_lingers_then_lets_go(tmp_path):
    """The app's store keeps the file open for a moment after a read (so the next read needs
    no opening), then lets go: a scheduled load in another process waits and gets in."""
    from metrics.store.keeper import KEEPER

    # Long enough for another Python to start and import DuckDB on a busy machine (the check
    # below that the file is held just now raced a 0.5 s linger under load).
    app = Store(tmp_path / "app.duckdb", linger=2.0)
    with app.connect() as con, transaction(con):
        con.execute("CREATE TABLE t (x INTEGER)")
    assert KEEPER.is_open(str(app.path))
    plain = _other_process(app.path, "import duckdb, sys; duckdb.connect(sys.argv[1])")
    assert plain.returncode != 0 and "lock" in plain.stderr.lower()  # held just now
    load = _other_process(
        app.path,
        "import sys; from metrics.store.connection import Store, transaction\n"
        "with Store(sys.argv[1]).connect() as c, transaction(c): "
        "c.execute('INSERT INTO t VALUES (7)')",
    )
    assert load.returncode == 0, load.stderr  # it waited for the app to let go
    with app.connect() as con:
        assert con.execute("SELECT x FROM t").fetchall() == [(7,)]
    deadline = time.monotonic() + 10
    while KEEPER.is_open(str(app.path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not KEEPER.is_open(str(app.path))


def test_the_apps_store_never_serves_a_replaced_file(tmp_path):
    path = tmp_path / "app.duckdb"
    app = Store(path, linger=5.0)
    with app.connect() as con, transaction(con):
        con.execute("CREATE TABLE t AS SELECT 'old' AS x")
    path.unlink()  # a rebuild removes the file (no lock needed) and writes a new one
    new = "CREATE TABLE t AS SELECT 'new' AS x"
    made = _other_process(path, f"import duckdb, sys; duckdb.connect(sys.argv[1]).execute({new!r})")
    assert made.returncode == 0, made.stderr
    with app.connect() as con:
        assert con.execute("SELECT x FROM t").fetchall() == [("new",)]


def test_the_apps_store_opened_by_many_threads_at_once_keeps_one_connection(tmp_path):
    """Threads opening the file at the same moment (a crowd after an upload) each read; one
    connection is kept, the others' openings are closed, and the file is let go later."""
    import threading

    from metrics.store.keeper import KEEPER

    path = tmp_path / "crowd.duckdb"
    with Store(path).connect() as con, transaction(con):
        con.execute("CREATE TABLE t AS SELECT 42 AS x")
    found: list[object] = []

    def read() -> None:
        with Store(path, linger=0.2).connect() as con:
            found.append(con.execute("SELECT x FROM t").fetchall())

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found == [[(42,)]] * 8 and KEEPER.is_open(str(path))
    deadline = time.monotonic() + 10
    while KEEPER.is_open(str(path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    held = _other_process(path, "import duckdb, sys; duckdb.connect(sys.argv[1]).close()")
    assert held.returncode == 0, held.stderr  # nothing left holding the file


def test_a_revision_without_a_note_keeps_the_earlier_note_unless_cleared(store, charter):
    """Issue 27 item 22: fewer columns (or an empty note) never drops a note silently; a dash
    clears it."""
    first = b"indicator,period,value,note\nshort-breaks-receiving,2024-25 Q1,430,Two late\n"
    load(store, charter, first)
    fewer = b"indicator,period,value\nshort-breaks-receiving,2024-25 Q1,431\n"
    assert load(store, charter, fewer, reason="recount").revised == 1
    [now] = series(store, "short-breaks-receiving", "E99000001")
    assert (now.value, now.note) == (431, "Two late")
    empty = b"indicator,period,value,note\nshort-breaks-receiving,2024-25 Q1,431,\n"
    assert load(store, charter, empty).outcome == "no change"
    cleared = b"indicator,period,value,note\nshort-breaks-receiving,2024-25 Q1,431,-\n"
    assert load(store, charter, cleared).revised == 1
    [now] = series(store, "short-breaks-receiving", "E99000001")
    assert now.note is None
