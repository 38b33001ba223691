"""Indicator statuses kept in the store for a fresh process (metrics/assess/status_stored.py,
migration 21, issue 34): a second process (a command-line pack) takes every status the first
worked out, equal to statuses worked out afresh; after an upload only the loaded indicator's
are worked out again; a charter of other content works every one out again; a row that
cannot be read back is worked out again, never shown; keeping changes no data version and
replaces the indicator's stale row; on both backends."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from metrics.assess import status_kept, status_stored
from metrics.assess.benchmark import Benchmark
from metrics.ingest import load_file
from metrics.periods.text import parse_period
from metrics.store.connection import Store, transaction

ROOT = Path(__file__).resolve().parents[2]
LOADED, QUARTER = "short-breaks-receiving", "2026-27 Q2"  # the demo's latest quarter
QUARTERS = [parse_period(QUARTER).shift(-k) for k in range(8)]  # the scorecard's

# A fresh process asking the same as a pack does: how many statuses it worked out (not read
# from the store), and each status as the store would keep it.
CHILD = """
import json, sys
from charter.loader import load_charter
from metrics.assess import status_kept, status_stored
from metrics.periods.text import parse_period
from metrics.store.connection import Store
quarters = [parse_period(q) for q in json.loads(sys.argv[2])]
found = status_kept.statuses(Store(sys.argv[1]), load_charter(), quarters)
print(json.dumps({"worked": status_kept.worked_out(),
                  "statuses": {i: [status_stored.to_json(s) for s in each]
                               for i, each in found.items()}}))
"""


def _in_a_fresh_process(store: Store) -> tuple[int, dict[str, list[str]]]:
    labels = json.dumps([q.label for q in QUARTERS])
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(store.path), labels],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout.strip().splitlines()[-1])
    return said["worked"], said["statuses"]


def _as_kept(found: dict[str, list]) -> dict[str, list[str]]:
    return {i: [status_stored.to_json(s) for s in each] for i, each in found.items()}


def _rows(store: Store) -> list[tuple]:
    with store.connect() as con:
        sql = "SELECT indicator_id, quarter, key FROM statuses_kept ORDER BY 1, 2, 3"
        return con.execute(sql).fetchall()


def test_a_fresh_process_takes_the_statuses_another_worked_out(demo_store, charter):
    status_kept.statuses(demo_store, charter, QUARTERS)  # worked out, or taken, and kept
    worked, found = _in_a_fresh_process(demo_store)
    assert worked == 0  # every status read from the store
    assert found == _as_kept(status_kept.afresh(demo_store, charter, QUARTERS))


def test_after_an_upload_a_fresh_process_works_out_the_loaded_indicators_only(
    demo_store, charter, tmp_path
):
    status_kept.statuses(demo_store, charter, QUARTERS)
    path = tmp_path / "return.csv"
    path.write_text(f"indicator,period,value\n{LOADED},{QUARTER},5\n", encoding="utf-8")
    report = load_file(
        demo_store, charter, path.name, path.read_bytes(), by="tester", reason="corrected",
        confirmed=True,
    )  # fmt: skip
    assert report.outcome == "loaded", report
    worked, found = _in_a_fresh_process(demo_store)
    assert worked == len(QUARTERS)  # the loaded indicator's, at each quarter
    afresh = status_kept.afresh(demo_store, charter, QUARTERS)
    assert found == _as_kept(afresh) and afresh[LOADED][0].value == 5
    # The loaded indicator's old statuses went as its new ones were kept: one row a quarter.
    rows = _rows(demo_store)
    assert len(rows) == len({(i, q) for i, q, _ in rows})
    again, _ = _in_a_fresh_process(demo_store)
    assert again == 0


def test_a_charter_loaded_again_takes_them_and_another_charter_does_not(demo_store, charter):
    from charter.loader import load_charter

    status_kept.statuses(demo_store, charter, QUARTERS)
    counted = status_kept.worked_out()
    same = load_charter()  # another loading of the same files: another object, same content
    found = status_kept.statuses(demo_store, same, QUARTERS)
    assert status_kept.worked_out() == counted  # each taken from the store
    assert found == status_kept.afresh(demo_store, same, QUARTERS)
    counted = status_kept.worked_out()
    ind = charter.indicators[LOADED]
    target = 1.0 if ind.target != 1.0 else 2.0
    moved = dataclasses.replace(
        charter,
        indicators={**charter.indicators, LOADED: ind.model_copy(update={"target": target})},
    )
    found = status_kept.statuses(demo_store, moved, QUARTERS)
    assert status_kept.worked_out() - counted == len(charter.indicators) * status_kept.WINDOW
    assert found == status_kept.afresh(demo_store, moved, QUARTERS)
    assert [s.target for s in found[LOADED]] != [s.target for s in status_kept.afresh(
        demo_store, charter, QUARTERS)[LOADED]]  # fmt: skip


def test_a_row_that_cannot_be_read_back_is_worked_out_again(demo_store, charter):
    from charter.loader import load_charter

    status_kept.statuses(demo_store, charter, QUARTERS)
    with demo_store.connect() as con, transaction(con):  # as a broken copy might hold it
        con.execute(
            "UPDATE statuses_kept SET status = '{\"id\": 1}' WHERE indicator_id = $i", {"i": LOADED}
        )
    counted = status_kept.worked_out()
    same = load_charter()  # not in this process's memory: read from the store
    found = status_kept.statuses(demo_store, same, QUARTERS)
    assert status_kept.worked_out() - counted == status_kept.WINDOW  # the broken one's only
    assert found == status_kept.afresh(demo_store, same, QUARTERS)


def test_keeping_changes_no_data_version(demo_store, charter):
    with demo_store.connect() as con, transaction(con):
        con.execute("DELETE FROM statuses_kept")
    before = demo_store.versions()
    status_kept.statuses(demo_store, dataclasses.replace(charter, framework="another"), QUARTERS)
    assert demo_store.versions() == before
    assert len(_rows(demo_store)) == len(charter.indicators) * status_kept.WINDOW


def test_every_field_of_a_status_is_read_back_as_it_was(demo_store, charter):
    found = status_kept.afresh(demo_store, charter, QUARTERS)
    every = [s for each in found.values() for s in each]
    assert any(s.benchmark is not None for s in every) and any(s.history for s in every)
    for status in every:
        assert status_stored.from_json(status_stored.to_json(status)) == status
    # Every field set, of each type a status holds: a tuple, a date, floats to the last bit.
    full = dataclasses.replace(
        every[0],
        value=0.1 + 0.2, change=-1e-17, history=[None, 1 / 3, 2.0], provisional=True,
        benchmark=Benchmark(
            england=1 / 7, region=2.5, group=3.25, group_size=10, group_source="model",
            statistic="median", rank=3, councils=153, tied=True, quartile=1,
            significance="better", interval=(0.1, 0.9), period="2025-26", ours=0.3,
            as_at=date(2026, 7, 1),
        ),
    )  # fmt: skip
    back = status_stored.from_json(status_stored.to_json(full))
    assert back == full and isinstance(back.benchmark.interval, tuple)
    assert status_stored.from_json("not json") is None
    assert status_stored.from_json(json.dumps({"id": "x"})) is None
    for name, wrong in (("history", None), ("provisional", 1), ("value", "5"), ("id", None)):
        said = json.loads(status_stored.to_json(full))
        said[name] = wrong  # a field of the wrong type: not a status, never shown
        assert status_stored.from_json(json.dumps(said)) is None, name
    said = json.loads(status_stored.to_json(full))
    said["benchmark"]["rank"] = 2.5
    assert status_stored.from_json(json.dumps(said)) is None
    with pytest.raises(TypeError):  # a time where a date is kept: not readable back as one
        status_stored.to_json(
            dataclasses.replace(
                full, benchmark=dataclasses.replace(full.benchmark, as_at=datetime(2026, 7, 1))
            )
        )


def test_a_refreshed_neighbour_model_makes_a_new_key(charter, tmp_path, monkeypatch):
    """A status's comparator group comes from DfE's model (charter/neighbours.yaml, which
    `metrics neighbours-refresh` rewrites) when council.yaml names no comparators: the model
    in force is part of the key, so a refreshed one works the statuses out again."""
    import functools

    import yaml

    from charter import framework, neighbours

    hartlepool = "E06000001"
    council = charter.council.model_copy(update={"code": hartlepool, "comparators": None})
    modelled = dataclasses.replace(charter, council=council)
    model = tmp_path / "neighbours.yaml"
    model.write_bytes(neighbours.NEIGHBOURS_YAML.read_bytes())
    monkeypatch.setattr(framework, "neighbours_of", functools.partial(
        neighbours.neighbours_of, path=model))  # fmt: skip
    before = status_stored.charter_hash(modelled)
    said = yaml.safe_load(model.read_text(encoding="utf-8"))
    said["councils"][hartlepool]["neighbours"] = list(reversed(
        said["councils"][hartlepool]["neighbours"]))  # fmt: skip
    model.write_text(yaml.safe_dump(said), encoding="utf-8")
    neighbours.neighbour_model.cache_clear()  # a new process: it reads the refreshed file
    again = dataclasses.replace(charter, council=council)
    assert status_stored.charter_hash(again) != before
    assert status_stored.charter_hash(dataclasses.replace(charter, council=council)) == (
        status_stored.charter_hash(again)
    )


def test_an_empty_store_with_statuses_kept_is_still_empty_to_a_copy(demo_store, charter, tmp_path):
    """Statuses worked out while a store is empty (a scheduled reminder run) are no data: a
    copy or restore into it is not refused, and they do not stay beside the copied data."""
    from metrics.store.backup import backup, restore
    from metrics.store.copying import copy_store

    def audit(con, summary):
        pass

    made = tmp_path / "backup.zip"
    backup(demo_store, made)
    for target, fill in (
        (Store(tmp_path / "copied.duckdb"), lambda t: copy_store(demo_store, t, audit, "copy")),
        (Store(tmp_path / "restored.duckdb"), lambda t: restore(made, t, audit, "restore")),
    ):
        status_kept.statuses(target, charter, QUARTERS[:1])
        with target.connect() as con:
            empty_keys = {r[0] for r in con.execute("SELECT key FROM statuses_kept").fetchall()}
        assert empty_keys
        fill(target)
        with target.connect() as con:
            left = {r[0] for r in con.execute("SELECT key FROM statuses_kept").fetchall()}
        assert not left & empty_keys
        found = status_kept.statuses(target, charter, QUARTERS)
        assert found == status_kept.afresh(target, charter, QUARTERS)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_database_refusing_to_keep_them_is_logged_and_the_statuses_shown(
    demo_store, charter, caplog
):
    """A database that refuses the write (here a PostgreSQL trigger refusing every change
    to the table, as a read-only replica or a lost right would) costs the keeping only: the
    statuses are returned, equal to ones worked out afresh, and the refusal is in the log."""
    with demo_store.connect() as con:
        con._pg.execute(
            "CREATE FUNCTION refuse_kept() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'statuses_kept is read-only here'; END $$"
        )
        con._pg.execute(
            "CREATE TRIGGER refuse_kept BEFORE INSERT OR DELETE ON statuses_kept "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_kept()"
        )
    moved = dataclasses.replace(charter, framework="another")  # nothing kept for it
    with caplog.at_level("WARNING", logger="metrics.store.statuses"):
        found = status_kept.statuses(demo_store, moved, QUARTERS)
    assert found == status_kept.afresh(demo_store, moved, QUARTERS)
    assert "read-only here" in caplog.text and "not kept in the store" in caplog.text
