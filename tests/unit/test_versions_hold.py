"""What keeps the versions of each kind of data (metrics/store/changes.py) honest where a
review found them fooled: a database made again at the same path, two writers of this
process committing out of order, a write by an older release that keeps no kinds, a
statement that opens with a comment, and `keeping` used for anything but derived results."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from metrics.store import changes, forecasts, published, queries, read_kinds
from metrics.store.changes import EVERYTHING, FIGURES, OWN_FIGURES
from metrics.store.connection import Store, StoreError, keeping, transaction
from metrics.store.published import UPSERT_AREA


def _area(store: Store, name: str, code: str = "E09000001") -> None:
    with store.connect() as con, transaction(con):
        published.keep_area(con, code, name, "la", None)
    time.sleep(0.06)  # past the file look's settling time (metrics/store/on_disk.py)


def _made_afresh(path: Path, name: str) -> Store:
    for file in (path, path.with_name(path.name + ".wal")):
        file.unlink(missing_ok=True)
    store = Store(path)
    _area(store, name)
    return store


def test_a_database_made_again_at_the_same_path_is_not_answered_for_by_the_old(tmp_path):
    """A restore or a rebuilt demo at the same path counts its versions from the same
    numbers, and the file system may give the new file the old one's inode: the versions
    carry when the database was made, and the remembered answers are keyed on it."""
    path = tmp_path / "s.duckdb"
    first = _made_afresh(path, "Alpha")
    assert queries.area_names(first) == {"E09000001": "Alpha"}
    before = first.versions()
    again = _made_afresh(path, "Beta")
    assert again.versions().by_kind == before.by_kind  # the same numbers
    assert again.versions().born != before.born
    assert queries.area_names(again) == {"E09000001": "Beta"}


def test_versions_say_when_the_database_was_made(store):
    with store.connect() as con:
        made = con.execute("SELECT min(applied_at) FROM schema_version").fetchall()[0][0]
    born = store.versions().born
    assert born == pytest.approx(made.timestamp() * 1_000_000, abs=1)  # both backends


def test_a_write_of_an_older_release_with_no_kinds_is_taken_for_every_kind(store):
    """An app server of the previous release, still running while a newer one migrated the
    store (a rolling upgrade), writes a `data_changes` row and no kinds: every remembered
    answer must be read again, or the older server's writes would never be seen."""
    _area(store, "Alpha", "A1")
    assert queries.area_names(store) == {"A1": "Alpha"}
    with store.connect() as con:
        con._run("BEGIN TRANSACTION")  # what `_atomic` did before migration 18
        con._run(UPSERT_AREA, {"code": "A1", "name": "Renamed", "level": "la", "old": None})
        con._run("INSERT INTO data_changes (changed_at) VALUES (current_timestamp)")
        con._run("COMMIT")
    time.sleep(0.06)
    versions = store.versions()
    assert versions.by_kind[EVERYTHING] == versions.latest
    assert queries.area_names(store) == {"A1": "Renamed"}


# The writes a snapshot sees (one area each), and the latest number it sees.
COMMITTED = "SELECT (SELECT count(*) FROM areas), (SELECT max(version) FROM data_changes)"


def test_each_commit_is_numbered_in_the_order_it_commits(tmp_path):
    """Eight threads of one process writing at once: every snapshot sees all the writes
    numbered up to the latest it sees (none committed out of order), so a cache kept under
    a version never misses an earlier write of that version's kind. Each write adds one
    area: a snapshot holds as many areas as the latest number it sees (the old
    `data_changes` rows are pruned now and then, metrics/store/pruning.py: not counted)."""
    store = Store(tmp_path / "o.duckdb")
    _area(store, "start")
    gaps: list[tuple[int, int]] = []
    done = threading.Event()

    def write(n: int) -> None:
        for i in range(25):
            with store.connect() as con, transaction(con):
                published.keep_area(con, f"W{n}-{i}", "x", "la", None)

    def watch() -> None:
        with store.connect() as con:
            while not done.is_set():
                seen, top = con.execute(COMMITTED).fetchall()[0]
                if seen != top:
                    gaps.append((seen, top))

    watcher = threading.Thread(target=watch)
    watcher.start()
    writers = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    done.set()
    watcher.join()
    with store.connect() as con:
        assert con.execute(COMMITTED).fetchall()[0] == (201, 201)
    assert gaps == []


@pytest.mark.parametrize(
    ("sql", "kinds"),
    [
        ("-- why\nUPDATE observations SET value = 1", set(FIGURES)),
        ("/* note */ DELETE FROM actions", {"actions"}),
        ("(DELETE FROM actions)", {EVERYTHING}),
    ],
)
def test_a_write_opening_with_a_comment_or_bracket_is_still_a_write(sql, kinds):
    assert changes.written(sql) == kinds


def test_a_write_opening_with_a_comment_is_refused_outside_a_transaction(store):
    with store.connect() as con, pytest.raises(StoreError, match="outside a transaction"):
        con.execute("-- why\nDELETE FROM actions")


def test_what_a_query_reads_through_commas_quotes_and_filters():
    read = read_kinds.kinds_read
    assert read("SELECT * FROM observations o, periods p WHERE origin = 'local'") == {
        OWN_FIGURES,
        "periods",
    }
    assert read('SELECT * FROM "periods"') == {"periods"}
    assert read("SELECT count(*) FILTER (WHERE origin = 'local') FROM observations") == set(FIGURES)
    assert read("SELECT * FROM observations WHERE x AND NOT (y AND origin = 'local')") == set(
        FIGURES
    )
    assert read("SELECT * FROM observations WHERE v IS NOT NULL AND origin = 'local'") == {
        OWN_FIGURES
    }


def test_keeping_writes_derived_results_only(store):
    """Anything else written unversioned would be missed by every cache: refused, and
    nothing of it stays."""
    _area(store, "Alpha", "A1")
    with store.connect() as con:
        with keeping(con):
            forecasts.keep(con, "k1", "{}", datetime(2026, 12, 3))
        assert forecasts.kept(con, "k1") == "{}"
        with pytest.raises(StoreError, match="derived results"), keeping(con):
            published.keep_area(con, "A1", "Changed", "la", None)
    assert queries.area_names(store) == {"A1": "Alpha"}


def test_an_upload_is_seen_by_a_process_of_the_release_before_rows_per_indicator(
    demo_store, charter, tmp_path
):
    """Through a rolling upgrade, a process of the earlier release reads the plain kinds
    only (`by_kind[kind]`): an upload naming its indicator still moves them."""
    from metrics.ingest import load_file

    before = demo_store.versions()
    path = tmp_path / "r.csv"
    path.write_text("indicator,period,value\nshort-breaks-receiving,2001-02 Q3,411\n")
    assert load_file(demo_store, charter, path.name, path.read_bytes(), by="t").outcome == "loaded"
    after = demo_store.versions()
    for plain in (OWN_FIGURES, "uploads", "periods"):
        assert after.by_kind[plain] > before.by_kind.get(plain, 0), plain
    shown = changes.for_indicator([OWN_FIGURES], "ehcp-issued-20-weeks")
    assert after.of(shown) == before.of(shown)  # another indicator's page: left be


def test_a_write_of_the_release_before_rows_per_indicator_is_seen_by_every_indicator(
    demo_store,
):
    """A plain row with no row per indicator beside it (a process of the earlier release
    storing figures) counts for every indicator's reads."""
    shown = changes.for_indicator([OWN_FIGURES], "ehcp-issued-20-weeks")
    before = demo_store.versions().of(shown)
    with demo_store.connect() as con:
        con._run("BEGIN TRANSACTION")
        version = con._run(
            "INSERT INTO data_changes (changed_at) VALUES (current_timestamp) RETURNING version"
        ).fetchall()[0][0]
        con._run(
            "INSERT INTO data_change_kinds (version, kind) VALUES ($v, $k)",
            {"v": version, "k": OWN_FIGURES},
        )
        con._run("COMMIT")
    time.sleep(0.06)
    assert demo_store.versions().of(shown) == version > before
