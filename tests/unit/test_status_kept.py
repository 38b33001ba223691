"""Each indicator's statuses kept by the version of its own figures
(metrics/assess/status_kept.py, issue 34): after an upload of a return of one indicator, the
statuses of every page (the statements', the scrutiny view's and the scorecard's eight
quarters) equal statuses worked out afresh (nothing stale), the loaded indicator's are
worked out again and changed, and no other indicator's is worked out again; the same when
another process loads the return; on both backends (the demo store runs on each). Figures
written without their indicators make every indicator's be worked out again. The working-out
reads only the kinds its statuses are kept by."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from metrics.assess import status_kept
from metrics.assess.rollup import charter_statuses
from metrics.ingest import load_file
from metrics.periods.text import parse_period
from metrics.store.connection import Store, transaction
from metrics.store.read_kinds import watching

ROOT = Path(__file__).resolve().parents[2]
LOADED, QUARTER = "short-breaks-receiving", "2026-27 Q2"  # the demo's latest quarter
QUARTERS = [parse_period(QUARTER).shift(-k) for k in range(8)]  # the scorecard's


def _return(tmp_path: Path, value: int) -> Path:
    path = tmp_path / f"return-{value}.csv"
    path.write_text(f"indicator,period,value\n{LOADED},{QUARTER},{value}\n", encoding="utf-8")
    return path


def _load(store: Store, charter, path: Path) -> None:
    report = load_file(
        store, charter, path.name, path.read_bytes(), by="tester", reason="corrected",
        confirmed=True,
    )  # fmt: skip
    assert report.outcome == "loaded", report


def _kept_and_counted(store: Store, charter) -> tuple[dict[str, list], int]:
    """The statuses as the pages get them, and how many were worked out to get them."""
    before = status_kept.worked_out()
    found = status_kept.statuses(store, charter, QUARTERS)
    return found, status_kept.worked_out() - before


def _as_pages_see_them(store: Store, charter) -> dict[str, list]:
    """Each indicator's statuses at each quarter as the statements hold them."""
    out: dict[str, list] = {}
    for statements in charter_statuses(store, charter, QUARTERS):
        seen = {i.id: i for s in statements for i in s.indicators}
        for ident, status in seen.items():
            out.setdefault(ident, []).append(status)
    return out


def _only_the_loaded_indicator_moved(store: Store, charter, before: dict[str, list]) -> None:
    # The latest quarter first (the overview's): the loaded indicator's statuses are worked
    # out at the eight quarters to it (where the scorecard looks next), no other's.
    counted = status_kept.worked_out()
    status_kept.statuses(store, charter, QUARTERS[:1])
    assert status_kept.worked_out() - counted == len(QUARTERS)
    found, worked = _kept_and_counted(store, charter)
    assert worked == 0  # the eight quarters: every status kept
    assert found == status_kept.afresh(store, charter, QUARTERS)  # nothing stale
    assert _as_pages_see_them(store, charter) == found
    assert found[LOADED][0] != before[LOADED][0]  # the upload's figure is the one assessed
    assert found[LOADED][0].value == 5
    assert {i: s for i, s in found.items() if i != LOADED} == {
        i: s for i, s in before.items() if i != LOADED
    }


def test_an_upload_works_out_its_own_indicators_statuses_only(demo_store, charter, tmp_path):
    before, _ = _kept_and_counted(demo_store, charter)
    assert before == status_kept.afresh(demo_store, charter, QUARTERS)
    again, worked = _kept_and_counted(demo_store, charter)
    assert again == before and worked == 0  # nothing written: every status kept
    _load(demo_store, charter, _return(tmp_path, 5))
    _only_the_loaded_indicator_moved(demo_store, charter, before)


def test_an_upload_by_another_process_likewise(demo_store, charter, tmp_path):
    before, _ = _kept_and_counted(demo_store, charter)
    path = _return(tmp_path, 5)
    command = [sys.executable, "-m", "metrics", "load", str(path), "--db", str(demo_store.path)]
    command += ["--user", "t", "--reason", "corrected", "--confirm"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    _only_the_loaded_indicator_moved(demo_store, charter, before)


def test_figures_written_without_their_indicators_work_every_status_out(demo_store, charter):
    _kept_and_counted(demo_store, charter)
    with demo_store.connect() as con, transaction(con):
        con.execute("UPDATE observations SET note = note WHERE obs_id < 0")
    found, worked = _kept_and_counted(demo_store, charter)
    assert worked == status_kept.WINDOW * len(charter.indicators)
    assert found == status_kept.afresh(demo_store, charter, QUARTERS)


def test_the_working_out_reads_only_the_kinds_it_is_kept_by(demo_store, charter):
    for indicators in ([LOADED], list(charter.indicators)):
        with watching() as seen:
            status_kept.work_out(demo_store, charter, QUARTERS, indicators)
        assert seen, "nothing was read: the store no longer reports what it reads"
        assert seen <= set(status_kept.KINDS), seen - set(status_kept.KINDS)


def test_a_caller_changing_its_copy_leaves_the_kept_statuses_be(demo_store, charter):
    """`statuses` hands each caller copies it may change: appending to a status's history (a
    sparkline's last point) must not reach the next session's."""
    first, _ = _kept_and_counted(demo_store, charter)
    ident = next(iter(first))
    before = list(first[ident][0].history)
    first[ident][0].history.append(123456.0)
    first[ident][0].reason = "changed by a caller"
    again, worked = _kept_and_counted(demo_store, charter)
    assert worked == 0  # taken as kept
    assert again[ident][0].history == before and again[ident][0].reason != "changed by a caller"
