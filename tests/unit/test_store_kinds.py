"""A version per kind of data (metrics/store/changes.py) and the reads remembered by it
(metrics/store/remembered.py): a write of each kind is seen at once by the next read, in this
process or from another, on both backends (the demo store runs on each), and a write of
another kind leaves a remembered read as it was (the very same answer: not read again)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from metrics.access import Actor
from metrics.access.people import CHAIR, MEMBER
from metrics.ingest import load_file
from metrics.review import actions
from metrics.store import assess, changes, read_kinds
from metrics.store.actions import actions_with_latest_update
from metrics.store.changes import EVERYTHING, FIGURES, OWN_FIGURES, PUBLISHED_FIGURES
from metrics.store.connection import Store, transaction
from metrics.store.outlook import trajectories
from metrics.store.queries import published_periods
from tests.published import import_england_year

ROOT = Path(__file__).resolve().parents[2]
INDICATOR, QUARTER = "short-breaks-receiving", "2001-02 Q3"  # a quarter the demo has not
PUBLISHED = "ehcna-decisions-6-weeks"  # no published figures in the demo (LAIT lacks it)


def _return_file(tmp_path: Path, value: int = 411) -> Path:
    path = tmp_path / "return.csv"
    path.write_text(f"indicator,period,value\n{INDICATOR},{QUARTER},{value}\n", encoding="utf-8")
    return path


def _load_return(store: Store, charter, tmp_path: Path) -> None:
    path = _return_file(tmp_path)
    assert load_file(store, charter, path.name, path.read_bytes(), by="tester").outcome == "loaded"


def _import_published(store: Store, charter, tmp_path: Path) -> None:
    import_england_year(store, charter, tmp_path, PUBLISHED)


def _reads(store: Store, area: str) -> dict[str, object]:
    """One read of each kind, as the pages' reads make them (outside any transaction)."""
    with store.connect() as con:
        return {
            "published": assess.published_totals(con),
            "own": assess.current_totals(con, area),
            "actions": actions_with_latest_update(con, None),
            "trajectories": trajectories(con),
        }


def test_a_return_is_seen_at_once_and_leaves_other_kinds_remembered(demo_store, charter, tmp_path):
    area = charter.council.code
    before = _reads(demo_store, area)
    assert _reads(demo_store, area)["published"] is before["published"]  # remembered
    kinds = demo_store.versions()
    _load_return(demo_store, charter, tmp_path)
    after = _reads(demo_store, area)
    assert (INDICATOR, QUARTER) in {(r[0], r[1]) for r in after["own"]}  # seen at once
    for kind in ("published", "actions", "trajectories"):
        assert after[kind] is before[kind], kind  # not read again
    now = demo_store.versions()
    assert now.of([OWN_FIGURES]) > kinds.of([OWN_FIGURES])
    assert now.of([PUBLISHED_FIGURES, "actions", "trajectories"]) == kinds.of(
        [PUBLISHED_FIGURES, "actions", "trajectories"]
    )


def test_a_published_import_is_seen_at_once_and_leaves_our_actions_remembered(
    demo_store, charter, tmp_path
):
    area = charter.council.code
    assert published_periods(demo_store, PUBLISHED) == []
    before = _reads(demo_store, area)
    _import_published(demo_store, charter, tmp_path)
    assert published_periods(demo_store, PUBLISHED) == ["2021"]  # seen at once
    after = _reads(demo_store, area)
    assert (PUBLISHED, "2021") in set(after["published"])  # type: ignore[arg-type]
    assert after["actions"] is before["actions"] and after["trajectories"] is before["trajectories"]


def test_published_periods_starting_together_come_shortest_first(demo_store, charter, tmp_path):
    _import_published(demo_store, charter, tmp_path)
    with demo_store.connect() as con, transaction(con):  # the year's figures as its January
        con.execute(
            "UPDATE observations SET period = 'Jan 2021' WHERE indicator_id = $i "
            "AND origin = 'published'",
            {"i": PUBLISHED},
        )
    _import_published(demo_store, charter, tmp_path)  # and the year's again
    assert published_periods(demo_store, PUBLISHED) == ["Jan 2021", "2021"]


def test_an_action_is_seen_at_once_and_leaves_the_figures_remembered(demo_store, charter):
    area = charter.council.code
    before = _reads(demo_store, area)
    chair = Actor("chris", "Chris Chair", "c@x.example", "app", frozenset({CHAIR, MEMBER}))
    quarter = before["own"][-1][1]  # type: ignore[index]
    made = actions.add(
        demo_store, charter, chair, title="Ring every family", owner="head-of-send",
        due=date(2030, 1, 1), quarter=_a_quarter(demo_store, charter, quarter), statement=1,
    )  # fmt: skip
    after = _reads(demo_store, area)
    assert made in {r[0] for r in after["actions"]}  # type: ignore[union-attr]
    assert after["published"] is before["published"] and after["own"] is before["own"]


def _a_quarter(store: Store, charter, fallback: str) -> str:
    from metrics.assess.rollup import quarters_with_data

    return next(iter(quarters_with_data(store, charter)), fallback)


def test_a_write_of_unknown_kind_is_taken_for_every_kind(demo_store, charter):
    before = _reads(demo_store, charter.council.code)
    with demo_store.connect() as con, transaction(con):
        con.execute("CREATE TABLE kinds_t (x INTEGER)")
    after = _reads(demo_store, charter.council.code)
    for kind in before:
        assert after[kind] is not before[kind] and after[kind] == before[kind], kind


def test_nothing_is_remembered_inside_a_transaction(demo_store):
    """A transaction reads its own uncommitted writes, and what it reads is never kept."""
    with demo_store.connect() as con:
        kept = actions_with_latest_update(con, None)
        assert kept
        with pytest.raises(ZeroDivisionError), transaction(con):
            con.execute("DELETE FROM action_updates")
            assert actions_with_latest_update(con, None) == []  # its own write
            _ = 1 / 0
        assert actions_with_latest_update(con, None) == kept  # rolled back: never kept
        with transaction(con):
            con.execute("DELETE FROM action_updates")
        assert actions_with_latest_update(con, None) == []  # committed: seen at once


def test_a_return_loaded_by_another_process_is_seen_at_once(demo_store, charter, tmp_path):
    """`python -m metrics load` in a process of its own, as a scheduled load runs beside the
    app: this process's remembered figures of our own are read again, its published ones
    are not (the same on a DuckDB file and on a server database)."""
    area = charter.council.code
    before = _reads(demo_store, area)
    path = _return_file(tmp_path)
    command = [sys.executable, "-m", "metrics", "load", str(path), "--db", str(demo_store.path)]
    done = subprocess.run([*command, "--user", "t"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    after = _reads(demo_store, area)
    assert (INDICATOR, QUARTER) in {(r[0], r[1]) for r in after["own"]}  # type: ignore[union-attr]
    assert after["published"] is before["published"]


@pytest.mark.parametrize(
    ("sql", "kinds"),
    [
        ("INSERT INTO actions VALUES (1)", {"actions"}),
        ("  update agreed_statuses SET x = 1", {"agreed_statuses"}),
        ("DELETE FROM commentary WHERE 1", {"commentary"}),
        ("INSERT INTO observations SELECT * FROM staged", set(FIGURES)),
        ("INSERT INTO data_changes SELECT * FROM _batch", {EVERYTHING}),  # a copy
        ("CREATE TABLE t (x INTEGER)", {EVERYTHING}),
        ("WITH x AS (SELECT 1) INSERT INTO actions SELECT * FROM x", {EVERYTHING}),
        ("SELECT * FROM actions", set()),
        ("WITH x AS (SELECT updated_at FROM action_updates) SELECT * FROM x", set()),
    ],
)
def test_what_a_statement_writes(sql, kinds):
    assert changes.written(sql) == kinds


def test_what_a_query_reads():
    assert read_kinds.kinds_read(assess.PUBLISHED_TOTALS) == {PUBLISHED_FIGURES}
    assert read_kinds.kinds_read(assess.CURRENT_TOTALS) == {*FIGURES, "periods"}  # ORDER BY origin
    assert read_kinds.kinds_read(assess.OWN_VALUES) == {OWN_FIGURES, "wanted"}
    for both in ("WHERE origin = 'local' OR x", "WHERE NOT origin = 'local'", "WHERE y = 1"):
        assert read_kinds.kinds_read(f"SELECT * FROM observations {both}") == set(FIGURES), both
    compared = "SELECT 1 FROM periods p WHERE p.value IS NOT DISTINCT FROM o.value"
    assert read_kinds.kinds_read(compared) == {"periods"}  # a comparison names no table
    assert read_kinds.kinds_read("SELECT * FROM observation_history") == {
        *FIGURES,
        "periods",
        "uploads",
    }
    assert changes.written("INSERT INTO observations SELECT 1", {"published"}) == {
        PUBLISHED_FIGURES
    }


def test_a_store_made_before_kinds_were_kept_has_every_kind_at_its_last_write(tmp_path):
    import duckdb

    from metrics.store.schema import SCHEMA_VERSION

    path = tmp_path / "old.duckdb"
    with Store(path).connect():
        pass
    old = duckdb.connect(str(path))  # as a release before migration 18 left it
    old.execute("DROP TABLE data_change_kinds")
    old.execute("DROP TABLE figure_writes")  # (migrations 19, 20 and 21's, made after 18)
    old.execute("DROP TABLE statuses_kept")
    old.execute("DELETE FROM schema_version WHERE version > 17")
    old.execute("INSERT INTO data_changes (changed_at) VALUES (now()), (now())")
    old.close()
    versions = Store(path).versions()
    assert versions.latest == 2 and SCHEMA_VERSION >= 18
    assert versions.of(["actions"]) == versions.of([PUBLISHED_FIGURES]) == 2


def test_threads_asking_the_same_at_once_read_it_once(demo_store, charter):
    """A cold page's prefetch threads each work out statuses and ask for our own figures at
    the same moment: one reads them, the others wait for its answer (the very same object)."""
    import threading

    area, found = charter.council.code, []
    with demo_store.connect() as con, transaction(con):  # a write: what was remembered is old
        con.execute("DELETE FROM commentary WHERE false")
        con.execute("UPDATE observations SET note = note WHERE obs_id < 0")
    start = threading.Barrier(4)

    def ask() -> None:
        with demo_store.connect() as con:
            con.versions()  # asked before the barrier: the threads then ask for the totals only
            start.wait()
            found.append(assess.current_totals(con, area))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(found) == 4 and all(f is found[0] for f in found)
